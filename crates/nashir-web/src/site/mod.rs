//! The public site readers use. Handlers are short: load through the store, shape a view
//! model (`crate::views`), render a template of the theme. Nothing here writes.

/// The article page and its view builder (also the newsroom's preview).
pub(crate) mod article;
/// Reader comments: posting, the form's token, the writer's view of a held comment.
pub(crate) mod comments;
/// Theme files, uploads and the health endpoint.
pub(crate) mod assets;
/// RSS, Atom and JSON Feed of the site, a category, a tag, an author.
pub(crate) mod feeds;
/// Home: lead story, latest, a block per top-level category.
mod home;
/// Category, tag and author lists.
mod lists;
/// Static pages with their hierarchy.
mod pages;
/// View beacons and "most read".
pub(crate) mod readership;
/// Old URLs of a migrated site answering 301.
pub(crate) mod redirects;
/// The search page and the search runner the JSON API shares.
pub(crate) mod search;
/// robots.txt, sitemaps, the news sitemap, OpenSearch, the IndexNow key.
mod sitemaps;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use nashir_core::CategoryTree;
use nashir_store::{ListFilter, ListRequest};
use serde::Serialize;

use crate::error::{Problem, WebResult};
use crate::http::PageResponse;
use crate::state::AppState;
use crate::views::{self, BreakingView, ChromeData};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/news/{id}", get(article::without_slug))
        .route("/news/{id}/", get(article::without_slug))
        .route("/news/{id}/{slug}", get(article::article))
        .route("/news/{id}/comments", axum::routing::post(comments::submit))
        .route("/category/{*path}", get(lists::category))
        .route("/tag/{slug}", get(lists::tag))
        .route("/tag/{slug}/", get(lists::tag))
        .route("/author/{slug}", get(lists::author))
        .route("/author/{slug}/", get(lists::author))
        .route("/page/{*path}", get(pages::static_page))
        .route("/search", get(search::search_page))
        .route("/feed", get(feeds::site_rss))
        .route("/feed/", get(feeds::site_rss))
        .route("/feed/atom", get(feeds::site_atom))
        .route("/feed/atom/", get(feeds::site_atom))
        .route("/feed.json", get(feeds::site_json))
        .route("/tag/{slug}/{*tail}", get(feeds::tag))
        .route("/author/{slug}/{*tail}", get(feeds::author))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemaps/{name}", get(sitemaps::child))
        .route("/sitemap-news.xml", get(sitemaps::news))
        .route("/robots.txt", get(sitemaps::robots))
        .route("/opensearch.xml", get(sitemaps::opensearch))
        .route("/{file}", get(sitemaps::root_file))
}

/// Routes outside the page cache: files and health.
pub(crate) fn files() -> Router<AppState> {
    Router::new()
        .route("/static/{*path}", get(assets::static_file))
        .route("/uploads/{*path}", get(assets::upload))
        // The old site's upload URLs, for photos now in the library.
        .route("/wp-content/uploads/{*path}", get(assets::upload))
        .route("/media/{*path}", get(assets::media))
        .route("/healthz", get(assets::health))
        .route("/readyz", get(assets::ready))
        .route("/metrics", get(assets::metrics))
        // Readers' view beacons: never cached, counted in memory.
        .route("/views", axum::routing::post(readership::beacon))
}

/// The chrome of one response: the shared data, and how long the page stays true.
pub(crate) struct Chrome {
    data: Arc<ChromeData>,
    fresh_for_secs: Option<i64>,
}

impl std::ops::Deref for Chrome {
    type Target = ChromeData;
    fn deref(&self) -> &ChromeData {
        &self.data
    }
}

impl Serialize for Chrome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl Chrome {
    /// Seconds until what the chrome shows may change by itself (a breaking item starts or
    /// expires, a scheduled article comes due).
    pub(crate) fn fresh_for_secs(&self) -> Option<i64> {
        self.fresh_for_secs
    }

    /// The chrome at `now`. Every public page shows it, so it is read from the database
    /// once and kept until the outbox reports a change or the ticker changes by itself.
    pub(crate) async fn load(state: &AppState, now: i64) -> WebResult<Self> {
        let generation = state.cache.generation();
        let data = match state.chrome.get(generation, |d| d.fresh_at(now)) {
            Some(data) => data,
            None => {
                let data = Arc::new(Self::read(state, now).await?);
                state.chrome.keep(generation, state.cache.generation(), data.clone());
                data
            }
        };
        let fresh_for_secs = data.fresh_for_secs(now);
        Ok(Chrome { data, fresh_for_secs })
    }

    async fn read(state: &AppState, now: i64) -> WebResult<ChromeData> {
        let tree = CategoryTree::new(state.store.categories().await?);
        let links = state.store.nav_links().await?;
        let items = state.store.live_breaking_items(now).await?;
        let next_change = state.store.next_breaking_change(now).await?;
        let next_publication = state.store.next_publication_after(now).await?;
        Ok(ChromeData {
            nav: views::nav(&tree, &links),
            breaking: items.iter().map(BreakingView::from_item).collect(),
            next_change: [next_change, next_publication].into_iter().flatten().min(),
            loaded_at: now,
            tree,
            counts: Default::default(),
        })
    }

    /// The same chrome, stale at `at` too (a moment the page changes by itself).
    pub(crate) fn until(self, at: Option<i64>, now: i64) -> Chrome {
        let Some(at) = at else { return self };
        let secs = (at - now).div_euclid(1_000_000).max(0);
        Chrome { data: self.data, fresh_for_secs: Some(self.fresh_for_secs.map_or(secs, |s| s.min(secs))) }
    }

    /// How many visible articles `filter` matches (counted once per chrome).
    pub(crate) async fn count(&self, state: &AppState, filter: &ListFilter, now: i64) -> WebResult<u64> {
        let kept = self.data.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(filter).copied();
        if let Some(n) = kept {
            return Ok(n);
        }
        let n = state.store.count_published(now, filter).await?;
        self.data.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(filter.clone(), n);
        Ok(n)
    }
}

/// Summaries of the published articles among `ids`, in that order. Kept in memory between
/// requests (lists and searches land on the same articles again and again) and forgotten
/// with the page cache; only the missing ones are read, in one round trip.
pub(crate) async fn summaries(state: &AppState, ids: &[i64]) -> WebResult<Vec<nashir_core::ArticleSummary>> {
    let generation = state.cache.generation();
    let now = nashir_store::now_micros();
    let mut kept = state.cards.get(generation, ids, now);
    let missing: Vec<i64> = ids.iter().zip(&kept).filter(|(_, k)| k.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let read = state.store.published_by_ids(&missing, now).await?;
        state.cards.keep(generation, state.cache.generation(), read.iter().map(|c| (c.id, c.clone())), now);
        for card in read {
            if let Some(at) = ids.iter().position(|&id| id == card.id) {
                kept[at] = Some(card);
            }
        }
    }
    Ok(kept.into_iter().flatten().collect())
}

/// Several lists of published articles: ids from the store in one round trip, summaries
/// from memory (or one more round trip for those not kept).
pub(crate) async fn lists(state: &AppState, now: i64, requests: &[ListRequest<'_>]) -> WebResult<Vec<Vec<nashir_core::ArticleSummary>>> {
    let ids = state.store.published_ids(now, requests).await?;
    let all: Vec<i64> = ids.iter().flatten().copied().collect();
    let by_id: std::collections::HashMap<i64, nashir_core::ArticleSummary> =
        summaries(state, &all).await?.into_iter().map(|s| (s.id, s)).collect();
    Ok(ids.into_iter().map(|list| list.iter().filter_map(|id| by_id.get(id).cloned()).collect()).collect())
}

/// Renders a page of the theme with the chrome merged into its context.
pub(crate) fn page<T: Serialize>(
    state: &AppState,
    status: StatusCode,
    template: &str,
    chrome: &Chrome,
    content: &T,
    surrogate_keys: Vec<String>,
) -> WebResult {
    #[derive(Serialize)]
    struct Ctx<'a, T> {
        chrome: &'a Chrome,
        #[serde(flatten)]
        content: &'a T,
    }
    let html = state.renderer.render(template, &Ctx { chrome, content })?;
    Ok(PageResponse { status, html, fresh_for_secs: chrome.fresh_for_secs, surrogate_keys, content_type: crate::http::HTML }.into_response())
}

/// The themed error page of a public request (404.html for "not found", error.html for the
/// rest), never cached; a plain Arabic page when even that cannot be rendered.
pub(crate) async fn error_page(state: &AppState, problem: &Problem) -> Response {
    #[derive(Serialize)]
    struct ErrorPage {
        status: u16,
        code: &'static str,
        title: String,
        message: String,
    }
    let r = &state.renderer;
    let content = ErrorPage { status: problem.status.as_u16(), code: problem.code, title: problem.title(r), message: problem.message(r) };
    let template = if problem.status == StatusCode::NOT_FOUND { "404.html" } else { "error.html" };
    let rendered = match Chrome::load(state, nashir_store::now_micros()).await {
        Ok(chrome) => page(state, problem.status, template, &chrome, &content, vec![]),
        Err(e) => Err(e),
    };
    match rendered {
        Ok(mut r) => {
            r.extensions_mut().remove::<crate::http::CacheUntil>();
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => {
            tracing::error!(code = e.code(), error = %e, "the error page could not be rendered");
            plain_error(state, problem)
        }
    }
}

/// The last resort when even the error page cannot be rendered (or the server is too busy
/// to render one): plain, in the site's language, no internals.
pub(crate) fn plain_error(state: &AppState, problem: &Problem) -> Response {
    let r = &state.renderer;
    let title = nashir_core::escape_html(&problem.title(r));
    let body = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><meta charset=\"utf-8\"><title>{title}</title>\
         <h1>{title}</h1><p>{}</p><p><a href=\"/\">{}</a></p></html>",
        state.site.lang(),
        state.site.dir(),
        nashir_core::escape_html(&problem.message(r)),
        nashir_core::escape_html(&r.t("back-home")),
    );
    let mut r = (problem.status, Html(body)).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
