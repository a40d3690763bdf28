//! Nashir's HTTP face: the public site, the newsroom and the JSON API, with the middleware
//! every response passes (security headers, compression, conditional requests, errors,
//! limits, timeouts), and the background work of a serving instance.
//!
//! The modules form a pipeline without cycles: `error`, `urls`, `client`, `memo` and
//! `signing` at the bottom; then `cache`, `http`, `views`, `state` and `extract`; then the rooms (`site`,
//! `api`, `newsroom`); then `respond`, which renders every failure; `lib.rs` assembles them.

/// The API's JSON routes.
mod api;
/// The page cache (bytes and keys) and its outbox subscriber.
mod cache;
/// CDN purges by surrogate key.
mod cdn;
/// The client's address behind trusted proxies.
mod client;
/// The one error type of the web layer.
mod error;
/// Typed request parts: paths, queries, forms, page numbers.
mod extract;
/// Caching headers, the 304 layer and redirects.
mod http;
/// Background work every instance runs: scheduled publishing, forgetting old addresses.
mod jobs;
/// Sending queued mail through SMTP.
mod mail;
/// The media library's files (object_store), its workers and the public files.
mod media;
/// Values kept in memory between requests, tied to the page cache's generation.
mod memo;
/// The staff area at /newsroom/.
pub(crate) mod newsroom;
/// Per-address budgets for expensive public endpoints.
mod ratelimit;
/// Views counted in memory between flushes, and the last "most read".
mod readership;
/// Related stories kept between requests, forgotten through the search index's commits.
mod related;
/// WebSub and IndexNow pings from the outbox, sent through the delivery queue.
mod pings;
/// `/metrics`, request ids.
mod metrics;
/// Signed POSTs to the URLs administrators registered, from the outbox.
mod webhooks;
/// Failures rendered by where the request went.
mod respond;
/// Accepting connections, the fast path for kept pages, load and timeout bounds.
mod server;
/// Structured data (JSON-LD) and absolute URLs for what crawlers read.
mod seo;
/// The signing secret, signed tokens of public forms, the cross-site check.
mod signing;
/// Public pages: home, article, category, tag, author, search, static pages.
mod site;
/// What every handler shares.
mod state;
/// The public site's URL scheme.
mod urls;
/// View models for templates and the API.
mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use nashir_store::events::Dispatcher;
use tower_http::set_header::SetResponseHeaderLayer;

pub use newsroom::auth::{HashError, hash_password, new_setup_token};
pub use urls::newsroom::setup_with as setup_path;
pub use cache::DEFAULT_BUDGET_BYTES as DEFAULT_PAGE_CACHE_BYTES;
pub use server::ServeOptions;
pub use http::{DEFAULT_SHARED_MAX_AGE_SECS, set_shared_max_age};
pub use cdn::{CdnPurge, PurgeStyle};
pub use media::{MediaOptions, MediaStore};
pub use state::{AppState, CommentOptions, INDEXNOW_ENDPOINT, MailOptions, SyndicationOptions, WebOptions};

/// Largest request body any route reads.
const MAX_BODY_BYTES: usize = extract::MAX_FORM_BYTES;
/// Longest a request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application router with its middleware.
pub fn router(state: AppState) -> Router {
    let public = site::router()
        .merge(api::cached())
        .fallback(respond::not_found)
        .layer(from_fn_with_state(state.clone(), site::redirects::layer))
        .layer(from_fn_with_state(state.cache.clone(), cache::layer));
    let staff = newsroom::router()
        .layer(from_fn_with_state(state.clone(), newsroom::clear_after_change))
        .layer(from_fn_with_state(state.clone(), newsroom::integrations::record_changes));
    let mut app = staff
        .merge(api::router())
        .merge(site::files())
        .merge(public)
        .method_not_allowed_fallback(respond::method_not_allowed)
        .with_state(state.clone())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(respond::panic_response))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Uploads are larger than any form: their own limit, the media setting's.
        .merge(newsroom::uploads(&state))
        .merge(api::uploads(&state))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(from_fn_with_state(state, respond::layer))
        .layer(from_fn(http::conditional))
        // Kept pages arrive compressed already (stored once per coding); what is rendered
        // for one request only is compressed at the fastest level.
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest));
    for (name, value) in http::SECURITY_HEADERS {
        app = app.layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value)));
    }
    app
}

/// Serves `/metrics` alone on its own address (`--metrics-listen`) until the process ends.
pub async fn serve_metrics(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    site::assets::serve_metrics(listener, state).await
}

/// Serves until `shutdown` resolves, then stops accepting and finishes the requests in
/// flight (see `server`). Starts the outbox dispatcher (page cache, search index) and the
/// scheduled jobs first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut dispatcher = Dispatcher::new(state.store.clone()).subscribe(Arc::new(cache::Invalidator(state.cache.clone())));
    if let Some(index) = state.search.clone() {
        let (related, cache) = (state.related.clone(), state.cache.clone());
        // Pages rendered between the page cache's own invalidation and this commit may show
        // the index as it was (search results, related stories): they go too.
        let forget: nashir_search::sync::AfterCommit = Arc::new(move |index, changed| {
            related.forget(index, changed);
            cache.forget_all();
        });
        dispatcher = dispatcher.subscribe(Arc::new(nashir_search::sync::IndexSubscriber::new(state.store.clone(), index).after_commit(forget)));
    }
    if let Some(index) = state.staff_search.clone() {
        dispatcher = dispatcher.subscribe(Arc::new(nashir_search::sync::IndexSubscriber::staff(state.store.clone(), index)));
    }
    dispatcher = dispatcher.subscribe(Arc::new(webhooks::Webhooks(state.clone())));
    if pings::Pinger::wanted(&state) {
        dispatcher = dispatcher.subscribe(Arc::new(pings::Pinger(state.clone())));
    }
    if let Some(cdn) = state.cdn_purge.clone() {
        dispatcher = dispatcher.subscribe(Arc::new(cdn::Purger { store: state.store.clone(), cdn, waiting: state.deliveries_waiting.clone() }));
    }
    let positions = dispatcher.start().await.map_err(std::io::Error::other)?;
    let _ = state.outbox.set(positions.clone());
    tokio::spawn(jobs::keep_outbox(state.store.clone(), positions, state.instance.clone(), state.outbox_retention, state.metrics.clone()));
    tokio::spawn(pings::deliver(state.store.clone(), state.deliveries_waiting.clone(), state.webhooks_allow_private, state.cdn_purge.clone()));
    media::start_workers(&state.store, &state.media_store, &state.media, &state.media_waiting);
    tokio::spawn(jobs::publish_scheduled(state.store.clone(), state.metrics.clone()));
    tokio::spawn(site::readership::flush_loop(state.clone()));
    tokio::spawn(jobs::forget_comment_addresses(state.store.clone(), state.comments.address_retention_days, state.metrics.clone()));
    if let Some(mail) = state.comments.mail.clone() {
        tokio::spawn(mail::deliver(state.store.clone(), mail));
    }
    let app = router(state.clone());
    let served = server::run(listener, state.clone(), app, options, shutdown).await;
    // Views counted since the last flush are written before the process ends.
    site::readership::flush(&state).await;
    served
}
