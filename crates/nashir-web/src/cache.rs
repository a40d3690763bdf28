//! The page cache: rendered public responses kept in memory under their path and query,
//! each compressed once (brotli and gzip, at levels chosen by measurement) and served as
//! stored bytes, until something they show changes (an outbox event, or a newsroom change on
//! this instance) or until the moment they stop being true by themselves (a breaking item
//! starts or expires, a scheduled article comes due). The cache is bounded in bytes and
//! forgets the least recently used pages first. Every instance follows the outbox, so
//! several instances behind a load balancer converge without talking to each other.
//!
//! Each invalidation bumps a generation; a response rendered before an invalidation is
//! served once but never stored after it, so a change can never be hidden by a slow render.
//! What else is kept in memory between requests (`memo`) is tied to the same generation.
//!
//! A hit is answered by `server` before the router runs (`PageCache::hit`); a miss renders,
//! and `layer` stores the result and answers with the variant the client accepts.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nashir_store::OutboxEvent;
use nashir_store::events::{Handled, Subscriber};

use crate::http::CacheUntil;

/// Longest a page is kept even when nothing is known to change.
pub(crate) const MAX_KEEP_MICROS: i64 = 300 * 1_000_000;
/// Larger pages are served but not kept.
const MAX_BODY: usize = 2 * 1024 * 1024;
/// The default budget of kept pages, all their variants counted.
pub const DEFAULT_BUDGET_BYTES: usize = 24 * 1024 * 1024;
/// Brotli quality and gzip level of stored pages: quality 5 is within a fifth of brotli's
/// best on a 10–40 KB page at a fortieth of the time; gzip gains little past 6 (measured,
/// see `bench/run`).
const BROTLI_QUALITY: u32 = 5;
const GZIP_LEVEL: u32 = 6;

/// A content coding a client accepts, in order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The best coding an `Accept-Encoding` header allows (a `q=0` refuses one).
    pub(crate) fn negotiate(headers: &HeaderMap) -> Coding {
        let Some(accept) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
            return Coding::Identity;
        };
        let mut br = false;
        let mut gzip = false;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") {
                br = true;
            } else if name.eq_ignore_ascii_case("gzip") || name == "*" {
                gzip = true;
            }
        }
        if br {
            Coding::Brotli
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }

}

/// One stored body in one coding.
#[derive(Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
    /// Every header of a full answer with this body, the security headers included, built
    /// once so an answer is one clone.
    headers: HeaderMap,
}

/// One kept response: the identity body, and each compressed coding made the first time a
/// client asks for it (once per page and coding, never per request).
#[derive(Debug)]
pub(crate) struct Entry {
    status: StatusCode,
    /// The headers every variant shares (type, caching, surrogate keys); no ETag, length
    /// or encoding.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The ETag of the identity body, without quotes.
    etag: String,
    identity: Variant,
    /// Brotli and gzip, each made on first demand.
    compressed: [OnceLock<Variant>; 2],
    valid_until: i64,
    /// Bytes held by the variants made so far.
    size: AtomicUsize,
    last_used: AtomicU64,
}

/// Bookkeeping a stored entry adds to its bodies.
const ENTRY_OVERHEAD: usize = 512;
/// What a header map costs beyond its names and values (its table and per-entry links).
const HEADER_MAP_OVERHEAD: usize = 512;
/// Per header in a map: the entry, its name and value handles.
const HEADER_OVERHEAD: usize = 64;

/// The memory a variant's prebuilt headers take, so the budget counts them (they are a
/// few kilobytes a page, the size of a small compressed body).
fn headers_size(headers: &HeaderMap) -> usize {
    HEADER_MAP_OVERHEAD + headers.iter().map(|(k, v)| k.as_str().len() + v.len() + HEADER_OVERHEAD).sum::<usize>()
}

impl Entry {
    fn build(parts: &axum::http::response::Parts, body: Bytes, valid_until: i64) -> Entry {
        let etag = parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).unwrap_or("\"\"").trim_matches('"').to_owned();
        let skip = [header::ETAG, header::CONTENT_LENGTH, header::CONTENT_ENCODING, header::TRANSFER_ENCODING];
        let headers: Vec<(HeaderName, HeaderValue)> =
            parts.headers.iter().filter(|(k, _)| !skip.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let identity = Variant::new(&headers, body, tagged(&etag, ""), None);
        let kept_headers: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len() + HEADER_OVERHEAD).sum();
        let size = AtomicUsize::new(identity.body.len() + headers_size(&identity.headers) + kept_headers + ENTRY_OVERHEAD);
        Entry { status: parts.status, headers, etag, identity, compressed: Default::default(), valid_until, size, last_used: AtomicU64::new(0) }
    }

    /// The variant for a coding, compressing it the first time it is asked for.
    fn variant(&self, coding: Coding) -> &Variant {
        let (slot, suffix, encoding) = match coding {
            Coding::Identity => return &self.identity,
            Coding::Brotli => (&self.compressed[0], "-br", "br"),
            Coding::Gzip => (&self.compressed[1], "-gz", "gzip"),
        };
        slot.get_or_init(|| {
            let body = match coding {
                Coding::Brotli => compress_brotli(&self.identity.body, BROTLI_QUALITY),
                _ => compress_gzip(&self.identity.body, GZIP_LEVEL),
            };
            let variant = Variant::new(&self.headers, body, tagged(&self.etag, suffix), Some(encoding));
            self.size.fetch_add(variant.body.len() + headers_size(&variant.headers), Ordering::Relaxed);
            variant
        })
    }

    fn size(&self) -> usize {
        self.size.load(Ordering::Relaxed)
    }

    /// The response for a request: the accepted coding, or 304 when its ETag matches.
    pub(crate) fn respond(&self, request: &HeaderMap) -> Response {
        let variant = self.variant(Coding::negotiate(request));
        let not_modified = self.status == StatusCode::OK
            && request.get(header::IF_NONE_MATCH).is_some_and(|v| crate::http::names(v, variant.etag.to_str().unwrap_or("")));
        if not_modified {
            return crate::http::not_modified(&variant.headers);
        }
        let mut r = Response::new(Body::from(variant.body.clone()));
        *r.status_mut() = self.status;
        *r.headers_mut() = variant.headers.clone();
        r
    }
}

impl Variant {
    fn new(shared: &[(HeaderName, HeaderValue)], body: Bytes, etag: HeaderValue, encoding: Option<&'static str>) -> Variant {
        let mut headers = HeaderMap::with_capacity(shared.len() + 10);
        for (k, v) in shared {
            headers.insert(k.clone(), v.clone());
        }
        headers.insert(header::ETAG, etag.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        crate::http::add_security_headers(&mut headers);
        Variant { body, etag, headers }
    }
}

fn tagged(etag: &str, suffix: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{etag}{suffix}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

fn compress_brotli(body: &[u8], quality: u32) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        // Writing to a Vec cannot fail.
        let _ = w.write_all(body);
    }
    Bytes::from(out)
}

fn compress_gzip(body: &[u8], level: u32) -> Bytes {
    let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::new(level));
    let _ = e.write_all(body);
    Bytes::from(e.finish().unwrap_or_default())
}

/// The generation a render started in; storing with a stale ticket is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

pub struct PageCache {
    enabled: bool,
    budget: usize,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    /// Bytes held by the kept entries.
    held: AtomicUsize,
    /// Bumped on every invalidation.
    generation: AtomicU64,
    /// Counts uses, for least-recently-used eviction.
    clock: AtomicU64,
    /// Answers from memory, and cacheable requests rendered (for `/metrics`).
    pub(crate) hits: prometheus_client::metrics::counter::Counter,
    pub(crate) misses: prometheus_client::metrics::counter::Counter,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages (all variants counted).
    pub fn new(enabled: bool, budget: usize) -> Self {
        Self {
            enabled,
            budget,
            entries: RwLock::new(HashMap::new()),
            held: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
            clock: AtomicU64::new(0),
            hits: Default::default(),
            misses: Default::default(),
        }
    }

    /// Forgets every page, and everything tied to the generation.
    pub(crate) async fn clear(&self) {
        self.forget_all();
    }

    /// [`PageCache::clear`] from a thread outside the runtime (the search index's).
    pub(crate) fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        entries.clear();
        self.held.store(0, Ordering::SeqCst);
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.generation())
    }

    /// Bytes held now.
    pub(crate) fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// A kept response still valid at `now`.
    pub(crate) fn get(&self, key: &str, now: i64) -> Option<Arc<Entry>> {
        let entry = self.entries.read().unwrap_or_else(PoisonError::into_inner).get(key).filter(|e| e.valid_until > now).cloned()?;
        entry.last_used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry)
    }

    /// The fast path: a GET or HEAD for a kept page, answered from memory (or None).
    pub(crate) fn hit(&self, method: &Method, path_and_query: &str, headers: &HeaderMap) -> Option<Response> {
        if !self.enabled || !(method == Method::GET || method == Method::HEAD) {
            return None;
        }
        let entry = self.get(path_and_query, nashir_store::now_micros())?;
        self.hits.inc();
        Some(entry.respond(headers))
    }

    /// Keeps a response rendered under `ticket`, unless an invalidation came in meanwhile,
    /// then forgets the least recently used pages while over budget. Returns whether it
    /// was kept.
    pub(crate) fn put(&self, ticket: Ticket, key: String, entry: Arc<Entry>) -> bool {
        if entry.size() > self.budget {
            return false;
        }
        entry.last_used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        // Checked under the write lock: `clear` bumps the generation before taking it, so
        // a put that sees the old generation here is cleared right after.
        if self.generation() != ticket.0 {
            return false;
        }
        let added = entry.size();
        if let Some(old) = entries.insert(key, entry) {
            self.held.fetch_sub(old.size(), Ordering::SeqCst);
        }
        let held = self.held.fetch_add(added, Ordering::SeqCst) + added;
        if held > self.budget {
            // Down to nine tenths at once, so eviction (a sort) is not paid on every put.
            let target = self.budget / 10 * 9;
            let mut by_age: Vec<(u64, String, usize)> =
                entries.iter().map(|(k, e)| (e.last_used.load(Ordering::Relaxed), k.clone(), e.size())).collect();
            by_age.sort_unstable_by_key(|(used, _, _)| *used);
            let mut held = held;
            for (_, key, size) in by_age {
                if held <= target {
                    break;
                }
                entries.remove(&key);
                held -= size;
            }
            self.held.store(held, Ordering::SeqCst);
        }
        true
    }
}

/// Middleware for the public site's GET and HEAD requests that the fast path did not
/// answer: renders, stores what may be kept, and answers with the accepted variant.
pub(crate) async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if !cache.enabled || !(request.method() == Method::GET || request.method() == Method::HEAD) {
        return next.run(request).await;
    }
    let key = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let now = nashir_store::now_micros();
    if let Some(entry) = cache.get(&key, now) {
        cache.hits.inc();
        return entry.respond(request.headers());
    }
    cache.misses.inc();
    let request_headers = request.headers().clone();
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
    let entry = Arc::new(Entry::build(&parts, body, until.min(now + MAX_KEEP_MICROS)));
    // Answering compresses the coding this client accepts; it is kept with the page.
    let response = entry.respond(&request_headers);
    cache.put(ticket, key, entry);
    response
}

/// The page cache as an outbox subscriber: any event empties it, on every instance.
pub(crate) struct Invalidator(pub Arc<PageCache>);

impl Subscriber for Invalidator {
    fn name(&self) -> &'static str {
        "page-cache"
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            // A held comment changes nothing readers see; a flood of them must not empty the cache.
            if !events.iter().any(|e| e.event.changes_public_pages()) {
                return Ok(());
            }
            tracing::debug!(events = events.len(), "outbox: invalidating pages");
            self.0.clear().await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(valid_until: i64, body: &'static [u8]) -> Arc<Entry> {
        let (mut parts, _) = Response::new(()).into_parts();
        parts.headers.insert(header::ETAG, HeaderValue::from_static("\"abc\""));
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        Arc::new(Entry::build(&parts, Bytes::from_static(body), valid_until))
    }

    fn accepting(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[tokio::test]
    async fn a_page_rendered_before_an_invalidation_is_not_stored_after_it() {
        let cache = PageCache::new(true, DEFAULT_BUDGET_BYTES);
        let before = cache.ticket();
        // A change lands while the page is being rendered…
        cache.clear().await;
        // …so the render that started before it must not be kept.
        assert!(!cache.put(before, "/".into(), entry(i64::MAX, b"x")));
        assert!(cache.get("/", 0).is_none());
        // A render that started after the change is kept.
        let after = cache.ticket();
        assert!(cache.put(after, "/".into(), entry(i64::MAX, b"x")));
        assert!(cache.get("/", 0).is_some());
    }

    #[tokio::test]
    async fn pages_expire_at_their_moment_and_clear_forgets_them() {
        let cache = PageCache::new(true, DEFAULT_BUDGET_BYTES);
        cache.put(cache.ticket(), "/a".into(), entry(100, b"x"));
        assert!(cache.get("/a", 99).is_some());
        assert!(cache.get("/a", 100).is_none(), "a page stops being true at its moment");
        cache.put(cache.ticket(), "/b".into(), entry(i64::MAX, b"x"));
        let g = cache.generation();
        cache.clear().await;
        assert!(cache.get("/b", 0).is_none());
        assert_eq!((cache.generation(), cache.held()), (g + 1, 0));
    }

    #[tokio::test]
    async fn the_budget_forgets_the_least_recently_used_pages() {
        let one = entry(i64::MAX, &[b'a'; 1000]).size();
        let cache = PageCache::new(true, one * 3);
        for key in ["/1", "/2", "/3"] {
            assert!(cache.put(cache.ticket(), key.into(), entry(i64::MAX, &[b'a'; 1000])));
        }
        // /1 is used again, so /2 is now the least recently used.
        assert!(cache.get("/1", 0).is_some());
        cache.put(cache.ticket(), "/4".into(), entry(i64::MAX, &[b'a'; 1000]));
        assert!(cache.held() <= one * 3);
        assert!(cache.get("/2", 0).is_none(), "the least recently used went first");
        assert!(cache.get("/1", 0).is_some() && cache.get("/4", 0).is_some());
        // A page bigger than the whole budget is served but never kept.
        let small = PageCache::new(true, 10);
        assert!(!small.put(small.ticket(), "/big".into(), entry(i64::MAX, b"more than ten bytes")));
    }

    #[test]
    fn each_coding_is_stored_once_and_chosen_by_accept_encoding() {
        let e = entry(i64::MAX, "<p>صفحة طويلة بما يكفي لتُضغط صفحة طويلة بما يكفي لتُضغط</p>".as_bytes());
        let br = e.respond(&accepting("gzip, deflate, br"));
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::ETAG], "\"abc-br\"");
        assert_eq!(br.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(e.respond(&accepting("gzip")).headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(e.respond(&accepting("br;q=0, gzip")).headers()[header::CONTENT_ENCODING], "gzip");
        let plain = e.respond(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::ETAG], "\"abc\"");
        // The stored brotli bytes decompress to the page.
        let mut decoded = Vec::new();
        let stored = &e.variant(Coding::Brotli).body;
        brotli::BrotliDecompress(&mut &stored[..], &mut decoded).expect("brotli");
        assert_eq!(decoded, e.identity.body.to_vec());
        assert!(e.size() > e.identity.body.len() + stored.len(), "made codings count in the size");
        // A matching validator is a 304 without a body or an encoding.
        let mut conditional = accepting("br");
        conditional.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abc-br\""));
        let r = e.respond(&conditional);
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.headers().get(header::CONTENT_ENCODING).is_none() && r.headers().get(header::CONTENT_TYPE).is_none());
    }

    #[tokio::test]
    async fn any_outbox_event_empties_the_cache() {
        let cache = Arc::new(PageCache::new(true, DEFAULT_BUDGET_BYTES));
        cache.put(cache.ticket(), "/".into(), entry(i64::MAX, b"x"));
        let event = OutboxEvent { id: 1, event: nashir_store::Event::PersonChanged { id: 1 }, created_at: 0 };
        Invalidator(cache.clone()).handle(std::slice::from_ref(&event)).await.expect("handled");
        assert!(cache.get("/", 0).is_none());
    }
}
