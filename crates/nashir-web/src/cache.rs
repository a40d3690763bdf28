//! The page cache: rendered public responses, as bytes under their path and query, kept in
//! memory until something they show changes (an outbox event, or a newsroom change on this
//! instance) or until the moment they stop being true by themselves (a breaking item starts
//! or expires, a scheduled article comes due). Every instance follows the outbox, so several
//! instances behind a load balancer converge without talking to each other.
//!
//! Each invalidation bumps a generation; a response rendered before an invalidation is
//! served once but never stored after it, so a change can never be hidden by a slow render.
//! What else is kept in memory between requests (`memo`) is tied to the same generation.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nashir_store::OutboxEvent;
use nashir_store::events::{Handled, Subscriber};
use tokio::sync::RwLock;


/// Set by a handler on a response that may be cached, with the time (unix micros) after
/// which it must be rendered again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CacheUntil(pub i64);

/// Longest a page is kept even when nothing is known to change.
pub(crate) const MAX_KEEP_MICROS: i64 = 300 * 1_000_000;
/// A bound on memory: past this many pages the cache starts over.
const MAX_ENTRIES: usize = 20_000;
/// Larger pages are served but not kept.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// One kept response.
#[derive(Debug)]
pub(crate) struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    valid_until: i64,
}

impl Entry {
    fn response(&self) -> Response {
        let mut r = Response::new(Body::from(self.body.clone()));
        *r.status_mut() = self.status;
        *r.headers_mut() = self.headers.clone();
        r
    }
}

/// The generation a render started in; storing with a stale ticket is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

pub struct PageCache {
    enabled: bool,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    /// Bumped on every invalidation.
    generation: AtomicU64,
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        Self { enabled, entries: RwLock::new(HashMap::new()), generation: AtomicU64::new(0) }
    }

    /// Forgets every page, and everything tied to the generation.
    pub(crate) async fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.write().await.clear();
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.generation())
    }

    /// A kept response still valid at `now`.
    pub(crate) async fn get(&self, key: &str, now: i64) -> Option<Arc<Entry>> {
        self.entries.read().await.get(key).filter(|e| e.valid_until > now).cloned()
    }

    /// Keeps a response rendered under `ticket`, unless an invalidation came in meanwhile.
    /// Returns whether it was kept.
    pub(crate) async fn put(&self, ticket: Ticket, key: String, entry: Arc<Entry>) -> bool {
        let mut entries = self.entries.write().await;
        // Checked under the write lock: `clear` bumps the generation before taking it, so
        // a put that sees the old generation here is cleared right after.
        if self.generation() != ticket.0 {
            return false;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, entry);
        true
    }
}

/// Middleware for the public site's GET and HEAD requests.
pub(crate) async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if !cache.enabled || !(request.method() == Method::GET || request.method() == Method::HEAD) {
        return next.run(request).await;
    }
    let key = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let now = nashir_store::now_micros();
    if let Some(entry) = cache.get(&key, now).await {
        return entry.response();
    }
    let ticket = cache.ticket();
    let response = next.run(request).await;
    let Some(CacheUntil(until)) = response.extensions().get::<CacheUntil>().copied() else {
        return response;
    };
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Arc::new(Entry {
        status: parts.status,
        headers: parts.headers,
        body,
        valid_until: until.min(now + MAX_KEEP_MICROS),
    });
    cache.put(ticket, key, entry.clone()).await;
    entry.response()
}

/// The page cache as an outbox subscriber: any event empties it, on every instance.
pub(crate) struct Invalidator(pub Arc<PageCache>);

impl Subscriber for Invalidator {
    fn name(&self) -> &'static str {
        "page-cache"
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            tracing::debug!(events = events.len(), "outbox: invalidating pages");
            self.0.clear().await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(valid_until: i64) -> Arc<Entry> {
        Arc::new(Entry { status: StatusCode::OK, headers: HeaderMap::new(), body: Bytes::from_static(b"x"), valid_until })
    }

    #[tokio::test]
    async fn a_page_rendered_before_an_invalidation_is_not_stored_after_it() {
        let cache = PageCache::new(true);
        let before = cache.ticket();
        // A change lands while the page is being rendered…
        cache.clear().await;
        // …so the render that started before it must not be kept.
        assert!(!cache.put(before, "/".into(), entry(i64::MAX)).await);
        assert!(cache.get("/", 0).await.is_none());
        // A render that started after the change is kept.
        let after = cache.ticket();
        assert!(cache.put(after, "/".into(), entry(i64::MAX)).await);
        assert!(cache.get("/", 0).await.is_some());
    }

    #[tokio::test]
    async fn pages_expire_at_their_moment_and_clear_forgets_them() {
        let cache = PageCache::new(true);
        cache.put(cache.ticket(), "/a".into(), entry(100)).await;
        assert!(cache.get("/a", 99).await.is_some());
        assert!(cache.get("/a", 100).await.is_none(), "a page stops being true at its moment");
        cache.put(cache.ticket(), "/b".into(), entry(i64::MAX)).await;
        let g = cache.generation();
        cache.clear().await;
        assert!(cache.get("/b", 0).await.is_none());
        assert_eq!(cache.generation(), g + 1);
    }

    #[tokio::test]
    async fn any_outbox_event_empties_the_cache() {
        let cache = Arc::new(PageCache::new(true));
        cache.put(cache.ticket(), "/".into(), entry(i64::MAX)).await;
        let event = OutboxEvent { id: 1, event: nashir_store::Event::PersonChanged { id: 1 }, created_at: 0 };
        Invalidator(cache.clone()).handle(std::slice::from_ref(&event)).await.expect("handled");
        assert!(cache.get("/", 0).await.is_none());
    }
}
