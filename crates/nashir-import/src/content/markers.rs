//! WordPress's comment markers inside post content: `<!--more-->`, `<!--nextpage-->` and
//! the block editor's `<!-- wp:… -->` delimiters. Owns finding and removing them.

use std::collections::BTreeMap;

/// Content split at the first `<!--more-->` (or `<!--more custom text-->`).
pub(crate) struct MoreSplit {
    /// The content with the marker (and any `<!--noteaser-->`) removed.
    pub content: String,
    /// What came before the marker, when there was one.
    pub teaser: Option<String>,
}

pub(crate) fn split_more(content: &str) -> MoreSplit {
    let content = content.replace("<!--noteaser-->", "");
    let Some(start) = content.find("<!--more") else {
        return MoreSplit {
            content,
            teaser: None,
        };
    };
    let Some(len) = content[start..].find("-->") else {
        return MoreSplit {
            content,
            teaser: None,
        };
    };
    let end = start + len + 3;
    let teaser = content[..start].to_owned();
    let mut rest = String::with_capacity(content.len());
    rest.push_str(&content[..start]);
    rest.push_str(&content[end..]);
    MoreSplit {
        content: rest,
        teaser: Some(teaser),
    }
}

/// Splits content into the pages `<!--nextpage-->` separates.
pub(crate) fn split_pages(content: &str) -> Vec<&str> {
    content.split("<!--nextpage-->").collect()
}

/// Whether the post was written in the block editor. WordPress skips `wpautop` for such
/// posts, and so do we.
pub(crate) fn has_blocks(content: &str) -> bool {
    content.contains("<!-- wp:")
}

/// Removes `<!-- wp:name {…} -->`, `<!-- /wp:name -->` and self-closing
/// `<!-- wp:name {…} /-->` delimiters. A self-closing block has no stored HTML: WordPress
/// renders it at request time (latest posts, search, archives…), so nothing of it can be
/// imported; each is counted by name in `dynamic`.
pub(crate) fn strip_block_comments(content: &str, dynamic: &mut BTreeMap<String, usize>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(i) = rest.find("<!--") {
        let after = &rest[i + 4..];
        let body = after.trim_start();
        let is_block = body.starts_with("wp:") || body.starts_with("/wp:");
        let end = if is_block { after.find("-->") } else { None };
        let Some(end) = end else {
            out.push_str(&rest[..i + 4]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..i]);
        let inner = after[..end].trim_end();
        if let Some(self_closing) = inner.strip_suffix('/') {
            let name = self_closing
                .trim_start()
                .trim_start_matches("wp:")
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            if !name.is_empty() {
                *dynamic.entry(name.to_owned()).or_default() += 1;
            }
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_splits_teaser_and_removes_marker() {
        let s = split_more("مقدمة<!--more-->بقية<!--more-->");
        assert_eq!(s.teaser.as_deref(), Some("مقدمة"));
        assert_eq!(s.content, "مقدمةبقية<!--more-->");
        let s = split_more("a <!--more Read on--> b<!--noteaser-->");
        assert_eq!(s.teaser.as_deref(), Some("a "));
        assert_eq!(s.content, "a  b");
        assert!(split_more("none").teaser.is_none());
    }

    #[test]
    fn pages_split_at_nextpage() {
        assert_eq!(
            split_pages("1<!--nextpage-->2<!--nextpage-->3"),
            ["1", "2", "3"]
        );
        assert_eq!(split_pages("one"), ["one"]);
    }

    #[test]
    fn block_delimiters_go_and_dynamic_blocks_are_counted() {
        let mut dynamic = BTreeMap::new();
        let html = "<!-- wp:paragraph {\"align\":\"right\"} -->\n<p>نص</p>\n<!-- /wp:paragraph -->\n\
                    <!-- wp:latest-posts {\"postsToShow\":3} /--><!-- wp:search /--><!-- ordinary --><!-- wp:search /-->";
        let out = strip_block_comments(html, &mut dynamic);
        assert_eq!(out, "\n<p>نص</p>\n\n<!-- ordinary -->");
        assert_eq!(dynamic.get("latest-posts"), Some(&1));
        assert_eq!(dynamic.get("search"), Some(&2));
        assert!(has_blocks(html));
        assert!(!has_blocks("<p>x</p><!-- x -->"));
    }
}
