//! Turning imported text into article HTML: WordPress post content, plain-text bodies,
//! comment text. Owns the order of the steps; each step lives in its own module.

mod autop;
mod markers;
mod shortcode;

pub use shortcode::{Gallery, gallery_token};

use std::collections::BTreeMap;

use nashir_arabic::strip_html;
use nashir_core::escape_html_into;
use scraper::{ElementRef, Html, Node};

use nashir_core::sanitize_article_html;

/// What converting one post changed, for the import report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversionReport {
    /// Shortcodes removed, by name (`gallery`, `contact-form-7`…). `[caption]` is not here:
    /// it is converted, see `captions`.
    pub shortcodes_removed: BTreeMap<String, usize>,
    /// `[caption]` shortcodes turned into `<figure>`.
    pub captions: usize,
    /// `[gallery]` shortcodes: each left a token paragraph (see [`ConvertedContent::galleries`]).
    pub galleries: usize,
    /// `<!--nextpage-->` markers; the pages are joined with `<hr class="page-break">`.
    pub next_pages: usize,
    /// The post had a `<!--more-->` marker.
    pub had_more: bool,
    /// Self-closing block-editor blocks (`<!-- wp:latest-posts /-->`): WordPress renders
    /// them on each request, so there is no HTML to import.
    pub dynamic_blocks: BTreeMap<String, usize>,
    /// Elements dropped with their content (`script`, `iframe`, `video`…); a media
    /// player or embedded page leaves a link to its `http(s)` source in their place.
    pub elements_dropped: BTreeMap<String, usize>,
}

impl ConversionReport {
    /// Whether anything was lost or changed beyond the paragraph rules.
    pub fn is_lossless(&self) -> bool {
        self.shortcodes_removed.is_empty()
            && self.dynamic_blocks.is_empty()
            && self.elements_dropped.is_empty()
    }
}

/// A WordPress post body converted to Nashir article HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConvertedContent {
    /// Sanitized HTML (see [`sanitize_article_html`]).
    pub html: String,
    /// Plain text before `<!--more-->`, when the post had the marker.
    pub teaser: Option<String>,
    /// `src` of each `<img>` in the content, first occurrence order, without duplicates.
    pub image_urls: Vec<String>,
    /// The `[gallery]`s, in order: the i-th left the paragraph `<p>{gallery_token(i)}</p>`
    /// for the importer to replace once it knows the attachments.
    pub galleries: Vec<Gallery>,
    pub report: ConversionReport,
}

/// Converts WordPress post content (`content:encoded`) the way WordPress displays it, then
/// sanitizes it:
///
/// 1. `<!--more-->` is removed; the text before it is returned as the teaser.
/// 2. The content is split into pages at `<!--nextpage-->`.
/// 3. Block-editor delimiters `<!-- wp:… -->` are removed (posts written with blocks
///    already have their paragraphs, so step 5 does not add any).
/// 4. `[caption]` becomes `<figure>…<figcaption>`; other shortcodes are removed
///    (an enclosing one keeps its inner text; `[embed]`, `[audio]`, `[video]` leave a link).
/// 5. Paragraph rules like `wpautop`: a blank line separates paragraphs, a single newline
///    is a `<br>`, block elements (lists, tables, quotes, figures, headings, `pre`) are
///    never wrapped in `<p>`.
/// 6. Pages are joined with `<hr class="page-break">` and the whole is sanitized.
///
/// ```
/// use nashir_import::convert_wordpress_content;
/// use nashir_import::gallery_token;
/// let c = convert_wordpress_content("مقدمة<!--more-->\nسطر\nثان\n\n[gallery ids=\"1,2\"]\n\nفقرة [playlist]");
/// let token = gallery_token(0);
/// assert_eq!(c.html, format!("<p>مقدمة<br>\nسطر<br>\nثان</p>\n<p>{token}</p>\n<p>فقرة</p>\n"));
/// assert_eq!(c.teaser.as_deref(), Some("مقدمة"));
/// assert_eq!(c.galleries[0].ids, [1, 2]);
/// assert_eq!(c.report.shortcodes_removed["playlist"], 1);
/// ```
pub fn convert_wordpress_content(raw: &str) -> ConvertedContent {
    let normalized = normalize_newlines(raw);
    let split = markers::split_more(&normalized);
    let blocks = markers::has_blocks(&split.content);
    let mut report = ConversionReport {
        had_more: split.teaser.is_some(),
        ..ConversionReport::default()
    };
    let mut images = Vec::new();
    let mut galleries = Vec::new();
    let pages = markers::split_pages(&split.content);
    report.next_pages = pages.len() - 1;
    let mut html = String::with_capacity(split.content.len() + 64);
    for page in pages {
        let page = if blocks {
            markers::strip_block_comments(page, &mut report.dynamic_blocks)
        } else {
            page.to_owned()
        };
        let mut counts = shortcode::ShortcodeCounts { first_gallery: galleries.len(), ..Default::default() };
        let page = shortcode::process(&page, &mut counts);
        merge(&mut report.shortcodes_removed, counts.removed);
        report.captions += counts.captions;
        report.galleries += counts.galleries.len();
        galleries.extend(counts.galleries);
        let mut autop = autop::Autop {
            wpautop: !blocks,
            images: &mut images,
            dropped: &mut report.elements_dropped,
        };
        let rendered = autop.render(&page);
        // A page that renders to nothing (only a gallery, say) leaves no break behind.
        if rendered.trim().is_empty() {
            continue;
        }
        if !html.is_empty() {
            html.push_str("<hr class=\"page-break\">\n");
        }
        html.push_str(&rendered);
    }
    // Elements emptied by the allow-list (a figure that held a video) go too.
    let clean = sanitize_article_html(&html)
        .replace("<p></p>", "")
        .replace("<figure></figure>", "");
    let html = collapse_blank_lines(&clean);
    let teaser = split
        .teaser
        .map(|t| teaser_text(&t))
        .filter(|t| !t.is_empty());
    ConvertedContent {
        html,
        teaser,
        image_urls: dedupe(images),
        galleries,
        report,
    }
}

/// Plain text of a teaser or an excerpt written in HTML: shortcodes and block delimiters
/// removed, tags stripped, entities decoded, whitespace collapsed.
pub(crate) fn teaser_text(html: &str) -> String {
    let mut ignored = shortcode::ShortcodeCounts::default();
    strip_html(&shortcode::process(html, &mut ignored))
}

/// A plain-text body (paragraphs separated by newlines, as in the JSON Lines corpus) as
/// HTML: each non-empty line is a `<p>`, text escaped.
///
/// ```
/// assert_eq!(nashir_import::plain_text_to_html("سطر أول\n\n a < b \n"), "<p>سطر أول</p>\n<p>a &lt; b</p>");
/// ```
pub fn plain_text_to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + text.len() / 16 + 8);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !html.is_empty() {
            html.push('\n');
        }
        html.push_str("<p>");
        escape_html_into(line, &mut html);
        html.push_str("</p>");
    }
    html
}

/// A comment's text without markup: tags stripped, entities decoded, `<br>` and paragraph
/// ends kept as line breaks (comments are stored and shown as plain text).
///
/// ```
/// assert_eq!(nashir_import::comment_plain_text("مرحبا<br />سطر &amp; <b>آخر</b><p>فقرة</p>"), "مرحبا\nسطر & آخر\n\nفقرة");
/// ```
pub fn comment_plain_text(html: &str) -> String {
    let document = Html::parse_fragment(&normalize_newlines(html));
    let mut text = String::with_capacity(html.len());
    comment_text_into(document.root_element(), &mut text);
    tidy_lines(&text)
}

fn comment_text_into(parent: ElementRef<'_>, out: &mut String) {
    for child in parent.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if matches!(
                    name,
                    "script" | "style" | "iframe" | "noscript" | "template" | "object"
                ) {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                let block = matches!(
                    name,
                    "p" | "div"
                        | "blockquote"
                        | "li"
                        | "ul"
                        | "ol"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "pre"
                        | "table"
                        | "tr"
                );
                if block {
                    out.push_str("\n\n");
                }
                if let Some(child) = ElementRef::wrap(child) {
                    comment_text_into(child, out);
                }
                if block {
                    out.push_str("\n\n");
                }
            }
            _ => {}
        }
    }
}

/// Collapses spaces inside lines, trims each line, keeps at most one blank line in a row.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&line);
    }
    out
}

/// Removes the empty lines unwrapped elements (`div`s of block layouts) leave behind,
/// except inside `<pre>`, where every line is content. Works on sanitized HTML, whose tags
/// are lower-case and whose text never contains a raw `<`.
fn collapse_blank_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let (outside, pre) = match rest.find("<pre") {
            Some(start) => {
                let end = rest[start..]
                    .find("</pre>")
                    .map_or(rest.len(), |e| start + e + "</pre>".len());
                (&rest[..start], Some(&rest[start..end]))
            }
            None => (rest, None),
        };
        for line in outside.split_inclusive('\n') {
            if line != "\n" || !(out.is_empty() || out.ends_with('\n')) {
                out.push_str(line);
            }
        }
        match pre {
            Some(pre) => {
                out.push_str(pre);
                rest = &rest[outside.len() + pre.len()..];
            }
            None => return out,
        }
    }
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

fn merge(into: &mut BTreeMap<String, usize>, from: BTreeMap<String, usize>) {
    for (k, v) in from {
        *into.entry(k).or_default() += v;
    }
}

fn dedupe(urls: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    urls.into_iter()
        .filter(|u| seen.insert(u.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_joined_with_a_visible_break_and_counted() {
        let c = convert_wordpress_content(
            "Post Page 1\n\n<!--nextpage-->\n\nPost Page 2\n\n<!--nextpage-->\n\nPost Page 3",
        );
        assert_eq!(
            c.html,
            "<p>Post Page 1</p>\n<hr class=\"page-break\">\n<p>Post Page 2</p>\n<hr class=\"page-break\">\n<p>Post Page 3</p>\n"
        );
        assert_eq!(c.report.next_pages, 2);
    }

    #[test]
    fn block_posts_lose_their_delimiters_not_their_html() {
        let c = convert_wordpress_content(
            "<!-- wp:paragraph -->\n<p>نص</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:latest-posts /-->\n<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">عنوان</h2>\n<!-- /wp:heading -->",
        );
        assert_eq!(c.html, "<p>نص</p>\n<h2>عنوان</h2>\n");
        assert_eq!(c.teaser.as_deref(), Some("نص"));
        assert_eq!(c.report.dynamic_blocks.get("latest-posts"), Some(&1));
        assert!(!c.html.contains("wp:"));
    }

    #[test]
    fn caption_and_scripts_in_one_post() {
        let c = convert_wordpress_content(
            "[caption id=\"a\" width=\"300\"]<img src=\"https://e.example/a.jpg\" onerror=\"x()\"> صورة[/caption]\n\nنص<script>alert(1)</script>",
        );
        assert_eq!(
            c.html,
            "<figure><img src=\"https://e.example/a.jpg\"><figcaption>صورة</figcaption>\n</figure>\n<p>نص</p>\n"
        );
        assert_eq!(c.image_urls, ["https://e.example/a.jpg"]);
        assert_eq!(c.report.captions, 1);
        assert_eq!(c.report.elements_dropped.get("script"), Some(&1));
    }

    #[test]
    fn empty_pages_leave_no_break_and_empty_lines_go_except_in_pre() {
        let c = convert_wordpress_content("[playlist]\n\n<!--nextpage-->\n\nنص");
        assert_eq!(c.html, "<p>نص</p>\n");
        assert_eq!(c.report.next_pages, 1);
        assert_eq!(
            collapse_blank_lines("\n<p>a</p>\n\n\n<pre>x\n\ny</pre>\n\n<p>b</p>\n"),
            "<p>a</p>\n<pre>x\n\ny</pre>\n<p>b</p>\n"
        );
        let c = convert_wordpress_content(
            "<!-- wp:group -->\n<div class=\"g\">\n<div>\n<p>a</p>\n</div>\n</div>\n<!-- /wp:group -->\n\n<!-- wp:paragraph -->\n<p>b</p>\n<!-- /wp:paragraph -->",
        );
        assert_eq!(c.html, "<p>a</p>\n<p>b</p>\n");
    }

    #[test]
    fn a_gallery_is_a_paragraph_of_its_own_on_every_page() {
        let c = convert_wordpress_content("قبل [gallery ids=\"4\"] بعد<!--nextpage-->[gallery]");
        let (t0, t1) = (gallery_token(0), gallery_token(1));
        assert_eq!(
            c.html,
            format!("<p>قبل</p>\n<p>{t0}</p>\n<p>بعد</p>\n<hr class=\"page-break\">\n<p>{t1}</p>\n")
        );
        assert_eq!(c.galleries.len(), 2);
        assert_eq!(c.report.galleries, 2);
        assert!(c.report.is_lossless());
    }

    #[test]
    fn windows_newlines_are_newlines() {
        assert_eq!(
            convert_wordpress_content("a\r\n\r\nb").html,
            "<p>a</p>\n<p>b</p>\n"
        );
    }

    #[test]
    fn empty_content_is_empty() {
        assert_eq!(convert_wordpress_content("").html, "");
        assert_eq!(convert_wordpress_content("  \n\n ").html, "");
    }

    #[test]
    fn plain_text_paragraphs_are_escaped() {
        assert_eq!(
            plain_text_to_html("<b>\n\u{a0}\nنص"),
            "<p>&lt;b&gt;</p>\n<p>نص</p>"
        );
    }

    #[test]
    fn comment_text_keeps_line_breaks() {
        assert_eq!(
            comment_plain_text(
                "Hi, this is a comment.<br />To delete a comment, view the post&#039;s comments."
            ),
            "Hi, this is a comment.\nTo delete a comment, view the post's comments."
        );
        assert_eq!(
            comment_plain_text("سطر\nسطر ثان\n\n\n\nفقرة <script>x</script>"),
            "سطر\nسطر ثان\n\nفقرة"
        );
    }
}
