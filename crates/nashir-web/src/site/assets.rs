//! Static files of the theme and the health endpoint.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub(crate) async fn static_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(asset) = state.renderer.static_asset(&path) else {
        return super::failure(&state, &headers, crate::error::WebError::NotFound).await;
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == asset.etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mime = HeaderValue::from_str(&asset.mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
        ([(header::CONTENT_TYPE, mime)], asset.bytes.into_owned()).into_response()
    };
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300, stale-while-revalidate=3600"));
    response
}

/// Imported media under the data folder's `uploads/`.
pub(crate) async fn upload(State(state): State<AppState>, Path(path): Path<String>, headers: HeaderMap) -> Response {
    let safe = !path.split('/').any(|s| s.is_empty() || s == ".." || s == "." || s.contains('\\'));
    let file = state.uploads_dir.as_ref().filter(|_| safe).map(|dir| dir.join(&path));
    let bytes = match file {
        Some(f) => tokio::fs::read(&f).await.ok(),
        None => None,
    };
    let Some(bytes) = bytes else {
        return super::failure(&state, &headers, crate::error::WebError::NotFound).await;
    };
    let mime = match path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        Some("mp3") => "audio/mpeg",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    };
    let mut r = ([(header::CONTENT_TYPE, mime)], bytes).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    // SVG can carry script; a strict policy keeps it an image.
    r.headers_mut().insert("content-security-policy", HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    r
}

pub(crate) async fn health(State(state): State<AppState>) -> Response {
    match state.store.outbox_head().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}
