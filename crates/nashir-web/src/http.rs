//! HTML responses with the caching headers of the read path: a strong ETag over the body,
//! 304 for a matching `If-None-Match`, `Cache-Control` bounded by when the page stops being
//! true (the next ticker change), and `Surrogate-Key` for CDN purges.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// How long a shared cache may keep a page when nothing is scheduled to change sooner.
const MAX_SHARED_AGE_SECS: i64 = 60;

pub(crate) struct PageResponse {
    pub status: StatusCode,
    pub html: String,
    /// Seconds until the page may change by itself (a breaking item starts or expires).
    pub fresh_for_secs: Option<i64>,
    pub surrogate_keys: Vec<String>,
}

impl PageResponse {
    pub(crate) fn into_response(self, request_headers: &HeaderMap) -> Response {
        let mut hasher = DefaultHasher::new();
        self.html.hash(&mut hasher);
        let etag = format!("\"{:016x}\"", hasher.finish());
        let max_age = self.fresh_for_secs.map_or(MAX_SHARED_AGE_SECS, |s| s.clamp(0, MAX_SHARED_AGE_SECS));
        let cache_control = if self.status.is_success() {
            format!("public, max-age=0, s-maxage={max_age}, stale-while-revalidate={}", max_age.min(30))
        } else {
            "no-store".to_owned()
        };
        let not_modified = self.status == StatusCode::OK
            && request_headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (self.status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], self.html).into_response()
        };
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&cache_control) {
            headers.insert(header::CACHE_CONTROL, v);
        }
        if !self.surrogate_keys.is_empty()
            && let Ok(v) = HeaderValue::from_str(&self.surrogate_keys.join(" "))
        {
            headers.insert("surrogate-key", v);
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if self.status == StatusCode::OK {
            let now = nashir_store::now_micros();
            response.extensions_mut().insert(crate::cache::CacheUntil(now + max_age * 1_000_000));
        }
        response
    }
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
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
