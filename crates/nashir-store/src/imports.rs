//! Imported records: each write is keyed on (source site, kind, source id) and done in one
//! transaction with its old URLs and outbox event, so re-running an import updates instead
//! of duplicating and an import killed at any moment leaves nothing half-written.

use nashir_core::PublishState;
use serde::Serialize;
use sqlx::{Any, Transaction};

use nashir_import::{NewCategory, NewPage, NewPerson, NewTag, Sink, Upserted};

use crate::{Event, NewArticle, NewComment, Result, Store, StoreError, bool_int};

/// A static page as the public site shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Page {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub title: String,
    pub body_html: String,
    #[sqlx(rename = "status", try_from = "String")]
    pub state: PublishState,
    pub menu_order: i64,
    pub updated_at: i64,
}

async fn key(tx: &mut Transaction<'_, Any>, source: &str, kind: &str, source_id: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT local_id FROM import_keys WHERE source = $1 AND kind = $2 AND source_id = $3")
            .bind(source)
            .bind(kind)
            .bind(source_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|r| r.0))
}

async fn set_key(tx: &mut Transaction<'_, Any>, source: &str, kind: &str, source_id: &str, local_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO import_keys (source, kind, source_id, local_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (source, kind, source_id) DO UPDATE SET local_id = excluded.local_id",
    )
    .bind(source)
    .bind(kind)
    .bind(source_id)
    .bind(local_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn redirect(tx: &mut Transaction<'_, Any>, old_path: &str, target: &str, now: i64) -> Result<()> {
    if old_path.is_empty() || old_path == "/" {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO redirects (old_path, target, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (old_path) DO UPDATE SET target = excluded.target",
    )
    .bind(old_path)
    .bind(target)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A slug no other article uses: `base`, then `base-2`, `base-3`… within 80 characters.
async fn free_article_slug(tx: &mut Transaction<'_, Any>, base: &str, except: i64) -> Result<String> {
    let mut candidate = base.to_owned();
    let mut n = 2;
    loop {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM articles WHERE slug = $1 AND id <> $2 LIMIT 1")
            .bind(&candidate)
            .bind(except)
            .fetch_optional(&mut **tx)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
        let suffix = format!("-{n}");
        let keep = nashir_arabic::MAX_SLUG_CHARS.saturating_sub(suffix.chars().count());
        candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>().trim_end_matches('-'));
        n += 1;
    }
}

impl Store {
    pub async fn imported_id(&self, source: &str, kind: &str, source_id: &str) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let id = key(&mut tx, source, kind, source_id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes (or rewrites) an imported article with its filing, tags, old paths and event.
    pub async fn import_article(
        &self,
        source: &str,
        source_id: &str,
        a: &NewArticle,
        old_paths: &[String],
        now: i64,
    ) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let existing = key(&mut tx, source, "post", source_id).await?;
        let slug = free_article_slug(&mut tx, &a.slug, existing.unwrap_or(-1)).await?;
        let outcome = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE articles SET title = $1, slug = $2, body_html = $3, excerpt = $4, featured_image = $5, \
                     status = $6, author_id = $7, primary_category_id = $8, published_at = $9, publish_at = $10, \
                     modified_at = $11, updated_at = $12, version = version + 1, sticky = $13, comments_open = $15 WHERE id = $14",
                )
                .bind(&a.title)
                .bind(&slug)
                .bind(&a.body_html)
                .bind(&a.excerpt)
                .bind(a.featured_image.as_deref())
                .bind(a.state.as_str())
                .bind(a.author_id)
                .bind(a.primary_category_id)
                .bind(a.published_at)
                .bind((a.state == PublishState::Scheduled).then_some(a.published_at).flatten())
                .bind(a.modified_at)
                .bind(now)
                .bind(bool_int(a.sticky))
                .bind(id)
                .bind(bool_int(a.comments_open))
                .execute(&mut *tx)
                .await?;
                Upserted::Updated(id)
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO articles (title, slug, body_html, excerpt, featured_image, status, author_id, \
                     primary_category_id, published_at, publish_at, modified_at, created_at, updated_at, version, sticky, comments_open) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1, $13, $14) RETURNING id",
                )
                .bind(&a.title)
                .bind(&slug)
                .bind(&a.body_html)
                .bind(&a.excerpt)
                .bind(a.featured_image.as_deref())
                .bind(a.state.as_str())
                .bind(a.author_id)
                .bind(a.primary_category_id)
                .bind(a.published_at)
                .bind((a.state == PublishState::Scheduled).then_some(a.published_at).flatten())
                .bind(a.modified_at)
                .bind(now)
                .bind(bool_int(a.sticky))
                .bind(bool_int(a.comments_open))
                .fetch_one(&mut *tx)
                .await?;
                set_key(&mut tx, source, "post", source_id, id).await?;
                Upserted::Created(id)
            }
        };
        let id = outcome.id();
        crate::articles::file_article(&mut tx, id, a.primary_category_id, &a.other_category_ids, &a.tag_ids).await?;
        for path in old_paths {
            redirect(&mut tx, path, &format!("article:{id}"), now).await?;
        }
        let event = if a.state == PublishState::Published {
            Event::ArticlePublished { id, scheduled: false }
        } else {
            Event::ArticleChanged { id }
        };
        self.record(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    pub async fn import_page(&self, source: &str, source_id: &str, p: &NewPage, old_paths: &[String], now: i64) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let existing = key(&mut tx, source, "page", source_id).await?;
        // Sibling pages need distinct slugs; an imported duplicate gets a suffix.
        let mut slug = p.slug.clone();
        let mut n = 2;
        loop {
            let taken: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM pages WHERE COALESCE(parent_id, 0) = $1 AND slug = $2 AND id <> $3 LIMIT 1",
            )
            .bind(p.parent_id.unwrap_or(0))
            .bind(&slug)
            .bind(existing.unwrap_or(-1))
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_none() {
                break;
            }
            slug = format!("{}-{n}", p.slug);
            n += 1;
        }
        let outcome = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE pages SET parent_id = $1, slug = $2, title = $3, body_html = $4, status = $5, \
                     menu_order = $6, author_id = $7, updated_at = $8 WHERE id = $9",
                )
                .bind(p.parent_id)
                .bind(&slug)
                .bind(&p.title)
                .bind(&p.body_html)
                .bind(p.state.as_str())
                .bind(p.menu_order)
                .bind(p.author_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Upserted::Updated(id)
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO pages (parent_id, slug, title, body_html, status, menu_order, author_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(p.parent_id)
                .bind(&slug)
                .bind(&p.title)
                .bind(&p.body_html)
                .bind(p.state.as_str())
                .bind(p.menu_order)
                .bind(p.author_id)
                .bind(p.created_at)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                set_key(&mut tx, source, "page", source_id, id).await?;
                Upserted::Created(id)
            }
        };
        for path in old_paths {
            redirect(&mut tx, path, &format!("page:{}", outcome.id()), now).await?;
        }
        self.record(&mut tx, Event::PageChanged { id: outcome.id() }, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// A comment keyed on its source id; the caller resolves the article and parent ids.
    pub async fn import_comment(&self, source: &str, source_id: &str, c: &NewComment, now: i64) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let outcome = match key(&mut tx, source, "comment", source_id).await? {
            Some(id) => {
                let before: Option<(i64,)> =
                    sqlx::query_as("SELECT article_id FROM comments WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                sqlx::query(
                    "UPDATE comments SET article_id = $1, parent_id = $2, author_name = $3, author_email = $4, \
                     author_url = $5, body = $6, status = $7, created_at = $8, text_key = $9 WHERE id = $10",
                )
                .bind(c.article_id)
                .bind(c.parent_id)
                .bind(&c.author_name)
                .bind(c.author_email.trim().to_lowercase())
                .bind(c.author_url.as_deref())
                .bind(&c.body)
                .bind(c.status.as_str())
                .bind(c.created_at)
                .bind(crate::comments::text_key(&c.body))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if let Some((old_article,)) = before.filter(|(a,)| *a != c.article_id) {
                    crate::comments::recount(&mut tx, old_article).await?;
                }
                crate::comments::recount(&mut tx, c.article_id).await?;
                Upserted::Updated(id)
            }
            None => {
                let id = crate::comments::insert_comment(&mut tx, c).await?;
                set_key(&mut tx, source, "comment", source_id, id).await?;
                Upserted::Created(id)
            }
        };
        self.record(&mut tx, Event::CommentChanged { id: outcome.id(), article_id: c.article_id }, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// A category keyed on its source nicename; an existing category with the same slug
    /// under the same parent is adopted rather than duplicated.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_category(
        &self,
        source: &str,
        source_id: &str,
        parent_id: Option<i64>,
        slug: &str,
        name: &str,
        description: &str,
        old_path: Option<&str>,
        now: i64,
    ) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let outcome = match key(&mut tx, source, "category", source_id).await? {
            Some(id) => {
                sqlx::query("UPDATE categories SET parent_id = $1, name = $2, description = $3 WHERE id = $4")
                    .bind(parent_id)
                    .bind(name)
                    .bind(description)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Upserted::Updated(id)
            }
            None => {
                let found: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM categories WHERE COALESCE(parent_id, 0) = $1 AND slug = $2")
                        .bind(parent_id.unwrap_or(0))
                        .bind(slug)
                        .fetch_optional(&mut *tx)
                        .await?;
                let id = match found {
                    Some((id,)) => id,
                    None => {
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO categories (parent_id, slug, name, description, position, created_at) \
                             VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
                        )
                        .bind(parent_id)
                        .bind(slug)
                        .bind(name)
                        .bind(description)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                        id
                    }
                };
                set_key(&mut tx, source, "category", source_id, id).await?;
                Upserted::Created(id)
            }
        };
        if let Some(path) = old_path {
            redirect(&mut tx, path, &format!("category:{}", outcome.id()), now).await?;
        }
        self.record(&mut tx, Event::CategoryChanged { id: outcome.id(), deleted: false }, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// A tag found or created by slug.
    pub async fn import_tag(&self, slug: &str, name: &str, old_path: Option<&str>, now: i64) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let existed: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM tags WHERE slug = $1").bind(slug).fetch_optional(&mut *tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(path) = old_path {
            redirect(&mut tx, path, &format!("tag:{id}"), now).await?;
        }
        tx.commit().await?;
        Ok(if existed.is_some() { Upserted::Updated(id) } else { Upserted::Created(id) })
    }

    /// An author keyed on their login; a person with the same email is adopted. Imported
    /// people get no password: they set one through the newsroom.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_person(
        &self,
        source: &str,
        login: &str,
        slug: &str,
        name: &str,
        email: Option<&str>,
        old_path: Option<&str>,
        now: i64,
    ) -> Result<Upserted> {
        let mut tx = self.begin().await?;
        let outcome = match key(&mut tx, source, "person", login).await? {
            Some(id) => {
                sqlx::query("UPDATE people SET name = $1 WHERE id = $2").bind(name).bind(id).execute(&mut *tx).await?;
                Upserted::Updated(id)
            }
            None => {
                let by_email: Option<(i64,)> = match email {
                    Some(e) => sqlx::query_as("SELECT id FROM people WHERE lower(email) = lower($1)")
                        .bind(e)
                        .fetch_optional(&mut *tx)
                        .await?,
                    None => None,
                };
                let id = match by_email {
                    Some((id,)) => id,
                    None => {
                        let mut candidate = slug.to_owned();
                        let mut n = 2;
                        loop {
                            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM people WHERE slug = $1")
                                .bind(&candidate)
                                .fetch_optional(&mut *tx)
                                .await?;
                            if taken.is_none() {
                                break;
                            }
                            candidate = format!("{slug}-{n}");
                            n += 1;
                        }
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO people (slug, name, email, bio, role, created_at) VALUES ($1, $2, $3, '', 'author', $4) RETURNING id",
                        )
                        .bind(&candidate)
                        .bind(name)
                        .bind(email)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                        id
                    }
                };
                set_key(&mut tx, source, "person", login, id).await?;
                Upserted::Created(id)
            }
        };
        if let Some(path) = old_path {
            redirect(&mut tx, path, &format!("author:{}", outcome.id()), now).await?;
        }
        // An author's name shows on cards and pages already published.
        self.record(&mut tx, Event::PersonChanged { id: outcome.id() }, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Records an extra old URL (such as a JSON Lines record's `url`).
    pub async fn add_redirect(&self, old_path: &str, target: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        redirect(&mut tx, old_path, target, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn redirect_target(&self, old_path: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT target FROM redirects WHERE old_path = $1")
            .bind(old_path)
            .fetch_optional(self.db())
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn pages(&self) -> Result<Vec<Page>> {
        Ok(sqlx::query_as::<_, Page>(
            "SELECT id, parent_id, slug, title, body_html, status, menu_order, updated_at FROM pages ORDER BY menu_order, id",
        )
        .fetch_all(self.db())
        .await?)
    }

    pub async fn page(&self, id: i64) -> Result<Option<Page>> {
        Ok(sqlx::query_as::<_, Page>(
            "SELECT id, parent_id, slug, title, body_html, status, menu_order, updated_at FROM pages WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db())
        .await?)
    }

    /// The slug and primary category of an article (for redirects), whatever its state.
    pub async fn article_slug(&self, id: i64) -> Result<Option<(String, String)>> {
        Ok(sqlx::query_as("SELECT slug, status FROM articles WHERE id = $1").bind(id).fetch_optional(self.db()).await?)
    }

    pub async fn tag_by_id(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT slug FROM tags WHERE id = $1").bind(id).fetch_optional(self.db()).await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn count_rows(&self, table: ImportTable) -> Result<i64> {
        let sql = match table {
            ImportTable::Articles => "SELECT COUNT(*) FROM articles",
            ImportTable::Pages => "SELECT COUNT(*) FROM pages",
            ImportTable::Comments => "SELECT COUNT(*) FROM comments",
            ImportTable::Categories => "SELECT COUNT(*) FROM categories",
            ImportTable::Tags => "SELECT COUNT(*) FROM tags",
            ImportTable::People => "SELECT COUNT(*) FROM people",
            ImportTable::Redirects => "SELECT COUNT(*) FROM redirects",
        };
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(self.db()).await?;
        Ok(n)
    }
}

/// Tables whose size import summaries and tests report.
#[derive(Debug, Clone, Copy)]
pub enum ImportTable {
    Articles,
    Pages,
    Comments,
    Categories,
    Tags,
    People,
    Redirects,
}

impl Store {
    /// Replaces text in an article's body: the placeholders an import leaves for what it
    /// knows only after the stream (a gallery's images).
    pub async fn replace_in_article_body(&self, article_id: i64, replacements: &[(String, String)]) -> Result<()> {
        let mut tx = self.begin().await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT body_html FROM articles WHERE id = $1").bind(article_id).fetch_optional(&mut *tx).await?;
        let Some((body,)) = row else { return Ok(()) };
        let replaced = replacements.iter().fold(body.clone(), |b, (from, to)| b.replace(from.as_str(), to));
        if replaced != body {
            sqlx::query("UPDATE articles SET body_html = $1 WHERE id = $2").bind(&replaced).bind(article_id).execute(&mut *tx).await?;
            self.record(&mut tx, Event::ArticleChanged { id: article_id }, crate::now_micros()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets an article's featured image (imports resolve it after the stream).
    pub async fn set_featured_image(&self, article_id: i64, url: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE articles SET featured_image = $1 WHERE id = $2").bind(url).bind(article_id).execute(&mut *tx).await?;
        // Readers see the image on cards: a change like any other.
        self.record(&mut tx, Event::ArticleChanged { id: article_id }, crate::now_micros()).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The importers write through the store: each record one keyed transaction.
impl Sink for Store {
    type Error = StoreError;

    async fn imported_id(&self, source: &str, kind: &str, source_id: &str) -> Result<Option<i64>> {
        Store::imported_id(self, source, kind, source_id).await
    }

    async fn person(&self, source: &str, p: &NewPerson<'_>, now: i64) -> Result<Upserted> {
        self.import_person(source, p.login, p.slug, p.name, p.email, p.old_path, now).await
    }

    async fn person_by_email(&self, email: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM people WHERE LOWER(email) = LOWER($1) ORDER BY id LIMIT 1")
            .bind(email.trim())
            .fetch_optional(self.db())
            .await?;
        Ok(row.map(|r| r.0))
    }

    async fn category(&self, source: &str, c: &NewCategory<'_>, now: i64) -> Result<Upserted> {
        self.import_category(source, c.key, c.parent_id, c.slug, c.name, c.description, c.old_path, now).await
    }

    async fn tag(&self, t: &NewTag<'_>, now: i64) -> Result<Upserted> {
        self.import_tag(t.slug, t.name, t.old_path, now).await
    }

    async fn article(&self, source: &str, source_id: &str, a: &NewArticle, old_paths: &[String], now: i64) -> Result<Upserted> {
        self.import_article(source, source_id, a, old_paths, now).await
    }

    async fn comment(&self, source: &str, source_id: &str, c: &NewComment, now: i64) -> Result<Upserted> {
        self.import_comment(source, source_id, c, now).await
    }

    async fn page(&self, source: &str, source_id: &str, p: &NewPage, old_paths: &[String], now: i64) -> Result<Upserted> {
        self.import_page(source, source_id, p, old_paths, now).await
    }

    async fn featured_image(&self, article_id: i64, url: &str) -> Result<()> {
        self.set_featured_image(article_id, url).await
    }

    async fn replace_in_body(&self, article_id: i64, replacements: &[(String, String)]) -> Result<()> {
        self.replace_in_article_body(article_id, replacements).await
    }

    async fn nav_bar(&self, links: &[nashir_import::NavEntry], now: i64) -> Result<()> {
        let links: Vec<crate::NavLink> =
            links.iter().map(|l| crate::NavLink { label: l.label.clone(), category_id: l.category_id, url: l.url.clone() }).collect();
        self.set_nav_links(&links, now).await
    }
}
