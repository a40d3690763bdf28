//! Logging in and out, the one-time setup of the first administrator, password changes,
//! and the administrators' user list.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use nashir_core::Role;
use nashir_core::permissions::can_manage_users;
use serde::Serialize;
use std::collections::BTreeMap;

use super::auth::{self, MIN_PASSWORD_CHARS};
use super::{ClientAddress, Form, NrError, Staff, page, redirect, respond, role_label, staff, staff_post};
use crate::state::AppState;

type Errors = BTreeMap<&'static str, String>;

#[derive(Serialize, Default)]
struct LoginPage {
    form_token: String,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

/// Only paths inside the newsroom are followed after login (no open redirect).
fn safe_next(next: &str) -> String {
    if next.starts_with("/newsroom") && !next.starts_with("//") && !next.contains("://") {
        next.to_owned()
    } else {
        "/newsroom/".to_owned()
    }
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

pub(crate) async fn login_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let result = async {
        let secret = auth::site_secret(&state.store).await?;
        let content = LoginPage {
            form_token: auth::form_token(&secret, "login", nashir_store::now_micros()),
            next: safe_next(&query_param(query.as_deref(), "next").unwrap_or_default()),
            notice: query_param(query.as_deref(), "out").map(|_| "خرجت من غرفة الأخبار.".to_owned()),
            ..Default::default()
        };
        page(&state, StatusCode::OK, "newsroom/login.html", None, &content)
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let now = nashir_store::now_micros();
        let secret = auth::site_secret(&state.store).await?;
        // The login form has no session: a signed token plus the browser's origin headers.
        if !auth::same_origin(&headers, &state.site.public_url)
            || !auth::check_form_token(&secret, "login", form.get("csrf_token"), now)
        {
            return Err(NrError::Csrf);
        }
        let email = form.get("email").trim().to_owned();
        let next = safe_next(form.get("next"));
        let refuse = |status: StatusCode, message: String| {
            let content = LoginPage {
                form_token: auth::form_token(&secret, "login", now),
                next: next.clone(),
                email: email.clone(),
                error: Some(message),
                notice: None,
            };
            page(&state, status, "newsroom/login.html", None, &content)
        };
        if email.is_empty() || form.get("password").is_empty() {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, "أدخل البريد الإلكتروني وكلمة المرور.".into());
        }
        let (pair, all) = state.store.recent_login_failures(&email, &address, auth::ADDRESS_LIMIT as i64).await?;
        if let Some(until) = auth::locked(&pair, auth::PAIR_LIMIT, now).or(auth::locked(&all, auth::ADDRESS_LIMIT, now)) {
            let minutes = ((until - now) / 60_000_000).max(1);
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                format!("محاولات دخول فاشلة كثيرة. أُوقف الدخول مؤقتاً؛ حاول مرة أخرى بعد {minutes} دقيقة."),
            );
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
                    return Err(NrError::Internal("no randomness available".into()));
                }
                state
                    .store
                    .create_session(&auth::token_hash(&token), c.person.id, &csrf, now, now + auth::SESSION_MICROS)
                    .await?;
                let mut r = redirect(&next);
                if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies())) {
                    r.headers_mut().insert(header::SET_COOKIE, v);
                }
                Ok(r)
            }
            Some(c) if ok && c.disabled => {
                refuse(StatusCode::FORBIDDEN, "هذا الحساب موقوف. تواصل مع مدير الموقع.".into())
            }
            _ => {
                state.store.record_login_failure(&email, &address, now).await?;
                refuse(StatusCode::UNAUTHORIZED, "البريد الإلكتروني أو كلمة المرور غير صحيحة.".into())
            }
        }
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        state.store.delete_session(&staff.session_hash).await?;
        let mut r = redirect("/newsroom/login?out=1");
        if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure_cookies())) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        Ok(r)
    }
    .await;
    respond(&state, result).await
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
async fn setup_token_valid(state: &AppState, token: &str) -> Result<bool, NrError> {
    if state.store.count_active_admins().await? > 0 {
        return Ok(false);
    }
    let stored = state.store.meta("setup_token_hash").await?.unwrap_or_default();
    Ok(!token.is_empty() && auth::same_token(&auth::token_hash(token), &stored))
}

pub(crate) async fn setup_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let result = async {
        let token = query_param(query.as_deref(), "token").unwrap_or_default();
        if !setup_token_valid(&state, &token).await? {
            return Err(NrError::NotFound);
        }
        page(&state, StatusCode::OK, "newsroom/setup.html", None, &SetupPage { token, ..Default::default() })
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn setup(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let token = form.get("token").to_owned();
        if !auth::same_origin(&headers, &state.site.public_url) {
            return Err(NrError::Csrf);
        }
        if !setup_token_valid(&state, &token).await? {
            return Err(NrError::NotFound);
        }
        let mut content = SetupPage {
            token,
            name: form.get("name").trim().to_owned(),
            email: form.get("email").trim().to_owned(),
            ..Default::default()
        };
        validate_account(&mut content.errors, &content.name, &content.email, form.get("password"), form.get("password_confirm"));
        if content.errors.is_empty() {
            let hash = auth::hash_password(form.get("password").to_owned()).await.map_err(NrError::Internal)?;
            let slug = person_slug(&state, &content.name).await?;
            match state
                .store
                .create_staff(&slug, &content.name, &content.email, Role::Admin, Some(&hash), nashir_store::now_micros())
                .await
            {
                Ok(_) => {
                    state.store.delete_meta("setup_token_hash").await?;
                    content.done = true;
                }
                Err(nashir_store::StoreError::Conflict(_)) => {
                    content.errors.insert("email", "هذا البريد مستخدم لحساب آخر.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let status = if content.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        page(&state, status, "newsroom/setup.html", None, &content)
    }
    .await;
    respond(&state, result).await
}

fn validate_account(errors: &mut Errors, name: &str, email: &str, password: &str, confirm: &str) {
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name", "اكتب الاسم (حتى ١٠٠ حرف).".into());
    }
    if !valid_email(email) {
        errors.insert("email", "اكتب بريداً إلكترونياً صحيحاً مثل name@example.com.".into());
    }
    validate_password(errors, password, confirm);
}

fn validate_password(errors: &mut Errors, password: &str, confirm: &str) {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errors.insert("password", format!("كلمة المرور قصيرة: {MIN_PASSWORD_CHARS} أحرف على الأقل."));
    } else if password.len() > 1024 {
        errors.insert("password", "كلمة المرور طويلة جداً.".into());
    } else if password != confirm {
        errors.insert("password_confirm", "كلمتا المرور غير متطابقتين.".into());
    }
}

pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
}

/// A unique byline slug from a name.
async fn person_slug(state: &AppState, name: &str) -> Result<String, NrError> {
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

pub(crate) async fn password_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = staff(&state, &headers, "/newsroom/password").await?;
        page(&state, StatusCode::OK, "newsroom/password.html", Some(&staff), &PasswordPage::default())
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn change_password(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        let mut content = PasswordPage::default();
        let current = state.store.password_hash(staff.person.id).await?;
        if !auth::verify_password(form.get("current_password").to_owned(), current).await {
            content.errors.insert("current_password", "كلمة المرور الحالية غير صحيحة.".into());
        }
        validate_password(&mut content.errors, form.get("password"), form.get("password_confirm"));
        if content.errors.is_empty() {
            let hash = auth::hash_password(form.get("password").to_owned()).await.map_err(NrError::Internal)?;
            state.store.set_password(staff.person.id, &hash, Some(&staff.session_hash)).await?;
            content.done = true;
        }
        let status = if content.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        page(&state, status, "newsroom/password.html", Some(&staff), &content)
    }
    .await;
    respond(&state, result).await
}

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: String,
    role_label: &'static str,
    disabled: bool,
    has_password: bool,
    is_me: bool,
}

#[derive(Serialize, Default)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    errors: Errors,
    form_name: String,
    form_email: String,
    form_role: String,
    notice: Option<String>,
}

async fn users_page(state: &AppState, staff: &Staff, mut content: UsersPage, status: StatusCode) -> Result<Response, NrError> {
    content.users = state
        .store
        .staff_list()
        .await?
        .into_iter()
        .map(|u| {
            let role: Role = u.role.parse().unwrap_or(Role::Contributor);
            UserRow {
                id: u.id,
                name: u.name,
                email: u.email.unwrap_or_default(),
                role: u.role,
                role_label: role_label(role),
                disabled: u.disabled != 0,
                has_password: u.has_password != 0,
                is_me: u.id == staff.person.id,
            }
        })
        .collect();
    content.roles = Role::ALL.iter().map(|r| (r.as_str(), role_label(*r))).collect();
    page(state, status, "newsroom/users.html", Some(staff), &content)
}

pub(crate) async fn users(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let staff = staff(&state, &headers, "/newsroom/users").await?;
        staff.require(can_manage_users(staff.role()))?;
        users_page(&state, &staff, UsersPage::default(), StatusCode::OK).await
    }
    .await;
    respond(&state, result).await
}

pub(crate) async fn create_user(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        staff.require(can_manage_users(staff.role()))?;
        let mut content = UsersPage {
            form_name: form.get("name").trim().to_owned(),
            form_email: form.get("email").trim().to_owned(),
            form_role: form.get("role").to_owned(),
            ..Default::default()
        };
        validate_account(&mut content.errors, &content.form_name, &content.form_email, form.get("password"), form.get("password_confirm"));
        let role = form.get("role").parse::<Role>();
        if role.is_err() {
            content.errors.insert("role", "اختر دوراً.".into());
        }
        if let (true, Ok(role)) = (content.errors.is_empty(), role) {
            let hash = auth::hash_password(form.get("password").to_owned()).await.map_err(NrError::Internal)?;
            let slug = person_slug(&state, &content.form_name).await?;
            match state
                .store
                .create_staff(&slug, &content.form_name, &content.form_email, role, Some(&hash), nashir_store::now_micros())
                .await
            {
                Ok(_) => return Ok(redirect("/newsroom/users")),
                Err(nashir_store::StoreError::Conflict(_)) => {
                    content.errors.insert("email", "هذا البريد مستخدم لحساب آخر.".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await
    }
    .await;
    respond(&state, result).await
}

/// Changes a person's role, or disables / enables them (ending their sessions at once).
pub(crate) async fn update_user(State(state): State<AppState>, Path(id): Path<i64>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let result = async {
        let staff = staff_post(&state, &headers, &form).await?;
        staff.require(can_manage_users(staff.role()))?;
        if state.store.person(id).await?.is_none() {
            return Err(NrError::NotFound);
        }
        let mut content = UsersPage::default();
        match form.get("action") {
            "disable" if id == staff.person.id => {
                content.notice = Some("لا يمكنك إيقاف حسابك أنت.".into());
                return users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            "disable" => state.store.set_disabled(id, true).await?,
            "enable" => state.store.set_disabled(id, false).await?,
            "role" => match form.get("role").parse::<Role>() {
                Ok(role) if !(id == staff.person.id && role != Role::Admin) => state.store.set_role(id, role).await?,
                _ => {
                    content.notice = Some("لا يمكن تغيير الدور: اختر دوراً صحيحاً، ولا تسحب صلاحية الإدارة من نفسك.".into());
                    return users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
                }
            },
            _ => {
                content.notice = Some("إجراء غير معروف.".into());
                return users_page(&state, &staff, content, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
        Ok(redirect("/newsroom/users"))
    }
    .await;
    respond(&state, result).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_inside_the_newsroom() {
        assert_eq!(super::safe_next("/newsroom/articles"), "/newsroom/articles");
        assert_eq!(super::safe_next("https://evil.example/newsroom"), "/newsroom/");
        assert_eq!(super::safe_next("//evil.example"), "/newsroom/");
    }

    #[test]
    fn emails_are_checked_loosely_but_surely() {
        assert!(super::valid_email("a@b.co"));
        assert!(!super::valid_email("a@b"));
        assert!(!super::valid_email("a b@c.d"));
        assert!(!super::valid_email("@c.d"));
    }
}
