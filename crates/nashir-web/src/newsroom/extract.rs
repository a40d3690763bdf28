//! Who is asking, checked before a handler runs: the signed-in staff member (`Staff`), the
//! role a route needs (`RequireRole<Editor>`), and for changes the CSRF-checked form
//! (`StaffForm`). A missing session sends a page request to the login page and refuses a
//! change outright; a wrong role is 403.

use std::marker::PhantomData;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::Method;
use axum::http::request::Parts;
use nashir_core::{Person, Role};

use super::auth;
use crate::error::WebError;
use crate::extract::Form;
use crate::state::AppState;

/// The signed-in staff member of a request.
#[derive(Clone)]
pub(crate) struct Staff {
    pub person: Person,
    pub csrf_token: String,
    pub session_hash: String,
    /// Comments waiting for a moderator, for those who moderate (the navigation shows it).
    pub pending_comments: Option<i64>,
}

impl Staff {
    pub(crate) fn role(&self) -> Role {
        self.person.role
    }

    pub(crate) fn actor(&self) -> nashir_core::editorial::Actor {
        nashir_core::editorial::Actor { person_id: self.person.id, role: self.person.role }
    }

    /// Refuses with 403 unless `allowed`.
    pub(crate) fn require(&self, allowed: bool) -> Result<(), WebError> {
        if allowed { Ok(()) } else { Err(WebError::Forbidden) }
    }
}

async fn session(parts: &Parts, state: &AppState) -> Result<Option<Staff>, WebError> {
    let Some((session, hash)) = auth::session_from(&state.store, &parts.headers).await? else { return Ok(None) };
    let pending_comments = if nashir_core::permissions::can_moderate_comments(session.person.role) {
        Some(state.store.pending_comment_count().await?)
    } else {
        None
    };
    Ok(Some(Staff { person: session.person, csrf_token: session.csrf_token, session_hash: hash, pending_comments }))
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match session(parts, state).await? {
            Some(staff) => Ok(staff),
            // A change without a session is refused outright (there is nothing to return to).
            None if parts.method != Method::GET && parts.method != Method::HEAD => Err(WebError::Csrf),
            None => Err(WebError::Login { next: parts.uri.path_and_query().map_or_else(String::new, |p| p.as_str().to_owned()) }),
        }
    }
}

/// The staff member when signed in (pages such as the login form need no session).
pub(crate) struct MaybeStaff(pub Option<Staff>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        Ok(MaybeStaff(session(parts, state).await?))
    }
}

/// The least role a route needs.
pub(crate) trait RoleBound: Send + Sync + 'static {
    const ROLE: Role;
}

/// Any staff member (contributors and up).
pub(crate) struct AnyStaff;
/// Editors and administrators: categories, tags, breaking news.
pub(crate) struct Editor;
/// Administrators: accounts.
pub(crate) struct Admin;

impl RoleBound for AnyStaff {
    const ROLE: Role = Role::Contributor;
}
impl RoleBound for Editor {
    const ROLE: Role = Role::Editor;
}
impl RoleBound for Admin {
    const ROLE: Role = Role::Admin;
}

/// A signed-in staff member with at least `R`'s role.
pub(crate) struct RequireRole<R: RoleBound>(pub Staff, pub PhantomData<R>);

impl<R: RoleBound> FromRequestParts<AppState> for RequireRole<R> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let staff = Staff::from_request_parts(parts, state).await?;
        staff.require(staff.role().at_least(R::ROLE))?;
        Ok(RequireRole(staff, PhantomData))
    }
}

/// A change: a session, its CSRF token (form field `csrf_token` or header `X-CSRF-Token`)
/// and at least `R`'s role, all checked before the handler runs.
pub(crate) struct StaffForm<R: RoleBound = AnyStaff> {
    pub staff: Staff,
    pub form: Form,
    role: PhantomData<R>,
}

impl<R: RoleBound> FromRequest<AppState> for StaffForm<R> {
    type Rejection = WebError;
    async fn from_request(request: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await.map_err(|_| WebError::Csrf)?;
        let header_token = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let form = Form::from_request(Request::from_parts(parts, body), state).await?;
        let sent = header_token.or_else(|| form.get_opt("csrf_token").map(str::to_owned)).unwrap_or_default();
        if !auth::same_token(&sent, &staff.csrf_token) {
            return Err(WebError::Csrf);
        }
        staff.require(staff.role().at_least(R::ROLE))?;
        Ok(StaffForm { staff, form, role: PhantomData })
    }
}
