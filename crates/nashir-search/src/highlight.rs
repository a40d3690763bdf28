//! Titles and snippets as safe HTML with the matched words marked in the author's spelling.
//! Owns fragment choice (which part of a body best shows why it matched) and HTML escaping.

use crate::analysis::{AnalyzedWord, analyze_words};
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

fn match_of(word: &AnalyzedWord<'_>, terms: &HighlightTerms) -> Option<Match> {
    let found = |map: &std::collections::HashMap<String, usize>, key: &str, weight| {
        map.get(key).map(|&query_word| Match { query_word, weight })
    };
    found(&terms.surface, &word.surface, 4)
        .or_else(|| found(&terms.normalized, &word.normalized, 3))
        .or_else(|| {
            word.stems
                .iter()
                .find_map(|stem| found(&terms.stemmed, stem, 2))
        })
        .or_else(|| found(&terms.fuzzy, &word.normalized, 1))
}

struct Located<'a> {
    word: AnalyzedWord<'a>,
    start_char: usize,
    end_char: usize,
    matched: Option<Match>,
}

fn locate<'a>(text: &'a str, terms: &HighlightTerms) -> Vec<Located<'a>> {
    let mut chars_before = 0;
    let mut bytes_counted = 0;
    analyze_words(text)
        .into_iter()
        .map(|word| {
            chars_before += text[bytes_counted..word.start].chars().count();
            let start_char = chars_before;
            let end_char = start_char + word.original.chars().count();
            chars_before = end_char;
            bytes_counted = word.end;
            let matched = match_of(&word, terms);
            Located {
                word,
                start_char,
                end_char,
                matched,
            }
        })
        .collect()
}

/// The whole text (a title), escaped, with matched words in `<mark>`.
pub(crate) fn mark_all(text: &str, terms: &HighlightTerms) -> String {
    let words = locate(text, terms);
    let marks: Vec<(usize, usize)> = words
        .iter()
        .filter(|w| w.matched.is_some())
        .map(|w| (w.word.start, w.word.end))
        .collect();
    render(text, 0, text.len(), &marks)
}

/// The best fragment of a body, escaped, matched words in `<mark>`, `…` where cut. A body
/// without any match (the title matched) gives its opening words.
pub(crate) fn snippet(text: &str, terms: &HighlightTerms) -> String {
    let words = locate(text, terms);
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
        extend_back(text, words[first].word.start, words[first - 1].word.end)
    };
    let end = match words.get(last_index + 1) {
        None => text.len(),
        Some(next) => extend_forward(text, words[last_index].word.end, next.word.start),
    };
    let marks: Vec<(usize, usize)> = words[first..=last_index]
        .iter()
        .filter(|w| w.matched.is_some())
        .map(|w| (w.word.start, w.word.end))
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

/// Distinct query words in the window count most; their best match level and the number of
/// matches break ties.
fn window_score(words: &[Located<'_>], window_end: usize) -> u32 {
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
        html.push_str(&escape_collapsed(&text[at..m_start]));
        html.push_str("<mark>");
        html.push_str(&escape_collapsed(&text[m_start..m_end]));
        html.push_str("</mark>");
        at = m_end;
    }
    html.push_str(&escape_collapsed(&text[at..end]));
    html
}

/// HTML-escapes text for element content and attribute values alike.
fn escape_collapsed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
    out
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
}
