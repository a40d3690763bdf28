//! Articles in the newsroom: the filtered list, the editor (create, save, submit, publish,
//! schedule, unpublish), autosave and its restore, preview, and revisions with restore.
//! Who may do what and what a field must hold are `nashir_core::editorial`'s rules; this
//! module reads the form, words the answers and writes through the store.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use nashir_core::editorial::{self, ArticleFields, Current, EditAction, FieldError, PublishAt, Refusal};
use nashir_core::permissions::{can_assign_author, can_edit_article, can_publish};
use nashir_core::{Article, CategoryTree, PublishState, Role};
use nashir_render::{FluentValue, Renderer};
use nashir_store::{ArticleDraft, Autosave, EditableArticle, NewsroomFilter};
use serde::{Deserialize, Serialize};

use super::extract::{Staff, StaffForm};
use super::{no_store, page, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{Form, OptionalId, PageNumber, Path, Query};
use crate::http::see_other;
use crate::site::Chrome;
use crate::site::article::TagLink;
use crate::state::AppState;

const PAGE_SIZE: u32 = 30;

/// An article's state in the site's language.
pub(crate) fn state_label(r: &Renderer, state: PublishState) -> String {
    r.t(match state {
        PublishState::Draft => "nr-msg-state-draft",
        PublishState::Pending => "nr-msg-state-pending",
        PublishState::Scheduled => "nr-msg-state-scheduled",
        PublishState::Published => "nr-msg-state-published",
        PublishState::Unpublished => "nr-msg-state-unpublished",
    })
}

/// The words for a field's problem, in the site's language.
pub(crate) fn field_text(r: &Renderer, e: FieldError) -> String {
    let at_most = |id: &str, max: usize| r.t_with(id, [("max", FluentValue::from(max))]);
    match e {
        FieldError::TitleMissing => r.t("nr-msg-article-title-missing"),
        FieldError::TitleTooLong => at_most("nr-msg-article-title-too-long", editorial::MAX_TITLE_CHARS),
        FieldError::SlugMalformed => r.t("nr-msg-article-slug-malformed"),
        FieldError::BodyTooLong => r.t("nr-msg-article-body-too-long"),
        FieldError::ExcerptTooLong => at_most("nr-msg-article-excerpt-too-long", editorial::MAX_EXCERPT_CHARS),
        FieldError::CategoryUnknown => r.t("nr-msg-article-category-unknown"),
        FieldError::OtherCategoryUnknown => r.t("nr-msg-article-other-category-unknown"),
        FieldError::AuthorUnknown => r.t("nr-msg-article-author-unknown"),
        FieldError::PublishAtUnreadable => r.t("nr-msg-article-publish-at-unreadable"),
        FieldError::PublishAtMissing => r.t("nr-msg-article-publish-at-missing"),
        FieldError::PublishAtNotInFuture => r.t("nr-msg-article-publish-at-past"),
    }
}

/// Formats and parses `<input type="datetime-local">` values in the site's time zone.
pub(crate) struct LocalTime {
    tz: jiff::tz::TimeZone,
}

impl LocalTime {
    pub(crate) fn new(state: &AppState) -> Self {
        let name = &state.site.time_zone;
        let tz = jiff::tz::TimeZone::get(name)
            .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(name))
            .unwrap_or(jiff::tz::TimeZone::UTC);
        Self { tz }
    }
    pub(crate) fn format(&self, micros: i64) -> String {
        jiff::Timestamp::from_microsecond(micros)
            .map(|t| t.to_zoned_datetime(self.tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }
    pub(crate) fn parse(&self, text: &str) -> Option<i64> {
        let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
        civil.to_zoned_datetime(self.tz.clone()).ok().map(|z| z.timestamp().as_microsecond())
    }
    /// What the editor typed, as a publication time.
    fn publish_at(&self, text: &str) -> PublishAt {
        if text.trim().is_empty() {
            PublishAt::Unset
        } else {
            self.parse(text).map_or(PublishAt::Unreadable, PublishAt::At)
        }
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ListRow {
    id: i64,
    title: String,
    status: &'static str,
    status_label: String,
    author_name: String,
    category: String,
    when: i64,
    edit_url: String,
    public_url: Option<String>,
    can_edit: bool,
    /// Readers' views in the last 7 days.
    views: i64,
}

#[derive(Serialize)]
struct ListPage {
    rows: Vec<ListRow>,
    total: i64,
    q: String,
    statuses: Vec<Choice>,
    authors: Vec<Choice>,
    categories: Vec<Choice>,
    prev_url: Option<String>,
    next_url: Option<String>,
    page: u32,
}

fn category_choices(tree: &CategoryTree, selected: &[i64]) -> Vec<Choice> {
    fn walk(tree: &CategoryTree, parent: Option<i64>, depth: usize, selected: &[i64], out: &mut Vec<Choice>) {
        for c in tree.all().iter().filter(|c| c.parent_id == parent) {
            out.push(Choice { value: c.id.to_string(), label: format!("{}{}", "— ".repeat(depth), c.name), selected: selected.contains(&c.id) });
            if depth < 16 {
                walk(tree, Some(c.id), depth + 1, selected, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, None, 0, selected, &mut out);
    out
}

/// The list's filters, as typed.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub(crate) struct ListQuery {
    status: String,
    #[serde(skip_serializing)]
    author: OptionalId,
    #[serde(skip_serializing)]
    category: OptionalId,
    q: String,
    #[serde(skip_serializing)]
    page: PageNumber,
}

impl ListQuery {
    fn url(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("status", &self.status), ("q", &self.q)] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        for (k, v) in [("author", self.author.0), ("category", self.category.0)] {
            if let Some(id) = v {
                pairs.push((k, id.to_string()));
            }
        }
        pairs.push(("page", page.to_string()));
        urls::articles_query(&serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

pub(crate) async fn list(State(state): State<AppState>, staff: Staff, Query(q): Query<ListQuery>) -> WebResult {
    // Words are searched with the site's analyzer over every article, drafts and scheduled
    // ones included (the newsroom's own index); the best matches come first.
    let text: String = q.q.trim().chars().take(200).collect();
    let ranked = match (&state.staff_search, text.is_empty()) {
        (Some(index), false) => {
            let (index, query) = (index.clone(), text.clone());
            match tokio::task::spawn_blocking(move || index.search_ids(&query, nashir_search::MAX_LIMIT)).await {
                Ok(Ok(ids)) => Some(ids),
                // Words that cannot be searched (punctuation only…) find nothing.
                Ok(Err(nashir_search::SearchError::Query(_))) => Some(Vec::new()),
                Ok(Err(e)) => return Err(WebError::internal(e)),
                Err(e) => return Err(WebError::internal(e)),
            }
        }
        _ => None,
    };
    let filter = NewsroomFilter {
        status: q.status.trim().parse().ok(),
        author_id: q.author.0,
        category_id: q.category.0,
        title: (ranked.is_none() && !text.is_empty()).then(|| text.clone()),
        // Contributors see their own articles and published ones: never others' drafts.
        own_or_published: (staff.role() == Role::Contributor).then_some(staff.person.id),
        ids: ranked.clone(),
    };
    let page_no = q.page.get();
    let offset = i64::from(page_no - 1) * i64::from(PAGE_SIZE);
    let (rows, total) = match &ranked {
        None => state.store.newsroom_list(&filter, i64::from(PAGE_SIZE), offset).await?,
        Some(order) => {
            let (mut rows, total) = state.store.newsroom_list(&filter, i64::try_from(order.len()).unwrap_or(0), 0).await?;
            rows.sort_by_key(|r| order.iter().position(|id| *id == r.id).unwrap_or(usize::MAX));
            let rows = rows.into_iter().skip(usize::try_from(offset).unwrap_or(0)).take(PAGE_SIZE as usize).collect();
            (rows, total)
        }
    };
    let tree = CategoryTree::new(state.store.categories().await?);
    let people = state.store.staff_list().await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let week = nashir_store::view_hour(nashir_store::now_micros()) - 24 * 7 + 1;
    let views = state.store.view_counts(&ids, week).await?;
    let rows = rows
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            title: if r.title.is_empty() { state.renderer.t("nr-msg-article-untitled") } else { r.title.clone() },
            status: r.state.as_str(),
            status_label: state_label(&state.renderer, r.state),
            author_name: r.author_name,
            category: r.primary_category_id.and_then(|c| tree.get(c)).map(|c| c.name.clone()).unwrap_or_default(),
            when: r.published_at.or(r.publish_at).unwrap_or(r.updated_at),
            edit_url: urls::article(r.id),
            public_url: (r.state == PublishState::Published).then(|| crate::urls::article(r.id, &r.slug)),
            can_edit: can_edit_article(staff.role(), staff.person.id, r.author_id, r.state),
            views: views.get(&r.id).copied().unwrap_or(0),
        })
        .collect();
    let content = ListPage {
        rows,
        total,
        statuses: PublishState::ALL
            .iter()
            .map(|s| Choice { value: s.as_str().into(), label: state_label(&state.renderer, *s), selected: filter.status == Some(*s) })
            .collect(),
        authors: people
            .iter()
            .map(|p| Choice { value: p.id.to_string(), label: p.name.clone(), selected: filter.author_id == Some(p.id) })
            .collect(),
        categories: category_choices(&tree, &filter.category_id.into_iter().collect::<Vec<_>>()),
        prev_url: (page_no > 1).then(|| q.url(page_no - 1)),
        next_url: (i64::from(page_no) * i64::from(PAGE_SIZE) < total).then(|| q.url(page_no + 1)),
        page: page_no,
        q: q.q,
    };
    page(&state, StatusCode::OK, "newsroom/articles.html", Some(&staff), &content)
}

/// The editor's fields, as typed (kept on every refusal).
#[derive(Serialize, Default, Clone)]
struct Fields {
    title: String,
    slug: String,
    body: String,
    excerpt: String,
    author_id: i64,
    primary_category_id: i64,
    other_category_ids: Vec<i64>,
    tags: String,
    publish_at: String,
}

impl Fields {
    fn from_form(form: &Form, author_id: i64) -> Fields {
        Fields {
            title: form.trimmed("title").to_owned(),
            slug: form.trimmed("slug").to_owned(),
            body: form.get("body").to_owned(),
            excerpt: form.trimmed("excerpt").to_owned(),
            author_id,
            primary_category_id: form.id("primary_category_id").unwrap_or(0),
            other_category_ids: form.all("other_category_ids").iter().filter_map(|v| v.parse().ok()).collect(),
            tags: form.get("tags").to_owned(),
            publish_at: form.get("publish_at").to_owned(),
        }
    }

    fn from_article(a: &EditableArticle, other: Vec<i64>, tags: String, local: &LocalTime) -> Fields {
        Fields {
            title: a.title.clone(),
            slug: a.slug.clone(),
            body: a.body_html.clone(),
            excerpt: a.excerpt.clone(),
            author_id: a.author_id,
            primary_category_id: a.primary_category_id.unwrap_or(0),
            other_category_ids: other.into_iter().filter(|c| Some(*c) != a.primary_category_id).collect(),
            tags,
            publish_at: a.publish_at.or(a.published_at).map(|t| local.format(t)).unwrap_or_default(),
        }
    }

    fn primary_category(&self) -> Option<i64> {
        Some(self.primary_category_id).filter(|c| *c != 0)
    }
}

#[derive(Serialize)]
struct Notice {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct EditorPage {
    id: Option<i64>,
    version: i64,
    status: &'static str,
    status_label: String,
    fields: Fields,
    errors: BTreeMap<&'static str, String>,
    notices: Vec<Notice>,
    categories: Vec<Choice>,
    other_categories: Vec<Choice>,
    authors: Vec<Choice>,
    can_assign_author: bool,
    can_publish: bool,
    is_published: bool,
    action_url: String,
    autosave_url: String,
    discard_url: Option<String>,
    /// Unsaved text came back from an autosave (and can be thrown away).
    restored_autosave: bool,
    preview_url: Option<String>,
    public_url: Option<String>,
    revisions_url: Option<String>,
    comments: Option<CommentsBox>,
    /// The featured photo and the way to choose it (once the article is saved).
    featured: Option<super::media::FeaturedBox>,
}

/// The article an editor page is about.
struct EditorCtx {
    id: Option<i64>,
    version: i64,
    state: PublishState,
    author_id: i64,
    slug: String,
    restored_autosave: bool,
    comments_open: bool,
}

/// The article's comments as the editor shows them: open or closed, and the way to change it.
#[derive(Serialize)]
struct CommentsBox {
    open: bool,
    toggle_url: Option<String>,
    queue_url: Option<String>,
}

async fn editor_page(
    state: &AppState,
    staff: &Staff,
    ctx: &EditorCtx,
    fields: Fields,
    errors: BTreeMap<&'static str, String>,
    notices: Vec<Notice>,
    status: StatusCode,
) -> WebResult {
    let tree = CategoryTree::new(state.store.categories().await?);
    let people = state.store.staff_list().await?;
    let author_for_rights = if ctx.id.is_some() { ctx.author_id } else { staff.person.id };
    let content = EditorPage {
        id: ctx.id,
        version: ctx.version,
        status: ctx.state.as_str(),
        status_label: state_label(&state.renderer, ctx.state),
        categories: category_choices(&tree, &[fields.primary_category_id]),
        other_categories: category_choices(&tree, &fields.other_category_ids),
        authors: people
            .iter()
            .filter(|p| !p.disabled)
            .map(|p| Choice { value: p.id.to_string(), label: p.name.clone(), selected: p.id == fields.author_id })
            .collect(),
        can_assign_author: can_assign_author(staff.role()),
        can_publish: can_publish(staff.role(), staff.person.id, author_for_rights),
        is_published: ctx.state == PublishState::Published,
        action_url: ctx.id.map_or_else(urls::articles, urls::article),
        autosave_url: ctx.id.map_or_else(urls::new_article_autosave, urls::autosave),
        discard_url: ctx.id.map(urls::discard_autosave),
        restored_autosave: ctx.restored_autosave,
        preview_url: ctx.id.map(urls::preview),
        public_url: ctx.id.filter(|_| ctx.state == PublishState::Published).map(|id| crate::urls::article(id, &ctx.slug)),
        revisions_url: ctx.id.map(urls::revisions),
        comments: ctx.id.map(|id| CommentsBox {
            open: ctx.comments_open,
            toggle_url: nashir_core::permissions::can_close_comments(staff.role(), staff.person.id, ctx.author_id)
                .then(|| urls::article_comments_open(id)),
            queue_url: nashir_core::permissions::can_moderate_comments(staff.role())
                .then(|| urls::comments_query(&format!("status=all&article={id}"))),
        }),
        featured: match ctx.id {
            Some(id) => Some(super::media::featured_box(state, id).await?),
            None => None,
        },
        fields,
        errors,
        notices,
    };
    page(state, status, "newsroom/editor.html", Some(staff), &content)
}

fn autosave_key_new(person_id: i64) -> String {
    format!("autosave_new:{person_id}")
}

pub(crate) async fn new_form(State(state): State<AppState>, staff: Staff) -> WebResult {
    let mut fields = Fields { author_id: staff.person.id, ..Default::default() };
    let mut notices = Vec::new();
    // Text typed into a new article that was never saved comes back.
    if let Some(saved) = state.store.meta(&autosave_key_new(staff.person.id)).await?
        && let Ok(a) = serde_json::from_str::<serde_json::Value>(&saved)
    {
        fields.title = a["title"].as_str().unwrap_or("").to_owned();
        fields.body = a["body"].as_str().unwrap_or("").to_owned();
        fields.excerpt = a["excerpt"].as_str().unwrap_or("").to_owned();
        notices.push(Notice { kind: "info", text: state.renderer.t("nr-msg-article-restored-new") });
    }
    let ctx = EditorCtx { id: None, version: 0, state: PublishState::Draft, author_id: staff.person.id, slug: String::new(), restored_autosave: false, comments_open: true };
    editor_page(&state, &staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct EditQuery {
    saved: String,
}

/// An article the staff member may edit, or 404 / 403.
async fn editable(state: &AppState, staff: &Staff, id: i64) -> WebResult<EditableArticle> {
    let a = state.store.editable_article(id).await?.ok_or(WebError::NotFound)?;
    staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, a.state))?;
    Ok(a)
}

pub(crate) async fn edit_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Query(q): Query<EditQuery>) -> WebResult {
    let article = editable(&state, &staff, id).await?;
    let local = LocalTime::new(&state);
    let tags = state.store.article_tags(id).await?.into_iter().map(|t| t.name).collect::<Vec<_>>().join(&state.renderer.t("nr-list-separator"));
    let mut fields = Fields::from_article(&article, state.store.article_category_ids(id).await?, tags, &local);
    let mut notices = Vec::new();
    let mut version = article.version;
    let mut restored_autosave = false;
    if q.saved == "1" {
        let label = state_label(&state.renderer, article.state);
        notices.push(Notice { kind: "success", text: state.renderer.t_with("nr-msg-article-saved", [("state", FluentValue::from(label))]) });
    }
    if let Some(a) = state.store.autosave(id, staff.person.id).await?
        && a.saved_at > article.updated_at
    {
        fields.title = a.title;
        fields.body = a.body_html;
        fields.excerpt = a.excerpt;
        // Saving restored text is checked against the version it was typed on.
        version = a.base_version;
        restored_autosave = true;
        let when = state.renderer.dates().date_time(a.saved_at);
        notices.push(Notice { kind: "info", text: state.renderer.t_with("nr-msg-article-restored", [("time", FluentValue::from(when))]) });
    }
    let ctx = EditorCtx { id: Some(id), version, state: article.state, author_id: article.author_id, slug: article.slug.clone(), restored_autosave, comments_open: *article.comments_open };
    editor_page(&state, &staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::OK).await
}

pub(crate) async fn create(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    save_article(&state, &staff, None, &form).await
}

pub(crate) async fn save(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    save_article(&state, &staff, Some(id), &form).await
}

pub(crate) fn tag_names(text: &str) -> Vec<String> {
    text.split([',', '،', '\n'])
        .map(|t| t.trim().chars().take(100).collect::<String>())
        .filter(|t| !t.is_empty())
        .take(50)
        .collect()
}

impl From<Refusal> for WebError {
    fn from(_: Refusal) -> WebError {
        WebError::Forbidden
    }
}

/// Saves (or previews) the editor's form: the rules decide the state and check the fields;
/// a refusal shows the form again with everything typed.
async fn save_article(state: &AppState, staff: &Staff, id: Option<i64>, form: &Form) -> WebResult {
    let now = nashir_store::now_micros();
    let existing = match id {
        Some(id) => Some(state.store.editable_article(id).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let current = existing.as_ref().map(|a| Current { author_id: a.author_id, state: a.state });
    let current_author = current.map_or(staff.person.id, |c| c.author_id);
    let author_id = if can_assign_author(staff.role()) { form.id("author_id").unwrap_or(current_author) } else { current_author };
    let action: EditAction = form.get("action").parse()?;
    let target = editorial::next_state(staff.actor(), current, author_id, action)?;

    let local = LocalTime::new(state);
    let fields = Fields::from_form(form, author_id);
    // Titles are plain text: markup pasted into one is dropped, never shown as tags.
    let title = nashir_arabic::plain_title(&fields.title);
    let tree = CategoryTree::new(state.store.categories().await?);
    let checked = ArticleFields {
        title: &title,
        slug: &fields.slug,
        body_html: &fields.body,
        excerpt: &fields.excerpt,
        primary_category_id: fields.primary_category(),
        other_category_ids: &fields.other_category_ids,
        publish_at: local.publish_at(&fields.publish_at),
    };
    let mut problems = editorial::check_article(&checked, &tree, target, now);
    if author_id != current_author && state.store.person(author_id).await?.is_none() {
        problems.push(FieldError::AuthorUnknown);
    }
    let ctx = EditorCtx {
        id,
        version: form.get("version").parse().unwrap_or(0),
        state: current.map_or(PublishState::Draft, |c| c.state),
        author_id: current_author,
        slug: existing.as_ref().map(|a| a.slug.clone()).unwrap_or_default(),
        restored_autosave: false,
        comments_open: existing.as_ref().is_none_or(|a| *a.comments_open),
    };
    let mut errors: BTreeMap<&'static str, String> = problems.into_iter().map(|e| (e.field().name(), field_text(&state.renderer, e))).collect();
    // A photo readers see needs words for those who cannot see it.
    if matches!(target, PublishState::Published | PublishState::Scheduled)
        && let Some(id) = id
        && super::media::missing_alt(state, id).await?
    {
        errors.insert("featured", state.renderer.t("nr-msg-article-featured-alt-missing"));
    }
    if !errors.is_empty() {
        let notices = vec![Notice { kind: "error", text: state.renderer.t("nr-msg-article-not-saved") }];
        return editor_page(state, staff, &ctx, fields, errors, notices, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let publish_at = checked.publish_at.time();
    let slug = if fields.slug.is_empty() { nashir_arabic::slugify(&title) } else { fields.slug.clone() };
    let body_html = nashir_core::sanitize_article_html(&fields.body);
    let excerpt = if fields.excerpt.is_empty() { nashir_arabic::excerpt(&nashir_arabic::strip_html(&body_html), 200) } else { fields.excerpt.clone() };
    if action == EditAction::Preview {
        let article = Article {
            id: id.unwrap_or(0),
            title: title.clone(),
            slug,
            body_html,
            excerpt,
            state: target,
            author_id,
            primary_category_id: fields.primary_category(),
            published_at: existing.as_ref().and_then(|a| a.published_at).or(publish_at).or(Some(now)),
            modified_at: None,
            updated_at: now,
            version: ctx.version,
            featured_image: None,
            photo: None,
            comments_open: existing.as_ref().is_none_or(|a| *a.comments_open),
            comment_count: 0,
        };
        let tags = tag_names(&fields.tags).into_iter().map(|n| TagLink::new(n, None)).collect();
        return preview(state, article, tags, &[], now).await;
    }
    let draft = ArticleDraft {
        title,
        slug,
        body_html,
        excerpt,
        author_id,
        primary_category_id: fields.primary_category(),
        other_category_ids: fields.other_category_ids.clone(),
        tag_ids: state.store.tags_for_names(&tag_names(&fields.tags), now).await?,
        state: target,
        publish_at: if target == PublishState::Scheduled { publish_at } else { None },
    };
    match state.store.save_article(id, ctx.version, &draft, staff.person.id, now).await? {
        Ok(saved_id) => {
            if id.is_none() {
                state.store.delete_meta(&autosave_key_new(staff.person.id)).await?;
            }
            Ok(see_other(&urls::article_saved(saved_id)))
        }
        Err(stale) => {
            let when = state.renderer.dates().date_time(stale.changed_at);
            let who = if stale.changed_by.is_empty() { state.renderer.t("nr-msg-article-colleague") } else { stale.changed_by.clone() };
            let notices = vec![Notice {
                kind: "error",
                text: state.renderer.t_with("nr-msg-article-conflict", [("who", FluentValue::from(who)), ("time", FluentValue::from(when))]),
            }];
            let ctx = EditorCtx { version: stale.current_version, ..ctx };
            editor_page(state, staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::CONFLICT).await
        }
    }
}

/// The public article page for an article as it stands in the newsroom: never cached,
/// never indexed.
async fn preview(state: &AppState, article: Article, tags: Vec<TagLink>, tag_ids: &[i64], now: i64) -> WebResult {
    let chrome = Chrome::load(state, now).await?;
    let author = state.store.person(article.author_id).await?;
    let comments = crate::site::article::CommentsRequest { page: 1, ..Default::default() };
    let mut view = crate::site::article::view(state, &chrome, article, author, tags, tag_ids, comments, now).await?;
    view.noindex = true;
    let mut response = crate::site::article::render(state, &chrome, &view, vec![])?;
    response.extensions_mut().remove::<crate::http::CacheUntil>();
    Ok(no_store(response))
}

/// The stored version of any article, as readers would see it once published.
pub(crate) async fn preview_saved(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> WebResult {
    let a = state.store.editable_article(id).await?.ok_or(WebError::NotFound)?;
    staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, a.state) || staff.role().at_least(Role::Editor))?;
    let now = nashir_store::now_micros();
    let stored_tags = state.store.article_tags(id).await?;
    let tag_ids: Vec<i64> = stored_tags.iter().map(|t| t.id).collect();
    let tags = stored_tags.into_iter().map(|t| TagLink::new(t.name, Some(&t.slug))).collect();
    let article = Article {
        id,
        title: a.title,
        slug: a.slug,
        body_html: a.body_html,
        excerpt: a.excerpt,
        state: a.state,
        author_id: a.author_id,
        primary_category_id: a.primary_category_id,
        published_at: a.published_at.or(a.publish_at).or(Some(now)),
        modified_at: None,
        updated_at: a.updated_at,
        version: a.version,
        featured_image: None,
        photo: None,
        comments_open: *a.comments_open,
        comment_count: 0,
    };
    preview(&state, article, tags, &tag_ids, now).await
}

fn no_content() -> Response {
    no_store(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn autosave(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    let a = editable(&state, &staff, id).await?;
    let save = Autosave {
        title: form.get("title").chars().take(editorial::MAX_TITLE_CHARS).collect(),
        body_html: nashir_core::sanitize_article_html(form.get("body")),
        excerpt: form.get("excerpt").chars().take(editorial::MAX_EXCERPT_CHARS).collect(),
        base_version: form.get("version").parse().unwrap_or(a.version),
        saved_at: nashir_store::now_micros(),
    };
    state.store.save_autosave(id, staff.person.id, &save).await?;
    Ok(no_content())
}

pub(crate) async fn autosave_new(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    let value = serde_json::json!({
        "title": form.get("title").chars().take(editorial::MAX_TITLE_CHARS).collect::<String>(),
        "body": nashir_core::sanitize_article_html(form.get("body")),
        "excerpt": form.get("excerpt").chars().take(editorial::MAX_EXCERPT_CHARS).collect::<String>(),
    });
    state.store.set_meta(&autosave_key_new(staff.person.id), &value.to_string()).await?;
    Ok(no_content())
}

pub(crate) async fn discard_autosave(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, .. }: StaffForm) -> WebResult {
    state.store.discard_autosave(id, staff.person.id).await?;
    Ok(see_other(&urls::article(id)))
}

#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    version: i64,
    title: String,
    saved_by: String,
    saved_at: i64,
    url: String,
}

#[derive(Serialize)]
struct RevisionsPage {
    article_id: i64,
    title: String,
    edit_url: String,
    revisions: Vec<RevisionRow>,
    can_restore: bool,
}

pub(crate) async fn revisions(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> WebResult {
    let a = editable(&state, &staff, id).await?;
    let revisions = state
        .store
        .revisions(id)
        .await?
        .into_iter()
        .map(|r| RevisionRow {
            url: urls::revision(id, r.id),
            id: r.id,
            version: r.version,
            title: r.title,
            saved_by: r.saved_by_name.unwrap_or_default(),
            saved_at: r.saved_at,
        })
        .collect();
    let content = RevisionsPage {
        article_id: id,
        title: a.title,
        edit_url: urls::article(id),
        revisions,
        can_restore: can_publish(staff.role(), staff.person.id, a.author_id),
    };
    page(&state, StatusCode::OK, "newsroom/revisions.html", Some(&staff), &content)
}

#[derive(Serialize)]
struct DiffPart {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct ComparePage {
    article_id: i64,
    revision_id: i64,
    version: i64,
    current_version: i64,
    saved_at: i64,
    saved_by: String,
    title_diff: Vec<DiffPart>,
    body_diff: Vec<DiffPart>,
    can_restore: bool,
    stale: bool,
    edit_url: String,
    revisions_url: String,
    restore_url: String,
}

/// A word-level comparison of two texts (the revision's and the current one).
fn diff(old: &str, new: &str) -> Vec<DiffPart> {
    similar::TextDiff::from_words(old, new)
        .iter_all_changes()
        .map(|c| DiffPart {
            kind: match c.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Insert => "ins",
            },
            text: c.value().to_owned(),
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CompareQuery {
    stale: String,
}

pub(crate) async fn compare_revision(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, rid)): Path<(i64, i64)>,
    Query(q): Query<CompareQuery>,
) -> WebResult {
    let a = editable(&state, &staff, id).await?;
    let r = state.store.revision(id, rid).await?.ok_or(WebError::NotFound)?;
    let text = |html: &str| nashir_arabic::strip_html(html);
    let content = ComparePage {
        article_id: id,
        revision_id: rid,
        version: r.version,
        current_version: a.version,
        saved_at: r.saved_at,
        saved_by: r.saved_by_name.unwrap_or_default(),
        title_diff: diff(&r.title, &a.title),
        body_diff: diff(&text(&r.body_html), &text(&a.body_html)),
        can_restore: can_publish(staff.role(), staff.person.id, a.author_id),
        stale: q.stale == "1",
        edit_url: urls::article(id),
        revisions_url: urls::revisions(id),
        restore_url: urls::restore_revision(id, rid),
    };
    page(&state, StatusCode::OK, "newsroom/revision.html", Some(&staff), &content)
}

/// Restoring saves the revision's text as a new version (itself kept as a revision).
pub(crate) async fn restore_revision(
    State(state): State<AppState>,
    Path((id, rid)): Path<(i64, i64)>,
    StaffForm { staff, form, .. }: StaffForm,
) -> WebResult {
    let a = editable(&state, &staff, id).await?;
    staff.require(can_publish(staff.role(), staff.person.id, a.author_id))?;
    let r = state.store.revision(id, rid).await?.ok_or(WebError::NotFound)?;
    let now = nashir_store::now_micros();
    let draft = ArticleDraft {
        title: r.title,
        slug: r.slug,
        body_html: r.body_html,
        excerpt: r.excerpt,
        author_id: a.author_id,
        primary_category_id: a.primary_category_id,
        other_category_ids: state.store.article_category_ids(id).await?,
        tag_ids: state.store.article_tags(id).await?.into_iter().map(|t| t.id).collect(),
        state: a.state,
        publish_at: a.publish_at,
    };
    let base: i64 = form.get("version").parse().unwrap_or(a.version);
    match state.store.save_article(Some(id), base, &draft, staff.person.id, now).await? {
        Ok(_) => Ok(see_other(&urls::article_saved(id))),
        Err(_) => Ok(see_other(&urls::revision_stale(id, rid))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tag_names_split_on_latin_and_arabic_commas() {
        assert_eq!(super::tag_names("العراق، بغداد, اقتصاد,,  "), vec!["العراق", "بغداد", "اقتصاد"]);
    }
}
