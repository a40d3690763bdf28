//! The home page: ticker, lead story, latest stories, and a block per top-level category.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use nashir_store::ListFilter;
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
    lead: Option<Card>,
    latest: Vec<Card>,
    blocks: Vec<CategoryBlock>,
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
    let latest = state.store.published_list(now, &ListFilter::All, LATEST + 1, 0).await?;
    // A sticky story (kept on top by the editors, or imported as such) leads the page.
    let sticky = state.store.latest_sticky(now).await?;
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
    let mut blocks = Vec::new();
    for root in chrome.tree.roots() {
        let filter = ListFilter::Categories(chrome.tree.descendants_and_self(root.id));
        let list = state.store.published_list(now, &filter, PER_CATEGORY, 0).await?;
        if !list.is_empty() {
            blocks.push(CategoryBlock { name: root.name.clone(), url: urls::category(&root.slug), cards: views::cards(&list, &chrome.tree) });
        }
    }
    let content = HomePage { lead, latest: cards, blocks };
    page(&state, StatusCode::OK, "home.html", &chrome, &content, vec!["home".into()])
}
