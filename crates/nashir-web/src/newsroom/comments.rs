//! Reader comments in the newsroom: the moderation queue (counts per status, filters by
//! article and email, approve, unapprove, spam, trash, restore, delete, one at a time or in
//! bulk), editing a comment, replying as the site, opening and closing an article's
//! comments, and an administrator's erasure of a commenter. Editors and administrators
//! moderate; the rules are `nashir_core::comments` and `nashir_core::permissions`.

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::comments::{CommentField, CommentInput, Moderation, check_comment, comment_html};
use nashir_core::permissions::can_close_comments;
use nashir_core::{CommentStatus, NewComment};
use nashir_render::{FluentValue, Renderer};
use nashir_store::{CommentEdit, Erasure, ModerationFilter, ModerationRow, StoreError};
use serde::{Deserialize, Serialize};

use super::extract::{Admin, AnyStaff, Editor, RequireRole, Staff, StaffForm};
use super::{page, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{OptionalId, PageNumber, Path, Query};
use crate::http::see_other;
use crate::state::AppState;

const PAGE_SIZE: u32 = 30;

fn status_label(r: &Renderer, status: CommentStatus) -> String {
    r.t(match status {
        CommentStatus::Pending => "nr-msg-comment-status-pending",
        CommentStatus::Approved => "nr-msg-comment-status-approved",
        CommentStatus::Spam => "nr-msg-comment-status-spam",
        CommentStatus::Trash => "nr-msg-comment-status-trash",
    })
}

/// A moderation action as its button and menu show it.
fn action(r: &Renderer, m: Moderation) -> Action {
    let label = r.t(match m {
        Moderation::Approve => "nr-msg-comment-approve",
        Moderation::Unapprove => "nr-msg-comment-unapprove",
        Moderation::Spam => "nr-msg-comment-spam",
        Moderation::Trash => "nr-msg-comment-trash",
        Moderation::Restore => "nr-msg-comment-restore",
        Moderation::Delete => "nr-msg-comment-delete",
    });
    Action { value: m.as_str(), label }
}

/// The actions that apply to a comment in `status`.
fn actions_for(status: CommentStatus) -> Vec<Moderation> {
    Moderation::ALL.into_iter().filter(|m| nashir_core::comments::moderate(*m, status, None).is_ok()).collect()
}

#[derive(Serialize, Clone)]
struct Action {
    value: &'static str,
    label: String,
}

/// The queue's query: `status` (pending, approved, spam, trash, all), `article`, `email`, `page`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct QueueQuery {
    status: String,
    article: OptionalId,
    email: String,
    page: PageNumber,
    done: String,
}

impl QueueQuery {
    fn statuses(&self) -> (&'static str, Vec<CommentStatus>) {
        match self.status.as_str() {
            "all" => ("all", vec![CommentStatus::Pending, CommentStatus::Approved]),
            other => match other.parse::<CommentStatus>() {
                Ok(s) => (s.as_str(), vec![s]),
                Err(_) => ("pending", vec![CommentStatus::Pending]),
            },
        }
    }

    /// The query string of this view with another status and page.
    fn with(&self, status: &str, page: u32) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("status", status);
        if let Some(a) = self.article.0 {
            q.append_pair("article", &a.to_string());
        }
        if !self.email.trim().is_empty() {
            q.append_pair("email", self.email.trim());
        }
        if page > 1 {
            q.append_pair("page", &page.to_string());
        }
        q.finish()
    }
}

#[derive(Serialize)]
struct Tab {
    label: String,
    count: i64,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    author_name: String,
    email: String,
    website: Option<String>,
    address: Option<String>,
    body_html: String,
    created_at: i64,
    status: &'static str,
    status_label: String,
    staff_reply: bool,
    parent_author: Option<String>,
    article_title: String,
    /// The comment in place on the public page (approved comments of published articles).
    view_url: Option<String>,
    article_filter_url: String,
    email_filter_url: Option<String>,
    edit_url: String,
    actions: Vec<Action>,
}

fn row(tr: &Renderer, r: ModerationRow, q: &QueueQuery, status: &str) -> Row {
    let c = &r.comment;
    let view_url = (r.article_published && c.status == CommentStatus::Approved)
        .then(|| format!("{}#comment-{}", crate::urls::article(c.article_id, &r.article_slug), c.id));
    let filtered = |article: Option<i64>, email: Option<&str>| {
        let narrowed = QueueQuery {
            status: status.to_owned(),
            article: OptionalId(article.or(q.article.0)),
            email: email.map_or_else(|| q.email.clone(), str::to_owned),
            ..QueueQuery::default()
        };
        urls::comments_query(&narrowed.with(status, 1))
    };
    Row {
        id: c.id,
        author_name: c.author_name.clone(),
        website: c.author_url.as_deref().and_then(nashir_core::comments::normalize_website),
        address: r.address.clone(),
        body_html: comment_html(&c.body),
        created_at: c.created_at,
        status: c.status.as_str(),
        status_label: status_label(tr, c.status),
        staff_reply: c.staff_reply,
        parent_author: r.parent_author.clone(),
        article_title: r.article_title.clone(),
        view_url,
        article_filter_url: filtered(Some(c.article_id), None),
        email_filter_url: (!r.email.is_empty()).then(|| filtered(None, Some(&r.email))),
        edit_url: urls::comment(c.id),
        actions: actions_for(c.status).into_iter().map(|m| action(tr, m)).collect(),
        email: r.email,
    }
}

#[derive(Serialize)]
struct QueuePage {
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    total: i64,
    status: &'static str,
    email: String,
    article: Option<(i64, String)>,
    clear_article_url: String,
    clear_email_url: String,
    bulk_actions: Vec<Action>,
    moderate_url: String,
    back: String,
    notice: Option<String>,
    prev_url: Option<String>,
    next_url: Option<String>,
}

/// `GET /newsroom/comments`: the moderation queue.
pub(crate) async fn queue(State(state): State<AppState>, RequireRole(staff, _): RequireRole<Editor>, Query(q): Query<QueueQuery>) -> WebResult {
    let (status, statuses) = q.statuses();
    let email = q.email.trim().to_lowercase();
    let filter = ModerationFilter { statuses, article_id: q.article.0, email: (!email.is_empty()).then(|| email.clone()) };
    let counts = state.store.comment_status_counts(&filter).await?;
    let number = q.page.get();
    let (rows, total) = state.store.moderation_list(&filter, PAGE_SIZE, u64::from(number - 1) * u64::from(PAGE_SIZE)).await?;
    let article = match q.article.0 {
        Some(id) => state.store.editable_article(id).await?.map(|a| (id, a.title)),
        None => None,
    };
    let tr = &state.renderer;
    let tab = |key: &str, label: &str, count| Tab { label: tr.t(label), count, url: urls::comments_query(&q.with(key, 1)), current: status == key };
    let tabs = vec![
        tab("pending", "nr-msg-comments-tab-pending", counts.pending),
        tab("approved", "nr-msg-comments-tab-approved", counts.approved),
        tab("all", "nr-msg-comments-tab-all", counts.pending + counts.approved),
        tab("spam", "nr-msg-comments-tab-spam", counts.spam),
        tab("trash", "nr-msg-comments-tab-trash", counts.trash),
    ];
    let bulk_actions = match status {
        "spam" | "trash" => vec![Moderation::Restore, Moderation::Delete, Moderation::Approve],
        "approved" => vec![Moderation::Unapprove, Moderation::Spam, Moderation::Trash],
        _ => vec![Moderation::Approve, Moderation::Unapprove, Moderation::Spam, Moderation::Trash],
    }
    .into_iter()
    .map(|m| action(tr, m))
    .collect();
    let pages = nashir_core::Page::new(number, PAGE_SIZE, u64::try_from(total).unwrap_or(0));
    let content = QueuePage {
        tabs,
        rows: rows.into_iter().map(|r| row(tr, r, &q, status)).collect(),
        total,
        status,
        clear_article_url: urls::comments_query(&QueueQuery { article: OptionalId(None), email: q.email.clone(), ..QueueQuery::default() }.with(status, 1)),
        clear_email_url: urls::comments_query(&QueueQuery { article: q.article, ..QueueQuery::default() }.with(status, 1)),
        email,
        article,
        bulk_actions,
        moderate_url: urls::moderate_comments(),
        back: q.with(status, number),
        notice: match q.done.as_str() {
            "" => None,
            "0" => Some(tr.t("nr-msg-comments-none-changed")),
            n => Some(tr.t_with("nr-msg-comments-done", [("count", FluentValue::from(n))])),
        },
        prev_url: pages.has_prev().then(|| urls::comments_query(&q.with(status, number - 1))),
        next_url: pages.has_next().then(|| urls::comments_query(&q.with(status, number + 1))),
    };
    page(&state, StatusCode::OK, "newsroom/comments.html", Some(&staff), &content)
}

/// The queue to return to after a change (`back` as the queue sent it).
fn back_to(back: &str, done: usize) -> String {
    // Only a query string of the queue is followed; anything else returns to the queue.
    let clean: String = back.chars().filter(|c| c.is_ascii_alphanumeric() || "=&%._-+".contains(*c)).collect();
    let sep = if clean.is_empty() { "" } else { "&" };
    urls::comments_query(&format!("{clean}{sep}done={done}"))
}

/// `POST /newsroom/comments/moderate`: one comment (`one=action:id`) or those checked (`ids`)
/// with `action`.
pub(crate) async fn moderate(State(state): State<AppState>, StaffForm { form, .. }: StaffForm<Editor>) -> WebResult {
    let (action, ids) = match form.get_opt("one").and_then(|one| one.split_once(':')) {
        Some((action, id)) => (action, id.parse::<i64>().ok().into_iter().collect::<Vec<_>>()),
        None => (form.get("action"), form.all("ids").iter().filter_map(|v| v.parse::<i64>().ok()).collect()),
    };
    let Some(action) = Moderation::parse(action) else { return Err(WebError::BadRequest("moderation action")) };
    let done = if ids.is_empty() { 0 } else { state.store.moderate_comments(&ids, action, nashir_store::now_micros()).await? };
    Ok(see_other(&back_to(form.get("back"), done)))
}

#[derive(Serialize, Default)]
struct EditPage {
    id: i64,
    status_label: String,
    article_title: String,
    view_url: Option<String>,
    parent_author: Option<String>,
    address: Option<String>,
    created_at: i64,
    staff_reply: bool,
    form: Typed,
    errors: std::collections::BTreeMap<&'static str, String>,
    reply_body: String,
    reply_error: Option<String>,
    notice: Option<String>,
    edit_url: String,
    reply_url: String,
    queue_url: String,
    max_name: usize,
    max_body: usize,
}

#[derive(Serialize, Default, Clone)]
struct Typed {
    name: String,
    email: String,
    website: String,
    body: String,
}

async fn edit_view(state: &AppState, staff: &Staff, id: i64, content: impl FnOnce(&mut EditPage), status: StatusCode) -> WebResult {
    let r = state.store.comment_for_moderation(id).await?.ok_or(WebError::NotFound)?;
    let c = &r.comment;
    let mut view = EditPage {
        id,
        status_label: status_label(&state.renderer, c.status),
        article_title: r.article_title.clone(),
        view_url: (r.article_published && c.status == CommentStatus::Approved)
            .then(|| format!("{}#comment-{}", crate::urls::article(c.article_id, &r.article_slug), c.id)),
        parent_author: r.parent_author.clone(),
        address: r.address.clone(),
        created_at: c.created_at,
        staff_reply: c.staff_reply,
        form: Typed { name: c.author_name.clone(), email: r.email.clone(), website: c.author_url.clone().unwrap_or_default(), body: c.body.clone() },
        edit_url: urls::comment(id),
        reply_url: urls::comment_reply(id),
        queue_url: urls::comments(),
        max_name: state.comments.rules.max_name_chars,
        max_body: state.comments.rules.max_body_chars,
        ..EditPage::default()
    };
    content(&mut view);
    page(state, status, "newsroom/comment.html", Some(staff), &view)
}

/// `GET /newsroom/comments/{id}`: a comment to edit or answer.
pub(crate) async fn edit_page(
    State(state): State<AppState>,
    RequireRole(staff, _): RequireRole<Editor>,
    Path(id): Path<i64>,
    Query(q): Query<QueueQuery>,
) -> WebResult {
    let notice = match q.done.as_str() {
        "saved" => Some(state.renderer.t("nr-msg-comment-saved")),
        "replied" => Some(state.renderer.t("nr-msg-comment-replied")),
        _ => None,
    };
    edit_view(&state, &staff, id, |v| v.notice = notice, StatusCode::OK).await
}

/// `POST /newsroom/comments/{id}`: saves a staff member's edit (the same checks as a reader's
/// comment; the email may be empty for an anonymized comment).
pub(crate) async fn edit(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let typed = Typed {
        name: form.get("author_name").to_owned(),
        email: form.get("author_email").to_owned(),
        website: form.get("author_url").to_owned(),
        body: form.get("body").to_owned(),
    };
    // An anonymized comment has no email; a placeholder passes the check and is not stored.
    let email_for_check = if typed.email.trim().is_empty() { "anonymous@invalid.example" } else { typed.email.as_str() };
    let input = CommentInput { name: &typed.name, email: email_for_check, website: &typed.website, body: &typed.body };
    match check_comment(&input, &state.comments.rules) {
        Ok(clean) => {
            let edit = CommentEdit {
                author_name: clean.name,
                author_email: if typed.email.trim().is_empty() { String::new() } else { clean.email },
                author_url: clean.website,
                body: clean.body,
            };
            match state.store.edit_comment(id, &edit, nashir_store::now_micros()).await {
                Ok(()) => Ok(see_other(&format!("{}?done=saved", urls::comment(id)))),
                Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => {
            let tr = &state.renderer;
            let at_most = |id: &str, max: usize| tr.t_with(id, [("max", FluentValue::from(max))]);
            let messages: Vec<(&'static str, String)> = errors
                .into_iter()
                .map(|(field, error)| {
                    let text = match (field, error) {
                        (CommentField::Name, _) => at_most("nr-msg-comment-name-invalid", state.comments.rules.max_name_chars),
                        (CommentField::Email, _) => tr.t("nr-msg-comment-email-invalid"),
                        (CommentField::Website, _) => tr.t("nr-msg-comment-website-invalid"),
                        (CommentField::Body, _) => at_most("nr-msg-comment-body-invalid", state.comments.rules.max_body_chars),
                    };
                    (field.as_str(), text)
                })
                .collect();
            let notice = tr.t("nr-msg-comment-not-saved");
            edit_view(
                &state,
                &staff,
                id,
                move |v| {
                    v.form = typed;
                    v.errors = messages.into_iter().collect();
                    v.notice = Some(notice);
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /newsroom/comments/{id}/reply`: a reply as the site, published at once; answering
/// a held comment approves it (as WordPress does).
pub(crate) async fn reply(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Editor>) -> WebResult {
    let body = form.get("body").to_owned();
    let now = nashir_store::now_micros();
    let r = state.store.comment_for_moderation(id).await?.ok_or(WebError::NotFound)?;
    let input = CommentInput { name: &staff.person.name, email: "staff@invalid.example", website: "", body: &body };
    let clean = match check_comment(&input, &state.comments.rules) {
        Ok(clean) => clean,
        Err(_) => {
            let message = state.renderer.t_with("nr-msg-comment-reply-invalid", [("max", FluentValue::from(state.comments.rules.max_body_chars))]);
            return edit_view(
                &state,
                &staff,
                id,
                move |v| {
                    v.reply_body = body;
                    v.reply_error = Some(message);
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match r.comment.status {
        CommentStatus::Approved => {}
        CommentStatus::Pending => {
            state.store.moderate_comments(&[id], Moderation::Approve, now).await?;
        }
        CommentStatus::Spam | CommentStatus::Trash => {
            let message = state.renderer.t("nr-msg-comment-reply-refused");
            return edit_view(
                &state,
                &staff,
                id,
                move |v| {
                    v.reply_body = body;
                    v.reply_error = Some(message);
                },
                StatusCode::CONFLICT,
            )
            .await;
        }
    }
    let comment = NewComment {
        article_id: r.comment.article_id,
        parent_id: Some(id),
        author_name: staff.person.name.clone(),
        author_email: staff.person.email.clone().unwrap_or_default(),
        author_url: None,
        body: clean.body,
        status: CommentStatus::Approved,
        created_at: now,
        author_ip: None,
        staff_id: Some(staff.person.id),
    };
    state.store.create_comment(&comment, now).await?;
    Ok(see_other(&format!("{}?done=replied", urls::comment(id))))
}

/// `POST /newsroom/articles/{id}/comments-open`: opens (`open=1`) or closes an article's comments.
pub(crate) async fn set_open(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<AnyStaff>) -> WebResult {
    let a = state.store.editable_article(id).await?.ok_or(WebError::NotFound)?;
    staff.require(can_close_comments(staff.role(), staff.person.id, a.author_id))?;
    state.store.set_comments_open(id, form.get("open") == "1", nashir_store::now_micros()).await?;
    Ok(see_other(&urls::article(id)))
}

#[derive(Serialize, Default)]
struct ErasePage {
    email: String,
    mode: String,
    error: Option<String>,
    notice: Option<String>,
    log: Vec<ErasureRow>,
    action: String,
}

#[derive(Serialize)]
struct ErasureRow {
    at: i64,
    by: String,
    mode: String,
    comments: i64,
}

async fn erase_view(state: &AppState, staff: &Staff, mut content: ErasePage, status: StatusCode) -> WebResult {
    content.log = state
        .store
        .comment_erasures(50)
        .await?
        .into_iter()
        .map(|(at, by, mode, comments)| ErasureRow {
            at,
            by: by.unwrap_or_else(|| state.renderer.t("nr-msg-erase-by-cli")),
            mode: state.renderer.t(if mode == "remove" { "nr-msg-erase-removed" } else { "nr-msg-erase-anonymized" }),
            comments,
        })
        .collect();
    content.action = urls::erase_commenter();
    page(state, status, "newsroom/erase.html", Some(staff), &content)
}

/// `GET /newsroom/comments/erase`: erase a commenter by email (administrators).
pub(crate) async fn erase_page(State(state): State<AppState>, RequireRole(staff, _): RequireRole<Admin>, Query(q): Query<QueueQuery>) -> WebResult {
    let notice = match q.done.parse::<u64>() {
        Ok(0) => Some(state.renderer.t("nr-msg-erase-none")),
        // As a string: written as it always was, in Latin digits.
        Ok(n) => Some(state.renderer.t_with("nr-msg-erase-done", [("count", FluentValue::from(n.to_string()))])),
        Err(_) => None,
    };
    erase_view(&state, &staff, ErasePage { mode: "anonymize".into(), notice, ..ErasePage::default() }, StatusCode::OK).await
}

/// `POST /newsroom/comments/erase`: removes or anonymizes every comment of an email; the log
/// keeps who, when, how and how many, never the email.
pub(crate) async fn erase(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm<Admin>) -> WebResult {
    let email = form.trimmed("email").to_lowercase();
    let mode = form.get("mode").to_owned();
    let how = match mode.as_str() {
        "remove" => Some(Erasure::Remove),
        "anonymize" => Some(Erasure::Anonymize),
        _ => None,
    };
    let error = if !nashir_core::valid_email(&email) {
        Some("nr-msg-erase-email-invalid")
    } else if how.is_none() {
        Some("nr-msg-erase-mode-missing")
    } else if form.get("confirm") != "1" {
        Some("nr-msg-erase-unconfirmed")
    } else {
        None
    };
    if let Some(error) = error {
        let content = ErasePage { email, mode, error: Some(state.renderer.t(error)), ..ErasePage::default() };
        return erase_view(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let how = how.unwrap_or(Erasure::Anonymize);
    let n = state.store.erase_commenter(&email, how, Some(staff.person.id), nashir_store::now_micros()).await?;
    tracing::info!(comments = n, mode = how.as_str(), by = staff.person.id, "erased a commenter's comments");
    Ok(see_other(&format!("{}?done={n}", urls::erase_commenter())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_offers_the_actions_that_apply() {
        let values = |s| actions_for(s).into_iter().map(Moderation::as_str).collect::<Vec<_>>();
        assert_eq!(values(CommentStatus::Pending), vec!["approve", "spam", "trash"]);
        assert_eq!(values(CommentStatus::Approved), vec!["unapprove", "spam", "trash"]);
        assert_eq!(values(CommentStatus::Trash), vec!["approve", "spam", "restore", "delete"]);
    }

    #[test]
    fn the_way_back_is_a_queue_query_only() {
        assert_eq!(back_to("status=spam&page=2", 3), "/newsroom/comments?status=spam&page=2&done=3");
        assert_eq!(back_to("//evil.example/x", 1), "/newsroom/comments?evil.examplex&done=1");
        assert!(!back_to("a\r\nLocation: x", 0).contains('\n'));
    }

    #[test]
    fn moderators_are_editors_and_administrators() {
        use nashir_core::permissions::can_moderate_comments;
        assert!(can_moderate_comments(nashir_core::Role::Editor));
        assert!(!can_moderate_comments(nashir_core::Role::Author));
    }
}
