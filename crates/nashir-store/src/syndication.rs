//! What feeds and sitemaps read: the newest articles with their bodies, bylines and tags,
//! and the published URLs of the site with their last changes, read in bounded pieces so a
//! site of any size is listed without loading every article at once.

use std::collections::HashMap;

use nashir_core::{Person, Role, Tag};

use crate::articles::{ArticleRow, PHOTO_COLUMNS, PHOTO_JOIN, VISIBLE};
use crate::{ArticleWithByline, ListFilter, ListRequest, Result, Store};

/// An article's entry in a sitemap.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SitemapArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub published_at: i64,
    /// The last change readers were told about (the publication when there was none).
    pub lastmod: i64,
}

/// A list page's entry in a sitemap: its key (a category id, a tag or author slug) and
/// its newest article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapList<K> {
    pub key: K,
    pub lastmod: i64,
}

/// Rows read per round trip while walking every published article.
const WALK_CHUNK: i64 = 10_000;

#[derive(sqlx::FromRow)]
struct FeedRow {
    #[sqlx(flatten)]
    article: ArticleRow,
    author_slug: String,
    author_name: String,
    #[sqlx(try_from = "String")]
    author_role: Role,
    tag_id: Option<i64>,
    tag_slug: Option<String>,
    tag_name: Option<String>,
}

impl Store {
    /// The newest `limit` published articles a filter matches, whole (body, byline, tags),
    /// newest first: two round trips whatever the filter.
    pub async fn feed_articles(&self, now: i64, filter: &ListFilter, limit: u64) -> Result<Vec<ArticleWithByline>> {
        let ids = self.published_ids(now, &[ListRequest { filter, limit, offset: 0 }]).await?.pop().unwrap_or_default();
        self.articles_with_bylines(&ids).await
    }

    /// Whole articles (body, byline, tags) by id, in the order given, one round trip. The
    /// caller chose the ids among what readers may see.
    pub async fn articles_with_bylines(&self, ids: &[i64]) -> Result<Vec<ArticleWithByline>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 1)).collect();
        let sql = format!(
            "SELECT a.id, a.title, a.slug, a.body_html, a.excerpt, a.status, a.author_id, \
             a.primary_category_id, a.published_at, a.modified_at, a.updated_at, a.version, a.featured_image, \
             a.comments_open, COALESCE(cc.approved, 0) AS comment_count, p.slug AS author_slug, p.name AS author_name, \
             p.role AS author_role, t.id AS tag_id, t.slug AS tag_slug, t.name AS tag_name, {PHOTO_COLUMNS} \
             FROM articles a JOIN people p ON p.id = a.author_id LEFT JOIN comment_counts cc ON cc.article_id = a.id {PHOTO_JOIN} \
             LEFT JOIN article_tags atg ON atg.article_id = a.id LEFT JOIN tags t ON t.id = atg.tag_id \
             WHERE a.id IN ({marks}) ORDER BY a.id, t.name, t.id",
            marks = marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, FeedRow>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        let mut by_id: HashMap<i64, ArticleWithByline> = HashMap::with_capacity(ids.len());
        for row in q.fetch_all(self.db()).await? {
            let tag = match (row.tag_id, row.tag_slug, row.tag_name) {
                (Some(id), Some(slug), Some(name)) => Some(Tag { id, slug, name }),
                _ => None,
            };
            let id = row.article.id;
            let entry = match by_id.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let author = Person {
                        id: row.article.author_id,
                        slug: row.author_slug,
                        name: row.author_name,
                        bio: String::new(),
                        role: row.author_role,
                        email: None,
                    };
                    v.insert(ArticleWithByline { article: row.article.try_into()?, author, tags: Vec::new() })
                }
            };
            entry.tags.extend(tag);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Calls `each(published_at, lastmod)` for every published article, oldest first, read
    /// `WALK_CHUNK` rows at a time (the sitemap index counts articles per month with it).
    pub async fn walk_article_dates(&self, now: i64, mut each: impl FnMut(i64, i64)) -> Result<()> {
        let (mut after_at, mut after_id) = (i64::MIN, i64::MIN);
        loop {
            let rows: Vec<(i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT a.id, a.published_at, COALESCE(a.modified_at, a.published_at) FROM articles a \
                 WHERE {VISIBLE} AND (a.published_at > $2 OR (a.published_at = $2 AND a.id > $3)) \
                 ORDER BY a.published_at, a.id LIMIT {WALK_CHUNK}"
            )))
            .bind(now)
            .bind(after_at)
            .bind(after_id)
            .fetch_all(self.db())
            .await?;
            let full = rows.len() as i64 == WALK_CHUNK;
            for &(id, at, lastmod) in &rows {
                each(at, lastmod.max(at));
                (after_at, after_id) = (at, id);
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Published articles with `from <= published_at < to`, oldest first, one page of them.
    pub async fn sitemap_articles(&self, now: i64, from: i64, to: i64, limit: u32, offset: u64) -> Result<Vec<SitemapArticle>> {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        Ok(sqlx::query_as::<_, SitemapArticle>(sqlx::AssertSqlSafe(format!(
            "SELECT a.id, a.slug, a.title, a.published_at, \
             CASE WHEN a.modified_at > a.published_at THEN a.modified_at ELSE a.published_at END AS lastmod \
             FROM articles a WHERE {VISIBLE} AND a.published_at >= $2 AND a.published_at < $3 \
             ORDER BY a.published_at, a.id LIMIT {limit} OFFSET $4"
        )))
        .bind(now)
        .bind(from)
        .bind(to)
        .bind(offset)
        .fetch_all(self.db())
        .await?)
    }

    /// The newest published article of every category with one (its own articles only;
    /// callers fold subcategories in).
    pub async fn category_lastmods(&self, now: i64) -> Result<Vec<SitemapList<i64>>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT category_id, MAX(published_at) FROM article_categories WHERE published_at <= $1 GROUP BY category_id",
        )
        .bind(now)
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(|(key, lastmod)| SitemapList { key, lastmod }).collect())
    }

    /// How many tags have a published article.
    pub async fn count_listed_tags(&self, now: i64) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT tag_id) FROM article_tags WHERE published_at <= $1")
            .bind(now)
            .fetch_one(self.db())
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Tags with a published article (by slug) and their newest one, one page in id order.
    pub async fn tag_lastmods(&self, now: i64, limit: u32, offset: u64) -> Result<Vec<SitemapList<String>>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT t.slug, MAX(at.published_at) FROM article_tags at JOIN tags t ON t.id = at.tag_id \
             WHERE at.published_at <= $1 GROUP BY t.id, t.slug ORDER BY t.id LIMIT {limit} OFFSET $2"
        )))
        .bind(now)
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(|(key, lastmod)| SitemapList { key, lastmod }).collect())
    }

    /// Authors with a published article (by slug) and their newest one.
    pub async fn author_lastmods(&self, now: i64) -> Result<Vec<SitemapList<String>>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT p.slug, MAX(a.published_at) FROM articles a JOIN people p ON p.id = a.author_id \
             WHERE {VISIBLE} GROUP BY p.id, p.slug ORDER BY p.id"
        )))
        .bind(now)
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(|(key, lastmod)| SitemapList { key, lastmod }).collect())
    }

    /// Articles published since `since`, newest first (Google News lists two days).
    pub async fn recent_articles(&self, now: i64, since: i64, limit: u32) -> Result<Vec<SitemapArticle>> {
        Ok(sqlx::query_as::<_, SitemapArticle>(sqlx::AssertSqlSafe(format!(
            "SELECT a.id, a.slug, a.title, a.published_at, \
             CASE WHEN a.modified_at > a.published_at THEN a.modified_at ELSE a.published_at END AS lastmod \
             FROM articles a WHERE {VISIBLE} AND a.published_at >= $2 ORDER BY a.published_at DESC, a.id DESC LIMIT {limit}"
        )))
        .bind(now)
        .bind(since)
        .fetch_all(self.db())
        .await?)
    }
}
