//! Categories (a tree) and tags (flat), with their outbox events.

use nashir_core::{Category, Tag};
use serde_json::json;

use crate::{on_unique, outbox, Result, Store};

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    parent_id: Option<i64>,
    slug: String,
    name: String,
    description: String,
    position: i64,
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Self {
        Category {
            id: r.id,
            parent_id: r.parent_id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            position: r.position,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TagRow {
    id: i64,
    slug: String,
    name: String,
}

impl From<TagRow> for Tag {
    fn from(r: TagRow) -> Self {
        Tag { id: r.id, slug: r.slug, name: r.name }
    }
}

impl Store {
    pub async fn create_category(&self, c: &NewCategory, now: i64) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO categories (parent_id, slug, name, description, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(c.parent_id)
        .bind(&c.slug)
        .bind(&c.name)
        .bind(&c.description)
        .bind(c.position)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("category slug"))?;
        outbox::record(&mut tx, "category.changed", json!({ "id": id }), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every category; the tree is small and assembled in memory (`CategoryTree`).
    pub async fn categories(&self) -> Result<Vec<Category>> {
        Ok(sqlx::query_as::<_, CategoryRow>(
            "SELECT id, parent_id, slug, name, description, position FROM categories ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Category::from)
        .collect())
    }

    pub async fn create_tag(&self, slug: &str, name: &str, now: i64) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(on_unique("tag slug"))?;
        Ok(id)
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>> {
        Ok(sqlx::query_as::<_, TagRow>("SELECT id, slug, name FROM tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?
            .map(Tag::from))
    }

    pub async fn article_tags(&self, article_id: i64) -> Result<Vec<Tag>> {
        Ok(sqlx::query_as::<_, TagRow>(
            "SELECT t.id, t.slug, t.name FROM tags t \
             JOIN article_tags at ON at.tag_id = t.id WHERE at.article_id = $1 ORDER BY t.name",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Tag::from)
        .collect())
    }
}
