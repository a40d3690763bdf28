//! URL slugs from article titles, per ARABIC.md "Slugs".
//! Owns which characters survive into a slug and how a long slug is shortened.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::chars::{
    ascii_digit, digit_value, is_arabic_letter, is_deleted, is_latin_letter, is_presentation_form,
};
use crate::normalize::expand_presentation_forms;

/// Longest slug in characters (not bytes: an Arabic letter is 2 bytes, 6 when
/// percent-encoded).
pub const MAX_SLUG_CHARS: usize = 80;

/// Builds a slug from a title. Returns `""` when nothing survives; the caller picks a
/// fallback (an id, a date).
///
/// - NFC; presentation forms and ligatures (`ﻻ`, `ﷺ`) are expanded to plain letters.
/// - Harakat and other combining marks, tatweel and invisible characters are dropped
///   without a trace, so `الـــرئيس` and `الرَّئِيس` give `الرئيس`.
/// - Arabic-script letters are kept as written (no alef or `ة` folding, no
///   transliteration); Latin letters are kept lower-cased.
/// - Digits of every script become ASCII: `٢٠٢٤` and `2024` give the same slug, and an
///   ASCII digit is 1 byte in a URL where `٢` is `%D9%A2`.
/// - Every run of anything else becomes one `-`; no `-` at either end.
/// - At most [`MAX_SLUG_CHARS`] characters, cut after the last whole word that fits
///   (a single word longer than that is cut inside).
pub fn slugify(title: &str) -> String {
    let expanded;
    let source = if title.chars().any(is_presentation_form) {
        // Spaces inside ligatures like ﷺ are real word breaks in a slug.
        expanded = expand_presentation_forms(title, true);
        expanded.as_str()
    } else {
        title
    };
    let mut slug = Slug::with_capacity(source.len());
    for c in source.nfc() {
        slug.push(c);
    }
    shorten(slug.out)
}

/// Whether `s` is exactly what [`slugify`] can produce: non-empty, within
/// [`MAX_SLUG_CHARS`], only kept characters and single inner hyphens.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_SLUG_CHARS
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c == '-' || is_slug_char(c))
}

fn is_slug_char(c: char) -> bool {
    c.is_ascii_digit() || is_arabic_letter(c) || (is_latin_letter(c) && is_own_lowercase(c))
}

fn is_own_lowercase(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

struct Slug {
    out: String,
    pending_hyphen: bool,
}

impl Slug {
    fn with_capacity(n: usize) -> Slug {
        Slug {
            out: String::with_capacity(n),
            pending_hyphen: false,
        }
    }

    fn push(&mut self, c: char) {
        if is_deleted(c) || is_combining_mark(c) {
            return;
        }
        if let Some(d) = digit_value(c) {
            self.keep(ascii_digit(d));
        } else if is_arabic_letter(c) {
            self.keep(c);
        } else if is_latin_letter(c) {
            // Lower-casing can yield a combining mark (İ → i + U+0307); drop it like any mark.
            for lower in c.to_lowercase().filter(|&l| !is_combining_mark(l)) {
                self.keep(lower);
            }
        } else {
            self.pending_hyphen = true;
        }
    }

    fn keep(&mut self, c: char) {
        if self.pending_hyphen && !self.out.is_empty() {
            self.out.push('-');
        }
        self.pending_hyphen = false;
        self.out.push(c);
    }
}

fn shorten(mut slug: String) -> String {
    let Some((cut, _)) = slug.char_indices().nth(MAX_SLUG_CHARS) else {
        return slug;
    };
    let end = if slug[cut..].starts_with('-') {
        cut
    } else {
        // Hyphens never start a slug, so `Some(0)` cannot happen; no hyphen means one
        // long word, which is cut where it must be.
        slug[..cut].rfind('-').unwrap_or(cut)
    };
    slug.truncate(end);
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_title_with_harakat_and_punctuation() {
        assert_eq!(
            slugify("الرَّئِيسُ يَزُورُ بَغْدَادَ، وَيَلْتَقِي «الوَزِيرَ»!"),
            "الرئيس-يزور-بغداد-ويلتقي-الوزير"
        );
    }

    #[test]
    fn letters_are_kept_as_written() {
        assert_eq!(slugify("أصدقاء مدرسة على"), "أصدقاء-مدرسة-على");
        assert_eq!(slugify("کتاب"), "کتاب");
    }

    #[test]
    fn tatweel_and_invisibles_vanish_without_a_hyphen() {
        assert_eq!(slugify("الـــرئيس"), "الرئيس");
        assert_eq!(slugify("الر\u{200C}ئيس\u{200F} اليوم"), "الرئيس-اليوم");
    }

    #[test]
    fn mixed_latin_is_lower_cased_and_never_transliterated() {
        assert_eq!(
            slugify("Apple تطلق iPhone 15 Pro"),
            "apple-تطلق-iphone-15-pro"
        );
        assert_eq!(slugify("Café Ünïcode"), "café-ünïcode");
        assert_eq!(slugify("İstanbul"), "istanbul");
    }

    #[test]
    fn digits_of_any_script_become_ascii() {
        assert_eq!(slugify("انتخابات ٢٠٢٤"), "انتخابات-2024");
        assert_eq!(slugify("انتخابات ۲۰۲۴"), "انتخابات-2024");
        assert_eq!(slugify("نمو ٣٫٥٪"), "نمو-3-5");
    }

    #[test]
    fn decomposed_letters_are_composed_not_dropped() {
        assert_eq!(slugify("\u{0627}\u{0654}صدقاء"), "أصدقاء");
        assert_eq!(slugify("Cafe\u{0301}"), "café");
    }

    #[test]
    fn presentation_forms_become_plain_letters() {
        assert_eq!(slugify("\u{FEFB} \u{FDF2}"), "لا-الله");
        assert_eq!(slugify("النبي \u{FDFA}"), "النبي-صلى-الله-عليه-وسلم");
    }

    #[test]
    fn punctuation_only_title_gives_empty_slug() {
        assert_eq!(slugify("!!! ،؛؟ «» ... — ـــ 👍"), "");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("\u{064E}\u{0651}"), "");
    }

    #[test]
    fn other_scripts_and_symbols_become_hyphens() {
        assert_eq!(slugify("مصر—Россия vs 中国"), "مصر-vs");
        assert_eq!(slugify("  --a--b--  "), "a-b");
    }

    #[test]
    fn long_title_is_cut_at_a_hyphen_within_80_chars() {
        let title = "وزير الخارجية يلتقي نظيره الأمريكي في واشنطن لبحث العلاقات الثنائية ".repeat(3);
        assert!(title.chars().count() >= 200);
        let slug = slugify(&title);
        assert!(slug.chars().count() <= MAX_SLUG_CHARS, "{slug}");
        assert!(is_valid_slug(&slug));
        // It ends on a whole word of the full slug.
        let full: String = title.split_whitespace().collect::<Vec<_>>().join("-");
        assert!(full.starts_with(&slug));
        assert!(full[slug.len()..].starts_with('-'));
        assert_eq!(
            slug,
            "وزير-الخارجية-يلتقي-نظيره-الأمريكي-في-واشنطن-لبحث-العلاقات-الثنائية-وزير"
        );
    }

    #[test]
    fn cut_exactly_before_a_hyphen_keeps_the_last_word() {
        // 39 + 1 + 40 = 80 characters, and the 81st is the hyphen before the next word.
        let fits = format!("{}-{}", "ا".repeat(39), "ب".repeat(40));
        assert_eq!(
            slugify(&format!("{} {} تكملة", "ا".repeat(39), "ب".repeat(40))),
            fits
        );
    }

    #[test]
    fn a_word_crossing_the_limit_is_dropped_whole() {
        let word = "ب".repeat(40);
        assert_eq!(slugify(&format!("{word} {word} {word}")), word);
    }

    #[test]
    fn a_single_word_longer_than_the_limit_is_cut_inside() {
        let slug = slugify(&"ك".repeat(200));
        assert_eq!(slug.chars().count(), MAX_SLUG_CHARS);
    }

    #[test]
    fn valid_slugs() {
        assert!(is_valid_slug("الرئيس-يزور-بغداد"));
        assert!(is_valid_slug("apple-2024"));
        assert!(is_valid_slug("café"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug("a-"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("Apple"));
        assert!(!is_valid_slug("a b"));
        assert!(!is_valid_slug("٢٠٢٤"));
        assert!(!is_valid_slug("مَدرسة"));
        assert!(!is_valid_slug("الـرئيس"));
        assert!(!is_valid_slug(&"a".repeat(MAX_SLUG_CHARS + 1)));
        assert!(is_valid_slug(&"a".repeat(MAX_SLUG_CHARS)));
    }

    #[test]
    fn slugify_output_is_valid_and_stable() {
        for title in [
            "الرَّئِيسُ يَزُورُ بَغْدَادَ",
            "Apple تطلق iPhone 15",
            "نمو ٣٫٥٪",
            "İstanbul ﷺ",
            &"كلمة طويلة جدا ".repeat(20),
        ] {
            let slug = slugify(title);
            assert!(is_valid_slug(&slug), "{slug}");
            assert_eq!(slugify(&slug), slug);
        }
    }
}
