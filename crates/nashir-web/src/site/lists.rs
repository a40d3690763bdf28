//! Paginated lists: a category (with its subcategories' articles), a tag, an author.

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::Page;
use nashir_store::{ListFilter, ListRequest};
use serde::{Deserialize, Serialize};

use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::extract::{PageNumber, Path, Query};
use crate::state::AppState;
use crate::urls;
use crate::views::{self, Card, Crumb, Pagination};

const PAGE_SIZE: u32 = 10;

/// `?page=N`; other parameters are ignored.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ListQuery {
    page: PageNumber,
}

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
    /// The list's own feeds, for `<link rel="alternate">`.
    feeds: Vec<super::feeds::FeedLink>,
    /// `BreadcrumbList`, and `ProfilePage` on an author's page.
    json_ld: String,
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

/// The `ProfilePage` of an author's list.
fn profile(state: &AppState, spec: &ListSpec) -> serde_json::Value {
    let url = crate::seo::absolute(&state.site, &spec.base_url);
    crate::seo::profile_page(&state.site, &spec.title, &spec.description, &url)
}

pub(crate) async fn category(State(state): State<AppState>, Path(path): Path<String>, Query(q): Query<ListQuery>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let tree = &chrome.tree;
    // `/category/a/b/feed`, `…/feed/atom`, `…/feed.json`: the category's feeds.
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for take in [1, 2] {
        if segments.len() > take
            && let Some(format) = super::feeds::Format::from_tail(&segments[segments.len() - take..].join("/"))
            && let Some(cat) = tree.find_by_path(segments[..segments.len() - take].iter().copied())
        {
            return super::feeds::category(&state, &chrome, cat.id, format, now).await;
        }
    }
    let cat = tree.find_by_path(segments.iter().copied()).ok_or(WebError::NotFound)?;
    let spec = ListSpec {
        kind: "category",
        title: cat.name.clone(),
        description: cat.description.clone(),
        base_url: urls::category(&tree.slug_path(cat.id)),
        breadcrumbs: views::category_crumbs(&state.renderer, tree, cat.id),
        subcategories: tree.children(cat.id).map(|c| Crumb { name: c.name.clone(), url: urls::category(&tree.slug_path(c.id)) }).collect(),
        filter: ListFilter::Categories(tree.descendants_and_self(cat.id)),
        surrogate_key: format!("category:{}", cat.id),
    };
    render(&state, &chrome, spec, q.page, now).await
}

pub(crate) async fn tag(State(state): State<AppState>, Path(slug): Path<String>, Query(q): Query<ListQuery>) -> WebResult {
    let now = nashir_store::now_micros();
    let tag = state.store.tag_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let chrome = Chrome::load(&state, now).await?;
    let url = urls::tag(&tag.slug);
    let spec = ListSpec {
        kind: "tag",
        title: tag.name.clone(),
        description: String::new(),
        breadcrumbs: vec![views::home_crumb(&state.renderer), Crumb { name: tag.name.clone(), url: url.clone() }],
        base_url: url,
        subcategories: vec![],
        filter: ListFilter::Tag(tag.id),
        surrogate_key: format!("tag:{}", tag.id),
    };
    render(&state, &chrome, spec, q.page, now).await
}

pub(crate) async fn author(State(state): State<AppState>, Path(slug): Path<String>, Query(q): Query<ListQuery>) -> WebResult {
    let now = nashir_store::now_micros();
    let person = state.store.person_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let chrome = Chrome::load(&state, now).await?;
    let url = urls::author(&person.slug);
    let spec = ListSpec {
        kind: "author",
        title: person.name.clone(),
        description: person.bio.clone(),
        breadcrumbs: vec![views::home_crumb(&state.renderer), Crumb { name: person.name.clone(), url: url.clone() }],
        base_url: url,
        subcategories: vec![],
        filter: ListFilter::Author(person.id),
        surrogate_key: format!("author:{}", person.id),
    };
    render(&state, &chrome, spec, q.page, now).await
}

async fn render(state: &AppState, chrome: &Chrome, spec: ListSpec, page_no: PageNumber, now: i64) -> WebResult {
    let total = chrome.count(state, &spec.filter, now).await?;
    let pg = Page::new(page_no.get(), PAGE_SIZE, total);
    // Past the last page there is nothing to show; an empty category still has a page 1.
    if pg.number > pg.total_pages() {
        return Err(WebError::NotFound);
    }
    let request = ListRequest { filter: &spec.filter, limit: u64::from(pg.size), offset: pg.offset() };
    let list = super::lists(state, now, &[request]).await?.pop().unwrap_or_default();
    let mut json_ld = vec![crate::seo::breadcrumbs(&state.site, &spec.breadcrumbs)];
    if spec.kind == "author" {
        json_ld.push(profile(state, &spec));
    }
    let feeds = super::feeds::links(&spec.base_url, &format!("{} — {}", spec.title, state.site.name));
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
        feeds,
        json_ld: crate::seo::script_json(&serde_json::Value::Array(json_ld)),
    };
    page(state, StatusCode::OK, "list.html", chrome, &content, vec![spec.surrogate_key, "lists".into()])
}
