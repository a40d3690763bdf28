//! HTTP concerns of the read path, each in one place: pages with their caching headers (a
//! strong ETag over the body, `Cache-Control` bounded by when the page stops being true,
//! `Surrogate-Key` for CDN purges), the conditional-request layer that answers 304 for every
//! route, and redirects with percent-encoded `Location`s.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// Set by a handler on a response that may be kept (by the page cache), with the time (unix
/// micros) after which it must be rendered again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CacheUntil(pub i64);

/// How long a shared cache (a CDN, nginx) may keep a page when nothing is scheduled to
/// change sooner, by default: with purges by surrogate key a change reaches readers at once;
/// without them, within this window.
pub const DEFAULT_SHARED_MAX_AGE_SECS: i64 = 60;

/// The process's setting (`--shared-max-age`), set once at start-up.
static SHARED_MAX_AGE_SECS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(DEFAULT_SHARED_MAX_AGE_SECS);

/// Sets how long shared caches may keep pages (at least one second).
pub fn set_shared_max_age(secs: i64) {
    SHARED_MAX_AGE_SECS.store(secs.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// A rendered public page and what its caching headers depend on.
pub(crate) struct PageResponse {
    pub status: StatusCode,
    pub html: String,
    /// Seconds until the page may change by itself (a breaking item starts or expires).
    pub fresh_for_secs: Option<i64>,
    pub surrogate_keys: Vec<String>,
    /// `text/html; charset=utf-8` for pages; feeds and sitemaps say what they are.
    pub content_type: &'static str,
}

/// The media type of HTML pages.
pub(crate) const HTML: &str = "text/html; charset=utf-8";

/// A strong validator over a body.
pub(crate) fn etag(body: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

impl PageResponse {
    pub(crate) fn into_response(self) -> Response {
        let etag = etag(self.html.as_bytes());
        let shared = SHARED_MAX_AGE_SECS.load(std::sync::atomic::Ordering::Relaxed);
        let max_age = self.fresh_for_secs.map_or(shared, |s| s.clamp(0, shared));
        let cache_control = if self.status.is_success() {
            format!("public, max-age=0, s-maxage={max_age}, stale-while-revalidate={}", max_age.min(30))
        } else {
            "no-store".to_owned()
        };
        let mut response = (self.status, [(header::CONTENT_TYPE, self.content_type)], self.html).into_response();
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&cache_control) {
            headers.insert(header::CACHE_CONTROL, v);
        }
        // Every answer also carries `site`, which a change to what every page shows purges.
        let mut keys = self.surrogate_keys;
        if !keys.iter().any(|k| k == "site") {
            keys.push("site".into());
        }
        if let Ok(v) = HeaderValue::from_str(&keys.join(" ")) {
            headers.insert("surrogate-key", v);
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if self.status == StatusCode::OK {
            let now = nashir_store::now_micros();
            response.extensions_mut().insert(CacheUntil(now + max_age * 1_000_000));
        }
        response
    }
}

/// Headers every response carries, the kept pages of the fast path included.
pub(crate) const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("permissions-policy", "interest-cohort=()"),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
];

/// Adds the security headers a response does not set itself.
pub(crate) fn add_security_headers(headers: &mut HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// Whether an `If-None-Match` value names `etag` (or is `*`).
pub(crate) fn names(if_none_match: &HeaderValue, etag: &str) -> bool {
    if_none_match.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// Headers a 304 keeps from the full response (RFC 9110 §15.4.5).
const KEPT_ON_304: [header::HeaderName; 4] = [header::ETAG, header::CACHE_CONTROL, header::VARY, header::EXPIRES];

/// Answers a conditional GET or HEAD with 304 when the response's ETag matches; the one
/// place validators are checked, for pages (cached or not), static files and JSON alike.
pub(crate) async fn conditional(request: Request, next: Next) -> Response {
    let wanted = (request.method() == Method::GET || request.method() == Method::HEAD)
        .then(|| request.headers().get(header::IF_NONE_MATCH).cloned())
        .flatten();
    let response = next.run(request).await;
    let Some(wanted) = wanted else { return response };
    let etag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok());
    if response.status() != StatusCode::OK || !etag.is_some_and(|e| names(&wanted, e)) {
        return response;
    }
    not_modified(response.headers())
}

/// A 304 carrying the validators and caching headers of `full`.
pub(crate) fn not_modified(full: &HeaderMap) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    for name in KEPT_ON_304 {
        if let Some(v) = full.get(&name) {
            r.headers_mut().insert(name, v.clone());
        }
    }
    if let Some(v) = full.get("surrogate-key") {
        r.headers_mut().insert("surrogate-key", v.clone());
    }
    r
}

/// A permanent redirect with a percent-encoded `Location` (axum's own helper answers 308
/// and refuses non-ASCII locations).
pub(crate) fn moved_permanently(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            r
        }
        Err(_) => WebError::NotFound.into_response(),
    }
}

/// "See other" after a form: `to` is a path this site built (its URL builders encode it).
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    match HeaderValue::from_str(to) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Err(_) => {
            tracing::error!(location = to, "a redirect target is not a valid header; sending home");
            r.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(if_none_match: &str, etag: &str) -> bool {
        names(&HeaderValue::from_str(if_none_match).expect("header"), etag)
    }

    #[test]
    fn if_none_match_accepts_lists_and_star() {
        assert!(matches("\"a\"", "\"a\""));
        assert!(matches("\"b\", \"a\"", "\"a\""));
        assert!(matches("*", "\"a\""));
        assert!(!matches("\"b\"", "\"a\""));
        // A weak validator is not the strong one.
        assert!(!matches("W/\"a\"", "\"a\""));
    }

    #[tokio::test]
    async fn the_conditional_layer_answers_304_only_for_a_matching_ok() {
        use axum::Router;
        use axum::body::Body;
        use axum::routing::get;
        use tower::ServiceExt;
        let page = || async { PageResponse { status: StatusCode::OK, html: "<p>x</p>".into(), fresh_for_secs: None, surrogate_keys: vec![], content_type: HTML }.into_response() };
        let missing = || async { (StatusCode::NOT_FOUND, [(header::ETAG, etag(b"gone"))], "gone").into_response() };
        let app = Router::new().route("/", get(page).post(page)).route("/gone", get(missing)).layer(axum::middleware::from_fn(conditional));
        let tag = etag(b"<p>x</p>");
        let send = |method: &str, path: &str, inm: Option<&str>| {
            let mut b = axum::http::Request::builder().method(method).uri(path);
            if let Some(v) = inm {
                b = b.header(header::IF_NONE_MATCH, v);
            }
            app.clone().oneshot(b.body(Body::empty()).expect("request"))
        };
        let r = send("GET", "/", Some(&tag)).await.expect("response");
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(r.headers().get(header::ETAG).and_then(|v| v.to_str().ok()), Some(tag.as_str()));
        assert_eq!(send("GET", "/", Some("\"other\"")).await.expect("response").status(), StatusCode::OK);
        assert_eq!(send("GET", "/", None).await.expect("response").status(), StatusCode::OK);
        assert_eq!(send("POST", "/", Some(&tag)).await.expect("response").status(), StatusCode::OK, "only GET and HEAD");
        let gone = etag(b"gone");
        assert_eq!(send("GET", "/gone", Some(&gone)).await.expect("response").status(), StatusCode::NOT_FOUND, "only a 200 turns into 304");
    }

    #[test]
    fn a_304_keeps_validators_and_caching_headers_but_no_body_headers() {
        let full = PageResponse {
            status: StatusCode::OK,
            html: "<p>x</p>".into(),
            fresh_for_secs: Some(5),
            surrogate_keys: vec!["article:1".into()],
            content_type: HTML,
        }
        .into_response();
        let r = not_modified(full.headers());
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(r.headers().get(header::ETAG), full.headers().get(header::ETAG));
        assert_eq!(r.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, max-age=0, s-maxage=5, stale-while-revalidate=5"));
        assert_eq!(r.headers().get("surrogate-key").and_then(|v| v.to_str().ok()), Some("article:1 site"));
        assert!(r.headers().get(header::CONTENT_TYPE).is_none());
    }

    #[test]
    fn pages_are_cacheable_only_when_they_succeed() {
        let ok = PageResponse { status: StatusCode::OK, html: "a".into(), fresh_for_secs: None, surrogate_keys: vec![], content_type: HTML }.into_response();
        assert!(ok.extensions().get::<CacheUntil>().is_some());
        let limited =
            PageResponse { status: StatusCode::TOO_MANY_REQUESTS, html: "a".into(), fresh_for_secs: None, surrogate_keys: vec![], content_type: HTML }.into_response();
        assert!(limited.extensions().get::<CacheUntil>().is_none());
        assert_eq!(limited.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
        assert_eq!(etag(b"a"), etag(b"a"));
        assert_ne!(etag(b"a"), etag(b"b"));
    }

    #[test]
    fn redirects_refuse_what_cannot_be_a_header() {
        assert_eq!(moved_permanently("/news/1/%D8%B9").status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(moved_permanently("/bad\r\nSet-Cookie: x").status(), StatusCode::NOT_FOUND);
        let r = see_other("/newsroom/\r\nx");
        assert_eq!(r.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/"));
    }
}
