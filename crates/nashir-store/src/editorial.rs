//! The newsroom's writes on articles: saving with an optimistic version check, revisions
//! of published stories, old slugs, autosaves, and scheduled publication claimed exactly
//! once (a conditional UPDATE takes the row lock on both backends).

use nashir_core::PublishState;
use serde::Serialize;

use crate::{Event, Result, Store, StoreError};

/// What the editor submits.
#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub title: String,
    pub slug: String,
    /// Already sanitized.
    pub body_html: String,
    pub excerpt: String,
    pub author_id: i64,
    pub primary_category_id: Option<i64>,
    pub other_category_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
    pub state: PublishState,
    /// For scheduled articles: when to publish.
    pub publish_at: Option<i64>,
}

/// An article as the editor loads it, whatever its state.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EditableArticle {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub body_html: String,
    pub excerpt: String,
    #[sqlx(rename = "status", try_from = "String")]
    pub state: PublishState,
    pub author_id: i64,
    pub primary_category_id: Option<i64>,
    pub publish_at: Option<i64>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
    /// Readers may comment (stored as 0/1).
    #[sqlx(try_from = "i64")]
    pub comments_open: IntBool,
}

/// A 0/1 column read as a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct IntBool(pub bool);

impl From<i64> for IntBool {
    fn from(v: i64) -> Self {
        IntBool(v != 0)
    }
}

impl std::ops::Deref for IntBool {
    type Target = bool;
    fn deref(&self) -> &bool {
        &self.0
    }
}

/// A row of the newsroom's article list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NewsroomRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    #[sqlx(rename = "status", try_from = "String")]
    pub state: PublishState,
    pub author_id: i64,
    pub author_name: String,
    pub primary_category_id: Option<i64>,
    pub published_at: Option<i64>,
    pub publish_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    pub status: Option<PublishState>,
    pub author_id: Option<i64>,
    pub category_id: Option<i64>,
    /// Matched against titles with LIKE, always as a bound parameter.
    pub title: Option<String>,
    /// Only this person's articles and published ones (what a contributor may open).
    pub own_or_published: Option<i64>,
    /// Only these articles (the newsroom search's matches).
    pub ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    pub version: i64,
    pub title: String,
    pub slug: String,
    pub body_html: String,
    pub excerpt: String,
    pub saved_by_name: Option<String>,
    pub saved_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Autosave {
    pub title: String,
    pub body_html: String,
    pub excerpt: String,
    pub base_version: i64,
    pub saved_at: i64,
}

/// Who changed an article last and when: the message of a refused stale save.
#[derive(Debug, Clone)]
pub struct StaleSave {
    pub changed_by: String,
    pub changed_at: i64,
    pub current_version: i64,
}

fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    pub async fn editable_article(&self, id: i64) -> Result<Option<EditableArticle>> {
        Ok(sqlx::query_as::<_, EditableArticle>(
            "SELECT id, title, slug, body_html, excerpt, status, author_id, primary_category_id, publish_at, \
             published_at, updated_at, version, comments_open FROM articles WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db())
        .await?)
    }

    pub async fn article_category_ids(&self, id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT category_id FROM article_categories WHERE article_id = $1")
            .bind(id)
            .fetch_all(self.db())
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn newsroom_list(&self, f: &NewsroomFilter, limit: i64, offset: i64) -> Result<(Vec<NewsroomRow>, i64)> {
        // Only the filters in use become conditions, so the database can use its indexes
        // (the newest change first walks `articles_by_updated`). The fragments are fixed
        // text with numbered placeholders; every value is bound.
        enum Bind {
            Text(String),
            Int(i64),
        }
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        let next = |bind: Bind, binds: &mut Vec<Bind>| {
            binds.push(bind);
            format!("${}", binds.len())
        };
        if let Some(status) = f.status {
            conditions.push(format!("a.status = {}", next(Bind::Text(status.as_str().to_owned()), &mut binds)));
        }
        if let Some(author) = f.author_id {
            conditions.push(format!("a.author_id = {}", next(Bind::Int(author), &mut binds)));
        }
        if let Some(category) = f.category_id {
            let p = next(Bind::Int(category), &mut binds);
            conditions.push(format!("a.id IN (SELECT article_id FROM article_categories WHERE category_id = {p})"));
        }
        if let Some(title) = f.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            conditions.push(format!("a.title LIKE {} ESCAPE '\\'", next(Bind::Text(like_pattern(title)), &mut binds)));
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                conditions.push("1 = 0".to_owned());
            } else {
                let marks: Vec<String> = ids.iter().map(|id| next(Bind::Int(*id), &mut binds)).collect();
                conditions.push(format!("a.id IN ({})", marks.join(", ")));
            }
        }
        if let Some(person) = f.own_or_published {
            conditions.push(format!("(a.author_id = {} OR a.status = 'published')", next(Bind::Int(person), &mut binds)));
        }
        let clause = if conditions.is_empty() { "1 = 1".to_owned() } else { conditions.join(" AND ") };
        let n = binds.len();
        let list_sql = format!(
            "SELECT a.id, a.title, a.slug, a.status, a.author_id, p.name AS author_name, a.primary_category_id, \
             a.published_at, a.publish_at, a.updated_at FROM articles a JOIN people p ON p.id = a.author_id \
             WHERE {clause} ORDER BY a.updated_at DESC, a.id DESC LIMIT {} OFFSET ${}",
            limit.max(0),
            n + 1
        );
        let mut list = sqlx::query_as::<_, NewsroomRow>(sqlx::AssertSqlSafe(list_sql));
        let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {clause}");
        let mut count = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            (list, count) = match b {
                Bind::Text(t) => (list.bind(t.clone()), count.bind(t.clone())),
                Bind::Int(i) => (list.bind(*i), count.bind(*i)),
            };
        }
        let rows = list.bind(offset).fetch_all(self.db()).await?;
        let (total,) = count.fetch_one(self.db()).await?;
        Ok((rows, total))
    }

    /// Creates (`id` None) or updates an article. An update based on an older version than
    /// the stored one is refused with who changed it and when. Saving a published article
    /// keeps the previous text as a revision; a changed slug is remembered.
    pub async fn save_article(
        &self,
        id: Option<i64>,
        base_version: i64,
        d: &ArticleDraft,
        by: i64,
        now: i64,
    ) -> Result<std::result::Result<i64, StaleSave>> {
        let mut tx = self.begin().await?;
        let (article_id, was_visible, old_published_at) = match id {
            None => {
                let (new_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO articles (title, slug, body_html, excerpt, status, author_id, primary_category_id, \
                     created_at, updated_at, version, updated_by) VALUES ($1, $2, '', '', 'draft', $3, NULL, $4, $4, 0, $5) RETURNING id",
                )
                .bind(&d.title)
                .bind(&d.slug)
                .bind(d.author_id)
                .bind(now)
                .bind(by)
                .fetch_one(&mut *tx)
                .await?;
                (new_id, false, None)
            }
            Some(id) => {
                let current = sqlx::query_as::<_, (i64, String, String, String, String, String, Option<i64>, i64, Option<String>)>(
                    "SELECT a.version, a.status, a.title, a.slug, a.body_html, a.excerpt, a.published_at, a.updated_at, p.name \
                     FROM articles a LEFT JOIN people p ON p.id = a.updated_by WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("article"))?;
                let (version, status, title, slug, body, excerpt, published_at, updated_at, changed_by) = current;
                if version != base_version {
                    return Ok(Err(StaleSave {
                        changed_by: changed_by.unwrap_or_default(),
                        changed_at: updated_at,
                        current_version: version,
                    }));
                }
                if status == "published" {
                    sqlx::query(
                        "INSERT INTO article_revisions (article_id, version, title, slug, body_html, excerpt, saved_by, saved_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(&title)
                    .bind(&slug)
                    .bind(&body)
                    .bind(&excerpt)
                    .bind(by)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                if slug != d.slug && !slug.is_empty() {
                    sqlx::query(
                        "INSERT INTO article_slugs (article_id, slug, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (article_id, slug) DO NOTHING",
                    )
                    .bind(id)
                    .bind(&slug)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                (id, status == "published", published_at)
            }
        };
        let published_at = match d.state {
            PublishState::Published => Some(old_published_at.unwrap_or(now)),
            PublishState::Scheduled => d.publish_at,
            _ => old_published_at,
        };
        // Readers are told a story changed only when it was already public.
        let modified_at = (was_visible && d.state == PublishState::Published).then_some(now);
        sqlx::query(
            "UPDATE articles SET title = $1, slug = $2, body_html = $3, excerpt = $4, status = $5, author_id = $6, \
             primary_category_id = $7, publish_at = $8, published_at = $9, \
             modified_at = COALESCE($10, modified_at), updated_at = $11, version = version + 1, updated_by = $12 \
             WHERE id = $13",
        )
        .bind(&d.title)
        .bind(&d.slug)
        .bind(&d.body_html)
        .bind(&d.excerpt)
        .bind(d.state.as_str())
        .bind(d.author_id)
        .bind(d.primary_category_id)
        .bind(d.publish_at)
        .bind(published_at)
        .bind(modified_at)
        .bind(now)
        .bind(by)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        crate::articles::file_article(&mut tx, article_id, d.primary_category_id, &d.other_category_ids, &d.tag_ids).await?;
        sqlx::query("DELETE FROM autosaves WHERE article_id = $1 AND person_id = $2")
            .bind(article_id)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        let now_visible = d.state == PublishState::Published;
        let event = match (was_visible, now_visible) {
            (false, true) => Event::ArticlePublished { id: article_id, scheduled: false },
            (true, false) => Event::ArticleUnpublished { id: article_id },
            (true, true) => Event::ArticleChanged { id: article_id },
            (false, false) => Event::DraftChanged { id: article_id },
        };
        self.record(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(Ok(article_id))
    }

    /// Publishes every scheduled article that is due. The conditional UPDATE claims each row
    /// under its row lock, so with any number of instances each article is published once.
    pub async fn publish_due(&self, now: i64) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let rows: Vec<(i64,)> = sqlx::query_as(
            "UPDATE articles SET status = 'published', published_at = COALESCE(publish_at, $1), \
             updated_at = $1, version = version + 1 \
             WHERE status = 'scheduled' AND publish_at <= $1 RETURNING id",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for (id,) in &rows {
            crate::articles::sync_listing_dates(&mut tx, *id).await?;
            self.record(&mut tx, Event::ArticlePublished { id: *id, scheduled: true }, now).await?;
        }
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn revisions(&self, article_id: i64) -> Result<Vec<Revision>> {
        Ok(sqlx::query_as::<_, Revision>(
            "SELECT r.id, r.article_id, r.version, r.title, r.slug, r.body_html, r.excerpt, p.name AS saved_by_name, r.saved_at \
             FROM article_revisions r LEFT JOIN people p ON p.id = r.saved_by WHERE r.article_id = $1 ORDER BY r.id DESC",
        )
        .bind(article_id)
        .fetch_all(self.db())
        .await?)
    }

    pub async fn revision(&self, article_id: i64, revision_id: i64) -> Result<Option<Revision>> {
        Ok(sqlx::query_as::<_, Revision>(
            "SELECT r.id, r.article_id, r.version, r.title, r.slug, r.body_html, r.excerpt, p.name AS saved_by_name, r.saved_at \
             FROM article_revisions r LEFT JOIN people p ON p.id = r.saved_by WHERE r.article_id = $1 AND r.id = $2",
        )
        .bind(article_id)
        .bind(revision_id)
        .fetch_optional(self.db())
        .await?)
    }

    pub async fn save_autosave(&self, article_id: i64, person_id: i64, a: &Autosave) -> Result<()> {
        sqlx::query(
            "INSERT INTO autosaves (article_id, person_id, title, body_html, excerpt, base_version, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (article_id, person_id) DO UPDATE SET \
             title = excluded.title, body_html = excluded.body_html, excerpt = excluded.excerpt, \
             base_version = excluded.base_version, saved_at = excluded.saved_at",
        )
        .bind(article_id)
        .bind(person_id)
        .bind(&a.title)
        .bind(&a.body_html)
        .bind(&a.excerpt)
        .bind(a.base_version)
        .bind(a.saved_at)
        .execute(self.db())
        .await?;
        Ok(())
    }

    pub async fn autosave(&self, article_id: i64, person_id: i64) -> Result<Option<Autosave>> {
        Ok(sqlx::query_as::<_, Autosave>(
            "SELECT title, body_html, excerpt, base_version, saved_at FROM autosaves WHERE article_id = $1 AND person_id = $2",
        )
        .bind(article_id)
        .bind(person_id)
        .fetch_optional(self.db())
        .await?)
    }

    pub async fn discard_autosave(&self, article_id: i64, person_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM autosaves WHERE article_id = $1 AND person_id = $2")
            .bind(article_id)
            .bind(person_id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Tag ids for names typed in the editor, creating the missing ones.
    pub async fn tags_for_names(&self, names: &[String], now: i64) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for name in names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let mut slug = nashir_arabic::slugify(name);
            if slug.is_empty() || nashir_core::is_reserved_slug(&slug) {
                slug = format!("tag-{}", slug);
            }
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM tags WHERE slug = $1 OR name = $2")
                .bind(&slug)
                .bind(name)
                .fetch_optional(self.db())
                .await?;
            let id = match found {
                Some((id,)) => id,
                None => {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
                    )
                    .bind(&slug)
                    .bind(name)
                    .bind(now)
                    .fetch_one(self.db())
                    .await?;
                    id
                }
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}
