//! Typed errors of the crate: what a caller can show a reader (`QueryError`) and what it must log.
//! Owns the mapping from tantivy and I/O failures, so no tantivy type leaks out of the API.

use std::path::PathBuf;

/// A query the reader typed that cannot be searched. Each variant deserves a friendly
/// message on the results page, never an error status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing but spaces (or invisible characters) was typed.
    #[error("the query is empty")]
    Empty,
    /// Longer than [`crate::MAX_QUERY_CHARS`]; rejected rather than cut, so the reader knows
    /// that the end of the text was not searched.
    #[error("the query is longer than {max_chars} characters")]
    TooLong { max_chars: usize },
    /// Only punctuation, symbols or emoji: no word to look for.
    #[error("the query has no searchable words")]
    NoSearchableTerms,
}

/// Everything that can go wrong in the search crate.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The reader's query was unusable; show a friendly page.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The index engine failed (I/O below it, a corrupt segment, a poisoned writer).
    #[error("search index: {0}")]
    Index(String),
    #[error("search index folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder given to [`crate::SearchIndex::open`] holds files that are not a Nashir
    /// index; it is never wiped, in case it is the data folder itself.
    #[error("{0} is not empty and does not look like a Nashir search index; refusing to wipe it")]
    NotAnIndex(PathBuf),
    /// Another process (or another `SearchIndex`) holds the writer lock of this folder.
    #[error("search index {0} is locked by another writer")]
    Locked(PathBuf),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> SearchError {
        SearchError::Index(e.to_string())
    }
}

impl SearchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> SearchError {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }

    /// The reader's query was at fault, not the index; show a friendly page.
    pub fn is_query_error(&self) -> bool {
        matches!(self, SearchError::Query(_))
    }
}
