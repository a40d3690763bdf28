//! Integrations and the audit log: Admin API keys (each acting as its own person, so its
//! role decides what it may do and revisions name it), the answers kept for retried creates
//! (idempotency keys), and the record of every change made in the newsroom or through a key.

use nashir_core::Role;

use crate::{Result, Store};

/// A key as the newsroom lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub prefix: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// What checking a presented key needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyAuth {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub secret_hash: String,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// An answer kept for an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeptAnswer {
    pub request_hash: String,
    pub status: i64,
    pub body: String,
}

/// One change to record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditEntry {
    pub person_id: Option<i64>,
    pub key_id: Option<i64>,
    /// What was done, e.g. `article.publish`, `POST /newsroom/categories`.
    pub action: String,
    /// What it was done to, e.g. `article:12`.
    pub subject: String,
    pub detail: String,
    /// The HTTP status of the answer.
    pub status: i64,
}

/// One recorded change, with the names of who made it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub key_id: Option<i64>,
    pub key_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub status: i64,
}

/// Which recorded changes to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    pub person_id: Option<i64>,
    pub key_id: Option<i64>,
    /// Actions or subjects containing this text.
    pub text: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// How long before `last_used_at` is written again (a key used every second would otherwise
/// write every second).
const LAST_USED_EVERY_MICROS: i64 = 60 * 1_000_000;

impl Store {
    /// Creates a key acting as a new person named `name` with `role`; returns (key id,
    /// person id).
    pub async fn create_api_key(&self, name: &str, role: Role, prefix: &str, secret_hash: &str, created_by: i64, now: i64) -> Result<(i64, i64)> {
        let mut tx = self.begin().await?;
        let (person_id,): (i64,) = sqlx::query_as(
            "INSERT INTO people (slug, name, email, bio, role, created_at, integration) VALUES ($1, $2, NULL, '', $3, $4, 1) RETURNING id",
        )
        .bind(format!("integration-{prefix}"))
        .bind(name)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let (key_id,): (i64,) = sqlx::query_as(
            "INSERT INTO api_keys (person_id, name, prefix, secret_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person_id)
        .bind(name)
        .bind(prefix)
        .bind(secret_hash)
        .bind(created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((key_id, person_id))
    }

    /// Every key, the newest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>> {
        Ok(sqlx::query_as::<_, ApiKeyRow>(
            "SELECT k.id, k.person_id, k.name, p.role, k.prefix, k.created_at, c.name AS created_by, k.last_used_at, k.revoked_at \
             FROM api_keys k JOIN people p ON p.id = k.person_id LEFT JOIN people c ON c.id = k.created_by ORDER BY k.id DESC",
        )
        .fetch_all(self.db())
        .await?)
    }

    /// The key with this prefix, revoked or not.
    pub async fn api_key_by_prefix(&self, prefix: &str) -> Result<Option<ApiKeyAuth>> {
        Ok(sqlx::query_as::<_, ApiKeyAuth>(
            "SELECT k.id, k.person_id, k.name, p.role, k.secret_hash, k.revoked_at, k.last_used_at \
             FROM api_keys k JOIN people p ON p.id = k.person_id WHERE k.prefix = $1",
        )
        .bind(prefix)
        .fetch_optional(self.db())
        .await?)
    }

    /// Notes that a key was used now (at most one write a minute per key).
    pub async fn touch_api_key(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)")
            .bind(id)
            .bind(now)
            .bind(now - LAST_USED_EVERY_MICROS)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Revokes a key; it fails from the next request on. False when there is no such key
    /// or it was revoked already.
    pub async fn revoke_api_key(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(self.db())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The answer kept for a key's idempotency key.
    pub async fn kept_answer(&self, key_id: i64, idempotency_key: &str) -> Result<Option<KeptAnswer>> {
        Ok(sqlx::query_as::<_, KeptAnswer>(
            "SELECT request_hash, status, body FROM api_idempotency WHERE key_id = $1 AND idempotency_key = $2",
        )
        .bind(key_id)
        .bind(idempotency_key)
        .fetch_optional(self.db())
        .await?)
    }

    /// Claims an idempotency key before doing the work: false when the key was claimed
    /// already (the caller reads the kept answer, or finds the first request still running).
    pub async fn claim_answer(&self, key_id: i64, idempotency_key: &str, request_hash: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO api_idempotency (key_id, idempotency_key, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4) \
             ON CONFLICT (key_id, idempotency_key) DO NOTHING",
        )
        .bind(key_id)
        .bind(idempotency_key)
        .bind(request_hash)
        .bind(now)
        .execute(self.db())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Keeps the answer of a claimed key (status 0 means "still running").
    pub async fn settle_answer(&self, key_id: i64, idempotency_key: &str, status: i64, body: &str) -> Result<()> {
        sqlx::query("UPDATE api_idempotency SET status = $3, body = $4 WHERE key_id = $1 AND idempotency_key = $2")
            .bind(key_id)
            .bind(idempotency_key)
            .bind(status)
            .bind(body)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Lets a claimed key go (the request failed; a retry runs it again).
    pub async fn release_answer(&self, key_id: i64, idempotency_key: &str) -> Result<()> {
        sqlx::query("DELETE FROM api_idempotency WHERE key_id = $1 AND idempotency_key = $2 AND status = 0")
            .bind(key_id)
            .bind(idempotency_key)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Records one change.
    pub async fn record_audit(&self, e: &AuditEntry, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (at, person_id, key_id, action, subject, detail, status) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(now)
            .bind(e.person_id)
            .bind(e.key_id)
            .bind(&e.action)
            .bind(&e.subject)
            .bind(&e.detail)
            .bind(e.status)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Recorded changes matching `f`, the newest first, with how many match in all.
    pub async fn audit_log(&self, f: &AuditFilter, limit: u32, offset: u64) -> Result<(Vec<AuditRow>, i64)> {
        let mut conditions: Vec<String> = vec!["1 = 1".into()];
        let mut ints: Vec<i64> = Vec::new();
        let mark = |ints: &mut Vec<i64>, v: i64| {
            ints.push(v);
            format!("${}", ints.len())
        };
        if let Some(p) = f.person_id {
            conditions.push(format!("l.person_id = {}", mark(&mut ints, p)));
        }
        if let Some(k) = f.key_id {
            conditions.push(format!("l.key_id = {}", mark(&mut ints, k)));
        }
        if let Some(from) = f.from {
            conditions.push(format!("l.at >= {}", mark(&mut ints, from)));
        }
        if let Some(to) = f.to {
            conditions.push(format!("l.at <= {}", mark(&mut ints, to)));
        }
        let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| format!("%{}%", t.replace(['%', '_'], "")));
        if text.is_some() {
            let n = ints.len() + 1;
            conditions.push(format!("(l.action LIKE ${n} OR l.subject LIKE ${n})"));
        }
        let filter = conditions.join(" AND ");
        let sql = format!(
            "SELECT l.id, l.at, l.person_id, p.name AS person_name, l.key_id, k.name AS key_name, l.action, l.subject, l.detail, l.status \
             FROM audit_log l LEFT JOIN people p ON p.id = l.person_id LEFT JOIN api_keys k ON k.id = l.key_id \
             WHERE {filter} ORDER BY l.at DESC, l.id DESC LIMIT {} OFFSET {}",
            limit.max(1),
            offset.min(i64::MAX as u64)
        );
        let mut q = sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql));
        let mut count = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_log l WHERE {filter}")));
        for v in &ints {
            q = q.bind(*v);
            count = count.bind(*v);
        }
        if let Some(t) = &text {
            q = q.bind(t.clone());
            count = count.bind(t.clone());
        }
        let rows = q.fetch_all(self.db()).await?;
        let (total,) = count.fetch_one(self.db()).await?;
        Ok((rows, total))
    }
}

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    /// Comma-separated event names.
    pub events: String,
    pub secret: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

impl Webhook {
    /// Whether it wants `event` (and is active).
    pub fn wants(&self, event: &str) -> bool {
        self.disabled_at.is_none() && self.events.split(',').any(|e| e.trim() == event)
    }
}

impl Store {
    pub async fn create_webhook(&self, url: &str, events: &[&str], secret: &str, created_by: i64, now: i64) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as("INSERT INTO webhooks (url, events, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(url)
            .bind(events.join(","))
            .bind(secret)
            .bind(created_by)
            .bind(now)
            .fetch_one(self.db())
            .await?;
        Ok(id)
    }

    /// Every webhook, the newest first.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>> {
        Ok(sqlx::query_as::<_, Webhook>("SELECT id, url, events, secret, created_at, disabled_at FROM webhooks ORDER BY id DESC")
            .fetch_all(self.db())
            .await?)
    }

    pub async fn webhook(&self, id: i64) -> Result<Option<Webhook>> {
        Ok(sqlx::query_as::<_, Webhook>("SELECT id, url, events, secret, created_at, disabled_at FROM webhooks WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db())
            .await?)
    }

    /// Stops a webhook: nothing more is queued for it, and what waits is given up when due.
    pub async fn disable_webhook(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE webhooks SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(self.db())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
