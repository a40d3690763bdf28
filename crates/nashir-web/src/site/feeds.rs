//! Feeds: RSS 2.0 at `…/feed`, Atom 1.0 at `…/feed/atom` and JSON Feed 1.1 at `…/feed.json`,
//! for the whole site and for each category (with its subcategories), tag and author. The
//! newest articles (a setting), whole or as excerpts (a setting), with dates in the site's
//! time zone, categories and tags, author names (never emails), the featured image, and
//! article HTML whose links are absolute. XML is written by `rss` and `atom_syndication`,
//! JSON by `serde_json`: each text is escaped once, by the writer of its format.
//!
//! Feeds are pages like the others: kept in the page cache, validated by ETag, forgotten
//! when the outbox reports a change.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use nashir_core::{CategoryTree, escape_html};
use nashir_store::{ArticleWithByline, ListFilter};
use serde_json::json;

use super::Chrome;
use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::http::PageResponse;
use crate::seo::absolute;
use crate::state::AppState;
use crate::urls;

/// The three formats, each at its own path under a page's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub(crate) const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// The media type `<link rel="alternate">` names.
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// The feed of the page at `page_path` (which ends in `/`, as list URLs do).
    pub(crate) fn path(self, page_path: &str) -> String {
        let base = if page_path.ends_with('/') { page_path.to_owned() } else { format!("{page_path}/") };
        match self {
            Format::Rss => format!("{base}feed"),
            Format::Atom => format!("{base}feed/atom"),
            Format::Json => format!("{base}feed.json"),
        }
    }

    /// The format a path's tail names: `feed`, `feed/atom`, `feed.json` (a trailing slash
    /// allowed).
    pub(crate) fn from_tail(tail: &str) -> Option<Format> {
        match tail.trim_end_matches('/') {
            "feed" | "feed/rss2" | "feed/rss" => Some(Format::Rss),
            "feed/atom" => Some(Format::Atom),
            "feed.json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A feed link for a page's `<head>`.
#[derive(serde::Serialize)]
pub(crate) struct FeedLink {
    pub media_type: &'static str,
    pub title: String,
    pub url: String,
}

/// The alternate links of a page whose feeds live under `page_path`.
pub(crate) fn links(page_path: &str, title: &str) -> Vec<FeedLink> {
    Format::ALL
        .iter()
        .map(|f| FeedLink {
            media_type: f.media_type(),
            title: match f {
                Format::Rss => format!("{title} (RSS)"),
                Format::Atom => format!("{title} (Atom)"),
                Format::Json => format!("{title} (JSON Feed)"),
            },
            url: f.path(page_path),
        })
        .collect()
}

/// What one feed lists.
pub(crate) struct FeedSpec {
    pub title: String,
    pub description: String,
    /// The HTML page the feed follows (a path ending in `/`).
    pub page_path: String,
    pub filter: ListFilter,
    pub surrogate_key: String,
}

pub(crate) async fn site_rss(State(state): State<AppState>) -> WebResult {
    site(&state, Format::Rss).await
}

pub(crate) async fn site_atom(State(state): State<AppState>) -> WebResult {
    site(&state, Format::Atom).await
}

pub(crate) async fn site_json(State(state): State<AppState>) -> WebResult {
    site(&state, Format::Json).await
}

async fn site(state: &AppState, format: Format) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(state, now).await?;
    let spec = FeedSpec {
        title: state.site.name.clone(),
        description: state.site.description.clone(),
        page_path: "/".into(),
        filter: ListFilter::All,
        surrogate_key: "home".into(),
    };
    respond(state, &chrome, spec, format, now).await
}

pub(crate) async fn tag(State(state): State<AppState>, Path((slug, tail)): Path<(String, String)>) -> WebResult {
    let format = Format::from_tail(&tail).ok_or(WebError::NotFound)?;
    let now = nashir_store::now_micros();
    let tag = state.store.tag_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let chrome = Chrome::load(&state, now).await?;
    let spec = FeedSpec {
        title: format!("{} — {}", tag.name, state.site.name),
        description: String::new(),
        page_path: urls::tag(&tag.slug),
        filter: ListFilter::Tag(tag.id),
        surrogate_key: format!("tag:{}", tag.id),
    };
    respond(&state, &chrome, spec, format, now).await
}

pub(crate) async fn author(State(state): State<AppState>, Path((slug, tail)): Path<(String, String)>) -> WebResult {
    let format = Format::from_tail(&tail).ok_or(WebError::NotFound)?;
    let now = nashir_store::now_micros();
    let person = state.store.person_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let chrome = Chrome::load(&state, now).await?;
    let spec = FeedSpec {
        title: format!("{} — {}", person.name, state.site.name),
        description: person.bio.clone(),
        page_path: urls::author(&person.slug),
        filter: ListFilter::Author(person.id),
        surrogate_key: format!("author:{}", person.id),
    };
    respond(&state, &chrome, spec, format, now).await
}

/// A category's feed, reached from the category route when its path ends in a feed's tail.
pub(crate) async fn category(state: &AppState, chrome: &Chrome, category_id: i64, format: Format, now: i64) -> WebResult {
    let tree = &chrome.tree;
    let cat = tree.get(category_id).ok_or(WebError::NotFound)?;
    let spec = FeedSpec {
        title: format!("{} — {}", cat.name, state.site.name),
        description: cat.description.clone(),
        page_path: urls::category(&tree.slug_path(cat.id)),
        filter: ListFilter::Categories(tree.descendants_and_self(cat.id)),
        surrogate_key: format!("category:{}", cat.id),
    };
    respond(state, chrome, spec, format, now).await
}

/// One article as every format needs it.
struct Item {
    title: String,
    url: String,
    /// Escaped HTML: the whole article (links absolute) or its excerpt.
    content_html: String,
    full: bool,
    summary: String,
    published: i64,
    updated: i64,
    author_name: String,
    author_url: String,
    categories: Vec<String>,
    image: Option<(String, &'static str)>,
}

fn item(state: &AppState, tree: &CategoryTree, a: ArticleWithByline) -> Item {
    let site = &state.site;
    let url = absolute(site, &urls::article(a.article.id, &a.article.slug));
    let full = state.syndication.feed_full_text;
    let content_html = if full {
        // Made once per body: it re-parses the article's HTML (a third of an uncached feed's
        // time when made per request), and every feed reader asks for the same thirty.
        state.feed_bodies.get_or_make(a.article.id, &[&a.article.body_html, &url], || nashir_core::sanitize::absolute_urls(&a.article.body_html, &url))
    } else {
        format!("<p>{}</p>", escape_html(&a.article.excerpt))
    };
    let mut categories: Vec<String> = a.article.primary_category_id.and_then(|c| tree.get(c)).map(|c| c.name.clone()).into_iter().collect();
    categories.extend(a.tags.iter().map(|t| t.name.clone()));
    let published = a.article.published_at.unwrap_or(a.article.updated_at);
    Item {
        title: a.article.title,
        content_html,
        full,
        summary: a.article.excerpt,
        published,
        updated: a.article.modified_at.unwrap_or(published).max(published),
        author_url: absolute(site, &urls::author(&a.author.slug)),
        author_name: a.author.name,
        categories,
        image: match &a.article.photo {
            Some(photo) => {
                let (_, _, url, mime) = crate::media::card_file(photo);
                Some((absolute(site, &url), mime))
            }
            None => a.article.featured_image.as_deref().map(|i| (absolute(site, i), image_type(i))),
        },
        url,
    }
}

/// The media type of an image, from its name (feeds must say one).
fn image_type(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    match path.rsplit('.').next() {
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("svg") => "image/svg+xml",
        _ => "image/jpeg",
    }
}

async fn respond(state: &AppState, chrome: &Chrome, spec: FeedSpec, format: Format, now: i64) -> WebResult {
    let limit = u64::from(state.syndication.feed_items);
    let articles = state.store.feed_articles(now, &spec.filter, limit).await?;
    let items: Vec<Item> = articles.into_iter().map(|a| item(state, &chrome.tree, a)).collect();
    let body = match format {
        Format::Rss => rss(state, &spec, &items)?,
        Format::Atom => atom(state, &spec, &items)?,
        Format::Json => json_feed(state, &spec, &items),
    };
    let response = PageResponse {
        status: StatusCode::OK,
        html: body,
        fresh_for_secs: chrome.fresh_for_secs,
        surrogate_keys: vec!["feed".into(), spec.surrogate_key, "lists".into()],
        content_type: format.content_type(),
    };
    Ok(response.into_response())
}

fn description(state: &AppState, spec: &FeedSpec) -> String {
    if !spec.description.is_empty() {
        spec.description.clone()
    } else if !state.site.description.is_empty() {
        state.site.description.clone()
    } else {
        spec.title.clone()
    }
}

fn rss(state: &AppState, spec: &FeedSpec, items: &[Item]) -> WebResult<String> {
    use rss::extension::{Extension, dublincore::DublinCoreExtension};
    let dates = state.renderer.dates();
    let feed_url = absolute(&state.site, &Format::Rss.path(&spec.page_path));
    let mut links = vec![atom_syndication::Link {
        href: feed_url,
        rel: "self".into(),
        mime_type: Some(Format::Rss.media_type().into()),
        ..Default::default()
    }];
    if let Some(hub) = &state.syndication.websub_hub {
        links.push(atom_syndication::Link { href: hub.clone(), rel: "hub".into(), ..Default::default() });
    }
    let mut channel = rss::Channel {
        title: spec.title.clone(),
        link: absolute(&state.site, &spec.page_path),
        description: description(state, spec),
        language: Some(state.site.lang().to_owned()),
        generator: Some("Nashir".into()),
        last_build_date: items.iter().map(|i| i.updated).max().map(|t| dates.rfc2822(t)),
        atom_ext: Some(rss::extension::atom::AtomExtension { links }),
        ..Default::default()
    };
    if items.iter().any(|i| i.image.is_some()) {
        channel.namespaces.insert("media".into(), "http://search.yahoo.com/mrss/".into());
    }
    channel.items = items
        .iter()
        .map(|i| {
            let mut extensions: rss::extension::ExtensionMap = BTreeMap::new();
            if let Some((url, mime)) = &i.image {
                let attrs = BTreeMap::from([
                    ("url".to_owned(), url.clone()),
                    ("medium".to_owned(), "image".to_owned()),
                    ("type".to_owned(), (*mime).to_owned()),
                ]);
                let content = Extension { name: "media:content".into(), attrs, ..Default::default() };
                extensions.insert("media".into(), BTreeMap::from([("content".to_owned(), vec![content])]));
            }
            rss::Item {
                title: Some(i.title.clone()),
                link: Some(i.url.clone()),
                // Readers show `description` as HTML: plain text is escaped into it once.
                description: Some(escape_html(&i.summary)),
                categories: i.categories.iter().map(|c| rss::Category { name: c.clone(), domain: None }).collect(),
                guid: Some(rss::Guid { value: i.url.clone(), permalink: true }),
                pub_date: Some(dates.rfc2822(i.published)),
                content: i.full.then(|| i.content_html.clone()),
                enclosure: i.image.as_ref().map(|(url, mime)| rss::Enclosure { url: url.clone(), length: "0".into(), mime_type: (*mime).into() }),
                dublin_core_ext: Some(DublinCoreExtension { creators: vec![i.author_name.clone()], ..Default::default() }),
                extensions,
                ..Default::default()
            }
        })
        .collect();
    let bytes = channel.write_to(Vec::new()).map_err(WebError::internal)?;
    String::from_utf8(bytes).map_err(WebError::internal)
}

fn fixed(state: &AppState, micros: i64) -> WebResult<atom_syndication::FixedDateTime> {
    chrono::DateTime::parse_from_rfc3339(&state.renderer.dates().rfc3339(micros)).map_err(WebError::internal)
}

fn atom(state: &AppState, spec: &FeedSpec, items: &[Item]) -> WebResult<String> {
    use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};
    let feed_url = absolute(&state.site, &Format::Atom.path(&spec.page_path));
    let page_url = absolute(&state.site, &spec.page_path);
    let mut links = vec![
        Link { href: page_url, rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() },
        Link { href: feed_url.clone(), rel: "self".into(), mime_type: Some(Format::Atom.media_type().into()), ..Default::default() },
    ];
    if let Some(hub) = &state.syndication.websub_hub {
        links.push(Link { href: hub.clone(), rel: "hub".into(), ..Default::default() });
    }
    let newest = items.iter().map(|i| i.updated).max();
    // An empty feed is as old as the site's newest change it could know of: now.
    let updated = fixed(state, newest.unwrap_or_else(nashir_store::now_micros))?;
    let mut feed = Feed {
        title: Text::plain(spec.title.clone()),
        id: feed_url,
        updated,
        links,
        lang: Some(state.site.lang().to_owned()),
        subtitle: Some(Text::plain(description(state, spec))),
        generator: Some(Generator { value: "Nashir".into(), uri: None, version: None }),
        authors: vec![Person { name: state.site.publisher_name.clone(), ..Default::default() }],
        ..Default::default()
    };
    if items.iter().any(|i| i.image.is_some()) {
        feed.namespaces.insert("media".into(), "http://search.yahoo.com/mrss/".into());
    }
    let mut entries = Vec::with_capacity(items.len());
    for i in items {
        let mut extensions: atom_syndication::extension::ExtensionMap = BTreeMap::new();
        let mut entry_links = vec![Link { href: i.url.clone(), rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() }];
        if let Some((url, mime)) = &i.image {
            let attrs = BTreeMap::from([
                ("url".to_owned(), url.clone()),
                ("medium".to_owned(), "image".to_owned()),
                ("type".to_owned(), (*mime).to_owned()),
            ]);
            let content = atom_syndication::extension::Extension { name: "media:content".into(), attrs, ..Default::default() };
            extensions.insert("media".into(), BTreeMap::from([("content".to_owned(), vec![content])]));
            entry_links.push(Link { href: url.clone(), rel: "enclosure".into(), mime_type: Some((*mime).into()), ..Default::default() });
        }
        entries.push(Entry {
            title: Text::plain(i.title.clone()),
            id: i.url.clone(),
            updated: fixed(state, i.updated)?,
            published: Some(fixed(state, i.published)?),
            authors: vec![Person { name: i.author_name.clone(), uri: Some(i.author_url.clone()), email: None, ..Default::default() }],
            categories: i.categories.iter().map(|c| Category { term: c.clone(), scheme: None, label: Some(c.clone()) }).collect(),
            links: entry_links,
            summary: (!i.summary.is_empty()).then(|| Text::plain(i.summary.clone())),
            content: Some(Content { value: Some(i.content_html.clone()), content_type: Some("html".into()), ..Default::default() }),
            extensions,
            ..Default::default()
        });
    }
    feed.entries = entries;
    let bytes = feed.write_to(Vec::new()).map_err(WebError::internal)?;
    String::from_utf8(bytes).map_err(WebError::internal)
}

fn json_feed(state: &AppState, spec: &FeedSpec, items: &[Item]) -> String {
    let dates = state.renderer.dates();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": absolute(&state.site, &spec.page_path),
        "feed_url": absolute(&state.site, &Format::Json.path(&spec.page_path)),
        "description": description(state, spec),
        "language": state.site.lang(),
        "authors": [{ "name": state.site.publisher_name }],
        "items": items.iter().map(|i| {
            let mut item = json!({
                "id": i.url,
                "url": i.url,
                "title": i.title,
                "content_html": i.content_html,
                "date_published": dates.rfc3339(i.published),
                "date_modified": dates.rfc3339(i.updated),
                "authors": [{ "name": i.author_name, "url": i.author_url }],
                "tags": i.categories,
                "language": state.site.lang(),
            });
            if !i.summary.is_empty() {
                item["summary"] = json!(i.summary);
            }
            if let Some((url, _)) = &i.image {
                item["image"] = json!(url);
            }
            item
        }).collect::<Vec<_>>(),
    });
    if let Some(hub) = &state.syndication.websub_hub {
        feed["hubs"] = json!([{ "type": "WebSub", "url": hub }]);
    }
    serde_json::to_string(&feed).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_paths_hang_off_their_page() {
        assert_eq!(Format::Rss.path("/"), "/feed");
        assert_eq!(Format::Atom.path("/tag/x/"), "/tag/x/feed/atom");
        assert_eq!(Format::Json.path("/category/a/b/"), "/category/a/b/feed.json");
        for f in Format::ALL {
            assert_eq!(Format::from_tail(&f.path("")[1..]), Some(f));
        }
        assert_eq!(Format::from_tail("feed/"), Some(Format::Rss));
        assert_eq!(Format::from_tail("feeds"), None);
    }

    #[test]
    fn image_types_come_from_the_name() {
        assert_eq!(image_type("/uploads/a.PNG?x=1"), "image/png");
        assert_eq!(image_type("https://x/y"), "image/jpeg");
    }
}

