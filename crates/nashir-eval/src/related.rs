//! How well related stories find the same story told again: on a corpus of articles, pairs
//! judged to be one story are found without the analyzer being judged, and the related list
//! of each article is checked for them, beside what the site showed before ("the newest in
//! the same category").
//!
//! The two kinds of pairs:
//! - **duplicates**: the same body (spaces aside) under two ids. The related list must never
//!   show one; the measure is how often the duplicate detector found it (so it was left
//!   out for a reason, not by chance).
//! - **follow-ups**: a later article (within [`FOLLOW_UP_DAYS`]) whose title shares at least
//!   [`FOLLOW_UP_SHARED_WORDS`] rare words with the first one's, by the frozen light10
//!   stemmer of the false-friend judge (not Nashir's analyzer), and whose body is not a copy
//!   (less than half of its words in common). The measure is how often the first
//!   article's list holds one of its follow-ups.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use nashir_search::{RelatedQuery, SearchDoc, SearchIndex};

use crate::error::EvalError;
use crate::judge;

/// A follow-up comes at most this many days later.
pub const FOLLOW_UP_DAYS: i64 = 3;
/// Rare title words a follow-up shares with the first story.
pub const FOLLOW_UP_SHARED_WORDS: usize = 3;
/// A title word is rare when at most this share of the titles hold it.
const RARE_TITLE_SHARE: f64 = 0.005;
/// Bodies sharing this share of their distinct words are copies, not follow-ups.
const COPY_WORD_SHARE: f64 = 0.5;
/// Stories a list shows: "check also" and four under the article.
pub const SHOWN: usize = 5;
const DAY_MICROS: i64 = 86_400_000_000;

/// One way of choosing the related list.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub name: &'static str,
    /// Articles with a follow-up whose list (of [`SHOWN`]) holds one.
    pub follow_ups_found: f64,
    /// The same for the first story of the list alone ("شاهد أيضاً").
    pub follow_ups_first: f64,
    /// Articles with a duplicate whose list shows one (should be 0).
    pub duplicates_shown: f64,
}

/// The whole measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedReport {
    pub articles: usize,
    /// Articles with at least one duplicate, and with at least one follow-up.
    pub with_duplicate: usize,
    pub with_follow_up: usize,
    /// Articles with a duplicate all of whose duplicates the detector found.
    pub duplicates_detected: f64,
    /// Articles whose detector flagged something that is not an exact duplicate (a
    /// near-copy, or a mistake), per article measured.
    pub other_flagged: f64,
    /// Mean milliseconds to find one article's list.
    pub millis_per_list: f64,
    pub methods: Vec<Method>,
}

/// Pairs judged to be one story, by article id.
#[derive(Debug, Default)]
pub struct Truth {
    pub duplicates: HashMap<i64, Vec<i64>>,
    pub follow_ups: HashMap<i64, Vec<i64>>,
}

fn body_key(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stems(text: &str) -> HashSet<String> {
    judge::words(text).map(judge::light10).filter(|w| w.chars().count() >= 2).collect()
}

/// Finds the duplicates and follow-ups of a corpus (see the module documentation).
pub fn truth(docs: &[SearchDoc]) -> Truth {
    let mut truth = Truth::default();
    let mut by_body: HashMap<String, Vec<i64>> = HashMap::new();
    for d in docs {
        by_body.entry(body_key(&d.body)).or_default().push(d.id);
    }
    for group in by_body.values().filter(|g| g.len() > 1) {
        for &id in group {
            truth.duplicates.insert(id, group.iter().copied().filter(|&o| o != id).collect());
        }
    }
    let titles: Vec<HashSet<String>> = docs.iter().map(|d| stems(&d.title)).collect();
    let mut title_docs: HashMap<&str, usize> = HashMap::new();
    for t in &titles {
        for w in t {
            *title_docs.entry(w.as_str()).or_default() += 1;
        }
    }
    let rare_limit = ((docs.len() as f64) * RARE_TITLE_SHARE).max(2.0) as usize;
    let rare: Vec<HashSet<&str>> = titles
        .iter()
        .map(|t| t.iter().map(String::as_str).filter(|w| title_docs[w] <= rare_limit).collect())
        .collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].published_at, docs[i].id));
    let mut bodies: HashMap<usize, HashSet<String>> = HashMap::new();
    for (k, &a) in order.iter().enumerate() {
        for &b in &order[k + 1..] {
            if docs[b].published_at - docs[a].published_at > FOLLOW_UP_DAYS * DAY_MICROS {
                break;
            }
            if rare[a].intersection(&rare[b]).count() < FOLLOW_UP_SHARED_WORDS
                || truth.duplicates.get(&docs[a].id).is_some_and(|d| d.contains(&docs[b].id))
            {
                continue;
            }
            let words_a = bodies.entry(a).or_insert_with(|| stems(&docs[a].body)).clone();
            let words_b = bodies.entry(b).or_insert_with(|| stems(&docs[b].body));
            let shared = words_a.intersection(words_b).count() as f64;
            let union = words_a.union(words_b).count().max(1) as f64;
            if shared / union >= COPY_WORD_SHARE {
                continue;
            }
            truth.follow_ups.entry(docs[a].id).or_default().push(docs[b].id);
        }
    }
    truth
}

/// Measures related stories on the corpus at `path` (JSON Lines, `load_corpus`).
pub fn evaluate_related(path: &Path) -> Result<RelatedReport, EvalError> {
    let docs = crate::load_corpus(path)?;
    let index = SearchIndex::in_memory()?;
    index.rebuild(docs.iter().cloned(), |_| {})?;
    Ok(measure(&index, &docs, &truth(&docs)))
}

/// The measurement over an index of `docs`.
pub fn measure(index: &SearchIndex, docs: &[SearchDoc], truth: &Truth) -> RelatedReport {
    let measured: Vec<&SearchDoc> =
        docs.iter().filter(|d| truth.duplicates.contains_key(&d.id) || truth.follow_ups.contains_key(&d.id)).collect();
    // The baselines: the newest of the category as the site shows it now, and the next ones
    // of the category after the article (the best a list by date could do).
    let mut by_category: HashMap<i64, Vec<&SearchDoc>> = HashMap::new();
    for d in docs {
        for &c in &d.category_ids {
            by_category.entry(c).or_default().push(d);
        }
    }
    for list in by_category.values_mut() {
        list.sort_by_key(|d| std::cmp::Reverse((d.published_at, d.id)));
    }
    let newest = |d: &SearchDoc| -> Vec<i64> {
        let list = d.category_ids.first().and_then(|c| by_category.get(c)).map_or(&[][..], Vec::as_slice);
        list.iter().filter(|o| o.id != d.id).take(SHOWN).map(|o| o.id).collect()
    };
    let next = |d: &SearchDoc| -> Vec<i64> {
        let list = d.category_ids.first().and_then(|c| by_category.get(c)).map_or(&[][..], Vec::as_slice);
        let mut after: Vec<i64> =
            list.iter().rev().filter(|o| o.id != d.id && (o.published_at, o.id) > (d.published_at, d.id)).take(SHOWN).map(|o| o.id).collect();
        after.truncate(SHOWN);
        after
    };
    let started = std::time::Instant::now();
    let mut content: HashMap<i64, nashir_search::Related> = HashMap::new();
    for d in &measured {
        let q = RelatedQuery {
            id: d.id,
            title: &d.title,
            body: &d.body,
            category_ids: &d.category_ids,
            tag_ids: &d.tag_ids,
            published_at: d.published_at,
            limit: SHOWN,
        };
        content.insert(d.id, index.related(&q).unwrap_or_default());
    }
    let millis_per_list = started.elapsed().as_secs_f64() * 1000.0 / measured.len().max(1) as f64;
    let with_duplicate: Vec<&&SearchDoc> = measured.iter().filter(|d| truth.duplicates.contains_key(&d.id)).collect();
    let with_follow_up: Vec<&&SearchDoc> = measured.iter().filter(|d| truth.follow_ups.contains_key(&d.id)).collect();
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let method = |name: &'static str, list: &dyn Fn(&SearchDoc) -> Vec<i64>| {
        let found = |d: &SearchDoc, take: usize| {
            let shown = list(d);
            truth.follow_ups[&d.id].iter().any(|f| shown.iter().take(take).any(|s| s == f))
        };
        Method {
            name,
            follow_ups_found: share(with_follow_up.iter().filter(|d| found(d, SHOWN)).count(), with_follow_up.len()),
            follow_ups_first: share(with_follow_up.iter().filter(|d| found(d, 1)).count(), with_follow_up.len()),
            duplicates_shown: share(
                with_duplicate.iter().filter(|d| list(d).iter().any(|s| truth.duplicates[&d.id].contains(s))).count(),
                with_duplicate.len(),
            ),
        }
    };
    let by_content = |d: &SearchDoc| content.get(&d.id).map(|r| r.ids.clone()).unwrap_or_default();
    let methods = vec![
        method("by content (Nashir)", &by_content),
        method("newest in the category (before)", &newest),
        method("next in the category after it", &next),
    ];
    let detected = with_duplicate
        .iter()
        .filter(|d| truth.duplicates[&d.id].iter().all(|x| content.get(&d.id).is_some_and(|r| r.duplicates.contains(x))))
        .count();
    let other_flagged = measured
        .iter()
        .filter(|d| {
            let exact = truth.duplicates.get(&d.id);
            content.get(&d.id).is_some_and(|r| r.duplicates.iter().any(|x| !exact.is_some_and(|e| e.contains(x))))
        })
        .count();
    RelatedReport {
        articles: docs.len(),
        with_duplicate: with_duplicate.len(),
        with_follow_up: with_follow_up.len(),
        duplicates_detected: share(detected, with_duplicate.len()),
        other_flagged: share(other_flagged, measured.len()),
        millis_per_list,
        methods,
    }
}

impl std::fmt::Display for RelatedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "articles: {}; with an exact duplicate: {}; with a follow-up: {}", self.articles, self.with_duplicate, self.with_follow_up)?;
        writeln!(f, "duplicates found by the detector (and left out): {:.1} %", self.duplicates_detected * 100.0)?;
        writeln!(f, "articles where the detector also left out a non-identical text: {:.1} %", self.other_flagged * 100.0)?;
        writeln!(f, "time per list: {:.2} ms\n", self.millis_per_list)?;
        writeln!(f, "| list of {SHOWN} | follow-up in the list | follow-up first (شاهد أيضاً) | a duplicate shown |")?;
        writeln!(f, "|---|---|---|---|")?;
        for m in &self.methods {
            writeln!(
                f,
                "| {} | {:.1} % | {:.1} % | {:.1} % |",
                m.name,
                m.follow_ups_found * 100.0,
                m.follow_ups_first * 100.0,
                m.duplicates_shown * 100.0
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, day: i64, title: &str, body: &str) -> SearchDoc {
        SearchDoc { id, title: title.into(), body: body.into(), category_ids: vec![1], tag_ids: vec![], published_at: day * DAY_MICROS }
    }

    #[test]
    fn duplicates_are_equal_bodies_and_follow_ups_share_rare_title_words_within_days() {
        let mut docs = vec![
            doc(1, 0, "إضراب أعوان شركة فسفاط قفصة بالمتلوي", "دخل أعوان الشركة في إضراب مفتوح احتجاجا على تأخر صرف الأجور."),
            doc(2, 0, "إضراب أعوان شركة فسفاط قفصة", "دخل أعوان  الشركة في إضراب مفتوح احتجاجا على تأخر صرف الأجور."),
            doc(3, 2, "تعليق إضراب فسفاط قفصة بالمتلوي", "قررت النقابة تعليق الإضراب بعد جلسة تفاوض مع الوزارة انتهت باتفاق."),
            doc(4, 9, "استئناف إضراب فسفاط قفصة بالمتلوي", "عاد الأعوان إلى الإضراب بعد أسبوع من تعليقه لعدم تطبيق الاتفاق."),
        ];
        // Enough other titles that the story's words are rare.
        for i in 0..1000 {
            docs.push(doc(100 + i, 30 + i, &format!("خبر عادي رقم {i}"), &format!("نص عادي رقم {i}.")));
        }
        let t = truth(&docs);
        assert_eq!(t.duplicates.get(&1), Some(&vec![2]), "spaces aside, the same body");
        assert_eq!(t.duplicates.get(&2), Some(&vec![1]));
        assert_eq!(t.follow_ups.get(&1), Some(&vec![3]), "2 is a copy, 4 is too late");
        assert!(!t.follow_ups.contains_key(&3));
    }

    #[test]
    fn the_related_list_finds_a_follow_up_and_leaves_the_duplicate_out() {
        let mut docs = vec![
            doc(1, 0, "فيضانات في ولاية نابل تغلق المدارس", "غمرت مياه الأمطار الطرقات في مدن ولاية نابل وقررت السلط غلق المدارس يوم الاثنين."),
            doc(2, 0, "أمطار غزيرة تغلق المدارس", "غمرت مياه الأمطار الطرقات في مدن ولاية نابل وقررت السلط غلق المدارس يوم الاثنين."),
            doc(3, 1, "ولاية نابل: عودة الدروس بعد الفيضانات", "استأنف التلاميذ الدروس في مدارس ولاية نابل بعد انحسار مياه الفيضانات وإصلاح الطرقات."),
        ];
        for i in 0..400 {
            docs.push(doc(100 + i, 2 + i, &format!("مباراة كرة القدم رقم {i}"), &format!("انتهت المباراة رقم {i} بالتعادل في الملعب.")));
        }
        let index = SearchIndex::in_memory().expect("index");
        index.rebuild(docs.iter().cloned(), |_| {}).expect("rebuild");
        let report = measure(&index, &docs, &truth(&docs));
        let nashir = &report.methods[0];
        assert_eq!(report.with_follow_up, 1);
        assert_eq!(nashir.follow_ups_found, 1.0);
        assert_eq!(nashir.duplicates_shown, 0.0);
        assert_eq!(report.duplicates_detected, 1.0);
        let newest = &report.methods[1];
        assert_eq!(newest.follow_ups_found, 0.0, "the newest football scores are not the follow-up");
    }
}
