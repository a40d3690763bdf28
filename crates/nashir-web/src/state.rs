//! What every handler shares: the store, the theme renderer, the site's settings, the page
//! cache and what is kept in memory beside it, the search index and rate limits.

use std::net::IpAddr;
use std::sync::Arc;

use nashir_core::ArticleSummary;
use nashir_render::{Renderer, SiteInfo};
use nashir_store::Store;

use crate::cache::{MAX_KEEP_MICROS, PageCache};
use crate::memo::{Memo, MemoMap};
use crate::ratelimit::RateLimiter;
use crate::views::ChromeData;

/// Web settings beyond the site's identity.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    pub page_cache: bool,
    /// The page cache's budget in bytes (all stored codings counted); 0 means the default.
    pub page_cache_bytes: usize,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The search index; None serves a friendly "search unavailable".
    pub search: Option<Arc<nashir_search::SearchIndex>>,
    /// The newsroom's index: every article, drafts and scheduled ones included. Only staff
    /// pages query it.
    pub staff_search: Option<Arc<nashir_search::SearchIndex>>,
    /// Searches per minute and address; 0 turns the limit off.
    pub search_rate_limit: u32,
    /// Content API requests per minute and address (those the page cache answers are not
    /// counted); 0 turns the limit off.
    pub api_rate_limit: u32,
    /// Webhooks may target loopback and private addresses (tests, a receiver beside Nashir).
    pub webhooks_allow_private: bool,
    /// Search result pages with results, on page 1 and without filters, may be indexed.
    pub index_search: bool,
    /// `/metrics` on the site's address answers a request with this bearer token.
    pub metrics_token: Option<String>,
    /// Where imported media lives, served at /uploads/.
    pub uploads_dir: Option<std::path::PathBuf>,
    /// Reader comments: limits, spam rules, retention, notifications.
    pub comments: CommentOptions,
    /// Feeds, pings and structured data.
    pub syndication: SyndicationOptions,
    /// The media library's files, limits and workers.
    pub media: crate::media::MediaOptions,
    /// This instance's name among those sharing the database (its data folder's
    /// `instance-id`): where it is in the outbox is recorded under it.
    pub instance: String,
    /// Outbox events are kept this long for an instance that is stopped (zero: a week).
    pub outbox_retention: std::time::Duration,
    /// A CDN to purge by surrogate key on every change.
    pub cdn_purge: Option<crate::cdn::CdnPurge>,
}

/// Feeds, the pings sent when they change, and what structured data says of the publisher.
#[derive(Debug, Clone)]
pub struct SyndicationOptions {
    /// Articles per feed.
    pub feed_items: u32,
    /// Whole articles in feeds (else the excerpt with a link).
    pub feed_full_text: bool,
    /// A WebSub hub: named in every feed and pinged when they change.
    pub websub_hub: Option<String>,
    /// An IndexNow key: served at `/{key}.txt` and sent with changed URLs.
    pub indexnow_key: Option<String>,
    /// Where IndexNow pings go.
    pub indexnow_endpoint: String,
    /// The publisher's logo (absolute, or a path on this site); the theme's icon without it.
    pub publisher_logo: Option<String>,
}

/// The shared IndexNow endpoint, which passes pings on to every engine that takes part.
pub const INDEXNOW_ENDPOINT: &str = "https://api.indexnow.org/indexnow";

impl Default for SyndicationOptions {
    fn default() -> Self {
        SyndicationOptions {
            feed_items: 30,
            feed_full_text: true,
            websub_hub: None,
            indexnow_key: None,
            indexnow_endpoint: INDEXNOW_ENDPOINT.to_owned(),
            publisher_logo: None,
        }
    }
}

impl SyndicationOptions {
    /// Checks what settings cannot be used, in words for the command line.
    pub fn check(&self) -> Result<(), String> {
        if self.feed_items == 0 || self.feed_items > 500 {
            return Err("feed items must be between 1 and 500".into());
        }
        for (name, url) in [("WebSub hub", self.websub_hub.as_deref()), ("IndexNow endpoint", Some(self.indexnow_endpoint.as_str()))] {
            if let Some(url) = url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                return Err(format!("the {name} must be an http(s) URL, not {url:?}"));
            }
        }
        if let Some(key) = &self.indexnow_key
            && !(8..=128).contains(&key.len())
        {
            return Err("an IndexNow key has 8 to 128 characters".into());
        }
        if let Some(key) = &self.indexnow_key
            && !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("an IndexNow key holds only letters a-z, A-Z, digits and '-'".into());
        }
        Ok(())
    }
}

/// How reader comments are taken and kept.
#[derive(Debug, Clone)]
pub struct CommentOptions {
    /// Field limits, links allowed, the blocklist.
    pub rules: nashir_core::comments::CommentRules,
    /// Comments close this many days after publication; 0 keeps them open.
    pub close_after_days: u32,
    /// Comments one address may post per window; 0 turns the limit off.
    pub rate_limit: u32,
    pub rate_window_secs: u64,
    /// The least time between showing the form and submitting it.
    pub min_seconds: u64,
    /// Days the writer's network address is kept for moderation.
    pub address_retention_days: u32,
    /// Email moderators about each held comment (needs `mail`).
    pub notify_moderators: bool,
    /// The SMTP server mail goes through; None sends no mail.
    pub mail: Option<MailOptions>,
}

impl Default for CommentOptions {
    fn default() -> Self {
        CommentOptions {
            rules: nashir_core::comments::CommentRules::default(),
            close_after_days: 0,
            rate_limit: 5,
            rate_window_secs: 600,
            min_seconds: 3,
            address_retention_days: 30,
            notify_moderators: true,
            mail: None,
        }
    }
}

/// Where mail goes out.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// `smtp://host:port`, `smtps://user:password@host` (TLS), or `smtp://…?tls=required`
    /// (STARTTLS), as lettre reads it.
    pub smtp_url: String,
    /// The sender, e.g. `ناشر <newsroom@news.example>`.
    pub from: String,
}

/// Suggestion requests allowed per search request in an address's budget.
const SUGGESTIONS_PER_SEARCH: u32 = 5;
/// A bound on memory: past this many cards (about 1 KB each) the card memo starts over.
const MAX_CARDS: usize = 5_000;

/// Cheap to clone (one reference count): every extractor and middleware takes a copy.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `AppState` points at.
pub struct Shared {
    pub(crate) store: Store,
    pub(crate) renderer: Arc<Renderer>,
    pub(crate) site: Arc<SiteInfo>,
    pub(crate) cache: Arc<PageCache>,
    /// The category tree and ticker every public page shows.
    pub(crate) chrome: Arc<Memo<ChromeData>>,
    /// Cards of published articles (search results, suggestions) by id.
    pub(crate) cards: Arc<MemoMap<ArticleSummary>>,
    pub(crate) trusted_proxies: Arc<Vec<IpAddr>>,
    pub(crate) search: Option<Arc<nashir_search::SearchIndex>>,
    pub(crate) staff_search: Option<Arc<nashir_search::SearchIndex>>,
    pub(crate) search_limit: Arc<RateLimiter>,
    /// Suggestions come with every keystroke: a budget five times the search one.
    pub(crate) suggest_limit: Arc<RateLimiter>,
    /// The content API's budget per address.
    pub(crate) api_limit: Arc<RateLimiter>,
    /// Webhooks may target loopback and private addresses.
    pub(crate) webhooks_allow_private: bool,
    /// Search result pages with results, on page 1 and without filters, may be indexed.
    pub(crate) index_search: bool,
    /// Requests, cache, search, outbox and job metrics.
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
    pub(crate) metrics_token: Option<String>,
    /// The outbox dispatcher's positions, once started (outbox lag).
    pub(crate) outbox: Arc<crate::metrics::OutboxPositions>,
    pub(crate) uploads_dir: Option<Arc<std::path::PathBuf>>,
    pub(crate) comments: CommentOptions,
    pub(crate) syndication: SyndicationOptions,
    pub(crate) media: crate::media::MediaOptions,
    pub(crate) media_store: crate::media::MediaStore,
    /// Wakes the media workers when a photo is uploaded.
    pub(crate) media_waiting: Arc<tokio::sync::Notify>,
    /// Views counted since the last flush, and the last "most read".
    pub(crate) readership: Arc<crate::readership::Readership>,
    /// Related stories found by the search index, per article.
    pub(crate) related: Arc<crate::related::RelatedCache>,
    /// Wakes the sender of pings when new ones are queued.
    pub(crate) deliveries_waiting: Arc<tokio::sync::Notify>,
    /// Comment attempts per address on this instance (stored comments are also counted
    /// across instances in the database).
    pub(crate) comment_limit: Arc<RateLimiter>,
    /// The site's signing secret, read from the database once.
    secret: tokio::sync::OnceCell<String>,
    pub(crate) instance: String,
    /// Feed items' bodies with absolute URLs, made once per body.
    pub(crate) feed_bodies: Arc<crate::memo::TextMemo>,
    pub(crate) outbox_retention: std::time::Duration,
    pub(crate) cdn_purge: Option<crate::cdn::CdnPurge>,
}

impl AppState {
    pub fn new(store: Store, renderer: Renderer, site: SiteInfo, options: WebOptions) -> Self {
        let state = AppState(Arc::new(Shared {
            store,
            renderer: Arc::new(renderer),
            site: Arc::new(site),
            cache: Arc::new(PageCache::new(
                options.page_cache,
                if options.page_cache_bytes == 0 { crate::cache::DEFAULT_BUDGET_BYTES } else { options.page_cache_bytes },
            )),
            chrome: Arc::default(),
            cards: Arc::new(MemoMap::new(MAX_CARDS, MAX_KEEP_MICROS)),
            trusted_proxies: Arc::new(options.trusted_proxies),
            search: options.search,
            staff_search: options.staff_search,
            search_limit: Arc::new(RateLimiter::new(options.search_rate_limit)),
            api_limit: Arc::new(RateLimiter::new(options.api_rate_limit)),
            webhooks_allow_private: options.webhooks_allow_private,
            index_search: options.index_search,
            metrics: Arc::default(),
            metrics_token: options.metrics_token.clone().filter(|t| !t.is_empty()),
            outbox: Arc::default(),
            suggest_limit: Arc::new(RateLimiter::new(options.search_rate_limit.saturating_mul(SUGGESTIONS_PER_SEARCH))),
            uploads_dir: options.uploads_dir.map(Arc::new),
            comment_limit: Arc::new(RateLimiter::with_window(
                // Attempts (a mistyped field, a retry) count here; twice the stored budget.
                options.comments.rate_limit.saturating_mul(2),
                i64::try_from(options.comments.rate_window_secs).unwrap_or(i64::MAX / 2_000_000).saturating_mul(1_000_000),
            )),
            comments: options.comments,
            syndication: options.syndication,
            deliveries_waiting: Arc::default(),
            media_store: crate::media::MediaStore::open(&options.media).unwrap_or_else(|e| {
                // The binary creates the folder first; this is a last resort, and loud.
                tracing::error!(error = %e, "the media folder cannot be opened: uploads are kept in memory only");
                crate::media::MediaStore::open(&crate::media::MediaOptions::default()).expect("an in-memory store opens")
            }),
            media: options.media,
            media_waiting: Arc::default(),
            readership: Arc::default(),
            related: Arc::default(),
            secret: tokio::sync::OnceCell::new(),
            instance: if options.instance.is_empty() { format!("process-{}", std::process::id()) } else { options.instance },
            feed_bodies: Arc::default(),
            outbox_retention: if options.outbox_retention.is_zero() { std::time::Duration::from_secs(7 * 86_400) } else { options.outbox_retention },
            cdn_purge: options.cdn_purge,
        }));
        state.metrics.adopt_cache(&state.cache);
        state
    }

    /// Cookies carry `Secure` when the site is served over https.
    pub(crate) fn secure_cookies(&self) -> bool {
        self.site.public_url.starts_with("https://")
    }

    /// The site's signing secret (made on first use and shared by every instance through
    /// the database), read once per process.
    pub(crate) async fn secret(&self) -> Result<&str, nashir_store::StoreError> {
        self.secret.get_or_try_init(|| crate::signing::site_secret(&self.store)).await.map(String::as_str)
    }

    /// The store's count of round trips (for tests of what a page costs).
    pub fn store(&self) -> &Store {
        &self.store
    }
}
