//! Reader comments on the public site: the form's signed token (the same for every reader,
//! so article pages stay cacheable), posting a comment (cross-site check, token and its
//! minimum age, honeypot, rate limits, field checks, the moderation rules), and the
//! writer's private view of a comment that waits for a moderator.
//!
//! A refused comment answers with the article page itself: the form keeps everything typed,
//! with an Arabic message beside each field at fault. Nothing is written then.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use nashir_core::comments::{CommentField, CommentFieldError, CommentInput, check_comment, flags, initial_status};
use nashir_core::{Article, CommentStatus, NewComment};
use nashir_store::{OutgoingMail, StoreError};
use nashir_render::{FluentValue, Renderer};
use serde::Serialize;

use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, Form, Path};
use crate::http::see_other;
use crate::signing::{same_origin, same_token, sign};
use crate::state::{AppState, CommentOptions};
use crate::urls;

/// A form token is accepted this long after the page was made.
pub(crate) const TOKEN_LIFETIME_SECS: i64 = 24 * 3600;
/// The writer's link to their held comment works this long.
const HELD_VIEW_SECS: i64 = 2 * 24 * 3600;
/// The field a person never sees and a form-filling robot fills.
pub(crate) const HONEYPOT: &str = "phone";

/// The form's token: when the page was made, signed for this article. Every reader of a
/// page gets the same one.
pub(crate) fn form_token(secret: &str, article_id: i64, now: i64) -> String {
    let issued = now.div_euclid(1_000_000);
    format!("{issued}.{}", sign(secret, &format!("comment:{article_id}:{issued}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenCheck {
    /// Signed by this site for this article, issued at (unix seconds).
    Valid(i64),
    Expired,
    Invalid,
}

fn check_token(secret: &str, article_id: i64, token: &str, now: i64) -> TokenCheck {
    let Some((issued, signature)) = token.trim().split_once('.') else { return TokenCheck::Invalid };
    let Ok(issued_secs) = issued.parse::<i64>() else { return TokenCheck::Invalid };
    if !same_token(signature, &sign(secret, &format!("comment:{article_id}:{issued}"))) {
        return TokenCheck::Invalid;
    }
    let now_secs = now.div_euclid(1_000_000);
    // A token from the future was not made here; one past its lifetime is stale.
    if issued_secs > now_secs + 60 || now_secs - issued_secs > TOKEN_LIFETIME_SECS {
        return TokenCheck::Expired;
    }
    TokenCheck::Valid(issued_secs)
}

/// The query that shows a writer their held comment (like WordPress's `unapproved` and
/// `moderation-hash`): signed, and valid for two days.
pub(crate) fn held_query(secret: &str, comment_id: i64, now: i64) -> String {
    let expires = now.div_euclid(1_000_000) + HELD_VIEW_SECS;
    format!("unapproved={comment_id}&moderation-hash={expires}.{}", sign(secret, &format!("held:{comment_id}:{expires}")))
}

/// Whether a `moderation-hash` opens comment `id` at `now`.
pub(crate) fn held_hash_valid(secret: &str, id: i64, hash: &str, now: i64) -> bool {
    let Some((expires, signature)) = hash.split_once('.') else { return false };
    let Ok(expires_secs) = expires.parse::<i64>() else { return false };
    expires_secs > now.div_euclid(1_000_000) && same_token(signature, &sign(secret, &format!("held:{id}:{expires}")))
}

/// When an article's comments close by themselves (`close_after_days` after publication).
pub(crate) fn closes_at(article: &Article, options: &CommentOptions) -> Option<i64> {
    if options.close_after_days == 0 {
        return None;
    }
    article.published_at.map(|p| p.saturating_add(i64::from(options.close_after_days) * 24 * 3_600_000_000))
}

/// Whether readers may comment on an article at `now`.
pub(crate) fn open_at(article: &Article, options: &CommentOptions, now: i64) -> bool {
    article.comments_open && closes_at(article, options).is_none_or(|t| now < t)
}

/// What a reader typed, kept to show again.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Typed {
    pub name: String,
    pub email: String,
    pub website: String,
    pub body: String,
}

impl Typed {
    fn from_form(form: &Form) -> Self {
        Typed {
            name: form.get("author_name").to_owned(),
            email: form.get("author_email").to_owned(),
            website: form.get("author_url").to_owned(),
            body: form.get("body").to_owned(),
        }
    }
}

/// The problem beside each field.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct FieldErrors {
    pub name: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub body: Option<String>,
}

/// The form as one reader left it: what they typed, the problems, and whom they answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormState {
    pub typed: Typed,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub parent_id: Option<i64>,
}

fn field_message(r: &Renderer, field: CommentField, error: CommentFieldError, options: &CommentOptions) -> String {
    use CommentField::*;
    use CommentFieldError::*;
    let at_most = |id: &str, max: usize| r.t_with(id, [("max", FluentValue::from(max))]);
    match (field, error) {
        (Name, Missing) => r.t("comment-name-missing"),
        (Name, TooLong) => at_most("comment-name-too-long", options.rules.max_name_chars),
        (Email, Missing) => r.t("comment-email-missing"),
        (Email, TooLong) | (Email, Malformed) => r.t("comment-email-malformed"),
        (Website, TooLong) => at_most("comment-website-too-long", nashir_core::comments::MAX_WEBSITE_CHARS),
        (Website, Malformed) | (Website, Missing) => r.t("comment-website-malformed"),
        (Body, Missing) => r.t("comment-body-missing"),
        (Body, TooLong) => at_most("comment-body-too-long", options.rules.max_body_chars),
        (_, Unreadable) => r.t("comment-unreadable"),
        (Name, Malformed) | (Body, Malformed) => r.t("comment-check-field"),
    }
}

/// `POST /news/{id}/comments`: a reader's comment.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    form: Form,
) -> WebResult {
    let now = nashir_store::now_micros();
    if !same_origin(&headers, &state.site.public_url) {
        return Err(WebError::Csrf);
    }
    let found = state.store.article_with_byline(id, now).await?.ok_or(WebError::NotFound)?;
    let options = &state.comments;
    let mut refused = FormState { typed: Typed::from_form(&form), parent_id: form.id("parent_id"), ..FormState::default() };
    let refuse = |state: AppState, found, form: FormState, status: StatusCode, retry_after: Option<u64>| async move {
        let mut response = super::article::page_with_form(&state, found, form, status, now).await?;
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        Ok(response)
    };

    if let Err(wait) = state.comment_limit.check(&address, now) {
        refused.message = Some(too_many(&state.renderer, wait));
        return refuse(state.clone(), found, refused, StatusCode::TOO_MANY_REQUESTS, Some(wait)).await;
    }
    if !open_at(&found.article, options, now) {
        refused.message = Some(state.renderer.t("comments-closed"));
        return refuse(state.clone(), found, refused, StatusCode::FORBIDDEN, None).await;
    }
    // Every field's problem is shown, whatever else is wrong with the post.
    let typed = &refused.typed;
    let input = CommentInput { name: &typed.name, email: &typed.email, website: &typed.website, body: &typed.body };
    let checked = check_comment(&input, &options.rules);
    if let Err(errors) = &checked {
        for (field, error) in errors {
            let text = Some(field_message(&state.renderer, *field, *error, options));
            match field {
                CommentField::Name => refused.errors.name = text,
                CommentField::Email => refused.errors.email = text,
                CommentField::Website => refused.errors.website = text,
                CommentField::Body => refused.errors.body = text,
            }
        }
    }
    let secret = state.secret().await?.to_owned();
    let token_problem = match check_token(&secret, id, form.get("token"), now) {
        TokenCheck::Invalid => Some("comment-token-invalid"),
        TokenCheck::Expired => Some("comment-token-expired"),
        TokenCheck::Valid(issued) if now.div_euclid(1_000_000) - issued < i64::try_from(options.min_seconds).unwrap_or(i64::MAX) => {
            Some("comment-too-fast")
        }
        TokenCheck::Valid(_) => None,
    };
    if let Some(problem) = token_problem {
        refused.message = Some(state.renderer.t(problem));
        return refuse(state.clone(), found, refused, StatusCode::BAD_REQUEST, None).await;
    }
    if !form.trimmed(HONEYPOT).is_empty() {
        refused.message = Some(state.renderer.t("comment-trap-filled"));
        return refuse(state.clone(), found, refused, StatusCode::BAD_REQUEST, None).await;
    }
    let clean = match checked {
        Ok(clean) => clean,
        Err(_) => {
            refused.message = Some(state.renderer.t("comment-fix-fields"));
            return refuse(state.clone(), found, refused, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
    if options.rate_limit > 0 {
        let window = i64::try_from(options.rate_window_secs).unwrap_or(i64::MAX / 2_000_000) * 1_000_000;
        let recent = state.store.comments_from_address_since(&address, now - window).await?;
        if recent >= i64::from(options.rate_limit) {
            let wait = options.rate_window_secs.min(600);
            refused.message = Some(too_many(&state.renderer, wait));
            return refuse(state.clone(), found, refused, StatusCode::TOO_MANY_REQUESTS, Some(wait)).await;
        }
    }
    let (history, repeated) = state.store.commenter_history(&clean.email, &clean.body, now).await?;
    let raised = flags(&clean, &options.rules, repeated);
    let status = initial_status(history, &raised);
    if !raised.is_empty() {
        tracing::info!(article = id, flags = ?raised, "a comment waits for a moderator");
    }
    let comment = NewComment {
        article_id: id,
        parent_id: refused.parent_id,
        author_name: clean.name,
        author_email: clean.email,
        author_url: clean.website,
        body: clean.body,
        status,
        created_at: now,
        author_ip: Some(address),
        staff_id: None,
    };
    let mail = if status == CommentStatus::Pending { moderator_mail(&state, &found.article, &comment).await? } else { Vec::new() };
    let comment_id = match state.store.create_comment_with_mail(&comment, &mail, now).await {
        Ok(comment_id) => comment_id,
        Err(StoreError::NotFound(_)) => {
            refused.parent_id = None;
            refused.message = Some(state.renderer.t("comment-parent-gone"));
            return refuse(state.clone(), found, refused, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
        Err(e) => return Err(e.into()),
    };
    let article = &found.article;
    if status == CommentStatus::Approved {
        // The writer sees their comment on the next request; other instances follow the outbox.
        state.cache.clear().await;
        let page = super::article::comment_page(&state, article.id, comment_id).await?;
        Ok(see_other(&format!("{}#comment-{comment_id}", urls::article_comment_page(article.id, &article.slug, page))))
    } else {
        let url = urls::article(article.id, &article.slug);
        Ok(see_other(&format!("{url}?{}#comment-{comment_id}", held_query(&secret, comment_id, now))))
    }
}

fn too_many(r: &Renderer, wait_secs: u64) -> String {
    let minutes = wait_secs.div_ceil(60).max(1);
    r.t_with("comment-rate-limited", [("minutes", FluentValue::from(minutes))])
}

/// Mail to the moderators about a held comment, when the site sends mail.
async fn moderator_mail(state: &AppState, article: &Article, comment: &NewComment) -> WebResult<Vec<OutgoingMail>> {
    if !state.comments.notify_moderators || state.comments.mail.is_none() {
        return Ok(Vec::new());
    }
    let queue = format!("{}{}", state.site.public_url.trim_end_matches('/'), urls::newsroom::comments_query("status=pending"));
    let r = &state.renderer;
    let subject = r.t_with("nr-mail-held-comment-subject", [("title", FluentValue::from(nashir_arabic::excerpt(&article.title, 80)))]);
    let mut body = r.t_with(
        "nr-mail-held-comment-body",
        [
            ("author", FluentValue::from(comment.author_name.as_str())),
            ("title", FluentValue::from(article.title.as_str())),
            ("body", FluentValue::from(comment.body.as_str())),
            ("url", FluentValue::from(queue)),
        ],
    );
    // A message cannot end with a line break; the mail's last line has one.
    body.push('\n');
    Ok(state
        .store
        .moderator_emails()
        .await?
        .into_iter()
        .map(|to| OutgoingMail { to, subject: subject.clone(), body: body.clone() })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000_000;

    #[test]
    fn form_tokens_are_per_article_signed_and_age() {
        let t = form_token("s", 7, NOW);
        assert_eq!(check_token("s", 7, &t, NOW + 5_000_000), TokenCheck::Valid(NOW / 1_000_000));
        assert_eq!(check_token("s", 8, &t, NOW), TokenCheck::Invalid, "another article");
        assert_eq!(check_token("x", 7, &t, NOW), TokenCheck::Invalid, "another site");
        assert_eq!(check_token("s", 7, "garbage", NOW), TokenCheck::Invalid);
        assert_eq!(check_token("s", 7, &t, NOW + (TOKEN_LIFETIME_SECS + 1) * 1_000_000), TokenCheck::Expired);
        assert_eq!(form_token("s", 7, NOW), form_token("s", 7, NOW + 999_999), "the same for everyone within a second");
    }

    #[test]
    fn held_links_open_one_comment_for_two_days() {
        let q = held_query("s", 42, NOW);
        let hash = q.split("moderation-hash=").nth(1).expect("hash");
        assert!(q.starts_with("unapproved=42&"));
        assert!(held_hash_valid("s", 42, hash, NOW));
        assert!(!held_hash_valid("s", 43, hash, NOW), "another comment");
        assert!(!held_hash_valid("s", 42, hash, NOW + (HELD_VIEW_SECS + 1) * 1_000_000), "expired");
        assert!(!held_hash_valid("s", 42, "1.2", NOW));
    }
}
