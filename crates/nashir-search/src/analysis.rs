//! The three term levels of ARABIC.md (surface, normalized, stemmed) and the tantivy tokenizer
//! that produces them over the original text, so token offsets always point at what the author wrote.

use std::borrow::Cow;

use nashir_arabic::{ANALYZER_VERSION, Tokens, light_stem, normalize_into, strip_marks, tokenize};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};
use unicode_normalization::UnicodeNormalization;

/// Terms longer than this are dropped: nobody searches for them, and tantivy refuses terms
/// over 64 KiB (a pasted base64 blob would otherwise be one giant "word").
pub(crate) const MAX_TERM_BYTES: usize = 240;

/// How much of the author's spelling a term keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Level {
    /// Harakat, tatweel and invisible characters removed; letters as written (`على` ≠ `علي`).
    Surface,
    /// All the folding of ARABIC.md (`على` = `علي`, `أ` = `ا`, `٢` = `2`), unstemmed.
    Normalized,
    /// Normalized, then light-stemmed (`والأمريكان` = `الامريكان`).
    Stemmed,
}

impl Level {
    pub(crate) const ALL: [Level; 3] = [Level::Surface, Level::Normalized, Level::Stemmed];

    /// The registered analyzer name carries [`ANALYZER_VERSION`], so an index built with an
    /// older analyzer cannot silently be queried with a newer one.
    pub(crate) fn analyzer_name(self) -> String {
        let level = match self {
            Level::Surface => "surface",
            Level::Normalized => "norm",
            Level::Stemmed => "stem",
        };
        format!("{ANALYZER_VERSION}_{level}")
    }

    /// Appends the term of `word` (one token of [`tokenize`]) at this level to `out`.
    /// `scratch` is a reusable buffer so indexing allocates nothing per token.
    pub(crate) fn write_term(self, word: &str, scratch: &mut String, out: &mut String) {
        match self {
            Level::Surface => surface_into(word, out),
            Level::Normalized => normalize_into(word, out),
            Level::Stemmed => {
                scratch.clear();
                normalize_into(word, scratch);
                out.push_str(&stem_term(scratch));
            }
        }
    }

    /// The term of one word at this level (may be empty: a lone isolated haraka form).
    pub(crate) fn term(self, word: &str) -> String {
        let mut out = String::with_capacity(word.len());
        self.write_term(word, &mut String::new(), &mut out);
        out
    }
}

/// The surface form of one word: [`strip_marks`], plus two changes of encoding that keep
/// every letter the author chose. Presentation forms (`ﺃﻣﻴﺮ`, `ﻻ`) are the same letters in a
/// legacy encoding, so they are NFKC-expanded (hamza kept: `ﻷ` → `لأ`), and Latin is
/// lower-cased because case is not spelling.
pub(crate) fn surface_into(word: &str, out: &mut String) {
    let plain = word.chars().all(
        |c| matches!(c, 'a'..='z' | '0'..='9' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'),
    );
    if plain {
        // The common case: bare Arabic letters or lower-case ASCII, nothing to strip.
        out.push_str(word);
        return;
    }
    let expanded: Cow<'_, str> = if word.chars().any(is_presentation_form) {
        let mut s = String::with_capacity(word.len() * 2);
        for c in word.chars() {
            if is_presentation_form(c) {
                // Isolated harakat forms expand to SPACE + mark; the space is not a word break.
                s.extend(std::iter::once(c).nfkc().filter(|d| *d != ' '));
            } else {
                s.push(c);
            }
        }
        Cow::Owned(s)
    } else {
        Cow::Borrowed(word)
    };
    for c in strip_marks(&expanded).chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The primary stemmed term of an already normalized word: [`light_stem`], after a
/// conjunction stacked on a preposition and article is dropped (see [`stems_into`]).
pub fn stem_term(normalized: &str) -> Cow<'_, str> {
    light_stem(drop_stacked_conjunction(normalized))
}

/// `و`/`ف` before `بال`, `كال` or `لل` (`وبالتالي`, `وللمناخ`): light10 strips one prefix,
/// so without this `وبالجنوب` stems to `بالجنوب` and never meets `الجنوب`. The stack is
/// unambiguous (no root starts with these letters), unlike a bare `ب`/`ل`/`ك`.
pub(crate) fn drop_stacked_conjunction(normalized: &str) -> &str {
    let Some(rest) = normalized
        .strip_prefix('و')
        .or_else(|| normalized.strip_prefix('ف'))
    else {
        return normalized;
    };
    let stacked = ["بال", "كال", "لل"].iter().any(|p| rest.starts_with(p));
    if stacked && rest.chars().count() >= 4 {
        rest
    } else {
        normalized
    }
}

fn letters(s: &str) -> usize {
    s.chars().count()
}

/// Every stemmed term of a normalized word, primary first, appended to `out`.
///
/// light10 strips one prefix and one suffix, which leaves two inconsistencies that cost
/// a third of single-word recall on inflected queries (measured with the `search-eval` example):
/// - a short word whose ending looks like a suffix is over-stemmed (`سكين` → `سك`) while the
///   same word with a pronoun is not (`سكينها` → `سكين`): the unsuffixed form is added
///   when the stem is down to two letters;
/// - stacked suffixes stop after the first (`توقعاته` → `توقعات`, `انتحاريين` → `انتحاري`,
///   `مدرستها` → `مدرست`, `سوريات` → `سوري`): a second stem without the next suffix (a
///   plural, the nisba `ي`, or the `ت` of a feminine before a pronoun) is added, when three
///   letters remain and never for the `ي` of `-اي` (`الولايات` must not reach `ولا`).
///
/// The same function runs at indexing and at query time, so either side may carry the
/// longer form. Secondary stems only widen the stemmed level, the weakest of the three.
pub fn stems_into(normalized: &str, out: &mut Vec<String>) {
    let word = drop_stacked_conjunction(normalized);
    let primary = light_stem(word);
    out.push(primary.clone().into_owned());
    // Only stripped Arabic words have a suffix to reconsider; `light_stem` returns others
    // unchanged. The stem is a slice of the word: find where its prefix ended.
    let Some(at) = word.find(primary.as_ref()) else {
        return;
    };
    // After hamza folding, `ال` may be the word's own أل/آل/إل (`ألوان`, `آلاف`, `إلغاء`)
    // rather than the article: keep a stem with it as well, so `ألوان` still meets
    // `الألوان` (whose article alone is stripped). light10 has no suffix-only entry point,
    // so the alef is masked with a hamza, which no prefix rule matches, and restored.
    if word.starts_with("ال") && !primary.starts_with("ال") {
        let masked = format!("ء{}", &word['ا'.len_utf8()..]);
        if let Some(kept) = light_stem(&masked).strip_prefix('ء')
            && letters(kept) >= 2
        {
            let kept = format!("ا{kept}");
            if !out.contains(&kept) {
                out.push(kept);
            }
        }
    }
    // A bare و taken for the conjunction may be the root's first letter (`وهاب`, typed
    // for `الوهاب` whose article alone is stripped): keep the stem with it as well.
    if at == 'و'.len_utf8() && word.starts_with('و') {
        out.push(format!("و{primary}"));
    }
    let unsuffixed = &word[at..];
    let suffix = &unsuffixed[primary.len()..];
    if suffix.is_empty() {
        return;
    }
    if letters(&primary) == 2 {
        out.push(unsuffixed.to_owned());
    }
    for second in stacked_suffix_stems(&primary, suffix) {
        if letters(second) >= 3 && !out.iter().any(|s| s == second) {
            out.push(second.to_owned());
        }
    }
}

/// The stem without a second suffix: a plural or nisba ending, and, after a pronoun, the
/// `ت` a feminine `ة` becomes (`حياتها` → `حيا`). Both when ambiguous (`توقعاته`).
fn stacked_suffix_stems<'a>(stem: &'a str, stripped: &str) -> impl Iterator<Item = &'a str> {
    let plural = ["ات", "ون", "ين", "ان", "ي"].iter().find_map(|suffix| {
        let rest = stem.strip_suffix(suffix)?;
        (*suffix != "ي" || !rest.ends_with('ا')).then_some(rest)
    });
    let feminine = matches!(stripped, "ها" | "ه")
        .then(|| stem.strip_suffix('ت'))
        .flatten();
    plural.into_iter().chain(feminine)
}

/// All stems of one word as typed (tokenized, not yet normalized).
#[cfg(test)]
pub(crate) fn word_stems(word: &str) -> Vec<String> {
    let normalized = Level::Normalized.term(word);
    let mut out = Vec::with_capacity(2);
    if !normalized.is_empty() {
        stems_into(&normalized, &mut out);
    }
    out
}

/// A tantivy tokenizer over [`nashir_arabic::tokenize`] that emits one level's terms with
/// offsets into the original text (tantivy's snippet code, and ours, slice the original
/// with them). Tokens whose term is empty or absurdly long are skipped without using a
/// position, the same way query analysis skips them, so phrases line up.
#[derive(Clone)]
pub(crate) struct ArabicTokenizer {
    level: Level,
    token: Token,
    scratch: String,
}

impl ArabicTokenizer {
    pub(crate) fn new(level: Level) -> ArabicTokenizer {
        ArabicTokenizer {
            level,
            token: Token::default(),
            scratch: String::new(),
        }
    }
}

pub(crate) struct ArabicTokenStream<'a> {
    words: Tokens<'a>,
    level: Level,
    token: &'a mut Token,
    scratch: &'a mut String,
    /// Secondary stems of the current word, emitted at its position (like synonyms).
    pending: Vec<String>,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            words: tokenize(text),
            level: self.level,
            token: &mut self.token,
            scratch: &mut self.scratch,
            pending: Vec::new(),
        }
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(stem) = self.pending.pop() {
            // Same position and offsets as the primary stem just emitted.
            self.token.text = stem;
            return true;
        }
        for word in self.words.by_ref() {
            self.token.text.clear();
            if self.level == Level::Stemmed {
                self.scratch.clear();
                normalize_into(word.text, self.scratch);
                stems_into(self.scratch, &mut self.pending);
                self.pending.reverse();
                match self.pending.pop() {
                    Some(primary) => self.token.text = primary,
                    None => continue,
                }
            } else {
                self.level
                    .write_term(word.text, self.scratch, &mut self.token.text);
            }
            if self.token.text.is_empty() || self.token.text.len() > MAX_TERM_BYTES {
                self.pending.clear();
                continue;
            }
            self.token.offset_from = word.start;
            self.token.offset_to = word.end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Registers the three versioned analyzers on an index's tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    for level in Level::ALL {
        manager.register(
            &level.analyzer_name(),
            TextAnalyzer::from(ArabicTokenizer::new(level)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(level: Level, text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = ArabicTokenizer::new(level);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn levels_fold_progressively() {
        let w = "والأمريكان";
        assert_eq!(Level::Surface.term(w), "والأمريكان");
        assert_eq!(Level::Normalized.term(w), "والامريكان");
        assert_eq!(Level::Stemmed.term(w), "امريك");
        assert_eq!(Level::Surface.term("على"), "على");
        assert_eq!(Level::Normalized.term("على"), "علي");
    }

    #[test]
    fn surface_drops_marks_and_invisibles_but_keeps_letters() {
        assert_eq!(Level::Surface.term("مَدْرَسَةٌ"), "مدرسة");
        assert_eq!(Level::Surface.term("الـــرئيس"), "الرئيس");
        assert_eq!(Level::Surface.term("الر\u{200C}ئيس\u{200F}"), "الرئيس");
        assert_eq!(Level::Surface.term("أصدقاء"), "أصدقاء");
        assert_eq!(Level::Surface.term("COVID"), "covid");
    }

    #[test]
    fn surface_expands_presentation_forms_keeping_hamza() {
        // ﺃﻣﻴﺮ written with presentation forms is أمير as written.
        assert_eq!(
            Level::Surface.term("\u{FE83}\u{FEE3}\u{FEF4}\u{FEAE}"),
            "أمير"
        );
        assert_eq!(Level::Surface.term("\u{FEF7}"), "لأ");
        assert_eq!(Level::Surface.term("ب\u{FE70}"), "ب");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "قال الرئيسُ: «الـــولايات» ي\u{200C}ذهب 👍🏽 ﻻ";
        for level in Level::ALL {
            for (term, from, to) in terms(level, text) {
                let original = &text[from..to];
                if level == Level::Stemmed {
                    // Secondary stems share the offsets of their word.
                    assert!(word_stems(original).contains(&term), "{original} {term}");
                } else {
                    assert_eq!(level.term(original), term, "{level:?} {original}");
                }
            }
        }
    }

    #[test]
    fn positions_are_consecutive_and_skip_empty_terms() {
        let mut tokenizer = ArabicTokenizer::new(Level::Normalized);
        let mut stream = tokenizer.token_stream("ب \u{FE70} ت ث");
        let mut positions = Vec::new();
        while let Some(t) = stream.next() {
            positions.push((t.text.clone(), t.position));
        }
        let expected: Vec<(String, usize)> = [("ب", 0), ("ت", 1), ("ث", 2)]
            .iter()
            .map(|(t, p)| ((*t).to_owned(), *p))
            .collect();
        assert_eq!(positions, expected);
    }

    #[test]
    fn giant_words_are_dropped() {
        let long = "ب".repeat(500);
        assert!(terms(Level::Surface, &format!("{long} كلمة")).len() == 1);
    }

    fn all_stems(word: &str) -> Vec<String> {
        word_stems(word)
    }

    #[test]
    fn stacked_conjunctions_are_dropped() {
        assert_eq!(all_stems("وبالجنوب")[0], all_stems("الجنوب")[0]);
        assert_eq!(all_stems("وللمناخ")[0], "مناخ");
        assert_eq!(all_stems("والد"), ["والد"]);
        assert_eq!(all_stems("وبل"), ["وبل"]);
    }

    #[test]
    fn secondary_stems_join_inflections_light10_keeps_apart() {
        let shares = |a: &str, b: &str| {
            let b = all_stems(b);
            all_stems(a).iter().any(|s| b.contains(s))
        };
        for (a, b) in [
            ("سكين", "سكينها"),
            ("توقعات", "توقعاته"),
            ("انتحاري", "انتحاريين"),
            ("سورية", "سوريات"),
            ("مدرسة", "مدرستها"),
            ("الجزائرية", "الجزائريات"),
            ("مستشفى", "مستشفيات"),
            ("التونسي", "التونسيون"),
            ("الولايات", "الولاية"),
            ("حياة", "حياتها"),
            ("الوهاب", "وهاب"),
            ("الوافي", "وافي"),
            ("الألوان", "ألوان"),
            ("الألوان", "الوان"),
            ("الآلاف", "آلاف"),
        ] {
            assert!(
                shares(a, b),
                "{a} {b}: {:?} {:?}",
                all_stems(a),
                all_stems(b)
            );
        }
        // Never ولا ("nor") from الولايات, never a two-letter secondary stem.
        assert!(!all_stems("الولايات").contains(&"ولا".to_owned()));
        assert_eq!(all_stems("بيانات"), ["بيان"]);
        assert_eq!(all_stems("بيتها"), ["بيت"]);
    }

    #[test]
    fn the_stem_tokenizer_emits_secondary_stems_at_the_same_position() {
        let mut tokenizer = ArabicTokenizer::new(Level::Stemmed);
        let text = "سكين توقعاته";
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        let expected = [
            ("سك".to_owned(), 0, "سكين"),
            ("سكين".to_owned(), 0, "سكين"),
            ("توقعات".to_owned(), 1, "توقعاته"),
            ("توقع".to_owned(), 1, "توقعاته"),
            ("توقعا".to_owned(), 1, "توقعاته"),
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn analyzer_names_are_versioned() {
        assert_eq!(Level::Surface.analyzer_name(), "ar_v1_surface");
        assert_eq!(Level::Stemmed.analyzer_name(), "ar_v1_stem");
    }
}
