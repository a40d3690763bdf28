//! Administrators' pages for what happens outside the newsroom's own forms: Admin API keys
//! (created with a name and the role they act as, shown once, kept hashed, revocable) and
//! the audit log of every change, with filters. And the middleware that writes the audit
//! log for every newsroom change.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nashir_core::Role;
use nashir_store::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};

use super::extract::{Admin, RequireRole, Staff, StaffForm};
use super::{page, role_label, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{Path, Query};
use crate::http::see_other;
use crate::state::AppState;

/// Roles a key may act as: up to editor (keys never manage people or other keys).
pub(crate) const KEY_ROLES: [Role; 3] = [Role::Contributor, Role::Author, Role::Editor];
/// The start of every key, so a leaked one is recognisable (and searchable in code hosts).
pub(crate) const KEY_PREFIX: &str = "nsr_";

#[derive(Serialize)]
struct KeyView {
    id: i64,
    name: String,
    role: String,
    prefix: String,
    created_at: String,
    created_by: String,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
    revoke_url: String,
    audit_url: String,
}

#[derive(Serialize, Default)]
struct IntegrationsPage {
    keys: Vec<KeyView>,
    roles: Vec<(&'static str, String)>,
    /// The new key's whole secret, shown this once.
    new_secret: Option<String>,
    new_name: Option<String>,
    error: Option<String>,
    typed_name: String,
    typed_role: String,
    create_url: String,
}

async fn integrations_page(
    state: &AppState,
    staff: &Staff,
    mut content: IntegrationsPage,
    status: StatusCode,
) -> WebResult {
    let dates = state.renderer.dates();
    content.keys = state
        .store
        .api_keys()
        .await?
        .into_iter()
        .map(|k| KeyView {
            role: role_label(&state.renderer, k.role),
            created_at: dates.date_time(k.created_at),
            created_by: k.created_by.unwrap_or_default(),
            last_used_at: k.last_used_at.map(|t| dates.date_time(t)),
            revoked_at: k.revoked_at.map(|t| dates.date_time(t)),
            revoke_url: urls::revoke_integration(k.id),
            audit_url: format!("{}?key={}", urls::audit(), k.id),
            id: k.id,
            name: k.name,
            prefix: format!("{KEY_PREFIX}{}_…", k.prefix),
        })
        .collect();
    content.roles = KEY_ROLES
        .iter()
        .map(|r| (r.as_str(), role_label(&state.renderer, *r)))
        .collect();
    content.create_url = urls::integrations();
    let response = page(
        state,
        status,
        "newsroom/integrations.html",
        Some(staff),
        &content,
    )?;
    Ok(super::no_store(response))
}

/// `GET /newsroom/integrations`.
pub(crate) async fn integrations(
    State(state): State<AppState>,
    RequireRole(staff, ..): RequireRole<Admin>,
) -> WebResult {
    integrations_page(&state, &staff, IntegrationsPage::default(), StatusCode::OK).await
}

/// `POST /newsroom/integrations`: a new key, its secret shown once on the answer.
pub(crate) async fn create(
    State(state): State<AppState>,
    StaffForm { staff, form, .. }: StaffForm<Admin>,
) -> WebResult {
    let name = form.trimmed("name").to_owned();
    let role = KEY_ROLES
        .iter()
        .copied()
        .find(|r| r.as_str() == form.get("role"));
    let error = if name.is_empty() || name.chars().count() > 100 {
        Some("nr-msg-key-name-invalid")
    } else if role.is_none() {
        Some("nr-msg-key-role-missing")
    } else {
        None
    };
    let (Some(role), None) = (role, error) else {
        let content = IntegrationsPage {
            error: error.map(|id| state.renderer.t(id)),
            typed_name: name,
            typed_role: form.get("role").to_owned(),
            ..Default::default()
        };
        return integrations_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let prefix = crate::signing::random_token(4);
    let secret = crate::signing::random_token(24);
    if prefix.is_empty() || secret.is_empty() {
        return Err(WebError::internal(
            "the operating system gave no random bytes",
        ));
    }
    let now = nashir_store::now_micros();
    state
        .store
        .create_api_key(
            &name,
            role,
            &prefix,
            &super::auth::token_hash(&secret),
            staff.person.id,
            now,
        )
        .await?;
    let content = IntegrationsPage {
        new_secret: Some(format!("{KEY_PREFIX}{prefix}_{secret}")),
        new_name: Some(name),
        ..Default::default()
    };
    integrations_page(&state, &staff, content, StatusCode::OK).await
}

/// `POST /newsroom/integrations/{id}/revoke`: the key fails from the next request on.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { .. }: StaffForm<Admin>,
) -> WebResult {
    if !state
        .store
        .revoke_api_key(id, nashir_store::now_micros())
        .await?
        && !state.store.api_keys().await?.iter().any(|k| k.id == id)
    {
        return Err(WebError::NotFound);
    }
    Ok(see_other(&urls::integrations()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AuditQuery {
    person: String,
    key: String,
    q: String,
    from: String,
    to: String,
    page: crate::extract::PageNumber,
}

#[derive(Serialize)]
struct AuditView {
    at: String,
    at_iso: String,
    who: String,
    by_key: bool,
    action: String,
    subject: String,
    detail: String,
    status: i64,
}

#[derive(Serialize)]
struct AuditPage {
    rows: Vec<AuditView>,
    total: i64,
    people: Vec<(i64, String)>,
    keys: Vec<(i64, String)>,
    person: String,
    key: String,
    q: String,
    from: String,
    to: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    page: u32,
}

const AUDIT_PAGE: u32 = 50;

/// `GET /newsroom/audit`: every change, newest first, by person, key, text and dates.
pub(crate) async fn audit(
    State(state): State<AppState>,
    RequireRole(staff, ..): RequireRole<Admin>,
    Query(q): Query<AuditQuery>,
) -> WebResult {
    let filter = AuditFilter {
        person_id: q.person.parse().ok(),
        key_id: q.key.parse().ok(),
        text: Some(q.q.clone()).filter(|t| !t.trim().is_empty()),
        from: crate::site::search::day_bound(&state, &q.from, false),
        to: crate::site::search::day_bound(&state, &q.to, true),
    };
    let page_no = q.page.get();
    let (rows, total) = state
        .store
        .audit_log(
            &filter,
            AUDIT_PAGE,
            u64::from(page_no - 1) * u64::from(AUDIT_PAGE),
        )
        .await?;
    let dates = state.renderer.dates();
    let url = |p: u32| {
        let query = serde_urlencoded::to_string([
            ("person", &q.person),
            ("key", &q.key),
            ("q", &q.q),
            ("from", &q.from),
            ("to", &q.to),
            ("page", &p.to_string()),
        ])
        .unwrap_or_default();
        format!("{}?{query}", urls::audit())
    };
    let content = AuditPage {
        rows: rows
            .into_iter()
            .map(|r| AuditView {
                at: dates.date_time(r.at),
                at_iso: dates.rfc3339(r.at),
                by_key: r.key_id.is_some(),
                who: r.key_name.or(r.person_name).unwrap_or_else(|| "—".into()),
                action: r.action,
                subject: r.subject,
                detail: r.detail,
                status: r.status,
            })
            .collect(),
        total,
        people: state
            .store
            .staff_list()
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
        keys: state
            .store
            .api_keys()
            .await?
            .into_iter()
            .map(|k| (k.id, k.name))
            .collect(),
        prev_url: (page_no > 1).then(|| url(page_no - 1)),
        next_url: (i64::from(page_no) * i64::from(AUDIT_PAGE) < total).then(|| url(page_no + 1)),
        page: page_no,
        person: q.person,
        key: q.key,
        q: q.q,
        from: q.from,
        to: q.to,
    };
    Ok(super::no_store(page(
        &state,
        StatusCode::OK,
        "newsroom/audit.html",
        Some(&staff),
        &content,
    )?))
}

#[derive(Serialize)]
struct HookView {
    id: i64,
    url: String,
    events: Vec<String>,
    created_at: String,
    disabled_at: Option<String>,
    log_url: String,
    disable_url: String,
}

#[derive(Serialize, Default)]
struct WebhooksPage {
    hooks: Vec<HookView>,
    events: Vec<(&'static str, String)>,
    new_secret: Option<String>,
    new_url: Option<String>,
    error: Option<String>,
    typed_url: String,
    typed_events: Vec<String>,
    create_url: String,
}

async fn webhooks_page(state: &AppState, staff: &Staff, mut content: WebhooksPage, status: StatusCode) -> WebResult {
    let dates = state.renderer.dates();
    content.hooks = state
        .store
        .webhooks()
        .await?
        .into_iter()
        .map(|h| HookView {
            events: crate::webhooks::EVENTS
                .iter()
                .filter(|(name, _)| h.events.split(',').any(|e| e == *name))
                .map(|(_, label)| state.renderer.t(label))
                .collect(),
            created_at: dates.date_time(h.created_at),
            disabled_at: h.disabled_at.map(|t| dates.date_time(t)),
            log_url: urls::webhook(h.id),
            disable_url: urls::disable_webhook(h.id),
            id: h.id,
            url: h.url,
        })
        .collect();
    content.events = crate::webhooks::EVENTS.iter().map(|(name, label)| (*name, state.renderer.t(label))).collect();
    content.create_url = urls::webhooks();
    Ok(super::no_store(page(state, status, "newsroom/webhooks.html", Some(staff), &content)?))
}

/// `GET /newsroom/webhooks`.
pub(crate) async fn webhooks(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Admin>) -> WebResult {
    webhooks_page(&state, &staff, WebhooksPage::default(), StatusCode::OK).await
}

/// `POST /newsroom/webhooks`: a URL and its events; the signing secret is shown once.
pub(crate) async fn create_webhook(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm<Admin>) -> WebResult {
    let url = form.trimmed("url").to_owned();
    let chosen: Vec<&'static str> = crate::webhooks::EVENTS.iter().map(|(name, _)| *name).filter(|name| form.all("events").contains(name)).collect();
    let allow_private = state.webhooks_allow_private;
    let target = url.clone();
    let refused = if url.is_empty() || url.len() > 2000 {
        Some(state.renderer.t("nr-msg-webhook-url-invalid"))
    } else {
        tokio::task::spawn_blocking(move || crate::webhooks::check_target(&target, allow_private))
            .await
            .map_err(|e| WebError::internal(e.to_string()))?
            .map(|refusal| refusal.message(&state.renderer))
    };
    let error = refused.or_else(|| chosen.is_empty().then(|| state.renderer.t("nr-msg-webhook-events-missing")));
    if let Some(error) = error {
        let content = WebhooksPage {
            error: Some(error),
            typed_url: url,
            typed_events: form.all("events").into_iter().map(str::to_owned).collect(),
            ..Default::default()
        };
        return webhooks_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let secret = format!("whsec_{}", crate::signing::random_token(24));
    state.store.create_webhook(&url, &chosen, &secret, staff.person.id, nashir_store::now_micros()).await?;
    webhooks_page(&state, &staff, WebhooksPage { new_secret: Some(secret), new_url: Some(url), ..Default::default() }, StatusCode::OK).await
}

/// `POST /newsroom/webhooks/{id}/disable`: nothing more is sent to it.
pub(crate) async fn disable_webhook(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { .. }: StaffForm<Admin>) -> WebResult {
    if state.store.webhook(id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    state.store.disable_webhook(id, nashir_store::now_micros()).await?;
    Ok(see_other(&urls::webhooks()))
}

#[derive(Serialize)]
struct DeliveryView {
    id: i64,
    event: String,
    created_at: String,
    attempts: i64,
    state: &'static str,
    last_status: Option<i64>,
    last_error: String,
}

#[derive(Serialize)]
struct WebhookLogPage {
    url: String,
    deliveries: Vec<DeliveryView>,
}

/// `GET /newsroom/webhooks/{id}`: its last 100 deliveries and how each went.
pub(crate) async fn webhook_log(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Admin>, Path(id): Path<i64>) -> WebResult {
    let hook = state.store.webhook(id).await?.ok_or(WebError::NotFound)?;
    let dates = state.renderer.dates();
    let deliveries = state
        .store
        .webhook_deliveries(id, 100)
        .await?
        .into_iter()
        .map(|d| DeliveryView {
            id: d.id,
            event: d.kind.strip_prefix("webhook:").unwrap_or(&d.kind).to_owned(),
            created_at: dates.date_time(d.created_at),
            attempts: d.attempts,
            state: match (d.sent_at, d.failed_at) {
                (Some(_), _) => "delivered",
                (None, Some(_)) => "given-up",
                (None, None) if d.attempts > 0 => "retrying",
                _ => "waiting",
            },
            last_status: d.last_status,
            last_error: d.last_error.unwrap_or_default(),
        })
        .collect();
    let content = WebhookLogPage { url: hook.url, deliveries };
    Ok(super::no_store(page(&state, StatusCode::OK, "newsroom/webhook.html", Some(&staff), &content)?))
}

/// Form fields worth recording beside an action (never a password, an email or a body).
const RECORDED_FIELDS: [&str; 5] = ["title", "name", "text", "ids", "into"];
/// Newsroom requests that change nothing worth recording.
fn unrecorded(path: &str) -> bool {
    path.ends_with("/autosave")
        || path.ends_with("/discard")
        || path.ends_with("/preview")
        || [
            urls::login(None),
            urls::logout(),
            urls::password(),
            urls::setup(),
        ]
        .iter()
        .any(|p| p == path)
}

/// What a newsroom change is called in the log: `articles.publish` for the editor's
/// publish button, `categories.delete`, `media.upload`…, and what it was done to
/// (`articles/12`; for a creation, the id the answer redirects to).
fn describe(path: &str, action: Option<&str>, location: Option<&str>) -> (String, String) {
    let rest = path
        .strip_prefix(&format!("{}/", urls::ROOT))
        .unwrap_or(path)
        .trim_matches('/');
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let kind = parts.first().copied().unwrap_or("newsroom");
    let id = parts.get(1).filter(|p| p.parse::<i64>().is_ok()).copied();
    let verb = match (action.filter(|a| !a.is_empty()), parts.len()) {
        (Some(a), _) => a.to_owned(),
        (None, 1) if kind == "media" => "upload".into(),
        (None, 1) => "create".into(),
        (None, 2) if id.is_some() => "update".into(),
        (None, _) => parts.last().copied().unwrap_or("change").to_owned(),
    };
    let created = location.and_then(|l| {
        let l = l.split(['?', '#']).next().unwrap_or("");
        let after = l.strip_prefix(&format!("{}/{kind}/", urls::ROOT))?;
        after
            .split('/')
            .next()
            .filter(|s| s.parse::<i64>().is_ok())
            .map(str::to_owned)
    });
    let subject = match id.map(str::to_owned).or(created) {
        Some(id) => format!("{kind}/{id}"),
        None => kind.to_owned(),
    };
    (format!("{kind}.{verb}"), subject)
}

/// Records every successful newsroom change in the audit log: who (the session's person),
/// what (the action and what it applied to, a few harmless fields), and the answer's status.
pub(crate) async fn record_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST || unrecorded(request.uri().path()) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let (mut parts, body) = request.into_parts();
    let staff = <Staff as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &state,
    )
    .await
    .ok();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let (request, fields) = if is_form {
        let Ok(bytes) = axum::body::to_bytes(body, crate::extract::MAX_FORM_BYTES).await else {
            return WebError::PayloadTooLarge.into_response();
        };
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        (
            Request::from_parts(parts, axum::body::Body::from(bytes)),
            fields,
        )
    } else {
        (Request::from_parts(parts, body), Vec::new())
    };
    let response = next.run(request).await;
    let status = response.status();
    let Some(staff) = staff else { return response };
    if !(status.is_success() || status.is_redirection()) {
        return response;
    }
    let action = fields
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.as_str());
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok());
    let (action, subject) = describe(&path, action, location);
    let detail: Vec<String> = fields
        .iter()
        .filter(|(k, _)| RECORDED_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}: {}", v.chars().take(120).collect::<String>()))
        .collect();
    let entry = AuditEntry {
        person_id: Some(staff.person.id),
        key_id: None,
        action,
        subject,
        detail: detail.join(&state.renderer.t("nr-msg-audit-detail-separator")),
        status: i64::from(status.as_u16()),
    };
    if let Err(e) = state
        .store
        .record_audit(&entry, nashir_store::now_micros())
        .await
    {
        tracing::error!(error = %e, path, "the audit log could not be written");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_named_by_their_path_and_action() {
        let r = urls::ROOT;
        assert_eq!(
            describe(
                &format!("{r}/articles"),
                Some("publish"),
                Some(&format!("{r}/articles/57?saved=1"))
            ),
            ("articles.publish".into(), "articles/57".into())
        );
        assert_eq!(
            describe(&format!("{r}/articles/12"), Some("save"), None),
            ("articles.save".into(), "articles/12".into())
        );
        assert_eq!(
            describe(&format!("{r}/categories/3/delete"), None, None),
            ("categories.delete".into(), "categories/3".into())
        );
        assert_eq!(
            describe(&format!("{r}/media"), None, Some(&format!("{r}/media/9"))),
            ("media.upload".into(), "media/9".into())
        );
        assert_eq!(
            describe(&format!("{r}/comments/moderate"), Some("approve"), None),
            ("comments.approve".into(), "comments".into())
        );
        assert_eq!(
            describe(&format!("{r}/tags/4"), None, None),
            ("tags.update".into(), "tags/4".into())
        );
        assert!(
            unrecorded(&format!("{r}/articles/4/autosave"))
                && !unrecorded(&format!("{r}/articles/4"))
        );
    }
}
