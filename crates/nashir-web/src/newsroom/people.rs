//! Logging in and out, the one-time setup of the first administrator, password changes,
//! and the administrators' user list.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use nashir_core::Role;
use nashir_core::accounts::{self, PasswordError};
use nashir_render::{FluentValue, Renderer};
use serde::{Deserialize, Serialize};

use super::auth;
use super::extract::{Admin, MaybeStaff, RequireRole, Staff, StaffForm};
use super::{page, role_label, urls};
use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, Form, Path, Query};
use crate::http::see_other;
use crate::state::AppState;

type Errors = BTreeMap<&'static str, String>;

impl From<auth::HashError> for WebError {
    fn from(e: auth::HashError) -> Self {
        WebError::internal(e)
    }
}

#[derive(Serialize, Default)]
struct LoginPage {
    form_token: String,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

/// Only paths inside the newsroom are followed after login (no open redirect), and only
/// ones that can stand in a `Location` header; anything else goes to the newsroom's home.
fn safe_next(next: &str) -> String {
    let inside = urls::is_newsroom(next.split(['?', '#']).next().unwrap_or(""));
    let clean = next.chars().all(|c| c.is_ascii_graphic()) && !next.starts_with("//") && !next.contains("://");
    if inside && clean && HeaderValue::from_str(next).is_ok() { next.to_owned() } else { urls::home() }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginQuery {
    next: String,
    out: String,
}

pub(crate) async fn login_page(State(state): State<AppState>, MaybeStaff(signed_in): MaybeStaff, Query(q): Query<LoginQuery>) -> WebResult {
    // Someone already signed in goes where they were heading.
    if signed_in.is_some() && q.out.is_empty() {
        return Ok(see_other(&safe_next(&q.next)));
    }
    let secret = state.secret().await?.to_owned();
    let content = LoginPage {
        form_token: auth::form_token(&secret, "login", nashir_store::now_micros()),
        next: safe_next(&q.next),
        notice: (!q.out.is_empty()).then(|| state.renderer.t("nr-msg-logged-out")),
        ..Default::default()
    };
    page(&state, StatusCode::OK, "newsroom/login.html", None, &content)
}

pub(crate) async fn login(State(state): State<AppState>, ClientAddress(address): ClientAddress, headers: HeaderMap, form: Form) -> WebResult {
    let now = nashir_store::now_micros();
    let secret = state.secret().await?.to_owned();
    // The login form has no session: a signed token plus the browser's origin headers.
    if !auth::same_origin(&headers, &state.site.public_url) || !auth::check_form_token(&secret, "login", form.get("csrf_token"), now) {
        return Err(WebError::Csrf);
    }
    let email = form.trimmed("email").to_owned();
    let next = safe_next(form.get("next"));
    let refuse = |status: StatusCode, message: String| {
        let content = LoginPage { form_token: auth::form_token(&secret, "login", now), next: next.clone(), email: email.clone(), error: Some(message), notice: None };
        page(&state, status, "newsroom/login.html", None, &content)
    };
    if email.is_empty() || form.get("password").is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, state.renderer.t("nr-msg-login-missing"));
    }
    let (pair, all) = state.store.recent_login_failures(&email, &address, auth::ADDRESS_LIMIT as i64).await?;
    if let Some(until) = auth::locked(&pair, auth::PAIR_LIMIT, now).or(auth::locked(&all, auth::ADDRESS_LIMIT, now)) {
        let minutes = ((until - now) / 60_000_000).max(1);
        return refuse(StatusCode::TOO_MANY_REQUESTS, state.renderer.t_with("nr-msg-login-locked", [("minutes", FluentValue::from(minutes))]));
    }
    let credentials = state.store.credentials_by_email(&email).await?;
    let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let ok = auth::verify_password(form.get("password").to_owned(), hash).await;
    match credentials {
        Some(c) if ok && !c.disabled => {
            state.store.clear_login_failures(&email, &address).await?;
            let token = auth::random_token(32);
            let csrf = auth::random_token(32);
            if token.is_empty() || csrf.is_empty() {
                return Err(WebError::internal("no randomness available for a session"));
            }
            state.store.create_session(&auth::token_hash(&token), c.person.id, &csrf, now, now + auth::SESSION_MICROS).await?;
            let mut r = see_other(&next);
            if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies())) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Some(c) if ok && c.disabled => refuse(StatusCode::FORBIDDEN, state.renderer.t("nr-msg-login-disabled")),
        _ => {
            state.store.record_login_failure(&email, &address, now).await?;
            refuse(StatusCode::UNAUTHORIZED, state.renderer.t("nr-msg-login-failed"))
        }
    }
}

pub(crate) async fn logout(State(state): State<AppState>, StaffForm { staff, .. }: StaffForm) -> WebResult {
    state.store.delete_session(&staff.session_hash).await?;
    let mut r = see_other(&urls::logged_out());
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies())) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Serialize, Default)]
struct SetupPage {
    token: String,
    name: String,
    email: String,
    errors: Errors,
    done: bool,
}

/// The one-time link printed by `nashir serve` while the site has no administrator.
async fn setup_token_valid(state: &AppState, token: &str) -> WebResult<bool> {
    if state.store.count_active_admins().await? > 0 {
        return Ok(false);
    }
    let stored = state.store.meta("setup_token_hash").await?.unwrap_or_default();
    Ok(!token.is_empty() && auth::same_token(&auth::token_hash(token), &stored))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SetupQuery {
    token: String,
}

pub(crate) async fn setup_page(State(state): State<AppState>, Query(q): Query<SetupQuery>) -> WebResult {
    if !setup_token_valid(&state, &q.token).await? {
        return Err(WebError::NotFound);
    }
    page(&state, StatusCode::OK, "newsroom/setup.html", None, &SetupPage { token: q.token, ..Default::default() })
}

pub(crate) async fn setup(State(state): State<AppState>, headers: HeaderMap, form: Form) -> WebResult {
    if !auth::same_origin(&headers, &state.site.public_url) {
        return Err(WebError::Csrf);
    }
    let token = form.get("token").to_owned();
    if !setup_token_valid(&state, &token).await? {
        return Err(WebError::NotFound);
    }
    let mut content = SetupPage { token, name: form.trimmed("name").to_owned(), email: form.trimmed("email").to_owned(), ..Default::default() };
    check_account(&state.renderer, &mut content.errors, &content.name, &content.email, &form);
    if content.errors.is_empty() {
        let hash = auth::hash_password(form.get("password").to_owned()).await?;
        let slug = person_slug(&state, &content.name).await?;
        match state.store.create_staff(&slug, &content.name, &content.email, Role::Admin, Some(&hash), nashir_store::now_micros()).await {
            Ok(_) => {
                state.store.delete_meta("setup_token_hash").await?;
                content.done = true;
            }
            Err(nashir_store::StoreError::Conflict(_)) => {
                content.errors.insert("email", state.renderer.t("nr-msg-account-email-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let status = if content.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page(&state, status, "newsroom/setup.html", None, &content)
}

fn check_account(r: &Renderer, errors: &mut Errors, name: &str, email: &str, form: &Form) {
    if !accounts::valid_name(name) {
        errors.insert("name", r.t("nr-msg-account-name-invalid"));
    }
    if !accounts::valid_email(email) {
        errors.insert("email", r.t("nr-msg-account-email-invalid"));
    }
    check_password(r, errors, form);
}

fn check_password(r: &Renderer, errors: &mut Errors, form: &Form) {
    match accounts::check_new_password(form.get("password"), form.get("password_confirm")) {
        Ok(()) => {}
        Err(PasswordError::TooShort) => {
            errors.insert("password", r.t_with("nr-msg-password-too-short", [("min", FluentValue::from(accounts::MIN_PASSWORD_CHARS))]));
        }
        Err(PasswordError::TooLong) => {
            errors.insert("password", r.t("nr-msg-password-too-long"));
        }
        Err(PasswordError::Mismatch) => {
            errors.insert("password_confirm", r.t("nr-msg-password-mismatch"));
        }
    }
}

/// A unique byline slug from a name.
async fn person_slug(state: &AppState, name: &str) -> WebResult<String> {
    let base = match nashir_arabic::slugify(name) {
        s if s.is_empty() => "staff".to_owned(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while state.store.person_by_slug(&slug).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

#[derive(Serialize, Default)]
struct PasswordPage {
    errors: Errors,
    done: bool,
}

pub(crate) async fn password_page(State(state): State<AppState>, staff: Staff) -> WebResult {
    page(&state, StatusCode::OK, "newsroom/password.html", Some(&staff), &PasswordPage::default())
}

pub(crate) async fn change_password(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm) -> WebResult {
    let mut content = PasswordPage::default();
    let current = state.store.password_hash(staff.person.id).await?;
    if !auth::verify_password(form.get("current_password").to_owned(), current).await {
        content.errors.insert("current_password", state.renderer.t("nr-msg-password-current-wrong"));
    }
    check_password(&state.renderer, &mut content.errors, &form);
    if content.errors.is_empty() {
        let hash = auth::hash_password(form.get("password").to_owned()).await?;
        state.store.set_password(staff.person.id, &hash, Some(&staff.session_hash)).await?;
        content.done = true;
    }
    let status = if content.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page(&state, status, "newsroom/password.html", Some(&staff), &content)
}

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    role_label: String,
    disabled: bool,
    has_password: bool,
    is_me: bool,
    action_url: String,
}

#[derive(Serialize, Default)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    errors: Errors,
    form_name: String,
    form_email: String,
    form_role: String,
    notice: Option<String>,
}

async fn users_page(state: &AppState, staff: &Staff, mut content: UsersPage, status: StatusCode) -> WebResult {
    content.users = state
        .store
        .staff_list()
        .await?
        .into_iter()
        .map(|u| UserRow {
            action_url: urls::user(u.id),
            id: u.id,
            name: u.name,
            email: u.email.unwrap_or_default(),
            role: u.role.as_str(),
            role_label: role_label(&state.renderer, u.role),
            disabled: u.disabled,
            has_password: u.has_password,
            is_me: u.id == staff.person.id,
        })
        .collect();
    content.roles = Role::ALL.iter().map(|r| (r.as_str(), role_label(&state.renderer, *r))).collect();
    page(state, status, "newsroom/users.html", Some(staff), &content)
}

pub(crate) async fn users(State(state): State<AppState>, RequireRole(staff, ..): RequireRole<Admin>) -> WebResult {
    users_page(&state, &staff, UsersPage::default(), StatusCode::OK).await
}

pub(crate) async fn create_user(State(state): State<AppState>, StaffForm { staff, form, .. }: StaffForm<Admin>) -> WebResult {
    let mut content = UsersPage {
        form_name: form.trimmed("name").to_owned(),
        form_email: form.trimmed("email").to_owned(),
        form_role: form.get("role").to_owned(),
        ..Default::default()
    };
    check_account(&state.renderer, &mut content.errors, &content.form_name, &content.form_email, &form);
    let role = form.get("role").parse::<Role>();
    if role.is_err() {
        content.errors.insert("role", state.renderer.t("nr-msg-user-role-missing"));
    }
    if let (true, Ok(role)) = (content.errors.is_empty(), role) {
        let hash = auth::hash_password(form.get("password").to_owned()).await?;
        let slug = person_slug(&state, &content.form_name).await?;
        match state.store.create_staff(&slug, &content.form_name, &content.form_email, role, Some(&hash), nashir_store::now_micros()).await {
            Ok(_) => return Ok(see_other(&urls::users())),
            Err(nashir_store::StoreError::Conflict(_)) => {
                content.errors.insert("email", state.renderer.t("nr-msg-account-email-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Changes a person's role, or disables / enables them (ending their sessions at once).
pub(crate) async fn update_user(State(state): State<AppState>, Path(id): Path<i64>, StaffForm { staff, form, .. }: StaffForm<Admin>) -> WebResult {
    if state.store.person(id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let refuse = |message: &str| UsersPage { notice: Some(state.renderer.t(message)), ..Default::default() };
    match form.get("action") {
        "disable" if id == staff.person.id => {
            return users_page(&state, &staff, refuse("nr-msg-user-disable-self"), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        "disable" => state.store.set_disabled(id, true).await?,
        "enable" => state.store.set_disabled(id, false).await?,
        "role" => match form.get("role").parse::<Role>() {
            Ok(role) if !(id == staff.person.id && role != Role::Admin) => state.store.set_role(id, role).await?,
            _ => {
                let content = refuse("nr-msg-user-role-refused");
                return users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
        _ => return users_page(&state, &staff, refuse("nr-msg-user-unknown-action"), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
    Ok(see_other(&urls::users()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_inside_the_newsroom_and_in_one_header_line() {
        use super::safe_next;
        assert_eq!(safe_next("/newsroom/articles"), "/newsroom/articles");
        assert_eq!(safe_next("/newsroom/articles?page=2"), "/newsroom/articles?page=2");
        assert_eq!(safe_next("https://evil.example/newsroom"), "/newsroom/");
        assert_eq!(safe_next("//evil.example"), "/newsroom/");
        assert_eq!(safe_next("/newsroomevil"), "/newsroom/");
        assert_eq!(safe_next("/newsroom/\r\nSet-Cookie: x=1"), "/newsroom/");
        assert_eq!(safe_next("/newsroom/\n"), "/newsroom/");
    }
}
