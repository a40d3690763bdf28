//! The public content API on the running server, on SQLite and PostgreSQL: every endpoint
//! answers with what readers may see (never a draft, a scheduled article, a held comment or
//! an email address), pages by cursor without repeating or skipping, caches like pages, and
//! is described by an OpenAPI document that a real validator accepts and that every answer
//! matches.

use std::collections::HashSet;

use serde_json::Value;

use crate::newsroom::{PgDatabase, add_staff, create_article, login};
use crate::server::{Response, Server, post_form, request};

fn json(r: &Response) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

fn backends() -> Vec<(&'static str, Vec<String>, Option<PgDatabase>)> {
    let mut backends: Vec<(&str, Vec<String>, Option<PgDatabase>)> = vec![("sqlite", vec![], None)];
    if let Some(db) = PgDatabase::create() {
        backends.push(("postgres", vec!["--database-url".into(), db.url.clone()], Some(db)));
    }
    backends
}

/// Every article of a list, following `next_cursor`.
fn all_pages(server: &Server, first: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = first.to_owned();
    for _ in 0..100 {
        let r = server.get(&url);
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let page = json(&r);
        out.extend(page["articles"].as_array().expect("articles").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{first}&cursor={c}"),
            None => return out,
        }
    }
    panic!("more than 100 pages");
}

fn problem(r: &Response, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/problem+json")), "{:?}", r.header("content-type"));
    assert_eq!(json(r)["code"], code, "{}", r.body);
}

#[test]
fn the_content_api_serves_what_readers_see_and_nothing_else() {
    for (name, db_args, _db) in &backends() {
        let data = tempfile::tempdir().expect("tmp");
        add_staff(data.path(), db_args, "editor@example.com", "محررة", "editor");
        let mut args: Vec<&str> = vec!["--demo", "--comment-min-seconds", "0"];
        args.extend(db_args.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        let editor = login(&server, "editor@example.com");
        let draft = create_article(&editor, "مسودة سرية لا تنشر", "save", &[]);
        let due = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(48)).expect("time").strftime("%Y-%m-%dT%H:%M").to_string();
        let scheduled = create_article(&editor, "خبر مجدول سري", "schedule", &[("publish_at", &due)]);
        let tagged = create_article(&editor, "خبر الواجهة البرمجية", "publish", &[("tags", "واجهة برمجية"), ("body", "<p>فقرة أولى.</p><p>فقرة <b>ثانية</b>.</p>")]);

        // The first page: JSON, cached like a page, open to every origin.
        let r = server.get("/api/v1/articles");
        assert_eq!(r.status, 200, "[{name}] {}", r.body);
        assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/json")));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r.header("cache-control").is_some_and(|c| c.contains("s-maxage")), "{:?}", r.header("cache-control"));
        assert!(r.header("surrogate-key").is_some_and(|k| k.split(' ').any(|k| k == "api")));
        let etag = r.header("etag").expect("etag").to_owned();
        assert_eq!(server.get_with("/api/v1/articles", &[("if-none-match", &etag)]).status, 304, "[{name}]");
        let first = json(&r);
        let a0 = &first["articles"][0];
        assert_eq!(a0["id"], tagged, "[{name}] newest first");
        for key in ["slug", "title", "excerpt", "url", "published_at", "category", "author", "comment_count"] {
            assert!(a0.get(key).is_some(), "[{name}] {key} in {a0}");
        }
        assert!(a0.get("html").is_none() && a0.get("tags").is_none(), "body and tags only on request");
        assert!(a0["url"].as_str().is_some_and(|u| u.starts_with(&server.url) && u.contains(&format!("/news/{tagged}/"))));

        // Pages by cursor: every published article once, none of the unpublished.
        let everything = all_pages(&server, "/api/v1/articles?limit=100");
        let paged = all_pages(&server, "/api/v1/articles?limit=3");
        let ids = |list: &[Value]| list.iter().map(|a| a["id"].as_i64().expect("id")).collect::<Vec<_>>();
        assert!(everything.len() > 10, "[{name}] the demo's articles");
        assert_eq!(ids(&paged), ids(&everything), "[{name}] cursor pages repeat or skip nothing");
        assert_eq!(ids(&everything).into_iter().collect::<HashSet<_>>().len(), everything.len());
        assert!(!ids(&everything).contains(&draft) && !ids(&everything).contains(&scheduled), "[{name}] no draft, nothing scheduled");
        for path in [format!("/api/v1/articles/{draft}"), format!("/api/v1/articles/{scheduled}"), format!("/api/v1/articles/{draft}/comments"), "/api/v1/articles/999999".into(), "/api/v1/articles/x".into()] {
            problem(&server.get(&path), 404, "not_found");
        }

        // Selection.
        let r = json(&server.get("/api/v1/articles?limit=2&fields=title"));
        let keys: HashSet<&str> = r["articles"][0].as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["id", "title"]), "[{name}]");
        let r = json(&server.get("/api/v1/articles?limit=1&include=body,tags"));
        assert_eq!(r["articles"][0]["text"], "فقرة أولى.\n\nفقرة ثانية.", "[{name}]");
        assert!(r["articles"][0]["html"].as_str().is_some_and(|h| h.contains("<b>ثانية</b>")));
        assert_eq!(r["articles"][0]["tags"][0]["name"], "واجهة برمجية");
        problem(&server.get("/api/v1/articles?fields=email"), 400, "unknown_field");
        problem(&server.get("/api/v1/articles?include=drafts"), 400, "unknown_include");
        problem(&server.get("/api/v1/articles?cursor=abc"), 400, "bad_cursor");
        problem(&server.get("/api/v1/articles?limit=1000"), 400, "bad_limit");
        problem(&server.get("/api/v1/articles?from=yesterday"), 400, "bad_date");
        problem(&server.get("/api/v1/articles?category=nothing-here"), 400, "unknown_category");
        problem(&server.get("/api/v1/articles?tag=nothing-here"), 400, "unknown_tag");
        problem(&server.get("/api/v1/articles?author=nothing-here"), 400, "unknown_author");

        // Filters: a parent category holds its subcategories' articles; tags, authors, dates.
        let tree = json(&server.get("/api/v1/categories"));
        let parent = tree["categories"].as_array().expect("tree").iter().find(|c| !c["children"].as_array().expect("children").is_empty()).expect("a parent").clone();
        let child = parent["children"][0].clone();
        let in_parent = ids(&all_pages(&server, &format!("/api/v1/articles?limit=100&category={}", enc(parent["slug"].as_str().expect("slug")))));
        let in_child = ids(&all_pages(&server, &format!("/api/v1/articles?limit=100&category={}", child["id"])));
        assert!(!in_child.is_empty() && in_child.iter().all(|i| in_parent.contains(i)), "[{name}] {in_child:?} in {in_parent:?}");
        let by_tag = ids(&all_pages(&server, &format!("/api/v1/articles?limit=100&tag={}", enc("واجهة-برمجية"))));
        assert_eq!(by_tag, vec![tagged], "[{name}]");
        let author = a0["author"]["slug"].as_str().expect("author").to_owned();
        let by_author = all_pages(&server, &format!("/api/v1/articles?limit=100&author={}", enc(&author)));
        assert!(by_author.iter().all(|a| a["author"]["slug"] == author.as_str()) && !by_author.is_empty());
        let today = jiff::Timestamp::now().checked_sub(jiff::SignedDuration::from_hours(24)).expect("time").strftime("%Y-%m-%d").to_string();
        let recent = ids(&all_pages(&server, &format!("/api/v1/articles?limit=100&from={today}")));
        assert!(recent.contains(&tagged), "[{name}]");
        assert!(ids(&all_pages(&server, "/api/v1/articles?limit=100&to=2000-01-01")).is_empty());

        // One article, by id and by slug.
        let one = json(&server.get(&format!("/api/v1/articles/{tagged}")));
        assert_eq!(one["title"], "خبر الواجهة البرمجية");
        assert_eq!(one["text"], "فقرة أولى.\n\nفقرة ثانية.");
        let by_slug = server.get(&format!("/api/v1/articles/slug/{}", enc(one["slug"].as_str().expect("slug"))));
        assert_eq!(json(&by_slug)["id"], tagged, "[{name}]");
        let surrogate = server.get(&format!("/api/v1/articles/{tagged}"));
        assert!(surrogate.header("surrogate-key").is_some_and(|k| k.contains(&format!("article:{tagged}"))));

        // Tags, authors, breaking, most read, comments.
        let tags = json(&server.get("/api/v1/tags"));
        assert!(tags["tags"].as_array().expect("tags").iter().any(|t| t["name"] == "واجهة برمجية" && t["articles"] == 1), "[{name}]");
        let authors = server.get("/api/v1/authors");
        assert!(json(&authors)["authors"].as_array().is_some_and(|a| a.len() >= 2));
        let breaking = json(&server.get("/api/v1/breaking"));
        assert!(breaking["breaking"].as_array().is_some_and(|b| !b.is_empty()), "[{name}] the demo's live items");
        let most = json(&server.get("/api/v1/most-read"));
        assert!(most["day"].is_array() && most["week"].is_array());
        let with_comments = everything.iter().find(|a| a["comment_count"].as_i64() > Some(1)).expect("a commented article");
        let id = with_comments["id"].as_i64().expect("id");
        // A new comment waits for a moderator: not in the API.
        let page = server.get(&format!("/news/{id}/x"));
        let path = page.header("location").expect("location").replace(&server.url, "");
        let html = server.get(&path).html();
        let token = html.select(&crate::server::sel("input[name=token]")).next().and_then(|i| i.value().attr("value")).expect("token").to_owned();
        let posted = post_form(
            &format!("{}/news/{id}/comments", server.url),
            &[("author_name", "قارئ جديد"), ("author_email", "new.reader@example.com"), ("body", "تعليق ينتظر المراجعة"), ("token", &token)],
            &[],
        );
        assert_eq!(posted.status, 303, "[{name}] {}", posted.body);
        let comments = server.get(&format!("/api/v1/articles/{id}/comments"));
        let list = json(&comments);
        assert_eq!(list["comments"].as_array().map(Vec::len), with_comments["comment_count"].as_u64().map(|n| n as usize), "[{name}] approved only");
        assert!(!comments.body.contains("ينتظر المراجعة"));
        // No email address anywhere: authors, comments, articles.
        for body in [&authors.body, &comments.body, &serde_json::to_string(&everything).expect("json")] {
            assert!(!body.contains('@'), "[{name}] an address leaked: {body}");
        }

        // A browser's preflight.
        let r = request("OPTIONS", &format!("{}/api/v1/articles", server.url), &[("origin", "https://app.example"), ("access-control-request-method", "GET"), ("access-control-request-headers", "if-none-match")]);
        assert_eq!(r.status, 204, "[{name}]");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r.header("access-control-allow-headers").is_some_and(|h| h.contains("if-none-match")));
        // Read-only.
        problem(&crate::server::post_form(&format!("{}/api/v1/articles", server.url), &[("title", "x")], &[]), 405, "method_not_allowed");
    }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[test]
fn the_content_api_is_rate_limited_per_address_past_the_page_cache() {
    let server = Server::start(&["--demo", "--api-rate-limit", "3", "--trusted-proxy", "127.0.0.1"], &[], None);
    for i in 0..3 {
        let r = server.get_with(&format!("/api/v1/articles?limit={}", i + 1), &[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = server.get_with("/api/v1/articles?limit=9", &[("x-forwarded-for", "203.0.113.7")]);
    problem(&r, 429, "rate_limited");
    assert!(r.header("retry-after").is_some());
    // Another address has its own budget; a kept answer costs nothing.
    assert_eq!(server.get_with("/api/v1/articles?limit=9", &[("x-forwarded-for", "203.0.113.8")]).status, 200);
    assert_eq!(server.get_with("/api/v1/articles?limit=1", &[("x-forwarded-for", "203.0.113.7")]).status, 200, "kept by the page cache");
}

#[test]
fn the_openapi_document_is_valid_and_every_route_answers_as_documented() {
    let server = Server::start(&["--demo"], &[], None);
    let list = json(&server.get("/api/v1/articles?limit=1"));
    let article = &list["articles"][0];
    let id = article["id"].as_i64().expect("id");
    let slug = article["slug"].as_str().expect("slug").to_owned();
    let samples = serde_json::json!({
        "id": id,
        "slug": slug,
        "queries": {
            "/api/v1/articles": [
                ["", 200], ["limit=2&include=body,tags", 200], ["fields=title,url", 200], ["limit=0", 400], ["cursor=x", 400],
            ],
            "/api/v1/articles/{id}": [["", 200]],
            "/api/v1/admin/articles/{id}": [["", 401]],
            "/api/v1/tags": [["", 200], ["limit=1", 200], ["cursor=-1", 400]],
            "/api/v1/search": [["q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF", 200], ["q=", 400], ["q=%21%21%21", 400]],
            "/api/v1/search/suggest": [["q=%D8%A8%D8%BA%D8%AF", 200]],
            "/api/v1/search/opensearch": [["q=%D8%A8%D8%BA%D8%AF", 200]],
        },
    });
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("samples.json");
    std::fs::write(&file, samples.to_string()).expect("write");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/api/check_openapi.py");
    let out = std::process::Command::new("python3").arg(&script).arg(&server.url).arg(&file).output().expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("valid OpenAPI 3.1.0"), "{stdout}");
    assert!(stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 20, "{stdout}");
    // The reference page names every operation and every problem code.
    let docs = server.get("/api/v1/docs");
    assert_eq!(docs.status, 200);
    for want in ["GET /api/v1/articles/{id}/comments", "GET /api/v1/most-read", "id=\"rate_limited\"", "id=\"schema-ArticleOut\""] {
        assert!(docs.body.contains(want), "{want}");
    }
    assert_eq!(server.get("/api/v1/problems").status, 200);
}
