//! The newsroom at `/newsroom/`: staff log in, write, review, schedule and publish, and
//! editors look after categories, tags and breaking news. Every route checks the session,
//! the role and (for changes) the CSRF token on the server.

pub(crate) mod auth;
mod articles;
mod forms;
mod people;
mod site_content;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use nashir_core::{Person, Role};
use serde::Serialize;

use crate::error::plain_error;
use crate::state::AppState;
pub(crate) use forms::Form;
pub use people::valid_email;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/newsroom", get(|| async { redirect("/newsroom/") }))
        .route("/newsroom/", get(articles::list))
        .route("/newsroom/login", get(people::login_page).post(people::login))
        .route("/newsroom/logout", post(people::logout))
        .route("/newsroom/setup", get(people::setup_page).post(people::setup))
        .route("/newsroom/password", get(people::password_page).post(people::change_password))
        .route("/newsroom/users", get(people::users).post(people::create_user))
        .route("/newsroom/users/{id}", post(people::update_user))
        .route("/newsroom/articles", get(articles::list).post(articles::create))
        .route("/newsroom/articles/new", get(articles::new_form))
        .route("/newsroom/articles/new/autosave", post(articles::autosave_new))
        .route("/newsroom/articles/{id}", get(articles::edit_form).post(articles::save))
        .route("/newsroom/articles/{id}/autosave", post(articles::autosave))
        .route("/newsroom/articles/{id}/autosave/discard", post(articles::discard_autosave))
        .route("/newsroom/articles/{id}/preview", get(articles::preview_saved))
        .route("/newsroom/articles/{id}/revisions", get(articles::revisions))
        .route("/newsroom/articles/{id}/revisions/{rid}", get(articles::compare_revision))
        .route("/newsroom/articles/{id}/revisions/{rid}/restore", post(articles::restore_revision))
        .route("/newsroom/categories", get(site_content::categories).post(site_content::create_category))
        .route("/newsroom/categories/{id}", post(site_content::update_category))
        .route("/newsroom/categories/{id}/delete", post(site_content::delete_category))
        .route("/newsroom/tags", get(site_content::tags))
        .route("/newsroom/tags/{id}", post(site_content::rename_tag))
        .route("/newsroom/tags/{id}/merge", post(site_content::merge_tag))
        .route("/newsroom/breaking", get(site_content::breaking).post(site_content::create_breaking))
        .route("/newsroom/breaking/{id}", post(site_content::update_breaking))
        .route("/newsroom/breaking/{id}/delete", post(site_content::delete_breaking))
}

/// The logged-in staff member of a request.
#[derive(Clone)]
pub(crate) struct Staff {
    pub person: Person,
    pub csrf_token: String,
    pub session_hash: String,
}

impl Staff {
    pub(crate) fn role(&self) -> Role {
        self.person.role
    }
    pub(crate) fn require(&self, allowed: bool) -> Result<(), NrError> {
        if allowed { Ok(()) } else { Err(NrError::Forbidden) }
    }
}

/// Why a newsroom request stops early; each becomes a page in Arabic.
#[derive(Debug)]
pub(crate) enum NrError {
    /// Not logged in: go to the login page and come back.
    Login { next: String },
    Forbidden,
    /// The CSRF token is missing or wrong.
    Csrf,
    NotFound,
    Internal(String),
}

impl From<nashir_store::StoreError> for NrError {
    fn from(e: nashir_store::StoreError) -> Self {
        NrError::Internal(e.to_string())
    }
}

impl From<nashir_render::RenderError> for NrError {
    fn from(e: nashir_render::RenderError) -> Self {
        NrError::Internal(e.to_string())
    }
}

pub(crate) fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

impl NrError {
    pub(crate) fn into_response(self, state: &AppState) -> Response {
        let (status, title, message) = match self {
            NrError::Login { next } => {
                let encoded = crate::urls::segment(&next);
                return redirect(&format!("/newsroom/login?next={encoded}"));
            }
            NrError::Forbidden => (StatusCode::FORBIDDEN, "غير مسموح", "ليست لديك صلاحية للقيام بهذا الإجراء."),
            NrError::Csrf => (
                StatusCode::FORBIDDEN,
                "انتهت صلاحية النموذج",
                "لم نتمكن من التحقق من هذا الطلب. أعد تحميل الصفحة وحاول مرة أخرى.",
            ),
            NrError::NotFound => (StatusCode::NOT_FOUND, "غير موجود", "لم نجد ما تبحث عنه في غرفة الأخبار."),
            NrError::Internal(detail) => {
                tracing::error!(error = %detail, "newsroom request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "حدث خطأ", "تعذر إتمام الطلب. لم يتغير شيء؛ حاول مرة أخرى.")
            }
        };
        let ctx = serde_json::json!({ "title": title, "message": message });
        match state.renderer.render("newsroom/message.html", &ctx) {
            Ok(html) => no_store((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()),
            Err(_) => plain_error(status),
        }
    }
}

/// Staff pages are private: never stored by a browser or a CDN.
pub(crate) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    r
}

/// The logged-in staff member, or a redirect to the login page.
pub(crate) async fn staff(state: &AppState, parts_headers: &HeaderMap, path: &str) -> Result<Staff, NrError> {
    match auth::session_from(&state.store, parts_headers).await? {
        Some((session, hash)) => {
            Ok(Staff { person: session.person, csrf_token: session.csrf_token, session_hash: hash })
        }
        None => Err(NrError::Login { next: path.to_owned() }),
    }
}

/// A state-changing request: a session and its CSRF token (form field `csrf_token` or
/// header `X-CSRF-Token`), checked before anything else.
pub(crate) async fn staff_post(state: &AppState, headers: &HeaderMap, form: &Form) -> Result<Staff, NrError> {
    let staff = match auth::session_from(&state.store, headers).await? {
        Some((session, hash)) => Staff { person: session.person, csrf_token: session.csrf_token, session_hash: hash },
        // A change without a session is refused outright (there is nothing to return to).
        None => return Err(NrError::Csrf),
    };
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| form.get_opt("csrf_token").map(str::to_owned))
        .unwrap_or_default();
    if !auth::same_token(&sent, &staff.csrf_token) {
        return Err(NrError::Csrf);
    }
    Ok(staff)
}

/// What every newsroom page knows: who is logged in and what they may open.
#[derive(Serialize)]
pub(crate) struct NrChrome {
    user_name: String,
    role: &'static str,
    role_label: &'static str,
    csrf: String,
    can_manage_site: bool,
    can_manage_users: bool,
}

pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::Contributor => "مساهم",
        Role::Author => "كاتب",
        Role::Editor => "محرر",
        Role::Admin => "مدير",
    }
}

pub(crate) fn chrome(staff: &Staff) -> NrChrome {
    NrChrome {
        user_name: staff.person.name.clone(),
        role: staff.role().as_str(),
        role_label: role_label(staff.role()),
        csrf: staff.csrf_token.clone(),
        can_manage_site: nashir_core::permissions::can_manage_site_content(staff.role()),
        can_manage_users: nashir_core::permissions::can_manage_users(staff.role()),
    }
}

/// Renders a newsroom page with its chrome.
pub(crate) fn page<T: Serialize>(state: &AppState, status: StatusCode, template: &str, staff: Option<&Staff>, content: &T) -> Result<Response, NrError> {
    #[derive(Serialize)]
    struct Ctx<'a, T> {
        nr: Option<NrChrome>,
        #[serde(flatten)]
        content: &'a T,
    }
    let html = state.renderer.render(template, &Ctx { nr: staff.map(chrome), content })?;
    Ok(no_store((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()))
}

/// The client address of a request (see `auth::client_address`).
pub(crate) struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        Ok(ClientAddress(auth::client_address(peer, &parts.headers, &state.trusted_proxies)))
    }
}

/// Runs a newsroom handler body and turns its error into a page.
pub(crate) async fn respond(state: &AppState, result: Result<Response, NrError>) -> Response {
    match result {
        Ok(r) => r,
        Err(e) => e.into_response(state),
    }
}
