//! Form bodies: `application/x-www-form-urlencoded` (and the multipart-free FormData that
//! `sendBeacon` sends as urlencoded), with repeated fields kept.

use axum::body::Bytes;

#[derive(Debug, Default, Clone)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Parses a body; anything unreadable is an empty form (the handler then reports the
    /// missing fields, which is the right message for a mangled request).
    pub(crate) fn parse(body: &Bytes) -> Form {
        Form { pairs: serde_urlencoded::from_bytes(body).unwrap_or_default() }
    }

    pub(crate) fn get_opt(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The field's value, or "" when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.get_opt(name).unwrap_or("")
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub(crate) fn id(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok().filter(|v: &i64| *v > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_and_garbage() {
        let f = Form::parse(&Bytes::from_static(b"a=1&c=2&c=3&t=%D8%B9"));
        assert_eq!(f.get("a"), "1");
        assert_eq!(f.all("c"), vec!["2", "3"]);
        assert_eq!(f.get("t"), "ع");
        assert_eq!(f.id("a"), Some(1));
        assert_eq!(f.get("missing"), "");
        let g = Form::parse(&Bytes::from_static(b"\xff\xfe=%%%"));
        assert_eq!(g.get("x"), "");
    }
}
