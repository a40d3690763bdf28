//! The Admin API: integrations (apps, wire-agency feeds, newsletter tools) write through
//! a key an administrator created in the newsroom. A key acts as its own person with the role
//! it was given (contributor to editor), so exactly the newsroom's rules apply: the same
//! state machine (`editorial::next_state`), the same field checks, the same store calls
//! writing the revision and the outbox event, and an audit record naming the key.
//!
//! `Authorization: Bearer nsr_<prefix>_<secret>`; a revoked key fails from its next request.
//! Creates may carry an `Idempotency-Key`: a retry with the same key and body gets the first
//! answer again, never a second article.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use nashir_core::editorial::{self, Actor, ArticleFields, Current, EditAction, PublishAt, Refusal};
use nashir_core::permissions::{can_assign_author, can_edit_article, can_manage_site_content};
use nashir_core::{CategoryTree, PublishState, Role};
use nashir_render::{FluentValue, Renderer};
use nashir_store::{ArticleDraft, AuditEntry, EditableArticle, NewBreakingItem};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::newsroom::integrations::KEY_PREFIX;
use crate::state::AppState;
use crate::{seo, urls};

/// The key a request came with, checked.
pub(crate) struct ApiKey {
    pub key_id: i64,
    pub person_id: i64,
    pub role: Role,
}

impl ApiKey {
    fn actor(&self) -> Actor {
        Actor {
            person_id: self.person_id,
            role: self.role,
        }
    }
}

fn unauthorized(code: &'static str, detail: String) -> WebError {
    WebError::Rejected {
        code,
        status: StatusCode::UNAUTHORIZED,
        detail,
    }
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "api_key_required",
                state.renderer.t("api-key-required"),
            ));
        };
        let presented = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        let invalid = || unauthorized("invalid_api_key", state.renderer.t("api-key-invalid"));
        let (prefix, secret) = presented
            .strip_prefix(KEY_PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .ok_or_else(invalid)?;
        let key = state
            .store
            .api_key_by_prefix(prefix)
            .await?
            .ok_or_else(invalid)?;
        if !crate::signing::same_token(&crate::newsroom::auth::token_hash(secret), &key.secret_hash)
        {
            return Err(invalid());
        }
        if key.revoked_at.is_some() {
            return Err(unauthorized(
                "api_key_revoked",
                state.renderer.t("api-key-revoked"),
            ));
        }
        let now = nashir_store::now_micros();
        state.store.touch_api_key(key.id, now).await?;
        Ok(ApiKey {
            key_id: key.id,
            person_id: key.person_id,
            role: key.role,
        })
    }
}

fn problem(code: &'static str, status: StatusCode, detail: impl Into<String>) -> WebError {
    WebError::Rejected {
        code,
        status,
        detail: detail.into(),
    }
}

fn refused(r: &Renderer, refusal: Refusal) -> WebError {
    let detail = r.t(match refusal {
        Refusal::MayNotEdit => "api-forbidden-edit",
        Refusal::MayNotPublish => "api-forbidden-publish",
        Refusal::StateNotAllowed => "api-forbidden-state",
        Refusal::UnknownAction => "api-forbidden-action",
    });
    problem("forbidden", StatusCode::FORBIDDEN, detail)
}

fn body_json<T: for<'de> Deserialize<'de>>(r: &Renderer, bytes: &[u8]) -> WebResult<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        problem(
            "bad_json",
            StatusCode::BAD_REQUEST,
            r.t_with(
                "api-bad-json",
                [("error", FluentValue::from(e.to_string()))],
            ),
        )
    })
}

fn answer<T: Serialize>(status: StatusCode, body: &T) -> WebResult<Response> {
    let text = serde_json::to_string(body).map_err(|e| WebError::Internal(e.into()))?;
    let mut r = (status, [(header::CONTENT_TYPE, "application/json")], text).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn audit(
    state: &AppState,
    key: &ApiKey,
    action: &str,
    subject: String,
    detail: String,
    status: StatusCode,
) {
    let entry = AuditEntry {
        person_id: Some(key.person_id),
        key_id: Some(key.key_id),
        action: action.to_owned(),
        subject,
        detail,
        status: i64::from(status.as_u16()),
    };
    if let Err(e) = state
        .store
        .record_audit(&entry, nashir_store::now_micros())
        .await
    {
        tracing::error!(error = %e, action, "the audit log could not be written");
    }
}

/// Runs a create once per `Idempotency-Key`: a retry of the same request gets the first
/// answer; the same key with another request is refused.
async fn once(
    state: &AppState,
    key: &ApiKey,
    headers: &HeaderMap,
    what: &str,
    body: &[u8],
    run: impl Future<Output = WebResult<Response>>,
) -> WebResult<Response> {
    let Some(idem) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
    else {
        return run.await;
    };
    if idem.len() > 200 {
        return Err(problem(
            "bad_idempotency_key",
            StatusCode::BAD_REQUEST,
            state.renderer.t("api-idempotency-key-too-long"),
        ));
    }
    let mut hasher = Sha256::new();
    hasher.update(what.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    let hash = hex::encode(hasher.finalize());
    let now = nashir_store::now_micros();
    if !state
        .store
        .claim_answer(key.key_id, idem, &hash, now)
        .await?
    {
        let kept = state
            .store
            .kept_answer(key.key_id, idem)
            .await?
            .ok_or_else(|| WebError::internal("idempotency key vanished"))?;
        if kept.request_hash != hash {
            return Err(problem(
                "idempotency_key_reused",
                StatusCode::UNPROCESSABLE_ENTITY,
                state.renderer.t("api-idempotency-key-reused"),
            ));
        }
        if kept.status == 0 {
            return Err(problem(
                "request_in_progress",
                StatusCode::CONFLICT,
                state.renderer.t("api-request-in-progress"),
            ));
        }
        let status = StatusCode::from_u16(u16::try_from(kept.status).unwrap_or(500))
            .unwrap_or(StatusCode::OK);
        let mut r = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            kept.body,
        )
            .into_response();
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(r);
    }
    match run.await {
        Ok(response) => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, 1 << 20)
                .await
                .map_err(|e| WebError::internal(e.to_string()))?;
            state
                .store
                .settle_answer(
                    key.key_id,
                    idem,
                    i64::from(parts.status.as_u16()),
                    &String::from_utf8_lossy(&bytes),
                )
                .await?;
            Ok(Response::from_parts(parts, axum::body::Body::from(bytes)))
        }
        Err(e) => {
            state.store.release_answer(key.key_id, idem).await?;
            Err(e)
        }
    }
}

/// An article as the Admin API writes it. On a create, `title` is needed; on an update,
/// what is left out stays as it is.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticleInput {
    title: Option<String>,
    /// HTML; sanitized like the editor's (scripts, styles and unknown tags removed).
    body_html: Option<String>,
    /// The standfirst; made from the body when empty.
    excerpt: Option<String>,
    /// Made from the title when empty.
    slug: Option<String>,
    primary_category_id: Option<i64>,
    other_category_ids: Option<Vec<i64>>,
    /// Tag names; unknown ones are created.
    tags: Option<Vec<String>>,
    /// The byline (editors only; others write under the key's own name).
    author_id: Option<i64>,
    /// `draft` (default), `pending` (for review), `published` or `scheduled`.
    status: Option<String>,
    /// RFC 3339; needed for `scheduled`.
    publish_at: Option<String>,
    /// The version read; an update is refused (409) if the article changed since.
    version: Option<i64>,
}

/// Scheduling: when.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleInput {
    /// RFC 3339, in the future.
    publish_at: String,
}

/// An article as the newsroom holds it.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminArticle {
    id: i64,
    version: i64,
    /// `draft`, `pending`, `scheduled`, `published` or `unpublished`.
    status: String,
    title: String,
    slug: String,
    excerpt: String,
    body_html: String,
    author_id: i64,
    primary_category_id: Option<i64>,
    publish_at: Option<String>,
    published_at: Option<String>,
    /// The public address, once readers may see it.
    url: Option<String>,
}

fn state_name(s: PublishState) -> &'static str {
    match s {
        PublishState::Draft => "draft",
        PublishState::Pending => "pending",
        PublishState::Scheduled => "scheduled",
        PublishState::Published => "published",
        PublishState::Unpublished => "unpublished",
    }
}

fn admin_article(state: &AppState, a: &EditableArticle) -> AdminArticle {
    let dates = state.renderer.dates();
    AdminArticle {
        id: a.id,
        version: a.version,
        status: state_name(a.state).into(),
        title: a.title.clone(),
        slug: a.slug.clone(),
        excerpt: a.excerpt.clone(),
        body_html: a.body_html.clone(),
        author_id: a.author_id,
        primary_category_id: a.primary_category_id,
        publish_at: a.publish_at.map(|t| dates.rfc3339(t)),
        published_at: a.published_at.map(|t| dates.rfc3339(t)),
        url: (a.state == PublishState::Published)
            .then(|| seo::absolute(&state.site, &urls::article(a.id, &a.slug))),
    }
}

fn publish_at_of(text: &str) -> PublishAt {
    match text.trim().parse::<jiff::Timestamp>() {
        Ok(t) => PublishAt::At(t.as_microsecond()),
        Err(_) if text.trim().is_empty() => PublishAt::Unset,
        Err(_) => PublishAt::Unreadable,
    }
}

/// Saves an article for a key, as the editor does for a person. `action` is what the
/// request asks; the answer is the article as saved.
async fn save(
    state: &AppState,
    key: &ApiKey,
    id: Option<i64>,
    input: ArticleInput,
    action: EditAction,
) -> WebResult<(StatusCode, EditableArticle)> {
    let now = nashir_store::now_micros();
    let existing = match id {
        Some(id) => Some(
            state
                .store
                .editable_article(id)
                .await?
                .ok_or(WebError::NotFound)?,
        ),
        None => None,
    };
    let current = existing.as_ref().map(|a| Current {
        author_id: a.author_id,
        state: a.state,
    });
    let current_author = current.map_or(key.person_id, |c| c.author_id);
    let author_id = match input.author_id {
        Some(a) if a != current_author && !can_assign_author(key.role) => {
            return Err(problem(
                "forbidden",
                StatusCode::FORBIDDEN,
                state.renderer.t("api-forbidden-author"),
            ));
        }
        Some(a) => a,
        None => current_author,
    };
    let target = editorial::next_state(key.actor(), current, author_id, action)
        .map_err(|r| refused(&state.renderer, r))?;
    let tree = CategoryTree::new(state.store.categories().await?);
    let title = nashir_arabic::plain_title(
        input
            .title
            .as_deref()
            .or(existing.as_ref().map(|a| a.title.as_str()))
            .unwrap_or(""),
    );
    let slug_typed = input
        .slug
        .clone()
        .or(existing.as_ref().map(|a| a.slug.clone()))
        .unwrap_or_default();
    let body = input
        .body_html
        .clone()
        .or(existing.as_ref().map(|a| a.body_html.clone()))
        .unwrap_or_default();
    let excerpt_typed = input
        .excerpt
        .clone()
        .or(existing.as_ref().map(|a| a.excerpt.clone()))
        .unwrap_or_default();
    let primary = input
        .primary_category_id
        .or(existing.as_ref().and_then(|a| a.primary_category_id))
        .filter(|c| *c != 0);
    let others = match (&input.other_category_ids, id) {
        (Some(o), _) => o.clone(),
        (None, Some(id)) => state
            .store
            .article_category_ids(id)
            .await?
            .into_iter()
            .filter(|c| Some(*c) != primary)
            .collect(),
        (None, None) => Vec::new(),
    };
    let publish_at = match &input.publish_at {
        Some(t) => publish_at_of(t),
        None => existing
            .as_ref()
            .and_then(|a| a.publish_at)
            .map_or(PublishAt::Unset, PublishAt::At),
    };
    let checked = ArticleFields {
        title: &title,
        slug: &slug_typed,
        body_html: &body,
        excerpt: &excerpt_typed,
        primary_category_id: primary,
        other_category_ids: &others,
        publish_at,
    };
    let mut problems: Vec<String> = editorial::check_article(&checked, &tree, target, now)
        .into_iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field().name(),
                crate::newsroom::articles::field_text(&state.renderer, e)
            )
        })
        .collect();
    if author_id != current_author && state.store.person(author_id).await?.is_none() {
        problems.push(format!(
            "author_id: {}",
            state.renderer.t("api-author-unknown")
        ));
    }
    if matches!(target, PublishState::Published | PublishState::Scheduled)
        && let Some(id) = id
        && crate::newsroom::media::missing_alt(state, id).await?
    {
        problems.push(format!(
            "featured: {}",
            state.renderer.t("api-featured-alt-missing")
        ));
    }
    if !problems.is_empty() {
        return Err(problem(
            "invalid_article",
            StatusCode::UNPROCESSABLE_ENTITY,
            problems.join(" — "),
        ));
    }
    let tag_names = match (&input.tags, id) {
        (Some(t), _) => t
            .iter()
            .map(|n| n.trim().chars().take(100).collect::<String>())
            .filter(|n| !n.is_empty())
            .take(50)
            .collect(),
        (None, Some(id)) => state
            .store
            .article_tags(id)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        (None, None) => Vec::new(),
    };
    let slug = if slug_typed.is_empty() {
        nashir_arabic::slugify(&title)
    } else {
        slug_typed
    };
    let body_html = nashir_core::sanitize_article_html(&body);
    let excerpt = if excerpt_typed.is_empty() {
        nashir_arabic::excerpt(&nashir_arabic::strip_html(&body_html), 200)
    } else {
        excerpt_typed
    };
    let draft = ArticleDraft {
        title,
        slug,
        body_html,
        excerpt,
        author_id,
        primary_category_id: primary,
        other_category_ids: others,
        tag_ids: state.store.tags_for_names(&tag_names, now).await?,
        state: target,
        publish_at: if target == PublishState::Scheduled {
            publish_at.time()
        } else {
            None
        },
    };
    let version = input
        .version
        .or(existing.as_ref().map(|a| a.version))
        .unwrap_or(0);
    match state
        .store
        .save_article(id, version, &draft, key.person_id, now)
        .await?
    {
        Ok(saved) => {
            let article = state
                .store
                .editable_article(saved)
                .await?
                .ok_or_else(|| WebError::internal("saved article vanished"))?;
            let verb = match action {
                EditAction::Publish => "publish",
                EditAction::Schedule => "schedule",
                EditAction::Unpublish => "unpublish",
                EditAction::Submit => "submit",
                _ if id.is_none() => "create",
                _ => "update",
            };
            let status = if id.is_none() {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            audit(
                state,
                key,
                &format!("articles.{verb}"),
                format!("articles/{saved}"),
                format!(
                    "title: {}",
                    article.title.chars().take(120).collect::<String>()
                ),
                status,
            )
            .await;
            // This instance's pages follow at once; the others through the outbox.
            state.cache.clear().await;
            Ok((status, article))
        }
        Err(stale) => Err(problem(
            "stale_version",
            StatusCode::CONFLICT,
            state.renderer.t_with(
                "api-stale-version",
                [(
                    "version",
                    FluentValue::from(stale.current_version.to_string()),
                )],
            ),
        )),
    }
}

fn action_for_status(r: &Renderer, status: Option<&str>) -> WebResult<EditAction> {
    Ok(match status.unwrap_or("") {
        "" | "draft" => EditAction::Save,
        "pending" => EditAction::Submit,
        "published" => EditAction::Publish,
        "scheduled" => EditAction::Schedule,
        "unpublished" => EditAction::Unpublish,
        other => {
            return Err(problem(
                "bad_status",
                StatusCode::BAD_REQUEST,
                r.t_with(
                    "api-status-unknown",
                    [(
                        "status",
                        FluentValue::from(other.chars().take(40).collect::<String>()),
                    )],
                ),
            ));
        }
    })
}

/// Creates an article (a draft unless `status` says otherwise).
#[utoipa::path(
    post,
    path = "/api/v1/admin/articles",
    tag = "admin",
    security(("api_key" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe: the same key and body get the first answer again.")),
    request_body(content = ArticleInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = AdminArticle, content_type = "application/json"),
        (status = 400, description = "Unreadable JSON or status (`bad_json`, `bad_status`, `bad_idempotency_key`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No key, a wrong one, or a revoked one (`api_key_required`, `invalid_api_key`, `api_key_revoked`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The key's role may not do this (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "The first request with this Idempotency-Key is still running (`request_in_progress`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fields to correct (`invalid_article`), or an Idempotency-Key used for another request (`idempotency_key_reused`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create_article(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    once(
        &state,
        &key,
        &headers,
        "POST /api/v1/admin/articles",
        &body,
        async {
            let input: ArticleInput = body_json(&state.renderer, &body)?;
            if input.version.is_some() {
                return Err(problem(
                    "bad_json",
                    StatusCode::BAD_REQUEST,
                    state.renderer.t("api-version-on-create"),
                ));
            }
            let action = action_for_status(&state.renderer, input.status.as_deref())?;
            let (status, article) = save(&state, &key, None, input, action).await?;
            answer(status, &admin_article(&state, &article))
        },
    )
    .await
}

async fn readable(state: &AppState, key: &ApiKey, id: &str) -> WebResult<EditableArticle> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    let a = state
        .store
        .editable_article(id)
        .await?
        .ok_or(WebError::NotFound)?;
    if !(can_edit_article(key.role, key.person_id, a.author_id, a.state)
        || key.role.at_least(Role::Editor))
    {
        // Not the key's to see: as if it did not exist.
        return Err(WebError::NotFound);
    }
    Ok(a)
}

/// One article as the newsroom holds it, drafts included (those the key's role may edit).
#[utoipa::path(
    get,
    path = "/api/v1/admin/articles/{id}",
    tag = "admin",
    security(("api_key" = [])),
    params(("id" = i64, Path, description = "The article's id.")),
    responses(
        (status = 200, description = "The article.", body = AdminArticle, content_type = "application/json"),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such article, or not one this key may edit (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_article(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let a = readable(&state, &key, &id).await?;
    answer(StatusCode::OK, &admin_article(&state, &a))
}

/// Changes an article: the fields sent, and its state when `status` is sent.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/articles/{id}",
    tag = "admin",
    security(("api_key" = [])),
    params(("id" = i64, Path, description = "The article's id.")),
    request_body(content = ArticleInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved.", body = AdminArticle, content_type = "application/json"),
        (status = 400, description = "Unreadable JSON or status.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The key's role may not do this (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such article (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "The article changed since `version` (`stale_version`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fields to correct (`invalid_article`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn update_article(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    body: Bytes,
) -> WebResult<Response> {
    let a = readable(&state, &key, &id).await?;
    let input: ArticleInput = body_json(&state.renderer, &body)?;
    let action = match input.status.as_deref() {
        None => EditAction::Save,
        Some(s) => action_for_status(&state.renderer, Some(s))?,
    };
    let (status, article) = save(&state, &key, Some(a.id), input, action).await?;
    answer(status, &admin_article(&state, &article))
}

async fn act(
    state: &AppState,
    key: &ApiKey,
    id: &str,
    action: EditAction,
    input: ArticleInput,
) -> WebResult<Response> {
    let a = readable(state, key, id).await?;
    let (status, article) = save(state, key, Some(a.id), input, action).await?;
    answer(status, &admin_article(state, &article))
}

macro_rules! action_doc {
    ($name:ident, $path:literal, $summary:literal, $action:expr) => {
        #[doc = $summary]
        #[utoipa::path(
            post,
            path = $path,
            tag = "admin",
            security(("api_key" = [])),
            params(("id" = i64, Path, description = "The article's id.")),
            responses(
                (status = 200, description = "Done.", body = AdminArticle, content_type = "application/json"),
                (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
                (status = 403, description = "The key's role may not do this (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
                (status = 404, description = "No such article (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
                (status = 422, description = "The article cannot be published as it is (`invalid_article`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
            )
        )]
        pub(crate) async fn $name(State(state): State<AppState>, key: ApiKey, Path(id): Path<String>) -> WebResult<Response> {
            act(&state, &key, &id, $action, ArticleInput::default()).await
        }
    };
}

action_doc!(
    publish_article,
    "/api/v1/admin/articles/{id}/publish",
    "Publishes an article now.",
    EditAction::Publish
);
action_doc!(
    unpublish_article,
    "/api/v1/admin/articles/{id}/unpublish",
    "Takes a published or scheduled article off the site.",
    EditAction::Unpublish
);
action_doc!(
    submit_article,
    "/api/v1/admin/articles/{id}/submit",
    "Sends an article to the editors for review.",
    EditAction::Submit
);

/// Schedules an article for `publish_at`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/articles/{id}/schedule",
    tag = "admin",
    security(("api_key" = [])),
    params(("id" = i64, Path, description = "The article's id.")),
    request_body(content = ScheduleInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Scheduled.", body = AdminArticle, content_type = "application/json"),
        (status = 400, description = "Unreadable JSON (`bad_json`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "The key's role may not do this (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such article (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "A time that is not in the future, or fields to correct (`invalid_article`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn schedule_article(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    body: Bytes,
) -> WebResult<Response> {
    let input: ScheduleInput = body_json(&state.renderer, &body)?;
    act(
        &state,
        &key,
        &id,
        EditAction::Schedule,
        ArticleInput {
            publish_at: Some(input.publish_at),
            ..Default::default()
        },
    )
    .await
}

/// A photo added to the media library.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminImage {
    id: i64,
    /// `processing` until its sizes and formats are made, then `ready`.
    status: String,
    width: i64,
    height: i64,
}

/// Query of an image upload: the photo's texts.
#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct ImageParams {
    /// The file's name, kept for the library.
    name: String,
    title: String,
    /// The text for those who cannot see the photo (needed before it leads a published article).
    alt: String,
    caption: String,
    credit: String,
}

/// Uploads a photo (the request body is the file: JPEG, PNG, WebP or GIF) to the media
/// library; its sizes and formats are made in the background.
#[utoipa::path(
    post,
    path = "/api/v1/admin/images",
    tag = "admin",
    security(("api_key" = [])),
    params(ImageParams, ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried upload safe.")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 201, description = "Added (or found: the same file uploaded before).", body = AdminImage, content_type = "application/json"),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the site allows (`payload_too_large`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Not an image the library takes, or texts too long (`invalid_image`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload_image(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    crate::extract::Query(p): crate::extract::Query<ImageParams>,
    body: Bytes,
) -> WebResult<Response> {
    let what = format!(
        "POST /api/v1/admin/images {} {} {} {} {}",
        p.name, p.title, p.alt, p.caption, p.credit
    );
    once(&state, &key, &headers, &what, &body, async {
        let mut errors = std::collections::BTreeMap::new();
        let text = crate::newsroom::media::checked_texts(
            &state.renderer,
            |k| match k {
                "title" => p.title.as_str(),
                "alt" => p.alt.as_str(),
                "caption" => p.caption.as_str(),
                _ => p.credit.as_str(),
            },
            &mut errors,
        );
        if let Some((field, message)) = errors.into_iter().next() {
            return Err(problem(
                "invalid_image",
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field}: {message}"),
            ));
        }
        if body.is_empty() {
            return Err(problem(
                "invalid_image",
                StatusCode::UNPROCESSABLE_ENTITY,
                state.renderer.t("api-image-body-empty"),
            ));
        }
        let name = if p.name.trim().is_empty() {
            "photo".to_owned()
        } else {
            p.name.clone()
        };
        let max_mb = state.media.limits.max_bytes / (1024 * 1024);
        let id = match crate::newsroom::media::store_upload(
            &state,
            body.to_vec(),
            &name,
            text,
            Some(key.person_id),
        )
        .await
        {
            Ok(id) => id,
            Err(crate::newsroom::media::UploadError::Refused(e)) => {
                return Err(problem(
                    "invalid_image",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    crate::newsroom::media::refusal_text(&state.renderer, &e, max_mb),
                ));
            }
            Err(crate::newsroom::media::UploadError::Storage(e)) => {
                return Err(WebError::internal(e));
            }
        };
        let m = state
            .store
            .media(id)
            .await?
            .ok_or_else(|| WebError::internal("uploaded photo vanished"))?;
        audit(
            &state,
            &key,
            "media.upload",
            format!("media/{id}"),
            format!("name: {}", name.chars().take(120).collect::<String>()),
            StatusCode::CREATED,
        )
        .await;
        answer(
            StatusCode::CREATED,
            &AdminImage {
                id,
                status: m.status,
                width: m.width,
                height: m.height,
            },
        )
    })
    .await
}

/// A breaking item to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BreakingInput {
    /// Up to 300 characters.
    text: String,
    /// The article it links to.
    article_id: Option<i64>,
    /// RFC 3339; now when left out.
    starts_at: Option<String>,
    /// RFC 3339, after `starts_at`.
    expires_at: String,
    /// Order in the ticker (lower first).
    position: Option<i64>,
}

/// A breaking item.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminBreaking {
    id: i64,
    text: String,
    article_id: Option<i64>,
    starts_at: String,
    expires_at: String,
    position: i64,
}

/// Adds a breaking item to the ticker (editors).
#[utoipa::path(
    post,
    path = "/api/v1/admin/breaking",
    tag = "admin",
    security(("api_key" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe.")),
    request_body(content = BreakingInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Added.", body = AdminBreaking, content_type = "application/json"),
        (status = 400, description = "Unreadable JSON (`bad_json`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Only editor keys manage breaking news (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fields to correct (`invalid_breaking`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create_breaking(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    if !can_manage_site_content(key.role) {
        return Err(problem(
            "forbidden",
            StatusCode::FORBIDDEN,
            state.renderer.t("api-forbidden-breaking"),
        ));
    }
    once(
        &state,
        &key,
        &headers,
        "POST /api/v1/admin/breaking",
        &body,
        async {
            let input: BreakingInput = body_json(&state.renderer, &body)?;
            let now = nashir_store::now_micros();
            let mut problems = Vec::new();
            let field = |name: &str, id: &str| format!("{name}: {}", state.renderer.t(id));
            let text = input.text.trim().to_owned();
            if text.is_empty() || text.chars().count() > 300 {
                problems.push(field("text", "nr-msg-breaking-text-invalid"));
            }
            let time = |t: &str| {
                t.trim()
                    .parse::<jiff::Timestamp>()
                    .ok()
                    .map(|t| t.as_microsecond())
            };
            let starts_at = match input.starts_at.as_deref() {
                None => Some(now),
                Some(t) => time(t),
            };
            let expires_at = time(&input.expires_at);
            match (starts_at, expires_at) {
                (None, _) => problems.push(field("starts_at", "api-breaking-start-unreadable")),
                (_, None) => problems.push(field("expires_at", "api-breaking-end-unreadable")),
                (Some(s), Some(e)) if e <= s => {
                    problems.push(field("expires_at", "nr-msg-breaking-end-before-start"))
                }
                _ => {}
            }
            if let Some(a) = input.article_id
                && state.store.editable_article(a).await?.is_none()
            {
                problems.push(field("article_id", "nr-msg-breaking-article-unknown"));
            }
            if !problems.is_empty() {
                return Err(problem(
                    "invalid_breaking",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    problems.join(" — "),
                ));
            }
            let item = NewBreakingItem {
                text,
                article_id: input.article_id,
                starts_at: starts_at.unwrap_or(now),
                expires_at: expires_at.unwrap_or(now),
                position: input.position.unwrap_or(0),
            };
            let id = state.store.create_breaking_item(&item, now).await?;
            state.cache.clear().await;
            audit(
                &state,
                &key,
                "breaking.create",
                format!("breaking/{id}"),
                format!("text: {}", item.text.chars().take(120).collect::<String>()),
                StatusCode::CREATED,
            )
            .await;
            let dates = state.renderer.dates();
            answer(
                StatusCode::CREATED,
                &AdminBreaking {
                    id,
                    text: item.text,
                    article_id: item.article_id,
                    starts_at: dates.rfc3339(item.starts_at),
                    expires_at: dates.rfc3339(item.expires_at),
                    position: item.position,
                },
            )
        },
    )
    .await
}

/// Removes a breaking item (editors).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/breaking/{id}",
    tag = "admin",
    security(("api_key" = [])),
    params(("id" = i64, Path, description = "The item's id.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, description = "No key, a wrong one, or a revoked one.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Only editor keys manage breaking news (`forbidden`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such item (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete_breaking(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> WebResult<Response> {
    if !can_manage_site_content(key.role) {
        return Err(problem(
            "forbidden",
            StatusCode::FORBIDDEN,
            state.renderer.t("api-forbidden-breaking"),
        ));
    }
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    if !state
        .store
        .all_breaking_items()
        .await?
        .iter()
        .any(|b| b.id == id)
    {
        return Err(WebError::NotFound);
    }
    state
        .store
        .delete_breaking_item(id, nashir_store::now_micros())
        .await?;
    state.cache.clear().await;
    audit(
        &state,
        &key,
        "breaking.delete",
        format!("breaking/{id}"),
        String::new(),
        StatusCode::NO_CONTENT,
    )
    .await;
    Ok(StatusCode::NO_CONTENT.into_response())
}
