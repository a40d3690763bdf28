//! Reader comments: written with the commenter's email (in lower case) and address for
//! moderation; only approved comments are ever read back for a public page, and the email
//! and address columns are never read by a public query. Each article's approved count is
//! kept in `comment_counts` in the transaction that changes it.

use nashir_core::comments::{History, Moderation, moderate, normalize_for_matching};
use nashir_core::{Comment, CommentStatus, NewComment};
use sha2::{Digest, Sha256};

use crate::{Event, Result, Store, StoreError};

const DAY_MICROS: i64 = 24 * 3_600_000_000;

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    article_id: i64,
    parent_id: Option<i64>,
    author_name: String,
    author_url: Option<String>,
    body: String,
    #[sqlx(try_from = "String")]
    status: CommentStatus,
    created_at: i64,
    staff_id: Option<i64>,
}

impl From<CommentRow> for Comment {
    fn from(r: CommentRow) -> Self {
        Comment {
            id: r.id,
            article_id: r.article_id,
            parent_id: r.parent_id,
            author_name: r.author_name,
            author_email: String::new(),
            author_url: r.author_url,
            body: r.body,
            status: r.status,
            created_at: r.created_at,
            staff_reply: r.staff_id.is_some(),
        }
    }
}

/// The columns a public comment is made of: never the email or the address.
const PUBLIC_COLUMNS: &str = "c.id, c.article_id, c.parent_id, c.author_name, c.author_url, c.body, c.status, c.created_at, c.staff_id";

/// The key that finds the same text posted twice: a hash of the normalized text.
pub fn text_key(body: &str) -> String {
    hex::encode(Sha256::digest(normalize_for_matching(body).as_bytes()))
}

/// Inserts a comment inside the caller's transaction (reader comments, staff replies,
/// imports) and keeps the article's count.
pub(crate) async fn insert_comment(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: &NewComment) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at, \
         author_ip, staff_id, text_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(c.article_id)
    .bind(c.parent_id)
    .bind(&c.author_name)
    .bind(c.author_email.trim().to_lowercase())
    .bind(c.author_url.as_deref())
    .bind(&c.body)
    .bind(c.status.as_str())
    .bind(c.created_at)
    .bind(c.author_ip.as_deref())
    .bind(c.staff_id)
    .bind(text_key(&c.body))
    .fetch_one(&mut **tx)
    .await?;
    if c.status == CommentStatus::Approved {
        recount(tx, c.article_id).await?;
    }
    Ok(id)
}

/// Sets an article's approved-comment count from its comments.
pub(crate) async fn recount(tx: &mut sqlx::Transaction<'_, sqlx::Any>, article_id: i64) -> Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'approved'")
        .bind(article_id)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO comment_counts (article_id, approved) VALUES ($1, $2) \
         ON CONFLICT (article_id) DO UPDATE SET approved = excluded.approved",
    )
    .bind(article_id)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A comment as the newsroom sees it: with the email, the address and where it stands.
#[derive(Debug, Clone)]
pub struct ModerationRow {
    pub comment: Comment,
    pub email: String,
    /// None once erased by the retention job.
    pub address: Option<String>,
    pub article_title: String,
    pub article_slug: String,
    /// Whether the article is published (the comment can be viewed in place).
    pub article_published: bool,
    /// The name of the comment replied to.
    pub parent_author: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ModerationSqlRow {
    #[sqlx(flatten)]
    comment: CommentRow,
    author_email: String,
    author_ip: Option<String>,
    article_title: String,
    article_slug: String,
    article_status: String,
    parent_author: Option<String>,
}

/// Which comments the moderation queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModerationFilter {
    /// The statuses shown; empty shows every status.
    pub statuses: Vec<CommentStatus>,
    pub article_id: Option<i64>,
    /// Compared in lower case, whole address.
    pub email: Option<String>,
}

impl ModerationFilter {
    /// The WHERE clause (after `WHERE 1 = 1`) and its binds, numbered from `first`.
    fn sql(&self, first: usize) -> (String, Vec<String>) {
        let mut clause = String::new();
        let mut binds = Vec::new();
        if !self.statuses.is_empty() {
            let mut marks = Vec::new();
            for status in &self.statuses {
                binds.push(status.as_str().to_owned());
                marks.push(format!("${}", first + binds.len() - 1));
            }
            clause.push_str(&format!(" AND c.status IN ({})", marks.join(", ")));
        }
        if let Some(email) = &self.email {
            binds.push(email.trim().to_lowercase());
            clause.push_str(&format!(" AND c.author_email = ${}", first + binds.len() - 1));
        }
        if let Some(article) = self.article_id {
            // A number is written into the text: the binds are all text.
            clause.push_str(&format!(" AND c.article_id = {article}"));
        }
        (clause, binds)
    }
}

/// How many comments each status holds under a filter (its own status aside).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub pending: i64,
    pub approved: i64,
    pub spam: i64,
    pub trash: i64,
}

/// How an erasure treats a commenter's comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Deleted; their replies move up to the deleted comment's parent.
    Remove,
    /// Kept with the name "مجهول" and no email, website or address.
    Anonymize,
}

impl Erasure {
    pub fn as_str(self) -> &'static str {
        match self {
            Erasure::Remove => "remove",
            Erasure::Anonymize => "anonymize",
        }
    }
}

/// The name an anonymized comment shows.
pub const ANONYMOUS: &str = "مجهول";

/// What a staff member changes in a comment.
#[derive(Debug, Clone)]
pub struct CommentEdit {
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
}

impl Store {
    /// Writes a comment (a reader's, a staff reply, the demo's), with its outbox event: a
    /// visible comment changes the article's page, a held one only tells the moderators.
    /// `mail` is queued in the same transaction (notifications to moderators).
    pub async fn create_comment_with_mail(&self, c: &NewComment, mail: &[crate::OutgoingMail], now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        if let Some(parent) = c.parent_id {
            let found: Option<(i64, String)> = sqlx::query_as("SELECT article_id, status FROM comments WHERE id = $1")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?;
            if !matches!(found, Some((article, ref status)) if article == c.article_id && status == "approved") {
                return Err(StoreError::NotFound("the comment replied to"));
            }
        }
        let id = insert_comment(&mut tx, c).await?;
        let event = match c.status {
            CommentStatus::Approved => Some(Event::CommentApproved { id, article_id: c.article_id }),
            CommentStatus::Pending => Some(Event::CommentHeld { id, article_id: c.article_id }),
            CommentStatus::Spam | CommentStatus::Trash => None,
        };
        if let Some(event) = event {
            self.record(&mut tx, event, now).await?;
        }
        for m in mail {
            crate::mail::queue(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_comment(&self, c: &NewComment, now: i64) -> Result<i64> {
        self.create_comment_with_mail(c, &[], now).await
    }

    /// What is known about an email and a text: whether the email has an approved comment,
    /// and whether the same text was posted in the day before `now`.
    pub async fn commenter_history(&self, email: &str, body: &str, now: i64) -> Result<(History, bool)> {
        let (approved, repeated): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE author_email = $1 AND status = 'approved' LIMIT 1) a), \
                    (SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE text_key = $2 AND created_at > $3 LIMIT 1) r)",
        )
        .bind(email.trim().to_lowercase())
        .bind(text_key(body))
        .bind(now - DAY_MICROS)
        .fetch_one(self.db())
        .await?;
        Ok((History { email_approved_before: approved > 0 }, repeated > 0))
    }

    /// Comments written from an address since a moment (the cross-instance rate limit).
    pub async fn comments_from_address_since(&self, address: &str, since: i64) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM comments WHERE author_ip = $1 AND created_at > $2")
            .bind(address)
            .bind(since)
            .fetch_one(self.db())
            .await?;
        Ok(n)
    }

    /// Approved comments of an article, oldest first.
    pub async fn approved_comments(&self, article_id: i64) -> Result<Vec<Comment>> {
        let rows = sqlx::query_as::<_, CommentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PUBLIC_COLUMNS} FROM comments c WHERE c.article_id = $1 AND c.status = 'approved' ORDER BY c.created_at, c.id"
        )))
        .bind(article_id)
        .fetch_all(self.db())
        .await?;
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// A comment still waiting for a moderator (its writer's view of it).
    pub async fn held_comment(&self, id: i64, article_id: i64) -> Result<Option<Comment>> {
        let row = sqlx::query_as::<_, CommentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PUBLIC_COLUMNS} FROM comments c WHERE c.id = $1 AND c.article_id = $2 AND c.status = 'pending'"
        )))
        .bind(id)
        .bind(article_id)
        .fetch_optional(self.db())
        .await?;
        Ok(row.map(Comment::from))
    }

    /// Comments waiting for a moderator (the newsroom's navigation shows the number).
    pub async fn pending_comment_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM comments WHERE status = 'pending'").fetch_one(self.db()).await?;
        Ok(n)
    }

    /// Counts per status under a filter (its status ignored).
    pub async fn comment_status_counts(&self, filter: &ModerationFilter) -> Result<StatusCounts> {
        let filter = ModerationFilter { statuses: Vec::new(), ..filter.clone() };
        let (clause, binds) = filter.sql(1);
        let sql = format!("SELECT c.status, COUNT(*) FROM comments c WHERE 1 = 1{clause} GROUP BY c.status");
        let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let mut counts = StatusCounts::default();
        for (status, n) in q.fetch_all(self.db()).await? {
            match status.parse::<CommentStatus>() {
                Ok(CommentStatus::Pending) => counts.pending = n,
                Ok(CommentStatus::Approved) => counts.approved = n,
                Ok(CommentStatus::Spam) => counts.spam = n,
                Ok(CommentStatus::Trash) => counts.trash = n,
                Err(e) => return Err(StoreError::Corrupt(e.to_string())),
            }
        }
        Ok(counts)
    }

    /// One page of the moderation queue, newest first, with the total.
    pub async fn moderation_list(&self, filter: &ModerationFilter, limit: u32, offset: u64) -> Result<(Vec<ModerationRow>, i64)> {
        let (clause, binds) = filter.sql(1);
        let count_sql = format!("SELECT COUNT(*) FROM comments c WHERE 1 = 1{clause}");
        let mut count = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            count = count.bind(b.clone());
        }
        let (total,) = count.fetch_one(self.db()).await?;
        let sql = format!(
            "SELECT {PUBLIC_COLUMNS}, c.author_email, c.author_ip, a.title AS article_title, a.slug AS article_slug, \
             a.status AS article_status, p.author_name AS parent_author \
             FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id \
             WHERE 1 = 1{clause} ORDER BY c.created_at DESC, c.id DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut q = sqlx::query_as::<_, ModerationSqlRow>(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q
            .fetch_all(self.db())
            .await?
            .into_iter()
            .map(|r| ModerationRow {
                comment: r.comment.into(),
                email: r.author_email,
                address: r.author_ip,
                article_title: r.article_title,
                article_slug: r.article_slug,
                article_published: r.article_status == "published",
                parent_author: r.parent_author,
            })
            .collect();
        Ok((rows, total))
    }

    /// One comment for the newsroom (edit form, reply).
    pub async fn comment_for_moderation(&self, id: i64) -> Result<Option<ModerationRow>> {
        let sql = format!(
            "SELECT {PUBLIC_COLUMNS}, c.author_email, c.author_ip, a.title AS article_title, a.slug AS article_slug, \
             a.status AS article_status, p.author_name AS parent_author \
             FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id WHERE c.id = $1"
        );
        let row = sqlx::query_as::<_, ModerationSqlRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.db()).await?;
        Ok(row.map(|r| ModerationRow {
            comment: r.comment.into(),
            email: r.author_email,
            address: r.author_ip,
            article_title: r.article_title,
            article_slug: r.article_slug,
            article_published: r.article_status == "published",
            parent_author: r.parent_author,
        }))
    }

    /// Applies a moderation action to comments in one transaction; those it does not apply
    /// to (approving an approved one) are left alone. Returns how many changed.
    pub async fn moderate_comments(&self, ids: &[i64], action: Moderation, now: i64) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut changed = 0;
        let mut articles = std::collections::BTreeSet::new();
        for &id in ids {
            let found: Option<(i64, String, Option<String>)> =
                sqlx::query_as("SELECT article_id, status, status_before FROM comments WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((article_id, status, before)) = found else { continue };
            let status: CommentStatus = status.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
            let before = before.and_then(|b| b.parse::<CommentStatus>().ok());
            match moderate(action, status, before) {
                Err(()) => continue,
                Ok(Some((to, keep))) => {
                    sqlx::query("UPDATE comments SET status = $1, status_before = $2, updated_at = $3 WHERE id = $4")
                        .bind(to.as_str())
                        .bind(keep.map(CommentStatus::as_str))
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(None) => remove_comment(&mut tx, id).await?,
            }
            changed += 1;
            if articles.insert(article_id) {
                recount(&mut tx, article_id).await?;
            }
            let event = if action == Moderation::Approve {
                Event::CommentApproved { id, article_id }
            } else {
                Event::CommentChanged { id, article_id }
            };
            self.record(&mut tx, event, now).await?;
        }
        // A second comment of an article changed after its first recount.
        for article_id in articles {
            recount(&mut tx, article_id).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// A staff member's edit of a comment's words and author.
    pub async fn edit_comment(&self, id: i64, edit: &CommentEdit, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let found: Option<(i64,)> = sqlx::query_as("SELECT article_id FROM comments WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some((article_id,)) = found else { return Err(StoreError::NotFound("comment")) };
        sqlx::query(
            "UPDATE comments SET author_name = $1, author_email = $2, author_url = $3, body = $4, text_key = $5, updated_at = $6 \
             WHERE id = $7",
        )
        .bind(&edit.author_name)
        .bind(edit.author_email.trim().to_lowercase())
        .bind(edit.author_url.as_deref())
        .bind(&edit.body)
        .bind(text_key(&edit.body))
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.record(&mut tx, Event::CommentChanged { id, article_id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Erases a commenter: every comment written with `email` is removed or anonymized, and
    /// the erasure is logged (who, when, how, how many) without the email. Returns how many
    /// comments it touched.
    pub async fn erase_commenter(&self, email: &str, how: Erasure, by: Option<i64>, now: i64) -> Result<u64> {
        let email = email.trim().to_lowercase();
        let mut tx = self.begin().await?;
        let found: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, article_id FROM comments WHERE author_email = $1 ORDER BY id DESC")
                .bind(&email)
                .fetch_all(&mut *tx)
                .await?;
        match how {
            Erasure::Remove => {
                for (id, _) in &found {
                    remove_comment(&mut tx, *id).await?;
                }
            }
            Erasure::Anonymize => {
                sqlx::query(
                    "UPDATE comments SET author_name = $1, author_email = '', author_url = NULL, author_ip = NULL, updated_at = $2 \
                     WHERE author_email = $3",
                )
                .bind(ANONYMOUS)
                .bind(now)
                .bind(&email)
                .execute(&mut *tx)
                .await?;
            }
        }
        let articles: std::collections::BTreeSet<i64> = found.iter().map(|(_, a)| *a).collect();
        for (id, article_id) in &found {
            self.record(&mut tx, Event::CommentChanged { id: *id, article_id: *article_id }, now).await?;
        }
        for article_id in articles {
            recount(&mut tx, article_id).await?;
        }
        let n = found.len() as u64;
        sqlx::query("INSERT INTO comment_erasures (erased_at, by_person_id, mode, comments) VALUES ($1, $2, $3, $4)")
            .bind(now)
            .bind(by)
            .bind(how.as_str())
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The log of erasures, newest first: (when, by whom, how, comments).
    pub async fn comment_erasures(&self, limit: u32) -> Result<Vec<(i64, Option<String>, String, i64)>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT e.erased_at, p.name, e.mode, e.comments FROM comment_erasures e LEFT JOIN people p ON p.id = e.by_person_id \
             ORDER BY e.id DESC LIMIT {limit}"
        )))
        .fetch_all(self.db())
        .await?)
    }

    /// Forgets the network addresses of comments written before `before`; returns how many.
    pub async fn forget_comment_addresses(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("UPDATE comments SET author_ip = NULL WHERE author_ip IS NOT NULL AND created_at < $1")
            .bind(before)
            .execute(self.db())
            .await?;
        Ok(done.rows_affected())
    }

    /// Opens or closes comments on an article.
    pub async fn set_comments_open(&self, article_id: i64, open: bool, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE articles SET comments_open = $1 WHERE id = $2")
            .bind(crate::bool_int(open))
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("article"));
        }
        self.record(&mut tx, Event::ArticleChanged { id: article_id }, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Deletes a comment; its replies move up to its parent so no thread is lost.
async fn remove_comment(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<()> {
    sqlx::query("UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE id = $1) WHERE parent_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM comments WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
