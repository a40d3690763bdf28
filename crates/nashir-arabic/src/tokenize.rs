//! Word tokenizer over the original text, yielding byte offsets for highlighting.
//! Owns what counts as one word: where Arabic punctuation, numbers and invisible characters fall.

use crate::chars::{is_digit, is_invisible, is_word_joiner};

/// One word of the input. `text == &input[start..end]`; offsets are byte offsets into the
/// original (un-normalized) input and always lie on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Iterator returned by [`tokenize`]; a named type so it can be stored in a token stream.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

/// Splits `s` into words.
///
/// - Anything that is not a letter, digit, mark or in-word invisible separates words:
///   all punctuation (`، ؛ ؟ « » ٪` included), every Unicode space (NBSP, ZWSP…), symbols
///   and emoji.
/// - Harakat and other marks, tatweel, ZWNJ, ZWJ, LRM, RLM and ALM continue a word; a
///   word never starts with them, and trailing invisibles are left out of it.
/// - `.` `,` `٫` `٬` join digits on both sides into one number: `3.5`, `١٬٢٠٠`.
/// - A word breaks where Arabic letters meet digits or other scripts (`٢٠٢٤م` →
///   `٢٠٢٤` + `م`), so a year written with its era letter still matches the bare year;
///   Latin letters and digits stay together (`G20`, `mp3`).
pub fn tokenize(s: &str) -> Tokens<'_> {
    Tokens { text: s, pos: 0 }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Arabic,
    Digit,
    Other,
}

impl Class {
    fn of(c: char) -> Class {
        if is_digit(c) {
            Class::Digit
        } else if is_arabic_script(c) {
            Class::Arabic
        } else {
            Class::Other
        }
    }
}

fn is_arabic_script(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
    )
}

fn breaks_between(a: Class, b: Class) -> bool {
    a != b && (a == Class::Arabic || b == Class::Arabic)
}

/// What a character does to the word around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Starts or continues a word.
    Base(Class),
    /// Continues a word and is part of it (harakat, other marks, tatweel).
    Mark,
    /// Continues a word but is only part of it when a visible character follows.
    Invisible,
    Separator,
}

fn kind(c: char) -> Kind {
    match c {
        'a'..='z' | 'A'..='Z' => Kind::Base(Class::Other),
        '0'..='9' => Kind::Base(Class::Digit),
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => Kind::Base(Class::Arabic),
        _ if c.is_ascii() => Kind::Separator,
        _ if is_invisible(c) => Kind::Invisible,
        // Harakat are Alphabetic in Unicode and tatweel is a letter, so joiners are
        // tested before `is_alphanumeric`: neither may start a word.
        _ if is_word_joiner(c) => Kind::Mark,
        _ if c.is_alphanumeric() => Kind::Base(Class::of(c)),
        _ => Kind::Separator,
    }
}

impl std::iter::FusedIterator for Tokens<'_> {}

fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{066B}' | '\u{066C}')
}

/// The character at byte `i` of `text` (a char boundary) and its length. ASCII and the
/// two-byte Arabic block, nearly all of a news text, are decoded from the bytes directly.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((char::from(b), 1));
    }
    if (b == 0xD8 || b == 0xD9)
        && let Some(&b2) = bytes.get(i + 1)
    {
        let code = (u32::from(b & 0x1F) << 6) | u32::from(b2 & 0x3F);
        if let Some(c) = char::from_u32(code) {
            return Some((c, 2));
        }
    }
    let c = text[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let text = self.text;
        let mut i = self.pos;
        let (start, mut class) = loop {
            let Some((c, len)) = char_at(text, i) else {
                self.pos = text.len();
                return None;
            };
            if let Kind::Base(class) = kind(c) {
                break (i, class);
            }
            i += len;
        };
        i = start + char_at(text, start).map_or(0, |(_, len)| len);
        let mut end = i;
        let mut after_digit = class == Class::Digit;
        while let Some((c, len)) = char_at(text, i) {
            match kind(c) {
                Kind::Base(next_class) => {
                    if breaks_between(class, next_class) {
                        break;
                    }
                    class = next_class;
                    after_digit = next_class == Class::Digit;
                    i += len;
                    end = i;
                }
                Kind::Mark => {
                    after_digit = false;
                    i += len;
                    end = i;
                }
                // Not in `end` yet, so a trailing RLM is not highlighted with the word.
                Kind::Invisible => {
                    after_digit = false;
                    i += len;
                }
                Kind::Separator
                    if after_digit
                        && is_number_separator(c)
                        && text[i + len..].chars().next().is_some_and(is_digit) =>
                {
                    // The digit after the separator is consumed (and `end` moved) next round.
                    after_digit = false;
                    i += len;
                }
                Kind::Separator => break,
            }
        }
        self.pos = i;
        Some(Token {
            text: &text[start..end],
            start,
            end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).map(|t| t.text).collect()
    }

    fn assert_offsets_consistent(s: &str) {
        let mut previous_end = 0;
        for t in tokenize(s) {
            assert!(
                s.is_char_boundary(t.start) && s.is_char_boundary(t.end),
                "{t:?}"
            );
            assert!(t.start < t.end && previous_end <= t.start, "{t:?}");
            assert_eq!(&s[t.start..t.end], t.text);
            previous_end = t.end;
        }
    }

    #[test]
    fn arabic_punctuation_separates_words() {
        assert_eq!(
            words("قال،الرئيس؛ هل؟«نعم»٥٠٪ فقط"),
            ["قال", "الرئيس", "هل", "نعم", "٥٠", "فقط"]
        );
    }

    #[test]
    fn ascii_punctuation_and_unicode_spaces_separate_words() {
        assert_eq!(
            words("a,b;c!d\"e(f)g\u{00A0}h\u{2009}i\u{200B}j\u{3000}k\tl\nm"),
            [
                "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"
            ]
        );
        assert_eq!(words("مصر\u{00A0}اليوم"), ["مصر", "اليوم"]);
    }

    #[test]
    fn numbers_with_separators_stay_one_token() {
        assert_eq!(
            words("٣٫٥ 3.5 ١٬٢٠٠ 1,200 1,234,567.89"),
            ["٣٫٥", "3.5", "١٬٢٠٠", "1,200", "1,234,567.89"]
        );
    }

    #[test]
    fn separators_not_between_digits_split() {
        assert_eq!(words("2024. التالي"), ["2024", "التالي"]);
        assert_eq!(words("عام 2024، وفي"), ["عام", "2024", "وفي"]);
        assert_eq!(words("1,,2 3.x .5"), ["1", "2", "3", "x", "5"]);
        assert_eq!(words("كلمة.كلمة"), ["كلمة", "كلمة"]);
    }

    #[test]
    fn invisible_characters_and_tatweel_inside_a_word_do_not_split_it() {
        assert_eq!(words("الر\u{200C}ئيس"), ["الر\u{200C}ئيس"]);
        assert_eq!(words("الرئ\u{200F}يس"), ["الرئ\u{200F}يس"]);
        assert_eq!(
            words("ال\u{200D}رئيس ال\u{200E}رئيس ال\u{061C}رئيس"),
            ["ال\u{200D}رئيس", "ال\u{200E}رئيس", "ال\u{061C}رئيس"]
        );
        assert_eq!(words("الـــرئيس"), ["الـــرئيس"]);
    }

    #[test]
    fn harakat_stay_inside_their_word() {
        assert_eq!(words("مَدْرَسَةٌ جَمِيلَةٌ"), ["مَدْرَسَةٌ", "جَمِيلَةٌ"]);
    }

    #[test]
    fn words_never_start_with_joiners_and_do_not_end_with_invisibles() {
        let s = "\u{200F}ـــ\u{064E}علي\u{200F}\u{200C} ـــ";
        let tokens: Vec<_> = tokenize(s).collect();
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].text, "علي");
    }

    #[test]
    fn latin_letters_and_digits_form_tokens() {
        assert_eq!(
            words("iPhone 15 وG20 mp3 COVID-19"),
            ["iPhone", "15", "و", "G20", "mp3", "COVID", "19"]
        );
    }

    #[test]
    fn arabic_letters_and_digits_split() {
        assert_eq!(
            words("٢٠٢٤م ١٤٤٥هـ عام2024"),
            ["٢٠٢٤", "م", "١٤٤٥", "هـ", "عام", "2024"]
        );
    }

    #[test]
    fn emoji_and_symbols_separate_words() {
        assert_eq!(words("مصر👍🏽تفوز 👨‍👩‍👧 ✓ok"), ["مصر", "تفوز", "ok"]);
    }

    #[test]
    fn empty_and_punctuation_only_input_has_no_tokens() {
        assert!(words("").is_empty());
        assert!(words("  ،؛؟ «» ... ـــ \u{200F}").is_empty());
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let s = "\u{200F}قال الرئيسُ: «الـــولايات» دفعت ١٬٢٠٠ دولار (3.5%) لـ iPhone\u{00A0}15 🇮🇶 ي\u{200C}ذهب، أمس";
        let tokens: Vec<_> = tokenize(s).collect();
        let expected = [
            "قال",
            "الرئيسُ",
            "الـــولايات",
            "دفعت",
            "١٬٢٠٠",
            "دولار",
            "3.5",
            "لـ",
            "iPhone",
            "15",
            "ي\u{200C}ذهب",
            "أمس",
        ];
        assert_eq!(tokens.iter().map(|t| t.text).collect::<Vec<_>>(), expected);
        // Locate each expected word independently and compare offsets.
        let mut from = 0;
        for (t, word) in tokens.iter().zip(expected) {
            let start = s[from..].find(word).map_or(usize::MAX, |i| from + i);
            assert_eq!((t.start, t.end), (start, start + word.len()), "{word}");
            from = start + word.len();
        }
        assert_offsets_consistent(s);
    }

    #[test]
    fn offsets_are_consistent_on_awkward_inputs() {
        for s in [
            "\u{064E}\u{064E}\u{064E}",
            "1.",
            ".1",
            "١٫",
            "a\u{0301}\u{0301}b",
            "ﻻ ﷺ ﷲ\u{FE70}",
            "x\u{200C}",
            "٣٫٥٫٧,",
            "\u{1D7CE}\u{1D7CF}.\u{1D7D0}",
        ] {
            assert_offsets_consistent(s);
        }
    }

    #[test]
    fn presentation_forms_are_words() {
        assert_eq!(words("\u{FEFB} \u{FDF2}"), ["\u{FEFB}", "\u{FDF2}"]);
    }
}
