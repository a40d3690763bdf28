//! Nashir's HTTP face: the public site, static theme files and health, with the
//! middleware every response passes (security headers, compression, limits, timeouts).
//!
//! The newsroom, JSON API and feeds join here as routers of their own.

/// The page cache and the outbox follower that invalidates it.
mod cache;
mod error;
mod http;
/// Background work every instance runs: scheduled publishing.
mod jobs;
/// The staff area at /newsroom/.
mod newsroom;
/// Per-address budgets for expensive public endpoints.
mod ratelimit;
/// The search index kept in step with the database.
pub mod search_sync;
/// Public pages: home, article, category, tag, author, 404.
mod site;
mod state;
mod urls;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

pub use newsroom::auth::{hash_password, new_setup_token};
pub use newsroom::valid_email;
pub use state::{AppState, WebOptions};

/// The whole application router with its middleware.
pub fn router(state: AppState) -> Router {
    let security_headers = [
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
    let public = site::router()
        .layer(axum::middleware::from_fn_with_state(state.clone(), site::redirects::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::layer));
    let staff = newsroom::router().layer(axum::middleware::from_fn_with_state(state.clone(), cache::clear_after_change));
    let mut app = staff
        .merge(public)
        .with_state(state)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panic_response))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(4 * 1024 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    for (name, value) in security_headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tokio::spawn(cache::follow_outbox(state.clone()));
    tokio::spawn(jobs::publish_scheduled(state.store.clone()));
    if let Some(index) = state.search.clone() {
        tokio::spawn(search_sync::follow(state.store.clone(), index));
    }
    let app = router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
