//! Articles in the newsroom: the filtered list, the editor (create, save, submit, publish,
//! schedule, unpublish), autosave and its restore, preview, and revisions with restore.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use nashir_core::permissions::{can_assign_author, can_edit_article, can_publish};
use nashir_core::{Article, CategoryTree, PublishState, Role};
use nashir_store::{ArticleDraft, Autosave, EditableArticle, NewsroomFilter};
use serde::Serialize;

use super::{Form, NrError, Staff, page, redirect, respond, staff, staff_post};
use crate::state::AppState;

const PAGE_SIZE: i64 = 30;
const MAX_TITLE_CHARS: usize = 300;
const MAX_EXCERPT_CHARS: usize = 1000;
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub(crate) fn state_label(state: PublishState) -> &'static str {
    match state {
        PublishState::Draft => "مسودة",
        PublishState::Pending => "بانتظار المراجعة",
        PublishState::Scheduled => "مجدول",
        PublishState::Published => "منشور",
        PublishState::Unpublished => "غير منشور",
    }
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default()
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
        let text = text.trim();
        let civil: jiff::civil::DateTime = text.parse().ok()?;
        civil.to_zoned_datetime(self.tz.clone()).ok().map(|z| z.timestamp().as_microsecond())
    }
}

#[derive(Serialize)]
struct Option_ {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ListRow {
    id: i64,
    title: String,
    status: String,
    status_label: &'static str,
    author_name: String,
    category: String,
    when: i64,
    edit_url: String,
    public_url: Option<String>,
    can_edit: bool,
}

#[derive(Serialize)]
struct ListPage {
    rows: Vec<ListRow>,
    total: i64,
    q: String,
    statuses: Vec<Option_>,
    authors: Vec<Option_>,
    categories: Vec<Option_>,
    prev_url: Option<String>,
    next_url: Option<String>,
    page: i64,
}

fn category_options(tree: &CategoryTree, selected: &[i64]) -> Vec<Option_> {
    let mut out = Vec::new();
    fn walk(tree: &CategoryTree, parent: Option<i64>, depth: usize, selected: &[i64], out: &mut Vec<Option_>) {
        for c in tree.all().iter().filter(|c| c.parent_id == parent) {
            out.push(Option_ {
                value: c.id.to_string(),
                label: format!("{}{}", "— ".repeat(depth), c.name),
                selected: selected.contains(&c.id),
            });
            if depth < 16 {
                walk(tree, Some(c.id), depth + 1, selected, out);
            }
        }
    }
    walk(tree, None, 0, selected, &mut out);
    out
}

pub(crate) async fn list(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let result = async {
        let staff = staff(&state, &headers, "/newsroom/articles").await?;
        let pairs = query_pairs(query.as_deref());
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        let filter = NewsroomFilter {
            status: get("status").parse().ok(),
            author_id: get("author").parse().ok().filter(|v: &i64| *v > 0),
            category_id: get("category").parse().ok().filter(|v: &i64| *v > 0),
            title: Some(get("q")).filter(|q| !q.is_empty()).map(|q| q.chars().take(200).collect()),
        };
        let page_no: i64 = get("page").parse().ok().filter(|p: &i64| *p >= 1).unwrap_or(1);
        let (rows, total) = state.store.newsroom_list(&filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE).await?;
        let tree = CategoryTree::new(state.store.categories().await?);
        let people = state.store.staff_list().await?;
        let rows = rows
            .into_iter()
            .map(|r| {
                let st: PublishState = r.status.parse().unwrap_or(PublishState::Draft);
                ListRow {
                    id: r.id,
                    title: if r.title.is_empty() { "(بلا عنوان)".into() } else { r.title.clone() },
                    status_label: state_label(st),
                    status: r.status,
                    author_name: r.author_name,
                    category: r.primary_category_id.and_then(|c| tree.get(c)).map(|c| c.name.clone()).unwrap_or_default(),
                    when: r.published_at.or(r.publish_at).unwrap_or(r.updated_at),
                    edit_url: format!("/newsroom/articles/{}", r.id),
                    public_url: (st == PublishState::Published).then(|| crate::urls::article(r.id, &r.slug)),
                    can_edit: can_edit_article(staff.role(), staff.person.id, r.author_id, st),
                }
            })
            .collect();
        let base = |p: i64| {
            let mut q: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
            q.push(("page".into(), p.to_string()));
            format!("/newsroom/articles?{}", serde_urlencoded::to_string(q).unwrap_or_default())
        };
        let content = ListPage {
            rows,
            total,
            q: get("q"),
            statuses: PublishState::ALL
                .iter()
                .map(|s| Option_ { value: s.as_str().into(), label: state_label(*s).into(), selected: filter.status == Some(*s) })
                .collect(),
            authors: people
                .iter()
                .map(|p| Option_ { value: p.id.to_string(), label: p.name.clone(), selected: filter.author_id == Some(p.id) })
                .collect(),
            categories: category_options(&tree, &filter.category_id.into_iter().collect::<Vec<_>>()),
            prev_url: (page_no > 1).then(|| base(page_no - 1)),
            next_url: (page_no * PAGE_SIZE < total).then(|| base(page_no + 1)),
            page: page_no,
        };
        page(&state, StatusCode::OK, "newsroom/articles.html", Some(&staff), &content)
    }
    .await;
    respond(&state, result).await
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
    status_label: &'static str,
    fields: Fields,
    errors: BTreeMap<&'static str, String>,
    notices: Vec<Notice>,
    categories: Vec<Option_>,
    other_categories: Vec<Option_>,
    authors: Vec<Option_>,
    can_assign_author: bool,
    can_publish: bool,
    is_published: bool,
    action_url: String,
    autosave_url: String,
    public_url: Option<String>,
    revisions_url: Option<String>,
}

struct EditorCtx {
    id: Option<i64>,
    version: i64,
    state: PublishState,
    author_id: i64,
    slug: String,
}

async fn editor_page(
    state: &AppState,
    staff: &Staff,
    ctx: &EditorCtx,
    fields: Fields,
    errors: BTreeMap<&'static str, String>,
    notices: Vec<Notice>,
    status: StatusCode,
) -> Result<Response, NrError> {
    let tree = CategoryTree::new(state.store.categories().await?);
    let people = state.store.staff_list().await?;
    let author_for_rights = if ctx.id.is_some() { ctx.author_id } else { staff.person.id };
    let content = EditorPage {
        id: ctx.id,
        version: ctx.version,
        status: ctx.state.as_str(),
        status_label: state_label(ctx.state),
        categories: category_options(&tree, &[fields.primary_category_id]),
        other_categories: category_options(&tree, &fields.other_category_ids),
        authors: people
            .iter()
            .filter(|p| p.disabled == 0)
            .map(|p| Option_ { value: p.id.to_string(), label: p.name.clone(), selected: p.id == fields.author_id })
            .collect(),
        can_assign_author: can_assign_author(staff.role()),
        can_publish: can_publish(staff.role(), staff.person.id, author_for_rights),
        is_published: ctx.state == PublishState::Published,
        action_url: ctx.id.map_or("/newsroom/articles".into(), |id| format!("/newsroom/articles/{id}")),
        autosave_url: ctx.id.map_or("/newsroom/articles/new/autosave".into(), |id| format!("/newsroom/articles/{id}/autosave")),
        public_url: (ctx.state == PublishState::Published).then(|| crate::urls::article(ctx.id.unwrap_or(0), &ctx.slug)),
        revisions_url: ctx.id.map(|id| format!("/newsroom/articles/{id}/revisions")),
        fields,
        errors,
        notices,
    };
    page(state, status, "newsroom/editor.html", Some(staff), &content)
}

fn fields_from(a: &EditableArticle, other: Vec<i64>, tags: String, local: &LocalTime) -> Fields {
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

fn autosave_key_new(person_id: i64) -> String {
    format!("autosave_new:{person_id}")
}

pub(crate) async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = staff(&state, &headers, "/newsroom/articles/new").await?;
        let mut fields = Fields { author_id: staff.person.id, ..Default::default() };
        let mut notices = Vec::new();
        // Text typed into a new article that was never saved comes back.
        if let Some(saved) = state.store.meta(&autosave_key_new(staff.person.id)).await?
            && let Ok(a) = serde_json::from_str::<serde_json::Value>(&saved)
        {
            fields.title = a["title"].as_str().unwrap_or("").to_owned();
            fields.body = a["body"].as_str().unwrap_or("").to_owned();
            fields.excerpt = a["excerpt"].as_str().unwrap_or("").to_owned();
            notices.push(Notice { kind: "info", text: "استُعيد نص لم يُحفظ من جلسة سابقة.".into() });
        }
        let ctx = EditorCtx { id: None, version: 0, state: PublishState::Draft, author_id: staff.person.id, slug: String::new() };
        editor_page(&state, &staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn edit_form(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, RawQuery(query): RawQuery) -> Response {
    let result = async {
        let staff = staff(&state, &headers, &format!("/newsroom/articles/{id}")).await?;
        let article = state.store.editable_article(id).await?.ok_or(NrError::NotFound)?;
        let st: PublishState = article.status.parse().unwrap_or(PublishState::Draft);
        staff.require(can_edit_article(staff.role(), staff.person.id, article.author_id, st))?;
        let local = LocalTime::new(&state);
        let tags = state.store.article_tags(id).await?.into_iter().map(|t| t.name).collect::<Vec<_>>().join("، ");
        let mut fields = fields_from(&article, state.store.article_category_ids(id).await?, tags, &local);
        let mut notices = Vec::new();
        let mut version = article.version;
        if query.as_deref().unwrap_or("").contains("saved=1") {
            notices.push(Notice { kind: "success", text: format!("حُفظ المقال ({}).", state_label(st)) });
        }
        if let Some(a) = state.store.autosave(id, staff.person.id).await?
            && a.saved_at > article.updated_at
        {
            fields.title = a.title;
            fields.body = a.body_html;
            fields.excerpt = a.excerpt;
            // Saving restored text is checked against the version it was typed on.
            version = a.base_version;
            let when = state.renderer.dates().date_time(a.saved_at);
            notices.push(Notice { kind: "info", text: format!("استُعيد نص لم يُحفظ كتبته في {when}. احفظ المقال لاعتماده أو تجاهله.") });
        }
        let ctx = EditorCtx { id: Some(id), version, state: st, author_id: article.author_id, slug: article.slug.clone() };
        editor_page(&state, &staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = save_inner(&state, &headers, None, &form).await;
    respond(&state, result).await
}

pub(crate) async fn save(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = save_inner(&state, &headers, Some(id), &form).await;
    respond(&state, result).await
}

fn tag_names(text: &str) -> Vec<String> {
    text.split([',', '،', '\n'])
        .map(|t| t.trim().chars().take(100).collect::<String>())
        .filter(|t| !t.is_empty())
        .take(50)
        .collect()
}

async fn save_inner(state: &AppState, headers: &HeaderMap, id: Option<i64>, form: &Form) -> Result<Response, NrError> {
    let staff = staff_post(state, headers, form).await?;
    let now = nashir_store::now_micros();
    let existing = match id {
        Some(id) => Some(state.store.editable_article(id).await?.ok_or(NrError::NotFound)?),
        None => None,
    };
    let current_state: PublishState =
        existing.as_ref().and_then(|a| a.status.parse().ok()).unwrap_or(PublishState::Draft);
    let current_author = existing.as_ref().map_or(staff.person.id, |a| a.author_id);
    if existing.is_some() {
        staff.require(can_edit_article(staff.role(), staff.person.id, current_author, current_state))?;
    }
    let author_id = if can_assign_author(staff.role()) {
        form.id("author_id").unwrap_or(current_author)
    } else {
        current_author
    };
    let action = form.get("action");
    let target = match action {
        "save" | "" => current_state,
        "submit" => PublishState::Pending,
        "publish" => PublishState::Published,
        "schedule" => PublishState::Scheduled,
        "unpublish" => PublishState::Unpublished,
        "preview" => current_state,
        _ => return Err(NrError::Forbidden),
    };
    // Publishing rights are checked on the server, whatever buttons the page showed.
    let touches_publication = matches!(target, PublishState::Published | PublishState::Scheduled | PublishState::Unpublished)
        && (target != current_state || action != "save");
    if touches_publication || (current_state == PublishState::Published && action != "preview") {
        staff.require(can_publish(staff.role(), staff.person.id, author_id))?;
    }
    if !nashir_core::permissions::allowed_states(staff.role()).contains(&target) {
        return Err(NrError::Forbidden);
    }

    let local = LocalTime::new(state);
    let fields = Fields {
        title: form.get("title").trim().to_owned(),
        slug: form.get("slug").trim().to_owned(),
        body: form.get("body").to_owned(),
        excerpt: form.get("excerpt").trim().to_owned(),
        author_id,
        primary_category_id: form.id("primary_category_id").unwrap_or(0),
        other_category_ids: form.all("other_category_ids").iter().filter_map(|v| v.parse().ok()).collect(),
        tags: form.get("tags").to_owned(),
        publish_at: form.get("publish_at").to_owned(),
    };
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    let tree = CategoryTree::new(state.store.categories().await?);
    if fields.title.is_empty() {
        errors.insert("title", "اكتب عنواناً للمقال.".into());
    } else if fields.title.chars().count() > MAX_TITLE_CHARS {
        errors.insert("title", format!("العنوان طويل: {MAX_TITLE_CHARS} حرف على الأكثر."));
    }
    let slug = if fields.slug.is_empty() { nashir_arabic::slugify(&fields.title) } else { fields.slug.clone() };
    if !fields.slug.is_empty() && (!nashir_arabic::is_valid_slug(&fields.slug) || nashir_arabic::slugify(&fields.slug) != fields.slug) {
        errors.insert("slug", "الاسم اللطيف يتكون من حروف وأرقام تفصل بينها شرطات (حتى ٨٠ حرفاً).".into());
    }
    if fields.body.len() > MAX_BODY_BYTES {
        errors.insert("body", "النص أطول من المسموح.".into());
    }
    if fields.excerpt.chars().count() > MAX_EXCERPT_CHARS {
        errors.insert("excerpt", format!("الملخص طويل: {MAX_EXCERPT_CHARS} حرف على الأكثر."));
    }
    if fields.primary_category_id != 0 && tree.get(fields.primary_category_id).is_none() {
        errors.insert("primary_category_id", "اختر قسماً موجوداً.".into());
    }
    if fields.other_category_ids.iter().any(|c| tree.get(*c).is_none()) {
        errors.insert("other_category_ids", "أحد الأقسام المختارة غير موجود.".into());
    }
    if author_id != current_author && state.store.person(author_id).await?.is_none() {
        errors.insert("author_id", "اختر كاتباً موجوداً.".into());
    }
    let publish_at = if fields.publish_at.trim().is_empty() { None } else { local.parse(&fields.publish_at) };
    if !fields.publish_at.trim().is_empty() && publish_at.is_none() {
        errors.insert("publish_at", "اكتب وقتاً صحيحاً للنشر.".into());
    }
    if target == PublishState::Scheduled {
        match publish_at {
            None => {
                errors.entry("publish_at").or_insert_with(|| "حدّد موعد النشر المجدول.".into());
            }
            Some(t) if t <= now => {
                errors.insert("publish_at", "موعد النشر المجدول يجب أن يكون في المستقبل.".into());
            }
            _ => {}
        }
    }
    let body_html = nashir_core::sanitize_article_html(&fields.body);
    let ctx = EditorCtx {
        id,
        version: form.get("version").parse().unwrap_or(0),
        state: current_state,
        author_id: current_author,
        slug: existing.as_ref().map(|a| a.slug.clone()).unwrap_or_default(),
    };
    if !errors.is_empty() {
        let notices = vec![Notice { kind: "error", text: "لم يُحفظ المقال: صحّح الحقول المشار إليها.".into() }];
        return editor_page(state, &staff, &ctx, fields, errors, notices, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let excerpt = if fields.excerpt.is_empty() {
        nashir_arabic::excerpt(&nashir_arabic::strip_html(&body_html), 200)
    } else {
        fields.excerpt.clone()
    };
    if action == "preview" {
        let article = Article {
            id: id.unwrap_or(0),
            title: fields.title.clone(),
            slug: slug.clone(),
            body_html,
            excerpt,
            state: target,
            author_id,
            primary_category_id: Some(fields.primary_category_id).filter(|c| *c != 0),
            published_at: existing.as_ref().and_then(|a| a.published_at).or(publish_at).or(Some(now)),
            modified_at: None,
            updated_at: now,
            version: ctx.version,
            featured_image: None,
        };
        let tags = tag_names(&fields.tags).into_iter().map(|n| (n, None)).collect();
        return preview_response(state, headers, article, tags, now).await;
    }
    let draft = ArticleDraft {
        title: fields.title.clone(),
        slug,
        body_html,
        excerpt,
        author_id,
        primary_category_id: Some(fields.primary_category_id).filter(|c| *c != 0),
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
            Ok(redirect(&format!("/newsroom/articles/{saved_id}?saved=1")))
        }
        Err(stale) => {
            let when = state.renderer.dates().date_time(stale.changed_at);
            let who = if stale.changed_by.is_empty() { "زميل".to_owned() } else { stale.changed_by.clone() };
            let notices = vec![Notice {
                kind: "error",
                text: format!(
                    "لم يُحفظ نصك: عدّل {who} هذا المقال في {when} بعد أن فتحته. نصك باقٍ أدناه؛ راجع نسخته ثم اضغط «حفظ» مجدداً لاعتماد نصك بدلاً منها."
                ),
            }];
            let ctx = EditorCtx { version: stale.current_version, ..ctx };
            editor_page(state, &staff, &ctx, fields, BTreeMap::new(), notices, StatusCode::CONFLICT).await
        }
    }
}

async fn preview_response(state: &AppState, headers: &HeaderMap, article: Article, tags: Vec<(String, Option<String>)>, now: i64) -> Result<Response, NrError> {
    let mut response = crate::site::article::render_article(state, headers, article, tags, now, vec![])
        .await
        .map_err(|e| NrError::Internal(e.to_string()))?;
    response.extensions_mut().remove::<crate::cache::CacheUntil>();
    Ok(super::no_store(response))
}

/// The stored version of any article, as readers would see it once published.
pub(crate) async fn preview_saved(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let result = async {
        let staff = staff(&state, &headers, &format!("/newsroom/articles/{id}/preview")).await?;
        let a = state.store.editable_article(id).await?.ok_or(NrError::NotFound)?;
        let st: PublishState = a.status.parse().unwrap_or(PublishState::Draft);
        staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, st) || staff.role().at_least(Role::Editor))?;
        let now = nashir_store::now_micros();
        let tags = state.store.article_tags(id).await?.into_iter().map(|t| (t.name, Some(t.slug))).collect();
        let article = Article {
            id,
            title: a.title,
            slug: a.slug,
            body_html: a.body_html,
            excerpt: a.excerpt,
            state: st,
            author_id: a.author_id,
            primary_category_id: a.primary_category_id,
            published_at: a.published_at.or(a.publish_at).or(Some(now)),
            modified_at: None,
            updated_at: a.updated_at,
            version: a.version,
            featured_image: None,
        };
        preview_response(&state, &headers, article, tags, now).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn autosave(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        let a = state.store.editable_article(id).await?.ok_or(NrError::NotFound)?;
        let st: PublishState = a.status.parse().unwrap_or(PublishState::Draft);
        staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, st))?;
        let save = Autosave {
            title: form.get("title").chars().take(MAX_TITLE_CHARS).collect(),
            body_html: nashir_core::sanitize_article_html(form.get("body")),
            excerpt: form.get("excerpt").chars().take(MAX_EXCERPT_CHARS).collect(),
            base_version: form.get("version").parse().unwrap_or(a.version),
            saved_at: nashir_store::now_micros(),
        };
        state.store.save_autosave(id, staff.person.id, &save).await?;
        Ok(super::no_store(StatusCode::NO_CONTENT.into_response()))
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn autosave_new(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        let value = serde_json::json!({
            "title": form.get("title").chars().take(MAX_TITLE_CHARS).collect::<String>(),
            "body": nashir_core::sanitize_article_html(form.get("body")),
            "excerpt": form.get("excerpt").chars().take(MAX_EXCERPT_CHARS).collect::<String>(),
        });
        state.store.set_meta(&autosave_key_new(staff.person.id), &value.to_string()).await?;
        Ok(super::no_store(StatusCode::NO_CONTENT.into_response()))
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn discard_autosave(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        state.store.discard_autosave(id, staff.person.id).await?;
        Ok(redirect(&format!("/newsroom/articles/{id}")))
    }
    .await;
    respond(&state, result).await
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
    revisions: Vec<RevisionRow>,
    can_restore: bool,
}

async fn revision_access(state: &AppState, staff: &Staff, id: i64) -> Result<EditableArticle, NrError> {
    let a = state.store.editable_article(id).await?.ok_or(NrError::NotFound)?;
    let st: PublishState = a.status.parse().unwrap_or(PublishState::Draft);
    staff.require(can_edit_article(staff.role(), staff.person.id, a.author_id, st))?;
    Ok(a)
}

pub(crate) async fn revisions(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let result = async {
        let staff = staff(&state, &headers, &format!("/newsroom/articles/{id}/revisions")).await?;
        let a = revision_access(&state, &staff, id).await?;
        let revisions = state
            .store
            .revisions(id)
            .await?
            .into_iter()
            .map(|r| RevisionRow {
                url: format!("/newsroom/articles/{id}/revisions/{}", r.id),
                id: r.id,
                version: r.version,
                title: r.title,
                saved_by: r.saved_by_name.unwrap_or_default(),
                saved_at: r.saved_at,
            })
            .collect();
        let content = RevisionsPage { article_id: id, title: a.title, revisions, can_restore: can_publish(staff.role(), staff.person.id, a.author_id) };
        page(&state, StatusCode::OK, "newsroom/revisions.html", Some(&staff), &content)
    }
    .await;
    respond(&state, result).await
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
}

/// A word-level comparison of two texts (the revision's and the current one).
fn diff(old: &str, new: &str) -> Vec<DiffPart> {
    let d = similar::TextDiff::from_words(old, new);
    d.iter_all_changes()
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

pub(crate) async fn compare_revision(State(state): State<AppState>, headers: HeaderMap, Path((id, rid)): Path<(i64, i64)>) -> Response {
    let result = async {
        let staff = staff(&state, &headers, &format!("/newsroom/articles/{id}/revisions/{rid}")).await?;
        let a = revision_access(&state, &staff, id).await?;
        let r = state.store.revision(id, rid).await?.ok_or(NrError::NotFound)?;
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
        };
        page(&state, StatusCode::OK, "newsroom/revision.html", Some(&staff), &content)
    }
    .await;
    respond(&state, result).await
}

/// Restoring saves the revision's text as a new version (itself kept as a revision).
pub(crate) async fn restore_revision(State(state): State<AppState>, headers: HeaderMap, Path((id, rid)): Path<(i64, i64)>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        let a = revision_access(&state, &staff, id).await?;
        staff.require(can_publish(staff.role(), staff.person.id, a.author_id))?;
        let r = state.store.revision(id, rid).await?.ok_or(NrError::NotFound)?;
        let now = nashir_store::now_micros();
        let tags: Vec<i64> = state.store.article_tags(id).await?.into_iter().map(|t| t.id).collect();
        let categories = state.store.article_category_ids(id).await?;
        let draft = ArticleDraft {
            title: r.title,
            slug: r.slug,
            body_html: r.body_html,
            excerpt: r.excerpt,
            author_id: a.author_id,
            primary_category_id: a.primary_category_id,
            other_category_ids: categories,
            tag_ids: tags,
            state: a.status.parse().unwrap_or(PublishState::Draft),
            publish_at: a.publish_at,
        };
        let base: i64 = form.get("version").parse().unwrap_or(a.version);
        match state.store.save_article(Some(id), base, &draft, staff.person.id, now).await? {
            Ok(_) => Ok(redirect(&format!("/newsroom/articles/{id}?saved=1"))),
            Err(_) => Ok(redirect(&format!("/newsroom/articles/{id}/revisions/{rid}?stale=1"))),
        }
    }
    .await;
    respond(&state, result).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn tag_names_split_on_latin_and_arabic_commas() {
        assert_eq!(super::tag_names("العراق، بغداد, اقتصاد,,  "), vec!["العراق", "بغداد", "اقتصاد"]);
    }
}
