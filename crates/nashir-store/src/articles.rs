//! Articles: writing them with their categories, tags and outbox event in one
//! transaction, and the published lists and pages readers see.

use nashir_core::{Article, ArticleSummary, NewArticle, Person, PublishState, Role, Tag};

use crate::{Event, Result, Store, StoreError, bool_int};

/// Everything an article page shows from the article's own rows: the article, its byline
/// and its tags (in name order).
#[derive(Debug, Clone)]
pub struct ArticleWithByline {
    pub article: Article,
    pub author: Person,
    pub tags: Vec<Tag>,
}

/// The "check also" article with the body its excerpt is cut from.
#[derive(Debug, Clone)]
pub struct RelatedArticle {
    pub summary: ArticleSummary,
    pub body_html: String,
}

/// Which published articles a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListFilter {
    All,
    /// Kept on top by the editors (or imported as such).
    Sticky,
    /// Filed under any of these categories (a category and its descendants).
    Categories(Vec<i64>),
    Tag(i64),
    Author(i64),
}

/// One list of published articles, newest first.
#[derive(Debug, Clone)]
pub struct ListRequest<'a> {
    pub filter: &'a ListFilter,
    pub limit: u64,
    pub offset: u64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ArticleRow {
    pub(crate) id: i64,
    title: String,
    slug: String,
    body_html: String,
    excerpt: String,
    status: String,
    pub(crate) author_id: i64,
    primary_category_id: Option<i64>,
    published_at: Option<i64>,
    modified_at: Option<i64>,
    updated_at: i64,
    version: i64,
    featured_image: Option<String>,
    comments_open: i64,
    comment_count: i64,
    #[sqlx(flatten)]
    photo: PhotoRow,
}

/// The featured photo's columns (`PHOTO_COLUMNS`), all NULL without one.
#[derive(sqlx::FromRow, Default)]
pub(crate) struct PhotoRow {
    photo_id: Option<i64>,
    photo_hash: Option<String>,
    photo_format: Option<String>,
    photo_width: Option<i64>,
    photo_height: Option<i64>,
    photo_alt: Option<String>,
    photo_caption: Option<String>,
    photo_credit: Option<String>,
}

impl PhotoRow {
    fn photo(self) -> Option<nashir_core::Photo> {
        Some(nashir_core::Photo {
            id: self.photo_id?,
            hash: self.photo_hash?,
            format: self.photo_format?,
            width: self.photo_width?,
            height: self.photo_height?,
            alt: self.photo_alt.unwrap_or_default(),
            caption: self.photo_caption.unwrap_or_default(),
            credit: self.photo_credit.unwrap_or_default(),
        })
    }
}

/// The featured photo of `a`, joined as `LEFT JOIN media ph` (`PHOTO_JOIN`).
pub(crate) const PHOTO_COLUMNS: &str = "ph.id AS photo_id, ph.hash AS photo_hash, ph.format AS photo_format, ph.width AS photo_width, \
     ph.height AS photo_height, ph.alt AS photo_alt, ph.caption AS photo_caption, ph.credit AS photo_credit";
/// Only a photo whose files are written is shown.
pub(crate) const PHOTO_JOIN: &str = "LEFT JOIN media ph ON ph.id = a.featured_media_id AND ph.status = 'ready'";

impl TryFrom<ArticleRow> for Article {
    type Error = StoreError;
    fn try_from(r: ArticleRow) -> Result<Self> {
        Ok(Article {
            id: r.id,
            title: r.title,
            slug: r.slug,
            body_html: r.body_html,
            excerpt: r.excerpt,
            state: r.status.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
            author_id: r.author_id,
            primary_category_id: r.primary_category_id,
            published_at: r.published_at,
            modified_at: r.modified_at,
            updated_at: r.updated_at,
            version: r.version,
            featured_image: r.featured_image,
            comments_open: r.comments_open != 0,
            comment_count: r.comment_count,
            photo: r.photo.photo(),
        })
    }
}

/// One row per tag (or one row without a tag) of an article with its byline.
#[derive(sqlx::FromRow)]
struct BylineRow {
    #[sqlx(flatten)]
    article: ArticleRow,
    author_slug: String,
    author_name: String,
    author_bio: String,
    #[sqlx(try_from = "String")]
    author_role: Role,
    tag_id: Option<i64>,
    tag_slug: Option<String>,
    tag_name: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RelatedRow {
    #[sqlx(flatten)]
    pub(crate) summary: SummaryRow,
    pub(crate) body_html: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub(crate) id: i64,
    title: String,
    slug: String,
    excerpt: String,
    published_at: i64,
    primary_category_id: Option<i64>,
    author_id: i64,
    author_name: String,
    author_slug: String,
    featured_image: Option<String>,
    comment_count: i64,
    #[sqlx(flatten)]
    photo: PhotoRow,
}

impl From<SummaryRow> for ArticleSummary {
    fn from(r: SummaryRow) -> Self {
        ArticleSummary {
            id: r.id,
            title: r.title,
            slug: r.slug,
            excerpt: r.excerpt,
            published_at: r.published_at,
            category_id: r.primary_category_id,
            author_id: r.author_id,
            author_name: r.author_name,
            author_slug: r.author_slug,
            featured_image: r.featured_image,
            comment_count: r.comment_count,
            photo: r.photo.photo(),
        }
    }
}


/// Published and due: the one visibility rule of the public site.
pub(crate) const VISIBLE: &str = "a.status = 'published' AND a.published_at <= $1";

/// The visible articles a filter matches, as a subquery of `(id, published_at)` with `$1`
/// the current time, and its extra integer binds. Category and tag lists read the filing
/// tables' date index (`published_at` is copied there while an article is published), so a
/// page costs a walk of that index whatever the category's size. Only integers are spliced
/// as placeholders; no text from a request ever reaches the SQL string.
fn source_sql(filter: &ListFilter, first_placeholder: usize) -> (String, Vec<i64>) {
    let articles = |condition: &str| format!("SELECT a.id, a.published_at FROM articles a WHERE {VISIBLE}{condition}");
    match filter {
        ListFilter::All => (articles(""), vec![]),
        ListFilter::Sticky => (articles(" AND a.sticky = 1"), vec![]),
        ListFilter::Author(id) => (articles(&format!(" AND a.author_id = ${first_placeholder}")), vec![*id]),
        ListFilter::Categories(ids) => {
            let ids: Vec<i64> = if ids.is_empty() { vec![-1] } else { ids.clone() };
            let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", first_placeholder + i)).collect();
            // An article filed under two categories of the subtree is one article.
            let distinct = if ids.len() > 1 { "DISTINCT " } else { "" };
            let sql = format!(
                "SELECT {distinct}ac.article_id AS id, ac.published_at FROM article_categories ac \
                 WHERE ac.category_id IN ({}) AND ac.published_at <= $1",
                marks.join(", ")
            );
            (sql, ids)
        }
        ListFilter::Tag(id) => (
            format!(
                "SELECT at.article_id AS id, at.published_at FROM article_tags at \
                 WHERE at.tag_id = ${first_placeholder} AND at.published_at <= $1"
            ),
            vec![*id],
        ),
    }
}

/// Copies an article's publication time into its filing rows (NULL unless it is
/// published), inside the caller's transaction: every write that changes an article's
/// state, date or filing ends with it.
pub(crate) async fn sync_listing_dates(tx: &mut sqlx::Transaction<'_, sqlx::Any>, article_id: i64) -> Result<()> {
    for table in ["article_categories", "article_tags"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET published_at = (SELECT CASE WHEN a.status = 'published' THEN a.published_at END \
             FROM articles a WHERE a.id = {table}.article_id) WHERE article_id = $1"
        )))
        .bind(article_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Files an article under its categories (the primary one first) and tags, replacing what
/// it had: one place for the creator, the newsroom and the importer.
pub(crate) async fn file_article(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    article_id: i64,
    primary_category_id: Option<i64>,
    other_category_ids: &[i64],
    tag_ids: &[i64],
) -> Result<()> {
    sqlx::query("DELETE FROM article_categories WHERE article_id = $1").bind(article_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1").bind(article_id).execute(&mut **tx).await?;
    let mut categories: Vec<i64> = primary_category_id.into_iter().collect();
    for c in other_category_ids {
        if !categories.contains(c) {
            categories.push(*c);
        }
    }
    for c in categories {
        sqlx::query("INSERT INTO article_categories (article_id, category_id) VALUES ($1, $2)")
            .bind(article_id)
            .bind(c)
            .execute(&mut **tx)
            .await?;
    }
    let mut tags = tag_ids.to_vec();
    tags.sort_unstable();
    tags.dedup();
    for t in tags {
        sqlx::query("INSERT INTO article_tags (article_id, tag_id) VALUES ($1, $2)")
            .bind(article_id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    sync_listing_dates(tx, article_id).await
}

impl Store {
    /// Writes an article with its filing and tags; a visible article also records
    /// `article.published` in the same transaction.
    pub async fn create_article(&self, a: &NewArticle, now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO articles (title, slug, body_html, excerpt, featured_image, status, author_id, \
             primary_category_id, published_at, modified_at, created_at, updated_at, version, sticky, comments_open) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1, $12, $13) RETURNING id",
        )
        .bind(&a.title)
        .bind(&a.slug)
        .bind(&a.body_html)
        .bind(&a.excerpt)
        .bind(a.featured_image.as_deref())
        .bind(a.state.as_str())
        .bind(a.author_id)
        .bind(a.primary_category_id)
        .bind(a.published_at)
        .bind(a.modified_at)
        .bind(now)
        .bind(bool_int(a.sticky))
        .bind(bool_int(a.comments_open))
        .fetch_one(&mut *tx)
        .await?;
        file_article(&mut tx, id, a.primary_category_id, &a.other_category_ids, &a.tag_ids).await?;
        let event = if a.state == PublishState::Published {
            Event::ArticlePublished { id, scheduled: false }
        } else {
            Event::DraftChanged { id }
        };
        self.record(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A published article readers may see now, or None (drafts never leak).
    pub async fn published_article(&self, id: i64, now: i64) -> Result<Option<Article>> {
        sqlx::query_as::<_, ArticleRow>(sqlx::AssertSqlSafe(format!(
            "SELECT a.id, a.title, a.slug, a.body_html, a.excerpt, a.status, a.author_id, \
             a.primary_category_id, a.published_at, a.modified_at, a.updated_at, a.version, a.featured_image, \
             a.comments_open, COALESCE(cc.approved, 0) AS comment_count, {PHOTO_COLUMNS} \
             FROM articles a LEFT JOIN comment_counts cc ON cc.article_id = a.id {PHOTO_JOIN} WHERE {VISIBLE} AND a.id = $2"
        )))
        .bind(now)
        .bind(id)
        .fetch_optional(self.db())
        .await?
        .map(Article::try_from)
        .transpose()
    }

    /// A published article with its byline and tags, in one round trip (one row per tag).
    pub async fn article_with_byline(&self, id: i64, now: i64) -> Result<Option<ArticleWithByline>> {
        let rows = sqlx::query_as::<_, BylineRow>(sqlx::AssertSqlSafe(format!(
            "SELECT a.id, a.title, a.slug, a.body_html, a.excerpt, a.status, a.author_id, \
             a.primary_category_id, a.published_at, a.modified_at, a.updated_at, a.version, a.featured_image, \
             a.comments_open, COALESCE(cc.approved, 0) AS comment_count, p.slug AS author_slug, p.name AS author_name, p.bio AS author_bio, p.role AS author_role, \
             t.id AS tag_id, t.slug AS tag_slug, t.name AS tag_name, {PHOTO_COLUMNS} \
             FROM articles a JOIN people p ON p.id = a.author_id LEFT JOIN comment_counts cc ON cc.article_id = a.id {PHOTO_JOIN} \
             LEFT JOIN article_tags atg ON atg.article_id = a.id LEFT JOIN tags t ON t.id = atg.tag_id \
             WHERE {VISIBLE} AND a.id = $2 ORDER BY t.name, t.id"
        )))
        .bind(now)
        .bind(id)
        .fetch_all(self.db())
        .await?;
        let mut rows = rows.into_iter();
        let Some(first) = rows.next() else { return Ok(None) };
        let tag = |r: &BylineRow| match (r.tag_id, &r.tag_slug, &r.tag_name) {
            (Some(id), Some(slug), Some(name)) => Some(Tag { id, slug: slug.clone(), name: name.clone() }),
            _ => None,
        };
        let mut tags: Vec<Tag> = tag(&first).into_iter().collect();
        tags.extend(rows.filter_map(|r| tag(&r)));
        let author = Person {
            id: first.article.author_id,
            slug: first.author_slug,
            name: first.author_name,
            bio: first.author_bio,
            role: first.author_role,
            email: None,
        };
        Ok(Some(ArticleWithByline { article: first.article.try_into()?, author, tags }))
    }

    /// "شاهد أيضاً" with the body its excerpt is cut from, in one round trip: the newest
    /// published article sharing the primary category or one of `tag_ids` (the article's
    /// tags), never the article itself; else the newest published article. Each candidate
    /// is one step of a date index, whatever the size of the category or tag.
    pub async fn related_with_body(&self, article: &Article, tag_ids: &[i64], now: i64) -> Result<Option<RelatedArticle>> {
        let mut candidates = vec![
            "SELECT * FROM (SELECT ac.article_id AS id, ac.published_at FROM article_categories ac \
             WHERE ac.category_id = $3 AND ac.published_at <= $1 AND ac.article_id <> $2 \
             ORDER BY ac.published_at DESC, ac.article_id DESC LIMIT 1) c"
                .to_owned(),
        ];
        for (i, _) in tag_ids.iter().enumerate() {
            candidates.push(format!(
                "SELECT * FROM (SELECT at.article_id AS id, at.published_at FROM article_tags at \
                 WHERE at.tag_id = ${} AND at.published_at <= $1 AND at.article_id <> $2 \
                 ORDER BY at.published_at DESC, at.article_id DESC LIMIT 1) t{i}",
                i + 4
            ));
        }
        let sql = format!(
            "SELECT a.id, a.title, a.slug, a.excerpt, a.published_at, a.primary_category_id, a.author_id, \
             p.name AS author_name, p.slug AS author_slug, a.featured_image, COALESCE(cc.approved, 0) AS comment_count, a.body_html, {PHOTO_COLUMNS} \
             FROM articles a JOIN people p ON p.id = a.author_id LEFT JOIN comment_counts cc ON cc.article_id = a.id {PHOTO_JOIN} \
             WHERE a.id = COALESCE( \
               (SELECT s.id FROM ({}) s ORDER BY s.published_at DESC, s.id DESC LIMIT 1), \
               (SELECT l.id FROM articles l WHERE l.status = 'published' AND l.published_at <= $1 AND l.id <> $2 \
                ORDER BY l.published_at DESC, l.id DESC LIMIT 1))",
            candidates.join(" UNION ALL ")
        );
        let mut q = sqlx::query_as::<_, RelatedRow>(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(article.id)
            .bind(article.primary_category_id.unwrap_or(-1));
        for t in tag_ids {
            q = q.bind(*t);
        }
        let row = q.fetch_optional(self.db()).await?;
        Ok(row.map(|r| RelatedArticle { summary: r.summary.into(), body_html: r.body_html }))
    }

    /// Published articles, newest first.
    pub async fn published_list(&self, now: i64, filter: &ListFilter, limit: u64, offset: u64) -> Result<Vec<ArticleSummary>> {
        let ids = self.published_ids(now, &[ListRequest { filter, limit, offset }]).await?.pop().unwrap_or_default();
        self.published_by_ids(&ids, now).await
    }

    /// The ids of several lists of published articles in one round trip (the home page's
    /// blocks), newest first, read from indexes alone; callers take the summaries from
    /// memory or `published_by_ids`. Limits are written into the SQL as integers: SQLite
    /// re-prepares a statement whose bound LIMIT changed on every execution.
    pub async fn published_ids(&self, now: i64, requests: &[ListRequest<'_>]) -> Result<Vec<Vec<i64>>> {
        let mut parts = Vec::with_capacity(requests.len());
        let mut binds: Vec<i64> = Vec::new();
        for (i, r) in requests.iter().enumerate() {
            let (source, extra) = source_sql(r.filter, binds.len() + 2);
            binds.extend(extra);
            binds.push(i64::try_from(r.offset).unwrap_or(i64::MAX));
            let limit = r.limit.min(i64::MAX as u64);
            parts.push(format!(
                "SELECT * FROM (SELECT s.id, s.published_at, CAST({i} AS BIGINT) AS list FROM ({source}) s \
                 ORDER BY s.published_at DESC, s.id DESC LIMIT {limit} OFFSET ${}) l{i}",
                binds.len() + 1
            ));
        }
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::query_as::<_, (i64, i64, i64)>(sqlx::AssertSqlSafe(parts.join(" UNION ALL "))).bind(now);
        for b in binds {
            q = q.bind(b);
        }
        let mut rows = q.fetch_all(self.db()).await?;
        // A union keeps no order of its own.
        rows.sort_by(|a, b| a.2.cmp(&b.2).then(b.1.cmp(&a.1)).then(b.0.cmp(&a.0)));
        let mut lists: Vec<Vec<i64>> = vec![Vec::new(); requests.len()];
        for (id, _, list) in rows {
            if let Some(list) = usize::try_from(list).ok().and_then(|i| lists.get_mut(i)) {
                list.push(id);
            }
        }
        Ok(lists)
    }

    /// How many visible articles a filter matches (index-only for categories and tags).
    pub async fn count_published(&self, now: i64, filter: &ListFilter) -> Result<u64> {
        let (source, binds) = source_sql(filter, 2);
        let sql = format!("SELECT COUNT(*) FROM ({source}) s");
        let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)).bind(now);
        for b in binds {
            q = q.bind(b);
        }
        let (count,) = q.fetch_one(self.db()).await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The newest published sticky article, which the home page leads with.
    pub async fn latest_sticky(&self, now: i64) -> Result<Option<ArticleSummary>> {
        Ok(self.published_list(now, &ListFilter::Sticky, 1, 0).await?.pop())
    }

    /// How many articles exist in any state (an empty site gets demo content).
    pub async fn count_all_articles(&self) -> Result<u64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM articles").fetch_one(self.db()).await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The earliest future publication time of a published article after `now`, so caches
    /// know when a page stops being true.
    pub async fn next_publication_after(&self, now: i64) -> Result<Option<i64>> {
        let (next,): (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(published_at) FROM articles WHERE status = 'published' AND published_at > $1",
        )
        .bind(now)
        .fetch_one(self.db())
        .await?;
        Ok(next)
    }
}
