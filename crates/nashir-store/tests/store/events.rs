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
