//! Views by article and hour: added in batches (one row write per article per flush, never
//! one per view), summed for "most read" and for the newsroom's list.

use std::collections::HashMap;

use crate::{Result, Store};

/// The hour bucket of a moment (unix microseconds).
pub fn view_hour(micros: i64) -> i64 {
    micros.div_euclid(3_600_000_000)
}

impl Store {
    /// Adds counted views to their hour; articles that are not published (a beacon can name
    /// any id) are left out. One statement per article, all in one transaction. Returns how
    /// many articles' rows were written.
    pub async fn add_views(&self, hour: i64, counts: &[(i64, i64)]) -> Result<u64> {
        if counts.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut written = 0;
        for (article_id, views) in counts {
            let done = sqlx::query(
                "INSERT INTO article_views (article_id, hour, views) \
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1 AND status = 'published') \
                 ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views.views + excluded.views",
            )
            .bind(article_id)
            .bind(hour)
            .bind(views)
            .execute(&mut *tx)
            .await?;
            written += done.rows_affected();
        }
        tx.commit().await?;
        Ok(written)
    }

    /// The most viewed published articles since `since_hour`, most viewed first.
    pub async fn most_read(&self, since_hour: i64, now: i64, limit: i64) -> Result<Vec<(nashir_core::ArticleSummary, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT v.article_id, CAST(SUM(v.views) AS BIGINT) AS total FROM article_views v \
             JOIN articles a ON a.id = v.article_id AND a.status = 'published' AND a.published_at <= $2 \
             WHERE v.hour >= $1 GROUP BY v.article_id ORDER BY total DESC, v.article_id DESC LIMIT $3",
        )
        .bind(since_hour)
        .bind(now)
        .bind(limit)
        .fetch_all(self.db())
        .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let totals: HashMap<i64, i64> = rows.into_iter().collect();
        Ok(self
            .published_by_ids(&ids, now)
            .await?
            .into_iter()
            .map(|s| {
                let n = totals.get(&s.id).copied().unwrap_or(0);
                (s, n)
            })
            .collect())
    }

    /// Views since `since_hour` of each of these articles (any state; absent: none).
    pub async fn view_counts(&self, ids: &[i64], since_hour: i64) -> Result<HashMap<i64, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT article_id, CAST(SUM(views) AS BIGINT) FROM article_views WHERE hour >= $1 AND article_id IN ({}) GROUP BY article_id",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql)).bind(since_hour);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.db()).await?.into_iter().collect())
    }
}
