//! Nashir's persistence: one sqlx `Any` pool over SQLite (default) or PostgreSQL, the
//! embedded migrations of both, a module per aggregate, and the outbox of events.
//!
//! Every SQL text here runs unchanged on both backends (see the storage rules in
//! ARCHITECTURE.md); what cannot be one text (NOTIFY in `outbox`, LISTEN in `events`) asks the backend.

mod articles;
mod breaking;
mod comments;
/// The public content API's reads.
mod content;
/// `nashir migrate-db`: a whole site from SQLite into PostgreSQL, checked.
pub mod copy;
mod deliveries;
mod editorial;
/// The outbox dispatcher: one follower of the outbox handing events to subscribers.
pub mod events;
mod imports;
/// Admin API keys, idempotency keys and the audit log.
mod integrations;
mod mail;
mod media;
mod meta;
mod nav;
mod outbox;
mod readership;
mod people;
mod search_feed;
mod staff;
mod syndication;
mod taxonomy;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use articles::{ArticleWithByline, ListFilter, ListRequest, RelatedArticle};
pub use nashir_core::{NewArticle, NewComment};
pub use breaking::NewBreakingItem;
pub use content::{ArticleQuery, PublicAuthor};
pub use comments::{ANONYMOUS, CommentEdit, Erasure, ModerationFilter, ModerationRow, StatusCounts, text_key};
pub use deliveries::{Delivery, DeliveryRow, MAX_ATTEMPTS as DELIVERY_MAX_ATTEMPTS, NewDelivery};
pub use syndication::{SitemapArticle, SitemapList};
pub use media::{MAX_MEDIA_ATTEMPTS, Media, MediaText, NewMedia};
pub use mail::{MAX_ATTEMPTS as MAIL_MAX_ATTEMPTS, OutgoingMail, QueuedMail};
pub use editorial::{ArticleDraft, Autosave, EditableArticle, NewsroomFilter, NewsroomRow, Revision, StaleSave};
pub use staff::{Credentials, SessionInfo, StaffRow};
pub use integrations::{ApiKeyAuth, ApiKeyRow, AuditEntry, AuditFilter, AuditRow, KeptAnswer, Webhook};
pub use imports::{ImportTable, Page as StaticPage};
pub use nav::NavLink;
pub use readership::view_hour;
pub use outbox::{Event, OutboxEvent};
pub use people::NewPerson;
pub use search_feed::{IndexScope, IndexableArticle};
pub use taxonomy::{NewCategory, TagCount};

/// The migrations of each backend. A database migrated by a newer version (during a
/// rolling upgrade, or after rolling one back) has migrations this version does not know:
/// they are only ever additions (see `migrations/README.md`), so this version still starts.
static SQLITE_MIGRATIONS: std::sync::LazyLock<sqlx::migrate::Migrator> = std::sync::LazyLock::new(|| {
    let mut m = sqlx::migrate!("./migrations/sqlite");
    m.set_ignore_missing(true);
    m
});
static POSTGRES_MIGRATIONS: std::sync::LazyLock<sqlx::migrate::Migrator> = std::sync::LazyLock::new(|| {
    let mut m = sqlx::migrate!("./migrations/postgres");
    m.set_ignore_missing(true);
    m
});

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The cause is part of the message (and not a `source`), so an error chain prints it once.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error("unsupported database URL `{0}` (expected sqlite:… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// An operation refused as asked (a copy over a site with content, a value the target
    /// cannot hold), with the reason.
    #[error("{0}")]
    Refused(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

/// Which database the pool talks to; chosen from the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// Hides a password in a database URL before it reaches an error message or a log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The SQLite URL for the database file inside a data folder.
pub fn sqlite_url_for_dir(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("nashir.db").display())
}

/// The handle every other crate uses; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Kept for the PostgreSQL listener of the outbox (an `AnyPool` cannot LISTEN).
    url: std::sync::Arc<str>,
    /// Statements and transactions started through this handle (and its clones): what a
    /// page costs in round trips, read by tests and benchmarks.
    round_trips: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    /// Connects, applies SQLite's pragmas on every connection, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
        let pool_options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            });
        let pool_options = if backend == Backend::Sqlite {
            pool_options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the single writer; busy_timeout makes a
                    // second writer wait instead of failing at once.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    // No memory map: each connection would map the whole file, and a site
                    // whose every page is read counts the file four times in its memory
                    // (measured: 715 MB resident for a 100k-article site). A modest page
                    // cache per connection keeps the hot pages; the rest is the kernel's.
                    conn.execute("PRAGMA mmap_size = 0").await?;
                    conn.execute("PRAGMA cache_size = -4096").await?;
                    Ok(())
                })
            })
        } else {
            pool_options
        };
        let pool = pool_options.connect_with(options).await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Self { pool, backend, url: url.into(), round_trips: Default::default() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// How many statements and transactions this store has started so far.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The pool, for one statement (counted as one round trip).
    /// Whether every migration this version knows is applied (a newer version's additions
    /// may be there too: an older instance keeps serving beside a newer one).
    pub async fn migrations_current(&self) -> Result<bool> {
        let migrator: &sqlx::migrate::Migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let newest_known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let (newest_applied,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE").fetch_one(self.db()).await?;
        Ok(newest_applied.is_some_and(|v| v >= newest_known))
    }

    /// A consistent copy of a SQLite database at `path` (`VACUUM INTO`), taken while the
    /// site serves: one read transaction, every committed write before it and none after.
    pub async fn sqlite_snapshot(&self, path: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict("a SQLite snapshot of a PostgreSQL database"));
        }
        sqlx::query("VACUUM INTO $1").bind(path.to_string_lossy().into_owned()).execute(self.db()).await?;
        Ok(())
    }

    /// How many rows the main tables hold (a backup's manifest, a restore's check).
    pub async fn table_counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for table in ["articles", "article_revisions", "people", "categories", "tags", "comments", "media", "pages", "redirects", "import_keys"] {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let counted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(self.db()).await;
            if let Ok((n,)) = counted {
                out.push((table, n));
            }
        }
        Ok(out)
    }

    /// The database pool's connections: (open, idle).
    pub fn pool_use(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    fn db(&self) -> &AnyPool {
        self.round_trips.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        &self.pool
    }

    /// A transaction (counted as one round trip: writes are not what pages are made of).
    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// waiting for it under `busy_timeout`: a deferred transaction that read first and
    /// writes second fails at once (`SQLITE_BUSY`) when another connection wrote between
    /// the two, as the media workers and the view counter do at any moment.
    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        self.round_trips.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Whether `close` was called: background work stops quietly then.
    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The current time as the store keeps it: unix microseconds, UTC.
pub fn now_micros() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Turns a unique-index violation into a user-level conflict naming the field.
fn on_unique(field: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(field),
        _ => StoreError::Database(e),
    }
}

fn bool_int(b: bool) -> i64 {
    i64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_and_hide_passwords() {
        assert_eq!(Backend::from_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
