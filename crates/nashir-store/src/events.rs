//! One follower of the outbox for the whole process: the dispatcher reads new events in id
//! order and hands each batch to every subscriber (page-cache invalidation, the search
//! index, and later CDN purges, webhooks and feed pings). Each subscriber works in its own
//! task at its own pace: one that fails gets the same events again after a pause, while
//! the others go on. On PostgreSQL the dispatcher is woken by `NOTIFY` from the writing
//! transaction (on any instance) and still polls as a fallback; on SQLite it polls.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::outbox::CHANNEL;
use crate::{Backend, OutboxEvent, Store};

/// What a subscriber's `handle` returns: done, or a message to log before trying again.
pub type Handled<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// A consumer of outbox events.
pub trait Subscriber: Send + Sync + 'static {
    /// A short name for logs and lag reports.
    fn name(&self) -> &'static str;
    /// Handles events in id order. An error hands the same events (and any newer ones)
    /// back later, so handling must be idempotent.
    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a>;
    /// For a subscriber whose work outlives the process (a search index on disk): the
    /// newest event that work durably reflects. The dispatcher resumes it from there, so
    /// an instance that was stopped catches up on what happened meanwhile. `None` (the
    /// default, for what lives in memory): start from the outbox's head.
    fn durable_position(&self) -> Option<i64> {
        None
    }
}

/// How often the outbox is read when nothing wakes the dispatcher.
const SQLITE_POLL: Duration = Duration::from_millis(250);
/// On PostgreSQL NOTIFY wakes the dispatcher; polling only covers a lost connection.
const POSTGRES_POLL: Duration = Duration::from_secs(1);
/// Events read per query.
const BATCH: i64 = 1000;
/// A failing subscriber waits this long at first, doubling up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Subscribers to start together.
pub struct Dispatcher {
    store: Store,
    subscribers: Vec<Arc<dyn Subscriber>>,
}

/// Where each subscriber is in the outbox, for lag reports and tests.
#[derive(Clone)]
pub struct Positions {
    /// The newest event the dispatcher has read.
    pub read: Arc<AtomicI64>,
    /// The newest event each subscriber has handled, by name.
    pub handled: Arc<Vec<(&'static str, AtomicI64)>>,
    subscribers: Arc<Vec<Arc<dyn Subscriber>>>,
}

impl Positions {
    /// The newest event `name` has handled (None for an unknown name).
    pub fn handled_by(&self, name: &str) -> Option<i64> {
        self.handled.iter().find(|(n, _)| *n == name).map(|(_, p)| p.load(Ordering::SeqCst))
    }

    /// The newest event after which this instance would resume if it stopped now: the
    /// oldest durable position of its subscribers (what they handled, for the others). The
    /// outbox is kept from there on (see `Store::prune_outbox`).
    pub fn resumable(&self) -> i64 {
        self.subscribers
            .iter()
            .zip(self.handled.iter())
            .map(|(s, (_, handled))| {
                let handled = handled.load(Ordering::SeqCst);
                s.durable_position().map_or(handled, |p| p.min(handled))
            })
            .min()
            .unwrap_or_else(|| self.read.load(Ordering::SeqCst))
    }
}

impl Dispatcher {
    pub fn new(store: Store) -> Self {
        Self { store, subscribers: Vec::new() }
    }

    pub fn subscribe(mut self, subscriber: Arc<dyn Subscriber>) -> Self {
        self.subscribers.push(subscriber);
        self
    }

    /// Starts following the outbox and returns where everyone is. A subscriber with a
    /// durable position behind the head first gets the events after it (catching up on
    /// what happened while this instance was stopped); the others start at the head, since
    /// what happened before is already reflected in what they start from.
    pub async fn start(self) -> crate::Result<Positions> {
        let head = self.store.outbox_head().await?;
        let starts: Vec<i64> = self.subscribers.iter().map(|s| s.durable_position().filter(|p| *p < head).unwrap_or(head)).collect();
        let from = starts.iter().copied().min().unwrap_or(head);
        if from < head {
            tracing::info!(from, head, "outbox: catching up on events from while this instance was stopped");
        }
        let positions = Positions {
            read: Arc::new(AtomicI64::new(from)),
            handled: Arc::new(self.subscribers.iter().zip(&starts).map(|(s, start)| (s.name(), AtomicI64::new(*start))).collect()),
            subscribers: Arc::new(self.subscribers.clone()),
        };
        let mut senders = Vec::new();
        for ((i, subscriber), start) in self.subscribers.into_iter().enumerate().zip(starts) {
            let (sender, receiver) = mpsc::unbounded_channel();
            senders.push(sender);
            tokio::spawn(serve_subscriber(subscriber, receiver, positions.clone(), i, start));
        }
        tokio::spawn(follow(self.store, from, senders, positions.read.clone()));
        Ok(positions)
    }
}

/// Reads new events whenever woken (or polled) and fans them out.
async fn follow(store: Store, mut cursor: i64, senders: Vec<mpsc::UnboundedSender<Arc<[OutboxEvent]>>>, read: Arc<AtomicI64>) {
    let mut wake = Wake::new(&store).await;
    loop {
        wake.wait().await;
        loop {
            let events = match store.outbox_after(cursor, BATCH).await {
                Ok(events) => events,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: read failed; will retry");
                    break;
                }
            };
            let Some(last) = events.last() else { break };
            cursor = last.id;
            read.store(cursor, Ordering::SeqCst);
            let full = events.len() as i64 == BATCH;
            let batch: Arc<[OutboxEvent]> = events.into();
            for sender in &senders {
                // A subscriber's task only ends with the process.
                let _ = sender.send(batch.clone());
            }
            if !full {
                break;
            }
        }
    }
}

/// Hands batches to one subscriber, joining those that queued up while it was busy and
/// repeating a failed batch after a growing pause.
async fn serve_subscriber(
    subscriber: Arc<dyn Subscriber>,
    mut receiver: mpsc::UnboundedReceiver<Arc<[OutboxEvent]>>,
    positions: Positions,
    index: usize,
    start: i64,
) {
    while let Some(first) = receiver.recv().await {
        // Events this subscriber already reflects (another one was further behind).
        let mut events: Vec<OutboxEvent> = first.iter().filter(|e| e.id > start).cloned().collect();
        let mut backoff = FIRST_BACKOFF;
        loop {
            while let Ok(more) = receiver.try_recv() {
                events.extend(more.iter().filter(|e| e.id > start).cloned());
            }
            if events.is_empty() {
                break;
            }
            match subscriber.handle(&events).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(subscriber = subscriber.name(), error = %e, retry_in_ms = backoff.as_millis() as u64, "outbox: subscriber failed");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        if let (Some(last), Some((_, position))) = (events.last(), positions.handled.get(index)) {
            position.store(last.id, Ordering::SeqCst);
        }
    }
}

/// What wakes the dispatcher: a PostgreSQL notification or the poll interval.
struct Wake {
    listener: Option<sqlx::postgres::PgListener>,
    url: Option<Arc<str>>,
    interval: tokio::time::Interval,
    next_connect: tokio::time::Instant,
}

impl Wake {
    async fn new(store: &Store) -> Self {
        let (url, poll) = match store.backend {
            Backend::Postgres => (Some(store.url.clone()), POSTGRES_POLL),
            Backend::Sqlite => (None, SQLITE_POLL),
        };
        let mut interval = tokio::time::interval(poll);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut wake = Wake { listener: None, url, interval, next_connect: tokio::time::Instant::now() };
        wake.connect().await;
        wake
    }

    async fn connect(&mut self) {
        let Some(url) = self.url.clone() else { return };
        if self.listener.is_some() || tokio::time::Instant::now() < self.next_connect {
            return;
        }
        self.next_connect = tokio::time::Instant::now() + Duration::from_secs(10);
        let listener = async {
            let mut l = sqlx::postgres::PgListener::connect(&url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match listener.await {
            Ok(l) => self.listener = Some(l),
            Err(e) => tracing::warn!(error = %e, "outbox: cannot listen for notifications; polling"),
        }
    }

    async fn wait(&mut self) {
        self.connect().await;
        let Some(listener) = self.listener.as_mut() else {
            self.interval.tick().await;
            return;
        };
        tokio::select! {
            received = listener.recv() => {
                if let Err(e) = received {
                    tracing::warn!(error = %e, "outbox: notification connection lost; polling");
                    self.listener = None;
                }
            }
            _ = self.interval.tick() => {}
        }
    }
}
