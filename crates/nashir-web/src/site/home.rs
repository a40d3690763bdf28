//! The home page: ticker, lead story, latest stories, and a block per top-level category.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use nashir_store::{ListFilter, ListRequest};
use serde::Serialize;

use super::{Chrome, page};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::urls;
use crate::views::{self, Card};

const LATEST: u64 = 9;
const PER_CATEGORY: u64 = 4;

#[derive(Serialize)]
struct CategoryBlock {
    name: String,
    url: String,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct HomePage {
    /// `WebSite` with its `SearchAction`, and the publisher.
    json_ld: String,
    lead: Option<Card>,
    latest: Vec<Card>,
    blocks: Vec<CategoryBlock>,
    /// "الأكثر قراءة", when readers have been counted.
    most_read: Option<crate::readership::MostRead>,
}

pub(crate) async fn home(State(state): State<AppState>, RawQuery(query): RawQuery) -> WebResult {
    // WordPress's short links (`/?p=12`, `/?page_id=7`) of a migrated site.
    if let Some(q) = query.as_deref()
        && q.split('&').any(|pair| pair.starts_with("p=") || pair.starts_with("page_id="))
    {
        let old = super::redirects::normalize(&format!("/?{q}"));
        let location = super::redirects::resolve(&state, &old).await.ok_or(WebError::NotFound)?;
        return Ok(crate::http::moved_permanently(&location));
    }
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    // One round trip: the sticky lead, the latest stories and a block per top-level category.
    let roots: Vec<(&nashir_core::Category, ListFilter)> =
        chrome.tree.roots().map(|root| (root, ListFilter::Categories(chrome.tree.descendants_and_self(root.id)))).collect();
    let mut requests = vec![
        ListRequest { filter: &ListFilter::Sticky, limit: 1, offset: 0 },
        ListRequest { filter: &ListFilter::All, limit: LATEST + 1, offset: 0 },
    ];
    requests.extend(roots.iter().map(|(_, filter)| ListRequest { filter, limit: PER_CATEGORY, offset: 0 }));
    let mut lists = super::lists(&state, now, &requests).await?.into_iter();
    let sticky = lists.next().and_then(|mut l| l.pop());
    let latest = lists.next().unwrap_or_default();
    let mut cards: Vec<Card> = latest
        .iter()
        .filter(|a| sticky.as_ref().is_none_or(|s| s.id != a.id))
        .map(|a| views::card(a, &chrome.tree))
        .collect();
    let lead = match &sticky {
        Some(s) => Some(views::card(s, &chrome.tree)),
        None if !cards.is_empty() => Some(cards.remove(0)),
        None => None,
    };
    cards.truncate(LATEST as usize);
    let blocks = roots
        .iter()
        .zip(lists)
        .filter(|(_, list)| !list.is_empty())
        .map(|((root, _), list)| CategoryBlock { name: root.name.clone(), url: urls::category(&root.slug), cards: views::cards(&list, &chrome.tree) })
        .collect();
    let json_ld = crate::seo::script_json(&crate::seo::website(&state.site, &crate::seo::logo(&state)));
    let most_read = state.readership.most_read(&chrome.tree);
    let content = HomePage { json_ld, lead, latest: cards, blocks, most_read };
    page(&state, StatusCode::OK, "home.html", &chrome, &content, vec!["home".into(), "lists".into()])
}
