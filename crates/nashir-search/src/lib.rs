//! Full-text search for Nashir: a derived tantivy index (rebuilt from the database whenever
//! it is missing or its analyzer changed) with the Arabic analysis of `design/ARABIC.md`.
//!
//! Every title and body is indexed three times: the **surface** form (harakat, tatweel and
//! invisible characters removed, letters as written), the **normalized** form (hamza seats,
//! `ى`/`ي`, `ة`/`ه`, Persian letters, digits folded) and the **stemmed** form (one clitic
//! prefix and one suffix stripped). A query searches all three as a boosted OR, exact
//! spelling first, title over body; quoted phrases use the normalized form; fuzzy matching
//! (one edit, words of 5+ letters) only kicks in when exact matching found little.
//! Snippets mark the matched words in the author's own spelling.
//!
//! ```
//! use nashir_search::{SearchDoc, SearchIndex, SearchQuery};
//!
//! let index = SearchIndex::in_memory()?;
//! index.upsert(&SearchDoc {
//!     id: 1,
//!     title: "قاآني يزور بغداد".into(),
//!     body: "وصل قائد فيلق القدس إسماعيل قاآني إلى بغداد.".into(),
//!     category_ids: vec![3],
//!     tag_ids: vec![],
//!     published_at: 1_700_000_000_000_000,
//! })?;
//! index.commit()?;
//!
//! // A reader types the name without the madda and finds the article, highlighted as written.
//! let results = index.search(&SearchQuery::new("قااني"))?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].title_html, "<mark>قاآني</mark> يزور بغداد");
//! assert!(results.hits[0].snippet_html.contains("<mark>قاآني</mark>"));
//!
//! // Unusable queries are typed errors, for a friendly page rather than a 500.
//! assert!(index.search(&SearchQuery::new("!!!")).is_err_and(|e| e.is_query_error()));
//! # Ok::<(), nashir_search::SearchError>(())
//! ```
//!
//! [`sync`] keeps an index in step with the database: a full rebuild streamed from the
//! store, and an outbox subscriber that applies article events in batches. The known-item
//! evaluation of ARABIC.md lives in its own crate (`nashir-eval`, `nashir eval-search`).

mod analysis;
mod error;
mod highlight;
mod index;
mod query;
mod related;
mod schema;
/// The index kept in step with the database.
pub mod sync;
mod types;

pub use error::{QueryError, SearchError};
pub use index::{MAX_LIMIT, MAX_OFFSET, SearchIndex};
pub use query::{MAX_QUERY_CHARS, ParsedQuery, QueryPart, parse_query};
pub use related::{DUPLICATE_SHARE, PREFILTER_BITS, Related, RelatedQuery, fingerprint, same_text};
pub use types::{Hit, OpenState, SearchDoc, SearchQuery, SearchResults, Sort, Suggestion};

/// Pieces of the analyzer that evaluation tools measure or compare against.
pub mod analyzer {
    pub use crate::analysis::{stem_term, stems_into};
    pub use crate::query::{TITLE_BOOST, fuzzy_candidates, fuzzy_score, keyboard_neighbours};
}
