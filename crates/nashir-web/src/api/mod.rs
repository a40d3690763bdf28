//! The JSON API at `/api/v1/`. Answers are JSON; every error is an
//! `application/problem+json` body with a stable `code` (rendered by `respond`).

/// The Admin API: writes through integration keys.
pub(crate) mod admin;
/// The public content API: articles, categories, tags, authors, breaking, most read.
mod content;
/// The OpenAPI document and the reference page made from it.
pub(crate) mod openapi;
/// Search and search-as-you-type suggestions.
mod search;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::Serialize;

use crate::state::AppState;

/// Routes outside the page cache (each search is rate-limited).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search::search).options(preflight))
        .route("/api/v1/search/suggest", get(search::suggest).options(preflight))
        .route("/api/v1/search/opensearch", get(search::opensearch).options(preflight))
        .route("/api/v1/admin/articles", axum::routing::post(admin::create_article))
        .route("/api/v1/admin/articles/{id}", get(admin::get_article).patch(admin::update_article))
        .route("/api/v1/admin/articles/{id}/publish", axum::routing::post(admin::publish_article))
        .route("/api/v1/admin/articles/{id}/unpublish", axum::routing::post(admin::unpublish_article))
        .route("/api/v1/admin/articles/{id}/submit", axum::routing::post(admin::submit_article))
        .route("/api/v1/admin/articles/{id}/schedule", axum::routing::post(admin::schedule_article))
        .route("/api/v1/admin/breaking", axum::routing::post(admin::create_breaking))
        .route("/api/v1/admin/breaking/{id}", axum::routing::delete(admin::delete_breaking))
}

/// `POST /api/v1/admin/images`: a body as large as the media setting allows.
pub(crate) fn uploads(state: &AppState) -> Router {
    let limit = state.media.limits.max_bytes + 1024;
    Router::new()
        .route("/api/v1/admin/images", axum::routing::post(admin::upload_image))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .with_state(state.clone())
}

/// The content API and its description: kept by the page cache like pages, so they go
/// under its layer.
pub(crate) fn cached() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(content::articles).options(preflight))
        .route("/api/v1/articles/slug/{slug}", get(content::article_by_slug).options(preflight))
        .route("/api/v1/articles/{id}", get(content::article).options(preflight))
        .route("/api/v1/articles/{id}/comments", get(content::comments).options(preflight))
        .route("/api/v1/categories", get(content::categories).options(preflight))
        .route("/api/v1/tags", get(content::tags).options(preflight))
        .route("/api/v1/authors", get(content::authors).options(preflight))
        .route("/api/v1/breaking", get(content::breaking).options(preflight))
        .route("/api/v1/most-read", get(content::most_read).options(preflight))
        .route("/api/v1/openapi.json", get(openapi::openapi_json).options(preflight))
        .route("/api/v1/docs", get(openapi::reference))
        .route("/api/v1/problems", get(openapi::reference))
        .layer(axum::middleware::map_response(open_to_every_origin))
}

/// Every origin may read the public API (CORS): it holds nothing a reader cannot see, and
/// no request carries credentials.
async fn open_to_every_origin(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("etag, retry-after"));
    response
}

/// A browser's preflight before a GET with `If-None-Match`.
async fn preflight() -> Response {
    let mut r = axum::http::StatusCode::NO_CONTENT.into_response();
    let headers = r.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("if-none-match, accept"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    r
}

/// A JSON answer that shared caches may keep for `s_maxage` seconds.
pub(crate) fn cached_json<T: Serialize>(body: &T, s_maxage: u32) -> Response {
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age=0, s-maxage={s_maxage}")) {
        r.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    r
}
