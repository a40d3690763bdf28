//! The public content API: what readers may see, as JSON, for apps, partner sites and
//! newsletter tools. Read-only; answers are kept by the page cache like pages (an `ETag`
//! with 304s, `s-maxage`, `Surrogate-Key`), open to every origin for GET (CORS), and a
//! request that reaches the renderer counts against a per-address budget. Drafts, held
//! comments and email addresses never reach it: every read goes through the same visibility
//! rules as the site's pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use nashir_core::{Article, CategoryTree, Person, Tag};
use nashir_store::{ArticleQuery, ArticleWithByline};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, Path, Query};
use crate::http::PageResponse;
use crate::site::Chrome;
use crate::state::AppState;
use crate::{seo, urls};

/// Articles per page unless `limit` says otherwise, and at most.
const DEFAULT_LIMIT: u32 = 20;
pub(crate) const MAX_LIMIT: u32 = 100;
/// Tags per page at most.
const MAX_TAGS: u32 = 500;
const JSON: &str = "application/json";

/// A category, as lists and articles name it.
#[derive(Serialize, ToSchema, Clone)]
pub(crate) struct CategoryRef {
    id: i64,
    slug: String,
    name: String,
    /// The category page, absolute.
    url: String,
}

/// A category in the tree, with its subcategories.
#[derive(Serialize, ToSchema)]
pub(crate) struct CategoryNode {
    id: i64,
    slug: String,
    name: String,
    description: String,
    url: String,
    #[schema(no_recursion)]
    children: Vec<CategoryNode>,
}

/// A tag.
#[derive(Serialize, ToSchema)]
pub(crate) struct TagOut {
    id: i64,
    slug: String,
    name: String,
    url: String,
    /// Published articles carrying it (in the tags list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<i64>,
}

/// An author: a name and a short biography, never an address.
#[derive(Serialize, ToSchema)]
pub(crate) struct AuthorOut {
    id: i64,
    slug: String,
    name: String,
    bio: String,
    url: String,
    /// Published articles (in the authors list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<i64>,
}

/// One file of a photo.
#[derive(Serialize, ToSchema)]
pub(crate) struct ImageVariant {
    url: String,
    width: u32,
    /// `jpeg`, `png`, `webp`…
    format: String,
}

/// The featured image: a library photo with its variants, or an imported image's address.
#[derive(Serialize, ToSchema)]
pub(crate) struct ImageOut {
    /// The 1280 px file (or the photo itself when smaller), absolute.
    url: String,
    width: Option<i64>,
    height: Option<i64>,
    alt: String,
    caption: String,
    credit: String,
    variants: Vec<ImageVariant>,
}

/// An article. In lists, `fields` chooses which properties come (`id` always does) and
/// `include=body,tags` adds the text and the tags; one article comes whole.
#[derive(Serialize, ToSchema, Default)]
pub(crate) struct ArticleOut {
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<String>,
    /// The canonical address of the article page.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// RFC 3339, in the site's time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    published_at: Option<String>,
    /// The last change readers were told about; null when there was none.
    #[serde(skip_serializing_if = "Option::is_none")]
    modified_at: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<Option<CategoryRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<AuthorOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<TagOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    featured_image: Option<Option<ImageOut>>,
    /// Approved comments.
    #[serde(skip_serializing_if = "Option::is_none")]
    comment_count: Option<i64>,
    /// The body as sanitized HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    /// The body as plain text, paragraphs separated by blank lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// One page of articles.
#[derive(Serialize, ToSchema)]
pub(crate) struct ArticleList {
    articles: Vec<ArticleOut>,
    /// Pass it as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CategoryTreeOut {
    categories: Vec<CategoryNode>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TagList {
    tags: Vec<TagOut>,
    next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AuthorList {
    authors: Vec<AuthorOut>,
}

/// A live breaking item.
#[derive(Serialize, ToSchema)]
pub(crate) struct BreakingOut {
    id: i64,
    text: String,
    /// The linked article, when it is published.
    url: Option<String>,
    starts_at: String,
    expires_at: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct BreakingList {
    breaking: Vec<BreakingOut>,
}

/// An article named in a list.
#[derive(Serialize, ToSchema)]
pub(crate) struct ArticleRef {
    id: i64,
    title: String,
    url: String,
}

/// "الأكثر قراءة": the most read articles of the last 24 hours and of the last 7 days.
#[derive(Serialize, ToSchema)]
pub(crate) struct MostReadOut {
    day: Vec<ArticleRef>,
    week: Vec<ArticleRef>,
}

/// An approved comment. The writer's email address is never given.
#[derive(Serialize, ToSchema)]
pub(crate) struct CommentOut {
    id: i64,
    parent_id: Option<i64>,
    author_name: String,
    /// The writer's website, when given.
    author_url: Option<String>,
    /// The text as written (plain text; show it escaped).
    body: String,
    created_at: String,
    /// Written by the newsroom.
    staff_reply: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CommentList {
    comments: Vec<CommentOut>,
}

/// The filters and selection of the articles list.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct ArticleParams {
    /// A category's slug or id; its subcategories' articles are included.
    category: Option<String>,
    /// A tag's slug.
    tag: Option<String>,
    /// An author's slug.
    author: Option<String>,
    /// Published on or after this day (`YYYY-MM-DD`, in the site's time zone).
    from: Option<String>,
    /// Published on or before this day (`YYYY-MM-DD`, in the site's time zone).
    to: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Articles per page, 1 to 100 (default 20).
    limit: Option<String>,
    /// Comma-separated properties to return (`id` always comes), e.g. `title,url`.
    fields: Option<String>,
    /// Comma-separated extras: `body` (html and text), `tags`.
    include: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct PageParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 500 (default 100).
    limit: Option<String>,
}

/// What an article property list may name.
const FIELDS: [&str; 14] = [
    "id", "slug", "title", "excerpt", "url", "published_at", "modified_at", "category", "author", "tags", "featured_image",
    "comment_count", "html", "text",
];
/// What a list gives without `fields` or `include`.
const DEFAULT_FIELDS: [&str; 11] =
    ["id", "slug", "title", "excerpt", "url", "published_at", "modified_at", "category", "author", "featured_image", "comment_count"];

fn rejected(code: &'static str, detail: String) -> WebError {
    WebError::Rejected { code, status: StatusCode::BAD_REQUEST, detail }
}

fn check_rate(state: &AppState, address: &str) -> WebResult<()> {
    state.api_limit.check(address, nashir_store::now_micros()).map_err(|retry_after_secs| WebError::TooManyRequests { retry_after_secs })
}

fn json<T: Serialize>(body: &T, keys: Vec<String>, fresh_for_secs: Option<i64>) -> WebResult<Response> {
    let text = serde_json::to_string(body).map_err(|e| WebError::Internal(e.into()))?;
    let mut keys = keys;
    keys.insert(0, "api".into());
    Ok(PageResponse { status: StatusCode::OK, html: text, fresh_for_secs, surrogate_keys: keys, content_type: JSON }.into_response())
}

fn limit_of(text: Option<&str>, default: u32, max: u32) -> WebResult<u32> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => match t.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(rejected("bad_limit", format!("limit عدد من 1 إلى {max}."))),
        },
    }
}

/// A list cursor: the last article's publication time and id.
fn cursor_of(text: Option<&str>) -> WebResult<Option<(i64, i64)>> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let parsed = t.split_once('_').and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
    parsed.map(Some).ok_or_else(|| rejected("bad_cursor", "المؤشر cursor غير صالح: استعمل next_cursor كما جاء.".into()))
}

fn names(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("").split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect()
}

/// The properties a list returns.
fn selection(p: &ArticleParams) -> WebResult<Vec<String>> {
    let mut chosen: Vec<String> = match p.fields.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => names(Some(f)),
        None => DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect(),
    };
    if let Some(bad) = chosen.iter().find(|f| !FIELDS.contains(&f.as_str())) {
        return Err(rejected("unknown_field", format!("الحقل «{}» غير معروف. الحقول: {}.", bad.chars().take(40).collect::<String>(), FIELDS.join(", "))));
    }
    for extra in names(p.include.as_deref()) {
        match extra.as_str() {
            "body" => chosen.extend(["html".to_owned(), "text".to_owned()]),
            "tags" => chosen.push("tags".into()),
            other => {
                return Err(rejected("unknown_include", format!("لا يمكن تضمين «{}». المتاح: body, tags.", other.chars().take(40).collect::<String>())));
            }
        }
    }
    Ok(chosen)
}

fn category_ref(state: &AppState, tree: &CategoryTree, id: i64) -> Option<CategoryRef> {
    tree.get(id).map(|c| CategoryRef {
        id: c.id,
        slug: c.slug.clone(),
        name: c.name.clone(),
        url: seo::absolute(&state.site, &urls::category(&tree.slug_path(c.id))),
    })
}

fn author_out(state: &AppState, p: &Person, articles: Option<i64>) -> AuthorOut {
    AuthorOut { id: p.id, slug: p.slug.clone(), name: p.name.clone(), bio: p.bio.clone(), url: seo::absolute(&state.site, &urls::author(&p.slug)), articles }
}

fn tag_out(state: &AppState, t: &Tag, articles: Option<i64>) -> TagOut {
    TagOut { id: t.id, slug: t.slug.clone(), name: t.name.clone(), url: seo::absolute(&state.site, &urls::tag(&t.slug)), articles }
}

fn image_out(state: &AppState, a: &Article) -> Option<ImageOut> {
    if let Some(photo) = &a.photo {
        let (own, webp) = crate::media::files(photo);
        let format = photo.format.clone();
        let mut variants: Vec<ImageVariant> =
            own.iter().map(|(w, u)| ImageVariant { url: seo::absolute(&state.site, u), width: *w, format: format.clone() }).collect();
        variants.extend(webp.iter().map(|(w, u)| ImageVariant { url: seo::absolute(&state.site, u), width: *w, format: "webp".into() }));
        return Some(ImageOut {
            url: seo::absolute(&state.site, &crate::media::card_file(photo).2),
            width: Some(photo.width),
            height: Some(photo.height),
            alt: photo.alt.clone(),
            caption: photo.caption.clone(),
            credit: photo.credit.clone(),
            variants,
        });
    }
    a.featured_image.as_ref().map(|i| ImageOut {
        url: seo::absolute(&state.site, i),
        width: None,
        height: None,
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        variants: Vec::new(),
    })
}

/// Plain text of sanitized HTML: blocks (paragraphs, headings, list items, quotes,
/// captions) separated by blank lines, line breaks kept.
fn plain_text(html: &str) -> String {
    const BLOCK_ENDS: [&str; 12] =
        ["</p>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>", "</li>", "</blockquote>", "</figcaption>", "</pre>", "</tr>", "</div>"];
    let mut marked = html.to_owned();
    for end in BLOCK_ENDS {
        marked = marked.replace(end, &format!("{end}\u{0}"));
    }
    marked
        .split('\u{0}')
        .map(|block| {
            let lines: Vec<String> = block
                .split("<br>")
                .flat_map(|l| l.split("<br/>"))
                .map(|l| nashir_arabic::strip_html(l).trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            lines.join("\n")
        })
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn article_out(state: &AppState, tree: &CategoryTree, a: &ArticleWithByline, fields: &[String]) -> ArticleOut {
    let wants = |f: &str| fields.iter().any(|x| x == f);
    let article = &a.article;
    let dates = state.renderer.dates();
    let published = article.published_at.unwrap_or(article.updated_at);
    ArticleOut {
        id: article.id,
        slug: wants("slug").then(|| article.slug.clone()),
        title: wants("title").then(|| article.title.clone()),
        excerpt: wants("excerpt").then(|| article.excerpt.clone()),
        url: wants("url").then(|| seo::absolute(&state.site, &urls::article(article.id, &article.slug))),
        published_at: wants("published_at").then(|| dates.rfc3339(published)),
        modified_at: wants("modified_at").then(|| article.modified_at.filter(|m| *m > published).map(|m| dates.rfc3339(m))),
        category: wants("category").then(|| article.primary_category_id.and_then(|c| category_ref(state, tree, c))),
        author: wants("author").then(|| author_out(state, &a.author, None)),
        tags: wants("tags").then(|| a.tags.iter().map(|t| tag_out(state, t, None)).collect()),
        featured_image: wants("featured_image").then(|| image_out(state, article)),
        comment_count: wants("comment_count").then_some(article.comment_count),
        html: wants("html").then(|| article.body_html.clone()),
        text: wants("text").then(|| plain_text(&article.body_html)),
    }
}

/// The category (and its subcategories) a parameter names, by slug or id.
fn category_ids(tree: &CategoryTree, text: &str) -> WebResult<Vec<i64>> {
    let found = match text.parse::<i64>() {
        Ok(id) => tree.get(id),
        Err(_) => tree.all().iter().find(|c| c.slug == text || tree.slug_path(c.id) == text),
    };
    found
        .map(|c| tree.descendants_and_self(c.id))
        .ok_or_else(|| rejected("unknown_category", format!("لا يوجد تصنيف «{}».", text.chars().take(80).collect::<String>())))
}

/// Published articles, newest first, by category, tag, author and date range.
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    tag = "content",
    params(ArticleParams),
    responses(
        (status = 200, description = "A page of articles, newest first.", body = ArticleList, content_type = "application/json"),
        (status = 400, description = "A filter, cursor, limit or field that cannot be used (`bad_limit`, `bad_cursor`, `bad_date`, `unknown_field`, `unknown_include`, `unknown_category`, `unknown_tag`, `unknown_author`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`); see `Retry-After`.", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn articles(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<ArticleParams>) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let tree = &chrome.tree;
    let fields = selection(&p)?;
    let limit = limit_of(p.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = cursor_of(p.cursor.as_deref())?;
    let mut q = ArticleQuery::default();
    if let Some(c) = p.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q.categories = Some(category_ids(tree, c)?);
    }
    if let Some(t) = p.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let tag = state.store.tag_by_slug(t).await?.ok_or_else(|| rejected("unknown_tag", format!("لا يوجد وسم «{}».", t.chars().take(80).collect::<String>())))?;
        q.tag = Some(tag.id);
    }
    if let Some(a) = p.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let person = state.store.person_by_slug(a).await?.ok_or_else(|| rejected("unknown_author", format!("لا يوجد كاتب «{}».", a.chars().take(80).collect::<String>())))?;
        q.author = Some(person.id);
    }
    for (text, end) in [(&p.from, false), (&p.to, true)] {
        let Some(t) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { continue };
        let bound = crate::site::search::day_bound(&state, t, end)
            .ok_or_else(|| rejected("bad_date", format!("التاريخ «{}» غير مفهوم: اكتبه بالشكل 2024-05-31.", t.chars().take(40).collect::<String>())))?;
        if end { q.to = Some(bound) } else { q.from = Some(bound) }
    }
    let mut page = state.store.api_article_ids(now, &q, after, limit + 1).await?;
    let more = page.len() > limit as usize;
    page.truncate(limit as usize);
    let next_cursor = more.then(|| page.last().map(|(id, at)| format!("{at}_{id}"))).flatten();
    let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
    let articles = state.store.articles_with_bylines(&ids).await?;
    let body = ArticleList { articles: articles.iter().map(|a| article_out(&state, tree, a, &fields)).collect(), next_cursor };
    json(&body, vec!["articles".into(), "lists".into()], chrome.fresh_for_secs())
}

async fn one_article(state: &AppState, id: Option<i64>) -> WebResult<Response> {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(state, now).await?;
    let Some(id) = id else { return Err(WebError::NotFound) };
    let Some(a) = state.store.article_with_byline(id, now).await? else { return Err(WebError::NotFound) };
    let all: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).collect();
    json(&article_out(state, &chrome.tree, &a, &all), vec![format!("article:{id}")], chrome.fresh_for_secs())
}

/// One published article, whole: rendered HTML and plain text, excerpt, dates, canonical
/// URL, category, author, tags and featured image with its variants.
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    tag = "content",
    params(("id" = i64, Path, description = "The article's id.")),
    responses(
        (status = 200, description = "The article.", body = ArticleOut, content_type = "application/json"),
        (status = 404, description = "No published article has this id (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn article(State(state): State<AppState>, ClientAddress(address): ClientAddress, Path(id): Path<String>) -> WebResult<Response> {
    check_rate(&state, &address)?;
    one_article(&state, id.parse::<i64>().ok()).await
}

/// One published article by its slug (the newest one when several share it).
#[utoipa::path(
    get,
    path = "/api/v1/articles/slug/{slug}",
    tag = "content",
    params(("slug" = String, Path, description = "The article's slug, as in its address.")),
    responses(
        (status = 200, description = "The article.", body = ArticleOut, content_type = "application/json"),
        (status = 404, description = "No published article has this slug (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn article_by_slug(State(state): State<AppState>, ClientAddress(address): ClientAddress, Path(slug): Path<String>) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let id = state.store.published_id_by_slug(&slug, nashir_store::now_micros()).await?;
    one_article(&state, id).await
}

/// The approved comments of a published article, oldest first (threads by `parent_id`).
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}/comments",
    tag = "content",
    params(("id" = i64, Path, description = "The article's id.")),
    responses(
        (status = 200, description = "Approved comments only; never an email address.", body = CommentList, content_type = "application/json"),
        (status = 404, description = "No published article has this id (`not_found`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn comments(State(state): State<AppState>, ClientAddress(address): ClientAddress, Path(id): Path<String>) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let now = nashir_store::now_micros();
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    if state.store.published_article(id, now).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let dates = state.renderer.dates();
    let comments = state
        .store
        .approved_comments(id)
        .await?
        .into_iter()
        .map(|c| CommentOut {
            id: c.id,
            parent_id: c.parent_id,
            author_name: c.author_name,
            author_url: c.author_url,
            body: c.body,
            created_at: dates.rfc3339(c.created_at),
            staff_reply: c.staff_reply,
        })
        .collect();
    json(&CommentList { comments }, vec![format!("article:{id}"), "comments".into()], None)
}

fn node(state: &AppState, tree: &CategoryTree, c: &nashir_core::Category) -> CategoryNode {
    CategoryNode {
        id: c.id,
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        url: seo::absolute(&state.site, &urls::category(&tree.slug_path(c.id))),
        children: tree.children(c.id).map(|child| node(state, tree, child)).collect(),
    }
}

/// Every category as a tree, in the newsroom's order.
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    tag = "content",
    responses(
        (status = 200, description = "The category tree.", body = CategoryTreeOut, content_type = "application/json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn categories(State(state): State<AppState>, ClientAddress(address): ClientAddress) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let chrome = Chrome::load(&state, nashir_store::now_micros()).await?;
    let tree = &chrome.tree;
    let categories = tree.roots().map(|c| node(&state, tree, c)).collect();
    json(&CategoryTreeOut { categories }, vec!["categories".into(), "lists".into()], None)
}

/// Tags with published articles, the most used first.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "content",
    params(PageParams),
    responses(
        (status = 200, description = "A page of tags.", body = TagList, content_type = "application/json"),
        (status = 400, description = "A bad `limit` or `cursor` (`bad_limit`, `bad_cursor`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn tags(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<PageParams>) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let limit = limit_of(p.limit.as_deref(), 100, MAX_TAGS)?;
    let offset = match p.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c.parse::<u64>().map_err(|_| rejected("bad_cursor", "المؤشر cursor غير صالح: استعمل next_cursor كما جاء.".into()))?,
    };
    let mut list = state.store.public_tags(nashir_store::now_micros(), limit + 1, offset).await?;
    let more = list.len() > limit as usize;
    list.truncate(limit as usize);
    let tags = list
        .iter()
        .map(|t| tag_out(&state, &Tag { id: t.id, slug: t.slug.clone(), name: t.name.clone() }, Some(t.articles)))
        .collect();
    let next_cursor = more.then(|| (offset + u64::from(limit)).to_string());
    json(&TagList { tags, next_cursor }, vec!["tags".into(), "lists".into()], None)
}

/// Everyone with a published article, by name. Never an email address.
#[utoipa::path(
    get,
    path = "/api/v1/authors",
    tag = "content",
    responses(
        (status = 200, description = "The authors.", body = AuthorList, content_type = "application/json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn authors(State(state): State<AppState>, ClientAddress(address): ClientAddress) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let list = state.store.public_authors(nashir_store::now_micros()).await?;
    let authors = list
        .into_iter()
        .map(|a| AuthorOut { url: seo::absolute(&state.site, &urls::author(&a.slug)), id: a.id, slug: a.slug, name: a.name, bio: a.bio, articles: Some(a.articles) })
        .collect();
    json(&AuthorList { authors }, vec!["authors".into(), "lists".into()], None)
}

/// The breaking items live now, in the ticker's order.
#[utoipa::path(
    get,
    path = "/api/v1/breaking",
    tag = "content",
    responses(
        (status = 200, description = "Live breaking items.", body = BreakingList, content_type = "application/json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn breaking(State(state): State<AppState>, ClientAddress(address): ClientAddress) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let dates = state.renderer.dates();
    let items = state.store.live_breaking_items(now).await?;
    let breaking = items
        .into_iter()
        .map(|b| BreakingOut {
            url: match (b.article_id, &b.article_slug) {
                (Some(id), Some(slug)) => Some(seo::absolute(&state.site, &urls::article(id, slug))),
                _ => None,
            },
            id: b.id,
            text: b.text,
            starts_at: dates.rfc3339(b.starts_at),
            expires_at: dates.rfc3339(b.expires_at),
        })
        .collect();
    json(&BreakingList { breaking }, vec!["breaking".into()], chrome.fresh_for_secs())
}

/// The most read articles of the last 24 hours and 7 days (counted by the pages' beacon).
#[utoipa::path(
    get,
    path = "/api/v1/most-read",
    tag = "content",
    responses(
        (status = 200, description = "The two lists; empty until readers have been counted.", body = MostReadOut, content_type = "application/json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn most_read(State(state): State<AppState>, ClientAddress(address): ClientAddress) -> WebResult<Response> {
    check_rate(&state, &address)?;
    let chrome = Chrome::load(&state, nashir_store::now_micros()).await?;
    let lists = state.readership.most_read(&chrome.tree).unwrap_or_default();
    let refs = |cards: Vec<crate::views::Card>| {
        cards.into_iter().map(|c| ArticleRef { id: c.id, title: c.title, url: seo::absolute(&state.site, &c.url) }).collect()
    };
    json(&MostReadOut { day: refs(lists.day), week: refs(lists.week) }, vec!["most-read".into(), "lists".into()], None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_paragraphs_apart() {
        assert_eq!(plain_text("<p>أول <b>سطر</b></p><p>ثان<br>ثالث</p>"), "أول سطر\n\nثان\nثالث");
    }

    #[test]
    fn cursors_limits_and_fields_are_checked() {
        assert_eq!(cursor_of(Some("1700_5")).ok(), Some(Some((1700, 5))));
        assert!(cursor_of(Some("abc")).is_err());
        assert_eq!(cursor_of(Some(" ")).ok(), Some(None));
        assert_eq!(limit_of(None, 20, 100).ok(), Some(20));
        assert!(limit_of(Some("0"), 20, 100).is_err() && limit_of(Some("101"), 20, 100).is_err());
        let p = ArticleParams { fields: Some("title,url".into()), include: Some("body".into()), ..Default::default() };
        assert_eq!(selection(&p).ok(), Some(vec!["title".into(), "url".into(), "html".into(), "text".into()]));
        let p = ArticleParams { fields: Some("email".into()), ..Default::default() };
        assert!(selection(&p).is_err());
    }
}
