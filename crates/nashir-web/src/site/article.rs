//! The article page with its seven regions, its canonical-URL redirects, and the view
//! builder the newsroom's preview shares, so a preview is exactly what readers will see.
//!
//! A page-cache miss costs three round trips: the article with its byline and tags, the
//! "check also" article with its body, and the approved comments; the chrome (category
//! tree, ticker) comes from memory.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use nashir_core::{Article, CommentThread, Person};
use serde::Serialize;

use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::http::moved_permanently;
use crate::state::AppState;
use crate::urls;
use crate::views::{self, Card, CommentView, Crumb};

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
    related: Option<Card>,
    comments: Vec<CommentView>,
    comment_count: usize,
}

/// `/news/{id}` without a slug answers 301 to the canonical URL.
pub(crate) async fn without_slug(state: State<AppState>, Path(id): Path<i64>) -> WebResult {
    article(state, Path((id, String::new()))).await
}

pub(crate) async fn article(State(state): State<AppState>, Path((id, slug)): Path<(i64, String)>) -> WebResult {
    let now = nashir_store::now_micros();
    let found = state.store.article_with_byline(id, now).await?.ok_or(WebError::NotFound)?;
    if slug != found.article.slug {
        return Ok(moved_permanently(&urls::article(found.article.id, &found.article.slug)));
    }
    let chrome = Chrome::load(&state, now).await?;
    let tag_ids: Vec<i64> = found.tags.iter().map(|t| t.id).collect();
    let tags = found.tags.into_iter().map(|t| TagLink::new(t.name, Some(&t.slug))).collect();
    let keys = vec![format!("article:{}", found.article.id)];
    let view = view(&state, &chrome, found.article, Some(found.author), tags, &tag_ids, now).await?;
    render(&state, &chrome, &view, keys)
}

/// Builds the article page from an article that may not be saved yet.
pub(crate) async fn view(
    state: &AppState,
    chrome: &Chrome,
    article: Article,
    author: Option<Person>,
    tags: Vec<TagLink>,
    tag_ids: &[i64],
    now: i64,
) -> WebResult<ArticlePage> {
    let tree = &chrome.tree;
    let breadcrumbs = match article.primary_category_id {
        Some(cid) => views::category_crumbs(tree, cid),
        None => vec![views::home_crumb()],
    };
    let category = article.primary_category_id.and_then(|c| tree.get(c));
    let related = state.store.related_with_body(&article, tag_ids, now).await?.map(|r| {
        let mut card = views::card(&r.summary, tree);
        // "شاهد أيضاً" shows the start of the story itself, cut at a word boundary.
        card.excerpt = nashir_arabic::excerpt(&nashir_arabic::strip_html(&r.body_html), RELATED_EXCERPT_CHARS);
        card
    });
    let comments = views::comment_views(&CommentThread::build(state.store.approved_comments(article.id).await?));
    let url = urls::article(article.id, &article.slug);
    Ok(ArticlePage {
        canonical: format!("{}{}", state.site.public_url, url),
        url,
        category_name: category.map(|c| c.name.clone()),
        category_url: category.map(|c| urls::category(&tree.slug_path(c.id))),
        breadcrumbs,
        author: author.map(|p| AuthorBox { url: urls::author(&p.slug), name: p.name, bio: p.bio }),
        tags,
        related,
        comment_count: views::count_comments(&comments),
        comments,
        article,
    })
}

pub(crate) fn render(state: &AppState, chrome: &Chrome, view: &ArticlePage, surrogate_keys: Vec<String>) -> WebResult<Response> {
    page(state, StatusCode::OK, "article.html", chrome, view, surrogate_keys)
}
