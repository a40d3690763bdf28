//! What search engines and social networks read from a page beyond its text: JSON-LD
//! (`NewsArticle`, `BreadcrumbList`, `WebSite` with its `SearchAction`, the publisher as a
//! `NewsMediaOrganization`, `ProfilePage`), built as JSON values and serialized by
//! `serde_json`, then made safe inside `<script>`: no text can close the element or open a
//! comment, whatever an article's title or body holds.

use nashir_render::SiteInfo;
use serde_json::{Value, json};

use crate::views::Crumb;

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` written as
/// `\u003c`, `\u003e`, `\u0026` (still the same JSON strings), and the line separators
/// some parsers choke on escaped too.
pub(crate) fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line separators, and bidi controls (the same JSON string, no raw control in the page).
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// An absolute URL: paths get the site's address in front, absolute URLs stay.
pub(crate) fn absolute(site: &SiteInfo, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        url.to_owned()
    } else if let Some(rest) = url.strip_prefix("//") {
        let scheme = if site.public_url.starts_with("https://") { "https" } else { "http" };
        format!("{scheme}://{rest}")
    } else if url.starts_with('/') {
        format!("{}{url}", site.public_url)
    } else {
        format!("{}/{url}", site.public_url)
    }
}

/// The publisher's logo: the setting, else the theme's icon.
pub(crate) fn logo(state: &crate::state::AppState) -> String {
    match &state.syndication.publisher_logo {
        Some(url) => absolute(&state.site, url),
        None => absolute(&state.site, &state.renderer.asset_url("favicon.svg")),
    }
}

/// The publisher, as every page's structured data names it.
pub(crate) fn publisher(site: &SiteInfo, logo: &str) -> Value {
    let mut org = json!({
        "@type": "NewsMediaOrganization",
        "@id": format!("{}/#publisher", site.public_url),
        "name": site.publisher_name,
        "url": if site.publisher_url.is_empty() { format!("{}/", site.public_url) } else { site.publisher_url.clone() },
        "logo": { "@type": "ImageObject", "url": logo },
    });
    if !site.publisher_description.is_empty() {
        org["description"] = json!(site.publisher_description);
    }
    org
}

/// A `BreadcrumbList` naming the same steps as the visible breadcrumbs.
pub(crate) fn breadcrumbs(site: &SiteInfo, crumbs: &[Crumb]) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut item = json!({ "@type": "ListItem", "position": i + 1, "name": c.name });
            if !c.url.is_empty() {
                item["item"] = json!(absolute(site, &c.url));
            }
            item
        })
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

/// What a `NewsArticle` says, gathered by the article page.
pub(crate) struct NewsArticle<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub canonical: &'a str,
    pub published: String,
    pub modified: String,
    pub author_name: Option<&'a str>,
    pub author_url: Option<String>,
    pub section: Option<&'a str>,
    pub keywords: Vec<&'a str>,
    pub image: Option<String>,
}

pub(crate) fn news_article(site: &SiteInfo, logo: &str, a: &NewsArticle<'_>) -> Value {
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.description,
        "datePublished": a.published,
        "dateModified": a.modified,
        "mainEntityOfPage": { "@type": "WebPage", "@id": a.canonical },
        "url": a.canonical,
        "inLanguage": site.lang(),
        "isAccessibleForFree": true,
        "publisher": publisher(site, logo),
    });
    let author = match (a.author_name, &a.author_url) {
        (Some(name), Some(url)) => json!({ "@type": "Person", "name": name, "url": url }),
        (Some(name), None) => json!({ "@type": "Person", "name": name }),
        _ => json!({ "@type": "Organization", "name": site.publisher_name }),
    };
    v["author"] = json!([author]);
    if let Some(section) = a.section {
        v["articleSection"] = json!(section);
    }
    if !a.keywords.is_empty() {
        v["keywords"] = json!(a.keywords);
    }
    if let Some(image) = &a.image {
        v["image"] = json!([image]);
    }
    v
}

/// The home page's `WebSite` (with the search box search engines may show) and publisher.
pub(crate) fn website(site: &SiteInfo, logo: &str) -> Value {
    let mut org = publisher(site, logo);
    org["@context"] = json!("https://schema.org");
    let web_site = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": format!("{}/#website", site.public_url),
        "name": site.name,
        "url": format!("{}/", site.public_url),
        "inLanguage": site.lang(),
        "publisher": { "@id": format!("{}/#publisher", site.public_url) },
        "potentialAction": {
            "@type": "SearchAction",
            "target": { "@type": "EntryPoint", "urlTemplate": format!("{}/search?q={{search_term_string}}", site.public_url) },
            "query-input": "required name=search_term_string",
        },
    });
    json!([web_site, org])
}

/// An author page's `ProfilePage` about the `Person`.
pub(crate) fn profile_page(site: &SiteInfo, name: &str, bio: &str, url: &str) -> Value {
    let mut person = json!({ "@type": "Person", "name": name, "url": url });
    if !bio.is_empty() {
        person["description"] = json!(bio);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "inLanguage": site.lang(),
        "mainEntity": person,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element_and_reads_back_the_same() {
        let title = "</script><script>alert(1)</script> \"قال\" & <!-- \u{202E}";
        let text = script_json(&json!({ "headline": title }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["headline"], title);
    }
}
