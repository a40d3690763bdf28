//! Keyed imports: every record is keyed on (source, kind, id there), so a second run
//! updates what the first wrote, existing people and categories are adopted, old URLs
//! point at the new records, and slugs stay unique.

use nashir_core::{CommentStatus, NewComment, PublishState};
use nashir_import::{NewCategory, NewPage, NewPerson, NewTag, Sink, Upserted};
use nashir_store::{ImportTable, Store};

use crate::both;
use crate::common::article;

both!(a_second_run_updates_what_the_first_wrote, |store: Store| async move {
    let now = nashir_store::now_micros();
    let person = NewPerson { login: "salma", slug: "سلمى", name: "سلمى", email: Some("s@example.com"), old_path: Some("/author/salma/") };
    let first = Sink::person(&store, "wp", &person, now).await.expect("person");
    let second = Sink::person(&store, "wp", &NewPerson { name: "سلمى ك.", ..person.clone() }, now).await.expect("person");
    assert!(matches!(first, Upserted::Created(_)));
    assert_eq!(second, Upserted::Updated(first.id()));
    assert_eq!(store.person_by_slug("سلمى").await.expect("read").expect("exists").name, "سلمى ك.");
    // Another source with the same email adopts the person rather than duplicating them.
    let other = Sink::person(&store, "other-site", &NewPerson { login: "s", slug: "s", ..person.clone() }, now).await.expect("person");
    assert_eq!(other, Upserted::Created(first.id()));

    let parent = NewCategory { key: "world", parent_id: None, slug: "دولي", name: "دولي", description: "", old_path: Some("/category/world/") };
    let world = store.category("wp", &parent, now).await.expect("category");
    let child = NewCategory { key: "europe", parent_id: Some(world.id()), slug: "أوروبا", name: "أوروبا", description: "", old_path: None };
    let europe = store.category("wp", &child, now).await.expect("category");
    assert_eq!(store.category("wp", &child, now).await.expect("again"), Upserted::Updated(europe.id()));
    let tag = store.tag(&NewTag { slug: "وسم", name: "وسم", old_path: Some("/tag/x/") }, now).await.expect("tag");
    assert_eq!(store.tag(&NewTag { slug: "وسم", name: "وسم", old_path: None }, now).await.expect("tag"), Upserted::Updated(tag.id()));

    let mut a = article("خبر", first.id(), europe.id(), vec![tag.id()], PublishState::Published, now - 1);
    let old = vec!["/2024/05/khabar/".to_owned(), "/?p=12".to_owned()];
    let post = store.article("wp", "12", &a, &old, now).await.expect("article");
    a.title = "خبر معدّل".into();
    assert_eq!(store.article("wp", "12", &a, &old, now).await.expect("again"), Upserted::Updated(post.id()));
    assert_eq!(store.count_rows(ImportTable::Articles).await.expect("count"), 1);
    assert_eq!(store.published_article(post.id(), now).await.expect("read").expect("public").title, "خبر معدّل");
    assert_eq!(store.redirect_target("/?p=12").await.expect("redirect").as_deref(), Some(format!("article:{}", post.id()).as_str()));
    assert_eq!(store.imported_id("wp", "post", "12").await.expect("key"), Some(post.id()));
    // Another post with the same slug gets a free one.
    let twin = store.article("wp", "13", &a, &[], now).await.expect("twin");
    let slugs = (store.article_slug(post.id()).await.expect("slug"), store.article_slug(twin.id()).await.expect("slug"));
    assert_ne!(slugs.0.map(|s| s.0), slugs.1.map(|s| s.0));

    let comment = NewComment {
        article_id: post.id(),
        parent_id: None,
        author_name: "قارئ".into(),
        author_email: "Reader@Example.ORG".into(),
        author_url: None,
        body: "تعليق".into(),
        status: CommentStatus::Approved,
        created_at: now,
        author_ip: None,
        staff_id: None,
    };
    let c = store.comment("wp", "99", &comment, now).await.expect("comment");
    assert_eq!(store.comment("wp", "99", &comment, now).await.expect("again"), Upserted::Updated(c.id()));
    assert_eq!(store.approved_comments(post.id()).await.expect("comments").len(), 1);
    // Imported comments count: the article's number, and the email's approved history.
    assert_eq!(store.published_by_ids(&[post.id()], now).await.expect("summary")[0].comment_count, 1);
    let (history, _) = store.commenter_history("reader@example.org", "جديد", now).await.expect("history");
    assert!(history.email_approved_before, "an imported approved comment makes the email known");
    let spam = NewComment { status: CommentStatus::Spam, ..comment.clone() };
    store.comment("wp", "99", &spam, now).await.expect("re-imported as spam");
    assert_eq!(store.published_by_ids(&[post.id()], now).await.expect("summary")[0].comment_count, 0, "recounted");
    store.comment("wp", "99", &comment, now).await.expect("back");

    let page = NewPage {
        parent_id: None,
        slug: "من-نحن".into(),
        title: "من نحن".into(),
        body_html: "<p>نحن</p>".into(),
        state: PublishState::Published,
        menu_order: 0,
        author_id: Some(first.id()),
        created_at: now,
    };
    let p = Sink::page(&store, "wp", "7", &page, &["/about/".to_owned()], now).await.expect("page");
    assert_eq!(Sink::page(&store, "wp", "7", &page, &[], now).await.expect("again"), Upserted::Updated(p.id()));
    assert_eq!(store.pages().await.expect("pages").iter().filter(|x| x.state == PublishState::Published).count(), 1);
    store.featured_image(post.id(), "/uploads/a.jpg").await.expect("image");
    assert_eq!(store.published_article(post.id(), now).await.expect("read").expect("public").featured_image.as_deref(), Some("/uploads/a.jpg"));
});

both!(a_json_lines_import_runs_twice_without_duplicating, |store: Store| async move {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("news.jsonl");
    let lines = [
        r#"{"id":"1","title":"الأول","body":"نص الخبر الأول","category":"دولي/أوروبا","date":"2024-05-01T10:00:00+03:00","author":"سلمى","tags":["باريس"]}"#,
        r#"{"id":"2","title":"الثاني","body":"نص الخبر الثاني","category":"دولي","date":"2024-05-02","author":"سلمى","url":"https://old.example/2"}"#,
        "not json",
    ];
    std::fs::write(&file, lines.join("\n")).expect("write");
    let options = nashir_import::JsonlImport { file: file.clone(), time_zone: jiff::tz::TimeZone::UTC, dry_run: false };
    let first = nashir_import::import_jsonl(&options, &store, &mut ()).await.expect("import");
    assert_eq!((first.created("articles"), first.created("categories"), first.created("authors"), first.created("tags")), (2, 2, 1, 1));
    assert_eq!(first.skipped_for("bad lines (reported above)"), 1);
    let second = nashir_import::import_jsonl(&options, &store, &mut ()).await.expect("import");
    assert_eq!((second.created("articles"), second.updated("articles")), (0, 2));
    assert_eq!(store.count_rows(ImportTable::Articles).await.expect("count"), 2);
});
