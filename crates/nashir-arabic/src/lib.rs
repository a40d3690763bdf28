//! Arabic text handling for Nashir, as specified in `design/ARABIC.md`: normalization
//! for search, a tokenizer that keeps byte offsets into the original text, a light
//! stemmer, slugs, excerpts and digit re-scripting. Pure functions, no I/O.
//!
//! Search indexes each text three ways: the **surface** form ([`strip_marks`]), the
//! **normalized** form ([`normalize`], see [`analyze_normalized`]) and the **stemmed**
//! form ([`light_stem`], see [`analyze`]). Stored text is never altered.
//!
//! ```
//! use nashir_arabic::{analyze, excerpt, normalize, slugify, strip_marks, tokenize};
//!
//! // Spellings readers and writers mix up meet after analysis.
//! assert_eq!(normalize("قاآني"), normalize("قااني"));
//! assert_eq!(analyze("والأمريكان"), analyze("الامريكان"));
//! assert_eq!(analyze("٢٠٢٤"), ["2024"]);
//!
//! // The surface form only drops harakat, tatweel and invisible characters.
//! assert_eq!(strip_marks("الـرَّئِيس"), "الرئيس");
//!
//! // Tokens point into the original text, so highlights show the author's spelling.
//! let text = "قال الرئيسُ: «نعم»";
//! let words: Vec<_> = tokenize(text).map(|t| &text[t.start..t.end]).collect();
//! assert_eq!(words, ["قال", "الرئيسُ", "نعم"]);
//!
//! assert_eq!(slugify("مَرحباً، يا عالم!"), "مرحبا-يا-عالم");
//! assert_eq!(excerpt("وزير الخارجية يلتقي نظيره", 15), "وزير الخارجية…");
//! ```

mod chars;
mod digits;
mod excerpt;
mod normalize;
mod slug;
mod stem;
mod tokenize;

pub use digits::{to_arabic_indic_digits, to_ascii_digits};
pub use excerpt::{excerpt, plain_title, strip_html};
pub use normalize::{FOLD_HAMZA_SEATS, normalize, normalize_into, strip_marks};
pub use slug::{MAX_SLUG_CHARS, is_valid_slug, slugify};
pub use stem::{ALLAH, light_stem};
pub use tokenize::{Token, Tokens, tokenize};

/// Name of the analyzer implemented here. Any change to folding, tokenizing or stemming
/// that changes terms must bump it, and a changed name means a reindex.
pub const ANALYZER_VERSION: &str = "ar_v1";

/// Terms of the stemmed field: tokenize, normalize, light-stem. Tokens that normalize
/// to nothing (a lone isolated haraka form) are skipped.
pub fn analyze(s: &str) -> Vec<String> {
    let mut buf = String::new();
    tokenize(s)
        .filter_map(|token| {
            buf.clear();
            normalize_into(token.text, &mut buf);
            (!buf.is_empty()).then(|| light_stem(&buf).into_owned())
        })
        .collect()
}

/// Terms of the normalized field: tokenize and normalize, no stemming. Phrase queries
/// and search-as-you-type use these.
pub fn analyze_normalized(s: &str) -> Vec<String> {
    tokenize(s)
        .map(|token| normalize(token.text))
        .filter(|term| !term.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two spellings "match" when they analyze to the same terms.
    fn assert_match(spellings: &[&str]) {
        let first = analyze(spellings[0]);
        assert!(!first.is_empty(), "{} has no terms", spellings[0]);
        for s in &spellings[1..] {
            assert_eq!(analyze(s), first, "{s} vs {}", spellings[0]);
        }
    }

    #[test]
    fn must_match_qaani() {
        assert_match(&["قاآني", "قااني"]);
    }

    #[test]
    fn must_match_asdiqaa_with_and_without_hamza_and_clitic() {
        assert_match(&["أصدقاء", "اصدقاء", "والأصدقاء"]);
    }

    #[test]
    fn must_match_al_amrikan_with_and_without_hamza_and_clitic() {
        assert_match(&["الأمريكان", "الامريكان", "والأمريكان"]);
    }

    #[test]
    fn must_match_alef_maqsura_and_yeh() {
        assert_match(&["مستشفى", "مستشفي"]);
    }

    #[test]
    fn must_match_harakat_and_bare_text() {
        assert_match(&["مَدْرَسَة", "مدرسة"]);
    }

    #[test]
    fn must_match_tatweel_and_plain() {
        assert_match(&["الـــرئيس", "الرئيس"]);
    }

    #[test]
    fn must_match_digits_of_three_scripts() {
        assert_match(&["٢٠٢٤", "2024", "۲۰۲۴"]);
    }

    #[test]
    fn must_match_persian_kaf() {
        assert_match(&["کتاب", "كتاب"]);
    }

    #[test]
    fn must_match_plural_nominative_and_oblique() {
        assert_match(&["المعلمون", "المعلمين"]);
    }

    #[test]
    fn must_match_invisible_characters_inside_a_word() {
        assert_match(&[
            "الرئيس",
            "الر\u{200C}ئيس",
            "الرئ\u{200F}يس",
            "ال\u{200D}رئيس",
            "الرئيس\u{200E}",
            "\u{061C}الرئيس",
        ]);
    }

    #[test]
    fn must_match_extended_cases() {
        assert_match(&["الولايات", "الولاية"]);
        assert_match(&["٣٫٥", "3.5", "۳٫۵"]);
        assert_match(&["١٬٢٠٠", "1,200", "1200"]);
        assert_match(&["ﻻ", "لا"]);
        assert_match(&["COVID", "covid", "Covid"]);
        assert_match(&["إسرائيل", "اسرائيل"]);
        assert_match(&["\u{0627}\u{0654}صدقاء", "أصدقاء"]);
        assert_match(&["حزب الله", "حزب ﷲ"]);
    }

    #[test]
    fn must_match_in_running_text() {
        assert_eq!(
            analyze("قال الرئيسُ، في «مستشفى» الأمريكان ٢٠٢٤."),
            analyze("قال الرئيس في مستشفي الامريكان 2024")
        );
    }

    #[test]
    fn ala_and_ali_merge_in_normalized_form_but_not_in_surface_form() {
        // Folding ى→ي merges "on" and "Ali"; the surface field keeps them apart so a
        // document about Ali ranks first for the query علي.
        assert_eq!(normalize("على"), normalize("علي"));
        assert_ne!(strip_marks("على"), strip_marks("علي"));
    }

    #[test]
    fn madrasa_and_mudarris_differ_when_normalized() {
        // Stemming merges school and teacher; the normalized field separates them.
        assert_ne!(analyze_normalized("مدرسة"), analyze_normalized("مدرس"));
        assert_eq!(analyze("مدرسة"), analyze("مدرس"));
    }

    #[test]
    fn al_wilayat_never_stems_to_wala() {
        assert_ne!(analyze("الولايات"), ["ولا"]);
        assert_ne!(analyze("الولايات"), analyze("ولا"));
        assert_ne!(analyze("الولايات المتحدة")[0], "ولا");
    }

    #[test]
    fn hamza_alone_is_not_folded_into_anything() {
        assert_ne!(analyze_normalized("سماء"), analyze_normalized("سما"));
    }

    #[test]
    fn analyze_normalized_does_not_stem() {
        assert_eq!(
            analyze_normalized("والأمريكان ٢٠٢٤ iPhone"),
            ["والامريكان", "2024", "iphone"]
        );
    }

    #[test]
    fn analyze_leaves_latin_and_numbers_unstemmed() {
        assert_eq!(
            analyze("Stations والـ iPhone 3.5"),
            ["stations", "وال", "iphone", "3.5"]
        );
    }

    #[test]
    fn analyze_skips_tokens_that_normalize_to_nothing() {
        assert_eq!(analyze("\u{FE70} ب"), ["ب"]);
        assert!(analyze("،؛؟ ـــ").is_empty());
    }

    #[test]
    fn analyzer_version_is_named() {
        assert_eq!(ANALYZER_VERSION, "ar_v1");
    }
}
