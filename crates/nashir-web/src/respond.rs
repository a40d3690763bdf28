//! The one place a failed request becomes what its asker reads, chosen by where the request
//! went: the themed Arabic page for the public site, the newsroom's page (or its login) for
//! staff, an `application/problem+json` body for `/api/…`. Failures that never passed
//! through `WebError` (the framework's own rejections, a timeout, a body limit) are caught
//! here too, so no English plain text from a library ever reaches a reader.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::middleware::Next;
use serde::Serialize;

use crate::error::{Problem, WebError};
use crate::state::AppState;

/// Where a request went, which decides the form of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RouteClass {
    Public,
    Newsroom,
    Api,
}

impl RouteClass {
    fn of(path: &str) -> RouteClass {
        if path == "/api" || path.starts_with("/api/") {
            RouteClass::Api
        } else if crate::urls::newsroom::is_newsroom(path) {
            RouteClass::Newsroom
        } else {
            RouteClass::Public
        }
    }
}

/// A failure response nobody rendered: an error status with no body meant for people.
fn unrendered(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    match response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(t) => t.starts_with("text/plain"),
    }
}

pub(crate) async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let class = RouteClass::of(request.uri().path());
    let mut response = next.run(request).await;
    let problem = match response.extensions_mut().remove::<Problem>() {
        Some(p) => p,
        None if unrendered(&response) => Problem::from_status(response.status()),
        None => return response,
    };
    let mut rendered = match class {
        RouteClass::Api => problem_json(&state, &problem),
        RouteClass::Newsroom => crate::newsroom::error_page(&state, &problem),
        RouteClass::Public => crate::site::error_page(&state, &problem).await,
    };
    // What the failure said about itself still holds (the methods a 405 allows).
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rendered.headers_mut().insert(header::ALLOW, allow.clone());
    }
    if let Some(secs) = problem.retry_after_secs
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        rendered.headers_mut().insert(header::RETRY_AFTER, v);
    }
    rendered
}

/// RFC 9457 problem details.
#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
}

fn problem_json(state: &AppState, problem: &Problem) -> Response {
    let body = ProblemBody {
        kind: format!("{}/api/v1/problems#{}", state.site.public_url, problem.code),
        title: problem.title(&state.renderer),
        status: problem.status.as_u16(),
        code: problem.code,
        detail: problem.detail.as_deref(),
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let mut r = (problem.status, json).into_response();
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(HeaderName::from_static("access-control-allow-origin"), HeaderValue::from_static("*"));
    r
}

/// The answer when too many requests are in flight: immediate, with no database and no
/// template, so it costs nothing when the server can least afford it.
pub(crate) fn overloaded(state: &AppState, path: &str) -> Response {
    let problem = Problem {
        code: "overloaded",
        status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
        login_next: None,
        retry_after_secs: Some(1),
        detail: None,
    };
    let mut r = match RouteClass::of(path) {
        RouteClass::Api => problem_json(state, &problem),
        _ => crate::site::plain_error(state, &problem),
    };
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// A handler that panicked: logged, and answered like any other server failure.
pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    WebError::internal("a request handler panicked").into_response()
}

/// No route takes this method here.
pub(crate) async fn method_not_allowed() -> WebError {
    WebError::MethodNotAllowed
}

/// No route answers this path.
pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn classes_follow_the_path() {
        assert_eq!(RouteClass::of("/api/v1/search"), RouteClass::Api);
        assert_eq!(RouteClass::of("/newsroom/articles/9"), RouteClass::Newsroom);
        assert_eq!(RouteClass::of("/newsroom"), RouteClass::Newsroom);
        assert_eq!(RouteClass::of("/apis"), RouteClass::Public);
        assert_eq!(RouteClass::of("/news/1/x"), RouteClass::Public);
    }

    #[test]
    fn only_bodies_meant_for_no_one_are_replaced() {
        let plain = (StatusCode::BAD_REQUEST, "Invalid UTF-8 in `path`").into_response();
        assert!(unrendered(&plain));
        let empty = StatusCode::METHOD_NOT_ALLOWED.into_response();
        assert!(unrendered(&empty));
        let page = (StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], "<p>form</p>").into_response();
        assert!(!unrendered(&page));
        assert!(!unrendered(&StatusCode::OK.into_response()));
    }
}
