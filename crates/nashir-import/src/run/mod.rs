//! Importing, the whole of it: a WordPress export or a JSON Lines file read as a stream and
//! written record by record into a [`Sink`] (the store implements it), with uploads copied,
//! progress reported and a [`Summary`] an operator can check. Each record is one keyed
//! write, so re-running an import updates instead of duplicating and a killed run can simply
//! be run again. The binary only parses arguments and prints.

mod jsonl;
mod summary;
mod uploads;
mod wordpress;

use std::future::Future;

use nashir_core::{NewArticle, NewComment, PublishState};

pub use jsonl::{JsonlImport, import_jsonl};
pub use summary::{Skip, Summary};
pub use wordpress::{WordpressImport, import_wordpress};

/// Whether a keyed write created a record or updated the one an earlier run created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created(i64),
    Updated(i64),
}

impl Upserted {
    pub fn id(self) -> i64 {
        match self {
            Upserted::Created(id) | Upserted::Updated(id) => id,
        }
    }
}

/// An author, keyed on their login at the source.
#[derive(Debug, Clone)]
pub struct NewPerson<'a> {
    pub login: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub old_path: Option<&'a str>,
}

/// A category, keyed on its nicename (or path) at the source.
#[derive(Debug, Clone)]
pub struct NewCategory<'a> {
    pub key: &'a str,
    pub parent_id: Option<i64>,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub old_path: Option<&'a str>,
}

/// A tag, found or created by slug.
#[derive(Debug, Clone)]
pub struct NewTag<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub old_path: Option<&'a str>,
}

/// A static page (a WordPress page).
#[derive(Debug, Clone)]
pub struct NewPage {
    pub parent_id: Option<i64>,
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub state: PublishState,
    pub menu_order: i64,
    pub author_id: Option<i64>,
    pub created_at: i64,
}

/// Where an import writes. Every method is one keyed write in one transaction, with the
/// record's old URLs and its outbox event.
pub trait Sink {
    type Error: std::error::Error + Send + Sync + 'static;

    /// The local id of a record an earlier run imported (`kind`: post, page, comment…).
    fn imported_id(&self, source: &str, kind: &str, source_id: &str) -> impl Future<Output = Result<Option<i64>, Self::Error>> + Send;
    fn person(&self, source: &str, person: &NewPerson<'_>, now: i64) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    /// The account with this email (any case), if one exists.
    fn person_by_email(&self, email: &str) -> impl Future<Output = Result<Option<i64>, Self::Error>> + Send;
    fn category(&self, source: &str, category: &NewCategory<'_>, now: i64) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    fn tag(&self, tag: &NewTag<'_>, now: i64) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    fn article(
        &self,
        source: &str,
        source_id: &str,
        article: &NewArticle,
        old_paths: &[String],
        now: i64,
    ) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    fn comment(&self, source: &str, source_id: &str, comment: &NewComment, now: i64) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    fn page(&self, source: &str, source_id: &str, page: &NewPage, old_paths: &[String], now: i64) -> impl Future<Output = Result<Upserted, Self::Error>> + Send;
    fn featured_image(&self, article_id: i64, url: &str) -> impl Future<Output = Result<(), Self::Error>> + Send;
    /// Replaces text in an article's body (placeholders the stream could not fill yet).
    fn replace_in_body(&self, article_id: i64, replacements: &[(String, String)]) -> impl Future<Output = Result<(), Self::Error>> + Send;
    /// Replaces the category bar with these links, in order.
    fn nav_bar(&self, links: &[NavEntry], now: i64) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// A place in the category bar: a category (by local id), or a link of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    /// Shown instead of the category's name when not empty; a link's text.
    pub label: String,
    pub category_id: Option<i64>,
    pub url: Option<String>,
}

/// What an operator watches while an import runs.
pub trait Progress {
    /// How many steps the import will take (items or lines).
    fn start(&mut self, _total: u64) {}
    fn advance(&mut self, _steps: u64) {}
    /// A message for the operator (a bad line) printed above the progress display.
    fn warn(&mut self, _message: &str) {}
    fn finish(&mut self) {}
}

/// No progress display.
impl Progress for () {}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError<E: std::error::Error + 'static> {
    /// The file was refused or could not be read.
    #[error(transparent)]
    Read(#[from] crate::ImportError),
    /// A line of a JSON Lines file could not be read at all (an I/O error).
    #[error("{file}: {error}")]
    Line { file: String, error: crate::LineError },
    #[error("the uploads folder {0} does not exist")]
    NoUploads(String),
    #[error("--default-author {0}: no account has this email (add it with `nashir user add` first)")]
    NoDefaultAuthor(String),
    #[error("writing to the database")]
    Write(#[source] E),
}
