//! The article HTML allow-list: what markup a stored article may contain.
//! Owns the list of tags, attributes and URL schemes, and nothing else (no WordPress rules).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements an article keeps. `h1` is not here: the page title is the only `h1`, so
/// headings written as `h1` are demoted to `h2` before cleaning.
const TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "abbr",
    "sub",
    "sup",
    "blockquote",
    "q",
    "cite",
    "ul",
    "ol",
    "li",
    "a",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "pre",
    "code",
    "hr",
    "span",
];

/// Elements removed together with everything inside them; any other unknown element is
/// unwrapped (its text stays). These hold code, embedded documents or form controls, whose
/// inner text is not article text (an iframe's fallback, a script's source).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "noscript", "noembed", "noframes",
    "template", "object", "embed", "applet", "svg", "math", "textarea", "select", "title", "head",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| cleaner(ammonia::UrlRelative::PassThrough));

/// The one allow-list, with what to do about relative URLs.
fn cleaner(relative: ammonia::UrlRelative<'static>) -> ammonia::Builder<'static> {
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    tag_attributes.insert("a", HashSet::from(["href", "title"]));
    tag_attributes.insert("img", HashSet::from(["src", "alt", "width", "height"]));
    tag_attributes.insert("td", HashSet::from(["colspan", "rowspan"]));
    tag_attributes.insert("th", HashSet::from(["colspan", "rowspan", "scope"]));
    tag_attributes.insert("ol", HashSet::from(["start", "reversed"]));
    tag_attributes.insert("abbr", HashSet::from(["title"]));
    // Only the page break the WordPress importer writes between `<!--nextpage-->` pages;
    // the filter below drops every other class.
    tag_attributes.insert("hr", HashSet::from(["class"]));
    // And the gallery figure it writes for a `[gallery]`.
    tag_attributes.insert("figure", HashSet::from(["class"]));
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(tag_attributes)
        // Direction and language per element: Arabic paragraphs quote Latin names and
        // English sentences; the values are checked below.
        .generic_attributes(HashSet::from(["dir", "lang"]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(relative)
        // `rel` is added after cleaning, to external links only.
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    builder
}

fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "dir" => {
            let value = value.trim().to_ascii_lowercase();
            matches!(value.as_str(), "ltr" | "rtl" | "auto").then_some(Cow::Owned(value))
        }
        "lang" => {
            let ok = !value.is_empty()
                && value.len() <= 35
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            ok.then_some(Cow::Borrowed(value))
        }
        "width" | "height" | "colspan" | "rowspan" | "start" => {
            let value = value.trim();
            let ok =
                !value.is_empty() && value.len() <= 6 && value.bytes().all(|b| b.is_ascii_digit());
            ok.then_some(Cow::Borrowed(value))
        }
        "class" => {
            let kept = match element {
                "hr" => "page-break",
                "figure" => "gallery",
                _ => return None,
            };
            value.split_whitespace().any(|c| c == kept).then_some(Cow::Borrowed(kept))
        }
        "scope" if element == "th" => {
            matches!(value, "row" | "col" | "rowgroup" | "colgroup").then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Cleans article HTML with the project's one allow-list; use it on every save and every
/// import.
///
/// Kept: `p br h2–h6 strong b em i u s del ins mark small abbr[title] sub sup blockquote q
/// cite ul ol[start reversed] li a[href title] figure figcaption img[src alt width height]
/// table thead tbody tfoot tr th[colspan rowspan scope] td[colspan rowspan] caption pre code
/// hr span`, plus `dir` (`ltr`, `rtl`, `auto`) and `lang` on any of them and
/// `class="page-break"` on `hr` and `class="gallery"` on `figure`. `h1` becomes `h2`. URLs must be `http`, `https`, `mailto` or
/// relative. `script`, `style`, `iframe`, `object`, `svg`, form fields and the like are
/// removed with their content; other elements (`div`, `font`…) are unwrapped; `on*`
/// handlers, `style`, `class`, `id` and comments are removed. External links (absolute
/// `http(s)` or `//`) get `rel="noopener"`. Text, Arabic included, is kept as written.
///
/// ```
/// use nashir_core::sanitize_article_html;
/// let html = r#"<p dir="rtl" onclick="x()">نص <a href="javascript:alert(1)">رابط</a></p><script>x</script>"#;
/// assert_eq!(sanitize_article_html(html), r#"<p dir="rtl">نص <a>رابط</a></p>"#);
/// ```
pub fn sanitize_article_html(html: &str) -> String {
    let demoted = demote_h1(html);
    let clean = CLEANER.clean(&demoted).to_string();
    add_noopener(&clean)
}

/// Clean article HTML with every relative URL made absolute against `base` (the article's
/// own URL, so `#note` stays on the article): what feeds carry, since a feed reader has no
/// page to resolve `/uploads/…` against. Anything not yet clean is cleaned on the way.
///
/// ```
/// use nashir_core::sanitize::absolute_urls;
/// let base = "https://news.example/news/7/x";
/// let html = "<p><a href=\"/tag/a/\">وسم</a> <img src=\"photo.jpg\" alt=\"\"> <a href=\"#n\">١</a></p>";
/// let out = absolute_urls(html, base);
/// assert!(out.contains("href=\"https://news.example/tag/a/\""));
/// assert!(out.contains("src=\"https://news.example/news/7/photo.jpg\""));
/// assert!(out.contains("href=\"https://news.example/news/7/x#n\""));
/// ```
pub fn absolute_urls(html: &str, base: &str) -> String {
    let Ok(base) = ammonia::Url::parse(base) else { return sanitize_article_html(html) };
    let clean = cleaner(ammonia::UrlRelative::RewriteWithBase(base)).clean(&demote_h1(html)).to_string();
    add_noopener(&clean)
}

/// Rewrites `<h1` and `</h1` tags to `h2`, case-insensitively, leaving text alone.
fn demote_h1(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let is_h1_at = |i: usize| {
        let rest = &bytes[i..];
        let skip = if rest.starts_with(b"</") { 2 } else { 1 };
        rest.len() > skip + 1
            && rest[skip].eq_ignore_ascii_case(&b'h')
            && rest[skip + 1] == b'1'
            && rest
                .get(skip + 2)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
    };
    let positions: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'<' && is_h1_at(i))
        .map(|(i, _)| i)
        .collect();
    if positions.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for i in positions {
        // The '1' sits right after "<h" or "</h".
        let digit = i + if bytes[i + 1] == b'/' { 3 } else { 2 };
        out.push_str(&html[from..digit]);
        out.push('2');
        from = digit + 1;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Adds `rel="noopener"` to links that leave the site. Works on ammonia's output, whose
/// shape is fixed: `<` in text is always `&lt;`, attribute values are double-quoted.
fn add_noopener(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        let tag_len = tag_length(&rest[i..]);
        let tag = &rest[i..i + tag_len];
        out.push_str(&rest[..i]);
        if tag.ends_with('>') && is_external(tag) {
            out.push_str(&tag[..tag.len() - 1]);
            out.push_str(" rel=\"noopener\">");
        } else {
            out.push_str(tag);
        }
        rest = &rest[i + tag_len..];
    }
    out.push_str(rest);
    out
}

/// Length of the tag at the start of `s` through its `>`, skipping quoted values.
fn tag_length(s: &str) -> usize {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn is_external(tag: &str) -> bool {
    let Some(start) = tag.find(" href=\"") else {
        return false;
    };
    let href = &tag[start + 7..];
    let href = href.to_ascii_lowercase();
    href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let dirty = concat!(
            "<p onclick=\"x()\" style=\"color:red\">نصّ <b>عريض</b></p>",
            "<script>alert(1)</script><a href=\"javascript:alert(1)\">رابط</a>",
            "<img src=\"https://e.example/a.jpg\" onerror=\"x()\" alt=\"صورة\">",
            "<iframe src=\"https://e.example\">fallback text</iframe>",
            "<a href=\" JaVaScRiPt:alert(1)\">b</a><img src=\"data:image/png;base64,AAAA\">",
        );
        let clean = sanitize_article_html(dirty);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript",
            "iframe",
            "fallback",
            "style",
            "data:",
        ] {
            assert!(
                !clean.to_ascii_lowercase().contains(bad),
                "{bad} in {clean}"
            );
        }
        assert!(clean.contains("<p>نصّ <b>عريض</b></p>"), "{clean}");
        assert!(
            clean.contains("<img src=\"https://e.example/a.jpg\" alt=\"صورة\">"),
            "{clean}"
        );
    }

    #[test]
    fn arabic_text_and_direction_are_kept() {
        let html =
            "<p dir=\"rtl\">قال <span dir=\"ltr\" lang=\"en\">GDP grew 2.5%</span> في تونس</p>";
        assert_eq!(sanitize_article_html(html), html);
        assert_eq!(
            sanitize_article_html("<p dir=\"sideways\">x</p>"),
            "<p>x</p>"
        );
        assert_eq!(
            sanitize_article_html("<p dir=\"RTL\">x</p>"),
            "<p dir=\"rtl\">x</p>"
        );
    }

    #[test]
    fn external_links_get_noopener_relative_ones_do_not() {
        let html = "<a href=\"https://example.com/a?b=1&amp;c=2\">x</a> <a href=\"/news/1\">y</a> \
                    <a href=\"mailto:a@b.c\">z</a> <a href=\"//cdn.example/x\">w</a>";
        assert_eq!(
            sanitize_article_html(html),
            "<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener\">x</a> <a href=\"/news/1\">y</a> \
             <a href=\"mailto:a@b.c\">z</a> <a href=\"//cdn.example/x\" rel=\"noopener\">w</a>"
        );
    }

    #[test]
    fn rel_and_target_from_the_source_are_not_trusted() {
        let clean = sanitize_article_html("<a href=\"/x\" rel=\"opener\" target=\"_blank\">x</a>");
        assert_eq!(clean, "<a href=\"/x\">x</a>");
    }

    #[test]
    fn h1_is_demoted_and_unknown_wrappers_unwrapped() {
        assert_eq!(
            sanitize_article_html("<H1 class=\"t\">عنوان</H1><div><font color=red>نص</font></div>"),
            "<h2>عنوان</h2>نص"
        );
        assert_eq!(
            sanitize_article_html("<p>a <h10 b</p>"),
            sanitize_article_html("<p>a <h10 b</p>")
        );
    }

    #[test]
    fn page_break_class_is_the_only_class() {
        assert_eq!(
            sanitize_article_html("<hr class=\"page-break big\"><p class=\"x\">a</p>"),
            "<hr class=\"page-break\"><p>a</p>"
        );
        assert_eq!(
            sanitize_article_html("<figure class=\"gallery x\"><figure class=\"page-break\"></figure></figure><p class=\"gallery\">a</p>"),
            "<figure class=\"gallery\"><figure></figure></figure><p>a</p>"
        );
        assert_eq!(
            sanitize_article_html("<hr class=\"wp-block-separator\">"),
            "<hr>"
        );
    }

    #[test]
    fn numeric_attributes_must_be_numbers() {
        assert_eq!(
            sanitize_article_html("<img src=\"/a.jpg\" width=\"300\" height=\"100%\">"),
            "<img src=\"/a.jpg\" width=\"300\">"
        );
        assert_eq!(
            sanitize_article_html(
                "<table><tbody><tr><td colspan=\"2\" rowspan=\"x\">a</td></tr></tbody></table>"
            ),
            "<table><tbody><tr><td colspan=\"2\">a</td></tr></tbody></table>"
        );
    }

    #[test]
    fn comments_are_removed_and_text_is_escaped() {
        assert_eq!(
            sanitize_article_html("<p>a <!-- x --> &lt;b&gt; &amp;</p>"),
            "<p>a  &lt;b&gt; &amp;</p>"
        );
    }
}
