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
//! [`evaluate`] runs the known-item evaluation of ARABIC.md on a corpus and prints
//! Recall@10, MRR@10 and false-friend rates for this analyzer beside a plain one
//! (`cargo run --release -p nashir-search --example search-eval`, or `nashir eval-search`).

mod analysis;
mod corpus;
mod error;
mod eval;
mod highlight;
mod index;
mod plain;
mod query;
mod schema;
mod types;
mod variants;

pub use corpus::load_corpus;
pub use error::{QueryError, SearchError};
pub use eval::{EvalOptions, EvalReport, FamilyRow, Measures, QueryKind, evaluate};
pub use index::{MAX_LIMIT, MAX_OFFSET, SearchIndex};
pub use plain::PlainIndex;
pub use query::{MAX_QUERY_CHARS, ParsedQuery, QueryPart, parse_query};
pub use types::{Hit, OpenState, SearchDoc, SearchQuery, SearchResults, Sort, Suggestion};
pub use variants::Family;
