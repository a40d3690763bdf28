//! One error type for the web boundary, mapped to a status once. Readers get a page in the
//! site's language; details of 5xx errors go to the log only.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] nashir_store::StoreError),
    #[error(transparent)]
    Render(#[from] nashir_render::RenderError),
}

impl WebError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Store(_) | WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    /// A stable code for logs and, later, API clients.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "not_found",
            WebError::Store(_) => "store_error",
            WebError::Render(_) => "render_error",
        }
    }
}

/// The last resort when even the error page cannot be rendered: plain, in Arabic, no internals.
pub(crate) fn plain_error(status: StatusCode) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"ar\" dir=\"rtl\"><meta charset=\"utf-8\"><title>خطأ</title>\
         <h1>عذراً، حدث خطأ</h1><p>تعذر عرض هذه الصفحة الآن. حاول مرة أخرى بعد قليل.</p>\
         <p><a href=\"/\">العودة إلى الصفحة الرئيسية</a></p><!-- {} --></html>",
        status.as_u16()
    );
    (status, Html(body)).into_response()
}

pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    plain_error(StatusCode::INTERNAL_SERVER_ERROR)
}
