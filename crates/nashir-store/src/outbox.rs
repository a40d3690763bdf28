//! The outbox: one row per change readers can see, written in the change's transaction.
//! Subscribers read it in id order from a cursor they keep (see `events`).

use serde_json::{Value, json};
use sqlx::{Any, Transaction};

use crate::{Backend, Result, Store};

/// A change readers can see, as subscribers receive it. Stored as a topic and a JSON
/// payload, so an older instance reading a newer event sees `Unknown` rather than failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An article became visible (`scheduled`: by the scheduler rather than by a person).
    ArticlePublished { id: i64, scheduled: bool },
    /// An article changed; it may or may not be visible now.
    ArticleChanged { id: i64 },
    ArticleUnpublished { id: i64 },
    /// A category was created, renamed, moved or deleted (its articles then moved).
    CategoryChanged { id: i64, deleted: bool },
    /// A tag was renamed, or `merged_from` was merged into it.
    TagChanged { id: i64, merged_from: Option<i64> },
    /// A byline changed (name, bio, slug).
    PersonChanged { id: i64 },
    BreakingChanged { id: i64, deleted: bool },
    /// A comment appeared on its article (written by a known commenter, or approved).
    CommentApproved { id: i64, article_id: i64 },
    /// A comment arrived and waits for a moderator: nothing public changed.
    CommentHeld { id: i64, article_id: i64 },
    /// A comment was edited, moderated, erased or imported.
    CommentChanged { id: i64, article_id: i64 },
    /// A static page was written or changed.
    PageChanged { id: i64 },
    /// A library photo's files or texts changed: pages showing it change, nothing is
    /// news (feeds' pings ignore it).
    MediaChanged { id: i64 },
    /// The category bar's order or links changed.
    NavChanged,
    /// An article readers cannot see was created or saved (a draft, a scheduled one): only
    /// the newsroom's own search cares.
    DraftChanged { id: i64 },
    /// A topic this version does not know.
    Unknown { topic: String },
}

impl Event {
    pub fn topic(&self) -> &str {
        match self {
            Event::ArticlePublished { .. } => "article.published",
            Event::ArticleChanged { .. } => "article.changed",
            Event::ArticleUnpublished { .. } => "article.unpublished",
            Event::CategoryChanged { .. } => "category.changed",
            Event::TagChanged { .. } => "tag.changed",
            Event::PersonChanged { .. } => "person.changed",
            Event::BreakingChanged { .. } => "breaking.changed",
            Event::CommentApproved { .. } => "comment.approved",
            Event::CommentHeld { .. } => "comment.held",
            Event::CommentChanged { .. } => "comment.changed",
            Event::PageChanged { .. } => "page.changed",
            Event::MediaChanged { .. } => "media.changed",
            Event::NavChanged => "nav.changed",
            Event::DraftChanged { .. } => "draft.changed",
            Event::Unknown { topic } => topic,
        }
    }

    fn payload(&self) -> Value {
        match self {
            Event::ArticlePublished { id, scheduled: true } => json!({ "id": id, "scheduled": true }),
            Event::ArticlePublished { id, scheduled: false }
            | Event::ArticleChanged { id }
            | Event::ArticleUnpublished { id }
            | Event::PersonChanged { id }
            | Event::PageChanged { id }
            | Event::MediaChanged { id }
            | Event::DraftChanged { id }
            | Event::CategoryChanged { id, deleted: false }
            | Event::BreakingChanged { id, deleted: false }
            | Event::TagChanged { id, merged_from: None } => json!({ "id": id }),
            Event::CategoryChanged { id, deleted: true } | Event::BreakingChanged { id, deleted: true } => {
                json!({ "id": id, "deleted": true })
            }
            Event::TagChanged { id, merged_from: Some(from) } => json!({ "id": id, "merged": from }),
            Event::CommentApproved { id, article_id } | Event::CommentHeld { id, article_id } | Event::CommentChanged { id, article_id } => {
                json!({ "id": id, "article_id": article_id })
            }
            Event::Unknown { .. } | Event::NavChanged => json!({}),
        }
    }

    /// Reads a stored event back; anything unreadable is `Unknown`.
    pub fn parse(topic: &str, payload: &str) -> Event {
        let v: Value = serde_json::from_str(payload).unwrap_or_default();
        let int = |k: &str| v[k].as_i64();
        let flag = |k: &str| v[k].as_bool() == Some(true);
        let unknown = || Event::Unknown { topic: topic.to_owned() };
        if topic == "nav.changed" {
            return Event::NavChanged;
        }
        let Some(id) = int("id") else { return unknown() };
        match topic {
            "article.published" => Event::ArticlePublished { id, scheduled: flag("scheduled") },
            "article.changed" => Event::ArticleChanged { id },
            "article.unpublished" => Event::ArticleUnpublished { id },
            "category.changed" => Event::CategoryChanged { id, deleted: flag("deleted") },
            "tag.changed" => Event::TagChanged { id, merged_from: int("merged") },
            "person.changed" => Event::PersonChanged { id },
            "breaking.changed" => Event::BreakingChanged { id, deleted: flag("deleted") },
            "comment.approved" => int("article_id").map_or_else(unknown, |article_id| Event::CommentApproved { id, article_id }),
            "comment.held" => int("article_id").map_or_else(unknown, |article_id| Event::CommentHeld { id, article_id }),
            "comment.changed" => int("article_id").map_or_else(unknown, |article_id| Event::CommentChanged { id, article_id }),
            "page.changed" => Event::PageChanged { id },
            "media.changed" => Event::MediaChanged { id },
            "draft.changed" => Event::DraftChanged { id },
            _ => unknown(),
        }
    }

    /// The article whose page, lists and search entry the event touches, if one.
    pub fn article_id(&self) -> Option<i64> {
        match self {
            Event::ArticlePublished { id, .. } | Event::ArticleChanged { id } | Event::ArticleUnpublished { id } => Some(*id),
            Event::CommentApproved { article_id, .. } | Event::CommentHeld { article_id, .. } | Event::CommentChanged { article_id, .. } => {
                Some(*article_id)
            }
            _ => None,
        }
    }

    /// Whether readers can see a difference: everything but a comment waiting for a moderator
    /// and a draft saved.
    pub fn changes_public_pages(&self) -> bool {
        !matches!(self, Event::CommentHeld { .. } | Event::DraftChanged { .. })
    }
}

/// A stored event: its place in the outbox, what happened and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    pub id: i64,
    pub event: Event,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    topic: String,
    payload: String,
    created_at: i64,
}

/// The PostgreSQL channel that wakes every instance's dispatcher.
pub(crate) const CHANNEL: &str = "nashir_outbox";

impl Store {
    /// Records an event inside the caller's transaction, so it commits or vanishes with it.
    /// On PostgreSQL the same transaction notifies every listening instance on commit.
    pub(crate) async fn record(&self, tx: &mut Transaction<'_, Any>, event: Event, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO outbox (topic, payload, created_at) VALUES ($1, $2, $3)")
            .bind(event.topic())
            .bind(event.payload().to_string())
            .bind(now)
            .execute(&mut **tx)
            .await?;
        if self.backend == Backend::Postgres {
            sqlx::query(sqlx::AssertSqlSafe(format!("NOTIFY {CHANNEL}"))).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Events after `cursor`, oldest first.
    pub async fn outbox_after(&self, cursor: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
        let rows = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
            "SELECT id, topic, payload, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT {}",
            limit.max(0)
        )))
        .bind(cursor)
        .fetch_all(self.db())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxEvent { id: r.id, event: Event::parse(&r.topic, &r.payload), created_at: r.created_at })
            .collect())
    }

    /// The oldest event still kept (None when the outbox is empty).
    pub async fn outbox_oldest(&self) -> Result<Option<i64>> {
        let (oldest,): (Option<i64>,) = sqlx::query_as("SELECT MIN(id) FROM outbox").fetch_one(self.db()).await?;
        Ok(oldest)
    }

    /// Records that `instance` would resume the outbox after event `position`.
    pub async fn report_outbox_reader(&self, instance: &str, position: i64, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO outbox_readers (instance, position, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (instance) DO UPDATE SET position = excluded.position, seen_at = excluded.seen_at",
        )
        .bind(instance)
        .bind(position)
        .bind(now)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Where each instance seen since `since` is (instance, position), oldest first.
    pub async fn outbox_readers(&self, since: i64) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as("SELECT instance, position FROM outbox_readers WHERE seen_at >= $1 ORDER BY position, instance")
            .bind(since)
            .fetch_all(self.db())
            .await?)
    }

    /// Removes the events every instance seen since `since` has read, and every event
    /// older than `since`; instances not seen since then are forgotten (one that returns
    /// rebuilds its index). The newest event is always kept, so ids are never reused.
    /// Returns how many events were removed.
    pub async fn prune_outbox(&self, since: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM outbox_readers WHERE seen_at < $1").bind(since).execute(&mut *tx).await?;
        let done = sqlx::query(
            "DELETE FROM outbox WHERE id < (SELECT MAX(id) FROM outbox) \
             AND (created_at < $1 OR id <= (SELECT COALESCE(MIN(position), 0) FROM outbox_readers))",
        )
        .bind(since)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Claims this period's run of the job `name` for the caller: true for exactly one of
    /// the instances asking once it is due, which then sets the next run `period_micros`
    /// later.
    pub async fn claim_job(&self, name: &str, now: i64, period_micros: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO job_runs (name, next_at) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET next_at = excluded.next_at WHERE job_runs.next_at <= $3",
        )
        .bind(name)
        .bind(now + period_micros)
        .bind(now)
        .execute(self.db())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The newest event id (0 when there is none): where a fresh subscriber starts.
    pub async fn outbox_head(&self) -> Result<i64> {
        let (head,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM outbox").fetch_one(self.db()).await?;
        Ok(head.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_stored_form() {
        let all = [
            Event::ArticlePublished { id: 1, scheduled: true },
            Event::ArticlePublished { id: 1, scheduled: false },
            Event::ArticleChanged { id: 2 },
            Event::ArticleUnpublished { id: 3 },
            Event::CategoryChanged { id: 4, deleted: true },
            Event::CategoryChanged { id: 4, deleted: false },
            Event::TagChanged { id: 5, merged_from: Some(6) },
            Event::TagChanged { id: 5, merged_from: None },
            Event::PersonChanged { id: 7 },
            Event::BreakingChanged { id: 8, deleted: true },
            Event::CommentApproved { id: 9, article_id: 1 },
            Event::CommentHeld { id: 11, article_id: 2 },
            Event::CommentChanged { id: 10, article_id: 1 },
            Event::PageChanged { id: 11 },
            Event::MediaChanged { id: 12 },
            Event::NavChanged,
            Event::DraftChanged { id: 13 },
        ];
        for e in all {
            assert_eq!(Event::parse(e.topic(), &e.payload().to_string()), e);
        }
        assert_eq!(Event::parse("webhook.sent", "{\"id\":1}"), Event::Unknown { topic: "webhook.sent".into() });
        assert_eq!(Event::parse("article.changed", "not json"), Event::Unknown { topic: "article.changed".into() });
    }
}
