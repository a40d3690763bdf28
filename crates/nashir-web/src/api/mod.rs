//! The JSON API at `/api/v1/`. Answers are JSON; every error is an
//! `application/problem+json` body with a stable `code` (rendered by `respond`).

/// Search and search-as-you-type suggestions.
mod search;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::Serialize;

use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/search/suggest", get(search::suggest))
        .route("/api/v1/search/opensearch", get(search::opensearch))
}

/// A JSON answer that shared caches may keep for `s_maxage` seconds.
pub(crate) fn cached_json<T: Serialize>(body: &T, s_maxage: u32) -> Response {
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age=0, s-maxage={s_maxage}")) {
        r.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    r
}
