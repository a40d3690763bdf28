//! "Most read" without a database write per view. Article pages (cached anywhere, by the
//! CDN too) send a small beacon from the reader's browser, at most once per article per
//! half hour per browser; each instance counts beacons in memory and adds them to hourly
//! buckets every few seconds, one row write per article per flush, instances merging by
//! addition. Crawlers (by their user agent) and prefetches are not readers.

//! This module keeps the counts; `site::readership` takes the beacons and writes them.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use nashir_core::{ArticleSummary, CategoryTree};
use serde::Serialize;

use crate::views::{self, Card};

/// Distinct articles counted between two flushes; beacons naming more are dropped (ids are
/// the client's word: a flood of made-up ones must not grow memory).
const MAX_PENDING_ARTICLES: usize = 20_000;

/// The counts waiting for the next flush, and the last "most read".
#[derive(Default)]
pub(crate) struct Readership {
    pending: Mutex<HashMap<i64, i64>>,
    /// The last "most read" (last 24 hours, last 7 days), computed in the background.
    pub(crate) most_read: Mutex<(Vec<ArticleSummary>, Vec<ArticleSummary>)>,
}

/// The two lists of the "الأكثر قراءة" block.
#[derive(Serialize, Default)]
pub(crate) struct MostRead {
    pub day: Vec<Card>,
    pub week: Vec<Card>,
}

impl MostRead {
    pub(crate) fn is_empty(&self) -> bool {
        self.day.is_empty() && self.week.is_empty()
    }
}

impl Readership {
    /// The "most read" block as pages show it (no database round trip).
    pub(crate) fn most_read(&self, tree: &CategoryTree) -> Option<MostRead> {
        let kept = self.most_read.lock().unwrap_or_else(PoisonError::into_inner);
        let block = MostRead { day: views::cards(&kept.0, tree), week: views::cards(&kept.1, tree) };
        (!block.is_empty()).then_some(block)
    }
}

impl Readership {
    pub(crate) fn count(&self, article_id: i64) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.len() >= MAX_PENDING_ARTICLES && !pending.contains_key(&article_id) {
            return false;
        }
        *pending.entry(article_id).or_default() += 1;
        true
    }

    pub(crate) fn take(&self) -> Vec<(i64, i64)> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let mut counts: Vec<(i64, i64)> = pending.drain().collect();
        counts.sort_unstable();
        counts
    }

    pub(crate) fn put_back(&self, counts: &[(i64, i64)]) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for (id, n) in counts {
            *pending.entry(*id).or_default() += n;
        }
    }
}

/// User agents that announce a program rather than a reader.
pub(crate) fn is_crawler(user_agent: &str) -> bool {
    const MARKS: [&str; 16] = [
        "bot", "crawl", "spider", "slurp", "facebookexternalhit", "embedly", "preview", "curl/", "wget/", "python-", "go-http-client",
        "java/", "libwww", "scrapy", "lighthouse", "ia_archiver",
    ];
    let ua = user_agent.to_ascii_lowercase();
    ua.is_empty() || MARKS.iter().any(|m| ua.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawlers_are_told_from_readers() {
        for ua in ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.5.0", "", "python-requests/2.31"] {
            assert!(is_crawler(ua), "{ua}");
        }
        let reader = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert!(!is_crawler(reader));
    }

    #[test]
    fn counts_merge_and_made_up_ids_cannot_grow_memory() {
        let r = Readership::default();
        for _ in 0..3 {
            assert!(r.count(7));
        }
        r.count(9);
        assert_eq!(r.take(), [(7, 3), (9, 1)]);
        assert!(r.take().is_empty());
        for id in 0..MAX_PENDING_ARTICLES as i64 {
            r.count(id + 1);
        }
        assert!(!r.count(i64::MAX), "a new id past the bound is dropped");
        assert!(r.count(1), "a counted one still counts");
        r.put_back(&[(1, 5)]);
        assert_eq!(r.take().iter().find(|(id, _)| *id == 1), Some(&(1, 7)));
    }
}
