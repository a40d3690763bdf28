//! What editors look after besides articles: the category tree (create, rename, move,
//! delete with reassignment), tags (rename, merge) and the breaking-news ticker.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use nashir_core::permissions::can_manage_site_content;
use nashir_core::{CategoryTree, is_reserved_slug};
use nashir_store::{NewBreakingItem, NewCategory, StoreError};
use serde::Serialize;

use super::articles::LocalTime;
use super::{Form, NrError, Staff, page, redirect, respond, staff, staff_post};
use crate::state::AppState;

type Errors = BTreeMap<&'static str, String>;

async fn editor(state: &AppState, headers: &HeaderMap, path: &str) -> Result<Staff, NrError> {
    let s = staff(state, headers, path).await?;
    s.require(can_manage_site_content(s.role()))?;
    Ok(s)
}

async fn editor_post(state: &AppState, headers: &HeaderMap, form: &Form) -> Result<Staff, NrError> {
    let s = staff_post(state, headers, form).await?;
    s.require(can_manage_site_content(s.role()))?;
    Ok(s)
}

/// A slug typed by an editor, or one made from the name; reserved words are refused.
fn slug_for(typed: &str, name: &str, errors: &mut Errors) -> String {
    let slug = if typed.trim().is_empty() { nashir_arabic::slugify(name) } else { typed.trim().to_owned() };
    if slug.is_empty() || !nashir_arabic::is_valid_slug(&slug) || nashir_arabic::slugify(&slug) != slug {
        errors.insert("slug", "الاسم اللطيف يتكون من حروف وأرقام تفصل بينها شرطات.".into());
    } else if is_reserved_slug(&slug) {
        errors.insert("slug", format!("«{slug}» كلمة محجوزة في الروابط؛ اختر غيرها."));
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
    articles: i64,
}

#[derive(Serialize, Default)]
struct CategoriesPage {
    rows: Vec<CategoryRow>,
    errors: Errors,
    /// Which form the errors belong to: "new" or a category id.
    error_for: String,
    form: BTreeMap<String, String>,
    notice: Option<String>,
}

async fn categories_page(state: &AppState, staff: &Staff, mut content: CategoriesPage, status: StatusCode) -> Result<Response, NrError> {
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
                articles: state.store.category_article_count(id).await?,
            });
        }
    }
    content.rows = rows;
    page(state, status, "newsroom/categories.html", Some(staff), &content)
}

pub(crate) async fn categories(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = editor(&state, &headers, "/newsroom/categories").await?;
        categories_page(&state, &staff, CategoriesPage::default(), StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

/// Validates a category form against the tree; `id` is the category being edited.
fn category_from_form(form: &Form, tree: &CategoryTree, id: Option<i64>, errors: &mut Errors) -> NewCategory {
    let name = form.get("name").trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name", "اكتب اسم القسم (حتى ١٠٠ حرف).".into());
    }
    let slug = slug_for(form.get("slug"), &name, errors);
    let parent_id = form.id("parent_id");
    if let Some(p) = parent_id {
        match tree.get(p) {
            None => {
                errors.insert("parent_id", "القسم الأب غير موجود.".into());
            }
            Some(_) if id.is_some_and(|me| tree.descendants_and_self(me).contains(&p)) => {
                errors.insert("parent_id", "لا يمكن نقل قسم إلى داخل نفسه أو أحد فروعه.".into());
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
    ["name", "slug", "parent_id", "description", "position", "reassign_to"]
        .iter()
        .map(|k| ((*k).to_owned(), form.get(k).to_owned()))
        .collect()
}

pub(crate) async fn create_category(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        let tree = CategoryTree::new(state.store.categories().await?);
        let mut errors = Errors::new();
        let c = category_from_form(&form, &tree, None, &mut errors);
        if errors.is_empty() {
            match state.store.create_category(&c, nashir_store::now_micros()).await {
                Ok(_) => return Ok(redirect("/newsroom/categories")),
                Err(StoreError::Conflict(_)) => {
                    errors.insert("slug", "يوجد قسم بهذا الاسم اللطيف في المستوى نفسه.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let content = CategoriesPage { errors, error_for: "new".into(), form: typed(&form), ..Default::default() };
        categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn update_category(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        let tree = CategoryTree::new(state.store.categories().await?);
        if tree.get(id).is_none() {
            return Err(NrError::NotFound);
        }
        let mut errors = Errors::new();
        let c = category_from_form(&form, &tree, Some(id), &mut errors);
        if errors.is_empty() {
            match state.store.update_category(id, &c, nashir_store::now_micros()).await {
                Ok(()) => return Ok(redirect("/newsroom/categories")),
                Err(StoreError::Conflict(_)) => {
                    errors.insert("slug", "يوجد قسم بهذا الاسم اللطيف في المستوى نفسه.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let content = CategoriesPage { errors, error_for: id.to_string(), form: typed(&form), ..Default::default() };
        categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn delete_category(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        let tree = CategoryTree::new(state.store.categories().await?);
        if tree.get(id).is_none() {
            return Err(NrError::NotFound);
        }
        let target = form.id("reassign_to");
        let mut errors = Errors::new();
        if let Some(t) = target
            && (t == id || tree.get(t).is_none())
        {
            errors.insert("reassign_to", "اختر قسماً آخر موجوداً لنقل المقالات إليه.".into());
        }
        if errors.is_empty() {
            match state.store.delete_category(id, target, nashir_store::now_micros()).await {
                Ok(()) => return Ok(redirect("/newsroom/categories")),
                Err(StoreError::Conflict(_)) => {
                    errors.insert("reassign_to", "في هذا القسم مقالات: اختر قسماً تنتقل إليه قبل الحذف.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let content = CategoriesPage { errors, error_for: id.to_string(), form: typed(&form), ..Default::default() };
        categories_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

#[derive(Serialize, Default)]
struct TagsPage {
    tags: Vec<nashir_store::TagCount>,
    errors: Errors,
    error_for: String,
    form: BTreeMap<String, String>,
}

async fn tags_page(state: &AppState, staff: &Staff, mut content: TagsPage, status: StatusCode) -> Result<Response, NrError> {
    content.tags = state.store.tags_with_counts().await?;
    page(state, status, "newsroom/tags.html", Some(staff), &content)
}

pub(crate) async fn tags(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = editor(&state, &headers, "/newsroom/tags").await?;
        tags_page(&state, &staff, TagsPage::default(), StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn rename_tag(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        if !state.store.tags_with_counts().await?.iter().any(|t| t.id == id) {
            return Err(NrError::NotFound);
        }
        let mut errors = Errors::new();
        let name = form.get("name").trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.insert("name", "اكتب اسم الوسم (حتى ١٠٠ حرف).".into());
        }
        let slug = slug_for(form.get("slug"), &name, &mut errors);
        if errors.is_empty() {
            match state.store.rename_tag(id, &slug, &name, nashir_store::now_micros()).await {
                Ok(()) => return Ok(redirect("/newsroom/tags")),
                Err(StoreError::Conflict(_)) => {
                    errors.insert("slug", "يوجد وسم بهذا الاسم اللطيف؛ ادمجهما بدلاً من ذلك.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let form_values = [("name", name), ("slug", form.get("slug").to_owned())].into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        tags_page(&state, &staff, TagsPage { errors, error_for: id.to_string(), form: form_values, ..Default::default() }, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn merge_tag(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        let tags = state.store.tags_with_counts().await?;
        if !tags.iter().any(|t| t.id == id) {
            return Err(NrError::NotFound);
        }
        match form.id("into").filter(|into| *into != id && tags.iter().any(|t| t.id == *into)) {
            Some(into) => {
                state.store.merge_tags(id, into, nashir_store::now_micros()).await?;
                Ok(redirect("/newsroom/tags"))
            }
            None => {
                let mut errors = Errors::new();
                errors.insert("into", "اختر وسماً آخر لدمج هذا الوسم فيه.".into());
                tags_page(&state, &staff, TagsPage { errors, error_for: id.to_string(), ..Default::default() }, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
    }
    .await;
    respond(&state, result).await
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

async fn breaking_page(state: &AppState, staff: &Staff, mut content: BreakingPage, status: StatusCode) -> Result<Response, NrError> {
    let now = nashir_store::now_micros();
    let local = LocalTime::new(state);
    content.items = state
        .store
        .all_breaking_items()
        .await?
        .into_iter()
        .map(|b| BreakingRow {
            live: b.is_live(now),
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

pub(crate) async fn breaking(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = editor(&state, &headers, "/newsroom/breaking").await?;
        breaking_page(&state, &staff, BreakingPage::default(), StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

async fn breaking_from_form(state: &AppState, form: &Form, errors: &mut Errors) -> Result<NewBreakingItem, NrError> {
    let local = LocalTime::new(state);
    let text = form.get("text").trim().to_owned();
    if text.is_empty() || text.chars().count() > 300 {
        errors.insert("text", "اكتب نص الخبر العاجل (حتى ٣٠٠ حرف).".into());
    }
    let starts_at = if form.get("starts_at").trim().is_empty() { Some(nashir_store::now_micros()) } else { local.parse(form.get("starts_at")) };
    let expires_at = local.parse(form.get("expires_at"));
    match (starts_at, expires_at) {
        (None, _) => {
            errors.insert("starts_at", "اكتب وقت بدء صحيحاً.".into());
        }
        (_, None) => {
            errors.insert("expires_at", "اكتب وقت انتهاء صحيحاً.".into());
        }
        (Some(s), Some(e)) if e <= s => {
            errors.insert("expires_at", "وقت الانتهاء يجب أن يأتي بعد وقت البدء.".into());
        }
        _ => {}
    }
    let article_id = form.id("article_id");
    if let Some(a) = article_id
        && state.store.editable_article(a).await?.is_none()
    {
        errors.insert("article_id", "لا يوجد مقال بهذا الرقم.".into());
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
    ["text", "article_id", "starts_at", "expires_at", "position"].iter().map(|k| ((*k).to_owned(), form.get(k).to_owned())).collect()
}

pub(crate) async fn create_breaking(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        let mut errors = Errors::new();
        let item = breaking_from_form(&state, &form, &mut errors).await?;
        if errors.is_empty() {
            state.store.create_breaking_item(&item, nashir_store::now_micros()).await?;
            return Ok(redirect("/newsroom/breaking"));
        }
        let content = BreakingPage { errors, error_for: "new".into(), form: breaking_typed(&form), ..Default::default() };
        breaking_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn update_breaking(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = editor_post(&state, &headers, &form).await?;
        if !state.store.all_breaking_items().await?.iter().any(|b| b.id == id) {
            return Err(NrError::NotFound);
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
            return Ok(redirect("/newsroom/breaking"));
        }
        let content = BreakingPage { errors, error_for: id.to_string(), form: breaking_typed(&form), ..Default::default() };
        breaking_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn delete_breaking(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        editor_post(&state, &headers, &form).await?;
        state.store.delete_breaking_item(id, nashir_store::now_micros()).await?;
        Ok(redirect("/newsroom/breaking"))
    }
    .await;
    respond(&state, result).await
}
