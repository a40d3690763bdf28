//! What editors look after besides articles: the category tree (create, rename, move,
//! delete with reassignment), tags (rename, merge) and the breaking-news ticker.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::{CategoryTree, is_reserved_slug};
use nashir_render::{FluentValue, Renderer};
use nashir_store::{NewBreakingItem, NewCategory, StoreError};
use serde::Serialize;

use super::articles::LocalTime;
use super::extract::{Editor, RequireRole, Staff, StaffForm};
use super::{page, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{Form, Path};
use crate::http::see_other;
use crate::state::AppState;

type Errors = BTreeMap<&'static str, String>;

/// A slug typed by an editor, or one made from the name; reserved words are refused.
fn slug_for(r: &Renderer, typed: &str, name: &str, errors: &mut Errors) -> String {
    let slug = if typed.trim().is_empty() { nashir_arabic::slugify(name) } else { typed.trim().to_owned() };
    if !nashir_core::editorial::slug_is_acceptable(&slug) {
        errors.insert("slug", r.t("nr-msg-slug-malformed"));
    } else if is_reserved_slug(&slug) {
        errors.insert("slug", r.t_with("nr-msg-slug-reserved", [("slug", FluentValue::from(slug.as_str()))]));
    }
    slug
}

#[derive(Serialize)]
struct CategoryRow {
    id: i64,
    name: String,
    slug: String,
    description: String,
    parent_id: i64,
    depth: usize,
    path: String,
    update_url: String,
    delete_url: String,
    articles: i64,
}

#[derive(Serialize, Default)]
struct CategoriesPage {
    rows: Vec<CategoryRow>,
    /// The category bar when it has an order of its own (from an imported menu).
    bar: Vec<crate::views::NavItem>,
    bar_reset_url: String,
    errors: Errors,
    /// Which form the errors belong to: "new" or a category id.
    error_for: String,
    form: BTreeMap<String, String>,
    notice: Option<String>,
}

async fn categories_page(state: &AppState, staff: &Staff, mut content: CategoriesPage, status: StatusCode) -> WebResult {
    let tree = CategoryTree::new(state.store.categories().await?);
    let mut rows = Vec::new();
    fn walk(tree: &CategoryTree, parent: Option<i64>, depth: usize, out: &mut Vec<(i64, usize)>) {
        for c in tree.all().iter().filter(|c| c.parent_id == parent) {
            out.push((c.id, depth));
            if depth < 16 {
                walk(tree, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut order = Vec::new();
    walk(&tree, None, 0, &mut order);
    for (id, depth) in order {
        if let Some(c) = tree.get(id) {
            rows.push(CategoryRow {
                id,
                name: c.name.clone(),
                slug: c.slug.clone(),
                description: c.description.clone(),
                parent_id: c.parent_id.unwrap_or(0),
                depth,
                path: crate::urls::category(&tree.slug_path(id)),
                update_url: urls::category(id),
                delete_url: urls::delete_category(id),
                articles: state.store.category_article_count(id).await?,
            });
        }
    }
    content.rows = rows;
    let links = state.store.nav_links().await?;
    if !links.is_empty() {
        content.bar = crate::views::nav(&tree, &links);
    }
    content.bar_reset_url = urls::reset_category_bar();
    page(state, status, "newsroom/categories.html", Some(staff), &content)
}

pub(crate) async fn categories(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Editor>) -> WebResult {
    categories_page(&state, &staff, CategoriesPage::default(), StatusCode::OK).await
}

/// Validates a category form against the tree; `id` is the category being edited.
fn category_from_form(r: &Renderer, form: &Form, tree: &CategoryTree, id: Option<i64>, errors: &mut Errors) -> NewCategory {
    let name = form.get("name").trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name", r.t("nr-msg-category-name-invalid"));
    }
    let slug = slug_for(r, form.get("slug"), &name, errors);
    let parent_id = form.id("parent_id");
    if let Some(p) = parent_id {
        match tree.get(p) {
            None => {
                errors.insert("parent_id", r.t("nr-msg-category-parent-unknown"));
            }
            Some(_) if id.is_some_and(|me| tree.descendants_and_self(me).contains(&p)) => {
                errors.insert("parent_id", r.t("nr-msg-category-parent-loop"));
            }
            _ => {}
        }
    }
    NewCategory {
        parent_id,
        slug,
        name,
        description: form.get("description").trim().chars().take(500).collect(),
        position: form.get("position").trim().parse().unwrap_or(0),
    }
}

fn typed(form: &Form) -> BTreeMap<String, String> {
    form.typed(&["name", "slug", "parent_id", "description", "position", "reassign_to"])
}

pub(crate) async fn create_category(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let tree = CategoryTree::new(state.store.categories().await?);
    let mut errors = Errors::new();
    let c = category_from_form(&state.renderer, &form, &tree, None, &mut errors);
    if errors.is_empty() {
        match state.store.create_category(&c, nashir_store::now_micros()).await {
            Ok(_) => return Ok(see_other(&urls::categories())),
            Err(StoreError::Conflict(_)) => {
                errors.insert("slug", state.renderer.t("nr-msg-category-slug-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let content = CategoriesPage { errors, error_for: "new".into(), form: typed(&form), ..Default::default() };
    categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(crate) async fn update_category(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let tree = CategoryTree::new(state.store.categories().await?);
    if tree.get(id).is_none() {
        return Err(WebError::NotFound);
    }
    let mut errors = Errors::new();
    let c = category_from_form(&state.renderer, &form, &tree, Some(id), &mut errors);
    if errors.is_empty() {
        match state.store.update_category(id, &c, nashir_store::now_micros()).await {
            Ok(()) => return Ok(see_other(&urls::categories())),
            Err(StoreError::Conflict(_)) => {
                errors.insert("slug", state.renderer.t("nr-msg-category-slug-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let content = CategoriesPage { errors, error_for: id.to_string(), form: typed(&form), ..Default::default() };
    categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The category bar goes back to the top-level categories in their order.
pub(crate) async fn reset_category_bar(State(state): State<AppState>, StaffForm { .. }: StaffForm<Editor>) -> WebResult {
    state.store.set_nav_links(&[], nashir_store::now_micros()).await?;
    Ok(see_other(&urls::categories()))
}

pub(crate) async fn delete_category(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let tree = CategoryTree::new(state.store.categories().await?);
    if tree.get(id).is_none() {
        return Err(WebError::NotFound);
    }
    let target = form.id("reassign_to");
    let mut errors = Errors::new();
    if let Some(t) = target
        && (t == id || tree.get(t).is_none())
    {
        errors.insert("reassign_to", state.renderer.t("nr-msg-category-reassign-unknown"));
    }
    if errors.is_empty() {
        match state.store.delete_category(id, target, nashir_store::now_micros()).await {
            Ok(()) => return Ok(see_other(&urls::categories())),
            Err(StoreError::Conflict(_)) => {
                errors.insert("reassign_to", state.renderer.t("nr-msg-category-has-articles"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let content = CategoriesPage { errors, error_for: id.to_string(), form: typed(&form), ..Default::default() };
    categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Serialize)]
struct TagRow {
    #[serde(flatten)]
    tag: nashir_store::TagCount,
    rename_url: String,
    merge_url: String,
    public_url: String,
}

#[derive(Serialize, Default)]
struct TagsPage {
    tags: Vec<TagRow>,
    errors: Errors,
    error_for: String,
    form: BTreeMap<String, String>,
}

async fn tags_page(state: &AppState, staff: &Staff, mut content: TagsPage, status: StatusCode) -> WebResult {
    content.tags = state
        .store
        .tags_with_counts()
        .await?
        .into_iter()
        .map(|tag| TagRow { rename_url: urls::tag(tag.id), merge_url: urls::merge_tag(tag.id), public_url: crate::urls::tag(&tag.slug), tag })
        .collect();
    page(state, status, "newsroom/tags.html", Some(staff), &content)
}

pub(crate) async fn tags(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Editor>) -> WebResult {
    tags_page(&state, &staff, TagsPage::default(), StatusCode::OK).await
}

pub(crate) async fn rename_tag(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    if !state.store.tags_with_counts().await?.iter().any(|t| t.id == id) {
        return Err(WebError::NotFound);
    }
    let mut errors = Errors::new();
    let name = form.get("name").trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name", state.renderer.t("nr-msg-tag-name-invalid"));
    }
    let slug = slug_for(&state.renderer, form.get("slug"), &name, &mut errors);
    if errors.is_empty() {
        match state.store.rename_tag(id, &slug, &name, nashir_store::now_micros()).await {
            Ok(()) => return Ok(see_other(&urls::tags())),
            Err(StoreError::Conflict(_)) => {
                errors.insert("slug", state.renderer.t("nr-msg-tag-slug-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let form_values = [("name", name), ("slug", form.get("slug").to_owned())].into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    tags_page(&state, &staff, TagsPage { errors, error_for: id.to_string(), form: form_values, ..Default::default() }, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(crate) async fn merge_tag(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let tags = state.store.tags_with_counts().await?;
    if !tags.iter().any(|t| t.id == id) {
        return Err(WebError::NotFound);
    }
    match form.id("into").filter(|into| *into != id && tags.iter().any(|t| t.id == *into)) {
        Some(into) => {
            state.store.merge_tags(id, into, nashir_store::now_micros()).await?;
            Ok(see_other(&urls::tags()))
        }
        None => {
            let mut errors = Errors::new();
            errors.insert("into", state.renderer.t("nr-msg-tag-merge-target"));
            tags_page(&state, &staff, TagsPage { errors, error_for: id.to_string(), ..Default::default() }, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Serialize)]
struct BreakingRow {
    id: i64,
    text: String,
    article_id: Option<i64>,
    starts_at: String,
    expires_at: String,
    position: i64,
    live: bool,
    expired: bool,
    update_url: String,
    delete_url: String,
}

#[derive(Serialize, Default)]
struct BreakingPage {
    items: Vec<BreakingRow>,
    errors: Errors,
    error_for: String,
    form: BTreeMap<String, String>,
    default_start: String,
    default_expiry: String,
}

async fn breaking_page(state: &AppState, staff: &Staff, mut content: BreakingPage, status: StatusCode) -> WebResult {
    let now = nashir_store::now_micros();
    let local = LocalTime::new(state);
    content.items = state
        .store
        .all_breaking_items()
        .await?
        .into_iter()
        .map(|b| BreakingRow {
            live: b.is_live(now),
            update_url: urls::breaking_item(b.id),
            delete_url: urls::delete_breaking(b.id),
            expired: b.expires_at <= now,
            id: b.id,
            text: b.text,
            article_id: b.article_id,
            starts_at: local.format(b.starts_at),
            expires_at: local.format(b.expires_at),
            position: b.position,
        })
        .collect();
    content.default_start = local.format(now);
    content.default_expiry = local.format(now + 6 * 3_600_000_000);
    page(state, status, "newsroom/breaking.html", Some(staff), &content)
}

pub(crate) async fn breaking(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Editor>) -> WebResult {
    breaking_page(&state, &staff, BreakingPage::default(), StatusCode::OK).await
}

async fn breaking_from_form(state: &AppState, form: &Form, errors: &mut Errors) -> WebResult<NewBreakingItem> {
    let local = LocalTime::new(state);
    let text = form.get("text").trim().to_owned();
    if text.is_empty() || text.chars().count() > 300 {
        errors.insert("text", state.renderer.t("nr-msg-breaking-text-invalid"));
    }
    let starts_at = if form.get("starts_at").trim().is_empty() { Some(nashir_store::now_micros()) } else { local.parse(form.get("starts_at")) };
    let expires_at = local.parse(form.get("expires_at"));
    match (starts_at, expires_at) {
        (None, _) => {
            errors.insert("starts_at", state.renderer.t("nr-msg-breaking-start-invalid"));
        }
        (_, None) => {
            errors.insert("expires_at", state.renderer.t("nr-msg-breaking-end-invalid"));
        }
        (Some(s), Some(e)) if e <= s => {
            errors.insert("expires_at", state.renderer.t("nr-msg-breaking-end-before-start"));
        }
        _ => {}
    }
    let article_id = form.id("article_id");
    if let Some(a) = article_id
        && state.store.editable_article(a).await?.is_none()
    {
        errors.insert("article_id", state.renderer.t("nr-msg-breaking-article-unknown"));
    }
    Ok(NewBreakingItem {
        text,
        article_id,
        starts_at: starts_at.unwrap_or(0),
        expires_at: expires_at.unwrap_or(0),
        position: form.get("position").trim().parse().unwrap_or(0),
    })
}

fn breaking_typed(form: &Form) -> BTreeMap<String, String> {
    form.typed(&["text", "article_id", "starts_at", "expires_at", "position"])
}

pub(crate) async fn create_breaking(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let mut errors = Errors::new();
    let item = breaking_from_form(&state, &form, &mut errors).await?;
    if errors.is_empty() {
        state.store.create_breaking_item(&item, nashir_store::now_micros()).await?;
        return Ok(see_other(&urls::breaking()));
    }
    let content = BreakingPage { errors, error_for: "new".into(), form: breaking_typed(&form), ..Default::default() };
    breaking_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(crate) async fn update_breaking(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    if !state.store.all_breaking_items().await?.iter().any(|b| b.id == id) {
        return Err(WebError::NotFound);
    }
    let now = nashir_store::now_micros();
    let mut errors = Errors::new();
    let mut item = breaking_from_form(&state, &form, &mut errors).await?;
    // "Expire now" keeps the text and ends the item at once.
    if form.get("action") == "expire" {
        errors.remove("expires_at");
        item.expires_at = now;
        if item.starts_at >= now {
            item.starts_at = now - 1;
        }
    }
    if errors.is_empty() {
        state.store.update_breaking_item(id, &item, now).await?;
        return Ok(see_other(&urls::breaking()));
    }
    let content = BreakingPage { errors, error_for: id.to_string(), form: breaking_typed(&form), ..Default::default() };
    breaking_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub(crate) async fn delete_breaking(State(state): State<AppState>, Path(id): Path<i64>, _change: StaffForm<Editor>) -> WebResult {
    state.store.delete_breaking_item(id, nashir_store::now_micros()).await?;
    Ok(see_other(&urls::breaking()))
}
