//! The store's behaviour on both backends: every test runs on a fresh SQLite file and on a
//! fresh PostgreSQL database (created per test on the server named by
//! `NASHIR_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/postgres`; set it to
//! `off` to run SQLite only).

use nashir_core::{CommentStatus, PublishState, Role};
use nashir_store::{ListFilter, NewArticle, NewBreakingItem, NewCategory, NewComment, NewPerson, Store, StoreError};
use sqlx::Connection;

const HOUR: i64 = 3_600_000_000;

struct TestDb {
    store: Store,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take() {
            // Best effort: a leftover test database is harmless and named as such.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::connect(&nashir_store::sqlite_url_for_dir(dir.path())).await.expect("sqlite");
    TestDb { store, _dir: Some(dir), drop_pg: None }
}

async fn postgres() -> Option<TestDb> {
    let admin = std::env::var("NASHIR_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    if admin == "off" {
        eprintln!("NASHIR_TEST_POSTGRES=off: PostgreSQL half of the store tests skipped");
        return None;
    }
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "nashir_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        nashir_store::now_micros() % 1_000_000
    );
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL reachable (NASHIR_TEST_POSTGRES)");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.expect("create db");
    let url = match admin.rfind('/') {
        Some(slash) => format!("{}/{name}", &admin[..slash]),
        None => panic!("bad NASHIR_TEST_POSTGRES"),
    };
    let store = Store::connect(&url).await.expect("postgres store");
    Some(TestDb { store, _dir: None, drop_pg: Some((admin, name)) })
}

/// Runs a scenario on both backends.
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let db = super::sqlite().await;
                ($body)(db.store.clone()).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(db) = super::postgres().await {
                    ($body)(db.store.clone()).await;
                }
            }
        }
    };
}

async fn seed(store: &Store, now: i64) -> (i64, i64, i64, i64) {
    let author = store
        .create_person(
            &NewPerson { slug: "كاتب".into(), name: "كاتب".into(), email: Some("k@example.com".into()), bio: "سيرة".into(), role: Role::Author },
            now,
        )
        .await
        .expect("person");
    let parent = store
        .create_category(&NewCategory { parent_id: None, slug: "دولي".into(), name: "دولي".into(), description: String::new(), position: 0 }, now)
        .await
        .expect("parent");
    let child = store
        .create_category(&NewCategory { parent_id: Some(parent), slug: "أوروبا".into(), name: "أوروبا".into(), description: String::new(), position: 1 }, now)
        .await
        .expect("child");
    let tag = store.create_tag("وسم", "وسم", now).await.expect("tag");
    (author, parent, child, tag)
}

fn article(title: &str, author: i64, cat: i64, tags: Vec<i64>, state: PublishState, published_at: i64) -> NewArticle {
    NewArticle {
        title: title.into(),
        slug: nashir_arabic::slugify(title),
        body_html: "<p>نص</p>".into(),
        excerpt: "نص".into(),
        featured_image: None,
        state,
        author_id: author,
        primary_category_id: Some(cat),
        other_category_ids: vec![],
        tag_ids: tags,
        published_at: Some(published_at),
        modified_at: None,
        sticky: false,
    }
}

both!(published_lists_show_only_due_published_articles, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, parent, child, tag) = seed(&store, now).await;
    let old = store.create_article(&article("قديم", author, child, vec![tag], PublishState::Published, now - 2 * HOUR), now).await.expect("a");
    let new = store.create_article(&article("جديد", author, parent, vec![], PublishState::Published, now - HOUR), now).await.expect("b");
    let draft = store.create_article(&article("مسودة", author, child, vec![tag], PublishState::Draft, now - HOUR), now).await.expect("c");
    let future = store.create_article(&article("لاحق", author, child, vec![], PublishState::Published, now + HOUR), now).await.expect("d");

    let all = store.published_list(now, &ListFilter::All, 10, 0).await.expect("list");
    assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), vec![new, old], "newest first, no draft, no future");
    assert_eq!(store.count_published(now, &ListFilter::All).await.expect("count"), 2);
    assert!(store.published_article(draft, now).await.expect("get").is_none(), "drafts never leak");
    assert!(store.published_article(future, now).await.expect("get").is_none());
    assert_eq!(store.next_publication_after(now).await.expect("next"), Some(now + HOUR));

    let in_child = store.published_list(now, &ListFilter::Categories(vec![child]), 10, 0).await.expect("child");
    assert_eq!(in_child.len(), 1);
    let in_tree = store.count_published(now, &ListFilter::Categories(vec![parent, child])).await.expect("tree");
    assert_eq!(in_tree, 2);
    assert_eq!(store.count_published(now, &ListFilter::Tag(tag)).await.expect("tag"), 1);
    assert_eq!(store.count_published(now, &ListFilter::Author(author)).await.expect("author"), 2);
    let page2 = store.published_list(now, &ListFilter::All, 1, 1).await.expect("page");
    assert_eq!(page2[0].id, old);
});

both!(related_article_prefers_shared_category_or_tag_then_latest, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, parent, child, tag) = seed(&store, now).await;
    let a = store.create_article(&article("أ", author, child, vec![tag], PublishState::Published, now - 5 * HOUR), now).await.expect("a");
    let b = store.create_article(&article("ب", author, parent, vec![tag], PublishState::Published, now - 4 * HOUR), now).await.expect("b");
    let c = store.create_article(&article("ج", author, parent, vec![], PublishState::Published, now - 3 * HOUR), now).await.expect("c");
    let a_full = store.published_article(a, now).await.expect("get").expect("a");
    assert_eq!(store.related_article(&a_full, now).await.expect("rel").map(|r| r.id), Some(b), "shares a tag");
    let c_full = store.published_article(c, now).await.expect("get").expect("c");
    assert_eq!(store.related_article(&c_full, now).await.expect("rel").map(|r| r.id), Some(b), "shares the category, newest");
    let lonely = store.create_article(&article("د", author, child, vec![], PublishState::Published, now - 6 * HOUR), now).await.expect("d");
    let lonely_full = store.published_article(lonely, now).await.expect("get").expect("d");
    assert_eq!(store.related_article(&lonely_full, now).await.expect("rel").map(|r| r.id), Some(a), "same child category");
});

both!(comments_keep_emails_out_of_reads_and_pending_out_of_lists, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let a = store.create_article(&article("أ", author, child, vec![], PublishState::Published, now - HOUR), now).await.expect("a");
    let c = |parent, status, body: &str| NewComment {
        article_id: a,
        parent_id: parent,
        author_name: "قارئ".into(),
        author_email: "reader@example.org".into(),
        author_url: None,
        body: body.into(),
        status,
        created_at: now,
    };
    let first = store.create_comment(&c(None, CommentStatus::Approved, "أول"), now).await.expect("c1");
    store.create_comment(&c(Some(first), CommentStatus::Approved, "رد"), now).await.expect("c2");
    store.create_comment(&c(None, CommentStatus::Pending, "معلق"), now).await.expect("c3");
    let shown = store.approved_comments(a).await.expect("comments");
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|c| c.author_email.is_empty()));
    assert_eq!(shown[1].parent_id, Some(first));
});

both!(breaking_items_are_live_between_start_and_expiry, |store: Store| async move {
    let now = nashir_store::now_micros();
    let item = |text: &str, starts, expires, position| NewBreakingItem { text: text.into(), article_id: None, starts_at: starts, expires_at: expires, position };
    store.create_breaking_item(&item("ثان", now - HOUR, now + HOUR, 2), now).await.expect("b");
    store.create_breaking_item(&item("أول", now - HOUR, now + 2 * HOUR, 1), now).await.expect("a");
    store.create_breaking_item(&item("منته", now - 2 * HOUR, now - HOUR, 0), now).await.expect("c");
    store.create_breaking_item(&item("قادم", now + 30 * 60 * 1_000_000, now + 3 * HOUR, 0), now).await.expect("d");
    let live: Vec<String> = store.live_breaking_items(now).await.expect("live").into_iter().map(|b| b.text).collect();
    assert_eq!(live, vec!["أول", "ثان"]);
    assert_eq!(store.next_breaking_change(now).await.expect("next"), Some(now + 30 * 60 * 1_000_000));
});

both!(visible_changes_write_outbox_events_in_order, |store: Store| async move {
    let now = nashir_store::now_micros();
    let head = store.outbox_head().await.expect("head");
    let (author, _, child, _) = seed(&store, now).await;
    store.create_article(&article("منشور", author, child, vec![], PublishState::Published, now), now).await.expect("a");
    store.create_article(&article("مسودة", author, child, vec![], PublishState::Draft, now), now).await.expect("b");
    let events = store.outbox_after(head, 100).await.expect("events");
    let topics: Vec<&str> = events.iter().map(|e| e.event.topic()).collect();
    assert_eq!(
        topics,
        vec!["person.changed", "category.changed", "category.changed", "article.published"],
        "a draft is not news"
    );
    assert!(events.windows(2).all(|w| w[0].id < w[1].id));
});

both!(unique_slugs_become_conflicts_and_meta_round_trips, |store: Store| async move {
    let now = nashir_store::now_micros();
    seed(&store, now).await;
    let dup = store.create_tag("وسم", "آخر", now).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    let sibling = store
        .create_category(&NewCategory { parent_id: None, slug: "دولي".into(), name: "x".into(), description: String::new(), position: 0 }, now)
        .await;
    assert!(matches!(sibling, Err(StoreError::Conflict(_))), "same slug among siblings");
    assert_eq!(store.meta("k").await.expect("meta"), None);
    store.set_meta("k", "١").await.expect("set");
    store.set_meta("k", "٢").await.expect("set");
    assert_eq!(store.meta("k").await.expect("meta").as_deref(), Some("٢"));
    assert!(store.person_by_slug("كاتب").await.expect("p").is_some());
});

both!(search_results_are_loaded_by_id_in_the_order_given_and_only_if_public, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let a = store.create_article(&article("أ", author, child, vec![], PublishState::Published, now - HOUR), now).await.expect("a");
    let b = store.create_article(&article("ب", author, child, vec![], PublishState::Draft, now - HOUR), now).await.expect("b");
    let c = store.create_article(&article("ج", author, child, vec![], PublishState::Published, now - 2 * HOUR), now).await.expect("c");
    let found: Vec<i64> = store.published_by_ids(&[c, b, a, 999_999], now).await.expect("ids").into_iter().map(|s| s.id).collect();
    assert_eq!(found, vec![c, a]);
    assert!(store.published_by_ids(&[], now).await.expect("empty").is_empty());
    let docs = store.indexable_after(0, 10, now).await.expect("feed");
    assert_eq!(docs.iter().map(|d| d.id).collect::<Vec<_>>(), vec![a, c]);
    assert_eq!(docs[0].category_ids, vec![child]);
    assert!(store.indexable(b, now).await.expect("draft").is_none());
});
