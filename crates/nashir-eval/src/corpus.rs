//! Reading the evaluation corpus (`shared/data/arabic-news`, JSON Lines) into `SearchDoc`s.
//! Owns the mapping of its string ids, category names and ISO dates to the index's integers.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::EvalError;
use nashir_search::SearchDoc;

#[derive(Deserialize)]
struct Line {
    title: String,
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    date: String,
}

/// Loads a JSON Lines corpus of `{title, body, category, date, …}` objects (other fields
/// ignored). Ids are line numbers from 1; categories get ids 1, 2, … in order of first
/// appearance; dates are RFC 3339 (`2017-01-20T21:43:00+01:00`) turned into unix
/// microseconds, 0 when absent or unreadable. Blank lines are skipped.
pub fn load_corpus(path: &Path) -> Result<Vec<SearchDoc>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))?;
    let mut categories: HashMap<String, i64> = HashMap::new();
    let mut docs = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(raw).map_err(|e| EvalError::Corpus {
            path: path.to_owned(),
            line: n + 1,
            message: e.to_string(),
        })?;
        let next_id = i64::try_from(categories.len()).unwrap_or(i64::MAX) + 1;
        let category = *categories.entry(line.category).or_insert(next_id);
        docs.push(SearchDoc {
            id: i64::try_from(n + 1).unwrap_or(i64::MAX),
            title: line.title,
            body: line.body,
            category_ids: vec![category],
            tag_ids: Vec::new(),
            published_at: parse_rfc3339_micros(&line.date).unwrap_or(0),
        });
    }
    Ok(docs)
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` to unix microseconds.
fn parse_rfc3339_micros(s: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    let mut micros = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        let padded = format!("{:0<6}", &frac[..digits.min(6)]);
        micros = padded.parse::<i64>().ok()?;
        rest = &frac[digits..];
    }
    let offset_seconds = match rest.as_bytes().first() {
        None | Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let h: i64 = rest.get(1..3)?.parse().ok()?;
            let m: i64 = rest.get(4..6)?.parse().ok()?;
            let v = h * 3600 + m * 60;
            if *sign == b'+' { v } else { -v }
        }
        Some(_) => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(seconds * 1_000_000 + micros)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_with_offsets() {
        assert_eq!(parse_rfc3339_micros("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_micros("2017-01-20T21:43:00+01:00"),
            Some(1_484_944_980_000_000)
        );
        assert_eq!(
            parse_rfc3339_micros("2000-02-29T12:00:00.5-02:30"),
            Some(951_834_600_500_000)
        );
        assert_eq!(parse_rfc3339_micros("not a date"), None);
        assert_eq!(parse_rfc3339_micros(""), None);
    }

    #[test]
    fn corpus_lines_become_docs() -> Result<(), EvalError> {
        let dir = tempfile::tempdir().map_err(|e| EvalError::io("tmp", e))?;
        let path = dir.path().join("c.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"title\":\"ت\",\"body\":\"ب\",\"category\":\"sport\",\"date\":\"1970-01-01T00:00:01Z\"}\n\n\
             {\"id\":\"b\",\"title\":\"ت2\",\"body\":\"ب2\",\"category\":\"culture\"}\n\
             {\"id\":\"c\",\"title\":\"ت3\",\"body\":\"ب3\",\"category\":\"sport\"}\n",
        )
        .map_err(|e| EvalError::io(&path, e))?;
        let docs = load_corpus(&path)?;
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].published_at, 1_000_000);
        assert_eq!(docs[1].id, 3);
        assert_eq!(
            docs.iter().map(|d| d.category_ids[0]).collect::<Vec<_>>(),
            [1, 2, 1]
        );
        Ok(())
    }
}
