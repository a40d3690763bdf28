//! Keeps the search index in step with the database: a full rebuild streamed from the store
//! when the index is new or its analyzer changed (and by `nashir reindex`), then an outbox
//! subscriber that applies article events in batches, so publishing, editing and
//! unpublishing reach search within a second on every instance.

use std::sync::Arc;

use nashir_store::events::{Handled, Subscriber};
use nashir_store::{Event, IndexScope, IndexableArticle, OutboxEvent, Store, StoreError};

use crate::{SearchDoc, SearchError, SearchIndex};

/// Why a rebuild or a batch of changes did not reach the index.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("reading articles: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("the indexing thread stopped: {0}")]
    Thread(String),
}

/// Turns a stored article into what the index holds.
pub fn to_doc(a: IndexableArticle) -> SearchDoc {
    SearchDoc {
        id: a.id,
        title: a.title,
        body: nashir_arabic::strip_html(&a.body_html),
        category_ids: a.category_ids,
        tag_ids: a.tag_ids,
        published_at: a.published_at,
    }
}

/// Articles read from the store per query during a rebuild.
const PAGE: i64 = 1000;

/// Rebuilds the whole index from the database; returns the number of articles indexed.
/// Articles stream from the store a page at a time into the indexing thread, so a rebuild
/// never holds the archive in memory; a database error abandons the rebuild (nothing is
/// committed and the next start rebuilds).
pub async fn rebuild(store: &Store, index: &Arc<SearchIndex>, progress: impl FnMut(u64) + Send + 'static) -> Result<u64, SyncError> {
    rebuild_scope(store, index, IndexScope::Public, progress).await
}

/// [`rebuild`] of an index holding `scope`'s articles.
pub async fn rebuild_scope(
    store: &Store,
    index: &Arc<SearchIndex>,
    scope: IndexScope,
    progress: impl FnMut(u64) + Send + 'static,
) -> Result<u64, SyncError> {
    // Events after this one are applied again by the outbox subscriber (idempotently):
    // whatever a rebuild reads is at least as new as it.
    let position = store.outbox_head().await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<SearchDoc, StoreError>>(PAGE as usize);
    let index = index.clone();
    let indexing = tokio::task::spawn_blocking(move || {
        index.try_rebuild_at(std::iter::from_fn(|| receiver.blocking_recv()), progress, Some(position))
    });
    let now = nashir_store::now_micros();
    let mut after = 0;
    'pages: loop {
        let page = match store.indexable_after_in(scope, after, PAGE, now).await {
            Ok(page) => page,
            Err(e) => {
                let _ = sender.send(Err(e)).await;
                break;
            }
        };
        let Some(last) = page.last() else { break };
        after = last.id;
        for doc in page.into_iter().map(to_doc) {
            // A closed channel means the indexing thread stopped; its error is returned below.
            if sender.send(Ok(doc)).await.is_err() {
                break 'pages;
            }
        }
    }
    drop(sender);
    Ok(indexing.await.map_err(|e| SyncError::Thread(e.to_string()))??)
}

/// Called on the indexing thread after each commit with the ids of the articles that
/// changed (empty after a rebuild, when every article may have), e.g. to forget related
/// stories computed from the index as it was.
pub type AfterCommit = Arc<dyn Fn(&SearchIndex, &[i64]) + Send + Sync>;

/// The index as an outbox subscriber.
pub struct IndexSubscriber {
    store: Store,
    index: Arc<SearchIndex>,
    scope: IndexScope,
    after_commit: Option<AfterCommit>,
    last_commit: std::sync::Mutex<std::time::Instant>,
}

/// A batch that changes nothing commits only the outbox position, at most this often.
const POSITION_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl IndexSubscriber {
    /// The public index: what readers may see.
    pub fn new(store: Store, index: Arc<SearchIndex>) -> Self {
        Self { store, index, scope: IndexScope::Public, after_commit: None, last_commit: std::sync::Mutex::new(std::time::Instant::now()) }
    }

    /// The newsroom's index: every article, drafts and scheduled ones included.
    pub fn staff(store: Store, index: Arc<SearchIndex>) -> Self {
        Self { store, index, scope: IndexScope::Staff, after_commit: None, last_commit: std::sync::Mutex::new(std::time::Instant::now()) }
    }

    /// Calls `hook` after every commit this subscriber makes.
    pub fn after_commit(mut self, hook: AfterCommit) -> Self {
        self.after_commit = Some(hook);
        self
    }

    async fn apply(&self, events: &[OutboxEvent]) -> Result<(), SyncError> {
        let mut ids: Vec<i64> = Vec::new();
        for e in events {
            match &e.event {
                // Articles moved to another category, or their tags merged into another:
                // their filters changed.
                Event::CategoryChanged { deleted: true, .. } | Event::TagChanged { merged_from: Some(_), .. } => {
                    rebuild_scope(&self.store, &self.index, self.scope, |_| {}).await?;
                    if let Some(hook) = &self.after_commit {
                        let (hook, index) = (hook.clone(), self.index.clone());
                        tokio::task::spawn_blocking(move || hook(&index, &[])).await.map_err(|e| SyncError::Thread(e.to_string()))?;
                    }
                    return Ok(());
                }
                Event::ArticlePublished { id, .. } | Event::ArticleChanged { id } | Event::ArticleUnpublished { id }
                    if !ids.contains(id) =>
                {
                    ids.push(*id);
                }
                // Drafts reach the newsroom's index only.
                Event::DraftChanged { id } if self.scope == IndexScope::Staff && !ids.contains(id) =>
                {
                    ids.push(*id);
                }
                _ => {}
            }
        }
        let Some(last) = events.last().map(|e| e.id) else { return Ok(()) };
        if ids.is_empty() {
            // Nothing to change; the position is committed now and then, so that a
            // restart does not read a long run of such events again.
            let due = self.last_commit.lock().unwrap_or_else(std::sync::PoisonError::into_inner).elapsed() >= POSITION_EVERY;
            if due && self.index.position().is_none_or(|p| p < last) {
                let index = self.index.clone();
                tokio::task::spawn_blocking(move || index.commit_at(last)).await.map_err(|e| SyncError::Thread(e.to_string()))??;
                *self.last_commit.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
            }
            return Ok(());
        }
        let now = nashir_store::now_micros();
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            changes.push((id, self.store.indexable_in(self.scope, id, now).await?.map(to_doc)));
        }
        let index = self.index.clone();
        let hook = self.after_commit.clone();
        tokio::task::spawn_blocking(move || {
            let ids: Vec<i64> = changes.iter().map(|(id, _)| *id).collect();
            for (id, doc) in changes {
                match doc {
                    Some(d) => index.upsert(&d)?,
                    None => index.delete(id)?,
                }
            }
            index.commit_at(last)?;
            if let Some(hook) = hook {
                hook(&index, &ids);
            }
            Ok::<_, SearchError>(())
        })
        .await
        .map_err(|e| SyncError::Thread(e.to_string()))??;
        *self.last_commit.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
        Ok(())
    }
}

impl Subscriber for IndexSubscriber {
    fn name(&self) -> &'static str {
        match self.scope {
            IndexScope::Public => "search",
            IndexScope::Staff => "staff-search",
        }
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move { self.apply(events).await.map_err(|e| e.to_string()) })
    }

    fn durable_position(&self) -> Option<i64> {
        self.index.position()
    }
}
