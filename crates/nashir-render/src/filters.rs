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
    let d = dates;
    env.add_filter("iso", move |ts: i64| d.rfc3339(ts));
    env.add_filter("excerpt", |text: String, max: Option<usize>| {
        nashir_arabic::excerpt(&nashir_arabic::strip_html(&text), max.unwrap_or(160))
    });
    env.add_filter("pathencode", |s: String| {
        percent_encoding::utf8_percent_encode(&s, PATH_SEGMENT).to_string()
    });
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
