//! Loading templates and static files (site folder first, then built-in) and rendering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::assets::{Assets, StaticFile};
use crate::dates::SiteDates;
use crate::filters;
use crate::i18n::Translations;

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../themes/default"]
pub(crate) struct BuiltinTheme;

/// The prefix that always names a built-in template, so a site template can extend the
/// built-in template it replaces.
const BUILTIN_PREFIX: &str = "builtin/";

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{file}:{line}: {message}")]
    Template { file: String, line: usize, message: String },
    #[error("theme folder {0} does not exist or has no templates/ folder")]
    MissingThemeDir(PathBuf),
    #[error("reading theme file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Dates(#[from] crate::dates::DateError),
    #[error("{file}: {message}")]
    Translation { file: String, message: String },
}

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub name: String,
    pub description: String,
    /// BCP-47, such as `ar-IQ`.
    pub locale: String,
    pub time_zone: String,
    pub hijri_offset_days: i32,
    /// Without a trailing slash, such as `https://news.example`.
    pub public_url: String,
    pub publisher_name: String,
    pub publisher_description: String,
    pub publisher_url: String,
}

impl SiteInfo {
    /// The `lang` attribute: the locale without Unicode extensions.
    pub fn lang(&self) -> &str {
        self.locale.split("-u-").next().unwrap_or(&self.locale)
    }
    /// The `og:locale` of the site: `ar-IQ` → `ar_IQ`; a language alone takes its most
    /// usual region (`ar` → `ar_AR`, as Facebook writes Arabic).
    pub fn og_locale(&self) -> String {
        let mut parts = self.lang().split(['-', '_']);
        let language = parts.next().unwrap_or("ar").to_ascii_lowercase();
        match parts.find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic())) {
            Some(region) => format!("{language}_{}", region.to_ascii_uppercase()),
            None => {
                let region = match language.as_str() {
                    "ar" => "AR".to_owned(),
                    "en" => "US".to_owned(),
                    "fa" => "IR".to_owned(),
                    "ur" => "PK".to_owned(),
                    "he" => "IL".to_owned(),
                    other => other.to_ascii_uppercase(),
                };
                format!("{language}_{region}")
            }
        }
    }

    /// Right to left for the scripts that need it.
    pub fn dir(&self) -> &'static str {
        let language = self.lang().split(['-', '_']).next().unwrap_or("");
        if matches!(language, "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "yi" | "dv") { "rtl" } else { "ltr" }
    }
}

/// The site's template environment. Cheap to share behind an `Arc`.
pub struct Renderer {
    theme: Environment<'static>,
    builtin: Environment<'static>,
    theme_dir: Option<PathBuf>,
    dates: Arc<SiteDates>,
    assets: Arc<Assets>,
    translations: Arc<Translations>,
}

impl Renderer {
    /// Builds the environments and compiles every template, reporting the first error
    /// with its file and line.
    pub fn load(theme_dir: Option<&Path>, site: &SiteInfo) -> Result<Self, RenderError> {
        if let Some(dir) = theme_dir
            && !dir.join("templates").is_dir()
            && !dir.join("static").is_dir()
        {
            return Err(RenderError::MissingThemeDir(dir.to_owned()));
        }
        let dates = Arc::new(SiteDates::new(&site.locale, &site.time_zone, site.hijri_offset_days)?);
        let assets = Arc::new(Assets::load(theme_dir)?);
        let translations = Arc::new(Translations::load(theme_dir, site.lang(), dates.arabic_digits())?);
        let theme_dir = theme_dir.map(Path::to_owned);
        let theme = build_env(theme_dir.clone(), site, dates.clone(), assets.clone(), translations.clone());
        let builtin = build_env(None, site, dates.clone(), assets.clone(), translations.clone());
        let renderer = Renderer { theme, builtin, theme_dir, dates, assets, translations };
        renderer.check_all()?;
        Ok(renderer)
    }

    fn check_all(&self) -> Result<(), RenderError> {
        for name in builtin_template_names() {
            self.builtin.get_template(&name).map_err(|e| self.describe(&e, true))?;
        }
        if let Some(dir) = &self.theme_dir {
            for name in folder_template_names(&dir.join("templates"))? {
                self.theme.get_template(&name).map_err(|e| self.describe(&e, false))?;
            }
        }
        Ok(())
    }

    /// Names a failing template by its file, so an operator can go straight to it.
    fn describe(&self, e: &minijinja::Error, builtin: bool) -> RenderError {
        let name = e.name().unwrap_or("?");
        let file = match (&self.theme_dir, name.strip_prefix(BUILTIN_PREFIX)) {
            (_, Some(rest)) => format!("themes/default/templates/{rest} (built-in)"),
            (Some(dir), None) if !builtin && dir.join("templates").join(name).is_file() => {
                dir.join("templates").join(name).display().to_string()
            }
            _ => format!("themes/default/templates/{name} (built-in)"),
        };
        let mut message = e.kind().to_string();
        if let Some(detail) = e.detail() {
            message = format!("{message}: {detail}");
        }
        RenderError::Template { file, line: e.line().unwrap_or(0), message }
    }

    /// Renders a page. A site template that fails at render time is logged and the
    /// built-in template is used instead, so a reader never pays for a theme mistake.
    pub fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, RenderError> {
        let ctx = minijinja::Value::from(minijinja::value::Serde(ctx));
        let attempt = self.theme.get_template(name).and_then(|t| t.render(&ctx));
        match attempt {
            Ok(html) => Ok(html),
            Err(e) if self.theme_dir.is_some() => {
                let theme_error = self.describe(&e, false);
                tracing::error!(error = %theme_error, "site template failed; using the built-in one");
                self.builtin
                    .get_template(name)
                    .and_then(|t| t.render(&ctx))
                    .map_err(|e| self.describe(&e, true))
            }
            Err(e) => Err(self.describe(&e, true)),
        }
    }

    /// The fingerprinted URL of a static file of the theme, as templates' `asset()` writes it.
    pub fn asset_url(&self, name: &str) -> String {
        self.assets.url(name)
    }

    pub fn dates(&self) -> &SiteDates {
        &self.dates
    }

    /// The site's interface strings (templates call `t("id", name=value)`).
    pub fn translations(&self) -> &Translations {
        &self.translations
    }

    /// One interface string, as templates' `t("id")` gives it.
    pub fn t(&self, id: &str) -> String {
        self.translations.get(id, None)
    }

    /// One interface string with arguments: `r.t_with("comment-too-long", [("max", 2000.into())])`.
    pub fn t_with<'a>(&self, id: &str, args: impl IntoIterator<Item = (&'a str, fluent_bundle::FluentValue<'a>)>) -> String {
        self.translations.get_with(id, args)
    }

    /// A static file of the theme (the site folder's copy when it has one), by its
    /// fingerprinted name or its plain one.
    pub fn static_file(&self, path: &str) -> Option<StaticFile> {
        self.assets.get(path)
    }
}

fn builtin_template_names() -> Vec<String> {
    BuiltinTheme::iter()
        .filter_map(|p| p.strip_prefix("templates/").map(str::to_owned))
        .collect()
}

fn folder_template_names(dir: &Path) -> Result<Vec<String>, RenderError> {
    let mut names = Vec::new();
    if !dir.is_dir() {
        return Ok(names);
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| RenderError::Io { path: current.clone(), source })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                names.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(names)
}

fn builtin_source(name: &str) -> Option<String> {
    let file = BuiltinTheme::get(&format!("templates/{name}"))?;
    String::from_utf8(file.data.into_owned()).ok()
}

/// HTML-escapes strings like minijinja's default formatter but leaves `/` alone, so URLs in
/// attributes stay readable (`href="/news/1/…"`, not `&#x2f;news…`); `&<>"'` are escaped.
fn html_formatter(out: &mut minijinja::Output, state: &mut minijinja::State, value: &minijinja::Value) -> Result<(), minijinja::Error> {
    if *state.auto_escape() == AutoEscape::Html
        && !value.is_safe()
        && let Some(s) = value.as_str()
    {
        let escaped = nashir_core::escape_html(s);
        return out.write_str(&escaped).map_err(minijinja::Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// Template keyword arguments as Fluent arguments (None without any). With `markup`, an
/// argument marked safe becomes a sentinel and its HTML is kept there, for `t_html`.
fn fluent_args(kwargs: &minijinja::value::Kwargs, mut markup: Option<&mut Vec<String>>) -> Option<fluent_bundle::FluentArgs<'static>> {
    let mut args = fluent_bundle::FluentArgs::new();
    for key in kwargs.args() {
        let value: minijinja::Value = kwargs.get(key).unwrap_or_default();
        let arg = match markup.as_deref_mut() {
            Some(list) if value.is_safe() => {
                let sentinel = markup_sentinel(list.len());
                list.push(value.to_string());
                fluent_bundle::FluentValue::from(sentinel)
            }
            _ => crate::i18n::fluent_value(&value),
        };
        args.set(key.to_owned(), arg);
    }
    let any = args.iter().next().is_some();
    any.then_some(args)
}

/// Where `t_html` puts the n-th markup argument: private-use characters no message or
/// escaping can produce.
fn markup_sentinel(n: usize) -> String {
    format!("\u{E000}{n}\u{E001}")
}

fn build_env(
    theme_dir: Option<PathBuf>,
    site: &SiteInfo,
    dates: Arc<SiteDates>,
    assets: Arc<Assets>,
    translations: Arc<Translations>,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") { AutoEscape::Html } else { AutoEscape::None }
    });
    env.set_loader(move |name| {
        if let Some(rest) = name.strip_prefix(BUILTIN_PREFIX) {
            return Ok(builtin_source(rest));
        }
        if let Some(dir) = &theme_dir
            && !name.split('/').any(|s| s == "..")
            && dir.join("templates").join(name).is_file()
        {
            return std::fs::read_to_string(dir.join("templates").join(name)).map(Some).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "cannot read template").with_source(e)
            });
        }
        Ok(builtin_source(name))
    });
    env.set_formatter(html_formatter);
    filters::register(&mut env, dates);
    env.add_global("site", minijinja::Value::from(minijinja::value::Serde(site)));
    env.add_global("lang", site.lang().to_owned());
    env.add_global("dir", site.dir());
    env.add_global("og_locale", site.og_locale());
    // `asset("style.css")`: the fingerprinted URL of a static file.
    env.add_function("asset", move |name: &str| assets.url(name));
    // `t("id")`, `t("id", count=n, name=x)`: an interface string from the translation files.
    let tr = translations.clone();
    env.add_function("t", move |id: &str, kwargs: minijinja::value::Kwargs| tr.get(id, fluent_args(&kwargs, None).as_ref()));
    // `t_html("id", query=q|bdi)`: the message escaped as HTML, with arguments marked safe
    // put in as they are (markup inside a sentence, in the order each language needs).
    // Other arguments are escaped like the message.
    env.add_function("t_html", move |id: &str, kwargs: minijinja::value::Kwargs| {
        let mut markup = Vec::new();
        let args = fluent_args(&kwargs, Some(&mut markup));
        let mut html = nashir_core::escape_html(&translations.get(id, args.as_ref()));
        for (i, m) in markup.iter().enumerate() {
            html = html.replace(&markup_sentinel(i), m);
        }
        minijinja::Value::from_safe_string(html)
    });
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn site() -> SiteInfo {
        SiteInfo {
            name: "موقع".into(),
            description: String::new(),
            locale: "ar-IQ".into(),
            time_zone: "Asia/Baghdad".into(),
            hijri_offset_days: 0,
            public_url: "http://127.0.0.1:8080".into(),
            publisher_name: "ناشر".into(),
            publisher_description: String::new(),
            publisher_url: String::new(),
        }
    }

    #[test]
    fn og_locales() {
        let with = |locale: &str| SiteInfo { locale: locale.into(), ..site() };
        assert_eq!(with("ar").og_locale(), "ar_AR");
        assert_eq!(with("ar-IQ").og_locale(), "ar_IQ");
        assert_eq!(with("ar-EG-u-nu-latn").og_locale(), "ar_EG");
        assert_eq!(with("en").og_locale(), "en_US");
        assert_eq!(with("fr").og_locale(), "fr_FR");
    }

    #[test]
    fn builtin_theme_compiles_and_has_the_pages() {
        let r = Renderer::load(None, &site()).expect("built-in theme compiles");
        for page in ["base.html", "home.html", "article.html", "list.html", "404.html"] {
            assert!(r.builtin.get_template(page).is_ok(), "{page} missing");
        }
        assert!(r.static_file("style.css").is_some());
        assert!(r.static_file("../Cargo.toml").is_none());
    }

    #[test]
    fn a_syntax_error_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/404.html"), "سطر\n{% if %}\n").expect("write");
        let err = Renderer::load(Some(dir.path()), &site()).err().expect("must fail").to_string();
        assert!(err.contains("404.html:2"), "{err}");
    }

    #[test]
    fn a_site_template_overrides_and_can_extend_the_builtin() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/404.html"),
            "{% extends \"builtin/404.html\" %}{% block title %}مخصص{% endblock %}",
        )
        .expect("write");
        let r = Renderer::load(Some(dir.path()), &site()).expect("loads");
        let html = r.render("404.html", &serde_json::json!({})).expect("renders");
        assert!(html.contains("مخصص"));
        assert!(html.contains("dir=\"rtl\""));
    }

    #[test]
    fn text_is_escaped_but_urls_keep_their_slashes() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/probe.html"), "<a href=\"{{ url }}\">{{ title }}</a>{{ missing }}")
            .expect("write");
        let r = Renderer::load(Some(dir.path()), &site()).expect("loads");
        let html = r
            .render("probe.html", &serde_json::json!({ "url": "/news/1/x", "title": "<script>\"'&" }))
            .expect("renders");
        assert_eq!(html, "<a href=\"/news/1/x\">&lt;script&gt;&quot;&#x27;&amp;</a>");
    }

    #[test]
    fn a_site_template_failing_at_render_time_falls_back_to_the_builtin() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/404.html"), "{{ no_such_function() }}").expect("write");
        let r = Renderer::load(Some(dir.path()), &site()).expect("compiles: the mistake only shows when rendering");
        let html = r.render("404.html", &serde_json::json!({})).expect("falls back");
        assert!(html.contains("الصفحة غير موجودة"), "the built-in 404 page");
    }

    #[test]
    fn every_message_the_builtin_templates_name_exists_in_arabic() {
        let r = Renderer::load(None, &site()).expect("loads");
        let mut unknown = Vec::new();
        for name in builtin_template_names() {
            let source = builtin_source(&name).expect("source");
            let calls = source.match_indices("t(\"").map(|(i, _)| (i, 3)).chain(source.match_indices("t_html(\"").map(|(i, _)| (i, 8)));
            for (i, len) in calls {
                if source[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue; // asset("…")
                }
                let rest = &source[i + len..];
                let id = &rest[..rest.find('"').expect("closing quote")];
                // `t("list-kind-" ~ kind)` names a family; its members are checked below.
                let dynamic = rest[id.len() + 1..].trim_start().starts_with('~');
                if !dynamic && r.t(id) == id {
                    unknown.push(format!("{name}: {id}"));
                }
            }
        }
        for kind in ["category", "tag", "author"] {
            assert_ne!(r.t(&format!("list-kind-{kind}")), format!("list-kind-{kind}"));
        }
        assert!(unknown.is_empty(), "t() ids missing from locales/ar/: {unknown:?}");
    }

    #[test]
    fn an_english_site_reads_english_and_left_to_right() {
        let en = SiteInfo { locale: "en-GB".into(), name: "The Daily".into(), publisher_name: "Daily Press".into(), ..site() };
        let r = Renderer::load(None, &en).expect("loads");
        let html = r.render("404.html", &serde_json::json!({})).expect("renders");
        assert!(html.contains("lang=\"en-GB\" dir=\"ltr\""), "{html}");
        assert!(html.contains("Page not found"));
        assert!(!html.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "no Arabic left: {html}");
    }

    #[test]
    fn t_html_escapes_the_message_and_plain_arguments_but_not_markup() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/probe.html"),
            "{{ t_html(\"search-count\", count=3, query=q|bdi) }}|{{ t_html(\"search-none\", query=q) }}",
        )
        .expect("write");
        let r = Renderer::load(Some(dir.path()), &site()).expect("loads");
        let html = r.render("probe.html", &serde_json::json!({ "q": "<b>&" })).expect("renders");
        assert_eq!(html, "٣ نتيجة عن «<bdi>&lt;b&gt;&amp;</bdi>»|لا نتائج عن «&lt;b&gt;&amp;».");
    }

    #[test]
    fn direction_follows_the_locale() {
        let mut s = site();
        assert_eq!(s.dir(), "rtl");
        s.locale = "en-GB".into();
        assert_eq!(s.dir(), "ltr");
        s.locale = "ar-MA-u-nu-latn".into();
        assert_eq!(s.lang(), "ar-MA");
    }
}
