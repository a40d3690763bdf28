//! The JSON Lines importer's reading half: one article per line, streamed.
//! Owns the record format, its date and status rules, and naming each bad line by number.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use jiff::tz::TimeZone;
use nashir_arabic::slugify;
use nashir_core::PublishState;
use serde::Deserialize;

use crate::content::plain_text_to_html;
use crate::dates::parse_flexible;
use crate::error::{ImportError, LineError};
use crate::paths::url_path;
use crate::slug::article_slug;

/// A line longer than this is refused rather than read into memory.
const MAX_LINE_BYTES: u64 = 64 * 1024 * 1024;

/// How to read a JSON Lines file.
#[derive(Debug, Clone)]
pub struct JsonlOptions {
    /// The zone of dates written without an offset (`2017-01-22`, `2017-01-22T18:56:00`).
    /// Default: UTC.
    pub time_zone: TimeZone,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            time_zone: TimeZone::UTC,
        }
    }
}

/// One article of a JSON Lines file.
///
/// The line is a JSON object with `id` (string or number), `title` and `body` (plain
/// text, paragraphs separated by newlines), and optionally `category` (a name, or a path
/// of names with `/`: `"دولي/أوروبا"`), `tags` (array of names), `author`, `slug`,
/// `excerpt`, `status` (`publish`, `draft`, `pending`, `future`, `private`… as in
/// WordPress), `date` (`YYYY-MM-DD`, a local date-time, or RFC 3339), `published_at`
/// (RFC 3339; wins over `date`) and `url` (the article's old address). Other fields are
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlRecord {
    /// 1-based line number.
    pub line: u64,
    /// `id`; with the file it identifies the article across imports.
    pub source_id: String,
    pub title: String,
    /// From `slug`, else the title, else `post-{id}` (see
    /// [`article_slug`](crate::article_slug)); not yet unique.
    pub slug: String,
    /// The body as `<p>` paragraphs, text escaped.
    pub body_html: String,
    pub excerpt: String,
    /// Category names from the root down; empty when there is none.
    pub category: Vec<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// `publish` (the default) → published; otherwise as in WordPress.
    pub status: PublishState,
    /// Unix microseconds (UTC).
    pub published_at: Option<i64>,
    /// The date had no time of day (midnight in the reader's zone was used).
    pub date_only: bool,
    /// `url` as written.
    pub url: Option<String>,
    /// The path of `url`, normalized, for a redirect to the new article.
    pub old_path: Option<String>,
}

#[derive(Deserialize)]
#[serde(expecting = "an object with id, title and body")]
struct RawRecord {
    id: RawId,
    title: String,
    body: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    excerpt: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "`id` as a string or a number")]
enum RawId {
    Text(String),
    Number(i64),
}

/// Reads a JSON Lines file line by line: each item is one article, or the reason its line
/// cannot be imported. Blank lines are skipped. An I/O error ends the iteration with a
/// `fatal` [`LineError`].
///
/// ```
/// use nashir_import::{JsonlOptions, JsonlReader};
/// let data = "{\"id\": 1, \"title\": \"خبر\", \"body\": \"فقرة\\nثانية\", \"date\": \"2017-01-20\"}\nnot json\n";
/// let mut lines = JsonlReader::from_reader(data.as_bytes(), JsonlOptions::default());
/// let first = lines.next().unwrap().unwrap();
/// assert_eq!(first.body_html, "<p>فقرة</p>\n<p>ثانية</p>");
/// assert_eq!(first.slug, "خبر");
/// assert_eq!(lines.next().unwrap().unwrap_err().line, 2);
/// assert!(lines.next().is_none());
/// ```
pub struct JsonlReader<R> {
    reader: R,
    options: JsonlOptions,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader<BufReader<File>> {
    /// Opens a file with default options.
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        Self::open_with(path, JsonlOptions::default())
    }

    pub fn open_with(path: &Path, options: JsonlOptions) -> Result<Self, ImportError> {
        let file = File::open(path).map_err(|source| ImportError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Ok(Self::from_reader(
            BufReader::with_capacity(64 * 1024, file),
            options,
        ))
    }
}

impl<R: BufRead> JsonlReader<R> {
    pub fn from_reader(reader: R, options: JsonlOptions) -> Self {
        JsonlReader {
            reader,
            options,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Reads the next line into `buf`; `Ok(false)` at the end of the file.
    fn read_line(&mut self) -> Result<bool, LineError> {
        self.buf.clear();
        self.line += 1;
        let read = (&mut self.reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| LineError {
                line: self.line,
                message: format!("read error: {e}"),
                fatal: true,
            })?;
        if read == 0 {
            return Ok(false);
        }
        if read as u64 == MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') {
            self.skip_rest_of_line()?;
            return Err(LineError {
                line: self.line,
                message: format!("line longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
                fatal: false,
            });
        }
        Ok(true)
    }

    fn skip_rest_of_line(&mut self) -> Result<(), LineError> {
        loop {
            let available = self.reader.fill_buf().map_err(|e| LineError {
                line: self.line,
                message: format!("read error: {e}"),
                fatal: true,
            })?;
            if available.is_empty() {
                return Ok(());
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.reader.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let n = available.len();
                    self.reader.consume(n);
                }
            }
        }
    }

    fn parse_line(&self) -> Result<Option<JsonlRecord>, LineError> {
        let bad = |message: String| LineError {
            line: self.line,
            message,
            fatal: false,
        };
        let text = std::str::from_utf8(&self.buf).map_err(|e| bad(format!("not UTF-8 ({e})")))?;
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            return Ok(None);
        }
        // serde would read a struct from an array too (`["id","title","body"]`);
        // a record is an object.
        if !text.starts_with('{') {
            return Err(bad(
                "not a JSON object (a line must be {\"id\": …, \"title\": …, \"body\": …})".into(),
            ));
        }
        let raw: RawRecord = serde_json::from_str(text).map_err(|e| bad(json_message(&e)))?;
        let source_id = match raw.id {
            RawId::Text(s) => s.trim().to_owned(),
            RawId::Number(n) => n.to_string(),
        };
        if source_id.is_empty() {
            return Err(bad("empty `id`".into()));
        }
        let status = match raw.status.as_deref().map(str::trim) {
            None | Some("") => PublishState::Published,
            Some(s) => status_from(s).ok_or_else(|| {
                bad(format!(
                    "unknown status {s:?} (expected publish, draft, pending, future or private)"
                ))
            })?,
        };
        let tz = &self.options.time_zone;
        let (published_at, date_only) = match (&raw.published_at, &raw.date) {
            (Some(p), _) if !p.trim().is_empty() => {
                let ts = p.trim().parse::<jiff::Timestamp>().map_err(|_| {
                    bad(format!("invalid `published_at` {p:?} (expected RFC 3339, e.g. 2017-01-20T21:43:00+01:00)"))
                })?;
                (Some(ts.as_microsecond()), false)
            }
            (_, Some(d)) if !d.trim().is_empty() => {
                let (micros, date_only) =
                    parse_flexible(d, tz).map_err(|e| bad(format!("`date`: {e}")))?;
                (Some(micros), date_only)
            }
            _ => (None, false),
        };
        let title = nashir_arabic::plain_title(raw.title.trim());
        let slug = match raw.slug.as_deref().map(slugify).filter(|s| !s.is_empty()) {
            Some(slug) => slug,
            None => article_slug("", &title, &source_id),
        };
        let category = raw
            .category
            .as_deref()
            .unwrap_or("")
            .split('/')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let tags = raw
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let url = raw
            .url
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        Ok(Some(JsonlRecord {
            line: self.line,
            source_id,
            title,
            slug,
            body_html: plain_text_to_html(&raw.body),
            excerpt: raw.excerpt.map(|e| e.trim().to_owned()).unwrap_or_default(),
            category,
            tags,
            author: raw
                .author
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty()),
            status,
            published_at,
            date_only,
            old_path: url.as_deref().and_then(url_path),
            url,
        }))
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<JsonlRecord, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_line() {
                Ok(false) => self.done = true,
                Ok(true) => match self.parse_line() {
                    Ok(Some(record)) => return Some(Ok(record)),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                },
                Err(e) => {
                    self.done = e.fatal;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

fn status_from(s: &str) -> Option<PublishState> {
    Some(match s.to_ascii_lowercase().as_str() {
        "publish" | "published" => PublishState::Published,
        "draft" => PublishState::Draft,
        "pending" => PublishState::Pending,
        "future" | "scheduled" => PublishState::Scheduled,
        "private" | "unpublished" | "trash" => PublishState::Unpublished,
        _ => return None,
    })
}

/// serde_json's message without its "at line 1 column N" (each line is its own document,
/// so the line would always be 1), with the column kept.
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message
        .rfind(" at line ")
        .map_or(message.as_str(), |i| &message[..i]);
    match e.classify() {
        serde_json::error::Category::Data => format!("{message} (column {})", e.column()),
        _ => format!("invalid JSON: {message} (column {})", e.column()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: &str) -> Vec<Result<JsonlRecord, LineError>> {
        JsonlReader::from_reader(data.as_bytes(), JsonlOptions::default()).collect()
    }

    #[test]
    fn optional_fields() {
        let line = r#"{"id":"a1","title":"عنوان","body":"x","category":"دولي / أوروبا","tags":["تونس"," "],"slug":"My Slug","status":"future","published_at":"2030-01-01T00:00:00Z","date":"bad","excerpt":" مقتطف ","author":"سارة","url":"https://old.example/ar/article/%D8%AE/95/1"}"#;
        let r = read(line).remove(0).unwrap();
        assert_eq!(r.category, ["دولي", "أوروبا"]);
        assert_eq!(r.tags, ["تونس"]);
        assert_eq!(r.slug, "my-slug");
        assert_eq!(r.status, PublishState::Scheduled);
        assert_eq!(r.published_at, Some(1_893_456_000_000_000));
        assert_eq!(r.excerpt, "مقتطف");
        assert_eq!(r.author.as_deref(), Some("سارة"));
        assert_eq!(r.old_path.as_deref(), Some("/ar/article/خ/95/1"));
    }

    #[test]
    fn bad_lines_are_reported_and_good_ones_come_through() {
        let data = "{\"id\":1,\"title\":\"a\",\"body\":\"b\"}\n\
                    {\"id\":2,\"title\":\"a\"\n\
                    \n\
                    {\"id\":3,\"title\":\"a\",\"body\":\"b\",\"date\":\"03/02/2017\"}\n\
                    [1,2]\n\
                    {\"id\":4,\"title\":\"a\",\"body\":\"b\",\"status\":\"maybe\"}\n\
                    {\"id\":5,\"title\":\"\",\"body\":\"b\",\"date\":\"2017-01-22T18:56:00\"}";
        let results = read(data);
        let lines: Vec<(u64, bool)> = results
            .iter()
            .map(|r| match r {
                Ok(rec) => (rec.line, true),
                Err(e) => (e.line, false),
            })
            .collect();
        assert_eq!(
            lines,
            [
                (1, true),
                (2, false),
                (4, false),
                (5, false),
                (6, false),
                (7, true)
            ]
        );
        let messages: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(ToString::to_string)
            .collect();
        assert!(
            messages[0].starts_with("line 2: invalid JSON"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("invalid date \"03/02/2017\""),
            "{messages:?}"
        );
        assert!(
            messages[2].starts_with("line 5: not a JSON object"),
            "{messages:?}"
        );
        assert!(
            messages[3].contains("unknown status \"maybe\""),
            "{messages:?}"
        );
        let last = results.last().unwrap().as_ref().unwrap();
        assert_eq!(last.slug, "post-5");
        assert!(!last.date_only);
    }

    #[test]
    fn id_must_be_a_string_or_a_number() {
        let e = read("{\"id\":true,\"title\":\"a\",\"body\":\"b\"}")
            .remove(0)
            .unwrap_err();
        assert!(e.message.starts_with("`id` as a string or a number"), "{e}");
    }

    #[test]
    fn missing_required_field_is_named() {
        let e = read("{\"id\":1,\"title\":\"a\"}").remove(0).unwrap_err();
        assert!(e.message.contains("missing field `body`"), "{e}");
        assert!(!e.fatal);
    }

    #[test]
    fn invalid_utf8_is_one_bad_line() {
        let data = b"{\"id\":1,\"title\":\"\xff\",\"body\":\"b\"}\n{\"id\":2,\"title\":\"a\",\"body\":\"b\"}\n";
        let results: Vec<_> =
            JsonlReader::from_reader(&data[..], JsonlOptions::default()).collect();
        assert!(
            results[0]
                .as_ref()
                .is_err_and(|e| e.message.contains("not UTF-8"))
        );
        assert!(results[1].is_ok());
    }
}
