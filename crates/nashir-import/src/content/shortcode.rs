//! WordPress shortcodes (`[name attrs]…[/name]`) in imported content.
//! Owns what counts as a shortcode, `[caption]` → `<figure>`, and counting what is removed.

use std::collections::{BTreeMap, HashSet};

use nashir_core::escape_html;

/// Shortcodes of WordPress core and of plugins common on news sites. A bracketed word is
/// only a shortcode when WordPress would have had a handler for it; `[تحديث]` or
/// `[sic]` in an article is text. Names with `_` or `-`, with `key=value` attributes or
/// with a closing tag are taken as shortcodes too (`[contact-form-7 id="1"]`,
/// `[su_box]…[/su_box]`), and so is the explicit self-closing form `[name /]`.
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "playlist",
    "audio",
    "video",
    "embed",
    "youtube",
    "vimeo",
    "soundcloud",
    "tweet",
    "twitter",
    "instagram",
    "facebook",
    "googlemaps",
    "slideshare",
    "scribd",
    "dailymotion",
    "flickr",
    "polldaddy",
    "crowdsignal",
    "archives",
    "sitemap",
    "slider",
    "row",
    "column",
    "button",
    "tabs",
    "tab",
    "accordion",
    "toggle",
    "pullquote",
    "dropcap",
    "highlight",
    "divider",
    "spacer",
    "adsense",
    "ad",
    "ads",
    "related",
    "download",
    "wpforms",
    "gravityform",
    "contact",
    "poll",
    "recipe",
    "latex",
    "sourcecode",
    "fb",
    "gmap",
    "map",
];

/// What shortcode handling did to one piece of content.
#[derive(Debug, Default)]
pub(crate) struct ShortcodeCounts {
    pub removed: BTreeMap<String, usize>,
    pub captions: usize,
    /// The index the first gallery of this text gets (galleries of earlier pages come first).
    pub first_gallery: usize,
    /// `[gallery]`s met, in order; each left a [`gallery_token`] paragraph in the text.
    pub galleries: Vec<Gallery>,
}

/// A `[gallery]` shortcode: which attachments it shows. WordPress shows `ids` (or the older
/// `include`) in the order given; without them, the post's attached images by menu order,
/// less `exclude`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gallery {
    pub ids: Vec<i64>,
    pub exclude: Vec<i64>,
}

/// The text a gallery leaves in converted content until its images are known: a paragraph
/// of its own that only an importer writes (U+FFFC is the object replacement character).
pub fn gallery_token(index: usize) -> String {
    format!("\u{FFFC}gallery-{index}\u{FFFC}")
}

/// Converts `[caption]` to `<figure>` and removes every other shortcode. An enclosing
/// shortcode keeps its inner content (`[su_box]نص[/su_box]` → `نص`); media shortcodes
/// (`[embed]`, `[audio]`, `[video]`) leave a link to the media they name.
pub(crate) fn process(text: &str, counts: &mut ShortcodeCounts) -> String {
    let mut out = String::with_capacity(text.len());
    process_into(text, &mut out, counts);
    out
}

fn process_into(text: &str, out: &mut String, counts: &mut ShortcodeCounts) {
    // Names with a closing tag in this text: only for those is the rest searched for
    // `[/name]`, so bracketed words (`[sic]`) cost nothing and a lone closer far away is
    // searched for once per text, not once per opener.
    let closers: HashSet<&str> = text
        .match_indices("[/")
        .map(|(i, _)| &text[i + 2..i + 2 + name_length(&text[i + 2..])])
        .filter(|name| !name.is_empty())
        .collect();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        match parse(at, &closers) {
            Some(sc) if sc.escaped => {
                // `[[gallery]]` is how WordPress writes a shortcode as text.
                out.push_str(&at[1..sc.len - 1]);
                rest = &at[sc.len..];
            }
            Some(sc) => {
                handle(&sc, out, counts);
                rest = &at[sc.len..];
            }
            None => {
                if let Some(len) = stray_closing_tag(at) {
                    rest = &at[len..];
                } else {
                    out.push('[');
                    rest = &at[1..];
                }
            }
        }
    }
    out.push_str(rest);
}

struct Shortcode<'a> {
    name: &'a str,
    attrs: &'a str,
    content: Option<&'a str>,
    self_closing: bool,
    /// Bytes from the opening `[` through the closing `]` (of `[/name]` when enclosing).
    len: usize,
    escaped: bool,
}

/// Parses a shortcode at the start of `s` (which starts with `[`), following WordPress's
/// `get_shortcode_regex`: attributes run to the first `]`, `/]` closes a self-closing tag,
/// the content of an enclosing tag runs to the first `[/name]`.
fn parse<'a>(s: &'a str, closers: &HashSet<&str>) -> Option<Shortcode<'a>> {
    let escaped = s[1..].starts_with('[');
    let name_start = 1 + usize::from(escaped);
    let name_len = name_length(&s[name_start..]);
    if name_len == 0 {
        return None;
    }
    let name = &s[name_start..name_start + name_len];
    let after = &s[name_start + name_len..];
    match after.chars().next() {
        Some(c) if c.is_whitespace() || c == ']' || c == '/' => {}
        _ => return None,
    }
    // Attributes longer than this are not attributes but text that happens to follow a
    // bracketed word; the bound keeps a `[word` without `]` from scanning the whole post.
    const MAX_ATTRS: usize = 4 * 1024;
    let close = after.bytes().take(MAX_ATTRS).position(|b| b == b']')?;
    let raw_attrs = &after[..close];
    let (attrs, self_closing) = match raw_attrs.strip_suffix('/') {
        Some(a) => (a, true),
        None => (raw_attrs, false),
    };
    let mut len = name_start + name_len + close + 1;
    let mut content = None;
    if !self_closing && closers.contains(name) {
        let closing = format!("[/{name}]");
        if let Some(j) = s[len..].find(&closing) {
            content = Some(&s[len..len + j]);
            len += j + closing.len();
        }
    }
    if escaped {
        if !s[len..].starts_with(']') {
            return None;
        }
        len += 1;
    }
    let shortcode = Shortcode {
        name,
        attrs,
        content,
        self_closing,
        len,
        escaped,
    };
    is_shortcode(&shortcode).then_some(shortcode)
}

fn name_length(s: &str) -> usize {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count()
}

fn is_shortcode(sc: &Shortcode<'_>) -> bool {
    KNOWN.contains(&sc.name)
        || sc.name.contains(['_', '-'])
        || sc.content.is_some()
        || sc.self_closing
        || sc.attrs.contains('=')
}

/// A `[/name]` left over from a shortcode whose opening tag is gone; removed when the name
/// is one we treat as a shortcode.
fn stray_closing_tag(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("[/")?;
    let n = name_length(rest);
    let name = &rest[..n];
    let is_ours = n > 0 && (KNOWN.contains(&name) || name.contains(['_', '-']));
    (is_ours && rest[n..].starts_with(']')).then_some(n + 3)
}

fn handle(sc: &Shortcode<'_>, out: &mut String, counts: &mut ShortcodeCounts) {
    match sc.name {
        "caption" | "wp_caption" => {
            counts.captions += 1;
            caption(sc, out, counts);
            return;
        }
        "gallery" => {
            let attrs = parse_attrs(sc.attrs);
            let list = |key: &str| -> Vec<i64> {
                attrs
                    .iter()
                    .filter(|(k, _)| k.as_deref() == Some(key))
                    .flat_map(|(_, v)| v.split(',').filter_map(|id| id.trim().parse().ok()).collect::<Vec<i64>>())
                    .collect()
            };
            let mut ids = list("ids");
            if ids.is_empty() {
                ids = list("include");
            }
            let gallery = Gallery { ids, exclude: list("exclude") };
            // Blank lines around it: a paragraph of its own, whatever surrounded the shortcode.
            out.push_str("\n\n");
            out.push_str(&gallery_token(counts.first_gallery + counts.galleries.len()));
            out.push_str("\n\n");
            counts.galleries.push(gallery);
            return;
        }
        "embed" | "audio" | "video" | "youtube" | "vimeo" | "soundcloud" => {
            if let Some(url) = media_url(sc) {
                let url = escape_html(&url);
                out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
            }
        }
        _ => {
            if let Some(content) = sc.content {
                process_into(content, out, counts);
            }
        }
    }
    *counts.removed.entry(sc.name.to_owned()).or_default() += 1;
}

/// The media URL a media shortcode names: its content (`[embed]URL[/embed]`), a source
/// attribute (`src=`, `mp3=`, `mp4=`…) or a bare URL (`[audio https://…]`).
fn media_url(sc: &Shortcode<'_>) -> Option<String> {
    let is_url = |v: &str| v.starts_with("http://") || v.starts_with("https://");
    if let Some(content) = sc.content.map(str::trim).filter(|c| is_url(c)) {
        return Some(content.to_owned());
    }
    parse_attrs(sc.attrs).into_iter().find_map(|(key, value)| {
        let wanted = match key.as_deref() {
            None | Some("src" | "url" | "id") => true,
            Some(k) => [
                "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv",
            ]
            .contains(&k),
        };
        (wanted && is_url(&value)).then_some(value)
    })
}

/// `[caption id="…" align="…" width="…"]<a><img></a> Caption text[/caption]` →
/// `<figure><a><img></a><figcaption>Caption text</figcaption></figure>`, as WordPress's
/// `img_caption_shortcode` reads it: a `caption="…"` attribute wins over the text after the
/// image; without any caption the content is kept as it is.
fn caption(sc: &Shortcode<'_>, out: &mut String, counts: &mut ShortcodeCounts) {
    let inner = process(sc.content.unwrap_or(""), counts);
    let attr_caption = parse_attrs(sc.attrs)
        .into_iter()
        .find_map(|(k, v)| (k.as_deref() == Some("caption")).then_some(v));
    let (media, text) = match attr_caption {
        Some(text) => (inner.as_str(), text),
        None => {
            let (media, text) = split_caption(&inner);
            (media, text.to_owned())
        }
    };
    let media = collapse_whitespace(media.trim());
    let text = collapse_whitespace(text.trim());
    if text.is_empty() {
        out.push_str(&media);
        return;
    }
    out.push_str("<figure>");
    out.push_str(&media);
    out.push_str("<figcaption>");
    out.push_str(&text);
    out.push_str("</figcaption></figure>");
}

/// Splits caption content into the image (optionally inside a link) and the text after
/// it, like WordPress's `#((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)#is`.
fn split_caption(s: &str) -> (&str, &str) {
    let lower = s.to_ascii_lowercase();
    let Some(img) = lower.find("<img") else {
        return ("", s);
    };
    let mut start = img;
    if let Some(a) = lower[..img].rfind("<a ") {
        let link_tag_end = a + tag_length(&s[a..]);
        if link_tag_end <= img && s[link_tag_end..img].trim().is_empty() {
            start = a;
        }
    }
    let mut end = img + tag_length(&s[img..]);
    let after = &lower[end..];
    let trimmed = after.trim_start();
    if trimmed.starts_with("</a>") {
        end += after.len() - trimmed.len() + 4;
    }
    (&s[start..end], &s[end..])
}

fn tag_length(s: &str) -> usize {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Shortcode attributes as WordPress's `shortcode_parse_atts` reads them: `key="v"`,
/// `key='v'`, `key=v`, and positional `"v"`, `'v'` or `v` (key `None`).
fn parse_attrs(s: &str) -> Vec<(Option<String>, String)> {
    let mut attrs = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let key_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        let after_key = rest[key_len..].trim_start();
        if key_len > 0 && after_key.starts_with('=') {
            let key = rest[..key_len].to_ascii_lowercase();
            let (value, tail) = take_value(after_key[1..].trim_start());
            attrs.push((Some(key), value.to_owned()));
            rest = tail.trim_start();
        } else {
            let (value, tail) = take_value(rest);
            attrs.push((None, value.to_owned()));
            rest = tail.trim_start();
        }
    }
    attrs
}

/// One value at the start of `s`: quoted, or up to the next whitespace.
fn take_value(s: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(quote) {
            return match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            };
        }
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, ShortcodeCounts) {
        let mut counts = ShortcodeCounts::default();
        let out = process(text, &mut counts);
        (out, counts)
    }

    #[test]
    fn caption_becomes_a_figure() {
        let (out, counts) = run(
            "قبل [caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]<a href=\"/full.jpg\"><img src=\"/a.jpg\" alt=\"\" width=\"300\" /></a> صورة <b>الحدث</b>\n في تونس[/caption] بعد",
        );
        assert_eq!(
            out,
            "قبل <figure><a href=\"/full.jpg\"><img src=\"/a.jpg\" alt=\"\" width=\"300\" /></a><figcaption>صورة <b>الحدث</b> في تونس</figcaption></figure> بعد"
        );
        assert_eq!(counts.captions, 1);
        assert!(counts.removed.is_empty());
    }

    #[test]
    fn caption_attribute_wins_and_empty_caption_keeps_the_image() {
        let (out, _) = run("[caption caption=\"نص التعليق\"]<img src=\"/a.jpg\">[/caption]");
        assert_eq!(
            out,
            "<figure><img src=\"/a.jpg\"><figcaption>نص التعليق</figcaption></figure>"
        );
        let (out, _) = run("[caption]<img src=\"/a.jpg\">[/caption]");
        assert_eq!(out, "<img src=\"/a.jpg\">");
        let (out, _) = run("[wp_caption]<img src='/b.jpg' alt='>'> legacy[/wp_caption]");
        assert_eq!(
            out,
            "<figure><img src='/b.jpg' alt='>'><figcaption>legacy</figcaption></figure>"
        );
    }

    #[test]
    fn galleries_leave_a_token_and_say_which_images() {
        let (out, counts) = run("a [gallery ids=\"3, 1,x,2\" columns=\"2\"] b [gallery exclude=\"9\"] c [gallery include='5,6']");
        let (t0, t1, t2) = (gallery_token(0), gallery_token(1), gallery_token(2));
        assert_eq!(out, format!("a \n\n{t0}\n\n b \n\n{t1}\n\n c \n\n{t2}\n\n"));
        assert_eq!(
            counts.galleries,
            [
                Gallery { ids: vec![3, 1, 2], exclude: vec![] },
                Gallery { ids: vec![], exclude: vec![9] },
                Gallery { ids: vec![5, 6], exclude: vec![] },
            ]
        );
        assert!(counts.removed.is_empty());
    }

    #[test]
    fn other_shortcodes_are_removed_and_counted() {
        let (out, counts) = run(
            "a [playlist ids=\"1,2\"] b [playlist] c [contact-form-7 id=\"5\" title=\"x\"] d [su_box title=\"t\"]داخل[/su_box] e [x/] f",
        );
        assert_eq!(out, "a  b  c  d داخل e  f");
        assert_eq!(counts.removed.get("playlist"), Some(&2));
        assert_eq!(counts.removed.get("contact-form-7"), Some(&1));
        assert_eq!(counts.removed.get("su_box"), Some(&1));
        assert_eq!(counts.removed.get("x"), Some(&1));
    }

    #[test]
    fn bracketed_text_is_not_a_shortcode() {
        for text in [
            "[تحديث] خبر",
            "[sic]",
            "[simple boat]",
            "[1]",
            "a [b c] d",
            "[ نص ]",
            "[Updated]",
            "[",
            "x]",
        ] {
            let (out, counts) = run(text);
            assert_eq!(out, text);
            assert!(counts.removed.is_empty(), "{text}");
        }
    }

    #[test]
    fn escaped_shortcodes_are_text() {
        let (out, counts) = run("اكتب [[gallery]] أو [[caption]x[/caption]]");
        assert_eq!(out, "اكتب [gallery] أو [caption]x[/caption]");
        assert!(counts.removed.is_empty());
    }

    #[test]
    fn media_shortcodes_leave_a_link() {
        let (out, counts) = run(
            "[embed]https://www.youtube.com/watch?v=1&t=2[/embed] [audio https://e.example/a.mp3] [video mp4=\"https://e.example/v.mp4\"][/video] [audio]",
        );
        assert_eq!(
            out,
            "<a href=\"https://www.youtube.com/watch?v=1&amp;t=2\">https://www.youtube.com/watch?v=1&amp;t=2</a> \
             <a href=\"https://e.example/a.mp3\">https://e.example/a.mp3</a> \
             <a href=\"https://e.example/v.mp4\">https://e.example/v.mp4</a> "
        );
        assert_eq!(counts.removed.get("audio"), Some(&2));
        assert_eq!(counts.removed.get("embed"), Some(&1));
    }

    #[test]
    fn nested_shortcodes_inside_a_caption_are_handled() {
        let (out, counts) = run("[caption]<img src=\"/a.jpg\"> [su_note]ملاحظة[/su_note][/caption]");
        assert_eq!(
            out,
            "<figure><img src=\"/a.jpg\"><figcaption>ملاحظة</figcaption></figure>"
        );
        assert_eq!(counts.removed.get("su_note"), Some(&1));
    }

    #[test]
    fn stray_closing_tags_of_shortcodes_go() {
        let (out, _) = run("نص[/su_box] و[/b]");
        assert_eq!(out, "نص و[/b]");
    }

    #[test]
    fn many_bracketed_words_stay_linear() {
        // 40,000 openers and one closer at the very end: each opener must not search
        // the rest of the post for it again.
        let text = format!("{}[/sic]", "[sic] كلمة ".repeat(40_000));
        let started = std::time::Instant::now();
        let (out, counts) = run(&text);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(counts.removed.get("sic"), Some(&1));
        assert!(out.contains("[sic]"));
        let unclosed = "[word ".repeat(10_000);
        assert_eq!(run(&unclosed).0, unclosed);
    }

    #[test]
    fn attributes_parse_like_wordpress() {
        assert_eq!(
            parse_attrs("id=\"a\" Align='right' width=300 \"pos\" bare"),
            vec![
                (Some("id".into()), "a".into()),
                (Some("align".into()), "right".into()),
                (Some("width".into()), "300".into()),
                (None, "pos".into()),
                (None, "bare".into()),
            ]
        );
    }
}
