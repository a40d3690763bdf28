//! What the search index is built from: published articles as plain records, read in id
//! order a page at a time (a full reindex never holds the whole archive in memory).

use std::collections::HashMap;

use crate::{Result, Store};

/// One article for the index: its text and what results are filtered by.
#[derive(Debug, Clone)]
pub struct IndexableArticle {
    pub id: i64,
    pub title: String,
    pub body_html: String,
    pub published_at: i64,
    pub category_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    body_html: String,
    published_at: i64,
}

/// Which articles an index holds: what readers may see now, or every article whatever its
/// state (the newsroom's own search; never queried for a public request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexScope {
    Public,
    Staff,
}

/// Every article, with a date to sort by: published, else due, else last saved.
const STAFF_COLUMNS: &str = "a.id, a.title, a.body_html, COALESCE(a.published_at, a.publish_at, a.updated_at) AS published_at";

impl Store {
    /// The articles of `scope` with an id above `after`, in id order.
    pub async fn indexable_after_in(&self, scope: IndexScope, after: i64, limit: i64, now: i64) -> Result<Vec<IndexableArticle>> {
        match scope {
            IndexScope::Public => self.indexable_after(after, limit, now).await,
            IndexScope::Staff => {
                let rows = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
                    "SELECT {STAFF_COLUMNS} FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT {}",
                    limit.max(0)
                )))
                .bind(after)
                .fetch_all(self.db())
                .await?;
                self.with_filing(rows).await
            }
        }
    }

    /// One article of `scope`; None means it must leave that index.
    pub async fn indexable_in(&self, scope: IndexScope, id: i64, now: i64) -> Result<Option<IndexableArticle>> {
        match scope {
            IndexScope::Public => self.indexable(id, now).await,
            IndexScope::Staff => {
                let rows = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!("SELECT {STAFF_COLUMNS} FROM articles a WHERE a.id = $1")))
                    .bind(id)
                    .fetch_all(self.db())
                    .await?;
                Ok(self.with_filing(rows).await?.pop())
            }
        }
    }

    /// Published articles with an id above `after`, in id order.
    pub async fn indexable_after(&self, after: i64, limit: i64, now: i64) -> Result<Vec<IndexableArticle>> {
        let rows = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
            "SELECT a.id, a.title, a.body_html, a.published_at FROM articles a \
             WHERE a.status = 'published' AND a.published_at <= $1 AND a.id > $2 ORDER BY a.id LIMIT {}",
            limit.max(0)
        )))
        .bind(now)
        .bind(after)
        .fetch_all(self.db())
        .await?;
        self.with_filing(rows).await
    }

    /// One article if readers may see it now; None means it must leave the index.
    pub async fn indexable(&self, id: i64, now: i64) -> Result<Option<IndexableArticle>> {
        let rows = sqlx::query_as::<_, Row>(
            "SELECT a.id, a.title, a.body_html, a.published_at FROM articles a \
             WHERE a.status = 'published' AND a.published_at <= $1 AND a.id = $2",
        )
        .bind(now)
        .bind(id)
        .fetch_all(self.db())
        .await?;
        Ok(self.with_filing(rows).await?.pop())
    }

    async fn with_filing(&self, rows: Vec<Row>) -> Result<Vec<IndexableArticle>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // Integer placeholders only; the ids come from the rows above. Categories and tags
        // in one round trip.
        let marks: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
        let marks = marks.join(", ");
        let sql = format!(
            "SELECT article_id, category_id, 0 AS kind FROM article_categories WHERE article_id IN ({marks}) \
             UNION ALL SELECT article_id, tag_id, 1 AS kind FROM article_tags WHERE article_id IN ({marks})"
        );
        let mut q = sqlx::query_as::<_, (i64, i64, i32)>(sqlx::AssertSqlSafe(sql));
        for r in &rows {
            q = q.bind(r.id);
        }
        let mut categories: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut tags: HashMap<i64, Vec<i64>> = HashMap::new();
        for (article, id, kind) in q.fetch_all(self.db()).await? {
            let filed = if kind == 0 { &mut categories } else { &mut tags };
            filed.entry(article).or_default().push(id);
        }
        Ok(rows
            .into_iter()
            .map(|r| IndexableArticle {
                category_ids: categories.remove(&r.id).unwrap_or_default(),
                tag_ids: tags.remove(&r.id).unwrap_or_default(),
                id: r.id,
                title: r.title,
                body_html: r.body_html,
                published_at: r.published_at,
            })
            .collect())
    }

    /// Published article summaries for the given ids, in the order given (search results).
    pub async fn published_by_ids(&self, ids: &[i64], now: i64) -> Result<Vec<nashir_core::ArticleSummary>> {
        Ok(self.visible_by_ids(ids, now, false).await?.into_iter().map(|r| r.summary).collect())
    }

    /// Related stories found by the search index, in the order given, in one round trip:
    /// the published ones among `ids`, the first of them with its body (the "check also"
    /// excerpt is cut from it; the others' bodies are not read).
    pub async fn related_by_ids(&self, ids: &[i64], now: i64) -> Result<Vec<crate::RelatedArticle>> {
        self.visible_by_ids(ids, now, true).await
    }

    /// The published ones among `ids`, in their order; with `first_body`, the first id's
    /// body too (others get an empty one).
    async fn visible_by_ids(&self, ids: &[i64], now: i64, first_body: bool) -> Result<Vec<crate::RelatedArticle>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Only `a.id IN (…)` may use an index: primary-key lookups. (`status || ''` and
        // `published_at + 0` keep SQLite from walking the whole status/date index instead;
        // on PostgreSQL they mean the same.)
        let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let body = if first_body { "CASE WHEN a.id = $2 THEN a.body_html ELSE '' END" } else { "''" };
        let sql = format!(
            "SELECT a.id, a.title, a.slug, a.excerpt, a.published_at, a.primary_category_id, a.author_id, \
             p.name AS author_name, p.slug AS author_slug, a.featured_image, COALESCE(cc.approved, 0) AS comment_count, {}, \
             {body} AS body_html \
             FROM articles a JOIN people p ON p.id = a.author_id LEFT JOIN comment_counts cc ON cc.article_id = a.id {} \
             WHERE a.id IN ({}) AND a.status || '' = 'published' AND a.published_at + 0 <= $1",
            crate::articles::PHOTO_COLUMNS,
            crate::articles::PHOTO_JOIN,
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, crate::articles::RelatedRow>(sqlx::AssertSqlSafe(sql)).bind(now);
        for id in ids {
            q = q.bind(*id);
        }
        let mut found: HashMap<i64, crate::RelatedArticle> = q
            .fetch_all(self.db())
            .await?
            .into_iter()
            .map(|r| (r.summary.id, crate::RelatedArticle { summary: r.summary.into(), body_html: r.body_html }))
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
