//! Old URLs of an imported site, as the paths the new site must redirect.
//! Owns the canonical form of a path (stored redirect = incoming request) and archive paths.

use std::fmt::Write;

/// The canonical form of a URL path (with its query, without its fragment), used both when
/// storing an old path and when looking up an incoming request:
///
/// - percent-encoding is decoded to UTF-8 text (`/%D8%AE%D8%A8%D8%B1/` → `/خبر`), except
///   for bytes whose decoding would change the meaning (`/ ? # %`, space, controls) and
///   bytes that are not UTF-8, which stay encoded with upper-case hex;
/// - repeated slashes become one, the path starts with `/`, a trailing `/` is dropped
///   (`/about/` and `/about` are the same page); the root stays `/`.
///
/// ```
/// use nashir_import::normalize_path;
/// assert_eq!(normalize_path("/%d8%ae%d8%a8%d8%b1/"), "/خبر");
/// assert_eq!(normalize_path("//greek/%CE%B5/?p=1#top"), "/greek/ε?p=1");
/// assert_eq!(normalize_path("/a%2Fb%20c/"), "/a%2Fb%20c");
/// assert_eq!(normalize_path(""), "/");
/// ```
pub fn normalize_path(raw: &str) -> String {
    let raw = raw.split('#').next().unwrap_or("");
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    let decoded = decode_component(path, b"/?#%");
    let mut out = String::with_capacity(decoded.len() + 1);
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(&decode_component(query, b"&=+;#%?"));
    }
    out
}

/// Percent-decodes `s`, keeping encoded the bytes in `reserved`, ASCII controls, spaces
/// and anything that is not UTF-8.
fn decode_component(s: &str, reserved: &[u8]) -> String {
    // Decode by hand rather than with `percent_decode_str` so that a byte written
    // literally (`/`) and one written encoded (`%2F`) can be told apart.
    let mut decoded: Vec<(u8, bool)> = Vec::with_capacity(s.len());
    let mut raw = s.as_bytes();
    while let Some((&b, rest)) = raw.split_first() {
        if b == b'%'
            && rest.len() >= 2
            && rest[0].is_ascii_hexdigit()
            && rest[1].is_ascii_hexdigit()
        {
            decoded.push((hex(rest[0]) * 16 + hex(rest[1]), true));
            raw = &rest[2..];
        } else {
            decoded.push((b, false));
            raw = rest;
        }
    }
    let plain: Vec<u8> = decoded.iter().map(|&(b, _)| b).collect();
    let mut out = String::with_capacity(plain.len());
    let mut at = 0;
    for chunk in plain.utf8_chunks() {
        for c in chunk.valid().chars() {
            let (first, was_encoded) = decoded[at];
            let len = c.len_utf8();
            let must_encode = len == 1
                && (first <= b' ' || first == 0x7f || (was_encoded && reserved.contains(&first)));
            if must_encode {
                let _ = write!(out, "%{first:02X}");
            } else {
                out.push(c);
            }
            at += len;
        }
        for &b in chunk.invalid() {
            let _ = write!(out, "%{b:02X}");
            at += 1;
        }
    }
    out
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// The normalized path and query of a URL: absolute (`https://host/p/`), protocol-relative
/// (`//host/p/`) or already a path (`/p/`). `None` for anything else.
///
/// ```
/// use nashir_import::url_path;
/// assert_eq!(url_path("https://news.example/?p=101").as_deref(), Some("/?p=101"));
/// assert_eq!(url_path("http://www.jawharafm.net/ar/article/خبر/95/1").as_deref(), Some("/ar/article/خبر/95/1"));
/// assert_eq!(url_path("mailto:x@y").as_deref(), None);
/// ```
pub fn url_path(url: &str) -> Option<String> {
    let url = url.trim();
    if url.starts_with('/') && !url.starts_with("//") {
        return Some(normalize_path(url));
    }
    let absolute = if url.starts_with("//") {
        format!("http:{url}")
    } else {
        url.to_owned()
    };
    let parsed = url::Url::parse(&absolute).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let mut path = parsed.path().to_owned();
    if let Some(query) = parsed.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(normalize_path(&path))
}

/// The key identifying a source site across imports: host (and port, and path for a site
/// in a sub-folder) of its URL, lower-case, without scheme or trailing slash, so that
/// re-importing an export taken after a move to https still matches.
///
/// ```
/// use nashir_import::site_key;
/// assert_eq!(site_key("https://News.Example.invalid/"), "news.example.invalid");
/// assert_eq!(site_key("http://playground.internal/path/"), "playground.internal/path");
/// ```
pub fn site_key(url: &str) -> String {
    let url = url.trim();
    match url::Url::parse(url) {
        Ok(parsed) if parsed.host_str().is_some() => {
            let mut key = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
            if let Some(port) = parsed.port() {
                let _ = write!(key, ":{port}");
            }
            let path = normalize_path(parsed.path());
            if path != "/" {
                key.push_str(&path);
            }
            key
        }
        _ => url.trim_end_matches('/').to_lowercase(),
    }
}

/// The path a site lives under (`""` at the root, `/blog` in a sub-folder), from its URL.
pub(crate) fn base_path(url: &str) -> String {
    match url_path(url) {
        Some(path) if path != "/" => path.split('?').next().unwrap_or("").to_owned(),
        _ => String::new(),
    }
}

/// WordPress's `user_nicename` for a login (the author archive slug), as
/// `sanitize_title` makes it: lower-case, `.` and spaces to `-`, other punctuation removed.
pub(crate) fn author_nicename(login: &str) -> String {
    let mut out = String::with_capacity(login.len());
    for c in login.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if c == '.' || c.is_whitespace() {
            out.push('-');
        }
    }
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '-' && collapsed.ends_with('-')) {
            collapsed.push(c);
        }
    }
    collapsed.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_and_decoded_forms_meet() {
        let a = normalize_path("/2017/06/%D8%A7%D9%84%D8%AE%D8%A8%D8%B1/");
        let b = normalize_path("/2017/06/%d8%a7%d9%84%d8%ae%d8%a8%d8%b1");
        let c = normalize_path("/2017/06/الخبر/");
        assert_eq!(a, "/2017/06/الخبر");
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn meaningful_escapes_and_broken_bytes_stay_encoded() {
        assert_eq!(normalize_path("/a%2fb"), "/a%2Fb");
        assert_eq!(normalize_path("/100%25"), "/100%25");
        assert_eq!(normalize_path("/a b"), "/a%20b");
        assert_eq!(normalize_path("/x%d8"), "/x%D8");
        assert_eq!(normalize_path("/%41bc"), "/Abc");
        assert_eq!(normalize_path("/?s=a%26b&p=%D8%AE"), "/?s=a%26b&p=خ");
    }

    #[test]
    fn urls_lose_scheme_host_and_fragment() {
        assert_eq!(
            url_path("https://wpthemetestdata.wordpress.com//greek/%ce%b5%cf%80/").as_deref(),
            Some("/greek/επ")
        );
        assert_eq!(url_path("//cdn.example/a/").as_deref(), Some("/a"));
        assert_eq!(url_path("https://e.example").as_deref(), Some("/"));
        assert_eq!(url_path("not a url"), None);
        assert_eq!(url_path("ftp://e.example/a"), None);
    }

    #[test]
    fn site_keys_and_base_paths() {
        assert_eq!(
            site_key("https://wpthemetestdata.wordpress.com"),
            "wpthemetestdata.wordpress.com"
        );
        assert_eq!(site_key("http://localhost:8080/"), "localhost:8080");
        assert_eq!(site_key("not a url/"), "not a url");
        assert_eq!(base_path("https://playground.internal/path"), "/path");
        assert_eq!(base_path("https://news.example.invalid"), "");
        assert_eq!(base_path(""), "");
    }

    #[test]
    fn author_nicenames_follow_wordpress() {
        assert_eq!(
            author_nicename("John.Doe@Example.com"),
            "john-doeexample-com"
        );
        assert_eq!(author_nicename("newsdesk"), "newsdesk");
        assert_eq!(author_nicename(" Theme Admin "), "theme-admin");
        assert_eq!(author_nicename(">themereviewteam"), "themereviewteam");
    }
}
