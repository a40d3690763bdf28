//! The article page with its seven regions, and the canonical-URL redirects.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use nashir_core::{Article, CommentThread};
use serde::Serialize;

use super::views::{self, Card, CommentView, Crumb};
use super::{Chrome, failure, page};
use crate::error::WebError;
use crate::http::moved_permanently;
use crate::state::AppState;
use crate::urls;

/// Length of the related article's excerpt, in characters.
const RELATED_EXCERPT_CHARS: usize = 180;

#[derive(Serialize)]
struct AuthorBox {
    name: String,
    bio: String,
    url: String,
}

#[derive(Serialize)]
struct TagLink {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct ArticlePage {
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
pub(crate) async fn article_without_slug(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    article(State(state), Path((id, String::new())), headers).await
}

pub(crate) async fn article(
    State(state): State<AppState>,
    Path((id, slug)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match render(&state, &headers, &id, &slug).await {
        Ok(r) => r,
        Err(e) => failure(&state, &headers, e).await,
    }
}

async fn render(state: &AppState, headers: &HeaderMap, id: &str, slug: &str) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let now = nashir_store::now_micros();
    let article = state.store.published_article(id, now).await?.ok_or(WebError::NotFound)?;
    if slug != article.slug {
        return Ok(moved_permanently(&urls::article(article.id, &article.slug)));
    }
    let tags = state.store.article_tags(article.id).await?.into_iter().map(|t| (t.name, Some(t.slug))).collect();
    let keys = vec![format!("article:{}", article.id)];
    render_article(state, headers, article, tags, now, keys).await
}

/// Renders an article page from an article that may not be saved yet: the public page and
/// the newsroom's preview go through here, so a preview is exactly what readers will see.
/// `tags` are names with their slug when the tag exists.
pub(crate) async fn render_article(
    state: &AppState,
    headers: &HeaderMap,
    article: Article,
    tags: Vec<(String, Option<String>)>,
    now: i64,
    surrogate_keys: Vec<String>,
) -> Result<Response, WebError> {
    let chrome = Chrome::load(state, now).await?;
    let tree = &chrome.tree;
    let mut breadcrumbs = vec![Crumb { name: "الرئيسية".into(), url: "/".into() }];
    if let Some(cid) = article.primary_category_id {
        for c in tree.path(cid) {
            breadcrumbs.push(Crumb { name: c.name.clone(), url: urls::category(&tree.slug_path(c.id)) });
        }
    }
    let category = article.primary_category_id.and_then(|c| tree.get(c));
    let author = state.store.person(article.author_id).await?.map(|p| AuthorBox {
        url: urls::author(&p.slug),
        name: p.name,
        bio: p.bio,
    });
    let tags = tags
        .into_iter()
        .map(|(name, slug)| TagLink { url: slug.map(|s| urls::tag(&s)).unwrap_or_default(), name })
        .collect();
    let related = match state.store.related_article(&article, now).await? {
        Some(summary) => {
            let mut card = views::card(&summary, tree);
            // "شاهد أيضاً" shows the start of the story itself, cut at a word boundary.
            if let Some(full) = state.store.published_article(summary.id, now).await? {
                card.excerpt = nashir_arabic::excerpt(&nashir_arabic::strip_html(&full.body_html), RELATED_EXCERPT_CHARS);
            }
            Some(card)
        }
        None => None,
    };
    let comments = views::comment_views(&CommentThread::build(state.store.approved_comments(article.id).await?));
    let url = urls::article(article.id, &article.slug);
    let content = ArticlePage {
        canonical: format!("{}{}", state.site.public_url, url),
        url,
        category_name: category.map(|c| c.name.clone()),
        category_url: category.map(|c| urls::category(&tree.slug_path(c.id))),
        breadcrumbs,
        author,
        tags,
        related,
        comment_count: views::count_comments(&comments),
        comments,
        article,
    };
    page(state, headers, StatusCode::OK, "article.html", &chrome, &content, surrogate_keys)
}
