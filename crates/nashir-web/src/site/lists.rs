//! Paginated lists: a category (with its subcategories' articles), a tag, an author.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use nashir_core::Page;
use nashir_store::ListFilter;
use serde::Serialize;

use super::views::{self, Card, Crumb, Pagination};
use super::{Chrome, failure, page, page_number};
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

const PAGE_SIZE: u32 = 10;

#[derive(Serialize)]
struct ListPage {
    kind: &'static str,
    title: String,
    description: String,
    canonical: String,
    breadcrumbs: Vec<Crumb>,
    subcategories: Vec<Crumb>,
    cards: Vec<Card>,
    paging: Pagination,
}

/// What a list shows, found from the URL.
struct ListSpec {
    kind: &'static str,
    title: String,
    description: String,
    base_url: String,
    breadcrumbs: Vec<Crumb>,
    subcategories: Vec<Crumb>,
    filter: ListFilter,
    surrogate_key: String,
}

pub(crate) async fn category(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let now = nashir_store::now_micros();
    let result = async {
        let chrome = Chrome::load(&state, now).await?;
        let slugs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let tree = &chrome.tree;
        let cat = tree.find_by_path(slugs.iter().copied()).ok_or(WebError::NotFound)?;
        let mut breadcrumbs = vec![Crumb { name: "الرئيسية".into(), url: "/".into() }];
        for c in tree.path(cat.id) {
            breadcrumbs.push(Crumb { name: c.name.clone(), url: urls::category(&tree.slug_path(c.id)) });
        }
        let subcategories = tree
            .children(cat.id)
            .map(|c| Crumb { name: c.name.clone(), url: urls::category(&tree.slug_path(c.id)) })
            .collect();
        let spec = ListSpec {
            kind: "category",
            title: cat.name.clone(),
            description: cat.description.clone(),
            base_url: urls::category(&tree.slug_path(cat.id)),
            breadcrumbs,
            subcategories,
            filter: ListFilter::Categories(tree.descendants_and_self(cat.id)),
            surrogate_key: format!("category:{}", cat.id),
        };
        render(&state, &headers, &chrome, spec, page_number(query.as_deref()), now).await
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => failure(&state, &headers, e).await,
    }
}

pub(crate) async fn tag(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let now = nashir_store::now_micros();
    let result = async {
        let tag = state.store.tag_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
        let chrome = Chrome::load(&state, now).await?;
        let spec = ListSpec {
            kind: "tag",
            title: tag.name.clone(),
            description: String::new(),
            base_url: urls::tag(&tag.slug),
            breadcrumbs: vec![Crumb { name: "الرئيسية".into(), url: "/".into() }, Crumb { name: tag.name.clone(), url: urls::tag(&tag.slug) }],
            subcategories: vec![],
            filter: ListFilter::Tag(tag.id),
            surrogate_key: format!("tag:{}", tag.id),
        };
        render(&state, &headers, &chrome, spec, page_number(query.as_deref()), now).await
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => failure(&state, &headers, e).await,
    }
}

pub(crate) async fn author(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let now = nashir_store::now_micros();
    let result = async {
        let person = state.store.person_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
        let chrome = Chrome::load(&state, now).await?;
        let spec = ListSpec {
            kind: "author",
            title: person.name.clone(),
            description: person.bio.clone(),
            base_url: urls::author(&person.slug),
            breadcrumbs: vec![Crumb { name: "الرئيسية".into(), url: "/".into() }, Crumb { name: person.name.clone(), url: urls::author(&person.slug) }],
            subcategories: vec![],
            filter: ListFilter::Author(person.id),
            surrogate_key: format!("author:{}", person.id),
        };
        render(&state, &headers, &chrome, spec, page_number(query.as_deref()), now).await
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => failure(&state, &headers, e).await,
    }
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    chrome: &Chrome,
    spec: ListSpec,
    page_no: u32,
    now: i64,
) -> Result<Response, WebError> {
    let total = state.store.count_published(now, &spec.filter).await?;
    let pg = Page::new(page_no, PAGE_SIZE, total);
    // Past the last page there is nothing to show; an empty category still has a page 1.
    if pg.number > pg.total_pages() {
        return Err(WebError::NotFound);
    }
    let list = state.store.published_list(now, &spec.filter, u64::from(pg.size), pg.offset()).await?;
    let canonical_path = if pg.number > 1 { format!("{}?page={}", spec.base_url, pg.number) } else { spec.base_url.clone() };
    let content = ListPage {
        kind: spec.kind,
        title: spec.title,
        description: spec.description,
        canonical: format!("{}{}", state.site.public_url, canonical_path),
        breadcrumbs: spec.breadcrumbs,
        subcategories: spec.subcategories,
        cards: views::cards(&list, &chrome.tree),
        paging: views::pagination(&spec.base_url, &pg),
    };
    page(state, headers, StatusCode::OK, "list.html", chrome, &content, vec![spec.surrogate_key])
}
