//! The media library's rows: a photo as uploaded (its hash, format and size), what the
//! newsroom says of it (title, alt text, caption, credit), and the work of writing its
//! variants, claimed by one worker at a time under a lease.

use crate::{Result, Store};

/// A photo of the library.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Media {
    pub id: i64,
    /// Hex SHA-256 of the uploaded file: its files are named by it.
    pub hash: String,
    /// `jpeg`, `png`, `gif` or `webp`.
    pub format: String,
    pub original_name: String,
    /// Upright size, in pixels.
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// `processing`, `ready` or `failed`.
    pub status: String,
    pub variants_done: i64,
    pub variants_total: i64,
    pub last_error: Option<String>,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A photo to add: checked already, its file stored where the worker will find it.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub hash: String,
    pub format: String,
    pub original_name: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub variants_total: i64,
    pub uploaded_by: Option<i64>,
}

/// What the newsroom writes about a photo.
#[derive(Debug, Clone, Default)]
pub struct MediaText {
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

const COLUMNS: &str = "id, hash, format, original_name, width, height, bytes, title, alt, caption, credit, status, \
                       variants_done, variants_total, last_error, uploaded_by, created_at, updated_at";

/// `COLUMNS` read through the alias `m` (queries that join `media m`).
fn joined_columns() -> String {
    COLUMNS.split(", ").map(|c| format!("m.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

/// A worker gives a photo up after this many tries.
pub const MAX_MEDIA_ATTEMPTS: i64 = 3;

impl Store {
    /// Adds a photo waiting for its variants (or returns the one already holding the same
    /// file: uploading twice does not duplicate it).
    pub async fn add_media(&self, m: &NewMedia, now: i64) -> Result<(i64, bool)> {
        if let Some((id,)) = sqlx::query_as::<_, (i64,)>("SELECT id FROM media WHERE hash = $1 ORDER BY id LIMIT 1")
            .bind(&m.hash)
            .fetch_optional(self.db())
            .await?
        {
            return Ok((id, false));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO media (hash, format, original_name, width, height, bytes, title, alt, caption, credit, status, \
             variants_total, uploaded_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'processing', $11, $12, $13, $13) RETURNING id",
        )
        .bind(&m.hash)
        .bind(&m.format)
        .bind(&m.original_name)
        .bind(m.width)
        .bind(m.height)
        .bind(m.bytes)
        .bind(&m.title)
        .bind(&m.alt)
        .bind(&m.caption)
        .bind(&m.credit)
        .bind(m.variants_total)
        .bind(m.uploaded_by)
        .bind(now)
        .fetch_one(self.db())
        .await?;
        Ok((id, true))
    }

    pub async fn media(&self, id: i64) -> Result<Option<Media>> {
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM media WHERE id = $1")))
            .bind(id)
            .fetch_optional(self.db())
            .await?)
    }

    /// The library, newest first, searched by title, alt text, caption and credit.
    pub async fn media_list(&self, query: &str, limit: u32, offset: u64) -> Result<Vec<Media>> {
        let pattern = format!("%{}%", query.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM media WHERE $1 = '%%' OR title LIKE $1 ESCAPE '\\' OR alt LIKE $1 ESCAPE '\\' \
             OR caption LIKE $1 ESCAPE '\\' OR credit LIKE $1 ESCAPE '\\' OR original_name LIKE $1 ESCAPE '\\' \
             ORDER BY created_at DESC, id DESC LIMIT {limit} OFFSET $2"
        )))
        .bind(pattern)
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(self.db())
        .await?)
    }

    pub async fn update_media_text(&self, id: i64, t: &MediaText, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE media SET title = $1, alt = $2, caption = $3, credit = $4, updated_at = $5 WHERE id = $6")
            .bind(&t.title)
            .bind(&t.alt)
            .bind(&t.caption)
            .bind(&t.credit)
            .bind(now)
            .bind(id)
            .execute(self.db())
            .await?;
        if done.rows_affected() > 0 {
            // Pages showing the photo show its alt text and credit.
            let mut tx = self.begin().await?;
            self.record(&mut tx, crate::Event::MediaChanged { id }, now).await?;
            tx.commit().await?;
        }
        Ok(done.rows_affected() > 0)
    }

    /// Articles that use a photo (as their featured image), newest first: (id, title).
    pub async fn media_usage(&self, id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as("SELECT id, title FROM articles WHERE featured_media_id = $1 ORDER BY updated_at DESC, id DESC")
            .bind(id)
            .fetch_all(self.db())
            .await?)
    }

    /// Deletes a photo no article uses; false when one does (or it is gone).
    pub async fn delete_unused_media(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM media WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM articles WHERE featured_media_id = $1)")
            .bind(id)
            .execute(self.db())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether a photo of the library still has files named by this hash.
    pub async fn media_hash_in_use(&self, hash: &str) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM media WHERE hash = $1 LIMIT 1").bind(hash).fetch_optional(self.db()).await?;
        Ok(row.is_some())
    }

    /// Claims the oldest photo still waiting for its variants, for `lease_micros`.
    pub async fn claim_media_work(&self, now: i64, lease_micros: i64) -> Result<Option<Media>> {
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!(
            "UPDATE media SET claimed_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM media WHERE status = 'processing' AND (claimed_until IS NULL OR claimed_until < $1) \
                         ORDER BY id LIMIT 1) \
               AND status = 'processing' AND (claimed_until IS NULL OR claimed_until < $1) \
             RETURNING {COLUMNS}"
        )))
        .bind(now)
        .bind(now + lease_micros)
        .fetch_optional(self.db())
        .await?)
    }

    /// Records a variant written (progress), renewing the lease.
    pub async fn media_progress(&self, id: i64, done: i64, now: i64, lease_micros: i64) -> Result<()> {
        sqlx::query("UPDATE media SET variants_done = $1, claimed_until = $2 WHERE id = $3")
            .bind(done)
            .bind(now + lease_micros)
            .bind(id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    pub async fn media_ready(&self, id: i64, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE media SET status = 'ready', claimed_until = NULL, last_error = NULL, variants_done = variants_total, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, crate::Event::MediaChanged { id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A try failed: tried again (after the lease) until `MAX_MEDIA_ATTEMPTS`, then failed.
    pub async fn media_failed(&self, m: &Media, attempts: i64, error: &str, permanent: bool, now: i64) -> Result<()> {
        let give_up = permanent || attempts >= MAX_MEDIA_ATTEMPTS;
        sqlx::query("UPDATE media SET status = $1, last_error = $2, claimed_until = $3, updated_at = $4 WHERE id = $5")
            .bind(if give_up { "failed" } else { "processing" })
            .bind(error)
            .bind(now + 5_000_000)
            .bind(now)
            .bind(m.id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Tries so far of a photo's work.
    pub async fn media_attempts(&self, id: i64) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT attempts FROM media WHERE id = $1").bind(id).fetch_one(self.db()).await?;
        Ok(n)
    }

    /// Sets (or clears) an article's featured photo.
    pub async fn set_featured_media(&self, article_id: i64, media_id: Option<i64>, now: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE articles SET featured_media_id = $1, updated_at = $2 WHERE id = $3")
            .bind(media_id)
            .bind(now)
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.record(&mut tx, crate::Event::ArticleChanged { id: article_id }, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The featured photo of an article, whatever its state.
    pub async fn featured_media_of(&self, article_id: i64) -> Result<Option<Media>> {
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM media m JOIN articles a ON a.featured_media_id = m.id WHERE a.id = $1",
            joined_columns()
        )))
        .bind(article_id)
        .fetch_optional(self.db())
        .await?)
    }

    /// Records that an old upload path is now a library photo.
    pub async fn add_media_source(&self, path: &str, media_id: i64) -> Result<()> {
        sqlx::query("INSERT INTO media_sources (path, media_id) VALUES ($1, $2) ON CONFLICT (path) DO UPDATE SET media_id = $2")
            .bind(path)
            .bind(media_id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// The library photo an old upload path became.
    pub async fn media_by_source(&self, path: &str) -> Result<Option<Media>> {
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM media m JOIN media_sources s ON s.media_id = m.id WHERE s.path = $1",
            joined_columns()
        )))
        .bind(path)
        .fetch_optional(self.db())
        .await?)
    }

    /// Gives articles whose imported featured image is `image_url` the library photo
    /// instead (when they have none yet); returns how many.
    pub async fn adopt_featured_image(&self, image_url: &str, media_id: i64, now: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM articles WHERE featured_image = $1 AND featured_media_id IS NULL")
            .bind(image_url)
            .fetch_all(&mut *tx)
            .await?;
        for (id,) in &ids {
            sqlx::query("UPDATE articles SET featured_media_id = $1 WHERE id = $2").bind(media_id).bind(*id).execute(&mut *tx).await?;
        }
        if !ids.is_empty() {
            self.record(&mut tx, crate::Event::MediaChanged { id: media_id }, now).await?;
        }
        tx.commit().await?;
        Ok(ids.len() as u64)
    }

    /// Replaces a photo's file: the row takes the new upload (its files to be made again)
    /// and the old files' names are kept to redirect. Returns the old hash.
    pub async fn replace_media_file(&self, id: i64, new: &NewMedia, now: i64) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        let old: Option<(String,)> = sqlx::query_as("SELECT hash FROM media WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some((old_hash,)) = old else { return Ok(None) };
        if old_hash != new.hash {
            sqlx::query("INSERT INTO media_replaced (old_prefix, media_id) VALUES ($1, $2) ON CONFLICT (old_prefix) DO UPDATE SET media_id = $2")
                .bind(&old_hash[..20.min(old_hash.len())])
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE media SET hash = $1, format = $2, original_name = $3, width = $4, height = $5, bytes = $6, status = 'processing', \
             variants_done = 0, variants_total = $7, claimed_until = NULL, attempts = 0, last_error = NULL, updated_at = $8 WHERE id = $9",
        )
        .bind(&new.hash)
        .bind(&new.format)
        .bind(&new.original_name)
        .bind(new.width)
        .bind(new.height)
        .bind(new.bytes)
        .bind(new.variants_total)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.record(&mut tx, crate::Event::MediaChanged { id }, now).await?;
        tx.commit().await?;
        Ok(Some(old_hash))
    }

    /// The photo whose old files were named by `prefix`, if its file was replaced.
    pub async fn media_replaced(&self, prefix: &str) -> Result<Option<Media>> {
        Ok(sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM media m JOIN media_replaced r ON r.media_id = m.id WHERE r.old_prefix = $1",
            joined_columns()
        )))
        .bind(prefix)
        .fetch_optional(self.db())
        .await?)
    }
}
