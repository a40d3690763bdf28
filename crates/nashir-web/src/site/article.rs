//! The article page with its seven regions, its canonical-URL redirects, and the view
//! builder the newsroom's preview shares, so a preview is exactly what readers will see.
//!
//! A page-cache miss costs three round trips: the article with its byline and tags, the
//! "check also" article with its body, and the approved comments; the chrome (category
//! tree, ticker) and the signing secret of the comment form come from memory.
//!
//! Comments are shown 50 threads a page (`?cpage=N`), four levels deep. Without JavaScript
//! "رد" opens `?replytocom=ID#respond`, the same page with the form answering that comment;
//! with it, the form moves under the comment. A writer's held comment is shown to them
//! alone through a signed link (`?unapproved=ID&moderation-hash=…`), never stored.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use nashir_core::comments::{MAX_DEPTH, PER_PAGE};
use nashir_core::{Article, Comment, CommentThread, Person};
use nashir_store::ArticleWithByline;
use serde::{Deserialize, Serialize};

use super::comments::{self as comment_rules, FieldErrors, FormState, Typed};
use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::extract::{OptionalId, PageNumber, Path, Query};
use crate::http::moved_permanently;
use crate::state::AppState;
use crate::{seo, urls};
use crate::views::{self, Card, CommentView, Crumb, Pagination};

/// Length of the related article's excerpt, in characters.
const RELATED_EXCERPT_CHARS: usize = 180;

#[derive(Serialize)]
struct AuthorBox {
    name: String,
    bio: String,
    url: String,
}

#[derive(Serialize)]
pub(crate) struct TagLink {
    name: String,
    /// Empty for a tag typed in the editor that does not exist yet (preview).
    url: String,
}

impl TagLink {
    pub(crate) fn new(name: String, slug: Option<&str>) -> Self {
        TagLink { url: slug.map(urls::tag).unwrap_or_default(), name }
    }
}

/// What the article template receives.
#[derive(Serialize)]
pub(crate) struct ArticlePage {
    article: Article,
    url: String,
    canonical: String,
    category_name: Option<String>,
    category_url: Option<String>,
    breadcrumbs: Vec<Crumb>,
    author: Option<AuthorBox>,
    tags: Vec<TagLink>,
    /// "شاهد أيضاً": the closest story, with an excerpt of its text.
    check_also: Option<Card>,
    /// The next closest stories, under the article.
    related: Vec<Card>,
    /// "الأكثر قراءة", when readers have been counted.
    most_read: Option<crate::readership::MostRead>,
    comments: Vec<CommentView>,
    comment_count: i64,
    /// Pages of comments, when there is more than one.
    comment_pages: Option<Pagination>,
    /// None when comments are closed.
    comment_form: Option<CommentForm>,
    /// The featured image's absolute URL (OpenGraph, Twitter, JSON-LD): the 1280 px file
    /// of a library photo.
    image_url: Option<String>,
    /// The library photo, for `<picture>` with its caption and credit.
    picture: Option<views::Picture>,
    /// `NewsArticle` and `BreadcrumbList`, ready for a `<script>` element.
    json_ld: String,
    /// Kept out of search engines: a writer's held comment, a newsroom preview.
    pub(crate) noindex: bool,
}

/// The comment form: the same for every reader, unless one reader's refused comment is
/// shown again.
#[derive(Serialize)]
pub(crate) struct CommentForm {
    action: String,
    token: String,
    honeypot: &'static str,
    parent_id: Option<i64>,
    /// The name of the comment answered.
    replying_to: Option<String>,
    /// Back to a plain comment.
    cancel_url: String,
    values: Typed,
    errors: FieldErrors,
    message: Option<String>,
    max_name: usize,
    max_body: usize,
}

/// What the comments region shows beyond the approved comments.
#[derive(Debug, Default)]
pub(crate) struct CommentsRequest {
    /// Which page of comments (1 is the first).
    pub page: u32,
    /// A reply opened without JavaScript (`?replytocom=`).
    pub reply_to: Option<i64>,
    /// The writer's own held comment.
    pub held: Option<Comment>,
    /// A refused comment, shown again.
    pub form: Option<FormState>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ArticleQuery {
    cpage: Option<PageNumber>,
    replytocom: OptionalId,
    unapproved: OptionalId,
    #[serde(rename = "moderation-hash")]
    moderation_hash: String,
}

/// `/news/{id}` without a slug answers 301 to the canonical URL.
pub(crate) async fn without_slug(state: State<AppState>, Path(id): Path<i64>) -> WebResult {
    article(state, Path((id, String::new())), Query(ArticleQuery::default())).await
}

pub(crate) async fn article(State(state): State<AppState>, Path((id, slug)): Path<(i64, String)>, Query(q): Query<ArticleQuery>) -> WebResult {
    let now = nashir_store::now_micros();
    let found = state.store.article_with_byline(id, now).await?.ok_or(WebError::NotFound)?;
    if slug != found.article.slug {
        return Ok(moved_permanently(&urls::article(found.article.id, &found.article.slug)));
    }
    let mut request = CommentsRequest { page: q.cpage.map_or(1, PageNumber::get), reply_to: q.replytocom.0, ..Default::default() };
    if let Some(held_id) = q.unapproved.0 {
        let secret = state.secret().await?;
        if comment_rules::held_hash_valid(secret, held_id, &q.moderation_hash, now) {
            request.held = state.store.held_comment(held_id, id).await?;
        }
    }
    let private = request.held.is_some();
    let mut response = respond(&state, found, request, StatusCode::OK, now).await?;
    if private {
        // The writer's own view: never kept by this server, a CDN or a shared cache.
        response.extensions_mut().remove::<crate::http::CacheUntil>();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        response.headers_mut().remove("surrogate-key");
        response.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex"));
    }
    Ok(response)
}

/// The article page with a reader's refused comment in its form (never cached).
pub(crate) async fn page_with_form(state: &AppState, found: ArticleWithByline, form: FormState, status: StatusCode, now: i64) -> WebResult {
    let request = CommentsRequest { page: 1, reply_to: form.parent_id, held: None, form: Some(form) };
    let mut response = respond(state, found, request, status, now).await?;
    response.extensions_mut().remove::<crate::http::CacheUntil>();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn respond(state: &AppState, found: ArticleWithByline, request: CommentsRequest, status: StatusCode, now: i64) -> WebResult {
    let chrome = Chrome::load(state, now).await?;
    let tag_ids: Vec<i64> = found.tags.iter().map(|t| t.id).collect();
    let tags = found.tags.into_iter().map(|t| TagLink::new(t.name, Some(&t.slug))).collect();
    let keys = vec![format!("article:{}", found.article.id)];
    // The page stops being true when its comments close by themselves.
    let chrome = chrome.until(comment_rules::closes_at(&found.article, &state.comments).filter(|t| *t > now), now);
    let view = view(state, &chrome, found.article, Some(found.author), tags, &tag_ids, request, now).await?;
    page(state, status, "article.html", &chrome, &view, keys)
}

/// The page of an article's comments that shows comment `id` (its thread's page).
pub(crate) async fn comment_page(state: &AppState, article_id: i64, id: i64) -> WebResult<u32> {
    let threads = CommentThread::build(state.store.approved_comments(article_id).await?, MAX_DEPTH);
    let index = threads.iter().position(|t| contains(t, id)).unwrap_or(threads.len().saturating_sub(1));
    Ok(u32::try_from(index / PER_PAGE + 1).unwrap_or(1))
}

fn contains(thread: &CommentThread, id: i64) -> bool {
    thread.comment.id == id || thread.replies.iter().any(|r| contains(r, id))
}

fn find_name(threads: &[CommentThread], id: i64) -> Option<String> {
    threads.iter().find_map(|t| if t.comment.id == id { Some(t.comment.author_name.clone()) } else { find_name(&t.replies, id) })
}

/// Builds the article page from an article that may not be saved yet.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn view(
    state: &AppState,
    chrome: &Chrome,
    article: Article,
    author: Option<Person>,
    tags: Vec<TagLink>,
    tag_ids: &[i64],
    request: CommentsRequest,
    now: i64,
) -> WebResult<ArticlePage> {
    let tree = &chrome.tree;
    let breadcrumbs = match article.primary_category_id {
        Some(cid) => views::category_crumbs(&state.renderer, tree, cid),
        None => vec![views::home_crumb(&state.renderer)],
    };
    let category = article.primary_category_id.and_then(|c| tree.get(c));
    let (check_also, related) = related_stories(state, &article, tag_ids, tree, now).await?;
    let mut comments = if article.id > 0 { state.store.approved_comments(article.id).await? } else { Vec::new() };
    let comment_count = i64::try_from(comments.len()).unwrap_or(i64::MAX);
    let held_id = request.held.as_ref().map(|c| c.id);
    if let Some(held) = request.held {
        comments.push(held);
    }
    let threads = CommentThread::build(comments, MAX_DEPTH);
    let pages = nashir_core::Page::new(1, PER_PAGE as u32, threads.len() as u64);
    // The held comment's thread decides the page of the writer's view.
    let number = match held_id {
        Some(id) => threads.iter().position(|t| contains(t, id)).map_or(1, |i| (i / PER_PAGE) as u32 + 1),
        None => request.page,
    };
    if number > pages.total_pages() {
        return Err(WebError::NotFound);
    }
    let page_info = nashir_core::Page::new(number, PER_PAGE as u32, threads.len() as u64);
    let url = urls::article(article.id, &article.slug);
    let page_url = urls::article_comment_page(article.id, &article.slug, number);
    let canonical = format!("{}{}", state.site.public_url, page_url);
    let image_url = match &article.photo {
        Some(photo) => Some(seo::absolute(&state.site, &crate::media::card_file(photo).2)),
        None => article.featured_image.as_deref().map(|i| seo::absolute(&state.site, i)),
    };
    let picture = article.photo.as_ref().map(|p| views::picture(p, views::LEAD_SIZES));
    // Photos in the text are below the lead: they load as the reader reaches them. (The
    // body is sanitized HTML: every `<img` starts a tag.)
    let mut article = article;
    article.body_html = article.body_html.replace("<img ", "<img loading=\"lazy\" decoding=\"async\" ");
    let dates = state.renderer.dates();
    let published = article.published_at.unwrap_or(article.updated_at);
    let author_url = author.as_ref().map(|p| seo::absolute(&state.site, &urls::author(&p.slug)));
    let news = seo::NewsArticle {
        headline: &article.title,
        description: &article.excerpt,
        canonical: &canonical,
        published: dates.rfc3339(published),
        modified: dates.rfc3339(article.modified_at.unwrap_or(published).max(published)),
        author_name: author.as_ref().map(|p| p.name.as_str()),
        author_url,
        section: category.map(|c| c.name.as_str()),
        keywords: tags.iter().map(|t| t.name.as_str()).collect(),
        image: image_url.clone(),
    };
    let json_ld = seo::script_json(&serde_json::json!([
        seo::news_article(&state.site, &seo::logo(state), &news),
        seo::breadcrumbs(&state.site, &breadcrumbs),
    ]));
    let shown: Vec<CommentThread> = threads.iter().skip(page_info.offset() as usize).take(PER_PAGE).cloned().collect();
    let comment_pages = (page_info.total_pages() > 1).then(|| comment_pagination(&article, &page_info));
    let comment_form = if comment_rules::open_at(&article, &state.comments, now) || request.form.is_some() {
        let secret = state.secret().await?;
        let form = request.form.unwrap_or_default();
        let parent_id = form.parent_id.or(request.reply_to).filter(|p| find_name(&threads, *p).is_some());
        Some(CommentForm {
            action: urls::article_comments(article.id),
            token: comment_rules::form_token(secret, article.id, now),
            honeypot: comment_rules::HONEYPOT,
            replying_to: parent_id.and_then(|p| find_name(&threads, p)),
            parent_id,
            cancel_url: format!("{page_url}#respond"),
            values: form.typed,
            errors: form.errors,
            message: form.message,
            max_name: state.comments.rules.max_name_chars,
            max_body: state.comments.rules.max_body_chars,
        })
    } else {
        None
    };
    Ok(ArticlePage {
        canonical,
        image_url,
        picture,
        json_ld,
        noindex: held_id.is_some(),
        url,
        category_name: category.map(|c| c.name.clone()),
        category_url: category.map(|c| urls::category(&tree.slug_path(c.id))),
        breadcrumbs,
        author: author.map(|p| AuthorBox { url: urls::author(&p.slug), name: p.name, bio: p.bio }),
        tags,
        check_also,
        related,
        most_read: state.readership.most_read(tree),
        comments: views::comment_views(&shown, &page_url, held_id),
        comment_count,
        comment_pages,
        comment_form,
        article,
    })
}

/// "شاهد أيضاً" and the related list: found by content in the search index (kept between
/// requests, see `related`), else the newest article sharing a category or tag. One round
/// trip either way.
async fn related_stories(
    state: &AppState,
    article: &Article,
    tag_ids: &[i64],
    tree: &nashir_core::CategoryTree,
    now: i64,
) -> WebResult<(Option<Card>, Vec<Card>)> {
    let found = match &state.search {
        Some(index) => find_related(state, index, article, tag_ids, now).await,
        None => None,
    };
    let stories = match found {
        Some(ids) if !ids.is_empty() => state.store.related_by_ids(&ids, now).await?,
        _ => state.store.related_with_body(article, tag_ids, now).await?.into_iter().collect(),
    };
    let mut cards = stories.into_iter().map(|r| {
        let mut card = views::card(&r.summary, tree);
        if !r.body_html.is_empty() {
            // "شاهد أيضاً" shows the start of the story itself, cut at a word boundary.
            card.excerpt = nashir_arabic::excerpt(&nashir_arabic::strip_html(&r.body_html), RELATED_EXCERPT_CHARS);
        }
        card
    });
    let check_also = cards.next();
    Ok((check_also, cards.take(crate::related::SHOWN - 1).collect()))
}

/// The related stories' ids from the search index; None when it cannot say (the page then
/// falls back). A published article's list is kept; a preview's is searched each time.
async fn find_related(
    state: &AppState,
    index: &std::sync::Arc<nashir_search::SearchIndex>,
    article: &Article,
    tag_ids: &[i64],
    now: i64,
) -> Option<Vec<i64>> {
    let public = article.id > 0
        && article.state == nashir_core::PublishState::Published
        && article.published_at.is_some_and(|p| p <= now);
    if public && let Some(ids) = state.related.get(article.id, now) {
        return Some(ids);
    }
    let ticket = state.related.ticket();
    let (index, id, title, body) = (index.clone(), article.id, article.title.clone(), nashir_arabic::strip_html(&article.body_html));
    let (categories, tags) = (article.primary_category_id.into_iter().collect::<Vec<_>>(), tag_ids.to_vec());
    let published_at = article.published_at.unwrap_or(now);
    let searched = tokio::task::spawn_blocking(move || {
        index.related(&nashir_search::RelatedQuery {
            id,
            title: &title,
            body: &body,
            category_ids: &categories,
            tag_ids: &tags,
            published_at,
            limit: crate::related::SHOWN,
        })
    })
    .await;
    match searched {
        Ok(Ok(related)) => {
            if public {
                state.related.keep(ticket, article.id, &related, now);
            }
            Some(related.ids)
        }
        Ok(Err(e)) => {
            tracing::warn!(article = article.id, error = %e, "related stories: the search failed; showing the newest alike");
            None
        }
        Err(e) => {
            tracing::warn!(article = article.id, error = %e, "related stories: the search thread stopped");
            None
        }
    }
}

fn comment_pagination(article: &Article, page: &nashir_core::Page) -> Pagination {
    let mut p = views::pagination(&urls::article(article.id, &article.slug), page);
    let fix = |u: &str| u.replace("?page=", "?cpage=") + "#comments";
    p.prev_url = p.prev_url.as_deref().map(fix);
    p.next_url = p.next_url.as_deref().map(fix);
    for link in &mut p.pages {
        link.url = fix(&link.url);
    }
    p
}

pub(crate) fn render(state: &AppState, chrome: &Chrome, view: &ArticlePage, surrogate_keys: Vec<String>) -> WebResult<Response> {
    page(state, StatusCode::OK, "article.html", chrome, view, surrogate_keys)
}
