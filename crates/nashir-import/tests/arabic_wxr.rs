//! The synthetic Arabic export: ANT corpus text in WXR 1.2 plus hand-made edge cases.
//! Expected numbers were counted independently (Python's ElementTree over the same file).

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use std::collections::HashSet;

use jiff::tz::TimeZone;
use nashir_core::PublishState;
use nashir_import::{
    CommentImportStatus, ItemKind, WxrOptions, WxrRecord, decode_wp_slug, unique_slug, validate_wxr,
};

const FILE: &str = "arabic-wxr/arabic-news-synthetic.wxr.xml";

fn tunis() -> TimeZone {
    TimeZone::get("Africa/Tunis").expect("bundled tzdb")
}

#[test]
fn summary_counts_match_the_file() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let s = validate_wxr(&dir.join(FILE)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.wxr_version, "1.2");
    assert_eq!(s.site_key, "news.example.invalid");
    assert_eq!(s.title, "أخبار تجريبية – موقع اختبار");
    assert_eq!((s.authors, s.categories, s.tags), (3, 10, 6));
    assert_eq!(
        (s.implied_authors, s.implied_categories, s.implied_tags),
        (0, 0, 0)
    );
    assert_eq!(
        (s.posts, s.pages, s.attachments, s.other_items),
        (239, 2, 1, 0)
    );
    assert_eq!((s.comments, s.pings), (20, 10));
    // The site is in Tunisia: local dates are one hour ahead of GMT.
    assert_eq!(s.utc_offset_seconds, Some(3600));
    let zone = s.site_time_zone().expect("inferred zone");
    assert_eq!(zone.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds(), 3600);
}

#[test]
fn taxonomy_and_authors() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let records = common::read_all(&dir.join(FILE), WxrOptions::default());
    let football = records
        .iter()
        .find_map(|r| match r {
            WxrRecord::Category(c) if c.name == "كرة القدم" => Some(c),
            _ => None,
        })
        .expect("category كرة القدم");
    assert_eq!(football.nicename, "كرة-القدم");
    assert_eq!(football.slug, "كرة-القدم");
    assert_eq!(football.parent.as_deref(), Some("رياضة"));
    assert_eq!(football.old_path, "/category/رياضة/كرة-القدم");
    assert_eq!(football.description, "تصنيف فرعي تابع لتصنيف رياضة");
    let tag = records
        .iter()
        .find_map(|r| match r {
            WxrRecord::Tag(t) if t.name == "الاقتصاد الوطني" => Some(t),
            _ => None,
        })
        .expect("tag الاقتصاد الوطني");
    assert_eq!(tag.nicename, "الاقتصاد-الوطني");
    assert_eq!(tag.old_path, "/tag/الاقتصاد-الوطني");
    let sara = records
        .iter()
        .find_map(|r| match r {
            WxrRecord::Author(a) if a.login == "sara" => Some(a),
            _ => None,
        })
        .expect("author sara");
    assert_eq!(
        (sara.display_name.as_str(), sara.first_name.as_str()),
        ("سارة بن علي", "سارة")
    );
    assert_eq!(sara.last_name, "بن علي");
    assert_eq!(sara.old_path, "/author/sara");
}

#[test]
fn items_statuses_slugs_and_edge_cases() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let records = common::read_all(&dir.join(FILE), WxrOptions { time_zone: tunis(), ..WxrOptions::default() });
    let items = common::items(&records);
    let posts: Vec<_> = items.iter().filter(|i| i.kind == ItemKind::Post).collect();
    let count = |state| posts.iter().filter(|i| i.status == state).count();
    assert_eq!(count(PublishState::Published), 205);
    assert_eq!(count(PublishState::Draft), 11);
    assert_eq!(count(PublishState::Pending), 11);
    // private → unpublished, future → scheduled.
    assert_eq!(count(PublishState::Unpublished), 11);
    assert_eq!(count(PublishState::Scheduled), 1);
    assert!(items.iter().all(|i| !i.password_protected));

    // Arabic slugs decoded from percent-encoding, within 80 characters, valid.
    for item in &items {
        assert!(
            nashir_arabic::is_valid_slug(&item.slug),
            "{} {:?}",
            item.source_id,
            item.slug
        );
        assert!(!item.slug.contains('%'));
    }
    assert_eq!(common::item(&records, 340).slug, "من-نحن");
    // WordPress cut this slug at 200 bytes (inside the word الألكسو): decoded cleanly.
    let cut = common::item(&records, 101);
    assert_eq!(cut.slug, "لقاء-بين-وزيرة-الثقافة-ومدير-عام-الألك");
    // The duplicate post_name (319 and 331, cut to the same 200 bytes): the importer
    // makes the second one unique.
    assert_eq!(
        common::item(&records, 319).slug,
        common::item(&records, 331).slug
    );
    let mut taken = HashSet::new();
    let mut unique = Vec::new();
    for item in &items {
        let slug = unique_slug(&item.slug, |s| taken.contains(s));
        taken.insert(slug.clone());
        unique.push((item.source_id, slug));
    }
    let slug_of = |id| {
        unique
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| s.as_str())
    };
    assert_eq!(
        slug_of(331),
        Some("البنك-المركزي-يوضح-بخصوص-طلب-انضمام-تو-2")
    );
    assert_eq!(slug_of(319), Some("البنك-المركزي-يوضح-بخصوص-طلب-انضمام-تو"));

    // Content with `]]>` (split across two CDATA sections by the exporter) is intact.
    let cdata = common::item(&records, 336);
    assert!(
        cdata
            .content_html
            .contains("علامة نهاية CDATA هنا: ]]&gt; ويجب أن يبقى كما هو."),
        "{}",
        cdata.content_html
    );
    assert_eq!(cdata.excerpt, "مقتطف مع ]]> أيضاً");
    // The title with & < > " is plain text, as written.
    assert_eq!(
        cdata.title,
        "الأسعار & التضخّم: <تحليل> \"خاص\" بالأرقام ١٢٣ و123"
    );
    assert_eq!(cdata.slug, "الأسعار-والتضخم");
    // Eastern Arabic digits, tatweel and tashkeel in the body are kept as written.
    assert!(
        cdata.content_html.contains("٠١٢٣٤٥٦٧٨٩") && cdata.content_html.contains("الـــــرئيس")
    );
    assert!(cdata.content_html.contains("العَرَبِيَّةُ"));
    // The PHP-serialized postmeta (lengths in UTF-8 bytes) is kept as it was, unparsed.
    let serialized = cdata
        .meta
        .iter()
        .find(|(k, _)| k == "_custom_serialized")
        .map(|(_, v)| v.as_str());
    assert_eq!(
        serialized,
        Some(
            "a:3:{s:10:\"عنوان\";s:23:\"تونس العاصمة\";s:5:\"count\";i:3;s:4:\"note\";s:17:\"نص \"مقتبس\"\";}"
        )
    );

    // RLM and LRM in the title are kept.
    let marks = common::item(&records, 337);
    assert_eq!(
        marks.title,
        "\u{200f}عنوان مع علامة اتجاه\u{200f} RLM و\u{200e}LRM\u{200e}"
    );
    // The empty title: the slug comes from post_name.
    let untitled = common::item(&records, 338);
    assert_eq!(untitled.title, "");
    assert_eq!(untitled.slug, "مقال-بلا-عنوان");

    // `post_date_gmt` of 0000-00-00: the local `post_date` read in the site's zone.
    let draft = common::item(&records, 118);
    assert_eq!(draft.status, PublishState::Draft);
    let expected = tunis()
        .to_timestamp(jiff::civil::date(2016, 5, 2).at(9, 0, 0, 0))
        .expect("date");
    assert_eq!(draft.published_at, Some(expected.as_microsecond()));
    assert_eq!(
        draft.published_at,
        Some(
            jiff::Timestamp::from_second(1_462_176_000)
                .expect("ts")
                .as_microsecond()
        )
    );
    let scheduled = common::item(&records, 339);
    assert_eq!(scheduled.status, PublishState::Scheduled);
    assert_eq!(scheduled.published_at, Some(1_893_456_000_000_000));
    // With a GMT date, the zone does not matter.
    assert_eq!(
        common::item(&records, 335).published_at,
        Some(1_496_302_200_000_000)
    );

    // Threaded comments and the pingback (unapproved, counted apart).
    let commented = common::item(&records, 101);
    assert!(commented.sticky);
    let [first, reply, ping] = commented.comments.as_slice() else {
        panic!("3 comments")
    };
    assert_eq!((first.source_id, first.parent_source_id), (1, None));
    assert_eq!((reply.source_id, reply.parent_source_id), (2, Some(1)));
    assert_eq!(reply.body, "سنوافيكم بالمستجدات تباعاً.\nمع التحية.");
    assert_eq!(first.status, CommentImportStatus::Approved);
    assert_eq!(ping.status, CommentImportStatus::Pingback);
    assert_eq!(ping.status.comment_status(), None);
    let pings = items
        .iter()
        .flat_map(|i| &i.comments)
        .filter(|c| c.status == CommentImportStatus::Pingback)
        .count();
    assert_eq!(pings, 10);

    // Page hierarchy and the attachment with an Arabic file name.
    assert_eq!(common::item(&records, 341).parent_id, Some(340));
    let attachment = common::item(&records, 342);
    assert_eq!(attachment.kind, ItemKind::Attachment);
    assert_eq!(attachment.parent_id, Some(101));
    assert_eq!(
        attachment.attached_file.as_deref(),
        Some("2017/06/صورة-الخبر.jpg")
    );
    assert_eq!(
        attachment.attachment_url.as_deref(),
        Some(
            "https://news.example.invalid/wp-content/uploads/2017/06/%D8%B5%D9%88%D8%B1%D8%A9-%D8%A7%D9%84%D8%AE%D8%A8%D8%B1.jpg"
        )
    );
    assert_eq!(attachment.slug, "صورة-الخبر");
    assert_eq!(attachment.old_paths, ["/?p=342", "/?attachment_id=342"]);

    // Old URLs: every post keeps its ?p= permalink.
    assert!(
        posts
            .iter()
            .all(|p| p.old_paths == [format!("/?p={}", p.source_id)])
    );
    // Categories and tags refer to declared nicenames.
    assert_eq!(cdata.categories, ["اقتصاد"]);
    assert_eq!(cdata.tags, ["الاقتصاد-الوطني"]);
}

#[test]
fn slugs_cut_by_wordpress_decode_without_broken_characters() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join(FILE)).expect("readable");
    let names: Vec<&str> = text
        .split("<wp:post_name><![CDATA[")
        .skip(1)
        .filter_map(|rest| rest.split("]]>").next())
        .collect();
    assert_eq!(names.len(), 242);
    // Slugs WordPress shortened to 200 bytes (198–200 characters of %xx).
    let cut: Vec<&&str> = names.iter().filter(|n| n.len() >= 195).collect();
    assert!(cut.len() > 50, "{}", cut.len());
    for name in cut {
        let decoded = decode_wp_slug(name);
        assert!(!decoded.contains('\u{fffd}'));
        // Cutting one more encoded byte leaves half a character, which is dropped, not
        // mangled.
        if name.as_bytes()[name.len() - 3] != b'%' {
            continue;
        }
        let shorter = decode_wp_slug(&name[..name.len() - 3]);
        assert!(decoded.starts_with(&shorter) && !shorter.contains('\u{fffd}'));
        assert!(decoded.chars().count() - shorter.chars().count() <= 1);
    }
}
