//! The newsroom at `/newsroom/`: staff log in, write, review, schedule and publish, and
//! editors look after categories, tags and breaking news. Extractors check the session, the
//! role and (for changes) the CSRF token before any handler runs; the rules themselves are
//! `nashir_core::{permissions, editorial}`.

/// The article list, the editor, autosave, preview and revisions.
pub(crate) mod articles;
/// The comment moderation queue, editing, staff replies, erasure of a commenter.
mod comments;
/// Passwords, sessions, form tokens, lockouts.
pub(crate) mod auth;
/// `Staff`, `RequireRole`, `StaffForm`.
mod extract;
/// Admin API keys, the audit log and its middleware.
pub(crate) mod integrations;
/// Login, setup of the first administrator, passwords, the user list.
mod people;
/// Categories, tags and the breaking-news ticker.
mod site_content;
/// The media library and articles' featured photos.
pub(crate) mod media;
/// The newsroom's URL scheme (kept with the public one in `crate::urls`).
pub(crate) use crate::urls::newsroom as urls;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use nashir_core::Role;
use nashir_render::Renderer;
use serde::Serialize;

use crate::error::{Problem, WebResult};
use crate::http::see_other;
use crate::state::AppState;
pub(crate) use extract::Staff;

pub(crate) fn router() -> Router<AppState> {
    let r = |pattern: &str| urls::route(pattern);
    Router::new()
        .route(urls::ROOT, get(|| async { see_other(&urls::home()) }))
        .route(&r("/"), get(articles::list))
        .route(&r("/login"), get(people::login_page).post(people::login))
        .route(&r("/logout"), post(people::logout))
        .route(&r("/setup"), get(people::setup_page).post(people::setup))
        .route(&r("/password"), get(people::password_page).post(people::change_password))
        .route(&r("/users"), get(people::users).post(people::create_user))
        .route(&r("/users/{id}"), post(people::update_user))
        .route(&r("/integrations"), get(integrations::integrations).post(integrations::create))
        .route(&r("/integrations/{id}/revoke"), post(integrations::revoke))
        .route(&r("/audit"), get(integrations::audit))
        .route(&r("/webhooks"), get(integrations::webhooks).post(integrations::create_webhook))
        .route(&r("/webhooks/{id}"), get(integrations::webhook_log))
        .route(&r("/webhooks/{id}/disable"), post(integrations::disable_webhook))
        .route(&r("/articles"), get(articles::list).post(articles::create))
        .route(&r("/articles/new"), get(articles::new_form))
        .route(&r("/articles/new/autosave"), post(articles::autosave_new))
        .route(&r("/articles/{id}"), get(articles::edit_form).post(articles::save))
        .route(&r("/articles/{id}/autosave"), post(articles::autosave))
        .route(&r("/articles/{id}/autosave/discard"), post(articles::discard_autosave))
        .route(&r("/articles/{id}/preview"), get(articles::preview_saved))
        .route(&r("/articles/{id}/revisions"), get(articles::revisions))
        .route(&r("/articles/{id}/revisions/{rid}"), get(articles::compare_revision))
        .route(&r("/articles/{id}/revisions/{rid}/restore"), post(articles::restore_revision))
        .route(&r("/articles/{id}/comments-open"), post(comments::set_open))
        .route(&r("/comments"), get(comments::queue))
        .route(&r("/comments/moderate"), post(comments::moderate))
        .route(&r("/comments/erase"), get(comments::erase_page).post(comments::erase))
        .route(&r("/comments/{id}"), get(comments::edit_page).post(comments::edit))
        .route(&r("/comments/{id}/reply"), post(comments::reply))
        .route(&r("/categories"), get(site_content::categories).post(site_content::create_category))
        .route(&r("/categories/{id}"), post(site_content::update_category))
        .route(&r("/categories/{id}/delete"), post(site_content::delete_category))
        .route(&r("/categories/bar/reset"), post(site_content::reset_category_bar))
        .route(&r("/tags"), get(site_content::tags))
        .route(&r("/tags/{id}"), post(site_content::rename_tag))
        .route(&r("/tags/{id}/merge"), post(site_content::merge_tag))
        .route(&r("/breaking"), get(site_content::breaking).post(site_content::create_breaking))
        .route(&r("/breaking/{id}"), post(site_content::update_breaking))
        .route(&r("/breaking/{id}/delete"), post(site_content::delete_breaking))
        .route(&r("/media"), get(media::library))
        .route(&r("/media.json"), get(media::picker))
        .route(&r("/media/{id}"), get(media::item).post(media::save))
        .route(&r("/media/{id}/status"), get(media::status))
        .route(&r("/media/{id}/delete"), post(media::delete))
        .route(&r("/articles/{id}/featured"), post(media::set_featured))
}

/// `POST /newsroom/media`: the upload, with a body limit of its own (the media setting).
pub(crate) fn uploads(state: &AppState) -> Router {
    let limit = state.media.limits.max_bytes + 1024 * 1024;
    Router::new()
        .route(&urls::media(), post(media::upload))
        .route(&urls::route("/media/{id}/replace"), post(media::replace))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), clear_after_change))
        .layer(axum::middleware::from_fn_with_state(state.clone(), integrations::record_changes))
        .with_state(state.clone())
}

/// What every newsroom page knows: who is signed in, what they may open, and the links.
#[derive(Serialize)]
struct NrChrome {
    user_name: String,
    role: &'static str,
    role_label: String,
    csrf: String,
    can_manage_site: bool,
    can_manage_users: bool,
    /// Comments waiting, for moderators (None for others).
    pending_comments: Option<i64>,
}

/// A role's name in the site's language.
pub(crate) fn role_label(r: &Renderer, role: Role) -> String {
    r.t(match role {
        Role::Contributor => "nr-msg-role-contributor",
        Role::Author => "nr-msg-role-author",
        Role::Editor => "nr-msg-role-editor",
        Role::Admin => "nr-msg-role-admin",
    })
}

fn chrome(r: &Renderer, staff: &Staff) -> NrChrome {
    NrChrome {
        user_name: staff.person.name.clone(),
        role: staff.role().as_str(),
        role_label: role_label(r, staff.role()),
        csrf: staff.csrf_token.clone(),
        can_manage_site: nashir_core::permissions::can_manage_site_content(staff.role()),
        can_manage_users: nashir_core::permissions::can_manage_users(staff.role()),
        pending_comments: staff.pending_comments,
    }
}

/// Staff pages are private: never stored by a browser or a CDN, never indexed.
pub(crate) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    r
}

/// Renders a newsroom page with its chrome and links.
fn page<T: Serialize>(state: &AppState, status: StatusCode, template: &str, staff: Option<&Staff>, content: &T) -> WebResult {
    #[derive(Serialize)]
    struct Ctx<'a, T> {
        nr: Option<NrChrome>,
        links: urls::Links,
        #[serde(flatten)]
        content: &'a T,
    }
    let html = state.renderer.render(template, &Ctx { nr: staff.map(|s| chrome(&state.renderer, s)), links: urls::Links::new(), content })?;
    Ok(no_store((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()))
}

/// The newsroom's rendering of a failed request: a login redirect, or its message page.
pub(crate) fn error_page(state: &AppState, problem: &Problem) -> Response {
    if let Some(next) = &problem.login_next {
        return no_store(see_other(&urls::login(Some(next))));
    }
    #[derive(Serialize)]
    struct Message {
        title: String,
        message: String,
    }
    let r = &state.renderer;
    let content = Message { title: problem.title(r), message: problem.detail.clone().unwrap_or_else(|| problem.message(r)) };
    match page(state, problem.status, "newsroom/message.html", None, &content) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(code = e.code(), error = %e, "the newsroom error page could not be rendered");
            crate::site::plain_error(state, problem)
        }
    }
}

/// After a newsroom change succeeds this instance forgets its pages at once, so the person
/// who made it sees it on the next request; other instances follow the outbox.
pub(crate) async fn clear_after_change(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // Autosaves, logins and password changes change nothing readers see.
    let private = path.ends_with("/autosave")
        || path.ends_with("/discard")
        || [urls::login(None), urls::logout(), urls::password(), urls::setup()].iter().any(|p| p == path);
    let is_change = request.method() == Method::POST && !private;
    let response = next.run(request).await;
    if is_change && (response.status().is_redirection() || response.status() == StatusCode::NO_CONTENT) {
        state.cache.clear().await;
    }
    response
}
