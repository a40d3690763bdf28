//! Helpers shared by the integration tests: small in-memory indexes of hand-written articles.
//! Owns nothing else.
#![allow(dead_code, clippy::unwrap_used)]

use nashir_search::{SearchDoc, SearchIndex, SearchQuery, SearchResults};

pub const DAY: i64 = 86_400_000_000;

pub fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id,
        title: title.to_owned(),
        body: body.to_owned(),
        category_ids: vec![1],
        tag_ids: Vec::new(),
        published_at: id * DAY,
    }
}

pub fn index(docs: &[SearchDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    for d in docs {
        index.upsert(d).unwrap();
    }
    index.commit().unwrap();
    index
}

pub fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index
        .search(&SearchQuery::new(text))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    search(index, text).hits.iter().map(|h| h.id).collect()
}
