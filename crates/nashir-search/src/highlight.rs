//! Titles and snippets as safe HTML with the matched words marked in the author's spelling.
//! Owns fragment choice (which part of a body best shows why it matched) and HTML escaping.

use std::collections::HashMap;

use nashir_arabic::tokenize;

use crate::analysis::{Level, MAX_TERM_BYTES, stems_into};
use crate::query::HighlightTerms;

/// Snippet length in characters (not bytes: Arabic letters are two bytes each).
const SNIPPET_CHARS: usize = 200;
/// Context kept before the first match of a fragment.
const LEAD_CHARS: usize = 40;
/// Matches considered as fragment anchors; a word repeated hundreds of times needs no more.
const MAX_ANCHORS: usize = 64;
/// A matched word and how directly it matched: the exact surface spelling beats folding,
/// which beats stemming, which beats a fuzzy guess.
#[derive(Debug, Clone, Copy)]
struct Match {
    /// Index of the query word (or phrase) it answers.
    query_word: usize,
    weight: u32,
}

/// What one written word is to the query.
#[derive(Debug, Clone, Copy)]
enum Seen {
    /// It analyzes to nothing (punctuation, an overlong run): not a word of the text.
    NotAWord,
    Word(Option<Match>),
}

struct Located {
    start: usize,
    end: usize,
    start_char: usize,
    end_char: usize,
    matched: Option<Match>,
}

/// Marks the query's words in the titles and bodies of one page of results.
///
/// Analyzing every word of every hit (normalizing, stemming) was most of what a result page
/// cost, and nearly every word of a body is not a query word. A word can only match a term
/// whose letters it has (every term is a normalized word or a part of one), so each word is
/// first reduced to the set of letters its characters normalize to, from a table; only words
/// holding every letter of some term are analyzed.
pub(crate) struct Marker<'t> {
    terms: &'t HighlightTerms,
    /// Letter sets of every term a word may match, at any level.
    term_letters: Vec<u128>,
    scratch: String,
    normalized: String,
    stems: Vec<String>,
    /// Fuzzy spellings (normalized) as the first text that matched them wrote them.
    written: HashMap<String, String>,
}

impl<'t> Marker<'t> {
    pub(crate) fn new(terms: &'t HighlightTerms) -> Marker<'t> {
        let mut term_letters: Vec<u128> = terms
            .normalized
            .keys()
            .chain(terms.stemmed.keys())
            .chain(terms.fuzzy.keys())
            .map(|t| letter_set(t))
            // Every stem is a part of its word but one: the stemmer gives `لله` (and
            // `ولله`, `فلله`) the stem `الله`, an alef the word does not have.
            .chain(
                terms
                    .stemmed
                    .contains_key(nashir_arabic::ALLAH)
                    .then(|| letter_set("لله")),
            )
            .chain(
                terms
                    .surface
                    .keys()
                    .map(|t| letter_set(&Level::Normalized.term(t))),
            )
            .collect();
        term_letters.sort_unstable();
        term_letters.dedup();
        Marker {
            terms,
            term_letters,
            scratch: String::new(),
            normalized: String::new(),
            stems: Vec::new(),
            written: HashMap::new(),
        }
    }

    /// How the texts marked so far write a fuzzy spelling (`None` if none of them used it).
    pub(crate) fn written(&self, spelling: &str) -> Option<&str> {
        self.written.get(spelling).map(String::as_str)
    }

    /// What a word is to the query: from its letters when they rule a match out, else by
    /// analyzing it as the index does.
    fn classify(&mut self, word: &str) -> Seen {
        match CharTable::get().letters_of(word) {
            Some(Letters { visible: false, .. }) => Seen::NotAWord,
            Some(Letters { set, .. }) if !self.term_letters.iter().any(|&t| is_subset(t, set)) => {
                Seen::Word(None)
            }
            _ => self.analyze(word),
        }
    }

    fn analyze(&mut self, word: &str) -> Seen {
        self.normalized.clear();
        Level::Normalized.write_term(word, &mut self.scratch, &mut self.normalized);
        if self.normalized.is_empty() || self.normalized.len() > MAX_TERM_BYTES {
            return Seen::NotAWord;
        }
        let terms = self.terms;
        let found = |map: &HashMap<String, usize>, key: &str, weight| {
            map.get(key).map(|&query_word| Match { query_word, weight })
        };
        let mut matched = None;
        if !terms.surface.is_empty() {
            matched = found(&terms.surface, &Level::Surface.term(word), 4);
        }
        matched = matched.or_else(|| found(&terms.normalized, &self.normalized, 3));
        if matched.is_none() && !terms.stemmed.is_empty() {
            self.stems.clear();
            stems_into(&self.normalized, &mut self.stems);
            matched = self
                .stems
                .iter()
                .find_map(|stem| found(&terms.stemmed, stem, 2));
        }
        if matched.is_none() {
            matched = found(&terms.fuzzy, &self.normalized, 1);
            if matched.is_some() && !self.written.contains_key(&self.normalized) {
                self.written
                    .insert(self.normalized.clone(), Level::Surface.term(word));
            }
        }
        Seen::Word(matched)
    }

    fn locate(&mut self, text: &str) -> Vec<Located> {
        let mut chars_before = 0;
        let mut bytes_counted = 0;
        let mut out = Vec::new();
        for t in tokenize(text) {
            let Seen::Word(matched) = self.classify(t.text) else {
                continue;
            };
            chars_before += text[bytes_counted..t.start].chars().count();
            let start_char = chars_before;
            let end_char = start_char + t.text.chars().count();
            chars_before = end_char;
            bytes_counted = t.end;
            out.push(Located {
                start: t.start,
                end: t.end,
                start_char,
                end_char,
                matched,
            });
        }
        out
    }
}

/// A set of letters: bit `code point mod 128`. Collisions only let a word through to
/// analysis; they never hide a match.
fn letter_set(normalized: &str) -> u128 {
    normalized
        .chars()
        .fold(0, |set, c| set | 1u128 << (u32::from(c) % 128))
}

fn is_subset(part: u128, whole: u128) -> bool {
    part & !whole == 0
}

/// The letters a word normalizes to, when its characters decide them one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Letters {
    set: u128,
    /// Some character survives normalization (else the word analyzes to nothing).
    visible: bool,
}

/// What each character below U+0800 (Latin, Arabic and its supplements) normalizes to, as
/// a letter set. Characters that normalization treats in context are left out: the marks
/// that compose with the letter before them (U+0653–U+0655 make `آ أ إ ؤ ئ`, U+0301 makes
/// `é`), and everything from U+0800 on (presentation forms, ligatures, invisible characters).
struct CharTable {
    /// `None`: decided only in context.
    chars: Vec<Option<Letters>>,
}

impl CharTable {
    const END: u32 = 0x800;

    fn get() -> &'static CharTable {
        static TABLE: std::sync::OnceLock<CharTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let below = |code: u32| char::from_u32(code);
            let composes = |mark: char| {
                unicode_normalization::char::is_combining_mark(mark)
                    && (0..CharTable::END)
                        .filter_map(below)
                        .any(|base| unicode_normalization::char::compose(base, mark).is_some())
            };
            let chars = (0..CharTable::END)
                .map(|code| {
                    let c = char::from_u32(code)?;
                    if composes(c) {
                        return None;
                    }
                    let normalized = Level::Normalized.term(c.encode_utf8(&mut [0; 4]));
                    Some(Letters {
                        set: letter_set(&normalized),
                        visible: !normalized.is_empty(),
                    })
                })
                .collect();
            CharTable { chars }
        })
    }

    /// `None` when the word needs the real analysis to tell (a character decided in
    /// context, or a word too long to be a term).
    fn letters_of(&self, word: &str) -> Option<Letters> {
        if word.len() > MAX_TERM_BYTES {
            return None;
        }
        let mut letters = Letters {
            set: 0,
            visible: false,
        };
        for c in word.chars() {
            let one = (*self.chars.get(usize::try_from(u32::from(c)).ok()?)?)?;
            letters.set |= one.set;
            letters.visible |= one.visible;
        }
        Some(letters)
    }
}

/// The whole text (a title), escaped, with matched words in `<mark>`.
#[cfg(test)]
fn mark_all(text: &str, terms: &HighlightTerms) -> String {
    Marker::new(terms).mark_all(text)
}

/// See [`Marker::snippet`].
#[cfg(test)]
fn snippet(text: &str, terms: &HighlightTerms) -> String {
    Marker::new(terms).snippet(text)
}

impl Marker<'_> {
/// The whole text (a title), escaped, with matched words in `<mark>`.
pub(crate) fn mark_all(&mut self, text: &str) -> String {
    let words = self.locate(text);
    let marks: Vec<(usize, usize)> = words
        .iter()
        .filter(|w| w.matched.is_some())
        .map(|w| (w.start, w.end))
        .collect();
    render(text, 0, text.len(), &marks)
}

/// The best fragment of a body, escaped, matched words in `<mark>`, `…` where cut. A body
/// without any match (the title matched) gives its opening words.
pub(crate) fn snippet(&mut self, text: &str) -> String {
    let words = self.locate(text);
    let Some(last) = words.last() else {
        return escape_collapsed(text.trim());
    };
    let total_chars = last.end_char;
    let anchors: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.matched.is_some())
        .map(|(i, _)| i)
        .take(MAX_ANCHORS)
        .collect();
    let mut window_start = 0;
    let mut best_score = 0;
    for &a in &anchors {
        let start = words[a].start_char.saturating_sub(LEAD_CHARS);
        let score = window_score(&words[a..], start + SNIPPET_CHARS);
        if score > best_score {
            best_score = score;
            window_start = start;
        }
    }
    // Near the end of the body, slide back so the fragment is not needlessly short.
    window_start = window_start.min(total_chars.saturating_sub(SNIPPET_CHARS));
    let window_end = window_start + SNIPPET_CHARS;
    let first = words
        .iter()
        .position(|w| w.start_char >= window_start)
        .unwrap_or(0);
    let last_index = words
        .iter()
        .rposition(|w| w.end_char <= window_end)
        .unwrap_or(first)
        .max(first);
    let start = if first == 0 {
        0
    } else {
        extend_back(text, words[first].start, words[first - 1].end)
    };
    let end = match words.get(last_index + 1) {
        None => text.len(),
        Some(next) => extend_forward(text, words[last_index].end, next.start),
    };
    let marks: Vec<(usize, usize)> = words[first..=last_index]
        .iter()
        .filter(|w| w.matched.is_some())
        .map(|w| (w.start, w.end))
        .collect();
    let mut html = String::new();
    if first > 0 {
        html.push('…');
    }
    html.push_str(&render(text, start, end, &marks));
    if last_index + 1 < words.len() {
        html.push('…');
    }
    html
}

}

/// Distinct query words in the window count most; their best match level and the number of
/// matches break ties.
fn window_score(words: &[Located], window_end: usize) -> u32 {
    let mut best_per_word: Vec<(usize, u32)> = Vec::new();
    let mut count = 0;
    for w in words.iter().take_while(|w| w.end_char <= window_end) {
        let Some(m) = w.matched else { continue };
        count += 1;
        match best_per_word.iter_mut().find(|(q, _)| *q == m.query_word) {
            Some((_, weight)) => *weight = (*weight).max(m.weight),
            None => best_per_word.push((m.query_word, m.weight)),
        }
    }
    let distinct = u32::try_from(best_per_word.len()).unwrap_or(u32::MAX);
    let weights: u32 = best_per_word.iter().map(|(_, w)| w).sum();
    distinct * 1000 + weights * 10 + count.min(9)
}

/// Moves a fragment start back over an opening quote or bracket glued to the first word.
fn extend_back(text: &str, start: usize, previous_end: usize) -> usize {
    let mut s = start;
    for (i, c) in text[previous_end..start].char_indices().rev() {
        if c.is_whitespace() {
            break;
        }
        s = previous_end + i;
    }
    s
}

/// Moves a fragment end forward over punctuation glued to the last word (`.` `،` `»`).
fn extend_forward(text: &str, end: usize, next_start: usize) -> usize {
    let mut e = end;
    for (i, c) in text[end..next_start].char_indices() {
        if c.is_whitespace() {
            break;
        }
        e = end + i + c.len_utf8();
    }
    e
}

/// `text[start..end]` escaped, whitespace runs (paragraph breaks, NBSP) collapsed to one
/// space, `marks` (sorted, non-overlapping byte ranges) wrapped in `<mark>`.
fn render(text: &str, start: usize, end: usize, marks: &[(usize, usize)]) -> String {
    let mut html = String::with_capacity((end - start) + marks.len() * 13);
    let mut at = start;
    for &(m_start, m_end) in marks {
        if m_start < at || m_end > end {
            continue;
        }
        escape_collapsed_into(&text[at..m_start], &mut html);
        html.push_str("<mark>");
        escape_collapsed_into(&text[m_start..m_end], &mut html);
        html.push_str("</mark>");
        at = m_end;
    }
    escape_collapsed_into(&text[at..end], &mut html);
    html
}

/// HTML-escapes text for element content and attribute values alike.
fn escape_collapsed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_collapsed_into(s, &mut out);
    out
}

/// [`escape_collapsed`] appending to `out`.
fn escape_collapsed_into(s: &str, out: &mut String) {
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_for(words: &[&str]) -> HighlightTerms {
        use crate::analysis::Level;
        let mut t = HighlightTerms::default();
        for (i, w) in words.iter().enumerate() {
            t.surface.insert(Level::Surface.term(w), i);
            t.normalized.insert(Level::Normalized.term(w), i);
            for stem in crate::analysis::word_stems(w) {
                t.stemmed.insert(stem, i);
            }
        }
        t
    }

    #[test]
    fn marks_the_authors_spelling() {
        let html = mark_all("قائد فيلق القدس قاآني يزور بغداد", &terms_for(&["قااني"]));
        assert_eq!(html, "قائد فيلق القدس <mark>قاآني</mark> يزور بغداد");
    }

    #[test]
    fn escapes_markup_in_text() {
        let html = mark_all(
            "<script>alert('x')</script> & تونس \"",
            &terms_for(&["تونس"]),
        );
        assert_eq!(
            html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>تونس</mark> &quot;"
        );
    }

    #[test]
    fn snippet_picks_the_fragment_with_the_match_and_cuts_with_ellipses() {
        let filler = "كلام عادي لا علاقة له بالموضوع ".repeat(30);
        let body = format!("{filler}وقال الرئيس قيس سعيد إن الحكومة ستعمل. {filler}");
        let html = snippet(&body, &terms_for(&["سعيد"]));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>سعيد</mark>"), "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
    }

    #[test]
    fn snippet_prefers_the_fragment_with_more_distinct_words() {
        let filler = "كلام عادي لا علاقة له بالموضوع ".repeat(20);
        let body = format!("تونس {filler} تونس وباريس معا {filler}");
        let html = snippet(&body, &terms_for(&["تونس", "باريس"]));
        assert!(
            html.contains("<mark>تونس</mark> <mark>وباريس</mark>"),
            "{html}"
        );
    }

    #[test]
    fn body_without_match_gives_its_opening() {
        let html = snippet("بداية النص\nثم فقرة ثانية", &terms_for(&["غائب"]));
        assert_eq!(html, "بداية النص ثم فقرة ثانية");
        assert_eq!(snippet("", &terms_for(&["غائب"])), "");
        assert_eq!(snippet("!!!", &terms_for(&["غائب"])), "!!!");
    }

    #[test]
    fn awkward_text_never_panics_and_marks_whole_words() {
        let body = "🇮🇶 الـــرئيسُ\u{200C} الجديد \u{200F}قاآني\u{200F} ﻻ ﷺ مَدْرَسَةٌ 👨‍👩‍👧 ٣٫٥ x\u{0301}";
        for q in ["الرئيس", "قااني", "لا", "مدرسة", "3.5", "x\u{0301}"] {
            let html = snippet(body, &terms_for(&[q]));
            assert!(html.contains("<mark>"), "{q}: {html}");
            let title = mark_all(body, &terms_for(&[q]));
            assert!(title.contains("<mark>"), "{q}: {title}");
        }
    }

    #[test]
    fn the_letter_filter_never_hides_a_match() {
        let text = "قال الرئيسُ إنّ مدرستها والمدرسات في الولايات المتحدة وأمريكا \
            ﺃﻣﻴﺮ ﻻ ﷺ الـــرئيس قاآني قا\u{0653}ني وا\u{0654}مريكا ا\u{0655}لى مستشفى مستشفي کتاب \
            ٢٠٢٤ ۲۰۲۴ 2024 ١٬٢٠٠ 1200 TUNIS Tunis \u{200C}تونس\u{200F} ت\u{200D}ونس \
            لله ولله Se\u{0301}ne\u{0301}gal المعلمون المعلمين مسو\u{0654}ول سكينها سكين توقعاته انتحاريين سوريات والأمريكان بالتالي";
        let queries = [
            "الرئيس", "مدرسة", "المدرسات", "الولايات المتحدة", "أمريكا", "أمير", "لا",
            "قااني", "مستشفى", "كتاب", "2024", "1200", "tunis", "تونس", "المعلمين",
            "مسؤول", "الله", "Sénégal", "سكين", "توقعات", "انتحاري", "سوري", "الأمريكان", "التالي",
        ];
        let (_, fields) = crate::schema::build();
        for q in queries {
            let parsed = crate::query::parse_query(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            let compiled = crate::query::compile(&parsed, &fields, &[]);
            let mut marker = Marker::new(&compiled.highlight);
            let mut matched = 0;
            for token in tokenize(text) {
                let fast = format!("{:?}", marker.classify(token.text));
                let full = format!("{:?}", marker.analyze(token.text));
                assert_eq!(fast, full, "{q} on {}", token.text);
                matched += usize::from(full.contains("Some"));
            }
            assert!(matched > 0, "{q} matched nothing");
        }
    }
}
