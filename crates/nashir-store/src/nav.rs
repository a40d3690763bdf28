//! The category bar's own order and links (from a migrated site's primary menu): replaced
//! whole, read with every public page's chrome.

use crate::{Event, Result, Store};

/// One place in the category bar: a category, or a link of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavLink {
    /// Shown instead of the category's name when not empty; a URL link's text.
    pub label: String,
    pub category_id: Option<i64>,
    pub url: Option<String>,
}

impl Store {
    /// The bar's links in order; empty when the bar is the default one (top-level categories).
    pub async fn nav_links(&self) -> Result<Vec<NavLink>> {
        let rows: Vec<(String, Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT label, category_id, url FROM nav_links ORDER BY position, id").fetch_all(self.db()).await?;
        Ok(rows.into_iter().map(|(label, category_id, url)| NavLink { label, category_id, url }).collect())
    }

    /// Replaces the whole bar (an empty list brings back the default one). Links naming
    /// neither a category nor a URL are left out.
    pub async fn set_nav_links(&self, links: &[NavLink], now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM nav_links").execute(&mut *tx).await?;
        let kept = links.iter().filter(|l| l.category_id.is_some() || l.url.as_deref().is_some_and(|u| !u.trim().is_empty()));
        for (position, link) in kept.enumerate() {
            sqlx::query("INSERT INTO nav_links (position, label, category_id, url, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(link.label.trim())
                .bind(link.category_id)
                .bind(link.url.as_deref().map(str::trim))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        self.record(&mut tx, Event::NavChanged, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
