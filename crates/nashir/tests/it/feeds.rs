//! Feeds, sitemaps, structured data and pings, read the way their consumers read them:
//! feeds by Python's `feedparser`, sitemaps by `xmllint --schema` against the sitemaps.org
//! and Google News schemas, JSON-LD by a JSON parser, pings by receivers on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::newsroom::{PASSWORD, PgDatabase, create_article, login};
use crate::server::{Server, command, sel, shared, text};

/// A title every format must carry exactly as typed.
const TRICKY_TITLE: &str = "صحة & تعليم <مقابلة>";

/// Three posts around Lebanon's 2026 change to summer time (29 March, 00:00 → 01:00) and
/// one just after midnight local time on 1 April: in UTC it is still 31 March.
const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_email><![CDATA[writer.secret@old.example]]></wp:author_email><wp:author_display_name><![CDATA[ريم الكاتبة]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename><![CDATA[siyasa]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[سياسة]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[barlaman]]></wp:category_nicename><wp:category_parent><![CDATA[siyasa]]></wp:category_parent><wp:cat_name><![CDATA[برلمان]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug><![CDATA[taalim]]></wp:tag_slug><wp:tag_name><![CDATA[تعليم]]></wp:tag_name></wp:tag>
<item><title>صورة</title><link>https://old.example/photo/</link><wp:post_id>50</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status><wp:post_date_gmt><![CDATA[2026-03-28 09:00:00]]></wp:post_date_gmt><wp:attachment_url><![CDATA[https://cdn.example/wp-content/uploads/2026/03/clinic.jpg]]></wp:attachment_url></item>
<item><title><![CDATA[صحة & تعليم <مقابلة>]]></title><link>https://old.example/?p=10</link><dc:creator><![CDATA[writer]]></dc:creator>
<category domain="category" nicename="barlaman"><![CDATA[برلمان]]></category><category domain="post_tag" nicename="taalim"><![CDATA[تعليم]]></category>
<content:encoded><![CDATA[<p>قال الوزير: "لن نغلق المدارس" &amp; أضاف {BIDI_OPEN}نصاً{BIDI_CLOSE} </script><script>alert(1)</script></p><p><a href="/page/about/">عن الموقع</a> <img src="/wp-content/uploads/x.png" alt="رسم"></p>]]></content:encoded>
<excerpt:encoded><![CDATA[مقابلة عن </script> "التعليم" & الصحة]]></excerpt:encoded>
<wp:post_id>10</wp:post_id><wp:post_date_gmt><![CDATA[2026-03-28 12:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[tricky]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[50]]></wp:meta_value></wp:postmeta>
</item>
<item><title>بعد التوقيت الصيفي</title><link>https://old.example/?p=11</link><dc:creator><![CDATA[writer]]></dc:creator>
<category domain="category" nicename="siyasa"><![CDATA[سياسة]]></category>
<content:encoded><![CDATA[<p>نص الخبر الثاني.</p>]]></content:encoded><wp:post_id>11</wp:post_id><wp:post_date_gmt><![CDATA[2026-03-30 12:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[summer]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
</item>
<item><title>منتصف ليل نيسان</title><link>https://old.example/?p=12</link><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[<p>نص الخبر الثالث.</p>]]></content:encoded><wp:post_id>12</wp:post_id><wp:post_date_gmt><![CDATA[2026-03-31 22:30:00]]></wp:post_date_gmt><wp:post_name><![CDATA[april]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
</item>
<item><title>مسودة سرية</title><link>https://old.example/?p=13</link><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[<p>لم تنشر.</p>]]></content:encoded><wp:post_id>13</wp:post_id><wp:post_date_gmt><![CDATA[2026-03-31 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[draft]]></wp:post_name><wp:status><![CDATA[draft]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
</item>
</channel></rss>"#;

/// `WXR` with its bidi marks (a right-to-left mark, an embedding and its end) put in.
fn wxr() -> String {
    WXR.replace("{BIDI_OPEN}", "\u{200F}\u{202B}").replace("{BIDI_CLOSE}", "\u{202C}")
}

/// The site of `WXR` in Beirut's time zone, with `extra` settings.
fn imported_site(extra: &[&str]) -> Server {
    let data = tempfile::tempdir().expect("tmp");
    let file = data.path().join("export.xml");
    std::fs::write(&file, wxr()).expect("write");
    let out = command().args(["import", "wordpress"]).arg(&file).arg("--data-dir").arg(data.path()).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut args = vec!["--time-zone", "Asia/Beirut", "--site-name", "شبكة & أخبار"];
    args.extend(extra);
    Server::start(&args, &[], Some(data))
}

/// `imported_site` with an editor, editor@example.com.
fn imported_site_with_editor(extra: &[&str]) -> Server {
    let data = tempfile::tempdir().expect("tmp");
    let file = data.path().join("export.xml");
    std::fs::write(&file, wxr()).expect("write");
    let out = command().args(["import", "wordpress"]).arg(&file).arg("--data-dir").arg(data.path()).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = crate::newsroom::add_user(data.path(), "editor@example.com", "محررة", "editor", PASSWORD);
    assert!(out.status.success());
    let mut args = vec!["--time-zone", "Asia/Beirut", "--site-name", "شبكة & أخبار"];
    args.extend(extra);
    Server::start(&args, &[], Some(data))
}

/// What `feedparser` makes of a feed, as JSON.
const FEEDPARSER: &str = r#"
import json, sys, calendar, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
out = {
  "bozo": int(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "language": d.feed.get("language"),
  "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
  "entries": [{
    "title": e.get("title"), "link": e.get("link"), "author": e.get("author"),
    "published": calendar.timegm(e.published_parsed) if e.get("published_parsed") else None,
    "published_raw": e.get("published"),
    "tags": [t.get("term") for t in e.get("tags", [])],
    "content": (e.get("content") or [{}])[0].get("value"),
    "summary": e.get("summary"),
    "media": [m.get("url") for m in e.get("media_content", [])],
    "enclosures": [x.get("href") for x in e.get("enclosures", [])],
  } for e in d.entries],
}
print(json.dumps(out))
"#;

fn feedparser(body: &str) -> Value {
    let mut child = std::process::Command::new("python3")
        .args(["-c", FEEDPARSER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().expect("stdin").write_all(body.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "feedparser is needed (scripts/test installs it): {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn utc(s: &str) -> i64 {
    // "2026-03-28 12:00:00" → unix seconds, by days from the civil date.
    let (date, time) = s.split_once(' ').expect("date time");
    let d: Vec<i64> = date.split('-').map(|p| p.parse().expect("n")).collect();
    let t: Vec<i64> = time.split(':').map(|p| p.parse().expect("n")).collect();
    let (y, m) = if d[1] <= 2 { (d[0] - 1, d[1] + 9) } else { (d[0], d[1] - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d[2] - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]
}

#[test]
fn feeds_are_read_by_feedparser_with_their_entries_dates_and_escaping() {
    let server = imported_site(&[]);
    let base = &server.url;
    for path in ["/feed", "/feed/atom"] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        let ct = r.header("content-type").unwrap_or("");
        assert!(ct.contains("xml") && ct.contains("charset=utf-8"), "{path}: {ct}");
        assert!(!r.body.contains("writer.secret"), "no author email in {path}");
        let f = feedparser(&r.body);
        assert_eq!(f["bozo"], 0, "{path}: {}", f["error"]);
        assert_eq!(f["title"], "شبكة & أخبار", "{path}: the site name read back as typed");
        assert_eq!(f["language"], "ar", "{path}");
        let entries = f["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 3, "{path}: the three published posts, no draft");
        assert_eq!(entries[0]["title"], "منتصف ليل نيسان", "{path}: newest first");
        let tricky = entries.iter().find(|e| e["link"].as_str().is_some_and(|l| l.contains("/tricky"))).expect("tricky entry");
        assert_eq!(tricky["title"], TRICKY_TITLE, "{path}: escaped exactly once");
        assert_eq!(tricky["author"], "ريم الكاتبة", "{path}");
        assert_eq!(tricky["published"], utc("2026-03-28 12:00:00"), "{path}");
        let tags: Vec<&str> = tricky["tags"].as_array().expect("tags").iter().filter_map(Value::as_str).collect();
        assert!(tags.contains(&"برلمان") && tags.contains(&"تعليم"), "{path}: {tags:?}");
        let content = tricky["content"].as_str().expect("whole article");
        assert!(content.contains(&format!("{base}/page/about/")), "{path}: absolute links: {content}");
        assert!(content.contains(&format!("src=\"{base}/wp-content/uploads/x.png\"")), "{path}: a relative image made absolute: {content}");
        assert!(!content.contains("<script"), "{path}");
        let image = "https://cdn.example/wp-content/uploads/2026/03/clinic.jpg";
        assert!(tricky["media"].as_array().expect("media").iter().any(|m| m == image), "{path}: media:content {}", tricky["media"]);
        assert!(tricky["enclosures"].as_array().expect("enclosures").iter().any(|m| m == image), "{path}: enclosure");
        let summer = entries.iter().find(|e| e["title"] == "بعد التوقيت الصيفي").expect("summer entry");
        assert_eq!(summer["published"], utc("2026-03-30 12:00:00"), "{path}");
    }
    // The offsets on either side of the change, as written.
    let rss = server.get("/feed").body;
    assert!(rss.contains("Sat, 28 Mar 2026 14:00:00 +0200") && rss.contains("Mon, 30 Mar 2026 15:00:00 +0300"), "{rss}");
    let atom = server.get("/feed/atom").body;
    assert!(atom.contains("2026-03-28T14:00:00+02:00") && atom.contains("2026-03-30T15:00:00+03:00"), "{atom}");
    assert!(atom.contains("xml:lang=\"ar\""));

    let json: Value = serde_json::from_str(&server.get("/feed.json").body).expect("JSON Feed");
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    let tricky = items.iter().find(|i| i["title"] == TRICKY_TITLE).expect("tricky item");
    assert_eq!(tricky["date_published"], "2026-03-28T14:00:00+02:00");
    assert_eq!(tricky["authors"][0]["name"], "ريم الكاتبة");
    assert!(!server.get("/feed.json").body.contains("writer.secret"));

    // A category's feed holds its subcategories' articles; tag and author feeds; 304.
    let cat = feedparser(&server.get("/category/siyasa/feed").body);
    let titles: Vec<&str> = cat["entries"].as_array().expect("e").iter().filter_map(|e| e["title"].as_str()).collect();
    assert_eq!(titles, vec!["بعد التوقيت الصيفي", TRICKY_TITLE], "a category's feed includes its subcategories");
    assert_eq!(feedparser(&server.get("/category/siyasa/barlaman/feed/atom").body)["entries"].as_array().map(Vec::len), Some(1));
    let cat_json: Value = serde_json::from_str(&server.get("/category/siyasa/feed.json").body).expect("json");
    assert_eq!(cat_json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(feedparser(&server.get("/tag/taalim/feed").body)["entries"].as_array().map(Vec::len), Some(1));
    for path in ["/feed", "/feed/atom", "/feed.json", "/category/siyasa/feed", "/tag/taalim/feed.json"] {
        let r = server.get(path);
        let etag = r.header("etag").expect("etag").to_owned();
        let again = server.get_with(path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
    }
    assert_eq!(server.get("/category/no-such/feed").status, 404);
    assert_eq!(server.get("/tag/taalim/feeds").status, 404);

    // The HTML pages name their feeds.
    let list = server.get("/category/siyasa/");
    let alternates: Vec<String> = list
        .html()
        .select(&sel("link[rel=alternate]"))
        .filter_map(|l| l.value().attr("href").map(str::to_owned))
        .collect();
    for want in ["/feed", "/feed/atom", "/feed.json", "/category/siyasa/feed", "/category/siyasa/feed/atom", "/category/siyasa/feed.json"] {
        assert!(alternates.iter().any(|a| a == want), "{want} in {alternates:?}");
    }
}

#[test]
fn author_feeds_excerpt_setting_and_item_limit() {
    let server = imported_site(&["--feed-items", "2", "--feed-excerpts"]);
    let home = server.get("/feed");
    let f = feedparser(&home.body);
    let entries = f["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "--feed-items");
    assert!(!home.body.contains("content:encoded"), "--feed-excerpts leaves whole articles out");
    let article = server.get(&entries[0]["link"].as_str().expect("link").replace(&server.url, ""));
    let author_href = article.html().select(&sel("a[href^='/author/']")).next().and_then(|a| a.value().attr("href").map(str::to_owned)).expect("author link");
    let author_feed = feedparser(&server.get(&format!("{author_href}feed/atom")).body);
    assert_eq!(author_feed["bozo"], 0);
    assert_eq!(author_feed["entries"].as_array().map(Vec::len), Some(2));
    let json: Value = serde_json::from_str(&server.get(&format!("{author_href}feed.json")).body).expect("json");
    assert!(json["items"][0]["summary"].is_string() && json["items"][0]["content_html"].as_str().is_some_and(|c| c.starts_with("<p>")));
}

fn xmllint(schema: &std::path::Path, xml: &str) -> Result<(), String> {
    let mut child = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(schema)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint (libxml2-utils)");
    child.stdin.take().expect("stdin").write_all(xml.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("xmllint");
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()).map(str::to_owned).collect()
}

#[test]
fn sitemaps_validate_split_by_month_and_by_2000_and_name_every_public_page() {
    let Some(schemas) = shared("schemas") else { return };
    let data = tempfile::tempdir().expect("tmp");
    let file = data.path().join("export.xml");
    std::fs::write(&file, wxr()).expect("write");
    let out = command().args(["import", "wordpress"]).arg(&file).arg("--data-dir").arg(data.path()).output().expect("import");
    assert!(out.status.success());
    // 2,001 articles in January 2026: two sitemaps for that month.
    let lines: String = (0..2001)
        .map(|i| format!("{{\"id\": \"j{i}\", \"title\": \"خبر رقم {i}\", \"body\": \"<p>نص {i}</p>\", \"category\": \"منوعات\", \"date\": \"2026-01-{:02}T10:{:02}:00Z\"}}\n", i % 28 + 1, i % 60))
        .collect();
    let jsonl = data.path().join("many.jsonl");
    std::fs::write(&jsonl, lines).expect("write");
    let out = command().args(["import", "jsonl"]).arg(&jsonl).arg("--data-dir").arg(data.path()).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    crate::newsroom::add_user(data.path(), "editor@example.com", "محررة", "editor", PASSWORD);
    let server = Server::start(&["--time-zone", "Asia/Beirut"], &[], Some(data));
    let editor = login(&server, "editor@example.com");
    let fresh = create_article(&editor, "خبر عاجل الآن", "publish", &[]);

    let index = server.get("/sitemap.xml");
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").is_some_and(|c| c.contains("xml") && c.contains("charset=utf-8")));
    xmllint(&schemas.join("siteindex.xsd"), &index.body).unwrap_or_else(|e| panic!("index: {e}\n{}", index.body));
    let children = locs(&index.body);
    let names: Vec<&str> = children.iter().filter_map(|c| c.rsplit('/').next()).collect();
    for want in ["articles-2026-01.xml", "articles-2026-01-2.xml", "articles-2026-03.xml", "articles-2026-04.xml", "categories.xml", "tags.xml", "authors.xml"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let mut all = Vec::new();
    for child in &children {
        let r = server.get(&child.replace(&server.url, ""));
        assert_eq!(r.status, 200, "{child}");
        xmllint(&schemas.join("sitemap.xsd"), &r.body).unwrap_or_else(|e| panic!("{child}: {e}"));
        let urls = locs(&r.body);
        assert!(urls.len() <= 2000, "{child} has {}", urls.len());
        all.extend(urls);
    }
    assert_eq!(all.iter().filter(|u| u.contains("/news/")).count(), 2001 + 3 + 1, "every published article once, no draft");
    let april = server.get("/sitemaps/articles-2026-04.xml").body;
    assert!(april.contains("/april") && !april.contains("/summer"), "31 March 22:30 UTC is 1 April in Beirut");
    assert_eq!(locs(&server.get("/sitemaps/articles-2026-01-2.xml").body).len(), 1);
    assert_eq!(server.get("/sitemaps/articles-2026-01-3.xml").status, 404);
    assert_eq!(server.get("/sitemaps/articles-2026-13.xml").status, 404);
    assert_eq!(server.get("/sitemaps/nothing.xml").status, 404);
    for want in ["/category/siyasa/", "/category/siyasa/barlaman/", "/tag/taalim/", "/author/"] {
        assert!(all.iter().any(|u| u.contains(want)), "{want}");
    }
    assert!(!all.iter().any(|u| u.contains("/draft")));

    let news = server.get("/sitemap-news.xml");
    xmllint(&schemas.join("news-sitemap-check.xsd"), &news.body).unwrap_or_else(|e| panic!("news: {e}\n{}", news.body));
    let news_urls = locs(&news.body);
    assert_eq!(news_urls.len(), 1, "only the last 48 hours: {news_urls:?}");
    assert!(news_urls[0].contains(&format!("/news/{fresh}/")));
    assert!(news.body.contains("<news:language>ar</news:language>") && news.body.contains("<news:title>خبر عاجل الآن</news:title>"));

    let robots = server.get("/robots.txt");
    assert!(robots.header("content-type").is_some_and(|c| c.starts_with("text/plain")));
    for line in ["Disallow: /newsroom/", "Disallow: /search", &format!("Sitemap: {}/sitemap.xml", server.url), &format!("Sitemap: {}/sitemap-news.xml", server.url)] {
        assert!(robots.body.lines().any(|l| l == line), "{line} in {}", robots.body);
    }
}

fn json_ld(page: &crate::server::Response) -> Vec<Value> {
    let html = page.html();
    let mut out = Vec::new();
    for script in html.select(&sel("script[type='application/ld+json']")) {
        let v: Value = serde_json::from_str(&script.inner_html()).unwrap_or_else(|e| panic!("JSON-LD: {e}: {}", script.inner_html()));
        match v {
            Value::Array(items) => out.extend(items),
            v => out.push(v),
        }
    }
    out
}

fn meta(page: &crate::server::Response, property: &str) -> Vec<String> {
    let html = page.html();
    let selector = format!("meta[property='{property}'], meta[name='{property}']");
    html.select(&sel(&selector)).filter_map(|m| m.value().attr("content").map(str::to_owned)).collect()
}

#[test]
fn structured_data_and_social_cards_are_complete_and_nothing_breaks_out_of_them() {
    let server = imported_site_with_editor(&["--publisher-logo", "/static/logo.png"]);
    let feed = feedparser(&server.get("/feed").body);
    let link = feed["entries"].as_array().expect("e").iter().find(|e| e["title"] == TRICKY_TITLE).and_then(|e| e["link"].as_str()).expect("link").to_owned();
    let path = link.replace(&server.url, "");
    let page = server.get(&path);
    assert_eq!(page.status, 200);
    // The hostile title and body are text, never a script.
    assert_eq!(page.html().select(&sel("script:not([src])")).count(), 1, "one inline script: the JSON-LD");
    let ld = json_ld(&page);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").expect("NewsArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], TRICKY_TITLE);
    let standfirst = page.html().select(&sel(".article__standfirst")).next().map(text).expect("standfirst");
    assert_eq!(article["description"], standfirst.as_str());
    assert_eq!(article["datePublished"], "2026-03-28T14:00:00+02:00");
    assert!(article["dateModified"].is_string());
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "ريم الكاتبة");
    assert!(article["author"][0]["url"].as_str().is_some_and(|u| u.starts_with(&format!("{}/author/", server.url))));
    assert_eq!(article["publisher"]["@type"], "NewsMediaOrganization");
    assert_eq!(article["publisher"]["logo"]["url"], format!("{}/static/logo.png", server.url));
    assert_eq!(article["mainEntityOfPage"]["@id"], link.as_str());
    assert_eq!(article["articleSection"], "برلمان");
    assert_eq!(article["inLanguage"], "ar");
    assert_eq!(article["isAccessibleForFree"], true);
    assert_eq!(article["image"][0], "https://cdn.example/wp-content/uploads/2026/03/clinic.jpg");
    let crumbs = ld.iter().find(|v| v["@type"] == "BreadcrumbList").expect("BreadcrumbList");
    let ld_names: Vec<String> =
        crumbs["itemListElement"].as_array().expect("items").iter().map(|i| i["name"].as_str().unwrap_or("").to_owned()).collect();
    let visible: Vec<String> = page.html().select(&sel(".breadcrumbs li")).map(text).collect();
    assert!(!visible.is_empty());
    assert_eq!(ld_names, visible, "the same steps as the visible breadcrumbs");
    for (i, item) in crumbs["itemListElement"].as_array().expect("items").iter().enumerate() {
        assert_eq!(item["position"], i + 1);
    }
    assert!(!page.body.contains("writer.secret"));

    // OpenGraph and Twitter.
    assert_eq!(meta(&page, "og:type"), ["article"]);
    assert_eq!(meta(&page, "og:title"), [TRICKY_TITLE]);
    assert_eq!(meta(&page, "og:locale"), ["ar_AR"]);
    assert_eq!(meta(&page, "og:site_name"), ["شبكة & أخبار"]);
    assert_eq!(meta(&page, "og:url"), [link.as_str()]);
    assert_eq!(meta(&page, "og:image"), ["https://cdn.example/wp-content/uploads/2026/03/clinic.jpg"]);
    assert_eq!(meta(&page, "article:section"), ["برلمان"]);
    assert_eq!(meta(&page, "article:tag"), ["تعليم"]);
    assert_eq!(meta(&page, "article:published_time").len(), 1);
    assert_eq!(meta(&page, "article:modified_time").len(), 1);
    assert_eq!(meta(&page, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&page, "description"), [standfirst.as_str()]);
    assert_eq!(page.html().select(&sel("link[rel=canonical]")).next().and_then(|l| l.value().attr("href").map(str::to_owned)), Some(link.clone()));

    // A title and body written to break out of the script element stay text.
    // Titles are read as HTML (as WordPress does): entities typed become the characters.
    let typed = "عنوان &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; \"مقتبس\" \u{200F}&lt;!-- x";
    let hostile = "عنوان </script><script>alert(1)</script> \"مقتبس\" \u{200F}<!-- x";
    let editor = login(&server, "editor@example.com");
    let id = create_article(&editor, typed, "publish", &[("body", "<p>نص فيه &lt;/script&gt; و \"اقتباس\" \u{202E}معكوس</p>")]);
    let r = server.get(&format!("/news/{id}"));
    let page2 = server.get(r.header("location").expect("canonical"));
    assert_eq!(page2.html().select(&sel("script:not([src])")).count(), 1, "one inline script: the JSON-LD");
    let ld2 = json_ld(&page2);
    let a2 = ld2.iter().find(|v| v["@type"] == "NewsArticle").expect("NewsArticle");
    assert_eq!(a2["headline"], hostile);
    assert!(a2["description"].as_str().is_some_and(|d| d.contains("</script>")), "{}", a2["description"]);
    assert_eq!(meta(&page2, "og:title"), [hostile]);

    // Home: WebSite with its SearchAction, and the publisher.
    let home = server.get("/");
    let ld = json_ld(&home);
    let site = ld.iter().find(|v| v["@type"] == "WebSite").expect("WebSite");
    assert_eq!(site["potentialAction"]["@type"], "SearchAction");
    assert_eq!(site["potentialAction"]["target"]["urlTemplate"], format!("{}/search?q={{search_term_string}}", server.url));
    assert_eq!(site["potentialAction"]["query-input"], "required name=search_term_string");
    assert!(ld.iter().any(|v| v["@type"] == "NewsMediaOrganization" && v["name"].is_string() && v["logo"]["url"].is_string()));
    assert_eq!(meta(&home, "og:type"), ["website"]);
    assert!(home.html().select(&sel("link[rel=search][type='application/opensearchdescription+xml']")).next().is_some());

    // Author: a ProfilePage about the Person.
    let author_href = page.html().select(&sel("a[href^='/author/']")).next().and_then(|a| a.value().attr("href").map(str::to_owned)).expect("author");
    let author = server.get(&author_href);
    let profile = json_ld(&author).into_iter().find(|v| v["@type"] == "ProfilePage").expect("ProfilePage");
    assert_eq!(profile["mainEntity"]["@type"], "Person");
    assert_eq!(profile["mainEntity"]["name"], "ريم الكاتبة");
    assert!(!author.body.contains("writer.secret"));

    // Pages of a list carry their own canonical URL; search results are not indexed.
    let category = server.get("/category/siyasa/?page=1");
    assert_eq!(meta(&category, "og:type"), ["website"]);
    assert!(meta(&server.get("/search?q=%D8%B5%D8%AD%D8%A9"), "robots").iter().any(|r| r.contains("noindex")));

    // OpenSearch: the description and its suggestions.
    let os = server.get("/opensearch.xml");
    assert!(os.header("content-type").is_some_and(|c| c.starts_with("application/opensearchdescription+xml")));
    assert!(os.body.contains("application/x-suggestions+json") && os.body.contains("{searchTerms}"));
    let suggest = server.get("/api/v1/search/opensearch?q=%D8%B5%D8%AD");
    assert!(suggest.header("content-type").is_some_and(|c| c.starts_with("application/x-suggestions+json")));
    let s: Value = serde_json::from_str(&suggest.body).expect("suggestions");
    assert_eq!(s[0], "صح");
    assert!(s[1].as_array().is_some_and(|titles| titles.iter().any(|t| t == TRICKY_TITLE)), "{s}");
}

/// One HTTP request as a receiver saw it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    content_type: String,
    body: String,
}

/// An HTTP receiver on loopback recording every request; the first `fail_first` requests
/// to a path containing `flaky` are answered 503.
fn receiver(flaky: &'static str, fail_first: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut failures = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let (mut length, mut content_type) = (0usize, String::new());
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or(("", ""));
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if k.eq_ignore_ascii_case("content-type") {
                    content_type = v.trim().to_owned();
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            log.lock().expect("log").push(Received { path: path.clone(), content_type, body: String::from_utf8_lossy(&body).into_owned() });
            let status = if path.contains(flaky) && failures < fail_first {
                failures += 1;
                "503 Service Unavailable"
            } else {
                "200 OK"
            };
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, seen)
}

fn wait_for(seen: &Arc<Mutex<Vec<Received>>>, what: impl Fn(&[Received]) -> bool, secs: u64) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let now = seen.lock().expect("log").clone();
        if what(&now) || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn decode_form(body: &str) -> Vec<(String, String)> {
    let decode = |v: &str| {
        let b = v.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < b.len() {
            match (b[i], v.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(n)) => {
                    out.push(n);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

#[test]
fn websub_and_indexnow_pings_arrive_once_per_publish_and_failures_are_retried() {
    let mut backends: Vec<(&str, Vec<String>, Option<PgDatabase>)> = vec![("sqlite", vec![], None)];
    if let Some(db) = PgDatabase::create() {
        backends.push(("postgres", vec!["--database-url".into(), db.url.clone()], Some(db)));
    }
    for (name, db_args, _db) in &backends {
        let (url, seen) = receiver("indexnow", 1);
        let key = "nashir-test-key-1234";
        let data = tempfile::tempdir().expect("tmp");
        let mut user = command()
            .args(["user", "add", "--email", "editor@example.com", "--name", "محررة", "--role", "editor", "--data-dir"])
            .arg(data.path())
            .args(db_args)
            .current_dir(data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        user.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("write");
        assert!(user.wait_with_output().expect("wait").status.success());
        let hub = format!("{url}/hub");
        let endpoint = format!("{url}/indexnow");
        let mut args: Vec<&str> = vec!["--demo", "--websub-hub", &hub, "--indexnow-key", key, "--indexnow-endpoint", &endpoint];
        args.extend(db_args.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        // The feeds name the hub; the key file proves the site's ownership.
        assert!(server.get("/feed").body.contains(&format!("href=\"{hub}\" rel=\"hub\"")) || server.get("/feed").body.contains(&format!("rel=\"hub\" href=\"{hub}\"")), "[{name}] hub in RSS");
        assert!(server.get("/feed/atom").body.contains(&hub), "[{name}] hub in Atom");
        let json: Value = serde_json::from_str(&server.get("/feed.json").body).expect("json");
        assert_eq!(json["hubs"][0]["url"], hub.as_str());
        let key_file = server.get(&format!("/{key}.txt"));
        assert_eq!((key_file.status, key_file.body.as_str()), (200, key), "[{name}]");
        assert_eq!(server.get("/other-key.txt").status, 404);
        assert!(seen.lock().expect("log").is_empty(), "[{name}] the demo's own articles ping nothing at start");

        let editor = login(&server, "editor@example.com");
        let started = Instant::now();
        let id = create_article(&editor, "خبر يعلن عنه", "publish", &[]);
        assert!(started.elapsed() < Duration::from_secs(5), "[{name}] a publish never waits for a ping");
        // IndexNow answered 503 once: tried again after about 2 s.
        let got = wait_for(&seen, |r| r.iter().filter(|x| x.path == "/indexnow").count() >= 2 && r.iter().any(|x| x.path == "/hub"), 20);
        let hubs: Vec<&Received> = got.iter().filter(|r| r.path == "/hub").collect();
        let indexnow: Vec<&Received> = got.iter().filter(|r| r.path == "/indexnow").collect();
        assert_eq!(hubs.len(), 1, "[{name}] one WebSub ping: {got:?}");
        assert_eq!(indexnow.len(), 2, "[{name}] one IndexNow ping, retried once after a 503: {got:?}");
        assert_eq!(indexnow[0].body, indexnow[1].body);
        let form = decode_form(&hubs[0].body);
        assert!(hubs[0].content_type.starts_with("application/x-www-form-urlencoded"));
        assert!(form.contains(&("hub.mode".into(), "publish".into())), "{form:?}");
        for feed in ["/feed", "/feed/atom", "/feed.json"] {
            assert!(form.contains(&("hub.url".into(), format!("{}{feed}", server.url))), "[{name}] {feed} in {form:?}");
        }
        let ping: Value = serde_json::from_str(&indexnow[0].body).expect("IndexNow JSON");
        assert_eq!(ping["key"], key);
        assert_eq!(ping["keyLocation"], format!("{}/{key}.txt", server.url));
        assert!(ping["host"].as_str().is_some_and(|h| server.url.ends_with(h)));
        let article_url = ping["urlList"][0].as_str().expect("url").to_owned();
        assert!(article_url.starts_with(&format!("{}/news/{id}/", server.url)), "{article_url}");

        // A second publication: exactly one more of each; nothing repeats later.
        create_article(&editor, "خبر ثان", "publish", &[]);
        let got = wait_for(&seen, |r| r.iter().filter(|x| x.path == "/hub").count() >= 2 && r.iter().filter(|x| x.path == "/indexnow").count() >= 3, 20);
        std::thread::sleep(Duration::from_secs(3));
        let after = seen.lock().expect("log").clone();
        assert_eq!(after.len(), got.len(), "[{name}] nothing sent twice");
        assert_eq!(after.iter().filter(|x| x.path == "/hub").count(), 2, "[{name}] {after:?}");
        assert_eq!(after.iter().filter(|x| x.path == "/indexnow").count(), 3, "[{name}] {after:?}");
        // A draft saved pings nobody.
        create_article(&editor, "مسودة", "save", &[]);
        std::thread::sleep(Duration::from_secs(2));
        assert_eq!(seen.lock().expect("log").len(), after.len(), "[{name}] drafts are not news");
    }
}
