//! How good Nashir's search is, measured: the known-item evaluation of ARABIC.md. A corpus
//! of articles is indexed with Nashir's analyzer and with a plain one (tantivy's default
//! tokenizer and lower-casing); spelling-variant queries are derived from target articles
//! with a seeded generator; Recall@10, MRR@10 and false-friend rates are reported per
//! variant family. `nashir eval-search` prints it; the search benchmarks live here too.
//!
//! This crate is for measuring only: the server's search library (`nashir-search`) does
//! not depend on it, nor on its random generator.

mod corpus;
mod error;
mod eval;
mod judge;
mod plain;
/// Related stories measured against duplicates and follow-ups.
pub mod related;
mod variants;

pub use corpus::load_corpus;
pub use error::EvalError;
pub use eval::{
    EvalOptions, EvalReport, FamilyRow, Measures, NON_WORD_TYPOS, Part, QueryKind, SeedsReport, Spread, evaluate, evaluate_seeds,
};
pub use plain::PlainIndex;
pub use variants::Family;
