//! The reading site's queries: published lists, the article page, related articles,
//! comments, the ticker, the outbox rows of visible changes, conflicts and search feeds.

use nashir_core::{CommentStatus, PublishState};
use nashir_store::{ListFilter, NewBreakingItem, NewCategory, NewComment, Store, StoreError};

use crate::both;
use crate::common::{HOUR, article, seed};

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
    let related = |id: i64| {
        let store = store.clone();
        async move {
            let page = store.article_with_byline(id, now).await.expect("get").expect("article");
            let tags: Vec<i64> = page.tags.iter().map(|t| t.id).collect();
            store.related_with_body(&page.article, &tags, now).await.expect("related").map(|r| (r.summary.id, r.body_html))
        }
    };
    assert_eq!(related(a).await.map(|r| r.0), Some(b), "shares a tag");
    assert_eq!(related(c).await, Some((b, "<p>نص</p>".to_owned())), "shares the category, newest, with its body");
    let lonely = store.create_article(&article("د", author, child, vec![], PublishState::Published, now - 6 * HOUR), now).await.expect("d");
    assert_eq!(related(lonely).await.map(|r| r.0), Some(a), "same child category");
    // With nothing shared, the newest other article.
    let other = store
        .create_category(&NewCategory { parent_id: None, slug: "آخر".into(), name: "آخر".into(), description: String::new(), position: 9 }, now)
        .await
        .expect("category");
    let alone = store.create_article(&article("هـ", author, other, vec![], PublishState::Published, now - 7 * HOUR), now).await.expect("e");
    assert_eq!(related(alone).await.map(|r| r.0), Some(c), "the newest article when nothing is shared");
});

both!(an_article_page_reads_its_byline_and_tags_in_one_round_trip, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, tag) = seed(&store, now).await;
    let second = store.create_tag("أخرى", "أخرى", now).await.expect("tag");
    let a = store.create_article(&article("أ", author, child, vec![second, tag], PublishState::Published, now - HOUR), now).await.expect("a");
    let bare = store.create_article(&article("ب", author, child, vec![], PublishState::Published, now - HOUR), now).await.expect("b");
    let draft = store.create_article(&article("ج", author, child, vec![tag], PublishState::Draft, now - HOUR), now).await.expect("c");
    let before = store.round_trips();
    let page = store.article_with_byline(a, now).await.expect("read").expect("published");
    assert_eq!(store.round_trips() - before, 1);
    assert_eq!(page.article.title, "أ");
    assert_eq!((page.author.name.as_str(), page.author.bio.as_str(), page.author.email.as_deref()), ("كاتب", "سيرة", None));
    assert_eq!(page.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["أخرى", "وسم"], "every tag, by name");
    let bare = store.article_with_byline(bare, now).await.expect("read").expect("published");
    assert!(bare.tags.is_empty());
    assert!(store.article_with_byline(draft, now).await.expect("read").is_none(), "drafts never leak");
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
        author_ip: None,
        staff_id: None,
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
        vec!["person.changed", "category.changed", "category.changed", "article.published", "draft.changed"],
        "a draft is not news: its event is for the newsroom's search only"
    );
    assert!(!events.last().expect("draft").event.changes_public_pages());
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

both!(category_and_tag_lists_follow_every_change_of_state_date_and_filing, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, parent, child, tag) = seed(&store, now).await;
    let by = store.create_staff("محررة", "محررة", "e@example.com", nashir_core::Role::Editor, Some("h"), now).await.expect("editor");
    // Filed under the parent and the child: one article in the parent's subtree, not two.
    let mut both_places = article("في القسمين", author, child, vec![tag], PublishState::Published, now - HOUR);
    both_places.other_category_ids = vec![parent];
    let a = store.create_article(&both_places, now).await.expect("a");
    let subtree = ListFilter::Categories(vec![parent, child]);
    let ids = |filter: ListFilter| {
        let store = store.clone();
        async move {
            let request = nashir_store::ListRequest { filter: &filter, limit: 10, offset: 0 };
            let ids = store.published_ids(now, &[request]).await.expect("ids").pop().expect("one list");
            (ids, store.count_published(now, &filter).await.expect("count"))
        }
    };
    assert_eq!(ids(subtree.clone()).await, (vec![a], 1));
    // A draft saved as scheduled appears once it is published by the scheduler.
    let draft = nashir_store::ArticleDraft {
        title: "لاحق".into(),
        slug: "لاحق".into(),
        body_html: "<p>x</p>".into(),
        excerpt: "x".into(),
        author_id: author,
        primary_category_id: Some(child),
        other_category_ids: vec![],
        tag_ids: vec![tag],
        state: PublishState::Scheduled,
        publish_at: Some(now - 10),
    };
    let b = store.save_article(None, 0, &draft, by, now - 20).await.expect("save").expect("ok");
    assert_eq!(ids(ListFilter::Categories(vec![child])).await, (vec![a], 1), "scheduled is not listed");
    assert_eq!(store.publish_due(now).await.expect("due"), vec![b]);
    assert_eq!(ids(ListFilter::Categories(vec![child])).await, (vec![b, a], 2));
    assert_eq!(ids(ListFilter::Tag(tag)).await, (vec![b, a], 2));
    // Unpublishing takes it off every list.
    let version = store.editable_article(b).await.expect("read").expect("exists").version;
    let unpublished = nashir_store::ArticleDraft { state: PublishState::Unpublished, publish_at: None, ..draft.clone() };
    store.save_article(Some(b), version, &unpublished, by, now).await.expect("save").expect("ok");
    assert_eq!(ids(ListFilter::Tag(tag)).await, (vec![a], 1));
    // Deleting the child moves its articles to the parent with their dates; a merged tag too.
    store.delete_category(child, Some(parent), now).await.expect("delete");
    assert_eq!(ids(ListFilter::Categories(vec![parent])).await, (vec![a], 1));
    let other = store.create_tag("آخر", "آخر", now).await.expect("tag");
    store.merge_tags(tag, other, now).await.expect("merge");
    assert_eq!(ids(ListFilter::Tag(other)).await, (vec![a], 1));
    // The related article of one with nothing else in its category is the newest other.
    assert_eq!(ids(ListFilter::All).await.0, vec![a]);
});
