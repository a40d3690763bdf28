//! The view beacon, the flushes of counted views, and the "most read" lists pages show
//! (see the crate's `readership` for the counts themselves).

use std::sync::PoisonError;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crate::readership::is_crawler;
use crate::state::AppState;

/// Seconds between flushes (a setting for tests: `NASHIR_VIEWS_FLUSH_SECONDS`).
const FLUSH_SECONDS: u64 = 5;
/// How long a computed "most read" is shown before it is computed again (tests:
/// `NASHIR_MOST_READ_SECONDS`).
const MOST_READ_SECONDS: u64 = 60;
/// Articles in each "most read" list.
const MOST_READ_ITEMS: i64 = 5;

/// `POST /views` with the article id as the body (`navigator.sendBeacon`): 204, never
/// cached; 400 for a body that is not an id.
pub(crate) async fn beacon(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let prefetch = header_text("sec-purpose").contains("prefetch") || header_text("purpose").contains("prefetch");
    let text = std::str::from_utf8(&body).unwrap_or("").trim();
    let id = text.strip_prefix("a=").unwrap_or(text).parse::<i64>().ok().filter(|id| *id > 0);
    let mut response = match id {
        None => crate::error::WebError::Rejected {
            code: "bad_view",
            status: StatusCode::BAD_REQUEST,
            detail: state.renderer.t("api-view-body"),
        }
        .into_response(),
        Some(_) if prefetch || is_crawler(header_text("user-agent")) => StatusCode::NO_CONTENT.into_response(),
        Some(id) => {
            state.readership.count(id);
            StatusCode::NO_CONTENT.into_response()
        }
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn flush_interval() -> Duration {
    let secs = std::env::var("NASHIR_VIEWS_FLUSH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(FLUSH_SECONDS);
    Duration::from_secs(secs.max(1))
}

/// Adds what was counted to the database; kept for the next flush if the write fails.
pub(crate) async fn flush(state: &AppState) {
    let counts = state.readership.take();
    if counts.is_empty() {
        return;
    }
    let now = nashir_store::now_micros();
    match state.store.add_views(nashir_store::view_hour(now), &counts).await {
        Ok(written) => tracing::debug!(articles = counts.len(), written, "views: flushed"),
        Err(e) => {
            tracing::warn!(error = %e, "views: cannot write the counts; kept for the next flush");
            state.readership.put_back(&counts);
        }
    }
}

/// Flushes every few seconds, and reads "most read" again every minute, until the store
/// closes. Pages never wait for either.
pub(crate) async fn flush_loop(state: AppState) {
    let every = flush_interval();
    let refresh_every =
        Duration::from_secs(std::env::var("NASHIR_MOST_READ_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(MOST_READ_SECONDS).max(1));
    refresh_most_read(&state).await;
    let mut refreshed = std::time::Instant::now();
    loop {
        tokio::time::sleep(every.min(refresh_every)).await;
        if state.store.is_closed() {
            return;
        }
        flush(&state).await;
        if refreshed.elapsed() >= refresh_every {
            refresh_most_read(&state).await;
            refreshed = std::time::Instant::now();
        }
    }
}

/// Reads the "most read" lists again (last 24 hours, last 7 days).
pub(crate) async fn refresh_most_read(state: &AppState) {
    let now = nashir_store::now_micros();
    let hour = nashir_store::view_hour(now);
    let day = state.store.most_read(hour - 23, now, MOST_READ_ITEMS).await;
    let week = state.store.most_read(hour - 24 * 7 + 1, now, MOST_READ_ITEMS).await;
    match (day, week) {
        (Ok(day), Ok(week)) => {
            let lists = (day.into_iter().map(|(a, _)| a).collect(), week.into_iter().map(|(a, _)| a).collect());
            *state.readership.most_read.lock().unwrap_or_else(PoisonError::into_inner) = lists;
        }
        (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "most read: cannot read the counts"),
    }
}
