//! Broken copies of a valid export: truncated in an item, in a CDATA section, in a tag;
//! a tag left open; a stray byte. Each is refused with the line and column to look at.

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use std::path::{Path, PathBuf};

use nashir_import::{ImportError, WxrOptions, WxrReader, WxrRecord, validate_wxr};

const FILE: &str = "arabic-wxr/arabic-news-synthetic.wxr.xml";

fn source(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(FILE)).expect("readable export")
}

fn write(tmp: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = tmp.path().join(name);
    std::fs::write(&path, bytes).expect("temp file");
    path
}

/// 1-based line and character column of the byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    (line, column)
}

fn malformed(err: ImportError) -> (u64, u64, String) {
    match err {
        ImportError::Malformed {
            line,
            column,
            expected,
            ..
        } => (line, column, expected),
        other => panic!("expected Malformed, got {other}"),
    }
}

#[test]
fn truncated_inside_an_item_is_refused_at_the_end_of_the_file() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = source(&dir);
    // Cut right after item 200's post id: the item, the channel and the rss element are open.
    let marker = "<wp:post_id>200</wp:post_id>\n";
    let cut = text.find(marker).expect("item 200") + marker.len();
    let truncated = &text[..cut];
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = write(&tmp, "site.xml", truncated.as_bytes());

    let err = validate_wxr(&path).unwrap_err();
    let message = err.to_string();
    let (line, column, expected) = malformed(err);
    assert_eq!((line, column), line_col(truncated, truncated.len()));
    assert_eq!(expected, "</item>");
    assert_eq!(
        message,
        format!(
            "{}: line {line}, column 1: expected </item>",
            path.display()
        )
    );

    // The streaming pass yields the records before the cut, then the same error: this is
    // why the importer validates the whole file before writing anything.
    let results: Vec<_> = WxrReader::open(&path, WxrOptions::default())
        .expect("opens")
        .collect();
    let items = results
        .iter()
        .filter(|r| matches!(r, Ok(WxrRecord::Item(_))))
        .count();
    assert!(items > 50, "{items}");
    assert_eq!(
        results
            .last()
            .map(|r| r.as_ref().map(|_| ()).unwrap_err().to_string()),
        Some(message)
    );
}

#[test]
fn truncated_inside_cdata_points_at_the_section() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = source(&dir);
    let item = text.find("<wp:post_id>250</wp:post_id>").expect("item 250");
    let content = text[..item]
        .rfind("<content:encoded><![CDATA[")
        .expect("content of 250");
    let cdata = content + "<content:encoded>".len();
    // Cut in the middle of the Arabic text, on a character boundary.
    let end = cdata
        + text[cdata..]
            .find("]]></content:encoded>")
            .expect("end of content");
    let mut cut = (cdata + end) / 2;
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    let truncated = &text[..cut];
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = write(&tmp, "cut.xml", truncated.as_bytes());
    let (line, column, expected) = malformed(validate_wxr(&path).unwrap_err());
    assert_eq!((line, column), line_col(truncated, cdata));
    assert_eq!(
        expected,
        "`]]>` to close the CDATA section that starts here"
    );
}

#[test]
fn truncated_inside_a_tag_or_between_items() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = source(&dir);
    let tmp = tempfile::tempdir().expect("temp dir");

    let tag = text.find("<wp:post_name>").expect("a post name") + "<wp:post_na".len();
    let path = write(&tmp, "tag.xml", &text.as_bytes()[..tag]);
    let (line, column, expected) = malformed(validate_wxr(&path).unwrap_err());
    assert_eq!((line, column), line_col(&text, tag - "<wp:post_na".len()));
    assert_eq!(expected, "`>` to close the tag that starts here");

    let between = text.find("</item>").expect("an item") + "</item>".len();
    let path = write(&tmp, "between.xml", &text.as_bytes()[..between]);
    let (_, _, expected) = malformed(validate_wxr(&path).unwrap_err());
    assert_eq!(expected, "</channel>");
}

#[test]
fn an_unclosed_element_is_named_where_the_wrong_end_tag_is() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = source(&dir);
    // Remove the first item's </title>: the next end tag that is not the title's is wrong.
    let title_end = text
        .find("</title>\n\t\t<link>https://news.example.invalid/?p=101")
        .expect("title of 101");
    let broken = format!(
        "{}{}",
        &text[..title_end],
        &text[title_end + "</title>".len()..]
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = write(&tmp, "open.xml", broken.as_bytes());
    let (line, column, expected) = malformed(validate_wxr(&path).unwrap_err());
    assert_eq!(expected, "</title>, found </item>");
    let item_end = broken[title_end..].find("</item>").expect("end of item") + title_end;
    assert_eq!((line, column), line_col(&broken, item_end));
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = source(&dir);
    let at = text.find("عقدت أمس").expect("body text");
    let mut bytes = text.into_bytes();
    bytes[at] = 0xFF;
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = write(&tmp, "bytes.xml", &bytes);
    let (_, _, expected) = malformed(validate_wxr(&path).unwrap_err());
    assert!(expected.starts_with("UTF-8 text"), "{expected}");
}

#[test]
fn not_an_export_at_all() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let cases: &[(&str, &str)] = &[
        ("empty.xml", ""),
        ("text.xml", "{\"id\": 1}"),
        ("html.xml", "<html><body><p>x</p></body></html>"),
        (
            "sitemap.xml",
            "<?xml version=\"1.0\"?><urlset><url><loc>https://e.example/</loc></url></urlset>",
        ),
        (
            "feed.xml",
            "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title></item></channel></rss>",
        ),
    ];
    for (name, body) in cases {
        let path = write(&tmp, name, body.as_bytes());
        let err = validate_wxr(&path).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{}: line ", path.display())),
            "{message}"
        );
        match *name {
            "empty.xml" => assert!(
                message.ends_with("expected the <rss> root element"),
                "{message}"
            ),
            "text.xml" => assert!(
                message.ends_with("expected the <rss> root element, found text"),
                "{message}"
            ),
            "html.xml" | "sitemap.xml" => {
                assert!(message.contains("not a WordPress export"), "{message}")
            }
            _ => assert!(
                message.contains("no <wp:wxr_version> before <item>"),
                "{message}"
            ),
        }
    }
    let missing = tmp.path().join("missing.xml");
    let err = validate_wxr(&missing).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err}");
}
