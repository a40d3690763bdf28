//! The web layer's one error type. Every handler, extractor and framework rejection ends
//! here: a stable machine code, an HTTP status and a message in the site's language. The
//! response it makes carries only that (`Problem`); `respond` turns it into the themed
//! Arabic page, the newsroom's page or a JSON problem, depending on where the request went.
//! Causes are logged with their whole chain, never shown.

use std::error::Error as StdError;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

type Cause = Box<dyn StdError + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    /// Nothing lives at this address (or the reader may not know it does).
    #[error("not found")]
    NotFound,
    /// The request itself is malformed (an unreadable body, a broken query string).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A newsroom page needs a session: log in, then come back to `next`.
    #[error("login required")]
    Login { next: String },
    /// Signed in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A change without a valid CSRF token (or from another site).
    #[error("form token missing or invalid")]
    Csrf,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The request is understood but refused, with its own code and a sentence for the
    /// person (an unusable search query, a field an API client got wrong).
    #[error("rejected: {code}")]
    Rejected { code: &'static str, status: StatusCode, detail: String },
    /// A part of the site cannot answer now (the search index is missing, say).
    #[error("service unavailable: {0}")]
    Unavailable(&'static str),
    /// The server failed; the cause goes to the log.
    #[error("internal error")]
    Internal(#[source] Cause),
}

/// What a failed response carries to `respond`: enough to render it in any form.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub code: &'static str,
    pub status: StatusCode,
    /// Where a newsroom login should return to.
    pub login_next: Option<String>,
    pub retry_after_secs: Option<u64>,
    /// A sentence particular to this refusal, in the site's language.
    pub detail: Option<String>,
}

impl Problem {
    /// A failure that did not come through `WebError` (a framework rejection, a timeout, a
    /// body limit): classified by its status.
    pub(crate) fn from_status(status: StatusCode) -> Problem {
        let code = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::REQUEST_TIMEOUT => "timeout",
            StatusCode::TOO_MANY_REQUESTS => "rate_limited",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            s if s.is_client_error() => "bad_request",
            _ => "internal",
        };
        Problem { code, status, login_next: None, retry_after_secs: None, detail: None }
    }

    /// The stem of the problem's messages in the translation files (`error-{key}-title`,
    /// `error-{key}-text`): one per kind a person can meet; the rest read as a bad request.
    pub(crate) fn key(&self) -> &'static str {
        match self.code {
            "not_found" => "not-found",
            "forbidden" => "forbidden",
            "csrf" => "csrf",
            "login_required" => "login-required",
            "method_not_allowed" => "method-not-allowed",
            "payload_too_large" => "payload-too-large",
            "timeout" => "timeout",
            "rate_limited" => "rate-limited",
            "unavailable" => "unavailable",
            "overloaded" => "overloaded",
            "internal" => "internal",
            _ => "bad-request",
        }
    }

    /// The title a person reads, in the site's language.
    pub(crate) fn title(&self, r: &nashir_render::Renderer) -> String {
        r.t(&format!("error-{}-title", self.key()))
    }

    /// One sentence on what to do, in the site's language.
    pub(crate) fn message(&self, r: &nashir_render::Renderer) -> String {
        r.t(&format!("error-{}-text", self.key()))
    }
}

impl WebError {
    /// Wraps any failure of the server's own (store, renderer, index, a join) as a 500.
    pub(crate) fn internal(cause: impl Into<Cause>) -> WebError {
        WebError::Internal(cause.into())
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Login { .. } => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Rejected { status, .. } => *status,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable snake_case code for API clients, logs and translations.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "not_found",
            WebError::BadRequest(_) => "bad_request",
            WebError::Login { .. } => "login_required",
            WebError::Forbidden => "forbidden",
            WebError::Csrf => "csrf",
            WebError::MethodNotAllowed => "method_not_allowed",
            WebError::PayloadTooLarge => "payload_too_large",
            WebError::TooManyRequests { .. } => "rate_limited",
            WebError::Rejected { code, .. } => code,
            WebError::Unavailable(_) => "unavailable",
            WebError::Internal(_) => "internal",
        }
    }

    fn problem(&self) -> Problem {
        Problem {
            code: self.code(),
            status: self.status(),
            login_next: match self {
                WebError::Login { next } => Some(next.clone()),
                _ => None,
            },
            retry_after_secs: match self {
                WebError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            },
            detail: match self {
                WebError::Rejected { detail, .. } => Some(detail.clone()),
                _ => None,
            },
        }
    }
}

/// The cause chain on one line, for the log.
fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut next = error.source();
    while let Some(e) = next {
        parts.push(e.to_string());
        next = e.source();
    }
    parts.join(": ")
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        match &self {
            WebError::Internal(_) => tracing::error!(code = problem.code, error = %chain(&self), "request failed"),
            WebError::Unavailable(what) => tracing::warn!(code = problem.code, what, "request refused: unavailable"),
            WebError::BadRequest(what) => tracing::debug!(code = problem.code, what, "bad request"),
            _ => {}
        }
        let mut response = problem.status.into_response();
        response.extensions_mut().insert(problem);
        response
    }
}

impl From<nashir_store::StoreError> for WebError {
    fn from(e: nashir_store::StoreError) -> Self {
        WebError::internal(e)
    }
}

impl From<nashir_render::RenderError> for WebError {
    fn from(e: nashir_render::RenderError) -> Self {
        WebError::internal(e)
    }
}

impl From<tokio::task::JoinError> for WebError {
    fn from(e: tokio::task::JoinError) -> Self {
        WebError::internal(e)
    }
}

pub(crate) type WebResult<T = Response> = Result<T, WebError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn every_error_has_a_code_a_status_and_words_in_each_language() {
        let renderer = |locale: &str| {
            let site = nashir_render::SiteInfo {
                name: "x".into(),
                description: String::new(),
                locale: locale.into(),
                time_zone: "UTC".into(),
                hijri_offset_days: 0,
                public_url: "http://127.0.0.1".into(),
                publisher_name: "x".into(),
                publisher_description: String::new(),
                publisher_url: String::new(),
            };
            nashir_render::Renderer::load(None, &site).expect("theme")
        };
        let (ar, en) = (renderer("ar"), renderer("en"));
        let all = [
            WebError::NotFound,
            WebError::BadRequest("x"),
            WebError::Login { next: "/n".into() },
            WebError::Forbidden,
            WebError::Csrf,
            WebError::MethodNotAllowed,
            WebError::PayloadTooLarge,
            WebError::TooManyRequests { retry_after_secs: 5 },
            WebError::Rejected { code: "empty_query", status: StatusCode::BAD_REQUEST, detail: "اكتب كلمة.".into() },
            WebError::Unavailable("search"),
            WebError::internal(Outer(std::io::Error::other("disk"))),
        ];
        for e in all {
            let p = e.problem();
            assert_eq!(p.code, e.code());
            let arabic = |t: &str| t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            assert!(arabic(&p.title(&ar)) && arabic(&p.message(&ar)), "{}", p.code);
            assert!(!arabic(&p.title(&en)) && !arabic(&p.message(&en)), "{}: English", p.code);
            assert!(!p.title(&en).starts_with("error-"), "{}: a message of its own", p.code);
            let response = e.into_response();
            assert_eq!(response.status(), p.status);
            assert_eq!(response.extensions().get::<Problem>().map(|p| p.code), Some(p.code));
        }
    }

    #[test]
    fn server_failures_are_5xx_and_their_cause_is_chained_for_the_log() {
        let e = WebError::internal(Outer(std::io::Error::other("disk full")));
        assert!(e.status().is_server_error());
        assert_eq!(chain(&e), "internal error: outer: disk full");
        assert!(WebError::Unavailable("search").status().is_server_error());
        assert_eq!(Problem::from_status(StatusCode::BAD_GATEWAY).code, "internal");
        assert_eq!(Problem::from_status(StatusCode::UNPROCESSABLE_ENTITY).code, "bad_request");
    }
}
