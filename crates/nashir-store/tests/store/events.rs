//! The dispatcher: one follower of the outbox hands every event, in order, to each
//! subscriber; a failing subscriber gets the same events again and holds nobody else up.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use nashir_core::PublishState;
use nashir_store::events::{Dispatcher, Handled, Subscriber};
use nashir_store::{Event, OutboxEvent, Store};

use crate::both;
use crate::common::{article, seed};

/// Records what it is handed; fails the first `failures` calls.
struct Recorder {
    name: &'static str,
    seen: Mutex<Vec<Event>>,
    calls: Mutex<u32>,
    failures: u32,
}

impl Recorder {
    fn new(name: &'static str, failures: u32) -> Arc<Recorder> {
        Arc::new(Recorder { name, seen: Mutex::new(Vec::new()), calls: Mutex::new(0), failures })
    }
    fn seen(&self) -> Vec<Event> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }
    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            let mut calls = self.calls.lock().expect("lock");
            *calls += 1;
            if *calls <= self.failures {
                return Err("not yet".to_owned());
            }
            self.seen.lock().expect("lock").extend(events.iter().map(|e| e.event.clone()));
            Ok(())
        })
    }
}

/// Waits (bounded) until `done` holds.
async fn eventually(done: impl Fn() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    done()
}

both!(every_subscriber_gets_every_event_in_order_and_failures_retry, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let before = store.create_article(&article("قبل", author, child, vec![], PublishState::Published, now), now).await.expect("a");
    let steady = Recorder::new("steady", 0);
    let flaky = Recorder::new("flaky", 2);
    let positions = Dispatcher::new(store.clone()).subscribe(steady.clone()).subscribe(flaky.clone()).start().await.expect("start");
    let first = store.create_article(&article("أول", author, child, vec![], PublishState::Published, now), now).await.expect("b");
    let second = store.create_article(&article("ثان", author, child, vec![], PublishState::Published, now), now).await.expect("c");
    let expected = vec![Event::ArticlePublished { id: first, scheduled: false }, Event::ArticlePublished { id: second, scheduled: false }];
    assert!(eventually(|| steady.seen() == expected).await, "steady saw {:?}", steady.seen());
    assert!(eventually(|| flaky.seen() == expected).await, "flaky saw {:?} after retrying", flaky.seen());
    assert!(!steady.seen().contains(&Event::ArticlePublished { id: before, scheduled: false }), "events before the start are not replayed");
    let head = store.outbox_head().await.expect("head");
    assert!(eventually(|| positions.handled_by("flaky") == Some(head)).await);
    assert_eq!(positions.handled_by("steady"), Some(head));
    assert_eq!(positions.read.load(std::sync::atomic::Ordering::SeqCst), head);
});

/// A subscriber whose work is durable (as a search index on disk is) up to a position.
struct Durable {
    seen: Mutex<Vec<Event>>,
    at: i64,
}

impl Subscriber for Durable {
    fn name(&self) -> &'static str {
        "durable"
    }
    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            self.seen.lock().expect("lock").extend(events.iter().map(|e| e.event.clone()));
            Ok(())
        })
    }
    fn durable_position(&self) -> Option<i64> {
        Some(self.at)
    }
}

both!(a_durable_subscriber_resumes_after_its_position_and_the_others_start_at_the_head, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    let at = store.outbox_head().await.expect("head");
    // Published while this "instance" was stopped.
    let missed = store.create_article(&article("فائت", author, child, vec![], PublishState::Published, now), now).await.expect("a");
    let durable = Arc::new(Durable { seen: Mutex::new(Vec::new()), at });
    let fresh = Recorder::new("fresh", 0);
    let positions = Dispatcher::new(store.clone()).subscribe(durable.clone()).subscribe(fresh.clone()).start().await.expect("start");
    let after = store.create_article(&article("بعد", author, child, vec![], PublishState::Published, now), now).await.expect("b");
    let both_events = vec![Event::ArticlePublished { id: missed, scheduled: false }, Event::ArticlePublished { id: after, scheduled: false }];
    assert!(eventually(|| *durable.seen.lock().expect("lock") == both_events).await, "caught up: {:?}", durable.seen.lock().expect("lock"));
    assert!(eventually(|| fresh.seen() == vec![Event::ArticlePublished { id: after, scheduled: false }]).await, "from the head: {:?}", fresh.seen());
    let head = store.outbox_head().await.expect("head");
    assert!(eventually(|| positions.handled_by("durable") == Some(head)).await);
    // Its durable position stays what it reported: the instance resumes from there.
    assert_eq!(positions.resumable(), at);
});

both!(the_outbox_is_pruned_up_to_the_slowest_instance_and_past_the_retention, |store: Store| async move {
    let now = nashir_store::now_micros();
    let (author, _, child, _) = seed(&store, now).await;
    for n in 0..6 {
        store.create_article(&article(&format!("خبر {n}"), author, child, vec![], PublishState::Published, now), now).await.expect("article");
    }
    let head = store.outbox_head().await.expect("head");
    let oldest = store.outbox_oldest().await.expect("oldest").expect("events");
    let day = 86_400_000_000;
    // Two instances: one at the head, one three events behind.
    store.report_outbox_reader("fast", head, now).await.expect("report");
    store.report_outbox_reader("slow", head - 3, now).await.expect("report");
    let removed = store.prune_outbox(now - 7 * day).await.expect("prune");
    assert_eq!(store.outbox_oldest().await.expect("oldest"), Some(head - 2), "kept what the slow one has not read");
    assert_eq!(removed as i64, head - 3 - oldest + 1);
    assert_eq!(store.outbox_after(head - 3, 100).await.expect("after").len(), 3, "the slow one still gets its events");
    // It catches up; then everything but the newest goes.
    store.report_outbox_reader("slow", head, now).await.expect("report");
    store.prune_outbox(now - 7 * day).await.expect("prune");
    assert_eq!(store.outbox_oldest().await.expect("oldest"), Some(head), "the newest is kept, so ids are never reused");
    assert_eq!(store.outbox_head().await.expect("head"), head);
    // An instance not seen within the retention is forgotten and holds nothing back.
    let later = store.create_article(&article("لاحق", author, child, vec![], PublishState::Published, now), now).await.expect("later");
    let _ = later;
    store.report_outbox_reader("gone", head, now - 8 * day).await.expect("report");
    store.report_outbox_reader("fast", head + 1, now).await.expect("report");
    store.report_outbox_reader("slow", head + 1, now).await.expect("report");
    store.prune_outbox(now - 7 * day).await.expect("prune");
    let readers = store.outbox_readers(0).await.expect("readers");
    assert_eq!(readers.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>(), ["fast", "slow"]);
    assert_eq!(store.outbox_oldest().await.expect("oldest"), store.outbox_head().await.ok());
    // Past the retention, events go even if an instance seen since has not read them.
    store.report_outbox_reader("slow", 0, now).await.expect("report");
    let newest = store.create_article(&article("أحدث", author, child, vec![], PublishState::Published, now), now).await.expect("newest");
    let _ = newest;
    let removed = store.prune_outbox(now + day).await.expect("prune");
    assert!(removed >= 1, "old events removed past the retention");
    assert_eq!(store.outbox_oldest().await.expect("oldest"), store.outbox_head().await.ok());
});

/// During a rolling upgrade the database may hold a newer version's migrations (only ever
/// additions): this version still starts on it and reports itself ready.
#[tokio::test]
async fn a_database_migrated_by_a_newer_version_still_opens() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("tmp");
    let url = nashir_store::sqlite_url_for_dir(dir.path());
    Store::connect(&url).await.expect("first").close().await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'from a newer version', TRUE, X'00', 1)")
        .execute(&mut conn)
        .await
        .expect("a newer migration");
    sqlx::query("CREATE TABLE added_by_a_newer_version (id INTEGER PRIMARY KEY)").execute(&mut conn).await.expect("its table");
    conn.close().await.expect("close");
    let store = Store::connect(&url).await.expect("this version opens it");
    assert!(store.migrations_current().await.expect("check"), "every migration this version knows is applied");
    store.close().await;
}

both!(a_periodic_job_is_claimed_by_one_instance_per_period, |store: Store| async move {
    let now = nashir_store::now_micros();
    let period = 60_000_000;
    assert!(store.claim_job("backup", now, period).await.expect("claim"), "the first asker runs it");
    assert!(!store.claim_job("backup", now + 1, period).await.expect("claim"), "another instance, the same period: no");
    assert!(store.claim_job("other", now, period).await.expect("claim"), "jobs are claimed apart");
    assert!(!store.claim_job("backup", now + period - 1, period).await.expect("claim"));
    assert!(store.claim_job("backup", now + period, period).await.expect("claim"), "the next period");
    // Ten instances asking at once: one wins.
    let asks = (0..10).map(|_| {
        let store = store.clone();
        async move { store.claim_job("race", now, period).await.expect("claim") }
    });
    let won = futures_join(asks.collect()).await;
    assert_eq!(won.iter().filter(|w| **w).count(), 1);
});

async fn futures_join(tasks: Vec<impl std::future::Future<Output = bool> + Send + 'static>) -> Vec<bool> {
    let handles: Vec<_> = tasks.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
