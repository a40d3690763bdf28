//! Plain-text excerpts: markup stripping and cutting at a word boundary.
//! Owns which tags break words, the small entity table, and what may end an excerpt.

use unicode_segmentation::UnicodeSegmentation;

use crate::chars::is_invisible;

const ELLIPSIS: char = '…';

/// Reduces an HTML fragment to plain text for excerpts and search snippets.
///
/// Tags and comments are removed; `<script>`, `<style>` and `<template>` are removed with
/// their content. Block-level tags (`p`, `div`, `br`, `li`, `h1`…, `td`, `img`…) become a
/// space so words in adjacent blocks do not glue; inline tags (`b`, `a`, `span`…) vanish
/// so a word split by formatting stays whole. `&amp; &lt; &gt; &quot; &#39; &apos; &nbsp;`,
/// a few typographic entities (`&laquo; &raquo; &hellip; &mdash; &zwnj;`…) and numeric
/// references are decoded; an unknown entity is left as written. Whitespace (including
/// NBSP) is collapsed to single spaces and trimmed. Not a sanitizer: the output is text
/// and must still be escaped when put back into HTML.
pub fn strip_html(html: &str) -> String {
    strip(html, Unterminated::Swallow)
}

/// A title or name as plain text: inline markup such as `<em>With</em>` is removed and
/// entities decoded, as in [`strip_html`], but text that only looks like the start of a tag
/// (`الأسعار <b` with no `>`) is kept as written, so a title is never cut short.
///
/// ```
/// assert_eq!(nashir_arabic::plain_title("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>"), "Markup: Title With Markup");
/// assert_eq!(nashir_arabic::plain_title("صحة &amp; تعليم <مقابلة>"), "صحة & تعليم <مقابلة>");
/// assert_eq!(nashir_arabic::plain_title("a <b"), "a <b");
/// ```
pub fn plain_title(html: &str) -> String {
    strip(html, Unterminated::Keep)
}

/// What an unterminated tag (a `<` that opens a name but never closes) does to the rest.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unterminated {
    /// Swallows the rest, as a browser would (HTML bodies).
    Swallow,
    /// Stays as text (titles).
    Keep,
}

fn strip(html: &str, unterminated: Unterminated) -> String {
    let mut out = Collapser::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            rest = skip_markup(rest, &mut out, unterminated);
        }
    }
    out.push_str(rest);
    out.text
}

/// Shortens plain text to at most `max_chars` characters, `…` included.
///
/// Text that already fits is returned trimmed and otherwise unchanged. Longer text is
/// cut at the last word boundary (UAX #29) that leaves room for the `…`; trailing
/// spaces and punctuation such as `،` `,` `-` `(` are trimmed before it. A single word
/// longer than the budget is cut between grapheme clusters, so a letter never loses its
/// harakat and an emoji ZWJ sequence is never split. `max_chars == 0` gives `""`.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    if max_chars == 0 {
        return String::new();
    }
    let budget = max_chars - 1;
    let mut cut = last_fitting_end(text.split_word_bound_indices(), budget);
    if text[..cut].trim_end_matches(is_trailing_junk).is_empty() {
        cut = last_fitting_end(text.grapheme_indices(true), budget);
    }
    let head = text[..cut].trim_end_matches(is_trailing_junk);
    let mut out = String::with_capacity(head.len() + ELLIPSIS.len_utf8());
    out.push_str(head);
    out.push(ELLIPSIS);
    out
}

/// Byte end of the longest run of whole segments totalling at most `budget` chars.
fn last_fitting_end<'a>(segments: impl Iterator<Item = (usize, &'a str)>, budget: usize) -> usize {
    let mut used = 0;
    let mut end = 0;
    for (start, segment) in segments {
        used += segment.chars().count();
        if used > budget {
            break;
        }
        end = start + segment.len();
    }
    end
}

fn is_trailing_junk(c: char) -> bool {
    c.is_whitespace()
        || is_invisible(c)
        || matches!(
            c,
            '،' | '؛'
                | ','
                | ';'
                | ':'
                | '.'
                | '-'
                | '–'
                | '—'
                | '_'
                | '/'
                | '\\'
                | '|'
                | '('
                | '['
                | '{'
                | '«'
                | '‹'
                | '“'
                | '‘'
                | '•'
                | '·'
                | ELLIPSIS
        )
}

/// Builds the output with whitespace collapsed: a space is only written once a
/// non-space follows, so there is never a leading, trailing or double space.
struct Collapser {
    text: String,
    pending_space: bool,
}

impl Collapser {
    fn with_capacity(n: usize) -> Collapser {
        Collapser {
            text: String::with_capacity(n),
            pending_space: false,
        }
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space();
        } else {
            if self.pending_space {
                self.text.push(' ');
                self.pending_space = false;
            }
            self.text.push(c);
        }
    }

    fn push_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.push(c));
    }

    fn space(&mut self) {
        self.pending_space = !self.text.is_empty();
    }
}

/// Consumes the markup at the start of `rest` (which starts with `<`) and returns what
/// follows it. A `<` that does not open a tag (`a < b`) is text.
fn skip_markup<'a>(rest: &'a str, out: &mut Collapser, unterminated: Unterminated) -> &'a str {
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or("", |end| &comment[end + 3..]);
    }
    let after = &rest[1..];
    let opens_tag = after
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
    if !opens_tag {
        out.push('<');
        return after;
    }
    // An unterminated tag swallows the rest, as a browser would (unless kept as text).
    let Some(tag_len) = tag_end(rest) else {
        if unterminated == Unterminated::Keep {
            out.push('<');
            return after;
        }
        return "";
    };
    let tag = &rest[..tag_len];
    let remainder = &rest[tag_len..];
    let closing = tag.starts_with("</");
    let name = tag_name(tag);
    if is_block(&name) {
        out.space();
    }
    if !closing && !tag.ends_with("/>") && matches!(name.as_str(), "script" | "style" | "template")
    {
        out.space();
        return find_closing_tag(remainder, &name).map_or("", |i| &remainder[i..]);
    }
    remainder
}

/// Byte length of the tag at the start of `s`, through its `>`, skipping `>` inside
/// quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn find_closing_tag(s: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i;
        let candidate = s.get(at + 2..at + 2 + name.len());
        if candidate.is_some_and(|n| n.eq_ignore_ascii_case(name)) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "audio"
            | "blockquote"
            | "br"
            | "canvas"
            | "caption"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "iframe"
            | "img"
            | "li"
            | "main"
            | "nav"
            | "object"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "svg"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "video"
    )
}

/// Decodes the entity at the start of `s` (which starts with `&`), returning the
/// character and the byte length consumed including `;`.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // Longest name we decode is short; a bounded search keeps `AT&T ... ;` from
    // scanning far and from swallowing text.
    let semi = s.char_indices().take(34).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..semi];
    let c = match body.strip_prefix('#') {
        Some(number) => numeric_reference(number)?,
        None => named_entity(body)?,
    };
    Some((c, semi + 1))
}

fn numeric_reference(number: &str) -> Option<char> {
    let (digits, radix) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Like a browser: out-of-range, surrogate and NUL references show U+FFFD.
    let value = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
    Some(
        char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}'),
    )
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "shy" => '\u{00AD}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "times" => '×',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends_on_grapheme_boundary(text: &str, head: &str) -> bool {
        head.len() == text.len() || text.grapheme_indices(true).any(|(i, _)| i == head.len())
    }

    #[test]
    fn tags_are_removed_and_blocks_do_not_glue_words() {
        assert_eq!(
            strip_html("<h1>عنوان</h1><p>الفقرة <b>الأولى</b></p><p>الثانية<br>سطر</p>"),
            "عنوان الفقرة الأولى الثانية سطر"
        );
        assert_eq!(
            strip_html("<ul><li>واحد</li><li>اثنان</li></ul>"),
            "واحد اثنان"
        );
    }

    #[test]
    fn inline_tags_do_not_split_a_word() {
        assert_eq!(
            strip_html("un<b>bold</b>ed <a href=\"/x\">link</a>"),
            "unbolded link"
        );
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(
            strip_html("a &amp; b &lt;p&gt; &quot;q&quot; &#39;s&#39; x&nbsp;y"),
            "a & b <p> \"q\" 's' x y"
        );
        assert_eq!(strip_html("&amp;lt;"), "&lt;");
        assert_eq!(
            strip_html("&laquo;نعم&raquo; &#1593;&#x644;&#X64A;"),
            "«نعم» علي"
        );
    }

    #[test]
    fn unknown_or_malformed_entities_stay_as_text() {
        assert_eq!(
            strip_html("AT&T; R&D &bogus; &#; &#xZZ; & x"),
            "AT&T; R&D &bogus; &#; &#xZZ; & x"
        );
        assert_eq!(
            strip_html("&#0; &#xD800; &#99999999999;"),
            "\u{FFFD} \u{FFFD} \u{FFFD}"
        );
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(strip_html("  <p>\n\t a  \u{00A0} b </p>\n "), "a b");
        assert_eq!(strip_html(""), "");
        assert_eq!(strip_html("<br/><br/>"), "");
    }

    #[test]
    fn scripts_styles_and_comments_disappear_with_their_content() {
        assert_eq!(
            strip_html(
                "a<script type=\"x\">if (a < b) alert('</p>')</SCRIPT>b<style>p{}</style>c<!-- <p>hidden</p> -->d"
            ),
            "a b cd"
        );
        assert_eq!(strip_html("x<script>never closed"), "x");
        assert_eq!(strip_html("x<!-- never closed"), "x");
    }

    #[test]
    fn attribute_values_may_contain_angle_brackets() {
        assert_eq!(strip_html("<img alt=\"a > b\" src='x'>كلمة"), "كلمة");
        assert_eq!(strip_html("<p title='>'>نص</p>"), "نص");
    }

    #[test]
    fn a_lone_less_than_is_text() {
        assert_eq!(strip_html("3 < 5 و 5 > 3"), "3 < 5 و 5 > 3");
        assert_eq!(strip_html("a<"), "a<");
        assert_eq!(strip_html("x<p unterminated"), "x");
    }

    #[test]
    fn doctype_and_processing_instructions_are_removed() {
        assert_eq!(
            strip_html("<!DOCTYPE html><?xml version=\"1.0\"?><p>نص</p>"),
            "نص"
        );
    }

    #[test]
    fn short_text_is_returned_trimmed_and_unchanged() {
        assert_eq!(excerpt("  خبر قصير، جداً.  ", 100), "خبر قصير، جداً.");
        assert_eq!(excerpt("abc", 3), "abc");
        assert_eq!(excerpt("", 10), "");
    }

    #[test]
    fn long_text_is_cut_at_a_word_boundary_with_an_ellipsis() {
        let text = "قال الرئيس إن الحكومة ستعلن خطة جديدة للإصلاح الاقتصادي خلال الأسابيع المقبلة";
        let cut = excerpt(text, 30);
        assert!(cut.chars().count() <= 30, "{cut}");
        assert_eq!(cut, "قال الرئيس إن الحكومة ستعلن…");
        let head = cut.trim_end_matches(ELLIPSIS);
        assert!(text.starts_with(head));
        assert!(text[head.len()..].starts_with(' '));
    }

    #[test]
    fn trailing_punctuation_is_trimmed_before_the_ellipsis() {
        assert_eq!(
            excerpt("أولاً، ثانياً، ثالثاً، رابعاً، خامساً", 16),
            "أولاً، ثانياً…"
        );
        assert_eq!(excerpt("one, two - three (four) five", 15), "one, two…");
        assert_eq!(
            excerpt("one, two - three (four) five", 19),
            "one, two - three…"
        );
        assert_eq!(excerpt("alpha beta. gamma", 12), "alpha beta…");
    }

    #[test]
    fn a_word_longer_than_the_budget_is_cut_between_graphemes() {
        let text = "مَدْرَسَةٌ".repeat(10);
        for max in 1..40 {
            let cut = excerpt(&text, max);
            assert!(cut.chars().count() <= max, "{max}: {cut}");
            let head = cut.trim_end_matches(ELLIPSIS);
            assert!(ends_on_grapheme_boundary(&text, head), "{max}: {cut}");
        }
    }

    #[test]
    fn emoji_zwj_sequences_and_combining_marks_are_never_split() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        let text = format!("كلمة {family}{family} e\u{0301}e\u{0301}e\u{0301} نهاية النص");
        for max in 1..text.chars().count() {
            let cut = excerpt(&text, max);
            assert!(cut.chars().count() <= max, "{max}: {cut}");
            let head = cut.trim_end_matches(ELLIPSIS);
            assert!(text.starts_with(head));
            assert!(ends_on_grapheme_boundary(&text, head), "{max}: {cut:?}");
            assert!(!head.ends_with('\u{200D}'));
        }
    }

    #[test]
    fn zero_budget_gives_empty_text() {
        assert_eq!(excerpt("نص طويل", 0), "");
        assert_eq!(excerpt("نص طويل", 1), "…");
    }

    #[test]
    fn html_stripped_then_excerpted() {
        let html = "<p>وزير <b>الخارجية</b>&nbsp;يلتقي</p><p>نظيره الأمريكي في واشنطن</p>";
        assert_eq!(excerpt(&strip_html(html), 30), "وزير الخارجية يلتقي نظيره…");
    }
}
