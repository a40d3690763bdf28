//! WordPress's theme unit test export: counts and the edge cases it was made for.
//! Expected numbers were counted independently (Python's ElementTree over the same file).

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use nashir_core::PublishState;
use nashir_import::{CommentImportStatus, ItemKind, WxrOptions, WxrRecord, validate_wxr};

const FILE: &str = "wordpress/theme-test-data/themeunittestdata.wordpress.xml";

#[test]
fn summary_counts_match_the_file() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let s = validate_wxr(&dir.join(FILE)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.wxr_version, "1.2");
    assert_eq!(s.site_key, "wpthemetestdata.wordpress.com");
    assert_eq!((s.posts, s.pages, s.attachments), (58, 21, 37));
    // 70 nav_menu_items.
    assert_eq!(s.other_items, 70);
    assert_eq!((s.categories, s.tags), (68, 110));
    // Four tags are used by posts without being declared; so are two odd logins
    // (`>themereviewteam`, `themereviewteam>`) the file uses as dc:creator.
    assert_eq!(
        (s.implied_categories, s.implied_tags, s.implied_authors),
        (0, 4, 2)
    );
    assert_eq!(s.authors, 2);
    // 33 comments: 29 comments, 2 pingbacks, 2 trackbacks.
    assert_eq!((s.comments, s.pings), (29, 4));
    // 7 <wp:term>s: 6 menus (nav_menu) and one category that repeats a <wp:category>.
    assert_eq!(s.other_terms, 6);
    assert_eq!(s.items(), 186);
    // The test site's clock is US Pacific (UTC−7 in summer, when most posts were dated).
    assert_eq!(s.utc_offset_seconds, Some(-7 * 3600));
}

#[test]
fn records_and_edge_cases() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let records = common::read_all(&dir.join(FILE), WxrOptions::default());
    let WxrRecord::Site(site) = &records[0] else {
        panic!("site record first")
    };
    assert_eq!(site.base_blog_url, "https://wpthemetestdata.wordpress.com");
    let items = common::items(&records);
    assert_eq!(items.len(), 186);

    // Deep page hierarchy: Level 1 → Level 2 → Level 3, with their menu order and
    // hierarchical permalinks kept as old paths.
    let level3 = common::item(&records, 172);
    assert_eq!(level3.kind, ItemKind::Page);
    assert_eq!(level3.parent_id, Some(173));
    assert_eq!(common::item(&records, 173).parent_id, Some(174));
    let level1 = common::item(&records, 174);
    assert_eq!((level1.parent_id, level1.menu_order), (None, 5));
    assert_eq!(
        level3.old_paths,
        ["/level-1/level-2/level-3", "/?p=172", "/?page_id=172"]
    );
    // Greek pages: percent-encoded slugs in the permalink, a doubled slash in one of them.
    let greek3 = common::item(&records, 1813);
    assert_eq!(greek3.parent_id, Some(1811));
    assert_eq!(greek3.old_paths[0], "/greek/επίπεδο-2/επίπεδο-3");
    assert_eq!(
        common::item(&records, 1811).old_paths[0],
        "/greek/επίπεδο-2"
    );

    // <!--nextpage-->: three pages, two visible breaks; six markers in the whole file.
    let paginated = common::item(&records, 1171);
    assert_eq!(paginated.conversion.next_pages, 2);
    assert_eq!(
        paginated
            .content_html
            .matches("<hr class=\"page-break\">")
            .count(),
        2
    );
    assert!(paginated.content_html.contains("<p>Post Page 3</p>"));
    assert_eq!(
        items.iter().map(|i| i.conversion.next_pages).sum::<usize>(),
        6
    );

    // Sticky: exactly one post.
    let sticky: Vec<i64> = items
        .iter()
        .filter(|i| i.sticky)
        .map(|i| i.source_id)
        .collect();
    assert_eq!(sticky, [1241]);

    // Password-protected: never public.
    let protected = common::item(&records, 1168);
    assert!(protected.password_protected);
    assert_eq!(protected.wp_status, "publish");
    assert_eq!(protected.status, PublishState::Draft);

    // Future and draft posts.
    let statuses = |state| {
        items
            .iter()
            .filter(|i| i.kind == ItemKind::Post && i.status == state)
            .count()
    };
    assert_eq!(statuses(PublishState::Scheduled), 1);
    assert_eq!(statuses(PublishState::Draft), 2);

    // [caption] → <figure>; [gallery] removed and counted; "[simple boat]" is text.
    let captioned = common::item(&records, 1163);
    assert!(
        captioned
            .content_html
            .contains("<figcaption>Bell on wharf in San Francisco</figcaption>"),
        "{}",
        captioned.content_html
    );
    assert!(captioned.content_html.starts_with("<figure><a href="));
    assert_eq!(
        items.iter().map(|i| i.conversion.captions).sum::<usize>(),
        12
    );
    // Galleries are kept (as placeholders the import fills with their photos), not removed.
    let galleries: usize = items.iter().map(|i| i.galleries.len()).sum();
    assert_eq!(galleries, 12);
    assert_eq!(items.iter().map(|i| i.conversion.galleries).sum::<usize>(), 12);
    assert!(items.iter().all(|i| !i.conversion.shortcodes_removed.contains_key("gallery")));
    assert!(
        items
            .iter()
            .any(|i| i.content_html.contains("[simple boat]"))
    );
    assert!(
        items
            .iter()
            .all(|i| !i.content_html.contains("[caption") && !i.content_html.contains("[gallery"))
    );

    // <!--more--> gives the excerpt; an explicit excerpt wins.
    let more = common::item(&records, 996);
    assert!(more.conversion.had_more);
    assert!(
        more.excerpt
            .starts_with("This content is before the more tag."),
        "{}",
        more.excerpt
    );
    let defined = common::item(&records, 993);
    assert!(
        defined
            .excerpt
            .starts_with("This is a user-defined post excerpt.")
    );

    // Titles are plain text.
    assert_eq!(
        common::item(&records, 1173).title,
        "Markup: Title With Markup"
    );
    assert_eq!(
        common::item(&records, 1174).title,
        "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    );

    // Threaded comments ten levels deep, and the three awaiting moderation.
    let threaded = common::item(&records, 1148);
    assert_eq!(threaded.comments.len(), 20);
    let parent_of = |id| {
        threaded
            .comments
            .iter()
            .find(|c| c.source_id == id)
            .and_then(|c| c.parent_source_id)
    };
    assert_eq!(parent_of(915), Some(914));
    assert_eq!(parent_of(905), Some(904));
    assert_eq!(parent_of(904), None);
    let all_comments: Vec<_> = items.iter().flat_map(|i| &i.comments).collect();
    assert_eq!(all_comments.len(), 33);
    let count = |status| all_comments.iter().filter(|c| c.status == status).count();
    assert_eq!(count(CommentImportStatus::Pending), 3);
    assert_eq!(count(CommentImportStatus::Pingback), 2);
    assert_eq!(count(CommentImportStatus::Trackback), 2);
    assert_eq!(
        all_comments
            .iter()
            .filter(|c| c.parent_source_id.is_some())
            .count(),
        10
    );

    // Featured images point at attachments that are items of the same export.
    let attachment_ids: Vec<i64> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Attachment)
        .map(|i| i.source_id)
        .collect();
    let thumbnails: Vec<i64> = items.iter().filter_map(|i| i.thumbnail_id).collect();
    assert_eq!(thumbnails.len(), 6);
    assert!(
        thumbnails.iter().all(|t| attachment_ids.contains(t)),
        "{thumbnails:?}"
    );
    assert!(
        items
            .iter()
            .filter(|i| i.kind == ItemKind::Attachment)
            .all(|i| i.attachment_url.is_some())
    );

    // Every slug obeys Nashir's rules; nothing unsafe survives conversion.
    for item in &items {
        assert!(
            nashir_arabic::is_valid_slug(&item.slug),
            "{} {:?}",
            item.source_id,
            item.slug
        );
        let html = item.content_html.to_ascii_lowercase();
        assert!(
            !html.contains("<script")
                && !html.contains("javascript:")
                && !html.contains(" onerror")
        );
        assert!(!html.contains("<!-- wp:"));
    }
}
