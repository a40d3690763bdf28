//! Related stories kept between requests: finding them is a search (a millisecond or two),
//! showing them should cost no more than reading their cards. Each article's list is kept
//! until the search index changes something it depends on, or for an hour at most (the
//! ranking favours stories published near the article, which drifts slowly).
//!
//! The search index's outbox subscriber calls [`RelatedCache::forget`] after each commit,
//! on every instance: the lists of the articles that changed go, every list that considered
//! one of them, and the lists of their own nearest stories (a newly published story belongs
//! in those). A list computed while the index was changing is never kept (a generation
//! ticket, as in the page cache).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use nashir_search::{Related, SearchIndex};

/// Stories found per article: "شاهد أيضاً" and the list of four under it.
pub(crate) const SHOWN: usize = 5;
/// Lists kept at most; past it the cache starts again empty.
const MAX_LISTS: usize = 100_000;
/// Longest a list is kept.
const MAX_AGE_MICROS: i64 = 3_600 * 1_000_000;

struct Kept {
    ids: Vec<i64>,
    considered: Vec<i64>,
    at: i64,
}

/// See the module documentation.
#[derive(Default)]
pub(crate) struct RelatedCache {
    lists: Mutex<HashMap<i64, Kept>>,
    generation: AtomicU64,
}

impl RelatedCache {
    /// The kept list of `id`, if it is still good at `now`.
    pub(crate) fn get(&self, id: i64, now: i64) -> Option<Vec<i64>> {
        let lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        lists.get(&id).filter(|k| now - k.at < MAX_AGE_MICROS).map(|k| k.ids.clone())
    }

    /// Taken before searching, handed back to [`RelatedCache::keep`].
    pub(crate) fn ticket(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `related` as `id`'s list unless the index changed since `ticket`.
    pub(crate) fn keep(&self, ticket: u64, id: i64, related: &Related, now: i64) {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        if self.generation.load(Ordering::SeqCst) != ticket {
            return;
        }
        if lists.len() >= MAX_LISTS {
            lists.clear();
        }
        lists.insert(id, Kept { ids: related.ids.clone(), considered: related.considered.clone(), at: now });
    }

    /// After the index committed changes to the articles `changed` (none: all of them, after
    /// a rebuild): forgets every list they may change. Returns whether any kept list was
    /// forgotten, i.e. whether pages showing one must be rendered again.
    pub(crate) fn forget(&self, index: &SearchIndex, changed: &[i64]) -> bool {
        // Searched before taking the lock: readers are not held up by the searches.
        let mut neighbours: Vec<i64> = Vec::new();
        for &id in changed {
            match index.related_to_indexed(id, SHOWN) {
                Ok(Some(r)) => neighbours.extend(r.considered),
                Ok(None) => {}
                // Without its neighbours, every list may be wrong.
                Err(e) => {
                    tracing::warn!(article = id, error = %e, "related stories: finding the neighbours of a changed article failed");
                    return self.forget_all();
                }
            }
        }
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        if changed.is_empty() {
            let any = !lists.is_empty();
            lists.clear();
            return any;
        }
        let before = lists.len();
        lists.retain(|id, kept| {
            !changed.contains(id) && !neighbours.contains(id) && !kept.considered.iter().any(|c| changed.contains(c))
        });
        lists.len() != before
    }

    fn forget_all(&self) -> bool {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        let any = !lists.is_empty();
        lists.clear();
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nashir_search::SearchDoc;

    fn doc(id: i64, category: i64, title: &str, body: &str) -> SearchDoc {
        SearchDoc { id, title: title.into(), body: body.into(), category_ids: vec![category], tag_ids: vec![], published_at: id * 1_000_000 }
    }

    #[test]
    fn a_list_goes_when_an_article_it_considered_or_a_new_neighbour_changes() {
        let index = SearchIndex::in_memory().expect("index");
        index.upsert(&doc(1, 1, "فيضانات في نابل", "غمرت مياه الأمطار الطرقات في نابل وأغلقت المدارس")).expect("upsert");
        index.upsert(&doc(2, 1, "أمطار نابل", "تواصل نزول الأمطار في نابل والحماية المدنية تتدخل")).expect("upsert");
        index.upsert(&doc(3, 2, "الترجي يفوز", "فاز الترجي على النجم في ملعب رادس")).expect("upsert");
        index.commit().expect("commit");
        let cache = RelatedCache::default();
        for id in [1, 3] {
            let ticket = cache.ticket();
            let r = index.related_to_indexed(id, SHOWN).expect("related").expect("indexed");
            cache.keep(ticket, id, &r, 0);
        }
        assert!(cache.get(1, 0).is_some_and(|ids| ids.first() == Some(&2)));
        assert!(cache.get(1, MAX_AGE_MICROS).is_none(), "an hour at most");

        // Article 2 changed: 1 considered it, so its list goes; 3's stays.
        assert!(cache.forget(&index, &[2]));
        assert!(cache.get(1, 0).is_none());
        assert!(cache.get(3, 0).is_some());

        // A new story about Nabeul: 1's list (kept again) goes, as 4 is its neighbour now.
        let r = index.related_to_indexed(1, SHOWN).expect("related").expect("indexed");
        cache.keep(cache.ticket(), 1, &r, 0);
        index.upsert(&doc(4, 1, "نابل تحت الماء", "الأمطار الغزيرة تغمر نابل والمدارس مغلقة")).expect("upsert");
        index.commit().expect("commit");
        assert!(cache.forget(&index, &[4]));
        assert!(cache.get(1, 0).is_none());

        // A list searched while the index changed is not kept.
        let ticket = cache.ticket();
        let r = index.related_to_indexed(1, SHOWN).expect("related").expect("indexed");
        cache.forget(&index, &[]);
        cache.keep(ticket, 1, &r, 0);
        assert!(cache.get(1, 0).is_none());
    }
}
