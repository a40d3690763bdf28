//! View models: what templates (and the JSON API) receive. URLs, names and dates are
//! resolved here so templates only lay things out.

use nashir_core::{ArticleSummary, BreakingItem, CategoryTree, CommentThread, Page};
use serde::Serialize;

use crate::urls;

/// What every public page shows around its content: the ticker and the category bar.
#[derive(Serialize)]
pub(crate) struct ChromeData {
    pub nav: Vec<NavItem>,
    pub breaking: Vec<BreakingView>,
    #[serde(skip)]
    pub tree: CategoryTree,
    /// When the ticker next changes by itself (an item starts or expires) or a scheduled
    /// article comes due (unix micros).
    #[serde(skip)]
    pub next_change: Option<i64>,
    #[serde(skip)]
    pub loaded_at: i64,
    /// How many visible articles each list filter matches, counted on first use: they stop
    /// being true exactly when the chrome does (a change, or the next publication).
    #[serde(skip)]
    pub counts: std::sync::Mutex<std::collections::HashMap<nashir_store::ListFilter, u64>>,
}

impl ChromeData {
    /// Still what the database says at `now`, as far as time goes (the page cache's
    /// generation covers changes).
    pub(crate) fn fresh_at(&self, now: i64) -> bool {
        now < self.next_change.unwrap_or(i64::MAX) && now < self.loaded_at + crate::cache::MAX_KEEP_MICROS
    }

    /// Seconds until the chrome changes by itself.
    pub(crate) fn fresh_for_secs(&self, now: i64) -> Option<i64> {
        self.next_change.map(|t| (t - now).div_euclid(1_000_000).max(0))
    }
}

/// Breadcrumbs start at the home page, named in the site's language.
pub(crate) fn home_crumb(r: &nashir_render::Renderer) -> Crumb {
    Crumb { name: r.t("home"), url: "/".into() }
}

/// Home, then a category and its ancestors.
pub(crate) fn category_crumbs(r: &nashir_render::Renderer, tree: &CategoryTree, category_id: i64) -> Vec<Crumb> {
    let mut crumbs = vec![home_crumb(r)];
    for c in tree.path(category_id) {
        crumbs.push(Crumb { name: c.name.clone(), url: urls::category(&tree.slug_path(c.id)) });
    }
    crumbs
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub name: String,
    pub url: String,
}

/// The category bar: the links set for it (a migrated site's primary menu) in their order,
/// else the top-level categories. A category link shows the category's current name and
/// path; one whose category is gone is left out.
pub(crate) fn nav(tree: &CategoryTree, links: &[nashir_store::NavLink]) -> Vec<NavItem> {
    if links.is_empty() {
        return tree.roots().map(|c| NavItem { name: c.name.clone(), url: urls::category(&c.slug) }).collect();
    }
    links
        .iter()
        .filter_map(|l| match (l.category_id, l.url.as_deref()) {
            (Some(id), _) => {
                let c = tree.get(id)?;
                let name = if l.label.trim().is_empty() { c.name.clone() } else { l.label.clone() };
                Some(NavItem { name, url: urls::category(&tree.slug_path(id)) })
            }
            (None, Some(url)) => Some(NavItem { name: if l.label.trim().is_empty() { url.to_owned() } else { l.label.clone() }, url: url.to_owned() }),
            (None, None) => None,
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct BreakingView {
    pub text: String,
    pub url: Option<String>,
    pub starts_at: i64,
}

impl BreakingView {
    pub(crate) fn from_item(item: &BreakingItem) -> Self {
        BreakingView {
            text: item.text.clone(),
            url: item.article_id.zip(item.article_slug.as_deref()).map(|(id, slug)| urls::article(id, slug)),
            starts_at: item.starts_at,
        }
    }
}

/// An article as a card in a list.
#[derive(Serialize)]
pub(crate) struct Card {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub published_at: i64,
    pub category_name: Option<String>,
    pub category_url: Option<String>,
    pub author_name: String,
    pub author_url: String,
    pub image: Option<String>,
    /// The featured photo's files, when it comes from the media library.
    pub picture: Option<Picture>,
    /// Approved comments (the theme words them: `t("comments-count", count=…)`).
    pub comment_count: i64,
}

/// A photo for `<picture>`: WebP and the original format in every width, the size the
/// page gives it (`sizes`), its intrinsic size so nothing shifts while it loads.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct Picture {
    pub src: String,
    pub srcset: String,
    pub webp_srcset: String,
    pub sizes: &'static str,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// How wide the article's lead photo is shown: the column (about 760 px) or the screen.
pub(crate) const LEAD_SIZES: &str = "(min-width: 52rem) 760px, 100vw";
/// Cards are a third of the page on wide screens.
pub(crate) const CARD_SIZES: &str = "(min-width: 52rem) 33vw, 100vw";

pub(crate) fn picture(photo: &nashir_core::Photo, sizes: &'static str) -> Picture {
    let (own, webp) = crate::media::files(photo);
    let set = |list: &[(u32, String)]| list.iter().map(|(w, u)| format!("{u} {w}w")).collect::<Vec<_>>().join(", ");
    // The fallback `src`: the largest file up to 1280 px.
    let src = own.iter().rfind(|(w, _)| *w <= 1280).or(own.first()).map(|(_, u)| u.clone()).unwrap_or_default();
    Picture {
        src,
        srcset: set(&own),
        webp_srcset: set(&webp),
        sizes,
        width: photo.width,
        height: photo.height,
        alt: photo.alt.clone(),
        caption: photo.caption.clone(),
        credit: photo.credit.clone(),
    }
}

pub(crate) fn card(a: &ArticleSummary, tree: &CategoryTree) -> Card {
    let category = a.category_id.and_then(|id| tree.get(id));
    Card {
        id: a.id,
        url: urls::article(a.id, &a.slug),
        title: a.title.clone(),
        excerpt: a.excerpt.clone(),
        published_at: a.published_at,
        category_name: category.map(|c| c.name.clone()),
        category_url: category.map(|c| urls::category(&tree.slug_path(c.id))),
        author_name: a.author_name.clone(),
        author_url: urls::author(&a.author_slug),
        image: a.photo.as_ref().map(|p| crate::media::files(p).0.first().map(|(_, u)| u.clone()).unwrap_or_default()).or_else(|| a.featured_image.clone()),
        picture: a.photo.as_ref().map(|p| picture(p, CARD_SIZES)),
        comment_count: a.comment_count,
    }
}

pub(crate) fn cards(list: &[ArticleSummary], tree: &CategoryTree) -> Vec<Card> {
    list.iter().map(|a| card(a, tree)).collect()
}

#[derive(Serialize)]
pub(crate) struct Crumb {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct PageLink {
    pub number: u32,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub(crate) struct Pagination {
    pub current: u32,
    pub total_pages: u32,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

/// Links for a paginated list at `base` (page 1 is the bare URL).
pub(crate) fn pagination(base: &str, page: &Page) -> Pagination {
    let url = |n: u32| if n <= 1 { base.to_owned() } else { format!("{base}?page={n}") };
    let total = page.total_pages();
    // A window of pages around the current one keeps long archives usable.
    let first = page.number.saturating_sub(3).max(1);
    let last = (page.number + 3).min(total);
    Pagination {
        current: page.number,
        total_pages: total,
        prev_url: page.has_prev().then(|| url(page.number - 1)),
        next_url: page.has_next().then(|| url(page.number + 1)),
        pages: (first..=last).map(|n| PageLink { number: n, url: url(n), current: n == page.number }).collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct CommentView {
    pub id: i64,
    pub author_name: String,
    pub author_url: Option<String>,
    /// The plain text as safe HTML: paragraphs, line breaks, links with `rel="nofollow ugc noopener"`.
    pub body_html: String,
    pub created_at: i64,
    /// A generated avatar: initials and one of eight colours (no third-party request).
    pub initials: String,
    pub hue: u8,
    /// Written by staff: shown as the site's reply.
    pub staff_reply: bool,
    /// The writer's own comment still waiting for a moderator (their private view).
    pub held: bool,
    /// The form for a reply without JavaScript (`?replytocom=ID#respond`).
    pub reply_url: String,
    pub replies: Vec<CommentView>,
}

/// Only safe links survive as the commenter's website; anything else is dropped.
fn safe_website(url: Option<&str>) -> Option<String> {
    url.and_then(nashir_core::comments::normalize_website)
}

/// Comment threads as the article page shows them; `article_url` is the page they are on
/// (with its comment page), `held` the id of the writer's own held comment.
pub(crate) fn comment_views(threads: &[CommentThread], article_url: &str, held: Option<i64>) -> Vec<CommentView> {
    threads
        .iter()
        .map(|t| {
            let c = &t.comment;
            let separator = if article_url.contains('?') { '&' } else { '?' };
            CommentView {
                id: c.id,
                author_name: c.author_name.clone(),
                author_url: safe_website(c.author_url.as_deref()),
                body_html: nashir_core::comments::comment_html(&c.body),
                created_at: c.created_at,
                initials: nashir_core::comments::initials(&c.author_name),
                hue: nashir_core::comments::avatar_hue(&c.author_name),
                staff_reply: c.staff_reply,
                held: held == Some(c.id),
                reply_url: format!("{article_url}{separator}replytocom={}#respond", c.id),
                replies: comment_views(&t.replies, article_url, held),
            }
        })
        .collect()
}
