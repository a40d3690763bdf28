//! The page cache: rendered public pages kept in memory until the outbox says something
//! they show has changed, or until the moment they stop being true by themselves (a
//! breaking item starts or expires, a scheduled article comes due).
//!
//! Every instance tails the outbox (the database is the truth), so several instances
//! behind a load balancer converge without talking to each other.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::RwLock;

use nashir_core::ArticleSummary;

use crate::site::ChromeData;
use crate::state::AppState;

/// Set by a handler on a response that may be cached, with the time (unix micros) after
/// which it must be rendered again.
#[derive(Clone, Copy)]
pub(crate) struct CacheUntil(pub i64);

/// Longest a page is kept even when nothing is known to change.
pub(crate) const MAX_KEEP_MICROS: i64 = 300 * 1_000_000;
/// A bound on memory: past this many pages the cache starts over.
const MAX_ENTRIES: usize = 20_000;
/// Larger pages are served but not kept.
const MAX_BODY: usize = 2 * 1024 * 1024;

struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    etag: Option<String>,
    valid_until: i64,
}

pub struct PageCache {
    enabled: bool,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    /// Bumped on every invalidation, so a page rendered before it is not stored after it.
    generation: AtomicU64,
    /// The chrome every public page shows, with the generation it was read in. Kept even
    /// when pages are not: it is invalidated the same way.
    chrome: std::sync::Mutex<Option<(u64, Arc<ChromeData>)>>,
    /// Cards of published articles (search results), by id, with the generation they were
    /// read in; emptied with the pages.
    cards: std::sync::Mutex<(u64, Cards)>,
}

/// Kept cards by article id, each with when it was read (unix micros).
type Cards = HashMap<i64, (i64, ArticleSummary)>;

/// A bound on memory: past this many cards the card cache starts over.
const MAX_CARDS: usize = 50_000;

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            entries: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
            chrome: std::sync::Mutex::new(None),
            cards: std::sync::Mutex::new((0, HashMap::new())),
        }
    }

    pub(crate) async fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        lock(&self.chrome).take();
        lock(&self.cards).1.clear();
        self.entries.write().await.clear();
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The kept chrome, if nothing has changed since it was read and it is still true at `now`.
    pub(crate) fn chrome(&self, now: i64) -> Option<Arc<ChromeData>> {
        let slot = lock(&self.chrome);
        let (generation, data) = slot.as_ref()?;
        (*generation == self.generation() && data.fresh_at(now)).then(|| data.clone())
    }

    /// Keeps chrome read in `generation`, unless a change came in while it was being read.
    pub(crate) fn keep_chrome(&self, generation: u64, data: Arc<ChromeData>) {
        let mut slot = lock(&self.chrome);
        if self.generation() == generation {
            *slot = Some((generation, data));
        }
    }

    /// The kept cards of `ids` (None where not kept, or kept longer than a page would be),
    /// in order.
    pub(crate) fn cards(&self, ids: &[i64], now: i64) -> Vec<Option<ArticleSummary>> {
        let cards = lock(&self.cards);
        let current = cards.0 == self.generation();
        ids.iter()
            .map(|id| {
                let (read_at, card) = cards.1.get(id).filter(|_| current)?;
                (now - read_at < MAX_KEEP_MICROS).then(|| card.clone())
            })
            .collect()
    }

    /// Keeps cards read at `now` in `generation`, unless a change came in while they were
    /// being read.
    pub(crate) fn keep_cards(&self, generation: u64, read: &[ArticleSummary], now: i64) {
        let mut cards = lock(&self.cards);
        if self.generation() != generation {
            return;
        }
        if cards.0 != generation || cards.1.len() + read.len() > MAX_CARDS {
            *cards = (generation, HashMap::new());
        }
        for card in read {
            cards.1.insert(card.id, (now, card.clone()));
        }
    }
}

fn etag_matches(request: &HeaderMap, etag: Option<&str>) -> bool {
    let Some(etag) = etag else { return false };
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn respond(entry: &Entry, request_headers: &HeaderMap) -> Response {
    if entry.status == StatusCode::OK && etag_matches(request_headers, entry.etag.as_deref()) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = entry.headers.get(&name) {
                r.headers_mut().insert(name, v.clone());
            }
        }
        return r;
    }
    let mut r = Response::new(Body::from(entry.body.clone()));
    *r.status_mut() = entry.status;
    *r.headers_mut() = entry.headers.clone();
    r
}

/// Middleware for the public site's GET and HEAD requests.
pub(crate) async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.cache;
    if !cache.enabled || !(request.method() == Method::GET || request.method() == Method::HEAD) {
        return next.run(request).await;
    }
    let key = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let now = nashir_store::now_micros();
    if let Some(entry) = cache.entries.read().await.get(&key).cloned()
        && entry.valid_until > now
    {
        return respond(&entry, request.headers());
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let request_headers = request.headers().clone();
    // The handler renders the full page; validators are applied here, for hits and misses alike.
    let mut request = request;
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    let Some(CacheUntil(until)) = response.extensions().get::<CacheUntil>().copied() else {
        return response;
    };
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Arc::new(Entry {
        status: parts.status,
        etag: parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned),
        headers: parts.headers,
        body: bytes,
        valid_until: until.min(now + MAX_KEEP_MICROS),
    });
    if cache.generation.load(Ordering::SeqCst) == generation {
        let mut entries = cache.entries.write().await;
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, entry.clone());
    }
    respond(&entry, &request_headers)
}

/// After a newsroom change succeeds this instance forgets its pages at once, so the person
/// who made it sees it on the next request; other instances follow the outbox.
pub(crate) async fn clear_after_change(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // Autosaves, logins and password changes change nothing readers see.
    let private = path.ends_with("/autosave")
        || path.ends_with("/discard")
        || ["/newsroom/login", "/newsroom/logout", "/newsroom/password", "/newsroom/setup"].contains(&path);
    let is_change = request.method() == Method::POST && !private;
    let response = next.run(request).await;
    if is_change && (response.status().is_redirection() || response.status() == StatusCode::NO_CONTENT) {
        state.cache.clear().await;
    }
    response
}

/// Follows the outbox from its current head and empties the cache after any event.
/// Runs until the process ends; a failed poll is logged and retried.
pub async fn follow_outbox(state: AppState) {
    let mut cursor = match state.store.outbox_head().await {
        Ok(head) => head,
        Err(e) => {
            tracing::error!(error = %e, "outbox: cannot read the head; starting from the beginning");
            0
        }
    };
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match state.store.outbox_after(cursor, 1000).await {
            Ok(events) => {
                if let Some(last) = events.last() {
                    cursor = last.id;
                    tracing::debug!(events = events.len(), cursor, "outbox: invalidating pages");
                    state.cache.clear().await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "outbox: poll failed"),
        }
    }
}
