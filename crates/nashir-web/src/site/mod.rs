//! The public site readers use. Handlers are short: load through the store, shape a view
//! model (`views`), render a template of the theme. Nothing here writes.

pub(crate) mod article;
mod assets;
mod home;
mod lists;
mod pages;
pub(crate) mod redirects;
mod search;
mod views;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use nashir_core::CategoryTree;
use serde::Serialize;

use crate::error::{WebError, plain_error};
use crate::http::PageResponse;
use crate::state::AppState;
use views::{BreakingView, NavItem};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/news/{id}", get(article::article_without_slug))
        .route("/news/{id}/", get(article::article_without_slug))
        .route("/news/{id}/{slug}", get(article::article))
        .route("/category/{*path}", get(lists::category))
        .route("/tag/{slug}", get(lists::tag))
        .route("/tag/{slug}/", get(lists::tag))
        .route("/author/{slug}", get(lists::author))
        .route("/author/{slug}/", get(lists::author))
        .route("/page/{*path}", get(pages::static_page))
        .route("/search", get(search::search_page))
        .route("/api/v1/search", get(search::search_api))
        .route("/api/v1/search/suggest", get(search::suggest_api))
        .route("/static/{*path}", get(assets::static_file))
        .route("/uploads/{*path}", get(assets::upload))
        .route("/healthz", get(assets::health))
        .fallback(not_found)
}

/// What every public page shows around its content: the ticker and the category bar.
#[derive(Serialize)]
pub(crate) struct ChromeData {
    nav: Vec<NavItem>,
    breaking: Vec<BreakingView>,
    #[serde(skip)]
    pub(crate) tree: CategoryTree,
    /// When the ticker next changes by itself (an item starts or expires) or a scheduled
    /// article comes due (unix micros).
    #[serde(skip)]
    next_change: Option<i64>,
    #[serde(skip)]
    loaded_at: i64,
}

impl ChromeData {
    /// Still what the database says at `now`, as far as time goes (the page cache's
    /// generation covers changes).
    pub(crate) fn fresh_at(&self, now: i64) -> bool {
        now < self.next_change.unwrap_or(i64::MAX) && now < self.loaded_at + crate::cache::MAX_KEEP_MICROS
    }
}

/// The chrome of one response: the shared data, and how long the page stays true.
pub(crate) struct Chrome {
    data: std::sync::Arc<ChromeData>,
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
    /// The chrome at `now`. Every public page shows it, so it is read from the database
    /// once and kept until the outbox reports a change (which also empties the page cache)
    /// or the ticker changes by itself.
    pub(crate) async fn load(state: &AppState, now: i64) -> Result<Self, WebError> {
        let data = match state.cache.chrome(now) {
            Some(data) => data,
            None => {
                let generation = state.cache.generation();
                let data = std::sync::Arc::new(Self::read(state, now).await?);
                state.cache.keep_chrome(generation, data.clone());
                data
            }
        };
        let fresh_for_secs = data.next_change.map(|t| (t - now).div_euclid(1_000_000).max(0));
        Ok(Chrome { data, fresh_for_secs })
    }

    async fn read(state: &AppState, now: i64) -> Result<ChromeData, WebError> {
        let tree = CategoryTree::new(state.store.categories().await?);
        let items = state.store.live_breaking_items(now).await?;
        let next_change = state.store.next_breaking_change(now).await?;
        let next_publication = state.store.next_publication_after(now).await?;
        Ok(ChromeData {
            nav: views::nav(&tree),
            breaking: items.iter().map(BreakingView::from_item).collect(),
            next_change: [next_change, next_publication].into_iter().flatten().min(),
            loaded_at: now,
            tree,
        })
    }
}

/// Renders a page of the theme with the chrome merged into its context.
pub(crate) fn page<T: Serialize>(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    template: &str,
    chrome: &Chrome,
    content: &T,
    surrogate_keys: Vec<String>,
) -> Result<Response, WebError> {
    #[derive(Serialize)]
    struct Ctx<'a, T> {
        chrome: &'a Chrome,
        #[serde(flatten)]
        content: &'a T,
    }
    let html = state.renderer.render(template, &Ctx { chrome, content })?;
    Ok(PageResponse { status, html, fresh_for_secs: chrome.fresh_for_secs, surrogate_keys }.into_response(headers))
}

/// Turns a handler's failure into the page a reader should see.
pub(crate) async fn failure(state: &AppState, headers: &HeaderMap, error: WebError) -> Response {
    if error.status() == StatusCode::NOT_FOUND {
        return not_found_page(state, headers).await;
    }
    tracing::error!(code = error.code(), error = %error, "request failed");
    plain_error(error.status())
}

async fn not_found_page(state: &AppState, headers: &HeaderMap) -> Response {
    let now = nashir_store::now_micros();
    let rendered = async {
        let chrome = Chrome::load(state, now).await?;
        page(state, headers, StatusCode::NOT_FOUND, "404.html", &chrome, &serde_json::json!({}), vec![])
    }
    .await;
    match rendered {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(code = e.code(), error = %e, "the 404 page failed");
            plain_error(StatusCode::NOT_FOUND)
        }
    }
}

async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    not_found_page(&state, request.headers()).await
}

/// Reads `?page=N`; anything that is not a positive number means the first page.
pub(crate) fn page_number(query: Option<&str>) -> u32 {
    query
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "page")
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_numbers_default_to_one() {
        assert_eq!(super::page_number(Some("page=3")), 3);
        assert_eq!(super::page_number(Some("x=1&page=2")), 2);
        assert_eq!(super::page_number(Some("page=0")), 1);
        assert_eq!(super::page_number(Some("page=abc")), 1);
        assert_eq!(super::page_number(None), 1);
    }
}
