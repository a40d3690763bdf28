//! Keeps the search index in step with the database: a full rebuild when the index is new
//! or its analyzer changed, then the outbox followed from its head, so publishing, editing
//! and unpublishing reach search within a second on every instance.

use std::sync::Arc;
use std::time::Duration;

use nashir_search::{SearchDoc, SearchIndex};
use nashir_store::{IndexableArticle, Store, StoreError};

/// Turns a stored article into what the index holds.
pub fn to_doc(a: IndexableArticle) -> SearchDoc {
    SearchDoc {
        id: a.id,
        title: a.title,
        body: nashir_arabic::strip_html(&a.body_html),
        category_ids: a.category_ids,
        published_at: a.published_at,
    }
}

/// Rebuilds the whole index from the database; returns the number of articles indexed.
/// Articles stream from the store a page at a time into the indexing thread, so a rebuild
/// never holds the archive in memory; a database error abandons the rebuild (nothing is
/// committed and the next start rebuilds). Errors are only logged or printed, so a message
/// is all the caller needs.
pub async fn rebuild(store: &Store, index: &Arc<SearchIndex>, progress: impl FnMut(u64) + Send + 'static) -> Result<u64, String> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<SearchDoc, StoreError>>(1000);
    let index = index.clone();
    let indexing = tokio::task::spawn_blocking(move || {
        index.try_rebuild(std::iter::from_fn(|| receiver.blocking_recv()), progress).map_err(|e| e.to_string())
    });
    let now = nashir_store::now_micros();
    let mut after = 0;
    'pages: loop {
        let page = match store.indexable_after(after, 1000, now).await {
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
    indexing.await.map_err(|e| e.to_string())?
}

/// Follows the outbox and applies article events to the index, committing once per batch.
pub(crate) async fn follow(store: Store, index: Arc<SearchIndex>) {
    let mut cursor = store.outbox_head().await.unwrap_or(0);
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let events = match store.outbox_after(cursor, 1000).await {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "search: outbox poll failed");
                continue;
            }
        };
        let Some(last) = events.last() else { continue };
        let last_id = last.id;
        let mut full_rebuild = false;
        let mut ids: Vec<i64> = Vec::new();
        for e in &events {
            let payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
            if e.topic.starts_with("article.") {
                if let Some(id) = payload["id"].as_i64()
                    && !ids.contains(&id)
                {
                    ids.push(id);
                }
            } else if e.topic == "category.changed" && payload["deleted"].as_bool() == Some(true) {
                // Articles moved to another category: their filters changed.
                full_rebuild = true;
            }
        }
        let result = if full_rebuild {
            rebuild(&store, &index, |_| {}).await.map(|_| ())
        } else {
            apply(&store, &index, &ids).await
        };
        match result {
            Ok(()) => cursor = last_id,
            Err(e) => tracing::warn!(error = %e, "search: indexing failed; will retry"),
        }
    }
}

async fn apply(store: &Store, index: &Arc<SearchIndex>, ids: &[i64]) -> Result<(), String> {
    let now = nashir_store::now_micros();
    let mut changes = Vec::with_capacity(ids.len());
    for id in ids {
        let doc = store.indexable(*id, now).await.map_err(|e| e.to_string())?;
        changes.push((*id, doc.map(to_doc)));
    }
    let index = index.clone();
    tokio::task::spawn_blocking(move || {
        for (id, doc) in changes {
            match doc {
                Some(d) => index.upsert(&d)?,
                None => index.delete(id)?,
            }
        }
        index.commit()
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())
}
