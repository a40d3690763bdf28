//! Interface strings from translation files: Project Fluent (`.ftl`), one folder per
//! language under the theme's `locales/` (`locales/ar/public.ftl`, `locales/en/newsroom.ftl`…).
//!
//! Arabic is the reference: every message exists in `locales/ar/`. A site whose language
//! has its own folder reads its messages there first; a message missing there falls back to
//! the Arabic one, and [`Translations::missing`] lists it (logged at start, and tested for the
//! built-in languages). A site theme's `locales/LANG/NAME.ftl` replaces the built-in file of
//! the same name, like templates and static files; other file names are added.
//!
//! Numbers passed as arguments choose plural forms by the language's CLDR rules (Arabic's
//! zero, one, two, few, many, other) and are written in the site's digits.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::theme::{BuiltinTheme, RenderError};

/// The language every message is written in first, and the fallback of the others.
pub const REFERENCE_LANGUAGE: &str = "ar";

type Bundle = FluentBundle<FluentResource>;

/// The site's messages: its own language's, then Arabic's.
pub struct Translations {
    own: Option<Bundle>,
    reference: Bundle,
    language: String,
    missing: Vec<String>,
}

impl Translations {
    /// Loads `locales/{language}/` and `locales/ar/` (built-in, then the theme folder's
    /// files). `language` is a BCP-47 tag; `en-GB` reads `locales/en-GB/` when there is one,
    /// else `locales/en/`. Arabic digits are used for numbers when `arabic_digits`.
    pub fn load(theme_dir: Option<&Path>, language: &str, arabic_digits: bool) -> Result<Self, RenderError> {
        let (reference, reference_ids) = bundle(theme_dir, REFERENCE_LANGUAGE, arabic_digits)?
            .ok_or_else(|| RenderError::Translation { file: "locales/ar/".into(), message: "no Arabic messages".into() })?;
        let primary = language.split(['-', '_']).next().unwrap_or(language).to_ascii_lowercase();
        let mut own = None;
        let mut chosen = REFERENCE_LANGUAGE.to_owned();
        if primary != REFERENCE_LANGUAGE {
            for candidate in [language.to_owned(), primary.clone()] {
                if let Some((b, _)) = bundle(theme_dir, &candidate, arabic_digits)? {
                    own = Some(b);
                    chosen = candidate;
                    break;
                }
            }
            if own.is_none() {
                tracing::warn!(language, "no translation files for the site's language; the interface is in Arabic");
            }
        }
        let missing = match &own {
            Some(b) => reference_ids.into_iter().filter(|id| !has_value(b, id)).collect(),
            None => Vec::new(),
        };
        if !missing.is_empty() {
            tracing::warn!(language = %chosen, count = missing.len(), first = %missing[0], "messages missing from the translation fall back to Arabic");
        }
        Ok(Translations { own, reference, language: chosen, missing })
    }

    /// The folder whose messages the site reads first (`ar` when it has none of its own).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The Arabic messages the site's own language lacks (shown in Arabic instead).
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// The message `id` with `args`. A message the site's language lacks is taken in Arabic;
    /// an id no language knows comes back as itself, so the mistake shows on the page.
    pub fn get(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for b in self.own.iter().chain(std::iter::once(&self.reference)) {
            if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = b.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::debug!(id, ?errors, "message formatted with errors");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(id, "unknown message id");
        id.to_owned()
    }

    /// `get` with arguments given as pairs.
    pub fn get_with<'a>(&self, id: &str, args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(k, v);
        }
        self.get(id, Some(&a))
    }
}

fn has_value(b: &Bundle, id: &str) -> bool {
    b.get_message(id).is_some_and(|m| m.value().is_some())
}

/// The `.ftl` files of one language: the built-in ones, each replaced by the theme folder's
/// file of the same name, plus the folder's other files. Sorted by name.
fn files(theme_dir: Option<&Path>, language: &str) -> Result<BTreeMap<String, (String, String)>, RenderError> {
    let prefix = format!("locales/{language}/");
    let mut out = BTreeMap::new();
    for path in BuiltinTheme::iter() {
        if let Some(name) = path.strip_prefix(&prefix)
            && name.ends_with(".ftl")
            && let Some(file) = BuiltinTheme::get(&path)
        {
            let text = String::from_utf8(file.data.into_owned()).map_err(|_| RenderError::Translation {
                file: format!("themes/default/{path}"),
                message: "not UTF-8".into(),
            })?;
            out.insert(name.to_owned(), (format!("themes/default/{path} (built-in)"), text));
        }
    }
    if let Some(dir) = theme_dir {
        let folder = dir.join("locales").join(language);
        if folder.is_dir() {
            let entries = std::fs::read_dir(&folder).map_err(|source| RenderError::Io { path: folder.clone(), source })?;
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
                if !name.ends_with(".ftl") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).map_err(|source| RenderError::Io { path: path.clone(), source })?;
                out.insert(name, (path.display().to_string(), text));
            }
        }
    }
    Ok(out)
}

fn parse(file: &str, text: String) -> Result<FluentResource, RenderError> {
    FluentResource::try_new(text).map_err(|(resource, errors)| {
        let first = &errors[0];
        let at = first.slice.as_ref().map_or(first.pos.start, |s| s.start).min(resource.source().len());
        let line = resource.source()[..at].matches('\n').count() + 1;
        RenderError::Translation { file: format!("{file}:{line}"), message: format!("{:?}", first.kind) }
    })
}

/// A language's bundle and the ids of the messages its files define, or None without files.
fn bundle(theme_dir: Option<&Path>, language: &str, arabic_digits: bool) -> Result<Option<(Bundle, Vec<String>)>, RenderError> {
    let files = files(theme_dir, language)?;
    if files.is_empty() {
        return Ok(None);
    }
    let id: LanguageIdentifier = language
        .parse()
        .map_err(|_| RenderError::Translation { file: format!("locales/{language}/"), message: "not a language tag".into() })?;
    let mut b = Bundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    if arabic_digits {
        b.set_formatter(Some(arabic_indic_numbers));
    }
    let mut ids = Vec::new();
    for (_, (file, text)) in files {
        let resource = parse(&file, text)?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry
                && m.value.is_some()
            {
                ids.push(m.id.name.to_owned());
            }
        }
        b.add_resource(resource).map_err(|errors| RenderError::Translation {
            file: file.clone(),
            message: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
        })?;
    }
    Ok(Some((b, ids)))
}

fn arabic_indic_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(nashir_arabic::to_arabic_indic_digits(&n.as_string())),
        _ => None,
    }
}

/// A template value as a Fluent argument: numbers stay numbers (they choose plural forms).
pub(crate) fn fluent_value(v: &minijinja::Value) -> FluentValue<'static> {
    if let Ok(n) = i64::try_from(v.clone()) {
        return FluentValue::from(n);
    }
    if v.kind() == minijinja::value::ValueKind::Number
        && let Ok(f) = f64::try_from(v.clone())
    {
        return FluentValue::from(f);
    }
    if v.is_none() || v.is_undefined() {
        return FluentValue::from(String::new());
    }
    FluentValue::from(Cow::Owned::<str>(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message id of a built-in language's files.
    fn message_ids(language: &str) -> Vec<String> {
        bundle(None, language, false).expect("loads").expect("has files").1
    }

    fn theme_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        dir
    }

    #[test]
    fn every_builtin_language_has_every_arabic_message() {
        let ar = message_ids("ar");
        assert!(ar.len() > 100, "the Arabic messages load ({})", ar.len());
        // Every language folder of the built-in theme.
        let mut languages: Vec<String> = BuiltinTheme::iter()
            .filter_map(|p| p.strip_prefix("locales/").and_then(|rest| rest.split_once('/')).map(|(l, _)| l.to_owned()))
            .filter(|l| l != REFERENCE_LANGUAGE)
            .collect();
        languages.sort();
        languages.dedup();
        assert!(languages.contains(&"en".to_owned()), "{languages:?}");
        for language in languages.iter().map(String::as_str) {
            let t = Translations::load(None, language, false).expect("loads");
            assert_eq!(t.language(), language);
            assert_eq!(t.missing(), &[] as &[String], "messages missing from locales/{language}/ (shown in Arabic)");
            // And nothing the translation has that Arabic lacks (a misspelt id).
            let own = message_ids(language);
            let extra: Vec<_> = own.iter().filter(|id| !ar.contains(id)).collect();
            assert!(extra.is_empty(), "ids in locales/{language}/ that Arabic lacks: {extra:?}");
        }
    }

    #[test]
    fn a_missing_translation_falls_back_to_arabic_and_is_reported() {
        // A site theme replaces the English public messages with a file that lacks one.
        let ar = files(None, "ar").expect("ar");
        let (_, public) = ar.get("public.ftl").expect("public.ftl");
        let en = files(None, "en").expect("en");
        let (_, en_public) = en.get("public.ftl").expect("en public.ftl");
        let without: String = en_public.lines().filter(|l| !l.starts_with("search-button =")).collect::<Vec<_>>().join("\n");
        let dir = theme_with(&[("locales/en/public.ftl", &without)]);
        let t = Translations::load(Some(dir.path()), "en-GB", false).expect("loads");
        assert_eq!(t.language(), "en");
        assert_eq!(t.missing(), &["search-button".to_owned()]);
        let arabic = public.lines().find_map(|l| l.strip_prefix("search-button = ")).expect("the Arabic message");
        assert_eq!(t.get("search-button", None), arabic, "shown in Arabic");
        assert_eq!(t.get("home", None), "Home", "the rest stays English");
    }

    #[test]
    fn a_language_without_files_is_arabic_and_unknown_ids_show_themselves() {
        let t = Translations::load(None, "fr", false).expect("loads");
        assert_eq!(t.language(), "ar");
        assert_eq!(t.get("home", None), "الرئيسية");
        assert_eq!(t.get("no-such-message", None), "no-such-message");
    }

    #[test]
    fn plurals_follow_each_language_and_numbers_the_site_digits() {
        let ar = Translations::load(None, "ar-IQ", true).expect("ar");
        let n = |t: &Translations, count: i64| t.get_with("comments-count", [("count", FluentValue::from(count))]);
        assert_eq!(n(&ar, 0), "لا تعليقات");
        assert_eq!(n(&ar, 1), "تعليق واحد");
        assert_eq!(n(&ar, 2), "تعليقان");
        assert_eq!(n(&ar, 3), "٣ تعليقات");
        assert_eq!(n(&ar, 11), "١١ تعليقاً");
        assert_eq!(n(&ar, 100), "١٠٠ تعليق");
        let latin = Translations::load(None, "ar-MA-u-nu-latn", false).expect("ar-MA");
        assert_eq!(n(&latin, 3), "3 تعليقات");
        let en = Translations::load(None, "en", false).expect("en");
        assert_eq!(n(&en, 1), "1 comment");
        assert_eq!(n(&en, 11), "11 comments");
    }

    #[test]
    fn a_broken_translation_file_names_itself_and_its_line() {
        let dir = theme_with(&[("locales/en/extra.ftl", "ok = fine\nbroken = {\n")]);
        let err = Translations::load(Some(dir.path()), "en", false).err().expect("fails").to_string();
        assert!(err.contains("extra.ftl:2"), "{err}");
    }
}
