//! Character classes shared by every other module of the crate.
//! Owns the single definition of "deleted mark", "invisible", "Arabic letter" and "digit".

use unicode_normalization::char::is_combining_mark;

pub(crate) const TATWEEL: char = '\u{0640}';

/// Arabic combining marks that carry no letter identity: harakat, superscript alef,
/// Quranic and honorific annotation marks. ARABIC.md names U+064B–U+065F and U+0670;
/// the other annotation ranges are included because they are just as meaningless for
/// search and slugs and would otherwise leave stray marks in terms.
pub(crate) fn is_arabic_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{08CA}'..='\u{08E1}'
            | '\u{08E3}'..='\u{08FF}'
    )
}

/// Zero-width format characters that may sit inside a word without ending it.
/// Beyond the ZWNJ/ZWJ/LRM/RLM/ALM of ARABIC.md this covers the soft hyphen, word joiner,
/// BOM and bidi embedding/isolate controls, which editors paste into names just as often.
/// ZWSP (U+200B) is deliberately absent: it is a space and must split words.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200C}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Everything `strip_marks` deletes.
pub(crate) fn is_deleted(c: char) -> bool {
    c == TATWEEL || is_arabic_mark(c) || is_invisible(c)
}

/// Characters that continue a word without being a letter of their own.
pub(crate) fn is_word_joiner(c: char) -> bool {
    is_deleted(c) || is_combining_mark(c)
}

/// Arabic-script base letters (Arabic, Supplement, Extended-A), excluding tatweel,
/// marks, digits and punctuation of those blocks. Presentation forms are not included:
/// callers fold them first.
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0620}'..='\u{063F}'
            | '\u{0641}'..='\u{064A}'
            | '\u{066E}'..='\u{066F}'
            | '\u{0671}'..='\u{06D3}'
            | '\u{06D5}'
            | '\u{06EE}'..='\u{06EF}'
            | '\u{06FA}'..='\u{06FC}'
            | '\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08C8}'
    )
}

/// Arabic presentation forms A and B, the only ranges ARABIC.md asks to NFKC-fold.
pub(crate) fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Latin-script letters: ASCII, Latin-1 Supplement, Extended-A/B and Extended Additional.
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii_alphabetic()
            || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
}

/// Code points of DIGIT ZERO for every run of ten decimal digits (General_Category Nd)
/// in Unicode 14, sorted; each run holds 0–9 in order, so value = c - zero.
const DIGIT_ZEROS: [u32; 66] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Decimal value of a digit of any script; `char::to_digit` only knows ASCII.
pub(crate) fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii() {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    let cp = u32::from(c);
    if cp < DIGIT_ZEROS[1] {
        return None;
    }
    let idx = DIGIT_ZEROS
        .partition_point(|&zero| zero <= cp)
        .checked_sub(1)?;
    let offset = cp - DIGIT_ZEROS[idx];
    u8::try_from(offset).ok().filter(|&d| d < 10)
}

pub(crate) fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

pub(crate) fn ascii_digit(d: u8) -> char {
    char::from(b'0' + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_several_scripts_have_values() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('٧'), Some(7));
        assert_eq!(digit_value('۷'), Some(7));
        assert_eq!(digit_value('७'), Some(7));
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('\u{1D7D5}'), Some(7)); // MATHEMATICAL BOLD DIGIT SEVEN
    }

    #[test]
    fn non_digits_have_no_value() {
        for c in ['a', 'ب', '٫', '٬', '½', '²', 'Ⅻ'] {
            assert_eq!(digit_value(c), None, "{c:?}");
        }
        assert_eq!(digit_value('\u{066A}'), None); // ٪ right after ٩
        assert_eq!(digit_value('\u{06FA}'), None); // letter right after ۹
    }

    #[test]
    fn every_table_entry_is_a_numeric_run_of_ten() {
        for zero in DIGIT_ZEROS {
            for d in 0..10u32 {
                let c = char::from_u32(zero + d);
                assert!(c.is_some_and(char::is_numeric), "{zero:#x}+{d}");
            }
        }
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
    }

    #[test]
    fn tatweel_and_marks_are_not_letters() {
        assert!(!is_arabic_letter(TATWEEL));
        assert!(!is_arabic_letter('\u{064E}'));
        assert!(!is_arabic_letter('\u{0670}'));
        assert!(!is_arabic_letter('٣'));
        assert!(!is_arabic_letter('؟'));
        assert!(is_arabic_letter('ء'));
        assert!(is_arabic_letter('ی'));
        assert!(is_arabic_letter('پ'));
    }

    #[test]
    fn zwsp_is_not_invisible_but_zwnj_is() {
        assert!(!is_invisible('\u{200B}'));
        assert!(is_invisible('\u{200C}'));
        assert!(is_deleted('\u{061C}'));
        assert!(is_word_joiner('\u{0301}'));
    }
}
