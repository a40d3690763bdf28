//! What every handler shares: the store, the theme renderer and the site's settings.

use std::sync::Arc;

use nashir_render::{Renderer, SiteInfo};
use nashir_store::Store;

use crate::cache::PageCache;

#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) renderer: Arc<Renderer>,
    pub(crate) site: Arc<SiteInfo>,
    pub(crate) cache: Arc<PageCache>,
}

impl AppState {
    pub fn new(store: Store, renderer: Renderer, site: SiteInfo, page_cache: bool) -> Self {
        Self {
            store,
            renderer: Arc::new(renderer),
            site: Arc::new(site),
            cache: Arc::new(PageCache::new(page_cache)),
        }
    }
}
