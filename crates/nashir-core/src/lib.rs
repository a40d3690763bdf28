//! Nashir's domain: the newsroom's nouns (articles, categories, tags, people, comments,
//! breaking items) and the rules that need no I/O. Other crates store, render and serve them.
//!
//! ```
//! use nashir_core::{PublishState, Role};
//! assert_eq!("published".parse::<PublishState>().ok(), Some(PublishState::Published));
//! assert!(Role::Editor.at_least(Role::Author));
//! ```

pub mod accounts;
mod category;
pub mod comments;
pub mod editorial;
mod model;
pub mod permissions;
pub mod sanitize;
mod states;

pub use category::{CategoryTree, is_reserved_slug, RESERVED_SLUGS};
pub use model::{Photo, 
    Article, ArticleSummary, BreakingItem, Category, Comment, CommentThread, NewArticle, NewComment, Person, Tag,
};
pub use sanitize::sanitize_article_html;
pub use states::{CommentStatus, ParseStateError, PublishState, Role};
pub use accounts::valid_email;

/// Appends `text` to `out` with the five HTML-significant characters escaped, so it is
/// safe inside element content and quoted attributes. `/` is left alone (URLs stay readable).
pub fn escape_html_into(text: &str, out: &mut String) {
    // Whole runs without a special character are copied at once: most text has none, and
    // templates escape every value they print.
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        // The five characters are ASCII, so `i` is always a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_html_into(text, &mut out);
    out
}

/// One page of a paginated list: which page, how big, and how many there are in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Page {
    pub number: u32,
    pub size: u32,
    pub total_items: u64,
}

impl Page {
    /// Page numbers start at 1; anything smaller is treated as the first page.
    pub fn new(number: u32, size: u32, total_items: u64) -> Self {
        Self { number: number.max(1), size: size.max(1), total_items }
    }
    pub fn total_pages(&self) -> u32 {
        let pages = self.total_items.div_ceil(u64::from(self.size));
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }
    pub fn offset(&self) -> u64 {
        u64::from(self.number - 1) * u64::from(self.size)
    }
    pub fn has_next(&self) -> bool {
        self.number < self.total_pages()
    }
    pub fn has_prev(&self) -> bool {
        self.number > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_the_five_characters() {
        assert_eq!(escape_html("<a href='/x'>\"&\"</a>"), "&lt;a href=&#x27;/x&#x27;&gt;&quot;&amp;&quot;&lt;/a&gt;");
        assert_eq!(escape_html("صحة & تعليم <مقابلة>"), "صحة &amp; تعليم &lt;مقابلة&gt;");
        assert_eq!(escape_html("بلا شيء خاص"), "بلا شيء خاص");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
    }

    #[test]
    fn pages_count_up_and_never_drop_to_zero() {
        assert_eq!(Page::new(1, 10, 0).total_pages(), 1);
        assert_eq!(Page::new(1, 10, 10).total_pages(), 1);
        assert_eq!(Page::new(1, 10, 11).total_pages(), 2);
        let p = Page::new(2, 10, 11);
        assert_eq!(p.offset(), 10);
        assert!(p.has_prev() && !p.has_next());
        assert_eq!(Page::new(0, 10, 5).number, 1);
    }
}
