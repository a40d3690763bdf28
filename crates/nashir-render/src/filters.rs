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
    let arabic_digits = dates.date(0).chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c));
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
    env.add_filter("bidi_safe", |s: String| bidi_safe(&s));
    env.add_filter("pathencode", |s: String| {
        percent_encoding::utf8_percent_encode(&s, PATH_SEGMENT).to_string()
    });
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
    fn isolated_text_is_wrapped_in_first_strong_isolate() {
        assert_eq!(super::isolate("\u{202E}abc"), "\u{2068}\u{202E}abc\u{2069}");
    }
}
