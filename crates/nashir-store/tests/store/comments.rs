//! Reader comments: the first-comment rule's history, counts kept per article, moderation
//! moves, edits, erasure, address retention, the mail queue, and imports taking part.

use nashir_core::comments::Moderation;
use nashir_core::{CommentStatus, PublishState};
use nashir_store::{CommentEdit, Erasure, ModerationFilter, OutgoingMail, Store, StoreError};

use crate::both;
use crate::common::{HOUR, article, seed};

const DAY: i64 = 24 * HOUR;

fn comment(article_id: i64, email: &str, body: &str, status: CommentStatus, at: i64) -> nashir_core::NewComment {
    nashir_core::NewComment {
        article_id,
        parent_id: None,
        author_name: "قارئ".into(),
        author_email: email.into(),
        author_url: None,
        body: body.into(),
        status,
        created_at: at,
        author_ip: Some("203.0.113.7".into()),
        staff_id: None,
    }
}

async fn published(store: &Store, now: i64) -> (i64, i64) {
    let (author, _, child, _) = seed(store, now).await;
    let a = store.create_article(&article("مقال للتعليق", author, child, vec![], PublishState::Published, now - HOUR), now).await.expect("a");
    let b = store.create_article(&article("مقال آخر", author, child, vec![], PublishState::Published, now - 2 * HOUR), now).await.expect("b");
    (a, b)
}

async fn count_of(store: &Store, id: i64, now: i64) -> i64 {
    let listed = store.published_by_ids(&[id], now).await.expect("summary");
    let page = store.article_with_byline(id, now).await.expect("article").expect("published").article.comment_count;
    assert_eq!(listed[0].comment_count, page, "lists and the page agree");
    page
}

both!(the_first_comment_of_an_email_is_known_by_its_approved_history, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    let (h, repeated) = store.commenter_history("Salma@Example.com", "نص", now).await.expect("history");
    assert!(!h.email_approved_before && !repeated);
    store.create_comment(&comment(a, "salma@example.com", "نص", CommentStatus::Pending, now - HOUR), now).await.expect("c");
    let (h, repeated) = store.commenter_history("SALMA@example.com", "نَصّ", now).await.expect("history");
    assert!(!h.email_approved_before, "a held comment is no history");
    assert!(repeated, "the same text (diacritics aside) within a day");
    let (_, later) = store.commenter_history("x@example.com", "نص", now + DAY).await.expect("history");
    assert!(!later, "a day later it is not a repeat");
    store.create_comment(&comment(a, "Salma@example.com ", "آخر", CommentStatus::Approved, now), now).await.expect("c");
    let (h, _) = store.commenter_history("salma@EXAMPLE.com", "جديد", now).await.expect("history");
    assert!(h.email_approved_before, "emails match whatever their case");
});

both!(approved_counts_follow_every_change_and_reach_lists, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, b) = published(&store, now).await;
    assert_eq!(count_of(&store, a, now).await, 0);
    let held = store.create_comment(&comment(a, "a@example.com", "معلق", CommentStatus::Pending, now), now).await.expect("c");
    let shown = store.create_comment(&comment(a, "b@example.com", "ظاهر", CommentStatus::Approved, now), now).await.expect("c");
    store.create_comment(&comment(b, "b@example.com", "على مقال آخر", CommentStatus::Approved, now), now).await.expect("c");
    assert_eq!(count_of(&store, a, now).await, 1);
    assert_eq!(store.moderate_comments(&[held], Moderation::Approve, now).await.expect("approve"), 1);
    assert_eq!(count_of(&store, a, now).await, 2);
    assert_eq!(store.moderate_comments(&[held, shown], Moderation::Trash, now).await.expect("trash"), 2);
    assert_eq!(count_of(&store, a, now).await, 0);
    assert_eq!(count_of(&store, b, now).await, 1);
    let head = store.outbox_head().await.expect("head");
    store.moderate_comments(&[held], Moderation::Restore, now).await.expect("restore");
    assert_eq!(count_of(&store, a, now).await, 1, "restored to the approved status it had");
    let events = store.outbox_after(head, 10).await.expect("events");
    assert!(events.iter().all(|e| e.event.article_id() == Some(a)) && !events.is_empty());
});

both!(held_and_visible_comments_record_different_events, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    let head = store.outbox_head().await.expect("head");
    store.create_comment(&comment(a, "a@example.com", "معلق", CommentStatus::Pending, now), now).await.expect("c");
    store.create_comment(&comment(a, "b@example.com", "ظاهر", CommentStatus::Approved, now), now).await.expect("c");
    store.create_comment(&comment(a, "c@example.com", "مزعج", CommentStatus::Spam, now), now).await.expect("c");
    let events = store.outbox_after(head, 10).await.expect("events");
    let topics: Vec<&str> = events.iter().map(|e| e.event.topic()).collect();
    assert_eq!(topics, vec!["comment.held", "comment.approved"]);
    assert!(!events[0].event.changes_public_pages() && events[1].event.changes_public_pages());
});

both!(a_reply_needs_an_approved_parent_on_the_same_article, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, b) = published(&store, now).await;
    let parent = store.create_comment(&comment(a, "a@example.com", "أصل", CommentStatus::Approved, now), now).await.expect("c");
    let held = store.create_comment(&comment(a, "a@example.com", "معلق", CommentStatus::Pending, now), now).await.expect("c");
    let reply = |article_id, parent_id| nashir_core::NewComment { parent_id: Some(parent_id), ..comment(article_id, "r@example.com", "رد", CommentStatus::Approved, now) };
    assert!(store.create_comment(&reply(a, parent), now).await.is_ok());
    assert!(matches!(store.create_comment(&reply(b, parent), now).await, Err(StoreError::NotFound(_))), "another article");
    assert!(matches!(store.create_comment(&reply(a, held), now).await, Err(StoreError::NotFound(_))), "a held parent");
    assert!(matches!(store.create_comment(&reply(a, 999_999), now).await, Err(StoreError::NotFound(_))));
    assert_eq!(count_of(&store, a, now).await, 2, "refused replies wrote nothing");
    // The writer's view finds a held comment of that article only.
    assert!(store.held_comment(held, a).await.expect("held").is_some());
    assert!(store.held_comment(held, b).await.expect("held").is_none());
    assert!(store.held_comment(parent, a).await.expect("held").is_none(), "approved is not held");
});

both!(moderation_moves_and_deletion_keep_threads, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    let top = store.create_comment(&comment(a, "a@example.com", "أصل", CommentStatus::Approved, now), now).await.expect("c");
    let mid = store
        .create_comment(&nashir_core::NewComment { parent_id: Some(top), ..comment(a, "b@example.com", "وسط", CommentStatus::Approved, now + 1) }, now)
        .await
        .expect("c");
    let leaf = store
        .create_comment(&nashir_core::NewComment { parent_id: Some(mid), ..comment(a, "c@example.com", "فرع", CommentStatus::Approved, now + 2) }, now)
        .await
        .expect("c");
    assert_eq!(store.moderate_comments(&[mid], Moderation::Approve, now).await.expect("noop"), 0, "already approved");
    assert_eq!(store.moderate_comments(&[mid], Moderation::Delete, now).await.expect("refused"), 0, "only spam and trash are deleted");
    store.moderate_comments(&[mid], Moderation::Spam, now).await.expect("spam");
    assert_eq!(store.moderate_comments(&[mid], Moderation::Delete, now).await.expect("delete"), 1);
    let left = store.approved_comments(a).await.expect("comments");
    assert_eq!(left.iter().map(|c| c.id).collect::<Vec<_>>(), vec![top, leaf]);
    assert_eq!(left[1].parent_id, Some(top), "the reply moved up to the deleted comment's parent");
    store.moderate_comments(&[leaf], Moderation::Unapprove, now).await.expect("unapprove");
    assert_eq!(store.pending_comment_count().await.expect("pending"), 1);
});

both!(the_queue_filters_by_status_article_and_email_and_counts_each_status, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, b) = published(&store, now).await;
    for (article_id, email, status) in [
        (a, "x@example.com", CommentStatus::Pending),
        (a, "y@example.com", CommentStatus::Pending),
        (a, "x@example.com", CommentStatus::Approved),
        (b, "x@example.com", CommentStatus::Spam),
        (b, "z@example.com", CommentStatus::Trash),
    ] {
        store.create_comment(&comment(article_id, email, "نص", status, now), now).await.expect("c");
    }
    let all = store.comment_status_counts(&ModerationFilter::default()).await.expect("counts");
    assert_eq!((all.pending, all.approved, all.spam, all.trash), (2, 1, 1, 1));
    let by_email = ModerationFilter { email: Some("X@Example.com".into()), ..Default::default() };
    let c = store.comment_status_counts(&by_email).await.expect("counts");
    assert_eq!((c.pending, c.approved, c.spam, c.trash), (1, 1, 1, 0));
    let pending_on_a = ModerationFilter { statuses: vec![CommentStatus::Pending], article_id: Some(a), email: None };
    let (rows, total) = store.moderation_list(&pending_on_a, 10, 0).await.expect("list");
    assert_eq!(total, 2);
    assert!(rows.iter().all(|r| r.comment.status == CommentStatus::Pending && r.comment.article_id == a));
    assert!(rows.iter().all(|r| r.address.as_deref() == Some("203.0.113.7") && r.email.ends_with("@example.com")));
    assert_eq!(rows[0].article_title, "مقال للتعليق");
    let (page2, _) = store.moderation_list(&pending_on_a, 1, 1).await.expect("page 2");
    assert_eq!(page2.len(), 1);
    assert_eq!(store.pending_comment_count().await.expect("pending"), 2);
});

both!(an_edit_changes_words_and_author_and_is_an_event, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    let id = store.create_comment(&comment(a, "a@example.com", "قبل", CommentStatus::Approved, now), now).await.expect("c");
    let head = store.outbox_head().await.expect("head");
    let edit = CommentEdit { author_name: "اسم جديد".into(), author_email: "New@Example.com".into(), author_url: Some("https://x.example".into()), body: "بعد".into() };
    store.edit_comment(id, &edit, now).await.expect("edit");
    let row = store.comment_for_moderation(id).await.expect("read").expect("found");
    assert_eq!((row.comment.author_name.as_str(), row.email.as_str(), row.comment.body.as_str()), ("اسم جديد", "new@example.com", "بعد"));
    assert_eq!(store.outbox_after(head, 10).await.expect("events").len(), 1);
    assert!(matches!(store.edit_comment(999_999, &edit, now).await, Err(StoreError::NotFound(_))));
});

both!(erasure_removes_or_anonymizes_and_logs_without_the_email, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, b) = published(&store, now).await;
    let first = store.create_comment(&comment(a, "Gone@Example.com", "أصل", CommentStatus::Approved, now), now).await.expect("c");
    let reply = store
        .create_comment(&nashir_core::NewComment { parent_id: Some(first), ..comment(a, "stay@example.com", "رد", CommentStatus::Approved, now + 1) }, now)
        .await
        .expect("c");
    store.create_comment(&comment(b, "gone@example.com", "ثان", CommentStatus::Pending, now), now).await.expect("c");
    store.create_comment(&comment(b, "anon@example.com", "مجهَّل", CommentStatus::Approved, now), now).await.expect("c");

    assert_eq!(store.erase_commenter("GONE@example.com", Erasure::Remove, None, now).await.expect("erase"), 2);
    let left = store.approved_comments(a).await.expect("comments");
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].id, left[0].parent_id), (reply, None), "the reply stays, moved up");
    assert_eq!(count_of(&store, a, now).await, 1);
    let (h, _) = store.commenter_history("gone@example.com", "x", now).await.expect("history");
    assert!(!h.email_approved_before, "nothing of the email is left");

    assert_eq!(store.erase_commenter("anon@example.com", Erasure::Anonymize, None, now).await.expect("erase"), 1);
    let shown = store.approved_comments(b).await.expect("comments");
    assert_eq!(shown[0].author_name, nashir_store::ANONYMOUS);
    let (rows, _) = store.moderation_list(&ModerationFilter { article_id: Some(b), ..Default::default() }, 10, 0).await.expect("list");
    let anon = rows.iter().find(|r| r.comment.body == "مجهَّل").expect("kept");
    assert!(anon.email.is_empty() && anon.address.is_none() && anon.comment.author_url.is_none());
    let log = store.comment_erasures(10).await.expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].2.as_str(), log[0].3), ("anonymize", 1));
    assert!(log.iter().all(|(_, by, mode, _)| by.is_none() && !mode.contains('@')), "the log holds no email");
});

both!(addresses_are_forgotten_after_their_retention, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    store.create_comment(&comment(a, "old@example.com", "قديم", CommentStatus::Approved, now - 40 * DAY), now).await.expect("c");
    store.create_comment(&comment(a, "new@example.com", "جديد", CommentStatus::Approved, now - DAY), now).await.expect("c");
    assert_eq!(store.comments_from_address_since("203.0.113.7", now - 2 * DAY).await.expect("count"), 1);
    assert_eq!(store.forget_comment_addresses(now - 30 * DAY).await.expect("forget"), 1);
    let (rows, _) = store.moderation_list(&ModerationFilter::default(), 10, 0).await.expect("list");
    let by_body = |b: &str| rows.iter().find(|r| r.comment.body == b).expect("row").address.clone();
    assert_eq!(by_body("قديم"), None);
    assert_eq!(by_body("جديد").as_deref(), Some("203.0.113.7"));
    assert_eq!(store.forget_comment_addresses(now - 30 * DAY).await.expect("again"), 0);
});

both!(mail_is_claimed_once_retried_and_given_up, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    let mail = |to: &str| OutgoingMail { to: to.into(), subject: "موضوع".into(), body: "نص".into() };
    store
        .create_comment_with_mail(&comment(a, "a@example.com", "معلق", CommentStatus::Pending, now), &[mail("m1@example.com"), mail("m2@example.com")], now)
        .await
        .expect("c");
    assert_eq!(store.mail_waiting().await.expect("waiting"), 2);
    let one = store.claim_mail(now, 60_000_000).await.expect("claim").expect("due");
    let two = store.claim_mail(now, 60_000_000).await.expect("claim").expect("due");
    assert_ne!(one.id, two.id, "a claimed message is not claimed again");
    assert!(store.claim_mail(now, 60_000_000).await.expect("claim").is_none());
    store.mail_sent(one.id, now).await.expect("sent");
    // A claim whose instance died runs out and is claimed again.
    let again = store.claim_mail(now + 61_000_000, 60_000_000).await.expect("claim").expect("lease over");
    assert_eq!((again.id, again.attempts), (two.id, 2));
    store.mail_failed(&again, "connection refused", now + 120_000_000, now).await.expect("failed");
    assert!(store.claim_mail(now + 100_000_000, 60_000_000).await.expect("claim").is_none(), "not before its retry");
    let mut last = store.claim_mail(now + 121_000_000, 60_000_000).await.expect("claim").expect("retry");
    while last.attempts < nashir_store::MAIL_MAX_ATTEMPTS {
        store.mail_failed(&last, "still down", now, now).await.expect("failed");
        last = store.claim_mail(now + 200_000_000, 60_000_000).await.expect("claim").expect("retry");
    }
    store.mail_failed(&last, "still down", now, now).await.expect("failed");
    assert_eq!(store.mail_waiting().await.expect("waiting"), 0, "given up after the last attempt");
});

both!(comments_open_and_close_per_article, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (a, _) = published(&store, now).await;
    assert!(store.article_with_byline(a, now).await.expect("read").expect("a").article.comments_open);
    store.set_comments_open(a, false, now).await.expect("close");
    assert!(!store.article_with_byline(a, now).await.expect("read").expect("a").article.comments_open);
    assert!(!*store.editable_article(a).await.expect("read").expect("a").comments_open);
    assert!(matches!(store.set_comments_open(999_999, true, now).await, Err(StoreError::NotFound(_))));
});
