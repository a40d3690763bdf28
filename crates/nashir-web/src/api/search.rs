//! `GET /api/v1/search?q=` (the search page's results as JSON) and
//! `GET /api/v1/search/suggest?q=` (the articles a query being typed is heading for).

use axum::extract::State;
use axum::response::Response;
use nashir_search::SearchError;
use serde::Serialize;

use super::cached_json;
use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, Query};
use crate::site::search::{Params, run};
use crate::site::Chrome;
use crate::state::AppState;
use crate::urls;

/// One search result.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiHit {
    id: i64,
    title: String,
    url: String,
    title_html: String,
    snippet_html: String,
    published_at: String,
    category: Option<String>,
}

/// One page of search results.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiResponse {
    query: String,
    total: usize,
    page: u32,
    results: Vec<ApiHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
    /// The query with mistyped words corrected, when some were searched by their likely
    /// spellings.
    #[serde(skip_serializing_if = "Option::is_none")]
    did_you_mean: Option<String>,
}

/// Searches published articles with the site's Arabic analyzer (spelling variants, clitics,
/// one-letter slips), as the search page does.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(
        ("q" = String, Query, description = "The words to search; quoted words are a phrase."),
        ("category" = Option<String>, Query, description = "A category's id; its subcategories are searched too."),
        ("from" = Option<String>, Query, description = "Published on or after this day (`YYYY-MM-DD`, or day first; Arabic-Indic digits accepted)."),
        ("to" = Option<String>, Query, description = "Published on or before this day."),
        ("sort" = Option<String>, Query, description = "`newest` for newest first; best match first otherwise."),
        ("page" = Option<u32>, Query, description = "Page of results, from 1 (10 per page)."),
    ),
    responses(
        (status = 200, description = "A page of results.", body = ApiResponse, content_type = "application/json"),
        (status = 400, description = "A query that cannot be searched (`empty_query`, `query_too_long`, `no_searchable_terms`, `page_too_deep`, `bad_date`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many searches from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 503, description = "The search index is not available (`search_unavailable`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult {
    let now = nashir_store::now_micros();
    state.search_limit.check(&address, now).map_err(|retry_after_secs| WebError::TooManyRequests { retry_after_secs })?;
    let chrome = Chrome::load(&state, now).await?;
    let o = run(&state, &chrome.tree, p).await?;
    if let Some(problem) = o.problem {
        return Err(problem.into_error(&state.renderer));
    }
    let tree = &chrome.tree;
    let body = ApiResponse {
        total: o.total,
        page: o.params.page.get(),
        results: o
            .hits
            .into_iter()
            .map(|(h, s)| ApiHit {
                id: s.id,
                url: format!("{}{}", state.site.public_url, urls::article(s.id, &s.slug)),
                title: s.title.clone(),
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                published_at: state.renderer.dates().rfc3339(s.published_at),
                category: s.category_id.and_then(|c| tree.get(c)).map(|c| c.name.clone()),
            })
            .collect(),
        suggestion: o.relaxed,
        did_you_mean: o.did_you_mean,
        query: o.params.q,
    };
    Ok(cached_json(&body, 30))
}

/// Suggestions shown under a search box.
const SUGGESTIONS: usize = 6;

/// An article a query being typed is heading for.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SuggestItem {
    title: String,
    title_html: String,
    url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SuggestResponse {
    query: String,
    results: Vec<SuggestItem>,
}

/// The suggestions for a query being typed; a query that cannot be searched yet (empty,
/// punctuation) gets none, not an error.
async fn suggestions(state: &AppState, address: String, q: String) -> WebResult<Vec<SuggestItem>> {
    let now = nashir_store::now_micros();
    state.suggest_limit.check(&address, now).map_err(|retry_after_secs| WebError::TooManyRequests { retry_after_secs })?;
    let Some(index) = state.search.clone() else { return Ok(Vec::new()) };
    let suggestions = match tokio::task::spawn_blocking(move || index.suggest(&q, SUGGESTIONS)).await? {
        Ok(list) => list,
        Err(SearchError::Query(_)) => Vec::new(),
        Err(e) => {
            tracing::error!(error = %e, "suggestions failed");
            return Err(WebError::Unavailable("search"));
        }
    };
    let ids: Vec<i64> = suggestions.iter().map(|s| s.id).collect();
    let summaries = crate::site::summaries(state, &ids).await?;
    Ok(suggestions
        .into_iter()
        .filter_map(|s| {
            let card = summaries.iter().find(|c| c.id == s.id)?;
            Some(SuggestItem { title: card.title.clone(), title_html: s.title_html, url: urls::article(card.id, &card.slug) })
        })
        .collect())
}

/// Search as you type: the articles the query is heading for, its last word completed.
#[utoipa::path(
    get,
    path = "/api/v1/search/suggest",
    tag = "search",
    params(("q" = String, Query, description = "The query as typed so far.")),
    responses(
        (status = 200, description = "Up to six articles (none for a query too short to complete).", body = SuggestResponse, content_type = "application/json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 503, description = "The search index failed (`unavailable`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn suggest(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult<Response> {
    let results = suggestions(&state, address, p.q.clone()).await?;
    Ok(cached_json(&SuggestResponse { query: p.q, results }, 30))
}

/// The browser bar's suggestions (OpenSearch): `[query, [titles], [], [urls]]`.
/// The browser bar's suggestions in the OpenSearch format: `[query, [titles], [], [urls]]`.
#[utoipa::path(
    get,
    path = "/api/v1/search/opensearch",
    tag = "search",
    params(("q" = String, Query, description = "The query as typed so far.")),
    responses(
        (status = 200, description = "The OpenSearch suggestions array.", body = Vec<serde_json::Value>, content_type = "application/x-suggestions+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 503, description = "The search index failed (`unavailable`).", body = crate::api::openapi::ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn opensearch(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult<Response> {
    let results = suggestions(&state, address, p.q.clone()).await?;
    let titles: Vec<&str> = results.iter().map(|r| r.title.as_str()).collect();
    let links: Vec<String> = results.iter().map(|r| crate::seo::absolute(&state.site, &r.url)).collect();
    let body = serde_json::json!([p.q, titles, Vec::<String>::new(), links]);
    let mut response = cached_json(&body, 30);
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/x-suggestions+json; charset=utf-8"),
    );
    Ok(response)
}
