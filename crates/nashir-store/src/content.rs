//! What the public content API reads beyond the site's own lists: articles by any mix of
//! filters in keyset pages (newest first, resumed after the last one seen, so a page never
//! repeats or skips an article when new ones are published), an article by its slug, and the
//! authors and tags that have published articles. Only what readers may see now.

use crate::articles::VISIBLE;
use crate::{Result, Store, TagCount};

/// Which published articles a content API list holds; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleQuery {
    /// Filed under any of these categories (a category and its descendants).
    pub categories: Option<Vec<i64>>,
    pub tag: Option<i64>,
    pub author: Option<i64>,
    /// Inclusive bounds on the publication time, unix microseconds.
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// An author of published articles, as the public may know them (never an email).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublicAuthor {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub articles: i64,
}

impl Store {
    /// Up to `limit` published articles matching `q`, newest first, after the article
    /// `(published_at, id)` of the previous page: their ids and publication times.
    pub async fn api_article_ids(&self, now: i64, q: &ArticleQuery, after: Option<(i64, i64)>, limit: u32) -> Result<Vec<(i64, i64)>> {
        let mut sql = format!("SELECT a.id, a.published_at FROM articles a WHERE {VISIBLE}");
        let mut binds: Vec<i64> = vec![now];
        let bind = |binds: &mut Vec<i64>, v: i64| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if let Some(categories) = &q.categories {
            let ids: &[i64] = if categories.is_empty() { &[-1] } else { categories };
            let marks: Vec<String> = ids.iter().map(|&c| bind(&mut binds, c)).collect();
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM article_categories ac WHERE ac.article_id = a.id AND ac.category_id IN ({}))",
                marks.join(", ")
            );
        }
        if let Some(tag) = q.tag {
            let m = bind(&mut binds, tag);
            sql += &format!(" AND EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = {m})");
        }
        if let Some(author) = q.author {
            sql += &format!(" AND a.author_id = {}", bind(&mut binds, author));
        }
        if let Some(from) = q.from {
            sql += &format!(" AND a.published_at >= {}", bind(&mut binds, from));
        }
        if let Some(to) = q.to {
            sql += &format!(" AND a.published_at <= {}", bind(&mut binds, to));
        }
        if let Some((at, id)) = after {
            let (at_a, at_b, id_m) = (bind(&mut binds, at), bind(&mut binds, at), bind(&mut binds, id));
            sql += &format!(" AND (a.published_at < {at_a} OR (a.published_at = {at_b} AND a.id < {id_m}))");
        }
        sql += &format!(" ORDER BY a.published_at DESC, a.id DESC LIMIT {}", limit.max(1));
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for b in binds {
            query = query.bind(b);
        }
        Ok(query.fetch_all(self.db()).await?)
    }

    /// The newest published article with this slug, if readers may see one.
    pub async fn published_id_by_slug(&self, slug: &str, now: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.slug = $2 ORDER BY a.published_at DESC, a.id DESC LIMIT 1"
        )))
        .bind(now)
        .bind(slug)
        .fetch_optional(self.db())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Everyone with a published article, by name, with how many.
    pub async fn public_authors(&self, now: i64) -> Result<Vec<PublicAuthor>> {
        Ok(sqlx::query_as::<_, PublicAuthor>(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.slug, p.name, p.bio, COUNT(*) AS articles FROM people p JOIN articles a ON a.author_id = p.id \
             WHERE {VISIBLE} GROUP BY p.id, p.slug, p.name, p.bio ORDER BY p.name, p.id"
        )))
        .bind(now)
        .fetch_all(self.db())
        .await?)
    }

    /// Tags with published articles, the most used first, a page at a time.
    pub async fn public_tags(&self, now: i64, limit: u32, offset: u64) -> Result<Vec<TagCount>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT t.id, t.slug, t.name, COUNT(*) AS articles FROM tags t JOIN article_tags at ON at.tag_id = t.id \
             WHERE at.published_at <= $1 GROUP BY t.id, t.slug, t.name ORDER BY COUNT(*) DESC, t.name, t.id LIMIT {} OFFSET {}",
            limit.max(1),
            offset.min(i64::MAX as u64)
        )))
        .bind(now)
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(|(id, slug, name, articles)| TagCount { id, slug, name, articles }).collect())
    }
}
