//! Outgoing HTTP notifications as a queue in the database (WebSub and IndexNow pings now;
//! CDN purges and webhooks use the same rows). An outbox subscriber offers one row per
//! event, kind and target; the unique `dedupe_key` keeps one however many instances offer
//! it. Whichever instance claims a row first sends it, under a lease, and failures are
//! retried with growing pauses until they are given up and kept with their last error.

use crate::{Result, Store};

/// A notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// What it is, such as `websub` or `indexnow` (for logs and the newsroom).
    pub kind: String,
    /// Unique per event and target: a second offer of the same key is ignored.
    pub dedupe_key: String,
    pub target_url: String,
    pub content_type: String,
    pub body: String,
    /// The webhook it is for (signed with its secret when sent).
    pub webhook_id: Option<i64>,
    /// How long after it is offered the first try is made.
    pub delay_micros: i64,
}

/// A claimed notification.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub kind: String,
    pub target_url: String,
    pub content_type: String,
    pub body: String,
    /// Tries so far, this one included.
    pub attempts: i64,
    pub webhook_id: Option<i64>,
}

/// A row of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub kind: String,
    pub target_url: String,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
}

/// A notification is tried this many times (about a day and a half of growing pauses) before it is
/// given up.
pub const MAX_ATTEMPTS: i64 = 20;

impl Store {
    /// Queues notifications, each once: a key offered before is skipped. Returns how many
    /// were new.
    pub async fn offer_deliveries(&self, deliveries: &[NewDelivery], now: i64) -> Result<u64> {
        let mut added = 0;
        for d in deliveries {
            let done = sqlx::query(
                "INSERT INTO deliveries (kind, dedupe_key, target_url, content_type, body, created_at, next_attempt_at, webhook_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $8, $7) ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(&d.kind)
            .bind(&d.dedupe_key)
            .bind(&d.target_url)
            .bind(&d.content_type)
            .bind(&d.body)
            .bind(now)
            .bind(d.webhook_id)
            .bind(now + d.delay_micros.max(0))
            .execute(self.db())
            .await?;
            added += done.rows_affected();
        }
        Ok(added)
    }

    /// Claims the oldest notification due, for `lease_micros`; two instances never hold
    /// the same one.
    pub async fn claim_delivery(&self, now: i64, lease_micros: i64) -> Result<Option<Delivery>> {
        Ok(sqlx::query_as::<_, Delivery>(
            "UPDATE deliveries SET claimed_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM deliveries WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
                         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT 1) \
               AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1) \
             RETURNING id, kind, target_url, content_type, body, attempts, webhook_id",
        )
        .bind(now)
        .bind(now + lease_micros)
        .fetch_optional(self.db())
        .await?)
    }

    pub async fn delivery_sent(&self, id: i64, status: u16, now: i64) -> Result<()> {
        sqlx::query("UPDATE deliveries SET sent_at = $1, claimed_until = NULL, last_status = $2, last_error = NULL WHERE id = $3")
            .bind(now)
            .bind(i64::from(status))
            .bind(id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Records a failed try: tried again at `retry_at`, or given up after `MAX_ATTEMPTS`.
    pub async fn delivery_failed(&self, d: &Delivery, status: Option<u16>, error: &str, retry_at: i64, now: i64) -> Result<()> {
        let give_up = d.attempts >= MAX_ATTEMPTS;
        sqlx::query(
            "UPDATE deliveries SET claimed_until = NULL, last_status = $1, last_error = $2, next_attempt_at = $3, failed_at = $4 \
             WHERE id = $5",
        )
        .bind(status.map(i64::from))
        .bind(error)
        .bind(retry_at)
        .bind(give_up.then_some(now))
        .bind(d.id)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Gives a claimed notification up at once (its webhook was removed or disabled).
    pub async fn delivery_abandoned(&self, id: i64, error: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE deliveries SET claimed_until = NULL, last_error = $1, failed_at = $2 WHERE id = $3")
            .bind(error)
            .bind(now)
            .bind(id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// A webhook's newest deliveries, for its log in the newsroom.
    pub async fn webhook_deliveries(&self, webhook_id: i64, limit: u32) -> Result<Vec<DeliveryRow>> {
        Ok(sqlx::query_as::<_, DeliveryRow>(sqlx::AssertSqlSafe(format!(
            "SELECT id, kind, target_url, body, created_at, attempts, sent_at, failed_at, last_status, last_error \
             FROM deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT {limit}"
        )))
        .bind(webhook_id)
        .fetch_all(self.db())
        .await?)
    }

    /// The newest notifications, for the newsroom's log and tests.
    pub async fn recent_deliveries(&self, limit: u32) -> Result<Vec<DeliveryRow>> {
        Ok(sqlx::query_as::<_, DeliveryRow>(sqlx::AssertSqlSafe(format!(
            "SELECT id, kind, target_url, body, created_at, attempts, sent_at, failed_at, last_status, last_error \
             FROM deliveries ORDER BY id DESC LIMIT {limit}"
        )))
        .fetch_all(self.db())
        .await?)
    }
}
