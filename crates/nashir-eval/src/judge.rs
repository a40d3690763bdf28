//! The false-friend judge: whether a result shares a word with the query the user meant.
//! It must not be the analyzer it judges, or a stemmer that conflates two words would call
//! its own mistakes matches. So it is a reference light stemmer, frozen here: Larkey,
//! Ballesteros and Connell's "light10" (Light Stemming for Arabic Information Retrieval,
//! 2007), with its own normalization, sharing no code with `nashir-search` or
//! `nashir-arabic`. Change it only deliberately, saying so where figures are reported: every
//! false-friend figure depends on it.

/// light10's normalization: harakat and tatweel removed, `آ أ إ ٱ` → `ا`, `ى` → `ي`,
/// `ة` → `ه`; Persian `ی` and `ک` read as Arabic (the corpus has a few), and digits of every
/// script as ASCII (`٢٠٢٤` and `2024` are one number).
pub(crate) fn normalize(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'آ' | 'أ' | 'إ' | 'ٱ' => Some('ا'),
            'ى' | 'ی' => Some('ي'),
            'ک' => Some('ك'),
            'ة' => Some('ه'),
            '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
            '٫' => Some('.'),
            '٬' => Some(','),
            c => Some(c),
        })
        .collect()
}

const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "ال", "لل"];
/// light10's suffixes as they read after its normalization (`ية` is `يه`, `ة` is `ه`).
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// light10: `و` off when three letters stay, one article off when two stay, then every
/// suffix of the list in turn, each while two letters stay.
pub(crate) fn light10(word: &str) -> String {
    let mut w: Vec<char> = normalize(word).chars().collect();
    if w.len() > 3 && w[0] == 'و' {
        w.remove(0);
    }
    for article in ARTICLES {
        let a: Vec<char> = article.chars().collect();
        if w.len() >= a.len() + 2 && w.starts_with(&a) {
            w.drain(..a.len());
            break;
        }
    }
    for suffix in SUFFIXES {
        let s: Vec<char> = suffix.chars().collect();
        if w.len() >= s.len() + 2 && w.ends_with(&s) {
            w.truncate(w.len() - s.len());
        }
    }
    w.into_iter().collect()
}

/// The words of a text by the judge: runs of letters, or of digits (`2015م` is the number
/// and a letter; `2.3` and `٢٫٣` are one number), anything else separates; harakat and
/// tatweel stay inside words.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    let is_mark = |c: char| ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0640}' || c == '\u{0670}';
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        // A decimal point or separator between two digits is part of the number (`2.3`).
        let inside_number = matches!(c, '.' | '٫' | ',' | '٬')
            && k > 0
            && chars[k - 1].1.is_numeric()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_numeric());
        let kind = if c.is_numeric() || inside_number {
            Some(true)
        } else if c.is_alphabetic() || is_mark(c) {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some((s, digits)), Some(k)) if k != digits && !is_mark(c) => {
                out.push(&text[s..i]);
                start = Some((i, k));
            }
            (Some(_), Some(_)) => {}
            (Some((s, _)), None) => {
                out.push(&text[s..i]);
                start = None;
            }
            (None, Some(k)) => start = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((s, _)) = start {
        out.push(&text[s..]);
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light10_conflates_clitics_and_inflections_only() {
        for (a, b) in [
            ("والكتاب", "كتاب"),
            ("بالمدرسة", "المدرسه"),
            ("للمعلمين", "المعلمون"),
            ("الانتخابات", "انتخابات"),
            ("إيران", "ايران"),
            ("وزيرها", "وزير"),
        ] {
            assert_eq!(light10(a), light10(b), "{a} ~ {b}");
        }
        // Different words stay apart: no root extraction, no fuzzy matching.
        for (a, b) in [
            ("كتاب", "كاتب"),
            ("مدرسة", "درس"),
            ("قال", "قائل"),
            ("تونس", "تنس"),
        ] {
            assert_ne!(light10(a), light10(b), "{a} ≁ {b}");
        }
        assert_eq!(light10("٢٠٢٤"), light10("2024"));
        assert_eq!(light10("٢٫٣"), light10("2.3"));
        // Short words keep their letters.
        assert_eq!(light10("ولد"), "ولد");
        assert_eq!(light10("على"), "عل");
    }

    #[test]
    fn the_judge_reads_words_with_their_marks() {
        let w: Vec<&str> = words("قالَ: «الرئيسُ» (2024) زار-تونس سنة 2015م و٢٠١٦ بنسبة 2.3%. نعم.").collect();
        assert_eq!(w, ["قالَ", "الرئيسُ", "2024", "زار", "تونس", "سنة", "2015", "م", "و", "٢٠١٦", "بنسبة", "2.3", "نعم"]);
    }
}
