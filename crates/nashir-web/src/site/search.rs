//! `/search`: Arabic-aware full-text search over published articles, with snippets in the
//! author's spelling, category and date filters, relevance or newest order, pagination,
//! friendly pages for empty, overlong or meaningless queries, and a relaxed suggestion with
//! the latest articles when nothing matches. `/api/v1/search` answers the same in JSON.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use nashir_core::CategoryTree;
use nashir_search::{QueryError, SearchError, SearchQuery, Sort};
use nashir_store::ListFilter;
use serde::Serialize;

use super::views::{self, Card};
use super::{Chrome, failure, page};
use crate::error::WebError;
use crate::newsroom::ClientAddress;
use crate::state::AppState;
use crate::urls;

const PAGE_SIZE: usize = 10;
/// Deep pages are refused: nobody reads result 1,000, and deep offsets cost.
const MAX_PAGE: usize = 50;

/// The request, as typed (kept in the form).
#[derive(Serialize, Default, Clone)]
struct Params {
    q: String,
    category: String,
    from: String,
    to: String,
    sort: String,
    page: usize,
}

fn params(query: Option<&str>) -> Params {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    Params {
        q: get("q"),
        category: get("category"),
        from: get("from"),
        to: get("to"),
        sort: get("sort"),
        page: get("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
    }
}

/// `YYYY-MM-DD` in the site's time zone → the first (or last) microsecond of that day.
fn day_bound(state: &AppState, text: &str, end: bool) -> Option<i64> {
    let date: jiff::civil::Date = text.trim().parse().ok()?;
    let tz = jiff::tz::TimeZone::get(&state.site.time_zone)
        .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(&state.site.time_zone))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let start = date.to_zoned_datetime(tz.clone()).ok()?.timestamp().as_microsecond();
    if end {
        let next = date.tomorrow().ok()?.to_zoned_datetime(tz).ok()?.timestamp().as_microsecond();
        Some(next - 1)
    } else {
        Some(start)
    }
}

#[derive(Serialize)]
struct ResultItem {
    #[serde(flatten)]
    card: Card,
    title_html: String,
    snippet_html: String,
}

#[derive(Serialize, Default)]
struct SearchPage {
    params: Params,
    /// A friendly message instead of results (empty, too long, nothing searchable).
    problem: Option<String>,
    searched: bool,
    total: usize,
    results: Vec<ResultItem>,
    relaxed: Option<(String, String)>,
    /// The query with mistyped words corrected, and its link.
    did_you_mean: Option<(String, String)>,
    latest: Vec<Card>,
    categories: Vec<(i64, String, bool)>,
    prev_url: Option<String>,
    next_url: Option<String>,
    page_count: usize,
}

/// What a search produced, shared by the page and the API.
struct Outcome {
    params: Params,
    problem: Option<(&'static str, String)>,
    total: usize,
    hits: Vec<(nashir_search::Hit, nashir_core::ArticleSummary)>,
    relaxed: Option<String>,
    did_you_mean: Option<String>,
}

impl Outcome {
    /// A search that produced a friendly message instead of results.
    fn problem(params: Params, problem: (&'static str, String)) -> Outcome {
        Outcome { params, problem: Some(problem), total: 0, hits: vec![], relaxed: None, did_you_mean: None }
    }
}

const SEARCH_FAILED: &str = "تعذّر البحث الآن؛ حاول بعد قليل.";

fn problem_text(e: &QueryError) -> (&'static str, String) {
    match e {
        QueryError::Empty => ("empty_query", "اكتب كلمة أو أكثر للبحث عنها.".into()),
        QueryError::TooLong { max_chars } => (
            "query_too_long",
            format!("نص البحث طويل جداً؛ اختصره إلى {max_chars} حرف على الأكثر."),
        ),
        QueryError::NoSearchableTerms => ("no_searchable_terms", "لم نجد في نص البحث كلمات يمكن البحث عنها. جرّب كلمات أخرى.".into()),
    }
}

async fn run(state: &AppState, tree: &CategoryTree, p: Params) -> Result<Outcome, WebError> {
    let Some(index) = state.search.clone() else {
        return Ok(Outcome::problem(p, ("search_unavailable", "البحث غير متاح الآن.".into())));
    };
    if p.page > MAX_PAGE {
        return Ok(Outcome::problem(p, ("page_too_deep", "صفحات النتائج المتاحة محدودة؛ ضيّق البحث.".into())));
    }
    let mut q = SearchQuery::new(p.q.clone());
    if let Ok(c) = p.category.parse::<i64>() {
        q.category_ids = tree.descendants_and_self(c);
    }
    q.from = day_bound(state, &p.from, false);
    q.to = day_bound(state, &p.to, true);
    q.sort = if p.sort == "newest" { Sort::Newest } else { Sort::Relevance };
    q.offset = (p.page - 1) * PAGE_SIZE;
    q.limit = PAGE_SIZE;
    let text = p.q.clone();
    let searched = tokio::task::spawn_blocking(move || {
        let results = index.search(&q);
        let relaxed = match &results {
            Ok(r) if r.total == 0 => index.relaxed_query(&text),
            _ => None,
        };
        (results, relaxed)
    })
    .await;
    let (results, relaxed) = match searched {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "search task failed");
            return Ok(Outcome::problem(p, ("search_failed", SEARCH_FAILED.into())));
        }
    };
    match results {
        Ok(r) => {
            let ids: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
            let mut summaries = cards(state, &ids).await?;
            let hits = r
                .hits
                .into_iter()
                .filter_map(|h| {
                    let at = summaries.iter().position(|s| s.id == h.id)?;
                    Some((h, summaries.swap_remove(at)))
                })
                .collect();
            Ok(Outcome { params: p, problem: None, total: r.total, hits, relaxed, did_you_mean: r.did_you_mean })
        }
        Err(SearchError::Query(e)) => Ok(Outcome::problem(p, problem_text(&e))),
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            Ok(Outcome::problem(p, ("search_failed", SEARCH_FAILED.into())))
        }
    }
}

/// Cards of the published articles among `ids`. Kept in memory between searches (most
/// searches land on articles others found before) and forgotten with the page cache, when
/// the outbox reports a change.
async fn cards(state: &AppState, ids: &[i64]) -> Result<Vec<nashir_core::ArticleSummary>, WebError> {
    let generation = state.cache.generation();
    let now = nashir_store::now_micros();
    let mut kept = state.cache.cards(ids, now);
    let missing: Vec<i64> = ids.iter().zip(&kept).filter(|(_, k)| k.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let read = state.store.published_by_ids(&missing, now).await?;
        state.cache.keep_cards(generation, &read, now);
        for card in read {
            if let Some(at) = ids.iter().position(|&id| id == card.id) {
                kept[at] = Some(card);
            }
        }
    }
    Ok(kept.into_iter().flatten().collect())
}

fn link(p: &Params, page: usize) -> String {
    let mut pairs = vec![("q", p.q.clone())];
    for (k, v) in [("category", &p.category), ("from", &p.from), ("to", &p.to), ("sort", &p.sort)] {
        if !v.is_empty() {
            pairs.push((k, v.clone()));
        }
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    format!("/search?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

fn too_many(state: &AppState, address: &str) -> bool {
    !state.search_limit.allow(address, nashir_store::now_micros())
}

pub(crate) async fn search_page(State(state): State<AppState>, ClientAddress(address): ClientAddress, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let result = async {
        let now = nashir_store::now_micros();
        let chrome = Chrome::load(&state, now).await?;
        let p = params(query.as_deref());
        let tree = &chrome.tree;
        let categories = tree
            .all()
            .iter()
            .map(|c| (c.id, format!("{}{}", "— ".repeat(tree.path(c.id).len().saturating_sub(1)), c.name), p.category == c.id.to_string()))
            .collect();
        if too_many(&state, &address) {
            let content = SearchPage { params: p, problem: Some("بحثت كثيراً في وقت قصير؛ انتظر دقيقة ثم حاول مجدداً.".into()), categories, ..Default::default() };
            let mut r = page(&state, &headers, StatusCode::TOO_MANY_REQUESTS, "search.html", &chrome, &content, vec![])?;
            r.extensions_mut().remove::<crate::cache::CacheUntil>();
            return Ok(r);
        }
        let o = run(&state, tree, p).await?;
        let page_count = o.total.div_ceil(PAGE_SIZE).min(MAX_PAGE);
        let mut content = SearchPage {
            searched: o.problem.is_none(),
            problem: o.problem.map(|(_, text)| text),
            total: o.total,
            prev_url: (o.params.page > 1 && o.total > 0).then(|| link(&o.params, o.params.page - 1)),
            next_url: (o.params.page < page_count).then(|| link(&o.params, o.params.page + 1)),
            page_count,
            results: o
                .hits
                .iter()
                .map(|(h, s)| ResultItem { card: views::card(s, tree), title_html: h.title_html.clone(), snippet_html: h.snippet_html.clone() })
                .collect(),
            relaxed: o.relaxed.map(|r| {
                let url = link(&Params { q: r.clone(), page: 1, ..Default::default() }, 1);
                (r, url)
            }),
            did_you_mean: o.did_you_mean.map(|d| {
                let url = link(&Params { q: d.clone(), ..o.params.clone() }, 1);
                (d, url)
            }),
            categories,
            params: o.params,
            ..Default::default()
        };
        if content.results.is_empty() {
            let latest = state.store.published_list(now, &ListFilter::All, 5, 0).await?;
            content.latest = views::cards(&latest, tree);
        }
        page(&state, &headers, StatusCode::OK, "search.html", &chrome, &content, vec!["search".into()])
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => failure(&state, &headers, e).await,
    }
}

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
    page: usize,
    results: Vec<ApiHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
    /// The query with mistyped words corrected, when some were searched by their likely
    /// spellings.
    #[serde(skip_serializing_if = "Option::is_none")]
    did_you_mean: Option<String>,
}

/// A JSON error answer of the search API.
fn api_error(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    (status, Json(ApiError { error, message: message.into() })).into_response()
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: String,
}

pub(crate) async fn search_api(State(state): State<AppState>, ClientAddress(address): ClientAddress, RawQuery(query): RawQuery) -> Response {
    if too_many(&state, &address) {
        return api_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many searches; wait a minute");
    }
    let searched = async {
        let chrome = Chrome::load(&state, nashir_store::now_micros()).await?;
        let o = run(&state, &chrome.tree, params(query.as_deref())).await?;
        Ok::<_, WebError>((o, chrome))
    };
    let (o, chrome) = match searched.await {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "search API failed");
            return api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "search failed");
        }
    };
    if let Some((code, message)) = o.problem {
        return api_error(StatusCode::BAD_REQUEST, code, message);
    }
    let tree = &chrome.tree;
    let body = ApiResponse {
        total: o.total,
        page: o.params.page,
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
    let mut r = Json(body).into_response();
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=0, s-maxage=30"));
    r
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

fn suggestions_failed(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "suggestions failed");
    api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "suggestions failed")
}

/// `GET /api/v1/search/suggest?q=`: the articles a query being typed is heading for, for
/// the search boxes' drop-down. A query that cannot be searched yet (empty, punctuation)
/// gets no suggestions, not an error.
pub(crate) async fn suggest_api(State(state): State<AppState>, ClientAddress(address): ClientAddress, RawQuery(query): RawQuery) -> Response {
    if !state.suggest_limit.allow(&address, nashir_store::now_micros()) {
        return api_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many requests; wait a minute");
    }
    let q = params(query.as_deref()).q;
    let mut body = SuggestResponse { query: q.clone(), results: Vec::new() };
    if let Some(index) = state.search.clone() {
        let found = tokio::task::spawn_blocking(move || index.suggest(&q, SUGGESTIONS)).await;
        let suggestions = match found {
            Ok(Ok(list)) => list,
            Ok(Err(SearchError::Query(_))) => Vec::new(),
            Ok(Err(e)) => return suggestions_failed(&e),
            Err(e) => return suggestions_failed(&e),
        };
        let ids: Vec<i64> = suggestions.iter().map(|s| s.id).collect();
        let summaries = match cards(&state, &ids).await {
            Ok(c) => c,
            Err(e) => return suggestions_failed(&e),
        };
        body.results = suggestions
            .into_iter()
            .filter_map(|s| {
                let card = summaries.iter().find(|c| c.id == s.id)?;
                Some(SuggestItem { title: card.title.clone(), title_html: s.title_html, url: urls::article(card.id, &card.slug) })
            })
            .collect();
    }
    let mut r = Json(body).into_response();
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=0, s-maxage=30"));
    r
}
