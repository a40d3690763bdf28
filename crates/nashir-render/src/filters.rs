//! Template filters: dates through ICU4X in the site's locale and zone, excerpts and
//! digits from nashir-arabic. Templates format; they never query.

use std::sync::Arc;

use minijinja::Environment;

use crate::dates::SiteDates;

pub(crate) fn register(env: &mut Environment<'static>, dates: Arc<SiteDates>) {
    let d = dates.clone();
    env.add_filter("date", move |ts: i64| d.date(ts));
    let d = dates.clone();
    env.add_filter("datetime", move |ts: i64| d.date_time(ts));
    let d = dates.clone();
    env.add_filter("time", move |ts: i64| d.time(ts));
    let d = dates.clone();
    env.add_filter("hijri", move |ts: i64| d.hijri(ts));
    // Numbers are written in the digits the locale writes dates in (Arabic-Indic for
    // `ar-IQ`, Latin for `ar-MA` or any `-u-nu-latn`).
    let arabic_digits = dates.arabic_digits();
    env.add_filter("digits", move |v: minijinja::Value| {
        let text = v.to_string();
        if arabic_digits { nashir_arabic::to_arabic_indic_digits(&text) } else { text }
    });
    let d = dates;
    env.add_filter("iso", move |ts: i64| d.rfc3339(ts));
    env.add_filter("excerpt", |text: String, max: Option<usize>| {
        nashir_arabic::excerpt(&nashir_arabic::strip_html(&text), max.unwrap_or(160))
    });
    env.add_filter("isolate", |s: String| isolate(&s));
    // `q|bdi`: the text escaped inside `<bdi>`, as markup for `t_html` arguments.
    env.add_filter("bdi", |s: String| minijinja::Value::from_safe_string(format!("<bdi>{}</bdi>", nashir_core::escape_html(&s))));
    // `dir="{{ title|textdir }}"`: the direction most of the text's letters take, so an Arabic
    // headline that starts with an English name stays right to left (where `dir="auto"`,
    // which follows the first letter, would turn it), and the reverse in an English site.
    env.add_filter("textdir", |s: String| text_direction(&s));
    env.add_filter("bidi_safe", |s: String| bidi_safe(&s));
    env.add_filter("pathencode", |s: String| {
        percent_encoding::utf8_percent_encode(&s, PATH_SEGMENT).to_string()
    });
}

/// "rtl" when most letters of `text` belong to right-to-left scripts (Arabic, Hebrew, Syriac,
/// Thaana, N'Ko), "ltr" when most are of other scripts, "auto" for text without letters.
pub(crate) fn text_direction(text: &str) -> &'static str {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let rtl_script = matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}');
        if rtl_script { rtl += 1 } else { ltr += 1 }
    }
    match (rtl, ltr) {
        (0, 0) => "auto",
        (r, l) if r >= l => "rtl",
        _ => "ltr",
    }
}

/// Embedding, override and isolate controls: what can reorder text around them.
const BIDI_CONTROLS: &[char] = &['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

/// `isolate` only when the text holds a bidi control: meta tags that social networks and
/// search engines show (`og:title`, descriptions) stay exactly the text when it is plain.
pub(crate) fn bidi_safe(text: &str) -> String {
    if text.contains(BIDI_CONTROLS) { isolate(text) } else { text.to_owned() }
}

/// Wraps text that goes where no element can isolate it (`<title>`, `content` attributes) in
/// FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so bidi controls inside it (an unclosed
/// RIGHT-TO-LEFT OVERRIDE in a headline) cannot reorder the text around it.
pub(crate) fn isolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push('\u{2068}');
    out.push_str(text);
    out.push('\u{2069}');
    out
}

/// Characters escaped in one path segment (and `/` kept, for whole paths).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

#[cfg(test)]
mod tests {
    #[test]
    fn only_text_with_controls_is_isolated_for_meta_tags() {
        assert_eq!(super::bidi_safe("صحة & تعليم"), "صحة & تعليم");
        assert_eq!(super::bidi_safe("a\u{202E}b"), "\u{2068}a\u{202E}b\u{2069}");
    }

    #[test]
    fn direction_follows_most_letters_not_the_first() {
        assert_eq!(super::text_direction("Apple تطلق هاتفاً جديداً في دبي"), "rtl");
        assert_eq!(super::text_direction("«السلام عليكم» said the minister in Geneva today"), "ltr");
        assert_eq!(super::text_direction("2024 — ١٢٣"), "auto");
        assert_eq!(super::text_direction("iPhone"), "ltr");
    }

    #[test]
    fn isolated_text_is_wrapped_in_first_strong_isolate() {
        assert_eq!(super::isolate("\u{202E}abc"), "\u{2068}\u{202E}abc\u{2069}");
    }
}
