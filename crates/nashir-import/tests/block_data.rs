//! Block-editor content (WordPress's block test data) and the hand-made theme preview.
//! Expected numbers were counted independently (Python's ElementTree over the same files).

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use nashir_import::{ItemKind, WxrOptions, validate_wxr};

#[test]
fn block_test_data_parses_with_block_comments_stripped() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let path = dir.join("wordpress/theme-test-data/64-block-test-data.xml");
    let s = validate_wxr(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (s.posts, s.pages, s.attachments, s.other_items),
        (61, 1, 9, 1)
    );
    // 13 <wp:term>s: 7 categories and 4 tags repeating the <wp:category>/<wp:tag> ones
    // (read once), and 2 of taxonomies Nashir has no place for.
    assert_eq!(
        (s.authors, s.categories, s.tags, s.other_terms),
        (2, 7, 4, 2)
    );
    assert_eq!((s.comments, s.pings), (2, 0));

    let records = common::read_all(&path, WxrOptions::default());
    let items = common::items(&records);
    assert_eq!(items.len(), 72);
    for item in &items {
        let html = &item.content_html;
        assert!(
            !html.contains("<!--"),
            "{}: comment left in {html}",
            item.source_id
        );
        assert!(
            !html.contains("wp:"),
            "{}: block marker left",
            item.source_id
        );
        assert!(
            !html.contains("<div") && !html.contains("class=\"wp-"),
            "{}",
            item.source_id
        );
    }
    // Paragraph, heading and list blocks keep their HTML, without added <br>s.
    let paragraph = common::item(&records, 16);
    assert!(
        paragraph.content_html.starts_with("<p>"),
        "{}",
        paragraph.content_html
    );
    let list = common::item(&records, 19);
    assert!(
        list.content_html.contains("<ul>") && list.content_html.contains("<ol"),
        "{}",
        list.content_html
    );
    // The page break block.
    let paged = common::item(&records, 123);
    assert_eq!(paged.conversion.next_pages, 1);
    assert_eq!(
        paged.content_html,
        "<p>Content before the page break.</p>\n<hr class=\"page-break\">\n<p>Content after the page break.</p>\n"
    );
    // The more block gives the excerpt.
    let more = common::item(&records, 121);
    assert!(more.conversion.had_more);
    assert!(!more.excerpt.is_empty());
    // Dynamic blocks have no stored HTML: counted, not imported.
    let latest = common::item(&records, 151);
    assert_eq!(
        latest.conversion.dynamic_blocks.get("latest-posts"),
        Some(&47)
    );
    // Tables keep their structure; preformatted text keeps its lines.
    let table = common::item(&records, 57);
    assert!(
        table
            .content_html
            .contains("<thead><tr><th>Header label</th>"),
        "{}",
        table.content_html
    );
    let verse = common::item(&records, 69);
    assert!(
        verse
            .content_html
            .contains("<pre>Write a verse without alignment\nCode is poetry</pre>")
    );
    // Audio and video players leave a link to their file.
    let audio = common::item(&records, 86);
    assert_eq!(audio.conversion.elements_dropped.get("audio"), Some(&9));
    assert!(
        audio.content_html.contains("<a href=\"https://"),
        "{}",
        audio.content_html
    );
    // The navigation post type is not an article.
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Other("wp_navigation".into()))
    );
}

#[test]
fn theme_preview_without_post_ids() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let path = dir.join("wordpress/theme-test-data/theme-preview.xml");
    let s = validate_wxr(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.posts, s.comments, s.pings), (7, 2, 0));
    // No author list: the one login the posts name is implied.
    assert_eq!((s.authors, s.implied_authors), (0, 1));
    let records = common::read_all(&path, WxrOptions::default());
    // The ids come from the `?p=` permalinks.
    let ids: Vec<i64> = common::items(&records)
        .iter()
        .map(|i| i.source_id)
        .collect();
    assert_eq!(ids, [19, 36, 14, 8, 6, 4, 1]);
    // Plain `<category>` names are the categories when nothing else is given.
    let boat = common::item(&records, 19);
    assert_eq!(boat.categories, ["uncategorized", "boat", "lake"]);
    assert!(
        boat.content_html.starts_with("<figure><img"),
        "{}",
        boat.content_html
    );
    // `<h1>` in content becomes `<h2>`: the article title is the page's only h1.
    let elements = common::item(&records, 36);
    assert!(
        !elements.content_html.contains("<h1")
            && elements.content_html.contains("<h2>Heading 1</h2>")
    );
}
