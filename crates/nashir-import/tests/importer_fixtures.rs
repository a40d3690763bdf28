//! Every fixture of WordPress's importer: parsed with the expected counts, or refused by name.
//! Expected numbers were counted independently (Python's ElementTree over the same files).

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use nashir_core::PublishState;
use nashir_import::{ImportError, WxrOptions, WxrRecord, WxrSummary, validate_wxr};

/// What each fixture must give: counts, or the exact refusal after the file name.
enum Expect {
    /// version, authors, categories, tags, posts, pages, comments (incl. pings)
    Parsed(&'static str, u64, u64, u64, u64, u64, u64),
    Refused(&'static str),
}

const FIXTURES: &[(&str, Expect)] = &[
    (
        "authors-multiline.xml",
        Expect::Parsed("1.2", 3, 0, 0, 1, 0, 0),
    ),
    ("blank-lines.xml", Expect::Parsed("1.2", 0, 0, 0, 1, 0, 0)),
    (
        "invalid-version-tag.xml",
        Expect::Refused(
            "line 33, column 2: unsupported WXR version \"abc\" in <wp:wxr_version> (WXR 1.0, 1.1 or 1.2 required)",
        ),
    ),
    (
        "large-authors.xml",
        Expect::Parsed("1.2", 300, 0, 0, 0, 0, 0),
    ),
    (
        "malformed-simple.xml",
        Expect::Refused("line 14, column 1: expected </item>"),
    ),
    (
        "malformed.xml",
        Expect::Refused("line 90, column 1: expected </notachanneltag>, found </channel>"),
    ),
    (
        "missing-version-tag.xml",
        Expect::Refused(
            "line 35, column 2: no <wp:wxr_version> before <wp:author>: not a WordPress export, or an \
             unsupported one (WXR 1.0, 1.1 or 1.2 required)",
        ),
    ),
    (
        "multiple-cdata.xml",
        Expect::Parsed("1.2", 0, 0, 0, 1, 0, 0),
    ),
    (
        "post-content-blank-lines.xml",
        Expect::Parsed("1.1", 1, 0, 0, 1, 0, 0),
    ),
    ("small-export.xml", Expect::Parsed("1.1", 3, 30, 3, 6, 5, 1)),
    ("term-formats.xml", Expect::Parsed("1.2", 0, 2, 3, 0, 0, 0)),
    (
        "test-serialized-postmeta-with-cdata.xml",
        Expect::Parsed("1.0", 0, 0, 0, 1, 0, 0),
    ),
    ("valid-wxr-1.0.xml", Expect::Parsed("1.0", 0, 5, 4, 3, 3, 1)),
    ("valid-wxr-1.1.xml", Expect::Parsed("1.1", 1, 1, 1, 1, 1, 1)),
    ("wxr-simple.xml", Expect::Parsed("1.2", 1, 0, 0, 1, 0, 0)),
];

fn fixture(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    dir.join("wordpress/importer-fixtures").join(name)
}

#[test]
fn every_fixture_is_parsed_or_refused_by_name() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.join("wordpress/importer-fixtures"))
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".xml"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, listed,
        "a fixture was added or removed: list it here"
    );

    for (name, expect) in FIXTURES {
        let path = fixture(&dir, name);
        match (validate_wxr(&path), expect) {
            (Ok(s), Expect::Parsed(version, authors, categories, tags, posts, pages, comments)) => {
                let got = (
                    s.wxr_version.as_str(),
                    s.authors,
                    s.categories,
                    s.tags,
                    s.posts,
                    s.pages,
                );
                assert_eq!(
                    got,
                    (*version, *authors, *categories, *tags, *posts, *pages),
                    "{name}: {s:?}"
                );
                assert_eq!(s.comments + s.pings, *comments, "{name}");
                // The importing pass agrees with the validation pass.
                let records = common::read_all(&path, WxrOptions::default());
                let items = common::items(&records).len() as u64;
                assert_eq!(items, s.items(), "{name}");
            }
            (Err(e), Expect::Refused(message)) => {
                assert_eq!(
                    e.to_string(),
                    format!("{}: {message}", path.display()),
                    "{name}"
                );
                // The streaming pass refuses the same file the same way.
                let streamed = nashir_import::WxrReader::open(&path, WxrOptions::default())
                    .and_then(|r| r.collect::<Result<Vec<_>, _>>());
                assert_eq!(streamed.map(|_| ()).unwrap_err().to_string(), e.to_string());
            }
            (Ok(s), Expect::Refused(_)) => panic!("{name} should be refused, got {s:?}"),
            (Err(e), Expect::Parsed(..)) => panic!("{name} should parse: {e}"),
        }
    }
}

#[test]
fn malformed_files_are_malformed_and_version_problems_unsupported() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    for name in ["malformed.xml", "malformed-simple.xml"] {
        let err = validate_wxr(&fixture(&dir, name)).unwrap_err();
        assert!(
            matches!(err, ImportError::Malformed { .. }),
            "{name}: {err}"
        );
    }
    for name in ["missing-version-tag.xml", "invalid-version-tag.xml"] {
        let err = validate_wxr(&fixture(&dir, name)).unwrap_err();
        assert!(
            matches!(err, ImportError::Unsupported { .. }),
            "{name}: {err}"
        );
    }
}

#[test]
fn fixture_details() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let read = |name| common::read_all(&fixture(&dir, name), WxrOptions::default());

    // Logins written over several lines are trimmed.
    let records = read("authors-multiline.xml");
    let logins: Vec<&str> = records
        .iter()
        .filter_map(|r| {
            if let WxrRecord::Author(a) = r {
                Some(a.login.as_str())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(logins, ["alice", "bob", "carol"]);
    assert_eq!(common::item(&records, 1).author_login, "alice");

    // Several CDATA sections are one text.
    let records = read("multiple-cdata.xml");
    assert_eq!(
        common::item(&records, 1).content_html,
        "<p>line oneline twoline three</p>\n"
    );

    // Blank lines make paragraphs; a single newline is a line break.
    let records = read("blank-lines.xml");
    assert_eq!(
        common::item(&records, 1).content_html,
        "<p>first paragraph</p>\n<p>second paragraph</p>\n"
    );
    let records = read("post-content-blank-lines.xml");
    let html = &common::item(&records, 1).content_html;
    assert_eq!(html.matches("<p>").count(), 2, "{html}");
    assert!(html.contains("of a WordPress post.<br>"), "{html}");

    // WXR 1.0: no author list (the login comes from dc:creator), tags in domain "tag",
    // category hierarchy, pages.
    let records = read("valid-wxr-1.0.xml");
    assert!(
        records
            .iter()
            .any(|r| matches!(r, WxrRecord::Author(a) if a.login == "admin" && a.implied))
    );
    let child = records
        .iter()
        .find_map(|r| {
            if let WxrRecord::Category(c) = r {
                (c.nicename == "child").then_some(c)
            } else {
                None
            }
        })
        .expect("child category");
    assert_eq!(
        (child.parent.as_deref(), child.old_path.as_str()),
        (Some("parent"), "/category/parent/child")
    );
    let alpha = common::item(&records, 4);
    assert_eq!(
        (alpha.categories.as_slice(), alpha.tags.as_slice()),
        (
            &["alpha".to_owned()][..],
            &["news".to_owned(), "roar".to_owned()][..]
        )
    );
    assert_eq!(
        common::item(&records, 2).old_paths,
        ["/?page_id=2", "/?p=2"]
    );
    assert_eq!(
        common::item(&records, 1).comments[0].body.lines().count(),
        2
    );

    // WXR 1.1: categories and tags with descriptions; terms of other taxonomies ignored.
    let records = read("valid-wxr-1.1.xml");
    let hello = common::item(&records, 1);
    assert_eq!((hello.categories.len(), hello.tags.len()), (1, 1));

    // Serialized postmeta, postmeta holding XML-looking text, and a GMT date of zero.
    let records = read("test-serialized-postmeta-with-cdata.xml");
    let post = common::item(&records, 10);
    assert_eq!(post.status, PublishState::Draft);
    let meta = |key: &str| {
        post.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(meta("evil"), Some("<wp:meta_value>evil</wp:meta_value>"));
    assert_eq!(
        meta("array-nested"),
        Some("a:1:{s:3:\"key\";a:2:{s:3:\"foo\";s:13:\"¯\\_(ツ)_/¯\";s:3:\"bar\";s:3:\"\\o/\";}}")
    );
    // post_date 2009-10-20 16:13:20 read in UTC, the reader's default zone.
    assert_eq!(post.published_at, Some(1_256_055_200_000_000));
    assert_eq!(post.slug, "my-entry-with-postmeta");

    // A site in a sub-folder: archive paths keep the folder.
    let records = read("wxr-simple.xml");
    let WxrRecord::Site(site) = &records[0] else {
        panic!()
    };
    assert_eq!(site.site_key, "playground.internal/path");
    assert!(
        records
            .iter()
            .any(|r| matches!(r, WxrRecord::Author(a) if a.old_path == "/path/author/admin"))
    );
    let post = common::item(&records, 10);
    assert_eq!(post.old_paths, ["/path?p=1", "/path?p=10"]);
    assert!(!post.content_html.contains("wp:paragraph"));

    // Term formats: CDATA around slugs, custom taxonomy and menu terms skipped.
    let s: WxrSummary = validate_wxr(&fixture(&dir, "term-formats.xml")).expect("parses");
    assert_eq!(s.other_terms, 2);
}
