//! The JSON Lines reader over the ANT corpus and over a file with bad lines among good ones.
//! Expected numbers were counted independently (Python's json module over the same file).

mod common;

use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use jiff::tz::TimeZone;
use nashir_core::PublishState;
use nashir_import::{JsonlOptions, JsonlReader};

#[test]
fn the_whole_corpus_streams_without_bad_lines() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let path = dir.join("arabic-news/ant_v1.1_jawharafm.jsonl");
    let options = JsonlOptions {
        time_zone: TimeZone::get("Africa/Tunis").expect("bundled tzdb"),
    };
    let reader = JsonlReader::open_with(&path, options).expect("opens");
    let (mut good, mut bad, mut date_only) = (0, Vec::new(), 0);
    let mut categories = BTreeSet::new();
    let mut paths = HashSet::new();
    let mut first = None;
    for result in reader {
        match result {
            Ok(record) => {
                good += 1;
                date_only += usize::from(record.date_only);
                categories.insert(record.category.join("/"));
                assert!(record.published_at.is_some(), "line {}", record.line);
                assert_eq!(record.status, PublishState::Published);
                assert!(
                    nashir_arabic::is_valid_slug(&record.slug),
                    "line {}: {:?}",
                    record.line,
                    record.slug
                );
                assert!(record.body_html.starts_with("<p>"), "line {}", record.line);
                paths.insert(record.old_path.clone().expect("every record has a url"));
                if first.is_none() {
                    first = Some(record);
                }
            }
            Err(e) => bad.push(e),
        }
    }
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(good, 10_138);
    // 5,323 dates are a day only; the rest have a time (4,808 with an offset, 7 without).
    assert_eq!(date_only, 5_323);
    assert_eq!(categories.len(), 9);
    assert!(categories.contains("localNews"));
    // 10,118 distinct URLs, 10,083 distinct pages: 35 URLs are the same page written
    // percent-encoded and not; normalizing the path makes them one redirect.
    assert_eq!(paths.len(), 10_083);

    let first = first.expect("a first record");
    assert_eq!(first.line, 1);
    assert_eq!(first.source_id, "JA-culture-1-20170120");
    assert!(first.title.starts_with("مخرج \"غدوة حيّ\""));
    assert!(first.slug.starts_with("مخرج-غدوة-حي"), "{}", first.slug);
    // 2017-01-20T21:43:00+01:00
    assert_eq!(first.published_at, Some(1_484_944_980_000_000));
    assert!(first.body_html.contains("</p>\n<p>"));
    assert!(
        first
            .old_path
            .as_deref()
            .is_some_and(|p| p.starts_with("/ar/article/مخرج-غدوة"))
    );
}

#[test]
fn bad_lines_are_reported_by_number_and_good_lines_still_come() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    // Three real lines of the corpus with broken ones around them.
    let corpus =
        std::fs::read_to_string(dir.join("arabic-news/ant_v1.1_jawharafm.jsonl")).expect("corpus");
    let real: Vec<&str> = corpus.lines().take(3).collect();
    let lines = [
        real[0],
        "{\"id\": \"x1\", \"title\": \"بلا نص\"}",
        real[1],
        "{not json",
        "",
        "{\"id\": \"x2\", \"title\": \"تاريخ\", \"body\": \"نص\", \"date\": \"22/01/2017\"}",
        "{\"id\": \"x3\", \"title\": \"حالة\", \"body\": \"نص\", \"status\": \"archived\"}",
        "{\"id\": \"x4\", \"title\": \"وسوم\", \"body\": \"نص\", \"tags\": \"تونس\"}",
        real[2],
        "{\"id\": \"x5\", \"title\": \"كامل\", \"body\": \"فقرة أولى\\nفقرة ثانية\", \"category\": \"دولي/أوروبا\", \
         \"tags\": [\"فرنسا\", \"انتخابات\"], \"slug\": \"انتخابات فرنسا\", \"status\": \"draft\", \
         \"published_at\": \"2017-05-07T20:00:00+02:00\", \"excerpt\": \"مقتطف\"}",
    ];
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("mixed.jsonl");
    let mut file = std::fs::File::create(&path).expect("temp file");
    for line in lines {
        writeln!(file, "{line}").expect("write");
    }
    drop(file);

    let results: Vec<_> = JsonlReader::open(&path).expect("opens").collect();
    let good: Vec<u64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.line)
        .collect();
    let bad: Vec<(u64, String)> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| (e.line, e.message.clone()))
        .collect();
    assert_eq!(good, [1, 3, 9, 10]);
    let bad_lines: Vec<u64> = bad.iter().map(|(line, _)| *line).collect();
    assert_eq!(bad_lines, [2, 4, 6, 7, 8]);
    assert!(bad[0].1.contains("missing field `body`"), "{bad:?}");
    assert!(bad[1].1.starts_with("invalid JSON"), "{bad:?}");
    assert!(bad[2].1.contains("invalid date \"22/01/2017\""), "{bad:?}");
    assert!(bad[3].1.contains("unknown status \"archived\""), "{bad:?}");
    assert!(
        bad[4]
            .1
            .contains("invalid type: string \"تونس\", expected a sequence"),
        "{bad:?}"
    );
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| !e.fatal)
    );

    let full = results
        .last()
        .and_then(|r| r.as_ref().ok())
        .expect("line 10");
    assert_eq!(full.category, ["دولي", "أوروبا"]);
    assert_eq!(full.tags, ["فرنسا", "انتخابات"]);
    assert_eq!(full.slug, "انتخابات-فرنسا");
    assert_eq!(full.status, PublishState::Draft);
    assert_eq!(full.published_at, Some(1_494_180_000_000_000));
    assert_eq!(full.body_html, "<p>فقرة أولى</p>\n<p>فقرة ثانية</p>");
    assert_eq!(full.excerpt, "مقتطف");
    assert_eq!(full.old_path, None);
}
