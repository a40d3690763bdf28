//! What handlers take from a request, parsed once and typed: path segments, query strings,
//! form bodies, page numbers and the client's address. Every rejection is a `WebError`, so
//! a malformed request gets the site's own error page, never the framework's English text.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::WebError;
use crate::state::AppState;

/// Path parameters. A segment that does not parse (not a number, invalid UTF-8) names
/// nothing that exists: 404.
pub(crate) struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| WebError::NotFound)
    }
}

/// A typed query string. Fields are lenient types (`String`, [`PageNumber`], [`OptionalId`])
/// so a stray value reads as absent; only a query string that cannot be read at all is a 400.
pub(crate) struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let raw = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(raw).map(Query).map_err(|_| WebError::BadRequest("query string"))
    }
}

/// The largest page number any list accepts; beyond the last page a list answers 404.
pub(crate) const MAX_PAGE: u32 = 10_000;

/// `?page=N`: anything that is not a positive number is the first page, and numbers are
/// bounded, so offsets never overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct PageNumber(u32);

impl PageNumber {
    pub(crate) fn get(self) -> u32 {
        self.0
    }

    pub(crate) fn parse(text: &str) -> PageNumber {
        let digits = text.trim();
        let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            // Overlong digit strings are huge numbers, not garbage.
            digits.parse::<u64>().unwrap_or(u64::MAX)
        } else {
            1
        };
        PageNumber(n.clamp(1, u64::from(MAX_PAGE)) as u32)
    }
}

impl Default for PageNumber {
    fn default() -> Self {
        PageNumber(1)
    }
}

impl<'de> Deserialize<'de> for PageNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(PageNumber::parse(&text))
    }
}

/// An optional positive id in a query or form (`?author=7`); empty or anything else is None.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OptionalId(pub Option<i64>);

impl OptionalId {
    pub(crate) fn parse(text: &str) -> Option<i64> {
        text.trim().parse::<i64>().ok().filter(|v| *v > 0)
    }
}

impl<'de> Deserialize<'de> for OptionalId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(OptionalId(OptionalId::parse(&text)))
    }
}

/// Largest form body the site reads (the article editor's is the biggest).
pub(crate) const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// An `application/x-www-form-urlencoded` body (also what the editor's scripts send), with
/// repeated fields kept. Bytes that are not UTF-8 read as U+FFFD, so what was typed is kept
/// and shown again while the handler refuses the unreadable field.
#[derive(Debug, Default, Clone)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub(crate) fn parse(body: &[u8]) -> Form {
        Form { pairs: form_urlencoded::parse(body).into_owned().collect() }
    }

    pub(crate) fn get_opt(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The field's value, or "" when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.get_opt(name).unwrap_or("")
    }

    /// The field's value trimmed.
    pub(crate) fn trimmed(&self, name: &str) -> &str {
        self.get(name).trim()
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// A positive id field.
    pub(crate) fn id(&self, name: &str) -> Option<i64> {
        OptionalId::parse(self.get(name))
    }

    /// The named fields as typed, for a form shown again after a refusal.
    pub(crate) fn typed(&self, names: &[&str]) -> std::collections::BTreeMap<String, String> {
        names.iter().map(|k| ((*k).to_owned(), self.get(k).to_owned())).collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = WebError;
    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        let body = Bytes::from_request(request, state).await.map_err(|_| WebError::PayloadTooLarge)?;
        if body.len() > MAX_FORM_BYTES {
            return Err(WebError::PayloadTooLarge);
        }
        Ok(Form::parse(&body))
    }
}

/// The client's address (see `client::client_address`).
pub(crate) struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        Ok(ClientAddress(crate::client::client_address(peer, &parts.headers, &state.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_bounded_and_never_overflow() {
        assert_eq!(PageNumber::parse("3").get(), 3);
        assert_eq!(PageNumber::parse("0").get(), 1);
        assert_eq!(PageNumber::parse("abc").get(), 1);
        assert_eq!(PageNumber::parse("-2").get(), 1);
        assert_eq!(PageNumber::parse("").get(), 1);
        assert_eq!(PageNumber::parse("99999999999999999999999999").get(), MAX_PAGE);
        assert_eq!(PageNumber::parse("10001").get(), MAX_PAGE);
        #[derive(Deserialize)]
        struct Q {
            #[serde(default)]
            page: PageNumber,
            #[serde(default)]
            author: OptionalId,
        }
        let q: Q = serde_urlencoded::from_str("page=99999999999999999999&author=x").expect("query");
        assert_eq!((q.page.get(), q.author.0), (MAX_PAGE, None));
        let q: Q = serde_urlencoded::from_str("author=7").expect("query");
        assert_eq!((q.page.get(), q.author.0), (1, Some(7)));
    }

    #[test]
    fn forms_keep_repeated_fields_and_read_garbage_as_empty() {
        let f = Form::parse(b"a=1&c=2&c=3&t=%D8%B9");
        assert_eq!(f.get("a"), "1");
        assert_eq!(f.all("c"), vec!["2", "3"]);
        assert_eq!(f.get("t"), "ع");
        assert_eq!(f.id("a"), Some(1));
        assert_eq!(f.get("missing"), "");
        let g = Form::parse(b"\xff\xfe=%%%&body=ok%FF");
        assert_eq!(g.get("x"), "");
        assert_eq!(g.get("body"), "ok\u{FFFD}", "invalid UTF-8 is kept as a replacement character");
    }
}
