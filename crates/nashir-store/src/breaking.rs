//! Breaking items for the ticker: live between their start and expiry, in order.

use nashir_core::BreakingItem;

use crate::{Event, Result, Store};

#[derive(Debug, Clone)]
pub struct NewBreakingItem {
    pub text: String,
    pub article_id: Option<i64>,
    pub starts_at: i64,
    pub expires_at: i64,
    pub position: i64,
}

#[derive(sqlx::FromRow)]
struct BreakingRow {
    id: i64,
    text: String,
    article_id: Option<i64>,
    article_slug: Option<String>,
    starts_at: i64,
    expires_at: i64,
    position: i64,
}

impl From<BreakingRow> for BreakingItem {
    fn from(r: BreakingRow) -> Self {
        BreakingItem {
            id: r.id,
            text: r.text,
            article_id: r.article_id,
            article_slug: r.article_slug,
            starts_at: r.starts_at,
            expires_at: r.expires_at,
            position: r.position,
        }
    }
}

impl Store {
    pub async fn create_breaking_item(&self, b: &NewBreakingItem, now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO breaking_items (text, article_id, starts_at, expires_at, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&b.text)
        .bind(b.article_id)
        .bind(b.starts_at)
        .bind(b.expires_at)
        .bind(b.position)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.record(&mut tx, Event::BreakingChanged { id, deleted: false }, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Items live at `now`, in ticker order.
    pub async fn live_breaking_items(&self, now: i64) -> Result<Vec<BreakingItem>> {
        Ok(sqlx::query_as::<_, BreakingRow>(
            "SELECT b.id, b.text, a.id AS article_id, a.slug AS article_slug, b.starts_at, b.expires_at, b.position \
             FROM breaking_items b LEFT JOIN articles a \
               ON a.id = b.article_id AND a.status = 'published' AND a.published_at <= $1 \
             WHERE b.starts_at <= $1 AND b.expires_at > $1 ORDER BY b.position, b.id",
        )
        .bind(now)
        .fetch_all(self.db())
        .await?
        .into_iter()
        .map(BreakingItem::from)
        .collect())
    }

    /// The next moment after `now` at which the ticker changes by itself (an item starts
    /// or expires); pages holding the ticker are fresh only until then.
    pub async fn next_breaking_change(&self, now: i64) -> Result<Option<i64>> {
        let (next,): (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(t) FROM (SELECT starts_at AS t FROM breaking_items WHERE starts_at > $1 \
             UNION ALL SELECT expires_at AS t FROM breaking_items WHERE expires_at > $1) AS changes",
        )
        .bind(now)
        .fetch_one(self.db())
        .await?;
        Ok(next)
    }
}

impl Store {
    /// Every breaking item, newest expiry first, for the newsroom.
    pub async fn all_breaking_items(&self) -> Result<Vec<BreakingItem>> {
        Ok(sqlx::query_as::<_, BreakingRow>(
            "SELECT b.id, b.text, b.article_id, NULL AS article_slug, b.starts_at, b.expires_at, b.position \
             FROM breaking_items b ORDER BY b.expires_at DESC, b.position, b.id LIMIT 200",
        )
        .fetch_all(self.db())
        .await?
        .into_iter()
        .map(BreakingItem::from)
        .collect())
    }

    pub async fn update_breaking_item(&self, id: i64, b: &NewBreakingItem, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE breaking_items SET text = $1, article_id = $2, starts_at = $3, expires_at = $4, position = $5 WHERE id = $6",
        )
        .bind(&b.text)
        .bind(b.article_id)
        .bind(b.starts_at)
        .bind(b.expires_at)
        .bind(b.position)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.record(&mut tx, Event::BreakingChanged { id, deleted: false }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_breaking_item(&self, id: i64, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM breaking_items WHERE id = $1").bind(id).execute(&mut *tx).await?;
        self.record(&mut tx, Event::BreakingChanged { id, deleted: true }, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
