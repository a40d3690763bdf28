//! The public site on demo content: regions, breadcrumbs, ticker expiry, comments,
//! redirects, 404, pagination, caching headers — and never an email address.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::server::{Server, sel, text};

/// The demo content, read from the same file the binary embeds.
fn demo() -> toml::Value {
    toml::from_str(include_str!("../../demo/demo.toml")).expect("demo.toml")
}

fn items<'a>(demo: &'a toml::Value, key: &str) -> &'a Vec<toml::Value> {
    demo[key].as_array().expect("array")
}

fn s<'a>(v: &'a toml::Value, key: &str) -> &'a str {
    v.get(key).and_then(|x| x.as_str()).unwrap_or("")
}

/// HTML-escaped form of a text as the theme writes it.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}

/// The first article link of the home page.
fn first_article_path(server: &Server) -> String {
    let home = server.get("/").html();
    let link = home
        .select(&sel("main a[href^='/news/']"))
        .next()
        .expect("home links to an article");
    link.value().attr("href").expect("href").to_owned()
}

fn contains_email(body: &str) -> Option<String> {
    // Any run like x@y.z; the theme has no reason to print one.
    let bytes: Vec<char> = body.chars().collect();
    for (i, c) in bytes.iter().enumerate() {
        if *c == '@' && i > 0 && i + 1 < bytes.len() {
            let before = bytes[i - 1];
            let after = bytes[i + 1];
            if (before.is_alphanumeric() || before == '.' || before == '_') && after.is_alphanumeric() {
                let start = i.saturating_sub(20);
                let end = (i + 20).min(bytes.len());
                return Some(bytes[start..end].iter().collect());
            }
        }
    }
    None
}

#[test]
fn home_page_is_arabic_right_to_left_with_ticker_lead_and_category_blocks() {
    let server = Server::demo(600);
    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or("").starts_with("text/html"));
    let html = r.html();
    let root = html.select(&sel("html")).next().expect("html");
    assert!(root.value().attr("lang").unwrap_or("").starts_with("ar"));
    assert_eq!(root.value().attr("dir"), Some("rtl"));
    let ticker = html.select(&sel("[data-region=breaking]")).next().expect("ticker");
    assert!(ticker.value().attr("hidden").is_none(), "live items must show");
    assert!(html.select(&sel(".card--lead")).next().is_some(), "lead story");
    let blocks = html.select(&sel("section.block")).count();
    let roots = items(&demo(), "categories").iter().filter(|c| s(c, "parent").is_empty()).count();
    assert_eq!(blocks, roots, "a block per top-level category");
    // Readable with no JavaScript: the only scripts are deferred enhancements, of the search
    // box and of the chrome (the ticker turning, the category bar's hint). (Structured data
    // is JSON, not a script that runs.)
    let scripts: Vec<_> = html.select(&sel("script:not([type='application/ld+json'])")).collect();
    assert_eq!(scripts.len(), 2, "two scripts");
    let fingerprinted = |src: &str| {
        ["/static/suggest.", "/static/chrome."].iter().any(|p| src.strip_prefix(p).and_then(|r| r.strip_suffix(".js")).is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit())))
    };
    assert!(scripts.iter().all(|s| s.value().attr("src").is_some_and(fingerprinted) && s.value().attr("defer").is_some() && s.inner_html().trim().is_empty()));
    assert!(!r.body.contains("@font-face") && !r.body.contains("fonts.googleapis"));
}

#[test]
fn ticker_shows_live_items_in_order_and_never_expired_ones() {
    let server = Server::demo(600);
    let body = server.get("/").body;
    let demo = demo();
    let mut live: Vec<(i64, &str)> = Vec::new();
    for b in items(&demo, "breaking") {
        let hours = b["expires_in_hours"].as_integer().unwrap_or(0);
        let soon = b.get("expires_soon").and_then(|x| x.as_bool()).unwrap_or(false);
        let text = s(b, "text");
        if hours < 0 && !soon {
            assert!(!body.contains(&esc(text)), "expired item shown: {text}");
        } else {
            live.push((b["position"].as_integer().unwrap_or(0), text));
        }
    }
    live.sort();
    let html = scraper::Html::parse_document(&body);
    let shown: Vec<String> = html.select(&sel("[data-region=breaking] li")).map(text).collect();
    let expected: Vec<String> = live.iter().map(|(_, t)| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(shown, expected, "live items in position order");
}

#[test]
fn a_breaking_item_disappears_when_it_expires_while_the_server_runs() {
    let server = Server::demo(3);
    let demo = demo();
    let expiring = items(&demo, "breaking")
        .iter()
        .find(|b| b.get("expires_soon").and_then(|x| x.as_bool()).unwrap_or(false))
        .map(|b| esc(s(b, "text")))
        .expect("demo has an expiring item");
    let article = first_article_path(&server);
    let before = server.get(&article).body;
    assert!(before.contains(&expiring), "the item is live at first");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = server.get(&article).body;
        if !now.contains(&expiring) {
            assert!(server.get("/").body.contains("data-region=\"breaking\""), "the region stays");
            break;
        }
        assert!(Instant::now() < deadline, "expired item still shown");
    }
}

#[test]
fn article_page_has_all_seven_regions_and_breadcrumbs_in_order() {
    let server = Server::demo(600);
    let path = first_article_path(&server);
    let r = server.get(&path);
    assert_eq!(r.status, 200, "{path}");
    let html = r.html();
    for region in ["breaking", "breadcrumbs", "article", "author-box", "check-also", "comments", "comment-form"] {
        assert!(
            html.select(&sel(&format!("[data-region={region}]"))).next().is_some(),
            "region {region} missing on {path}"
        );
    }
    let article = html.select(&sel("[data-region=article]")).next().expect("article");
    assert!(article.select(&sel("h1")).next().is_some(), "headline inside the article region");
    assert!(article.select(&sel("time[datetime]")).next().is_some(), "publication date");
    let hijri = article.select(&sel(".article__hijri")).next().map(text).unwrap_or_default();
    assert!(hijri.contains("هـ") || hijri.contains("١٤٤") || hijri.contains("144"), "hijri date: {hijri}");
    assert!(article.select(&sel(".article__body p")).count() >= 3, "body paragraphs");

    let crumbs: Vec<_> = html.select(&sel("[data-region=breadcrumbs] a")).collect();
    assert!(crumbs.len() >= 2);
    assert_eq!(crumbs[0].value().attr("href"), Some("/"));
    assert_eq!(text(crumbs[0]), "الرئيسية");
    for c in &crumbs[..crumbs.len() - 1] {
        assert!(c.value().attr("aria-current").is_none());
    }
    let last = crumbs.last().expect("last crumb");
    assert_eq!(last.value().attr("aria-current"), Some("page"));
    // Each crumb after home is a category whose URL extends the previous one's.
    let hrefs: Vec<&str> = crumbs[1..].iter().filter_map(|c| c.value().attr("href")).collect();
    for pair in hrefs.windows(2) {
        assert!(pair[1].starts_with(pair[0]), "ancestor before child: {pair:?}");
    }
    let primary = html.select(&sel(".article__cat")).next().and_then(|e| e.value().attr("href")).expect("category link");
    assert_eq!(last.value().attr("href"), Some(primary), "the last crumb is the primary category");

    let author = html.select(&sel("[data-region=author-box] a[href^='/author/']")).next();
    assert!(author.is_some(), "author box links to the author's page");
    let author_href = author.and_then(|a| a.value().attr("href")).expect("href").to_owned();
    assert_eq!(server.get(&author_href).status, 200);

    let related = html.select(&sel("[data-region=check-also] a")).next().expect("a related article");
    let related_href = related.value().attr("href").expect("href");
    assert_ne!(related_href, path, "never itself");
    let excerpt = html.select(&sel(".check-also__excerpt")).next().map(text).unwrap_or_default();
    assert!(excerpt.ends_with('…'), "excerpt cut with an ellipsis: {excerpt}");
    assert!(excerpt.chars().count() <= 180);

    let form = html.select(&sel("[data-region=comment-form]")).next().expect("form");
    let form_text = text(form);
    assert!(form_text.contains("لن يتم نشر"), "email notice");
    assert!(form.select(&sel("input[name=author_email][required]")).next().is_some());
    assert!(form.select(&sel("input[name=author_name][required]")).next().is_some());
    assert!(form.select(&sel(".required")).count() >= 3, "required marks");
}

#[test]
fn comments_are_threaded_approved_only_and_never_show_an_email() {
    let server = Server::demo(600);
    let demo = demo();
    let comments = items(&demo, "comments");
    let pending = comments.iter().find(|c| s(c, "status") == "pending").expect("a pending comment");
    // Find the article of the pending comment through its title on the home/category pages.
    let key = s(pending, "article");
    let title = items(&demo, "articles").iter().find(|a| s(a, "key") == key).map(|a| s(a, "title")).expect("article");
    let path = find_article_by_title(&server, title);
    let body = server.get(&path).body;
    assert!(!body.contains(&esc(s(pending, "body"))), "pending comment shown");
    for c in comments.iter().filter(|c| s(c, "article") == key && s(c, "status") == "approved") {
        assert!(body.contains(&esc(s(c, "body"))), "approved comment missing: {}", s(c, "key"));
    }
    let html = scraper::Html::parse_document(&body);
    assert!(
        html.select(&sel("[data-region=comments] .comment .comment .comment")).next().is_some()
            || comments.iter().filter(|c| s(c, "article") == key && c.get("parent").is_some()).count() == 0,
        "replies nest under their parents"
    );
    for c in comments {
        assert!(!body.contains(s(c, "email")), "email leaked");
    }
    assert_eq!(contains_email(&body), None);
}

/// Walks the site's lists to find the article with this title (as a reader would).
fn find_article_by_title(server: &Server, title: &str) -> String {
    let wanted = esc(title);
    let mut queue = vec!["/".to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) || seen.len() > 200 {
            continue;
        }
        let html = server.get(&path).html();
        for a in html.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap_or("");
            if href.starts_with("/news/") && a.inner_html().trim() == wanted {
                return href.to_owned();
            }
            if href.starts_with("/category/") || href.starts_with("/tag/") || href.starts_with("/author/") {
                queue.push(href.to_owned());
            }
        }
    }
    panic!("article not found: {title}");
}

#[test]
fn no_public_page_shows_an_email_address() {
    let server = Server::demo(600);
    let mut queue = vec!["/".to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) || seen.len() > 120 {
            continue;
        }
        let r = server.get(&path);
        assert!(r.status == 200 || r.status == 301, "{path}: {}", r.status);
        if let Some(found) = contains_email(&r.body) {
            panic!("{path} shows an email address: {found}");
        }
        for a in r.html().select(&sel("a[href^='/']")) {
            let href = a.value().attr("href").unwrap_or("").split('#').next().unwrap_or("").to_owned();
            if !href.starts_with("/static/") {
                queue.push(href);
            }
        }
    }
    assert!(seen.len() > 30, "crawled {} pages", seen.len());
}

#[test]
fn wrong_or_missing_slug_redirects_permanently_to_the_canonical_url() {
    let server = Server::demo(600);
    let path = first_article_path(&server);
    let id = path.split('/').nth(2).expect("id");
    for wrong in [format!("/news/{id}/wrong-slug"), format!("/news/{id}"), format!("/news/{id}/%D8%AE%D8%B7%D8%A3")] {
        let r = server.get(&wrong);
        assert_eq!(r.status, 301, "{wrong}");
        let location = r.header("location").expect("Location");
        assert!(location.is_ascii(), "percent-encoded Location: {location}");
        assert_eq!(location, path);
    }
    assert_eq!(server.get(&path).status, 200);
    let head = server.head(&path);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(server.head(&format!("/news/{id}/x")).status, 301);
}

#[test]
fn unknown_paths_get_the_arabic_404_page_with_a_search_box() {
    let server = Server::demo(600);
    for path in ["/no-such-page", "/news/999999/x", "/news/abc/x", "/category/لا-يوجد/", "/tag/nothing/", "/author/nobody/", "/static/nope.css", "/category/a/../../etc/passwd"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        let html = r.html();
        assert!(html.select(&sel("form[action='/search'] input[name=q]")).next().is_some(), "{path}: search box");
        assert!(r.body.contains("الصفحة غير موجودة"));
        assert!(html.select(&sel("[data-region=breaking]")).next().is_some(), "ticker region on every page");
    }
    assert_eq!(server.head("/no-such-page").status, 404);
}

#[test]
fn category_pages_include_subcategories_and_paginate() {
    let server = Server::demo(600);
    let demo = demo();
    // Count articles per category (primary and others) to find one that spans pages.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for a in items(&demo, "articles") {
        let mut cats = vec![s(a, "category")];
        for c in a.get("also").and_then(|v| v.as_array()).into_iter().flatten() {
            cats.push(c.as_str().unwrap_or(""));
        }
        cats.sort();
        cats.dedup();
        for c in cats {
            *counts.entry(c).or_default() += 1;
        }
    }
    let cats = items(&demo, "categories");
    let parent_of = |slug: &str| cats.iter().find(|c| s(c, "slug") == slug).map(|c| s(c, "parent")).unwrap_or("");
    let (big, n) = counts.iter().filter(|(c, _)| !parent_of(c).is_empty()).max_by_key(|(_, n)| **n).expect("a child category");
    assert!(*n > 10, "the demo has a category that paginates");
    let parent = parent_of(big);
    let path = format!("/category/{parent}/{big}/");
    let first = server.get(&path);
    assert_eq!(first.status, 200, "{path}");
    let html = first.html();
    assert_eq!(html.select(&sel(".list .card")).count(), 10);
    let pagination = html.select(&sel("[data-region=pagination]")).next().expect("pagination");
    let next = pagination.select(&sel("a[rel=next]")).next().expect("next link");
    let second = server.get(next.value().attr("href").expect("href"));
    assert_eq!(second.status, 200);
    let second_cards = second.html().select(&sel(".list .card")).count();
    assert_eq!(second_cards, (*n - 10).min(10));
    let first_titles: Vec<String> = html.select(&sel(".list .card .card__title")).map(text).collect();
    let second_titles: Vec<String> = second.html().select(&sel(".list .card .card__title")).map(text).collect();
    assert_eq!(first_titles.len(), 10, "each card has its title");
    assert!(first_titles.iter().all(|t| !second_titles.contains(t)), "pages do not overlap");
    assert_eq!(server.get(&format!("{path}?page=99")).status, 404);
    assert_eq!(server.get(&format!("{path}?page=abc")).status, 200);

    // The parent's page lists at least as many (its own and every child's).
    let parent_page = server.get(&format!("/category/{parent}/"));
    assert_eq!(parent_page.status, 200);
    let parent_html = parent_page.html();
    assert!(parent_html.select(&sel(".list .card")).count() == 10);
    assert!(parent_html.select(&sel(".list-head__subs a")).count() >= 2, "lists its subcategories");
    // A child is not reachable without its parent in the path.
    assert_eq!(server.get(&format!("/category/{big}/")).status, 404);
}

#[test]
fn tag_and_author_pages_list_their_articles() {
    let server = Server::demo(600);
    let demo = demo();
    let tag = items(&demo, "tags").iter().map(|t| s(t, "slug")).find(|slug| {
        items(&demo, "articles").iter().any(|a| {
            a.get("tags").and_then(|t| t.as_array()).is_some_and(|ts| ts.iter().any(|t| t.as_str() == Some(slug)))
        })
    });
    let tag = tag.expect("a used tag");
    let r = server.get(&format!("/tag/{tag}/"));
    assert_eq!(r.status, 200);
    assert!(r.html().select(&sel(".list .card")).count() >= 1);
    let author = s(&items(&demo, "authors")[0], "slug");
    let r = server.get(&format!("/author/{author}"));
    assert_eq!(r.status, 200);
    assert!(r.html().select(&sel(".list .card")).count() >= 1);
    assert!(!r.body.contains(s(&items(&demo, "authors")[0], "email")));
}

#[test]
fn pages_carry_cache_validators_and_security_headers() {
    let server = Server::demo(600);
    let r = server.get("/");
    let etag = r.header("etag").expect("ETag").to_owned();
    assert!(r.header("cache-control").unwrap_or("").contains("s-maxage"));
    assert!(r.header("content-security-policy").unwrap_or("").contains("default-src 'self'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("surrogate-key"), Some("home lists site"));
    let again = server.get_with("/", &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap_or("").starts_with("text/css"));
    let gz = server.get_with("/", &[("accept-encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    // A kept page: each coding stored once, with its own validator.
    let br = server.get_with("/", &[("accept-encoding", "gzip, br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_ne!(br.header("etag"), gz.header("etag"));
    assert_eq!(server.get_with("/", &[("accept-encoding", "br"), ("if-none-match", br.header("etag").expect("etag"))]).status, 304);
    assert!(br.header("content-security-policy").is_some(), "kept pages carry the security headers too");
}

/// Static files are named by their content, kept by browsers for a year, and compressed once.
#[test]
fn static_files_are_fingerprinted_immutable_and_precompressed() {
    let server = Server::demo(600);
    let home = server.get("/").html();
    let css = home.select(&sel("link[rel=stylesheet]")).next().and_then(|l| l.value().attr("href").map(str::to_owned)).expect("stylesheet");
    assert!(css.starts_with("/static/style.") && css.ends_with(".css") && css != "/static/style.css", "{css}");
    let r = server.get_with(&css, &[("accept-encoding", "br")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(r.header("content-encoding"), Some("br"));
    let plain = server.get(&css);
    assert!(plain.body.contains("unicode-bidi") && plain.header("content-encoding").is_none());
    assert_eq!(server.get_with(&css, &[("if-none-match", plain.header("etag").expect("etag"))]).status, 304);
    // The plain name still answers (hand-written links), but is not kept for long.
    let old = server.get("/static/style.css");
    assert_eq!(old.status, 200);
    assert!(!old.header("cache-control").unwrap_or("").contains("immutable"));
    // A name with another hash is not a file.
    assert_eq!(server.get("/static/style.0000000000.css").status, 404);
}
