//! The outbox: one row per change readers can see, written in the change's transaction.
//! Subscribers read it in id order from a cursor they keep.

use sqlx::{Any, Transaction};

use crate::{Result, Store};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OutboxEvent {
    pub id: i64,
    pub topic: String,
    pub payload: String,
    pub created_at: i64,
}

/// Records an event inside the caller's transaction, so it commits or vanishes with it.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    topic: &str,
    payload: serde_json::Value,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO outbox (topic, payload, created_at) VALUES ($1, $2, $3)")
        .bind(topic)
        .bind(payload.to_string())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Events after `cursor`, oldest first.
    pub async fn outbox_after(&self, cursor: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
        Ok(sqlx::query_as::<_, OutboxEvent>(
            "SELECT id, topic, payload, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest event id (0 when there is none): where a fresh subscriber starts.
    pub async fn outbox_head(&self) -> Result<i64> {
        let (head,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM outbox")
            .fetch_one(&self.pool)
            .await?;
        Ok(head.unwrap_or(0))
    }
}
