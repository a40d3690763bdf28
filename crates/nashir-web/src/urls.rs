//! The site's URL scheme in one place: paths for articles, categories, tags and authors,
//! percent-encoded so they are valid in `Location` headers, feeds and HTML alike.

/// The newsroom's URL scheme (here at the bottom, so a public page or a mail can link into
/// the newsroom without depending on it).
pub(crate) mod newsroom;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Everything outside the unreserved set of RFC 3986 is escaped inside one segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'<').add(b'>').add(b'?')
    .add(b'[').add(b'\\').add(b']').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}')
    .add(b'&').add(b'+').add(b'=').add(b';').add(b':').add(b'@').add(b'$').add(b',')
    .add(b'!').add(b'\'').add(b'(').add(b')').add(b'*');

pub(crate) fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

pub(crate) fn article(id: i64, slug: &str) -> String {
    if slug.is_empty() { format!("/news/{id}") } else { format!("/news/{id}/{}", segment(slug)) }
}

/// Where the comment form of an article posts.
pub(crate) fn article_comments(id: i64) -> String {
    format!("/news/{id}/comments")
}

/// A page of an article's comments: page 1 is the article itself.
pub(crate) fn article_comment_page(id: i64, slug: &str, page: u32) -> String {
    let url = article(id, slug);
    if page <= 1 { url } else { format!("{url}?cpage={page}") }
}

/// `slug_path` is the category's slugs joined by `/` (see `CategoryTree::slug_path`).
pub(crate) fn category(slug_path: &str) -> String {
    let encoded: Vec<String> = slug_path.split('/').map(segment).collect();
    format!("/category/{}/", encoded.join("/"))
}

pub(crate) fn tag(slug: &str) -> String {
    format!("/tag/{}/", segment(slug))
}

pub(crate) fn author(slug: &str) -> String {
    format!("/author/{}/", segment(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_paths_are_percent_encoded() {
        assert_eq!(article(7, "عاجل"), "/news/7/%D8%B9%D8%A7%D8%AC%D9%84");
        assert_eq!(article(7, ""), "/news/7");
        assert_eq!(category("a/b"), "/category/a/b/");
        assert_eq!(tag("a b?"), "/tag/a%20b%3F/");
    }
}
