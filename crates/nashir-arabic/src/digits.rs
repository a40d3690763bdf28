//! Re-scripting digits for display (Arabic-Indic) and for parsing or URLs (ASCII).
//! Owns only digits: separators and number formatting belong to the locale layer (ICU4X).

use crate::chars::{ascii_digit, digit_value};

/// Rewrites decimal digits of any script (ASCII, Extended Arabic-Indic `۰-۹`, …) as
/// Arabic-Indic `٠-٩`. Separators are left alone: `3.5` becomes `٣.٥`, not `٣٫٥`,
/// because choosing `٫` is a locale decision.
pub fn to_arabic_indic_digits(s: &str) -> String {
    map_digits(s, |d| {
        char::from_u32(0x0660 + u32::from(d)).unwrap_or('\u{FFFD}')
    })
}

/// Rewrites decimal digits of any script as ASCII `0-9`; separators such as `٫` `٬` are
/// left alone.
pub fn to_ascii_digits(s: &str) -> String {
    map_digits(s, ascii_digit)
}

fn map_digits(s: &str, to: impl Fn(u8) -> char) -> String {
    s.chars().map(|c| digit_value(c).map_or(c, &to)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_persian_digits_become_arabic_indic() {
        assert_eq!(to_arabic_indic_digits("2024"), "٢٠٢٤");
        assert_eq!(to_arabic_indic_digits("۲۰۲۴"), "٢٠٢٤");
        assert_eq!(
            to_arabic_indic_digits("العدد 3.5 و 1,200"),
            "العدد ٣.٥ و ١,٢٠٠"
        );
        assert_eq!(to_arabic_indic_digits("0123456789"), "٠١٢٣٤٥٦٧٨٩");
    }

    #[test]
    fn any_digits_become_ascii() {
        assert_eq!(to_ascii_digits("٢٠٢٤"), "2024");
        assert_eq!(to_ascii_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(to_ascii_digits("٣٫٥"), "3٫5");
        assert_eq!(to_ascii_digits("२०२४ ２０"), "2024 20");
    }

    #[test]
    fn text_without_digits_is_unchanged() {
        for s in ["", "مرحبا", "abc", "½ ² Ⅻ"] {
            assert_eq!(to_ascii_digits(s), s);
            assert_eq!(to_arabic_indic_digits(s), s);
        }
    }

    #[test]
    fn round_trip() {
        let s = "في عام 1445 هـ الموافق 2024 م";
        assert_eq!(to_ascii_digits(&to_arabic_indic_digits(s)), s);
    }
}
