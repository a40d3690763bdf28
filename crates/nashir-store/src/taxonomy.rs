//! Categories (a tree) and tags (flat), with their outbox events.

use nashir_core::{Category, Tag};

use crate::{Event, Result, Store, StoreError, on_unique};

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
        let mut tx = self.begin().await?;
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
        self.record(&mut tx, Event::CategoryChanged { id, deleted: false }, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every category; the tree is small and assembled in memory (`CategoryTree`).
    pub async fn categories(&self) -> Result<Vec<Category>> {
        Ok(sqlx::query_as::<_, CategoryRow>(
            "SELECT id, parent_id, slug, name, description, position FROM categories ORDER BY position, id",
        )
        .fetch_all(self.db())
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
        .fetch_one(self.db())
        .await
        .map_err(on_unique("tag slug"))?;
        Ok(id)
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>> {
        Ok(sqlx::query_as::<_, TagRow>("SELECT id, slug, name FROM tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.db())
            .await?
            .map(Tag::from))
    }

    pub async fn article_tags(&self, article_id: i64) -> Result<Vec<Tag>> {
        Ok(sqlx::query_as::<_, TagRow>(
            "SELECT t.id, t.slug, t.name FROM tags t \
             JOIN article_tags at ON at.tag_id = t.id WHERE at.article_id = $1 ORDER BY t.name",
        )
        .bind(article_id)
        .fetch_all(self.db())
        .await?
        .into_iter()
        .map(Tag::from)
        .collect())
    }
}

/// A tag with how many articles carry it, for the newsroom's tag list.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct TagCount {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub articles: i64,
}

impl Store {
    /// Renames or moves a category. The caller checks that the new parent is not inside it.
    pub async fn update_category(&self, id: i64, c: &NewCategory, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE categories SET parent_id = $1, slug = $2, name = $3, description = $4, position = $5 WHERE id = $6")
            .bind(c.parent_id)
            .bind(&c.slug)
            .bind(&c.name)
            .bind(&c.description)
            .bind(c.position)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(on_unique("category slug"))?;
        self.record(&mut tx, Event::CategoryChanged { id, deleted: false }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many articles are filed under a category (in any state).
    pub async fn category_article_count(&self, id: i64) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM article_categories WHERE category_id = $1")
            .bind(id)
            .fetch_one(self.db())
            .await?;
        Ok(n)
    }

    /// Deletes a category. Its articles move to `reassign_to` and its children to its own
    /// parent; without a reassignment target the category must be empty.
    pub async fn delete_category(&self, id: i64, reassign_to: Option<i64>, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM article_categories WHERE category_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        match reassign_to {
            None if count > 0 => return Err(StoreError::Conflict("category with articles")),
            None => {}
            Some(target) => {
                // Articles already filed under the target keep one row.
                sqlx::query(
                    "INSERT INTO article_categories (article_id, category_id, published_at) \
                     SELECT article_id, $2, published_at FROM article_categories WHERE category_id = $1 \
                     ON CONFLICT (article_id, category_id) DO NOTHING",
                )
                .bind(id)
                .bind(target)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE articles SET primary_category_id = $2 WHERE primary_category_id = $1")
                    .bind(id)
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM article_categories WHERE category_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("UPDATE articles SET primary_category_id = NULL WHERE primary_category_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE categories SET parent_id = (SELECT parent_id FROM categories WHERE id = $1) WHERE parent_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(on_unique("category slug"))?;
        sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut *tx).await?;
        self.record(&mut tx, Event::CategoryChanged { id, deleted: true }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn tags_with_counts(&self) -> Result<Vec<TagCount>> {
        Ok(sqlx::query_as::<_, TagCount>(
            "SELECT t.id, t.slug, t.name, (SELECT COUNT(*) FROM article_tags at WHERE at.tag_id = t.id) AS articles \
             FROM tags t ORDER BY t.name",
        )
        .fetch_all(self.db())
        .await?)
    }

    pub async fn rename_tag(&self, id: i64, slug: &str, name: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE tags SET slug = $1, name = $2 WHERE id = $3")
            .bind(slug)
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(on_unique("tag slug"))?;
        self.record(&mut tx, Event::TagChanged { id, merged_from: None }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves every article of `from` to `into` and deletes `from`.
    pub async fn merge_tags(&self, from: i64, into: i64, now: i64) -> Result<()> {
        if from == into {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO article_tags (article_id, tag_id, published_at) \
             SELECT article_id, $2, published_at FROM article_tags WHERE tag_id = $1 \
             ON CONFLICT (article_id, tag_id) DO NOTHING",
        )
        .bind(from)
        .bind(into)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM article_tags WHERE tag_id = $1").bind(from).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM tags WHERE id = $1").bind(from).execute(&mut *tx).await?;
        self.record(&mut tx, Event::TagChanged { id: into, merged_from: Some(from) }, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
