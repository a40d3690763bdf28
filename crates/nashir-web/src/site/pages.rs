//! Static pages (imported WordPress pages, "about us" and the like) at
//! `/page/{parent}/{child}/`, with their hierarchy in the breadcrumbs.

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::PublishState;
use nashir_store::StaticPage;
use serde::Serialize;

use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::state::AppState;
use crate::urls;
use crate::views::{self, Crumb};

#[derive(Serialize)]
struct PageView {
    title: String,
    body_html: String,
    updated_at: i64,
    canonical: String,
    breadcrumbs: Vec<Crumb>,
    children: Vec<Crumb>,
}

/// The chain of pages from the root to `id` (stops on a cycle in stored data).
fn chain(pages: &[StaticPage], id: i64) -> Vec<&StaticPage> {
    let mut out: Vec<&StaticPage> = Vec::new();
    let mut next = pages.iter().find(|p| p.id == id);
    while let Some(p) = next {
        if out.iter().any(|q| q.id == p.id) {
            break;
        }
        out.push(p);
        next = p.parent_id.and_then(|parent| pages.iter().find(|q| q.id == parent));
    }
    out.reverse();
    out
}

fn path_of(pages: &[StaticPage], id: i64) -> String {
    let segments: Vec<String> = chain(pages, id).iter().map(|p| urls::segment(&p.slug)).collect();
    format!("/page/{}/", segments.join("/"))
}

/// The address of a published page (for the sitemap).
pub(crate) fn path_if_public(pages: &[StaticPage], id: i64) -> Option<String> {
    pages.iter().find(|p| p.id == id && p.state == PublishState::Published)?;
    Some(path_of(pages, id))
}

pub(crate) async fn page_url(state: &AppState, id: i64) -> Option<String> {
    let pages = state.store.pages().await.ok()?;
    pages.iter().find(|p| p.id == id && p.state == PublishState::Published)?;
    Some(path_of(&pages, id))
}

pub(crate) async fn static_page(State(state): State<AppState>, Path(path): Path<String>) -> WebResult {
    let pages = state.store.pages().await?;
    let mut parent: Option<i64> = None;
    let mut found: Option<&StaticPage> = None;
    for slug in path.split('/').filter(|s| !s.is_empty()) {
        let p = pages.iter().find(|p| p.parent_id == parent && p.slug == slug).ok_or(WebError::NotFound)?;
        parent = Some(p.id);
        found = Some(p);
    }
    let p = found.filter(|p| p.state == PublishState::Published).ok_or(WebError::NotFound)?;
    let mut breadcrumbs = vec![views::home_crumb(&state.renderer)];
    for c in chain(&pages, p.id) {
        breadcrumbs.push(Crumb { name: c.title.clone(), url: path_of(&pages, c.id) });
    }
    let children = pages
        .iter()
        .filter(|c| c.parent_id == Some(p.id) && c.state == PublishState::Published)
        .map(|c| Crumb { name: c.title.clone(), url: path_of(&pages, c.id) })
        .collect();
    let chrome = Chrome::load(&state, nashir_store::now_micros()).await?;
    let view = PageView {
        title: p.title.clone(),
        body_html: p.body_html.clone(),
        updated_at: p.updated_at,
        canonical: format!("{}{}", state.site.public_url, path_of(&pages, p.id)),
        breadcrumbs,
        children,
    };
    page(&state, StatusCode::OK, "page.html", &chrome, &view, vec![format!("page:{}", p.id)])
}
