//! The plain data types of the public API: what goes into the index and what comes out.
//! Owns no behaviour beyond defaults, so callers (web, CLI, tests) can build them freely.

/// One article as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The article's database id; the unique key of the index.
    pub id: i64,
    pub title: String,
    /// Plain text, markup already stripped (`nashir_arabic::strip_html`).
    pub body: String,
    pub category_ids: Vec<i64>,
    /// The article's tags (related stories prefer articles that share them).
    pub tag_ids: Vec<i64>,
    /// Unix microseconds, UTC.
    pub published_at: i64,
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (the default).
    #[default]
    Relevance,
    /// Most recently published first; scores are then reported as 0.
    Newest,
}

/// A search request. `Default` gives an empty text, no filters, relevance order, the first
/// 10 results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    /// Empty: any category; otherwise articles in at least one of them.
    pub category_ids: Vec<i64>,
    /// Inclusive bounds on `published_at`, in unix microseconds.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub sort: Sort,
    /// Results to skip (pagination). Capped at [`crate::MAX_OFFSET`].
    pub offset: usize,
    /// Results per page, 1 to [`crate::MAX_LIMIT`] (0 is taken as 1).
    pub limit: usize,
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        SearchQuery {
            text: String::new(),
            category_ids: Vec::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
        }
    }
}

impl SearchQuery {
    /// A relevance-ordered query for `text`, first page of 10.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// The title, HTML-escaped, matched words wrapped in `<mark>`.
    pub title_html: String,
    /// A fragment of the body, HTML-escaped, `<mark>` around matched words in the author's
    /// own spelling, `…` where cut. Put it in an element with `dir="auto"`.
    pub snippet_html: String,
    pub published_at: i64,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Matching articles in all pages.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The query as the reader probably meant it, when a word matched nothing as typed
    /// and was searched by its spellings one slip away ("did you mean").
    pub did_you_mean: Option<String>,
    pub took_micros: u64,
}

/// An article a query being typed is heading for ([`crate::SearchIndex::suggest`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: i64,
    /// The title, HTML-escaped, matched words (and completed ones) in `<mark>`.
    pub title_html: String,
}

/// What [`crate::SearchIndex::open`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenState {
    /// A complete index of the current analyzer and schema: nothing to do.
    Ready,
    /// There was no index: the caller must reindex from the database.
    Created,
    /// The index was wiped (analyzer or schema changed, an interrupted rebuild,
    /// corruption): the caller must reindex from the database.
    Rebuilt { reason: String },
}

impl OpenState {
    /// Whether the caller must call [`crate::SearchIndex::rebuild`] with every article.
    pub fn needs_reindex(&self) -> bool {
        !matches!(self, OpenState::Ready)
    }
}
