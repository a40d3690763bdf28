//! Character-level folding: the surface form (`strip_marks`) and the search form (`normalize`).
//! Owns the fold table of ARABIC.md "Normalization" and the presentation-form expansion.

use unicode_normalization::char::decompose_compatible;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::chars::{ascii_digit, digit_value, is_deleted, is_presentation_form};

/// Whether `ؤ`→`و` and `ئ`→`ي` are folded. ARABIC.md calls this "a choice to measure,
/// not to assume": writers do drop the seat (مسئول/مسؤول/مسول), but folding also merges
/// distinct words. Off until the known-item evaluation says otherwise; flipping it changes
/// the analyzer, so bump [`crate::ANALYZER_VERSION`] with it.
pub const FOLD_HAMZA_SEATS: bool = false;

/// The surface form: marks, tatweel and invisible characters removed, letters as written.
///
/// A hamza or madda written as a combining mark after its seat (`ا` + U+0654) is first
/// composed with it (NFC), because it is part of the letter `أ`, not a mark to delete;
/// deleting it would silently fold the letter in a field that promises not to.
pub fn strip_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if needs_composition(s) {
        out.extend(s.chars().nfc().filter(|&c| !is_deleted(c)));
    } else {
        out.extend(s.chars().filter(|&c| !is_deleted(c)));
    }
    out
}

/// The search form of ARABIC.md: presentation forms folded, marks deleted, alef/yeh/teh
/// marbuta and Persian letters folded, digits to ASCII, lower case.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] appending to `out`, so a tokenizer loop can reuse one buffer.
///
/// Besides the fold table, number separators are unified so `٣٫٥` meets `3.5` and
/// `١٬٢٠٠` meets `1,200` and `1200`: `٫`→`.`, `٬`→`,`, and a comma that groups exactly
/// three digits is dropped. Spaces produced by expanding a ligature such as `ﷺ` are
/// dropped so a term never contains a space.
pub fn normalize_into(s: &str, out: &mut String) {
    let start = out.len();
    if s.chars().any(is_presentation_form) {
        let expanded = expand_presentation_forms(s, false);
        // The expansion leaves hamza as a combining mark (ﻷ → ل ا U+0654); compose it back.
        expanded.chars().nfc().for_each(|c| push_folded(c, out));
    } else if needs_composition(s) {
        s.chars().nfc().for_each(|c| push_folded(c, out));
    } else {
        s.chars().for_each(|c| push_folded(c, out));
    }
    drop_group_separators(out, start);
}

/// NFKC-decomposes presentation forms only, leaving the rest of `s` untouched so that
/// e.g. superscript digits or Latin ligatures are not silently rewritten.
pub(crate) fn expand_presentation_forms(s: &str, keep_spaces: bool) -> String {
    let mut expanded = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if is_presentation_form(c) {
            decompose_compatible(c, |d| {
                // Isolated harakat (U+FE70…) decompose to SPACE + mark; the space is an
                // artifact of their spacing form, not a word break.
                if keep_spaces || d != ' ' {
                    expanded.push(d);
                }
            });
        } else {
            expanded.push(c);
        }
    }
    expanded
}

pub(crate) fn needs_composition(s: &str) -> bool {
    // Plain Latin-1 and bare Arabic letters are NFC on their own and compose with
    // nothing, which covers most tokens; only the rest pays for the full quick check.
    let trivially_nfc = s
        .chars()
        .all(|c| c < '\u{0300}' || matches!(c, '\u{0621}'..='\u{064A}'));
    !trivially_nfc && !matches!(is_nfc_quick(s.chars()), IsNormalized::Yes)
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_deleted(c) {
        return;
    }
    let folded = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' | 'ہ' | 'ۀ' => 'ه',
        'ک' => 'ك',
        'ؤ' if FOLD_HAMZA_SEATS => 'و',
        'ئ' if FOLD_HAMZA_SEATS => 'ي',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        // Unfolded Arabic letters skip the digit and case lookups below.
        '\u{0621}'..='\u{064A}' => c,
        _ => match digit_value(c) {
            Some(d) => ascii_digit(d),
            None => {
                out.extend(c.to_lowercase());
                return;
            }
        },
    };
    out.push(folded);
}

/// Removes thousands separators from `out[start..]`: a comma between a digit and exactly
/// three digits. `1,5` (a decimal comma) and `12,3456` are left alone.
fn drop_group_separators(out: &mut String, start: usize) {
    let region = &out[start..];
    if !region.contains(',') {
        return;
    }
    let bytes = region.as_bytes();
    let mut kept = String::with_capacity(region.len());
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b',' && groups_three_digits(bytes, i) {
            kept.push_str(&region[last..i]);
            last = i + 1;
        }
    }
    if last == 0 {
        return;
    }
    kept.push_str(&region[last..]);
    out.truncate(start);
    out.push_str(&kept);
}

fn groups_three_digits(bytes: &[u8], comma: usize) -> bool {
    comma > 0
        && bytes[comma - 1].is_ascii_digit()
        && bytes
            .get(comma + 1..comma + 4)
            .is_some_and(|group| group.iter().all(u8::is_ascii_digit))
        && bytes.get(comma + 4).is_none_or(|b| !b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_marks_removes_harakat_tatweel_and_invisibles() {
        assert_eq!(strip_marks("مَدْرَسَةٌ"), "مدرسة");
        assert_eq!(strip_marks("الـــرئيس"), "الرئيس");
        assert_eq!(strip_marks("الر\u{200C}ئيس\u{200F}"), "الرئيس");
        assert_eq!(strip_marks("\u{061C}علي\u{200D}\u{200E}"), "علي");
        assert_eq!(strip_marks("هٰذا"), "هذا");
        assert_eq!(strip_marks("الْقُرْآنِ"), "القرآن");
    }

    #[test]
    fn strip_marks_keeps_letters_as_written() {
        assert_eq!(strip_marks("أصدقاء"), "أصدقاء");
        assert_eq!(strip_marks("على"), "على");
        assert_eq!(strip_marks("مدرسة"), "مدرسة");
        assert_eq!(strip_marks("کتاب"), "کتاب");
        assert_eq!(strip_marks("Hello ٢٠٢٤"), "Hello ٢٠٢٤");
    }

    #[test]
    fn strip_marks_composes_a_decomposed_hamza_instead_of_deleting_it() {
        // ا + HAMZA ABOVE is canonically أ; و + HAMZA ABOVE is ؤ.
        assert_eq!(strip_marks("\u{0627}\u{0654}صدقاء"), "أصدقاء");
        assert_eq!(strip_marks("مس\u{0648}\u{0654}ول"), "مسؤول");
        // Even with a haraka between the seat and the hamza.
        assert_eq!(strip_marks("\u{0627}\u{064E}\u{0654}"), "أ");
    }

    #[test]
    fn alef_forms_fold_to_bare_alef() {
        assert_eq!(normalize("أإآٱا"), "ااااا");
        assert_eq!(normalize("قاآني"), "قااني");
    }

    #[test]
    fn yeh_teh_marbuta_and_persian_letters_fold() {
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("مدرسة"), "مدرسه");
        assert_eq!(normalize("ی"), "ي");
        assert_eq!(normalize("کتاب"), "كتاب");
        assert_eq!(normalize("ہ"), "ه");
        assert_eq!(normalize("ۀ"), "ه");
    }

    #[test]
    fn hamza_is_never_folded() {
        assert_eq!(normalize("ء"), "ء");
        assert_eq!(normalize("أصدقاء"), "اصدقاء");
    }

    #[test]
    fn hamza_seats_follow_the_switch() {
        assert_eq!(normalize("مسؤول") == "مسؤول", !FOLD_HAMZA_SEATS);
        assert_eq!(normalize("رئيس") == "رئيس", !FOLD_HAMZA_SEATS);
    }

    #[test]
    fn decomposed_hamza_seat_equals_precomposed() {
        assert_eq!(normalize("مس\u{0648}\u{0654}ول"), normalize("مسؤول"));
        assert_eq!(normalize("\u{064A}\u{0654}"), normalize("ئ"));
        assert_eq!(normalize("\u{06D5}\u{0654}"), "ه");
    }

    #[test]
    fn digits_of_any_script_become_ascii() {
        assert_eq!(normalize("٢٠٢٤"), "2024");
        assert_eq!(normalize("۲۰۲۴"), "2024");
        assert_eq!(normalize("२०२४"), "2024");
        assert_eq!(normalize("２０２４"), "2024");
    }

    #[test]
    fn number_separators_are_unified() {
        assert_eq!(normalize("٣٫٥"), "3.5");
        assert_eq!(normalize("١٬٢٠٠"), "1200");
        assert_eq!(normalize("1,200"), "1200");
        assert_eq!(normalize("1,234,567.5"), "1234567.5");
        assert_eq!(normalize("1,5"), "1,5");
        assert_eq!(normalize("12,3456"), "12,3456");
    }

    #[test]
    fn latin_is_lower_cased_and_arabic_untouched_by_case() {
        assert_eq!(normalize("COVID مصر"), "covid مصر");
        assert_eq!(normalize("ÉTÉ"), "été");
    }

    #[test]
    fn presentation_forms_and_ligatures_fold() {
        assert_eq!(normalize("\u{FEFB}"), "لا"); // ﻻ
        assert_eq!(normalize("\u{FEF7}"), "لا"); // ﻷ → لأ → لا
        assert_eq!(normalize("\u{FDF2}"), "الله"); // ﷲ
        assert_eq!(
            normalize("\u{FE8D}\u{FEDF}\u{FEE4}\u{FEE0}\u{FEDC}"),
            "الملك"
        );
        assert_eq!(normalize("\u{FDFA}"), "صلياللهعليهوسلم"); // ﷺ, no spaces inside a term
        assert_eq!(normalize("ب\u{FE70}"), "ب"); // isolated fathatan leaves nothing
    }

    #[test]
    fn presentation_form_hamza_seat_is_kept_like_the_plain_letter() {
        assert_eq!(normalize("\u{FE85}"), normalize("ؤ")); // ﺅ
        assert_eq!(normalize("\u{FE89}"), normalize("ئ")); // ﺉ
    }

    #[test]
    fn marks_tatweel_and_invisibles_are_deleted() {
        assert_eq!(normalize("مَدْرَسَة"), "مدرسه");
        assert_eq!(normalize("الـــرئيس"), "الرئيس");
        assert_eq!(normalize("الر\u{200C}ئيس"), "الرئيس");
        assert_eq!(normalize("الرئ\u{200F}يس"), "الرئيس");
        assert_eq!(normalize("\u{FEFF}\u{00AD}علي\u{2069}"), "علي");
    }

    #[test]
    fn normalize_into_appends_without_touching_existing_text() {
        let mut buf = String::from("x,123 ");
        normalize_into("١٬٢٠٠ أ", &mut buf);
        assert_eq!(buf, "x,123 1200 ا");
    }

    #[test]
    fn normalize_is_idempotent() {
        for s in [
            "والأمريكان",
            "٣٫٥",
            "ﻷ",
            "ﷺ",
            "مَدْرَسَة",
            "İstanbul",
            "1,200",
            "مسئول",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s}");
        }
    }
}
