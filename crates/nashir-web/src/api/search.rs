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

#[derive(Serialize)]
struct ApiHit {
    id: i64,
    title: String,
    url: String,
    title_html: String,
    snippet_html: String,
    published_at: String,
    category: Option<String>,
}

#[derive(Serialize)]
struct ApiResponse {
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

pub(crate) async fn search(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult {
    let now = nashir_store::now_micros();
    state.search_limit.check(&address, now).map_err(|retry_after_secs| WebError::TooManyRequests { retry_after_secs })?;
    let chrome = Chrome::load(&state, now).await?;
    let o = run(&state, &chrome.tree, p).await?;
    if let Some(problem) = o.problem {
        return Err(problem.into());
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

#[derive(Serialize)]
struct SuggestItem {
    title: String,
    title_html: String,
    url: String,
}

#[derive(Serialize)]
struct SuggestResponse {
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

pub(crate) async fn suggest(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult<Response> {
    let results = suggestions(&state, address, p.q.clone()).await?;
    Ok(cached_json(&SuggestResponse { query: p.q, results }, 30))
}

/// The browser bar's suggestions (OpenSearch): `[query, [titles], [], [urls]]`.
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
