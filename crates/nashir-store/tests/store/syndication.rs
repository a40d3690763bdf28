//! Feeds' and sitemaps' reads, and the delivery queue pings go through.

use nashir_core::PublishState;
use nashir_store::{ListFilter, NewDelivery, Store};

use crate::both;
use crate::common::{HOUR, article, seed};

both!(feed_articles_are_whole_newest_first_and_only_published, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, parent, child, tag) = seed(&store, now).await;
    let old = store.create_article(&article("قديم", author, child, vec![tag], PublishState::Published, now - 3 * HOUR), now).await.expect("a");
    let new = store.create_article(&article("جديد", author, parent, vec![], PublishState::Published, now - HOUR), now).await.expect("b");
    store.create_article(&article("مسودة", author, child, vec![tag], PublishState::Draft, now - HOUR), now).await.expect("c");
    store.create_article(&article("لاحق", author, child, vec![tag], PublishState::Published, now + HOUR), now).await.expect("d");
    let all = store.feed_articles(now, &ListFilter::All, 30).await.expect("feed");
    assert_eq!(all.iter().map(|a| a.article.id).collect::<Vec<_>>(), vec![new, old]);
    assert!(!all[1].article.body_html.is_empty() && all[1].tags.len() == 1 && all[1].author.name == "كاتب");
    assert!(all[1].author.email.is_none(), "feeds never carry an email");
    let subtree = store.feed_articles(now, &ListFilter::Categories(vec![parent, child]), 30).await.expect("feed");
    assert_eq!(subtree.len(), 2);
    assert_eq!(store.feed_articles(now, &ListFilter::Tag(tag), 30).await.expect("feed").len(), 1);
    assert_eq!(store.feed_articles(now, &ListFilter::All, 1).await.expect("feed").len(), 1);
});

both!(sitemap_reads_walk_every_published_article_in_pieces, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, tag) = seed(&store, now).await;
    for i in 0..25 {
        store.create_article(&article(&format!("خبر {i}"), author, child, vec![tag], PublishState::Published, now - (i + 1) * HOUR), now).await.expect("a");
    }
    store.create_article(&article("مسودة", author, child, vec![], PublishState::Draft, now - HOUR), now).await.expect("d");
    let mut seen = Vec::new();
    store.walk_article_dates(now, |at, lastmod| seen.push((at, lastmod))).await.expect("walk");
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "oldest first");
    let page = store.sitemap_articles(now, now - 10 * HOUR - 1, now, 4, 0).await.expect("page");
    assert_eq!(page.len(), 4);
    let next = store.sitemap_articles(now, now - 10 * HOUR - 1, now, 4, 8).await.expect("page");
    assert_eq!(next.len(), 2, "10 in the window, the third page holds two");
    assert_eq!(store.recent_articles(now, now - 5 * HOUR - 1, 100).await.expect("recent").len(), 5);
    assert_eq!(store.count_listed_tags(now).await.expect("tags"), 1);
    assert_eq!(store.tag_lastmods(now, 10, 0).await.expect("tags")[0].lastmod, now - HOUR);
    assert_eq!(store.category_lastmods(now).await.expect("cats").len(), 1);
    assert_eq!(store.author_lastmods(now).await.expect("authors").len(), 1);
});

both!(deliveries_are_queued_once_claimed_once_and_retried, |store: Store| async move {
    let now = nashir_store::now_micros();
    let ping = |key: &str| NewDelivery {
        kind: "websub".into(),
        dedupe_key: key.into(),
        target_url: "http://127.0.0.1:9/hub".into(),
        content_type: "application/x-www-form-urlencoded".into(),
        body: "hub.mode=publish".into(),
        webhook_id: None,
        delay_micros: 0,
    };
    assert_eq!(store.offer_deliveries(&[ping("websub:1"), ping("websub:2")], now).await.expect("offer"), 2);
    assert_eq!(store.offer_deliveries(&[ping("websub:1")], now).await.expect("offer"), 0, "a second instance offers the same event");
    let a = store.claim_delivery(now, 60_000_000).await.expect("claim").expect("due");
    let b = store.claim_delivery(now, 60_000_000).await.expect("claim").expect("due");
    assert_ne!(a.id, b.id);
    assert!(store.claim_delivery(now, 60_000_000).await.expect("claim").is_none(), "both are leased");
    store.delivery_sent(a.id, 204, now).await.expect("sent");
    store.delivery_failed(&b, Some(503), "answered 503", now + 2_000_000, now).await.expect("failed");
    assert!(store.claim_delivery(now + 1_000_000, 60_000_000).await.expect("claim").is_none(), "not due yet");
    let again = store.claim_delivery(now + 2_000_000, 60_000_000).await.expect("claim").expect("due again");
    assert_eq!((again.id, again.attempts), (b.id, 2));
    // A lease that ran out (an instance died mid-send) is claimed again.
    assert_eq!(store.claim_delivery(now + 70_000_000, 60_000_000).await.expect("claim").map(|d| d.id), Some(b.id));
    let log = store.recent_deliveries(10).await.expect("log");
    assert_eq!(log.len(), 2);
    assert!(log.iter().any(|d| d.sent_at.is_some() && d.last_status == Some(204)));
});
