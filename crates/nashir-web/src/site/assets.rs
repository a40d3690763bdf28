//! Static files of the theme, imported media and the health endpoint.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::state::AppState;

pub(crate) async fn static_file(State(state): State<AppState>, Path(path): Path<String>) -> WebResult {
    let asset = state.renderer.static_asset(&path).ok_or(WebError::NotFound)?;
    let mime = HeaderValue::from_str(&asset.mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = ([(header::CONTENT_TYPE, mime)], asset.bytes.into_owned()).into_response();
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300, stale-while-revalidate=3600"));
    Ok(response)
}

/// Imported media under the data folder's `uploads/`.
pub(crate) async fn upload(State(state): State<AppState>, Path(path): Path<String>) -> WebResult {
    let safe = !path.split('/').any(|s| s.is_empty() || s == ".." || s == "." || s.contains('\\'));
    let file = state.uploads_dir.as_ref().filter(|_| safe).map(|dir| dir.join(&path)).ok_or(WebError::NotFound)?;
    let bytes = tokio::fs::read(&file).await.map_err(|_| WebError::NotFound)?;
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
    Ok(r)
}

pub(crate) async fn health(State(state): State<AppState>) -> Response {
    match state.store.outbox_head().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], "database unavailable\n").into_response()
        }
    }
}
