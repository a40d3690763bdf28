//! What can stop an evaluation: the corpus cannot be read, or an index fails.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The corpus could not be parsed.
    #[error("corpus {path}, line {line}: {message}")]
    Corpus { path: PathBuf, line: usize, message: String },
    #[error(transparent)]
    Search(#[from] nashir_search::SearchError),
    /// The plain reference index failed.
    #[error("plain index: {0}")]
    Plain(#[from] tantivy::TantivyError),
}

impl EvalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> EvalError {
        EvalError::Io { path: path.into(), source }
    }
}
