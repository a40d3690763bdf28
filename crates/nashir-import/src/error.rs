//! Errors of the importers: what went wrong, in which file, and where.
//! Owns the wording a user sees when an export is refused or a JSON line is skipped.

use std::io;

/// Why a WXR export (or a JSON Lines file that cannot be opened) is refused.
///
/// Every variant names the file as the caller gave it; the XML variants also give the
/// 1-based line and column (in characters, not bytes) of the place to look at.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read (the cause follows in the error chain).
    #[error("{file}: cannot read the file")]
    Io {
        file: String,
        #[source]
        source: io::Error,
    },
    /// The file is not well-formed XML, or it ends before its open elements are closed.
    /// `expected` says what should have been there, e.g. `</item>`.
    #[error("{file}: line {line}, column {column}: expected {expected}")]
    Malformed {
        file: String,
        line: u64,
        column: u64,
        expected: String,
    },
    /// Well-formed, but not a WordPress export this importer reads: not RSS, no
    /// `<wp:wxr_version>`, a version other than 1.0–1.2, or an encoding other than UTF-8.
    #[error("{file}: line {line}, column {column}: {reason}")]
    Unsupported {
        file: String,
        line: u64,
        column: u64,
        reason: String,
    },
}

/// A JSON line that cannot be imported; the lines around it still are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    /// 1-based line number in the file.
    pub line: u64,
    /// What is wrong, in words.
    pub message: String,
    /// Reading stopped here (an I/O error); no further lines follow.
    pub fatal: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_reads_like_a_compiler_message() {
        let e = ImportError::Malformed {
            file: "site.xml".into(),
            line: 120,
            column: 7,
            expected: "</item>".into(),
        };
        assert_eq!(
            e.to_string(),
            "site.xml: line 120, column 7: expected </item>"
        );
    }

    #[test]
    fn line_error_names_the_line() {
        let e = LineError {
            line: 12,
            message: "missing field `body`".into(),
            fatal: false,
        };
        assert_eq!(e.to_string(), "line 12: missing field `body`");
    }
}
