//! WordPress paragraph rules (`wpautop`) applied to a parsed HTML tree.
//! Owns which elements are blocks, where `<p>` and `<br>` go, and what is dropped (scripts).
//!
//! WordPress does this with regular expressions over the text; working on the tree parsed
//! by html5ever gives the same paragraphs for well-formed posts and valid HTML for the
//! broken ones (unclosed `<p>`, stray `</div>`) that exports are full of.

use std::collections::BTreeMap;

use nashir_core::escape_html_into;
use scraper::{ElementRef, Html, Node};

/// How an element's content is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Holds paragraphs: loose text and inline elements are wrapped in `<p>`.
    Flow,
    /// Like `Flow` when its text has a blank line, like `Phrasing` otherwise
    /// (`<li>one line</li>` stays unwrapped, as in WordPress).
    LazyFlow,
    /// A block that holds a line of text: newlines become `<br>`, no `<p>` inside.
    Phrasing,
    /// Holds only other elements (`ul`, `table`…): whitespace between them is dropped.
    Container,
    /// Text shown as written (`pre`).
    Raw,
    /// An inline element.
    Inline,
    /// An element without content (`img`, `br`, `hr`).
    Void,
    /// Removed with its content: scripts, embedded documents, media players, form fields.
    Dropped,
}

fn kind(name: &str) -> Kind {
    match name {
        "html" | "body" | "blockquote" | "div" | "section" | "article" | "aside" | "header"
        | "footer" | "nav" | "main" | "details" | "form" | "fieldset" | "address" | "center"
        | "dialog" => Kind::Flow,
        // Not on the allow-list: their tags go, so their text must already be in `<p>`s.
        "dt" | "dd" | "summary" | "legend" => Kind::Flow,
        "li" | "td" | "th" | "figcaption" | "caption" => Kind::LazyFlow,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Phrasing,
        "ul" | "ol" | "dl" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "colgroup"
        | "figure" | "hgroup" | "menu" | "picture" | "map" | "optgroup" | "datalist" => {
            Kind::Container
        }
        "pre" | "listing" | "xmp" | "plaintext" => Kind::Raw,
        "br" | "img" | "hr" | "wbr" | "area" | "col" | "source" | "track" | "param" => Kind::Void,
        "script" | "style" | "noscript" | "template" | "iframe" | "frame" | "frameset"
        | "object" | "embed" | "applet" | "video" | "audio" | "canvas" | "svg" | "math"
        | "input" | "select" | "textarea" | "noembed" | "noframes" | "title" | "head" | "link"
        | "meta" | "base" => Kind::Dropped,
        _ => Kind::Inline,
    }
}

fn is_block(name: &str, kind: Kind) -> bool {
    !matches!(kind, Kind::Inline | Kind::Void | Kind::Dropped) || name == "hr"
}

/// Renders an HTML fragment with WordPress's paragraph rules.
pub(crate) struct Autop<'a> {
    /// `false` for block-editor posts: their HTML already has its paragraphs, and newlines
    /// in it are plain whitespace (WordPress does not run `wpautop` on them either).
    pub wpautop: bool,
    /// `src` of every `<img>`, in document order.
    pub images: &'a mut Vec<String>,
    /// Elements dropped with their content, by name.
    pub dropped: &'a mut BTreeMap<String, usize>,
}

impl Autop<'_> {
    pub(crate) fn render(&mut self, fragment: &str) -> String {
        let document = Html::parse_fragment(fragment);
        let mut out = String::with_capacity(fragment.len() + fragment.len() / 8 + 16);
        self.flow(document.root_element(), &mut out);
        out
    }

    fn flow(&mut self, parent: ElementRef<'_>, out: &mut String) {
        let mut para = String::new();
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => {
                    for (i, piece) in split_blank_lines(text).into_iter().enumerate() {
                        if i > 0 {
                            flush(&mut para, out);
                        }
                        self.text(piece, &mut para);
                    }
                }
                Node::Element(element) => {
                    let name = element.name();
                    let kind = kind(name);
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if kind == Kind::Dropped {
                        self.drop(child, &mut para);
                    } else if is_block(name, kind) {
                        flush(&mut para, out);
                        self.block(child, out);
                    } else if name == "br" && self.wpautop && ends_with_br(&para) {
                        // Two line breaks in a row are a paragraph break (WordPress turns
                        // `<br><br>` into a blank line before making paragraphs).
                        let kept = para.trim_end().len() - "<br>".len();
                        para.truncate(kept);
                        flush(&mut para, out);
                    } else {
                        self.inline(child, &mut para);
                    }
                }
                _ => {}
            }
        }
        flush(&mut para, out);
    }

    fn block(&mut self, element: ElementRef<'_>, out: &mut String) {
        let name = element.value().name();
        let kind = kind(name);
        open_tag(element, out);
        match kind {
            Kind::Void => {
                out.push('\n');
                return;
            }
            Kind::Flow => {
                out.push('\n');
                self.flow(element, out);
            }
            Kind::LazyFlow if has_blank_line(element) => {
                out.push('\n');
                self.flow(element, out);
            }
            Kind::LazyFlow | Kind::Phrasing => {
                let mut line = String::new();
                self.phrasing(element, &mut line);
                out.push_str(trim_breaks(&line));
            }
            Kind::Container => self.container(element, out),
            Kind::Raw => self.raw(element, out),
            Kind::Inline | Kind::Dropped => self.phrasing(element, out),
        }
        close_tag(name, out);
        out.push('\n');
    }

    fn container(&mut self, parent: ElementRef<'_>, out: &mut String) {
        for child in parent.children() {
            match child.value() {
                Node::Text(text) if !text.trim().is_empty() => self.text(text, out),
                Node::Element(element) => {
                    let name = element.name();
                    let kind = kind(name);
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if kind == Kind::Dropped {
                        self.drop(child, out);
                    } else if is_block(name, kind) {
                        self.block(child, out);
                    } else {
                        self.inline(child, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn phrasing(&mut self, parent: ElementRef<'_>, out: &mut String) {
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => self.text(text, out),
                Node::Element(element) => {
                    let name = element.name();
                    let kind = kind(name);
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if kind == Kind::Dropped {
                        self.drop(child, out);
                    } else if is_block(name, kind) {
                        // A line break right before a block (`<li>item<br><ul>`) is
                        // redundant; WordPress removes it too.
                        if ends_with_br(out) {
                            let kept = out.trim_end().len() - "<br>".len();
                            out.truncate(kept);
                            out.push('\n');
                        }
                        self.block(child, out);
                    } else {
                        self.inline(child, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn inline(&mut self, element: ElementRef<'_>, out: &mut String) {
        let name = element.value().name();
        if name == "img" {
            self.image(element);
        }
        open_tag(element, out);
        if kind(name) != Kind::Void {
            self.phrasing(element, out);
            close_tag(name, out);
        }
    }

    /// `pre` content: text as written, elements kept, nothing added.
    fn raw(&mut self, parent: ElementRef<'_>, out: &mut String) {
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => escape_html_into(text, out),
                Node::Element(element) => {
                    let name = element.name();
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if kind(name) == Kind::Dropped {
                        self.count_dropped(name);
                        continue;
                    }
                    if name == "img" {
                        self.image(child);
                    }
                    open_tag(child, out);
                    if kind(name) != Kind::Void {
                        self.raw(child, out);
                        close_tag(name, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// Appends text; with `wpautop`, a newline becomes `<br>` unless it follows one.
    fn text(&mut self, text: &str, out: &mut String) {
        if !self.wpautop {
            escape_html_into(text, out);
            return;
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                if ends_with_br(out) || out.trim().is_empty() || ends_with_block_tag(out) {
                    out.push('\n');
                } else {
                    out.push_str("<br>\n");
                }
            }
            escape_html_into(line, out);
        }
    }

    fn image(&mut self, element: ElementRef<'_>) {
        if let Some(src) = element
            .value()
            .attr("src")
            .map(str::trim)
            .filter(|s| is_fetchable(s))
        {
            self.images.push(src.to_owned());
        }
    }

    /// Drops an element with its content. A media player or embedded page leaves a link
    /// to what it showed, so the article still points at the audio, video or post.
    fn drop(&mut self, element: ElementRef<'_>, out: &mut String) {
        let name = element.value().name();
        self.count_dropped(name);
        if !matches!(name, "audio" | "video" | "iframe" | "embed" | "object") {
            return;
        }
        let own = ["src", "data"]
            .into_iter()
            .filter_map(|a| element.value().attr(a));
        let sources = element
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "source")
            .filter_map(|e| e.value().attr("src"));
        let is_web = |u: &&str| {
            let lower = u.trim().to_ascii_lowercase();
            lower.starts_with("http://") || lower.starts_with("https://")
        };
        if let Some(url) = own.chain(sources).find(is_web) {
            let url = url.trim();
            out.push_str("<a href=\"");
            escape_html_into(url, out);
            out.push_str("\">");
            escape_html_into(url, out);
            out.push_str("</a>");
        }
    }

    fn count_dropped(&mut self, name: &str) {
        *self.dropped.entry(name.to_owned()).or_default() += 1;
    }
}

/// An image URL worth reporting: `http(s)`, protocol-relative or relative; not `data:` or
/// `javascript:`.
fn is_fetchable(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return true;
    }
    let scheme_end = lower.find(':');
    !src.is_empty() && scheme_end.is_none_or(|colon| lower[..colon].contains(['/', '?', '#']))
}

fn open_tag(element: ElementRef<'_>, out: &mut String) {
    let element = element.value();
    out.push('<');
    out.push_str(element.name());
    for (name, value) in element.attrs() {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_html_into(value, out);
        out.push('"');
    }
    out.push('>');
}

fn close_tag(name: &str, out: &mut String) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn flush(para: &mut String, out: &mut String) {
    let text = trim_breaks(para);
    if !text.is_empty() {
        out.push_str("<p>");
        out.push_str(text);
        out.push_str("</p>\n");
    }
    para.clear();
}

/// Trims whitespace and `<br>`s from both ends: a line break never starts or ends a block.
fn trim_breaks(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s.len();
        s = s.strip_prefix("<br>").unwrap_or(s).trim_start();
        s = s.strip_suffix("<br>").unwrap_or(s).trim_end();
        if s.len() == before {
            return s;
        }
    }
}

fn ends_with_br(s: &str) -> bool {
    s.trim_end().ends_with("<br>")
}

/// Whether the last thing written is a block's tag: a newline after it is not a line
/// break (`</ul>\n` inside a list item).
fn ends_with_block_tag(s: &str) -> bool {
    let s = s.trim_end();
    if !s.ends_with('>') {
        return false;
    }
    // Text is escaped, so the last `<` starts the last tag.
    let Some(start) = s.rfind('<') else {
        return false;
    };
    let name: String = s[start + 1..]
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    is_block(&name, kind(&name))
}

/// Splits text at blank lines (a newline, optional spaces or tabs, another newline).
fn split_blank_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                pieces.push(&text[start..i]);
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    pieces.push(&text[start..]);
    pieces
}

fn has_blank_line(element: ElementRef<'_>) -> bool {
    element.children().any(|child| match child.value() {
        Node::Text(text) => split_blank_lines(text.trim()).len() > 1,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn autop(html: &str) -> String {
        let (mut images, mut dropped) = (Vec::new(), BTreeMap::new());
        Autop {
            wpautop: true,
            images: &mut images,
            dropped: &mut dropped,
        }
        .render(html)
    }

    fn blocks(html: &str) -> String {
        let (mut images, mut dropped) = (Vec::new(), BTreeMap::new());
        Autop {
            wpautop: false,
            images: &mut images,
            dropped: &mut dropped,
        }
        .render(html)
    }

    #[test]
    fn blank_lines_make_paragraphs_and_single_newlines_breaks() {
        assert_eq!(
            autop("السطر الأول\nالسطر الثاني\n\nفقرة ثانية\n \n\nثالثة"),
            "<p>السطر الأول<br>\nالسطر الثاني</p>\n<p>فقرة ثانية</p>\n<p>ثالثة</p>\n"
        );
    }

    #[test]
    fn block_elements_are_not_wrapped() {
        assert_eq!(
            autop("مقدمة\n<ul>\n\t<li>واحد</li>\n\t<li>اثنان</li>\n</ul>\nخاتمة"),
            "<p>مقدمة</p>\n<ul><li>واحد</li>\n<li>اثنان</li>\n</ul>\n<p>خاتمة</p>\n"
        );
        assert_eq!(
            autop(
                "<h2>عنوان</h2>\nنص\n<blockquote>اقتباس</blockquote>\n<table><tr><td>خلية\nسطر</td></tr></table>"
            ),
            "<h2>عنوان</h2>\n<p>نص</p>\n<blockquote>\n<p>اقتباس</p>\n</blockquote>\n\
             <table><tbody><tr><td>خلية<br>\nسطر</td>\n</tr>\n</tbody>\n</table>\n"
        );
    }

    #[test]
    fn figures_and_pre_are_left_alone() {
        assert_eq!(
            autop("<figure>\n<img src=\"/a.jpg\">\n<figcaption>تعليق</figcaption>\n</figure>"),
            "<figure><img src=\"/a.jpg\"><figcaption>تعليق</figcaption>\n</figure>\n"
        );
        assert_eq!(
            autop("<pre>a\n\n  b &lt;</pre>"),
            "<pre>a\n\n  b &lt;</pre>\n"
        );
    }

    #[test]
    fn double_br_is_a_paragraph_break_and_br_newline_is_one_break() {
        assert_eq!(autop("a<br><br>b"), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(autop("a<br />\nb"), "<p>a<br>\nb</p>\n");
    }

    #[test]
    fn inline_markup_stays_in_the_paragraph() {
        assert_eq!(
            autop("<strong>عاجل:</strong> نص <a href=\"/x\">رابط</a>\n\n<img src=\"/i.jpg\">"),
            "<p><strong>عاجل:</strong> نص <a href=\"/x\">رابط</a></p>\n<p><img src=\"/i.jpg\"></p>\n"
        );
    }

    #[test]
    fn broken_html_is_repaired() {
        assert_eq!(autop("<p>one<p>two</div>"), "<p>one</p>\n<p>two</p>\n");
    }

    #[test]
    fn scripts_and_iframes_are_dropped_and_counted() {
        let (mut images, mut dropped) = (Vec::new(), BTreeMap::new());
        let out = Autop { wpautop: true, images: &mut images, dropped: &mut dropped }
            .render("a<script>x()</script>\n\n<iframe src=\"https://v.example\"></iframe>\n\nb<img src=\"data:x\"><img src=\"https://e.example/i.png\">");
        assert_eq!(
            out,
            "<p>a</p>\n<p><a href=\"https://v.example\">https://v.example</a></p>\n\
             <p>b<img src=\"data:x\"><img src=\"https://e.example/i.png\"></p>\n"
        );
        assert_eq!(dropped.get("script"), Some(&1));
        assert_eq!(dropped.get("iframe"), Some(&1));
        assert_eq!(images, ["https://e.example/i.png"]);
    }

    #[test]
    fn media_players_leave_a_link() {
        assert_eq!(
            autop(
                "<figure><video controls><source src=\"https://e.example/v.mp4\"></video><figcaption>فيديو</figcaption></figure>"
            ),
            "<figure><a href=\"https://e.example/v.mp4\">https://e.example/v.mp4</a><figcaption>فيديو</figcaption>\n</figure>\n"
        );
        assert_eq!(
            autop("<audio src=\"javascript:x\"></audio>نص"),
            "<p>نص</p>\n"
        );
    }

    #[test]
    fn no_line_break_around_a_nested_block() {
        assert_eq!(
            autop("<ol>\n<li>أ\n<ul>\n<li>ب</li>\n</ul>\n</li>\n</ol>"),
            "<ol><li>أ\n<ul><li>ب</li>\n</ul></li>\n</ol>\n"
        );
    }

    #[test]
    fn list_items_with_blank_lines_get_paragraphs() {
        assert_eq!(
            autop("<ul><li>a\n\nb</li></ul>"),
            "<ul><li>\n<p>a</p>\n<p>b</p>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn block_editor_html_keeps_its_newlines_as_spaces() {
        assert_eq!(
            blocks("\n<p>سطر\nمتصل</p>\n\n<h2>عنوان</h2>\nنص حر"),
            "<p>سطر\nمتصل</p>\n<h2>عنوان</h2>\n<p>نص حر</p>\n"
        );
    }

    #[test]
    fn fetchable_image_urls() {
        assert!(is_fetchable("https://a/b.jpg"));
        assert!(is_fetchable("//cdn/b.jpg"));
        assert!(is_fetchable("/wp-content/a.jpg"));
        assert!(is_fetchable("a/b:c.jpg"));
        assert!(!is_fetchable("data:image/png;base64,x"));
        assert!(!is_fetchable("javascript:alert(1)"));
        assert!(!is_fetchable(""));
    }
}
