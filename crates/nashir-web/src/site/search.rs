//! `/search`: Arabic-aware full-text search over published articles, with snippets in the
//! author's spelling, category and date filters, relevance or newest order, pagination,
//! friendly pages for empty, overlong or meaningless queries, and a relaxed suggestion with
//! the latest articles when nothing matches. The runner here is shared with the JSON API.

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::{ArticleSummary, CategoryTree};
use nashir_search::{QueryError, SearchError, SearchQuery, Sort};
use nashir_store::ListFilter;
use serde::{Deserialize, Serialize};

use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, PageNumber, Query};
use crate::state::AppState;
use crate::views::{self, Card};

pub(crate) const PAGE_SIZE: usize = 10;
/// Deep pages are refused: nobody reads result 1,000, and deep offsets cost.
const MAX_PAGE: u32 = 50;

/// The request, as typed (kept in the form).
#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct Params {
    pub q: String,
    pub category: String,
    pub from: String,
    pub to: String,
    pub sort: String,
    pub page: PageNumber,
}

/// `YYYY-MM-DD` in the site's time zone → the first (or last) microsecond of that day.
pub(crate) fn day_bound(state: &AppState, text: &str, end: bool) -> Option<i64> {
    let date = parse_day(text)?;
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

/// A day as readers write it: `2024-05-31` (what date pickers send), or day first
/// (`31/05/2024`, `31-5-2024`), in Western, Arabic-Indic (`٣١/٥/٢٠٢٤`) or Persian digits.
pub(crate) fn parse_day(text: &str) -> Option<jiff::civil::Date> {
    let western: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '/' | '.' | '\u{066B}' | '\u{060C}' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = western.split('-').map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if !parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (year, month, day) = match (a.len(), c.len()) {
        (4, _) => (a, b, c),
        (_, 4) => (c, b, a),
        _ => return None,
    };
    jiff::civil::Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// Why a search shows a message instead of results. The reader's own mistakes are 4xx for
/// API clients; the site's failures are 5xx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SearchProblem {
    Query(QueryError),
    PageTooDeep,
    /// A date filter that is not a date (what was typed).
    BadDate(String),
    /// The index is missing or failed.
    Unavailable,
}

impl SearchProblem {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            SearchProblem::Query(QueryError::Empty) => "empty_query",
            SearchProblem::Query(QueryError::TooLong { .. }) => "query_too_long",
            SearchProblem::Query(QueryError::NoSearchableTerms) => "no_searchable_terms",
            SearchProblem::PageTooDeep => "page_too_deep",
            SearchProblem::BadDate(_) => "bad_date",
            SearchProblem::Unavailable => "search_unavailable",
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            SearchProblem::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// What the reader should do, in the site's language.
    pub(crate) fn message(&self, r: &nashir_render::Renderer) -> String {
        use nashir_render::FluentValue;
        match self {
            SearchProblem::Query(QueryError::Empty) => r.t("search-empty"),
            SearchProblem::Query(QueryError::TooLong { max_chars }) => r.t_with("search-too-long", [("max", FluentValue::from(*max_chars))]),
            SearchProblem::Query(QueryError::NoSearchableTerms) => r.t("search-no-terms"),
            SearchProblem::PageTooDeep => r.t("search-too-deep"),
            SearchProblem::BadDate(typed) => r.t_with("search-bad-date", [("typed", FluentValue::from(typed.as_str()))]),
            SearchProblem::Unavailable => r.t("search-unavailable"),
        }
    }

    /// The API's rejection.
    pub(crate) fn into_error(self, r: &nashir_render::Renderer) -> WebError {
        match self {
            SearchProblem::Unavailable => WebError::Unavailable("search"),
            _ => WebError::Rejected { code: self.code(), status: self.status(), detail: self.message(r) },
        }
    }
}

/// What a search produced, shared by the page and the API.
pub(crate) struct Outcome {
    pub params: Params,
    pub problem: Option<SearchProblem>,
    pub total: usize,
    pub hits: Vec<(nashir_search::Hit, ArticleSummary)>,
    pub relaxed: Option<String>,
    pub did_you_mean: Option<String>,
}

impl Outcome {
    fn problem(params: Params, problem: SearchProblem) -> Outcome {
        Outcome { params, problem: Some(problem), total: 0, hits: vec![], relaxed: None, did_you_mean: None }
    }
}

/// Runs a search. Only the store's failures are errors; the index's become `Unavailable`.
pub(crate) async fn run(state: &AppState, tree: &CategoryTree, p: Params) -> WebResult<Outcome> {
    let Some(index) = state.search.clone() else {
        return Ok(Outcome::problem(p, SearchProblem::Unavailable));
    };
    if p.page.get() > MAX_PAGE {
        return Ok(Outcome::problem(p, SearchProblem::PageTooDeep));
    }
    let bad_date = [&p.from, &p.to].into_iter().find(|t| !t.trim().is_empty() && parse_day(t).is_none()).map(|t| t.trim().chars().take(40).collect());
    if let Some(typed) = bad_date {
        return Ok(Outcome::problem(p, SearchProblem::BadDate(typed)));
    }
    let mut q = SearchQuery::new(p.q.clone());
    if let Ok(c) = p.category.parse::<i64>() {
        q.category_ids = tree.descendants_and_self(c);
    }
    q.from = day_bound(state, &p.from, false);
    q.to = day_bound(state, &p.to, true);
    q.sort = if p.sort == "newest" { Sort::Newest } else { Sort::Relevance };
    q.offset = (p.page.get() as usize - 1) * PAGE_SIZE;
    q.limit = PAGE_SIZE;
    let text = p.q.clone();
    let started = std::time::Instant::now();
    let searched = tokio::task::spawn_blocking(move || {
        let results = index.search(&q);
        let relaxed = match &results {
            Ok(r) if r.total == 0 => index.relaxed_query(&text),
            _ => None,
        };
        (results, relaxed)
    })
    .await;
    state.metrics.searched(started.elapsed().as_secs_f64());
    let (results, relaxed) = match searched {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "search task failed");
            return Ok(Outcome::problem(p, SearchProblem::Unavailable));
        }
    };
    match results {
        Ok(r) => {
            let ids: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
            let mut summaries = super::summaries(state, &ids).await?;
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
        Err(SearchError::Query(e)) => Ok(Outcome::problem(p, SearchProblem::Query(e))),
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            Ok(Outcome::problem(p, SearchProblem::Unavailable))
        }
    }
}

/// The link to page `page` of a search.
pub(crate) fn link(p: &Params, page: u32) -> String {
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
    /// The page's own address when search engines may index it (`--index-search`: a first
    /// page of results without filters); otherwise the page says noindex.
    indexable_url: Option<String>,
}

pub(crate) async fn search_page(State(state): State<AppState>, ClientAddress(address): ClientAddress, Query(p): Query<Params>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let tree = &chrome.tree;
    let categories = tree
        .all()
        .iter()
        .map(|c| (c.id, format!("{}{}", "— ".repeat(tree.path(c.id).len().saturating_sub(1)), c.name), p.category == c.id.to_string()))
        .collect();
    if state.search_limit.check(&address, now).is_err() {
        let content = SearchPage { params: p, problem: Some(state.renderer.t("search-rate-limited")), categories, ..Default::default() };
        let mut r = page(&state, StatusCode::TOO_MANY_REQUESTS, "search.html", &chrome, &content, vec![])?;
        r.extensions_mut().remove::<crate::http::CacheUntil>();
        return Ok(r);
    }
    let o = run(&state, tree, p).await?;
    let page_count = o.total.div_ceil(PAGE_SIZE).min(MAX_PAGE as usize);
    let unavailable = o.problem == Some(SearchProblem::Unavailable);
    let current = o.params.page.get();
    let mut content = SearchPage {
        searched: o.problem.is_none(),
        problem: o.problem.as_ref().map(|p| p.message(&state.renderer)),
        total: o.total,
        prev_url: (current > 1 && o.total > 0).then(|| link(&o.params, current - 1)),
        next_url: ((current as usize) < page_count).then(|| link(&o.params, current + 1)),
        page_count,
        results: o
            .hits
            .iter()
            .map(|(h, s)| ResultItem { card: views::card(s, tree), title_html: h.title_html.clone(), snippet_html: h.snippet_html.clone() })
            .collect(),
        relaxed: o.relaxed.map(|r| {
            let url = link(&Params { q: r.clone(), ..Default::default() }, 1);
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
    let p = &content.params;
    let unfiltered = p.category.is_empty() && p.from.is_empty() && p.to.is_empty() && p.sort.is_empty();
    if state.index_search && content.total > 0 && current == 1 && unfiltered {
        content.indexable_url = Some(format!("{}{}", state.site.public_url.trim_end_matches('/'), link(p, 1)));
    }
    if content.results.is_empty() {
        let latest = state.store.published_list(now, &ListFilter::All, 5, 0).await?;
        content.latest = views::cards(&latest, tree);
    }
    let status = if unavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    let mut r = page(&state, status, "search.html", &chrome, &content, vec!["search".into()])?;
    if status != StatusCode::OK {
        r.extensions_mut().remove::<crate::http::CacheUntil>();
    }
    Ok(r)
}


#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn days_are_read_in_any_digits_and_either_order() {
        let want = jiff::civil::date(2024, 5, 31);
        for typed in ["2024-05-31", "٢٠٢٤-٠٥-٣١", "31/5/2024", "٣١/٥/٢٠٢٤", "۳۱-۰۵-۲۰۲۴", " 31.05.2024 "] {
            assert_eq!(parse_day(typed), Some(want), "{typed}");
        }
        for typed in ["", "2024-02-30", "31/05/24", "أمس", "2024-5", "1-2-3", "2024--05-31"] {
            assert_eq!(parse_day(typed), None, "{typed}");
        }
    }
}
