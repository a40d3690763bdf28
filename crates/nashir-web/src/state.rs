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
    /// Searches per minute and address; 0 turns the limit off.
    pub search_rate_limit: u32,
    /// Where imported media lives, served at /uploads/.
    pub uploads_dir: Option<std::path::PathBuf>,
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
    pub(crate) search_limit: Arc<RateLimiter>,
    /// Suggestions come with every keystroke: a budget five times the search one.
    pub(crate) suggest_limit: Arc<RateLimiter>,
    pub(crate) uploads_dir: Option<Arc<std::path::PathBuf>>,
}

impl AppState {
    pub fn new(store: Store, renderer: Renderer, site: SiteInfo, options: WebOptions) -> Self {
        AppState(Arc::new(Shared {
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
            search_limit: Arc::new(RateLimiter::new(options.search_rate_limit)),
            suggest_limit: Arc::new(RateLimiter::new(options.search_rate_limit.saturating_mul(SUGGESTIONS_PER_SEARCH))),
            uploads_dir: options.uploads_dir.map(Arc::new),
        }))
    }

    /// Cookies carry `Secure` when the site is served over https.
    pub(crate) fn secure_cookies(&self) -> bool {
        self.site.public_url.starts_with("https://")
    }

    /// The store's count of round trips (for tests of what a page costs).
    pub fn store(&self) -> &Store {
        &self.store
    }
}
