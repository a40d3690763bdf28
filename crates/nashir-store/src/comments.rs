//! Reader comments: stored with the commenter's email for moderation; only approved
//! comments are ever read back for a public page.

use nashir_core::{Comment, CommentStatus, NewComment};

use crate::{Event, Result, Store, StoreError};


#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    article_id: i64,
    parent_id: Option<i64>,
    author_name: String,
    author_url: Option<String>,
    body: String,
    status: String,
    created_at: i64,
}

/// Inserts a comment inside the caller's transaction (reader comments and imports).
pub(crate) async fn insert_comment(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: &NewComment) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.article_id)
    .bind(c.parent_id)
    .bind(&c.author_name)
    .bind(&c.author_email)
    .bind(c.author_url.as_deref())
    .bind(&c.body)
    .bind(c.status.as_str())
    .bind(c.created_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    pub async fn create_comment(&self, c: &NewComment, now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = insert_comment(&mut tx, c).await?;
        if c.status == CommentStatus::Approved {
            self.record(&mut tx, Event::CommentApproved { id, article_id: c.article_id }, now)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Approved comments of an article, oldest first. The email column is not even read.
    pub async fn approved_comments(&self, article_id: i64) -> Result<Vec<Comment>> {
        let rows = sqlx::query_as::<_, CommentRow>(
            "SELECT id, article_id, parent_id, author_name, author_url, body, status, created_at \
             FROM comments WHERE article_id = $1 AND status = 'approved' ORDER BY created_at, id",
        )
        .bind(article_id)
        .fetch_all(self.db())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Comment {
                    id: r.id,
                    article_id: r.article_id,
                    parent_id: r.parent_id,
                    author_name: r.author_name,
                    author_email: String::new(),
                    author_url: r.author_url,
                    body: r.body,
                    status: r.status.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    created_at: r.created_at,
                })
            })
            .collect()
    }
}
