//! What crawlers read first: `robots.txt`, the sitemap index at `/sitemap.xml` with child
//! sitemaps of at most 2,000 URLs (articles by month of publication in the site's time zone,
//! categories, tags, authors, static pages), the Google News sitemap of the last 48 hours,
//! the OpenSearch description and the IndexNow key file.
//!
//! A site of any size is listed in bounded memory: the index walks article dates in chunks,
//! and each child sitemap reads one page of rows. XML is written by `quick-xml`, which
//! escapes every text and attribute.

use std::collections::BTreeMap;
use std::io;

use axum::extract::State;
use axum::http::StatusCode;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Chrome;
use crate::error::{WebError, WebResult};
use crate::extract::Path;
use crate::http::PageResponse;
use crate::seo::absolute;
use crate::state::AppState;
use crate::urls;

/// URLs per child sitemap (the protocol allows 50,000; small files are cheap to regenerate).
pub(crate) const PER_SITEMAP: u32 = 2_000;
/// What Google News reads: two days of articles, at most 1,000 of them.
const NEWS_WINDOW_MICROS: i64 = 48 * 3600 * 1_000_000;
const NEWS_MAX: u32 = 1_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const XML: &str = "application/xml; charset=utf-8";

/// A URL with its last change.
struct Loc {
    loc: String,
    lastmod: Option<i64>,
}

fn respond(body: Vec<u8>, chrome: &Chrome, content_type: &'static str, key: &str) -> WebResult {
    let html = String::from_utf8(body).map_err(WebError::internal)?;
    let response = PageResponse {
        status: StatusCode::OK,
        html,
        fresh_for_secs: chrome.fresh_for_secs,
        surrogate_keys: vec!["sitemap".into(), key.into(), "lists".into()],
        content_type,
    };
    Ok(response.into_response())
}

fn declaration(w: &mut Writer<Vec<u8>>) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
}

/// A `<urlset>` or `<sitemapindex>` of locations.
fn write_locs(state: &AppState, root: &str, child: &str, locs: &[Loc]) -> WebResult<Vec<u8>> {
    let dates = state.renderer.dates();
    let mut w = Writer::new(Vec::new());
    declaration(&mut w).map_err(WebError::internal)?;
    w.create_element(root)
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for l in locs {
                w.create_element(child).write_inner_content(|w| {
                    w.create_element("loc").write_text_content(BytesText::new(&l.loc))?;
                    if let Some(t) = l.lastmod {
                        w.create_element("lastmod").write_text_content(BytesText::new(&dates.rfc3339(t)))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
        .map_err(WebError::internal)?;
    Ok(w.into_inner())
}

/// The child sitemaps of articles: one per month with articles, split past 2,000.
async fn article_months(state: &AppState, now: i64) -> WebResult<Vec<((i16, i8), u64, i64)>> {
    let dates = state.renderer.dates();
    let mut months: BTreeMap<(i16, i8), (u64, i64)> = BTreeMap::new();
    state
        .store
        .walk_article_dates(now, |published, lastmod| {
            let m = months.entry(dates.month_of(published)).or_insert((0, 0));
            m.0 += 1;
            m.1 = m.1.max(lastmod);
        })
        .await?;
    Ok(months.into_iter().map(|(month, (count, lastmod))| (month, count, lastmod)).collect())
}

fn parts(count: u64) -> u64 {
    count.div_ceil(u64::from(PER_SITEMAP)).max(1)
}

/// `name` of part `n` (1-based): `articles-2026-11.xml`, `articles-2026-11-2.xml`.
fn part_name(base: &str, n: u64) -> String {
    if n <= 1 { format!("{base}.xml") } else { format!("{base}-{n}.xml") }
}

pub(crate) async fn index(State(state): State<AppState>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let site = &state.site;
    let child = |name: String, lastmod: Option<i64>| Loc { loc: absolute(site, &format!("/sitemaps/{name}")), lastmod };
    let mut locs = Vec::new();
    for ((year, month), count, lastmod) in article_months(&state, now).await?.into_iter().rev() {
        let base = format!("articles-{year:04}-{month:02}");
        for n in 1..=parts(count) {
            locs.push(child(part_name(&base, n), Some(lastmod)));
        }
    }
    let categories = state.store.category_lastmods(now).await?;
    if !categories.is_empty() {
        locs.push(child("categories.xml".into(), categories.iter().map(|c| c.lastmod).max()));
    }
    let tags = state.store.count_listed_tags(now).await?;
    for n in 1..=(if tags == 0 { 0 } else { parts(tags) }) {
        locs.push(child(part_name("tags", n), None));
    }
    let authors = state.store.author_lastmods(now).await?;
    for n in 1..=(if authors.is_empty() { 0 } else { parts(authors.len() as u64) }) {
        locs.push(child(part_name("authors", n), authors.iter().map(|a| a.lastmod).max()));
    }
    let pages = state.store.pages().await?;
    if pages.iter().any(|p| p.state == nashir_core::PublishState::Published) {
        locs.push(child("pages.xml".into(), pages.iter().map(|p| p.updated_at).max()));
    }
    let body = write_locs(&state, "sitemapindex", "sitemap", &locs)?;
    respond(body, &chrome, XML, "sitemap-index")
}

/// Splits `articles-2026-11-2` into its kind, and the rest.
fn parse_child(name: &str) -> Option<(&str, Vec<u64>)> {
    let stem = name.strip_suffix(".xml")?;
    let mut pieces = stem.split('-');
    let kind = pieces.next()?;
    let numbers: Option<Vec<u64>> = pieces.map(|p| if p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty() && p.len() <= 6 { p.parse().ok() } else { None }).collect();
    Some((kind, numbers?))
}

pub(crate) async fn child(State(state): State<AppState>, Path(name): Path<String>) -> WebResult {
    let now = nashir_store::now_micros();
    let (kind, numbers) = parse_child(&name).ok_or(WebError::NotFound)?;
    let part = |i: usize| -> WebResult<u64> {
        match numbers.get(i) {
            None => Ok(1),
            Some(&n) if n >= 2 && numbers.len() == i + 1 => Ok(n),
            _ => Err(WebError::NotFound),
        }
    };
    let chrome = Chrome::load(&state, now).await?;
    let tree = &chrome.tree;
    let site = &state.site;
    let locs: Vec<Loc> = match kind {
        "articles" => {
            let (year, month) = match numbers.as_slice() {
                [y, m, ..] => (i16::try_from(*y).map_err(|_| WebError::NotFound)?, i8::try_from(*m).map_err(|_| WebError::NotFound)?),
                _ => return Err(WebError::NotFound),
            };
            let n = part(2)?;
            let (from, to) = state.renderer.dates().month_bounds(year, month).ok_or(WebError::NotFound)?;
            let offset = (n - 1) * u64::from(PER_SITEMAP);
            state
                .store
                .sitemap_articles(now, from, to, PER_SITEMAP, offset)
                .await?
                .into_iter()
                .map(|a| Loc { loc: absolute(site, &urls::article(a.id, &a.slug)), lastmod: Some(a.lastmod) })
                .collect()
        }
        "categories" if numbers.is_empty() => {
            // A category page lists its subcategories' articles too.
            let own: BTreeMap<i64, i64> = state.store.category_lastmods(now).await?.into_iter().map(|c| (c.key, c.lastmod)).collect();
            tree.all()
                .iter()
                .filter_map(|c| {
                    let newest = tree.descendants_and_self(c.id).iter().filter_map(|d| own.get(d)).max().copied()?;
                    Some(Loc { loc: absolute(site, &urls::category(&tree.slug_path(c.id))), lastmod: Some(newest) })
                })
                .take(PER_SITEMAP as usize)
                .collect()
        }
        "tags" => {
            let n = part(0)?;
            state
                .store
                .tag_lastmods(now, PER_SITEMAP, (n - 1) * u64::from(PER_SITEMAP))
                .await?
                .into_iter()
                .map(|t| Loc { loc: absolute(site, &urls::tag(&t.key)), lastmod: Some(t.lastmod) })
                .collect()
        }
        "authors" => {
            let n = part(0)?;
            state
                .store
                .author_lastmods(now)
                .await?
                .into_iter()
                .skip(usize::try_from((n - 1) * u64::from(PER_SITEMAP)).unwrap_or(usize::MAX))
                .take(PER_SITEMAP as usize)
                .map(|a| Loc { loc: absolute(site, &urls::author(&a.key)), lastmod: Some(a.lastmod) })
                .collect()
        }
        "pages" if numbers.is_empty() => {
            let pages = state.store.pages().await?;
            let mut locs = Vec::new();
            for p in pages.iter().filter(|p| p.state == nashir_core::PublishState::Published).take(PER_SITEMAP as usize) {
                if let Some(path) = super::pages::path_if_public(&pages, p.id) {
                    locs.push(Loc { loc: absolute(site, &path), lastmod: Some(p.updated_at) });
                }
            }
            locs
        }
        _ => return Err(WebError::NotFound),
    };
    // A part past the last one does not exist.
    if locs.is_empty() && (kind != "categories" && kind != "pages") {
        return Err(WebError::NotFound);
    }
    let body = write_locs(&state, "urlset", "url", &locs)?;
    respond(body, &chrome, XML, &format!("sitemap-{kind}"))
}

/// The Google News sitemap: articles of the last 48 hours, newest first.
pub(crate) async fn news(State(state): State<AppState>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let articles = state.store.recent_articles(now, now - NEWS_WINDOW_MICROS, NEWS_MAX).await?;
    let dates = state.renderer.dates();
    let site = &state.site;
    // Google News takes the ISO 639 language alone (`ar`, not `ar-IQ`).
    let language = site.lang().split(['-', '_']).next().unwrap_or("ar").to_ascii_lowercase();
    let name = if site.publisher_name.is_empty() { &site.name } else { &site.publisher_name };
    let mut w = Writer::new(Vec::new());
    declaration(&mut w).map_err(WebError::internal)?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .with_attribute(("xmlns:news", NEWS_NS))
        .write_inner_content(|w| {
            for a in &articles {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc").write_text_content(BytesText::new(&absolute(site, &urls::article(a.id, &a.slug))))?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication").write_inner_content(|w| {
                            w.create_element("news:name").write_text_content(BytesText::new(name))?;
                            w.create_element("news:language").write_text_content(BytesText::new(&language))?;
                            Ok(())
                        })?;
                        w.create_element("news:publication_date").write_text_content(BytesText::new(&dates.rfc3339(a.published_at)))?;
                        w.create_element("news:title").write_text_content(BytesText::new(&a.title))?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })
        .map_err(WebError::internal)?;
    // The window moves by itself: the oldest entry leaves it.
    let leaves = articles.last().map(|a| a.published_at + NEWS_WINDOW_MICROS);
    let chrome = chrome.until(leaves, now);
    respond(w.into_inner(), &chrome, XML, "sitemap-news")
}

pub(crate) async fn robots(State(state): State<AppState>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let site = &state.site;
    // Search pages are crawled only when the site lets their first pages be indexed
    // (`--index-search`); the rest of them say noindex themselves.
    let search = if state.index_search { "" } else { "Disallow: /search\n" };
    let body = format!(
        "User-agent: *\nDisallow: /newsroom/\n{search}Disallow: /api/v1/search\nAllow: /\n\n\
         Sitemap: {}\nSitemap: {}\n",
        absolute(site, "/sitemap.xml"),
        absolute(site, "/sitemap-news.xml")
    );
    respond(body.into_bytes(), &chrome, "text/plain; charset=utf-8", "robots")
}

/// The OpenSearch description browsers add as a search engine, with the suggestions URL.
pub(crate) async fn opensearch(State(state): State<AppState>) -> WebResult {
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    let site = &state.site;
    // ShortName holds at most 16 characters.
    let short: String = site.name.chars().take(16).collect();
    let mut w = Writer::new(Vec::new());
    declaration(&mut w).map_err(WebError::internal)?;
    w.create_element("OpenSearchDescription")
        .with_attribute(("xmlns", "http://a9.com/-/spec/opensearch/1.1/"))
        .write_inner_content(|w| {
            w.create_element("ShortName").write_text_content(BytesText::new(&short))?;
            let description = if site.description.is_empty() { state.renderer.t_with("search-in-site", [("site", nashir_render::FluentValue::from(site.name.as_str()))]) } else { site.description.clone() };
            w.create_element("Description").write_text_content(BytesText::new(&description))?;
            w.create_element("InputEncoding").write_text_content(BytesText::new("UTF-8"))?;
            w.create_element("Language").write_text_content(BytesText::new(site.lang()))?;
            w.create_element("Image")
                .with_attribute(("type", "image/svg+xml"))
                .write_text_content(BytesText::new(&absolute(site, &state.renderer.asset_url("favicon.svg"))))?;
            w.create_element("Url")
                .with_attribute(("type", "text/html"))
                .with_attribute(("method", "get"))
                .with_attribute(("template", absolute(site, "/search?q={searchTerms}").as_str()))
                .write_empty()?;
            w.create_element("Url")
                .with_attribute(("type", "application/x-suggestions+json"))
                .with_attribute(("template", absolute(site, "/api/v1/search/opensearch?q={searchTerms}").as_str()))
                .write_empty()?;
            w.create_element("Url")
                .with_attribute(("type", "application/opensearchdescription+xml"))
                .with_attribute(("rel", "self"))
                .with_attribute(("template", absolute(site, "/opensearch.xml").as_str()))
                .write_empty()?;
            Ok(())
        })
        .map_err(WebError::internal)?;
    respond(w.into_inner(), &chrome, "application/opensearchdescription+xml; charset=utf-8", "opensearch")
}

/// `/{key}.txt`: the IndexNow key, proving the pings come from this site.
pub(crate) async fn root_file(State(state): State<AppState>, Path(file): Path<String>) -> WebResult {
    let key = state.syndication.indexnow_key.as_deref().ok_or(WebError::NotFound)?;
    if file.strip_suffix(".txt") != Some(key) {
        return Err(WebError::NotFound);
    }
    let now = nashir_store::now_micros();
    let chrome = Chrome::load(&state, now).await?;
    respond(key.as_bytes().to_vec(), &chrome, "text/plain; charset=utf-8", "indexnow")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_names() {
        assert_eq!(parse_child("articles-2026-11.xml"), Some(("articles", vec![2026, 11])));
        assert_eq!(parse_child("articles-2026-11-2.xml"), Some(("articles", vec![2026, 11, 2])));
        assert_eq!(parse_child("tags.xml"), Some(("tags", vec![])));
        assert_eq!(parse_child("tags-x.xml"), None);
        assert_eq!(parse_child("tags-99999999999999999999.xml"), None);
        assert_eq!(part_name("tags", 1), "tags.xml");
        assert_eq!(part_name("tags", 3), "tags-3.xml");
        assert_eq!(parts(0), 1);
        assert_eq!(parts(2_000), 1);
        assert_eq!(parts(2_001), 2);
    }
}
