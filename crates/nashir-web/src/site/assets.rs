//! Static files of the theme, imported media, the media library's files and the health endpoint.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::cache::Coding;
use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::state::AppState;

/// A theme file: by its fingerprinted name it is kept for a year (`immutable`: a change is
/// a new name); by its plain name briefly. Each coding was compressed once at start-up.
pub(crate) async fn static_file(State(state): State<AppState>, Path(path): Path<String>, headers: HeaderMap) -> WebResult {
    let file = state.renderer.static_file(&path).ok_or(WebError::NotFound)?;
    let asset = &file.asset;
    let (body, encoding, suffix) = match Coding::negotiate(&headers) {
        Coding::Brotli if asset.brotli.is_some() => (asset.brotli.clone(), Some("br"), "-br"),
        Coding::Brotli | Coding::Gzip if asset.gzip.is_some() => (asset.gzip.clone(), Some("gzip"), "-gz"),
        _ => (None, None, ""),
    };
    let body = body.unwrap_or_else(|| asset.identity.clone());
    let mime = HeaderValue::from_str(&asset.mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = ([(header::CONTENT_TYPE, mime)], body).into_response();
    let h = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}{suffix}\"", asset.hash)) {
        h.insert(header::ETAG, etag);
    }
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if file.immutable { "public, max-age=31536000, immutable" } else { "public, max-age=300, stale-while-revalidate=3600" }),
    );
    Ok(response)
}

/// Imported media under the data folder's `uploads/`.
pub(crate) async fn upload(State(state): State<AppState>, Path(path): Path<String>) -> WebResult {
    // An imported photo now in the media library: its old URL leads to its file.
    if let Some(m) = state.store.media_by_source(&path).await? {
        return Ok(crate::http::moved_permanently(&crate::media::file_url(&m.hash, None, crate::media::format_of(&m.format))));
    }
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

/// The gauges of `/metrics`, read now.
async fn metrics_text(state: &AppState) -> String {
    let (pool_open, pool_idle) = state.store.pool_use();
    let mut outbox_lag = Vec::new();
    if let (Some(positions), Ok(head)) = (state.outbox.get(), state.store.outbox_head().await) {
        for (name, handled) in positions.handled.iter() {
            outbox_lag.push((*name, (head - handled.load(std::sync::atomic::Ordering::SeqCst)).max(0)));
        }
    }
    state.metrics.render(&crate::metrics::Snapshot { cache_bytes: state.cache.held(), pool_open, pool_idle, outbox_lag })
}

/// `GET /metrics` on the site's address: only with the token (`--metrics-token`), else
/// as if it did not exist.
pub(crate) async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return crate::error::WebError::NotFound.into_response();
    };
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    if !crate::signing::same_token(presented, token) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a metrics token is needed\n").into_response();
    }
    crate::metrics::response(metrics_text(&state).await)
}

/// Serves `/metrics` alone on its own listen address (`--metrics-listen`), until the
/// process ends.
pub(crate) async fn serve_metrics(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(|State(state): State<AppState>| async move { crate::metrics::response(metrics_text(&state).await) }))
        .with_state(state);
    axum::serve(listener, app).await
}

/// `GET /readyz`: whether this instance should get traffic: the database answers, its
/// migrations are this version's, and the search index is open. 503 with the reasons when not.
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    match state.store.migrations_current().await {
        Ok(true) => {}
        Ok(false) => problems.push("database migrations are not this version's".to_owned()),
        Err(e) => problems.push(format!("database unreachable: {e}")),
    }
    if state.search.is_none() {
        problems.push("search index not open".into());
    }
    if state.outbox.get().is_none() {
        problems.push("outbox dispatcher not started".into());
    }
    let (status, body) = if problems.is_empty() { (StatusCode::OK, "ready\n".to_owned()) } else { (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n") + "\n") };
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// `GET /media/{hash}/{label}.{ext}`: a public file, immutable.
pub(crate) async fn media(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let valid = path.split('/').count() == 2
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'.')
        && !path.contains("..");
    let format = path.rsplit('.').next().and_then(nashir_media::Format::from_extension);
    let (true, Some(format)) = (valid, format) else { return StatusCode::NOT_FOUND.into_response() };
    match state.media_store.get(&format!("public/{path}")).await {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.mime()));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", path.replace(['/', '.'], "-"))) {
                h.insert(header::ETAG, v);
            }
            r
        }
        Err(object_store::Error::NotFound { .. }) => replaced(&state, &path, format).await,
        Err(e) => {
            tracing::error!(error = %e, "media: cannot read a file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The file of a photo whose upload was replaced: the same size of the new file.
async fn replaced(state: &AppState, path: &str, asked: nashir_media::Format) -> Response {
    let Some((prefix, name)) = path.split_once('/') else { return StatusCode::NOT_FOUND.into_response() };
    let Ok(Some(m)) = state.store.media_replaced(prefix).await else { return StatusCode::NOT_FOUND.into_response() };
    let own = crate::media::format_of(&m.format);
    let format = if asked == nashir_media::Format::Webp { nashir_media::Format::Webp } else { own };
    let width = u32::try_from(m.width).unwrap_or(0);
    let label = name.split('.').next().and_then(|l| l.parse::<u32>().ok()).filter(|w| *w < width && nashir_media::WIDTHS.contains(w));
    crate::http::moved_permanently(&crate::media::file_url(&m.hash, label, format))
}
