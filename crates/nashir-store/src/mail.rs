//! Outgoing mail as a queue in the database: a message is written in the transaction that
//! causes it (a held comment), and whichever instance claims it first sends it. A claim is
//! a lease: an instance that dies mid-send leaves the message to be claimed again when the
//! lease runs out. Failures are retried with growing pauses, then given up and kept.

use crate::{Result, Store};

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A claimed message.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Tries so far, this one included.
    pub attempts: i64,
}

/// A message is tried this many times before it is given up.
pub const MAX_ATTEMPTS: i64 = 8;

pub(crate) async fn queue(tx: &mut sqlx::Transaction<'_, sqlx::Any>, m: &OutgoingMail, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO mail_queue (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Claims the oldest message due, for `lease_micros`. Two instances never hold the same
    /// message: the claim re-checks the lease in the same statement.
    pub async fn claim_mail(&self, now: i64, lease_micros: i64) -> Result<Option<QueuedMail>> {
        Ok(sqlx::query_as::<_, QueuedMail>(
            "UPDATE mail_queue SET claimed_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
                         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT 1) \
               AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1) \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(now)
        .bind(now + lease_micros)
        .fetch_optional(self.db())
        .await?)
    }

    pub async fn mail_sent(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE mail_queue SET sent_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Records a failed try: tried again at `retry_at`, or given up after `MAX_ATTEMPTS`.
    pub async fn mail_failed(&self, mail: &QueuedMail, error: &str, retry_at: i64, now: i64) -> Result<()> {
        let give_up = mail.attempts >= MAX_ATTEMPTS;
        sqlx::query("UPDATE mail_queue SET claimed_until = NULL, last_error = $1, next_attempt_at = $2, failed_at = $3 WHERE id = $4")
            .bind(error)
            .bind(retry_at)
            .bind(give_up.then_some(now))
            .bind(mail.id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Messages not yet sent nor given up (for tests and health reports).
    pub async fn mail_waiting(&self) -> Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL").fetch_one(self.db()).await?;
        Ok(n)
    }

    /// Email addresses of active editors and administrators: who moderates comments.
    pub async fn moderator_emails(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT email FROM people WHERE role IN ('editor', 'admin') AND disabled = 0 AND email IS NOT NULL \
             AND password_hash IS NOT NULL ORDER BY id",
        )
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }
}
