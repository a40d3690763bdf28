//! The one allow-list of article HTML, applied on every save (newsroom) and every import:
//! news markup survives (paragraphs, headings, emphasis, links, quotes, lists, figures,
//! images, tables), scripts, styles, event handlers and dangerous URLs do not.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
            "blockquote", "q", "cite", "ul", "ol", "li", "a", "figure", "figcaption", "img", "table", "thead",
            "tbody", "tfoot", "tr", "th", "td", "caption", "pre", "code", "hr", "span", "div", "bdi", "abbr",
        ]
        .into_iter()
        .collect();
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        attributes.insert("a", ["href", "title"].into_iter().collect());
        attributes.insert("img", ["src", "alt", "width", "height", "title"].into_iter().collect());
        attributes.insert("th", ["colspan", "rowspan", "scope"].into_iter().collect());
        attributes.insert("td", ["colspan", "rowspan"].into_iter().collect());
        attributes.insert("abbr", ["title"].into_iter().collect());
        attributes.insert("hr", ["class"].into_iter().collect());
        let mut b = ammonia::Builder::new();
        b.tags(tags)
            .tag_attributes(attributes)
            // Direction is per paragraph in Arabic text with Latin names.
            .generic_attributes(["dir", "lang"].into_iter().collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        b
    })
}

/// Cleans article HTML with the allow-list. Text, Arabic included, is kept as written.
pub fn sanitize_article_html(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_bad_urls_go_text_and_direction_stay() {
        let dirty = "<p dir=\"auto\" style=\"color:red\" onclick=\"x()\">نصّ <b>عريض</b></p>\
                     <script>alert(1)</script><a href=\"javascript:alert(1)\">رابط</a>\
                     <img src=\"https://e.example/a.jpg\" onerror=\"x()\" alt=\"صورة\"><iframe src=\"https://e.example\"></iframe>";
        let clean = sanitize_article_html(dirty);
        assert!(clean.contains("<p dir=\"auto\">نصّ <b>عريض</b></p>"), "{clean}");
        assert!(!clean.contains("script") && !clean.contains("onclick") && !clean.contains("onerror"));
        assert!(!clean.contains("javascript:") && !clean.contains("iframe") && !clean.contains("style="));
        assert!(clean.contains("<img src=\"https://e.example/a.jpg\" alt=\"صورة\">"), "{clean}");
    }

    #[test]
    fn links_get_a_safe_rel_and_relative_urls_pass() {
        let clean = sanitize_article_html("<a href=\"/news/1/x\">داخلي</a>");
        assert!(clean.contains("href=\"/news/1/x\""));
        assert!(clean.contains("rel=\"noopener noreferrer\""));
    }
}
