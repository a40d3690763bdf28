//! Old URLs of a migrated site (WordPress permalinks, `/?p=ID`, old category, tag and
//! author paths) answer 301 to the current canonical URL. Only requests that would
//! otherwise be 404 are looked up, so the hot path pays nothing.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use nashir_core::CategoryTree;

use crate::http::moved_permanently;
use crate::state::AppState;
use crate::urls;

/// The form old paths are stored in (the importer's `normalize_path`), so `%D8%A7` and
/// `ا`, with or without a trailing slash, meet.
pub(crate) fn normalize(path_and_query: &str) -> String {
    nashir_import::normalize_path(path_and_query)
}

pub(crate) async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wanted = (request.method() == Method::GET || request.method() == Method::HEAD)
        .then(|| request.uri().path_and_query().map(|p| p.as_str().to_owned()))
        .flatten();
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some(path) = wanted else { return response };
    match resolve(&state, &normalize(&path)).await {
        Some(location) => moved_permanently(&location),
        None => response,
    }
}

/// The canonical URL an old path now means, if it still means something public.
pub(crate) async fn resolve(state: &AppState, old_path: &str) -> Option<String> {
    let target = state.store.redirect_target(old_path).await.ok().flatten()?;
    let (kind, id) = target.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "article" => {
            let now = nashir_store::now_micros();
            let a = state.store.published_article(id, now).await.ok().flatten()?;
            Some(urls::article(a.id, &a.slug))
        }
        "category" => {
            let tree = CategoryTree::new(state.store.categories().await.ok()?);
            tree.get(id)?;
            Some(urls::category(&tree.slug_path(id)))
        }
        "tag" => state.store.tag_by_id(id).await.ok().flatten().map(|slug| urls::tag(&slug)),
        "author" => state.store.person(id).await.ok().flatten().map(|p| urls::author(&p.slug)),
        "page" => super::pages::page_url(state, id).await,
        _ => None,
    }
}
