//! The newsroom's writes: saving with the version check, revisions of published stories,
//! old slugs, autosaves, scheduled publication claimed once, and the newsroom list.

use nashir_core::{PublishState, Role};
use nashir_store::{ArticleDraft, Autosave, Event, NewsroomFilter, Store};

use crate::both;
use crate::common::{HOUR, seed};

fn draft(title: &str, author: i64, category: i64, state: PublishState) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        slug: nashir_arabic::slugify(title),
        body_html: format!("<p>{title}</p>"),
        excerpt: title.into(),
        author_id: author,
        primary_category_id: Some(category),
        other_category_ids: vec![],
        tag_ids: vec![],
        state,
        publish_at: None,
    }
}

async fn editor(store: &Store, now: i64) -> i64 {
    store.create_staff("محررة", "محررة", "editor@example.com", Role::Editor, Some("hash"), now).await.expect("editor")
}

both!(a_save_based_on_an_old_version_is_refused_naming_who_changed_it, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let by = editor(&store, now).await;
    let id = store.save_article(None, 0, &draft("أول", author, child, PublishState::Draft), by, now).await.expect("save").expect("created");
    let v1 = store.editable_article(id).await.expect("read").expect("exists").version;
    store.save_article(Some(id), v1, &draft("ثان", author, child, PublishState::Draft), by, now + 1).await.expect("save").expect("saved");
    // Someone still holding version v1 saves: refused, with who and when.
    let stale = store.save_article(Some(id), v1, &draft("ثالث", author, child, PublishState::Draft), author, now + 2).await.expect("save");
    let stale = stale.expect_err("a stale save is refused");
    assert_eq!(stale.changed_by, "محررة");
    assert_eq!(stale.changed_at, now + 1);
    assert_eq!(stale.current_version, v1 + 1);
    let current = store.editable_article(id).await.expect("read").expect("exists");
    assert_eq!((current.title.as_str(), current.state), ("ثان", PublishState::Draft), "nothing was written");
    // Saving on the current version goes through.
    store.save_article(Some(id), stale.current_version, &draft("ثالث", author, child, PublishState::Draft), author, now + 3).await.expect("save").expect("saved");
});

both!(publishing_keeps_revisions_old_slugs_and_writes_one_event_per_visible_change, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let by = editor(&store, now).await;
    let head = store.outbox_head().await.expect("head");
    let id = store.save_article(None, 0, &draft("مسودة", author, child, PublishState::Draft), by, now).await.expect("save").expect("ok");
    // A draft is not news: its one event is for the newsroom's own search, and changes no page.
    let drafted: Vec<Event> = store.outbox_after(head, 10).await.expect("events").into_iter().map(|e| e.event).collect();
    assert_eq!(drafted, [Event::DraftChanged { id }]);
    assert!(!drafted[0].changes_public_pages());
    let v = |store: &Store| {
        let store = store.clone();
        async move { store.editable_article(id).await.expect("read").expect("exists").version }
    };
    store.save_article(Some(id), v(&store).await, &draft("منشور", author, child, PublishState::Published), by, now + 1).await.expect("save").expect("ok");
    let published = store.editable_article(id).await.expect("read").expect("exists");
    assert_eq!((published.state, published.published_at), (PublishState::Published, Some(now + 1)));
    assert!(store.revisions(id).await.expect("revisions").is_empty(), "no revision before it was public");
    let mut edited = draft("منشور ومعدّل", author, child, PublishState::Published);
    edited.slug = "رابط-جديد".into();
    store.save_article(Some(id), v(&store).await, &edited, by, now + 2).await.expect("save").expect("ok");
    let revisions = store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!((revisions[0].title.as_str(), revisions[0].saved_by_name.as_deref()), ("منشور", Some("محررة")));
    let page = store.published_article(id, now + 3).await.expect("read").expect("public");
    assert_eq!(page.modified_at, Some(now + 2), "readers are told a public story changed");
    assert_eq!(page.published_at, Some(now + 1), "the publication date stays");
    store.save_article(Some(id), v(&store).await, &draft("منشور ومعدّل", author, child, PublishState::Unpublished), by, now + 4).await.expect("save").expect("ok");
    let events: Vec<Event> = store.outbox_after(head, 10).await.expect("events").into_iter().map(|e| e.event).collect();
    assert_eq!(
        events,
        vec![
            Event::DraftChanged { id },
            Event::ArticlePublished { id, scheduled: false },
            Event::ArticleChanged { id },
            Event::ArticleUnpublished { id }
        ]
    );
    assert!(store.published_article(id, now + 5).await.expect("read").is_none());
});

both!(a_scheduled_article_is_claimed_exactly_once, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let by = editor(&store, now).await;
    let mut scheduled = draft("لاحقاً", author, child, PublishState::Scheduled);
    scheduled.publish_at = Some(now + HOUR);
    let id = store.save_article(None, 0, &scheduled, by, now).await.expect("save").expect("ok");
    assert!(store.publish_due(now).await.expect("due").is_empty(), "not yet");
    assert!(store.published_article(id, now + HOUR).await.expect("read").is_none(), "scheduled is not published");
    // Two instances ask at the same moment: one claims it.
    let (a, b) = tokio::join!(store.publish_due(now + HOUR), store.publish_due(now + HOUR));
    let mut claimed = a.expect("a");
    claimed.extend(b.expect("b"));
    assert_eq!(claimed, vec![id]);
    assert_eq!(store.published_article(id, now + HOUR).await.expect("read").expect("public").published_at, Some(now + HOUR));
    assert!(store.publish_due(now + 2 * HOUR).await.expect("due").is_empty(), "only once");
});

both!(autosaves_are_per_person_and_go_with_a_save, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let by = editor(&store, now).await;
    let id = store.save_article(None, 0, &draft("أ", author, child, PublishState::Draft), by, now).await.expect("save").expect("ok");
    let typed = Autosave { title: "نص لم يُحفظ".into(), body_html: "<p>ب</p>".into(), excerpt: String::new(), base_version: 1, saved_at: now + 1 };
    store.save_autosave(id, by, &typed).await.expect("autosave");
    store.save_autosave(id, by, &Autosave { saved_at: now + 2, ..typed.clone() }).await.expect("again");
    assert_eq!(store.autosave(id, by).await.expect("read").map(|a| a.saved_at), Some(now + 2));
    assert!(store.autosave(id, author).await.expect("read").is_none(), "another person's autosave is theirs");
    let version = store.editable_article(id).await.expect("read").expect("exists").version;
    store.save_article(Some(id), version, &draft("أ", author, child, PublishState::Draft), by, now + 3).await.expect("save").expect("ok");
    assert!(store.autosave(id, by).await.expect("read").is_none(), "a save replaces the autosave");
    store.save_autosave(id, by, &typed).await.expect("autosave");
    store.discard_autosave(id, by).await.expect("discard");
    assert!(store.autosave(id, by).await.expect("read").is_none());
});

both!(the_newsroom_list_filters_and_hides_others_drafts_from_contributors, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let contributor = store.create_staff("مساهم", "مساهم", "c@example.com", Role::Contributor, Some("hash"), now).await.expect("contributor");
    let by = editor(&store, now).await;
    let mine = store.save_article(None, 0, &draft("مسودتي", contributor, child, PublishState::Draft), contributor, now).await.expect("save").expect("ok");
    let theirs = store.save_article(None, 0, &draft("مسودة الكاتب السرية", author, child, PublishState::Draft), by, now + 1).await.expect("save").expect("ok");
    let public = store.save_article(None, 0, &draft("خبر منشور", author, child, PublishState::Published), by, now + 2).await.expect("save").expect("ok");
    let ids = |rows: Vec<nashir_store::NewsroomRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let (all, total) = store.newsroom_list(&NewsroomFilter::default(), 30, 0).await.expect("list");
    assert_eq!((ids(all), total), (vec![public, theirs, mine], 3), "newest change first");
    let own = NewsroomFilter { own_or_published: Some(contributor), ..Default::default() };
    let (seen, total) = store.newsroom_list(&own, 30, 0).await.expect("list");
    assert_eq!((ids(seen), total), (vec![public, mine], 2), "never another person's draft");
    let drafts = NewsroomFilter { status: Some(PublishState::Draft), ..Default::default() };
    assert_eq!(ids(store.newsroom_list(&drafts, 30, 0).await.expect("list").0), vec![theirs, mine]);
    let titled = NewsroomFilter { title: Some("السرية".into()), ..Default::default() };
    assert_eq!(ids(store.newsroom_list(&titled, 30, 0).await.expect("list").0), vec![theirs]);
    let wildcard = NewsroomFilter { title: Some("%".into()), ..Default::default() };
    assert!(store.newsroom_list(&wildcard, 30, 0).await.expect("list").0.is_empty(), "% is a character, not a wildcard");
    let (page2, _) = store.newsroom_list(&NewsroomFilter::default(), 2, 2).await.expect("list");
    assert_eq!(ids(page2), vec![mine]);
});
