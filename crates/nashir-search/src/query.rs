//! What a reader's query means: parsing (words, quoted phrases, limits) and compiling it into
//! the boosted OR over levels and fields of ARABIC.md, plus the terms to highlight.

use std::collections::{HashMap, HashSet};

use nashir_arabic::tokenize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{Level, stems_into};
use crate::error::QueryError;
use crate::schema::Fields;

/// Longest query accepted, in characters (not bytes). Longer input is refused with
/// [`QueryError::TooLong`] rather than cut, so the reader knows the tail was not searched.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words beyond this are ignored: they add cost and almost never change the top results.
const MAX_QUERY_WORDS: usize = 16;

/// Ranking weights per level. They add up: a word found as written also matches the two
/// broader levels, so it scores 0.7 + 0.7 + 1.0 = 2.4, found only after folding 1.7, only
/// after stemming 1.0; exact spelling outranks folding, which outranks stemming (ARABIC.md).
/// Measured with the `search-eval` example (seeds 20240101, 7, 99) against 1.5/1.0/0.5, 1/1/1,
/// 1/0.8/0.7 and 0.5/0.5/1: a larger exactness bonus buries the article that spells a word
/// the author's way under articles that happen to use the reader's spelling (`دروس` for
/// `الدروس`), a smaller one loses `علي` (Ali) among the `على` (on).
const LEVEL_BOOST: [f32; 3] = [0.7, 0.7, 1.0];
pub const TITLE_BOOST: f32 = 2.0;
/// Adjacent query words found adjacent in the text (implicit phrase), so that
/// `الولايات المتحدة` ranks documents with the phrase above ones with the words apart.
const BIGRAM_BOOST: f32 = 2.0;
/// Fuzzy candidates stay below any exact match of the same word.
const FUZZY_BOOST: f32 = 0.4;
/// Implicit bigrams only for short unquoted queries: longer ones are pasted sentences.
const MAX_BIGRAM_WORDS: usize = 6;

/// One part of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryPart {
    /// A word as typed (one token of the Arabic tokenizer, original spelling).
    Word(String),
    /// Words typed between quotes (`"…"`, `«…»`, `“…”`): must appear in this order,
    /// compared in normalized form (hamza, `ى`, `ة`, digits folded, no stemming).
    Phrase(Vec<String>),
}

/// A query split into words and quoted phrases, ready to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub parts: Vec<QueryPart>,
}

impl ParsedQuery {
    /// Every word, in phrases or not, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().flat_map(|p| match p {
            QueryPart::Word(w) => std::slice::from_ref(w).iter().map(String::as_str),
            QueryPart::Phrase(ws) => ws.iter().map(String::as_str),
        })
    }

    pub fn has_phrases(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, QueryPart::Phrase(_)))
    }

    /// The query as plain words, quotes dropped.
    pub fn unquoted(&self) -> String {
        self.words().collect::<Vec<_>>().join(" ")
    }
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '“' | '„' | '‟' | '＂')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '"' | '»' | '”' | '‟' | '＂')
}

/// Parses a reader's query.
///
/// Text between a pair of quotes (`"…"`, `«…»`, `“…”`, mixed pairs accepted) is a phrase;
/// the rest are words. An unbalanced quote is ignored and its words searched as plain
/// words. Punctuation, symbols and emoji separate words and are otherwise dropped.
/// Errors: blank input, more than [`MAX_QUERY_CHARS`] characters, or nothing left to
/// search (`"!!!"`). At most 16 words are kept; repeated words are searched once.
pub fn parse_query(text: &str) -> Result<ParsedQuery, QueryError> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || is_blank_format(c));
    if text.is_empty() {
        return Err(QueryError::Empty);
    }
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            max_chars: MAX_QUERY_CHARS,
        });
    }
    let mut parts = Vec::new();
    let mut words_left = MAX_QUERY_WORDS;
    let mut seen = HashSet::new();
    let mut plain_start = 0;
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match open {
            None if is_opening_quote(c) => {
                push_words(
                    &text[plain_start..i],
                    &mut parts,
                    &mut seen,
                    &mut words_left,
                );
                plain_start = i;
                open = Some(i + c.len_utf8());
            }
            Some(start) if is_closing_quote(c) => {
                let words = words_of(&text[start..i], &mut words_left);
                match words.len() {
                    0 => {}
                    _ => parts.push(QueryPart::Phrase(words)),
                }
                open = None;
                plain_start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    // After the last closed phrase; an unclosed quote's text is searched as plain words.
    push_words(&text[plain_start..], &mut parts, &mut seen, &mut words_left);
    if parts.is_empty() {
        return Err(QueryError::NoSearchableTerms);
    }
    Ok(ParsedQuery { parts })
}

/// Bidi controls, ZWNJ and friends typed or pasted around a query are as blank as spaces.
fn is_blank_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn words_of(segment: &str, words_left: &mut usize) -> Vec<String> {
    let mut out = Vec::new();
    for token in tokenize(segment) {
        if *words_left == 0 {
            break;
        }
        if Level::Normalized.term(token.text).is_empty() {
            continue;
        }
        out.push(token.text.to_owned());
        *words_left -= 1;
    }
    out
}

fn push_words(
    segment: &str,
    parts: &mut Vec<QueryPart>,
    seen: &mut HashSet<String>,
    words_left: &mut usize,
) {
    for word in words_of(segment, words_left) {
        if seen.insert(Level::Surface.term(&word)) {
            parts.push(QueryPart::Word(word));
        }
    }
}

/// Function words that match nearly every article: searched only when the query has
/// nothing else, so `في تونس` costs and ranks like `تونس`. Compared in normalized form,
/// hence `علي` (Ali) is never dropped even though `على` (on) is: the list holds `على`'s
/// surface spelling and the check is on the surface form.
const STOP_WORDS: [&str; 38] = [
    "في",
    "من",
    "على",
    "الى",
    "إلى",
    "عن",
    "مع",
    "أن",
    "ان",
    "إن",
    "ما",
    "لا",
    "لم",
    "لن",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "و",
    "او",
    "أو",
    "ثم",
    "قد",
    "كان",
    "كانت",
    "هو",
    "هي",
    "كما",
    "بين",
    "بعد",
    "قبل",
    "عند",
    "حتى",
    "كل",
    "وفي",
];

fn is_stop_word(surface: &str) -> bool {
    STOP_WORDS.contains(&surface)
}

/// Normalized spellings within one edit (delete, insert, substitute, swap) of a word that
/// is long enough for fuzzy matching: 5+ letters, all Arabic or all Latin. Digits and
/// mixed tokens are never fuzzed: a year one digit off is another year. Each comes with
/// how plausible the typo behind it is (see [`edits`]).
pub fn fuzzy_candidates(normalized: &str) -> Vec<(String, f32)> {
    if normalized.chars().count() < 5 {
        return Vec::new();
    }
    edits(normalized)
}

/// Exponent on the (log) frequency of a fuzzy spelling in its score.
const FUZZY_FREQUENCY_WEIGHT: f32 = 0.25;

/// The noisy-channel score of an existing spelling one edit from what was typed: how
/// plausible the slip, times how common the spelling, damped hard (readers search rare
/// names as often as common words, so the slip decides and frequency breaks ties).
pub fn fuzzy_score(plausibility: f32, doc_freq: u64) -> f32 {
    plausibility * (2.0 + doc_freq as f32).ln().powf(FUZZY_FREQUENCY_WEIGHT)
}

/// Rows of the Arabic PC keyboard, to tell a slipped finger from a random letter.
const KEYBOARD: [&str; 3] = ["ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظ"];

/// Letters next to `c` on the Arabic keyboard (same row, or same column of a next row).
pub fn keyboard_neighbours(c: char) -> Vec<char> {
    let rows: Vec<Vec<char>> = KEYBOARD.iter().map(|r| r.chars().collect()).collect();
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        if let Some(i) = row.iter().position(|&k| k == c) {
            out.extend(i.checked_sub(1).and_then(|j| row.get(j)));
            out.extend(row.get(i + 1));
            for other in [r.checked_sub(1), Some(r + 1)].into_iter().flatten() {
                out.extend(rows.get(other).and_then(|o| o.get(i)));
            }
        }
    }
    out
}

/// Letters readers confuse by sound or shape (dialects merge ذ/ز, ض/ظ…).
fn confusable(a: char, b: char) -> bool {
    const PAIRS: [(char, char); 9] = [
        ('ذ', 'ز'),
        ('ض', 'ظ'),
        ('س', 'ص'),
        ('ت', 'ط'),
        ('د', 'ض'),
        ('ح', 'ه'),
        ('ق', 'ك'),
        ('ث', 'س'),
        ('ز', 'ظ'),
    ];
    PAIRS.contains(&(a, b)) || PAIRS.contains(&(b, a))
}

/// Every spelling one edit (delete, insert, substitute, swap of neighbours) away from a
/// normalized word of one script (Arabic or Latin letters), none for digits or mixed
/// words, each with the plausibility (0–1) of the typo that would turn it into `normalized`:
/// swapped neighbours, a doubled letter, a neighbouring key or a confusable letter are
/// likely slips; a missing letter, an extra one or any other letter, less so.
pub(crate) fn edits(normalized: &str) -> Vec<(String, f32)> {
    const ARABIC: &str = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءؤئ";
    const LATIN: &str = "abcdefghijklmnopqrstuvwxyz";
    let chars: Vec<char> = normalized.chars().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let alphabet: Vec<char> = if chars.iter().all(|c| ARABIC.contains(*c)) {
        ARABIC.chars().collect()
    } else if chars.iter().all(char::is_ascii_lowercase) {
        LATIN.chars().collect()
    } else {
        return Vec::new();
    };
    let mut out: HashMap<String, f32> = HashMap::new();
    let mut add = |v: &[char], weight: f32| {
        let candidate: String = v.iter().collect();
        let entry = out.entry(candidate).or_insert(0.0);
        *entry = entry.max(weight);
    };
    for i in 0..chars.len() {
        // The reader typed chars[i] too many: a doubled key is the likely case.
        let doubled =
            (i > 0 && chars[i - 1] == chars[i]) || chars.get(i + 1).is_some_and(|&n| n == chars[i]);
        let mut v = chars.clone();
        v.remove(i);
        add(&v, if doubled { 1.0 } else { 0.6 });
        if i + 1 < chars.len() {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            add(&v, 1.0);
        }
        let near = keyboard_neighbours(chars[i]);
        for &a in &alphabet {
            if a != chars[i] {
                let mut v = chars.clone();
                v[i] = a;
                let weight = if near.contains(&a) || confusable(a, chars[i]) {
                    1.0
                } else {
                    0.4
                };
                add(&v, weight);
            }
        }
    }
    // The reader left a letter out.
    for i in 0..=chars.len() {
        for &a in &alphabet {
            let mut v = chars.clone();
            v.insert(i, a);
            add(&v, 0.6);
        }
    }
    out.remove(normalized);
    let mut out: Vec<(String, f32)> = out.into_iter().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Extra terms for a plain query word that matched (almost) nothing as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expansion {
    /// Index into the query's plain words.
    pub(crate) word: usize,
    /// Existing normalized spellings one edit away (fuzzy), searched at the normalized
    /// and stemmed levels.
    pub(crate) spellings: Vec<String>,
    /// How much each spelling counts (parallel to `spellings`; missing means 1): the more
    /// plausible the slip behind it, the higher its articles rank.
    pub(crate) weights: Vec<f32>,
    /// Stems of the word without a one-letter proclitic (`لثروة` → `ثرو`), searched at
    /// the stemmed level.
    pub(crate) stems: Vec<String>,
}

/// Rescued stems score a little below the word's own stems, fuzzy spellings well below.
const RESCUE_BOOST: f32 = 0.8;

/// Which terms to mark in titles and snippets, by level, each mapped to the query word it
/// came from (so a fragment covering more distinct words can be preferred).
#[derive(Debug, Default, Clone)]
pub(crate) struct HighlightTerms {
    pub(crate) surface: HashMap<String, usize>,
    pub(crate) normalized: HashMap<String, usize>,
    pub(crate) stemmed: HashMap<String, usize>,
    pub(crate) fuzzy: HashMap<String, usize>,
}

pub(crate) struct Compiled {
    pub(crate) query: Box<dyn Query>,
    pub(crate) highlight: HighlightTerms,
    /// Surface and normalized terms scored with the document frequency of the stemmed
    /// term of the same word and field (see [`crate::index`]'s statistics provider).
    pub(crate) shared_idf: Vec<(Term, Term)>,
}

/// A word of the query after analysis.
#[derive(Debug, Clone)]
pub(crate) struct QueryWord {
    pub(crate) surface: String,
    pub(crate) normalized: String,
    /// Primary stem first (see [`crate::analysis::stems_into`]).
    pub(crate) stems: Vec<String>,
    /// Dropped from scoring (a function word next to real words) but kept for bigrams.
    pub(crate) stop: bool,
}

impl QueryWord {
    fn new(word: &str) -> QueryWord {
        let normalized = Level::Normalized.term(word);
        let mut stems = Vec::with_capacity(2);
        stems_into(&normalized, &mut stems);
        let surface = Level::Surface.term(word);
        QueryWord {
            stop: is_stop_word(&surface),
            surface,
            normalized,
            stems,
        }
    }

    /// The word's terms at one level (several stems at the stemmed level).
    pub(crate) fn terms(&self, level: Level) -> &[String] {
        match level {
            Level::Surface => std::slice::from_ref(&self.surface),
            Level::Normalized => std::slice::from_ref(&self.normalized),
            Level::Stemmed => &self.stems,
        }
    }

    pub(crate) fn primary_stem(&self) -> &str {
        self.stems.first().map_or("", String::as_str)
    }
}

/// The plain (unquoted) words of a query, analyzed, in order; stop words are flagged
/// only when something else remains to search.
pub(crate) fn plain_words(parsed: &ParsedQuery) -> Vec<QueryWord> {
    let mut words: Vec<QueryWord> = parsed
        .parts
        .iter()
        .filter_map(|p| match p {
            QueryPart::Word(w) => Some(QueryWord::new(w)),
            QueryPart::Phrase(_) => None,
        })
        .collect();
    let all_stop = words.iter().all(|w| w.stop) && !parsed.has_phrases();
    if all_stop {
        words.iter_mut().for_each(|w| w.stop = false);
    }
    words
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let term = Term::from_field_text(field, text);
    let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
    boosted(q, boost)
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

fn level_boost(level: Level) -> f32 {
    match level {
        Level::Surface => LEVEL_BOOST[0],
        Level::Normalized => LEVEL_BOOST[1],
        Level::Stemmed => LEVEL_BOOST[2],
    }
}

/// Title OR body for a sequence of normalized terms (a phrase, or a single term).
fn normalized_title_or_body(fields: &Fields, terms: &[String], boost: f32) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(2);
    for (field, field_boost) in [
        (fields.title_at(Level::Normalized), TITLE_BOOST),
        (fields.body_at(Level::Normalized), 1.0),
    ] {
        let q: Box<dyn Query> = if let [single] = terms {
            term_query(field, single, 1.0)
        } else {
            let terms = terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            Box::new(PhraseQuery::new(terms))
        };
        clauses.push((Occur::Should, boosted(q, field_boost * boost)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// How a stemmed term of another reading of the word (`الم` for `المات`, the unsuffixed
/// form of a short word…) counts against the primary stem.
const SECONDARY_STEM_BOOST: f32 = 0.5;

/// How a word given the article counts at the normalized level, against the word as typed.
const ARTICLE_TOGGLE_BOOST: f32 = 0.5;

/// The word as it is written with the definite article alone: `مغادرين` → `المغادرين`
/// (a reader who leaves the article out), and `للستاغ`, `بالستاغ`, `وللستاغ` →
/// `الستاغ` (a preposition or conjunction the article is written into). An article
/// that writes that form is then not left to the stemmed level alone while look-alikes
/// spelled as typed take the top. A word that already starts with the article has none:
/// `الولايات` must not pull titles saying `ولايات` above `الولايات المتحدة`.
fn with_article(word: &QueryWord) -> Option<String> {
    let n = word.normalized.as_str();
    if !n.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return None;
    }
    let n = crate::analysis::drop_stacked_conjunction(n);
    let rest = ["وال", "فال", "بال", "كال", "لل"]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .filter(|r| r.chars().count() >= 3);
    match rest {
        Some(rest) => Some(format!("ال{rest}")),
        None if n.starts_with("ال") || n.chars().count() < 3 => None,
        None => Some(format!("ال{n}")),
    }
}

/// Builds the scoring query (without filters).
pub(crate) fn compile(parsed: &ParsedQuery, fields: &Fields, expansions: &[Expansion]) -> Compiled {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight = HighlightTerms::default();
    let mut shared_idf = Vec::new();
    let words = plain_words(parsed);
    for (i, word) in words.iter().enumerate() {
        if word.stop {
            continue;
        }
        for level in Level::ALL {
            for (k, term) in word.terms(level).iter().enumerate() {
                let reading = if k == 0 { 1.0 } else { SECONDARY_STEM_BOOST };
                for (field, stem_field, field_boost) in [
                    (
                        fields.title_at(level),
                        fields.title_at(Level::Stemmed),
                        TITLE_BOOST,
                    ),
                    (fields.body_at(level), fields.body_at(Level::Stemmed), 1.0),
                ] {
                    clauses.push((
                        Occur::Should,
                        term_query(field, term, field_boost * level_boost(level) * reading),
                    ));
                    if level != Level::Stemmed {
                        shared_idf.push((
                            Term::from_field_text(field, term),
                            Term::from_field_text(stem_field, word.primary_stem()),
                        ));
                    }
                }
                let map = match level {
                    Level::Surface => &mut highlight.surface,
                    Level::Normalized => &mut highlight.normalized,
                    Level::Stemmed => &mut highlight.stemmed,
                };
                map.entry(term.clone()).or_insert(i);
            }
        }
        if let Some(other) = with_article(word) {
            for (field, stem_field, field_boost) in [
                (
                    fields.title_at(Level::Normalized),
                    fields.title_at(Level::Stemmed),
                    TITLE_BOOST,
                ),
                (
                    fields.body_at(Level::Normalized),
                    fields.body_at(Level::Stemmed),
                    1.0,
                ),
            ] {
                clauses.push((
                    Occur::Should,
                    term_query(
                        field,
                        &other,
                        field_boost * level_boost(Level::Normalized) * ARTICLE_TOGGLE_BOOST,
                    ),
                ));
                shared_idf.push((
                    Term::from_field_text(field, &other),
                    Term::from_field_text(stem_field, word.primary_stem()),
                ));
            }
            highlight.normalized.entry(other).or_insert(i);
        }
    }
    for expansion in expansions {
        let mut terms: Vec<(Level, String, f32)> = Vec::new();
        for (k, spelling) in expansion.spellings.iter().enumerate() {
            let fuzzy = FUZZY_BOOST * expansion.weights.get(k).copied().unwrap_or(1.0);
            terms.push((Level::Normalized, spelling.clone(), fuzzy));
            let mut stems = Vec::new();
            stems_into(spelling, &mut stems);
            terms.extend(stems.into_iter().map(|s| (Level::Stemmed, s, fuzzy)));
            highlight
                .fuzzy
                .entry(spelling.clone())
                .or_insert(expansion.word);
        }
        for stem in &expansion.stems {
            terms.push((Level::Stemmed, stem.clone(), RESCUE_BOOST));
            highlight
                .stemmed
                .entry(stem.clone())
                .or_insert(expansion.word);
        }
        for (level, text, boost) in terms {
            for (field, field_boost) in [
                (fields.title_at(level), TITLE_BOOST),
                (fields.body_at(level), 1.0),
            ] {
                clauses.push((
                    Occur::Should,
                    term_query(field, &text, field_boost * level_boost(level) * boost),
                ));
            }
        }
    }
    // Implicit phrases over runs of adjacent plain words.
    let mut run: Vec<&QueryWord> = Vec::new();
    let mut runs: Vec<Vec<&QueryWord>> = Vec::new();
    let mut word_iter = words.iter();
    for part in &parsed.parts {
        match part {
            QueryPart::Word(_) => {
                if let Some(w) = word_iter.next() {
                    run.push(w);
                }
            }
            QueryPart::Phrase(_) => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    if words.len() <= MAX_BIGRAM_WORDS {
        for run in runs {
            for pair in run.windows(2) {
                if pair.iter().all(|w| w.stop) {
                    continue;
                }
                let terms = [pair[0].normalized.clone(), pair[1].normalized.clone()];
                if terms[0] == terms[1] {
                    continue;
                }
                clauses.push((
                    Occur::Should,
                    normalized_title_or_body(fields, &terms, BIGRAM_BOOST),
                ));
            }
        }
    }
    let phrase_base = words.len();
    for (k, part) in parsed.parts.iter().enumerate() {
        if let QueryPart::Phrase(phrase) = part {
            let terms: Vec<String> = phrase.iter().map(|w| Level::Normalized.term(w)).collect();
            for t in &terms {
                highlight
                    .normalized
                    .entry(t.clone())
                    .or_insert(phrase_base + k);
            }
            // Required, and scored like a title/body match at the normalized level.
            clauses.push((Occur::Must, normalized_title_or_body(fields, &terms, 2.0)));
        }
    }
    Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight,
        shared_idf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &ParsedQuery) -> Vec<&str> {
        q.words().collect()
    }

    #[test]
    fn words_and_phrases() {
        let q = parse_query("ترامب \"الولايات المتحدة\" «البيت الأبيض» كوريا")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            q.parts,
            vec![
                QueryPart::Word("ترامب".into()),
                QueryPart::Phrase(vec!["الولايات".into(), "المتحدة".into()]),
                QueryPart::Phrase(vec!["البيت".into(), "الأبيض".into()]),
                QueryPart::Word("كوريا".into()),
            ]
        );
        assert!(q.has_phrases());
        assert_eq!(q.unquoted(), "ترامب الولايات المتحدة البيت الأبيض كوريا");
    }

    #[test]
    fn unbalanced_quotes_become_plain_words() {
        let q = parse_query("\"الولايات المتحدة").unwrap_or_else(|e| panic!("{e}"));
        assert!(!q.has_phrases());
        assert_eq!(words(&q), ["الولايات", "المتحدة"]);
        let q = parse_query("«تونس» \"قيس").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            q.parts,
            vec![
                QueryPart::Phrase(vec!["تونس".into()]),
                QueryPart::Word("قيس".into())
            ]
        );
        let q = parse_query("تونس»").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(words(&q), ["تونس"]);
    }

    #[test]
    fn errors() {
        assert_eq!(parse_query(""), Err(QueryError::Empty));
        assert_eq!(parse_query(" \t\u{00A0}\u{200F}\n"), Err(QueryError::Empty));
        assert_eq!(parse_query("!!!"), Err(QueryError::NoSearchableTerms));
        assert_eq!(
            parse_query("؟ ، « » 👍"),
            Err(QueryError::NoSearchableTerms)
        );
        assert_eq!(parse_query("\"\""), Err(QueryError::NoSearchableTerms));
        assert_eq!(parse_query("ـــ"), Err(QueryError::NoSearchableTerms));
        assert_eq!(
            parse_query(&"ب".repeat(10_000)),
            Err(QueryError::TooLong {
                max_chars: MAX_QUERY_CHARS
            })
        );
        assert!(parse_query(&"ب".repeat(MAX_QUERY_CHARS)).is_ok());
    }

    #[test]
    fn repeated_words_are_searched_once_and_words_are_capped() {
        let q = parse_query("تونس تونس تونسُ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(words(&q), ["تونس"]);
        let many: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        let q = parse_query(&many.join(" ")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.words().count(), MAX_QUERY_WORDS);
    }

    #[test]
    fn stop_words_are_dropped_only_next_to_real_words() {
        let q = parse_query("في تونس").unwrap_or_else(|e| panic!("{e}"));
        let w = plain_words(&q);
        assert!(w[0].stop && !w[1].stop);
        let q = parse_query("على").unwrap_or_else(|e| panic!("{e}"));
        assert!(!plain_words(&q)[0].stop);
        let q = parse_query("علي بن").unwrap_or_else(|e| panic!("{e}"));
        assert!(!plain_words(&q)[0].stop);
    }

    #[test]
    fn fuzzy_candidates_are_one_edit_away_and_only_for_long_words() {
        assert!(fuzzy_candidates("تونس").is_empty());
        assert!(fuzzy_candidates("2024").is_empty());
        let c: HashMap<String, f32> = fuzzy_candidates("قايني").into_iter().collect();
        assert!(c.contains_key("قاني"));
        assert!(c.contains_key("قااني"));
        assert!(c.contains_key("قيايني"));
        assert!(!c.contains_key("قايني"));
        let c: HashMap<String, f32> = fuzzy_candidates("hello").into_iter().collect();
        assert!(c.contains_key("helo") && c.contains_key("ehllo"));
    }

    #[test]
    fn likely_slips_are_more_plausible() {
        let c: HashMap<String, f32> = edits("سيارره").into_iter().collect();
        // A doubled ر, a swap, a neighbouring key: likely.
        assert_eq!(c.get("سياره"), Some(&1.0));
        assert_eq!(c.get("سيراره"), Some(&1.0));
        assert_eq!(c.get("شيارره"), Some(&1.0));
        // Any other letter: less likely.
        assert_eq!(c.get("عيارره"), Some(&0.4));
        assert!(keyboard_neighbours('س').contains(&'ش'));
    }

    #[test]
    fn a_bare_arabic_word_is_also_searched_with_the_article() {
        let word = |w: &str| with_article(&QueryWord::new(w));
        assert_eq!(word("مغادرين").as_deref(), Some("المغادرين"));
        assert_eq!(word("أمريكا").as_deref(), Some("الامريكا"));
        assert_eq!(word("الولايات"), None);
        assert_eq!(word("للستاغ").as_deref(), Some("الستاغ"));
        assert_eq!(word("بالمدرسة").as_deref(), Some("المدرسه"));
        assert_eq!(word("وللمناخ").as_deref(), Some("المناخ"));
        assert_eq!(word("والأمريكان").as_deref(), Some("الامريكان"));
        assert_eq!(word("في"), None);
        assert_eq!(word("covid"), None);
        assert_eq!(word("2024"), None);
    }
}
