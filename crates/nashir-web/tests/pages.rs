//! The web layer in process, over a real SQLite store: what a page costs in database round
//! trips, and how failures of every kind are rendered.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use nashir_core::{NewArticle, PublishState, Role};
use nashir_render::{Renderer, SiteInfo};
use nashir_store::{NewCategory, NewPerson, Store};
use tower::ServiceExt;

struct Site {
    app: axum::Router,
    store: Store,
    article_path: String,
    _dir: tempfile::TempDir,
}

async fn site(page_cache: bool) -> Site {
    site_with(page_cache, false).await
}

/// With `search`, related stories come from a search index built from the store.
async fn site_with(page_cache: bool, search: bool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&nashir_store::sqlite_url_for_dir(dir.path())).await.unwrap();
    let now = nashir_store::now_micros();
    let author = store
        .create_person(&NewPerson { slug: "كاتب".into(), name: "كاتب".into(), email: None, bio: "سيرة".into(), role: Role::Author }, now)
        .await
        .unwrap();
    let category = store
        .create_category(&NewCategory { parent_id: None, slug: "دولي".into(), name: "دولي".into(), description: String::new(), position: 0 }, now)
        .await
        .unwrap();
    let tag = store.create_tag("وسم", "وسم", now).await.unwrap();
    let mut id = 0;
    for (i, title) in ["خبر أول", "خبر ثان", "خبر ثالث"].iter().enumerate() {
        id = store
            .create_article(
                &NewArticle {
                    title: (*title).into(),
                    slug: nashir_arabic::slugify(title),
                    body_html: format!("<p>{title} نص طويل بما يكفي ليكون مقتطفاً.</p>"),
                    excerpt: (*title).into(),
                    featured_image: None,
                    state: PublishState::Published,
                    author_id: author,
                    primary_category_id: Some(category),
                    other_category_ids: vec![],
                    tag_ids: vec![tag],
                    published_at: Some(now - 1000 * (i as i64 + 1)),
                    modified_at: None,
                    sticky: false,
                    comments_open: true,
                },
                now,
            )
            .await
            .unwrap();
    }
    let info = SiteInfo {
        name: "ناشر".into(),
        description: String::new(),
        locale: "ar".into(),
        time_zone: "UTC".into(),
        hijri_offset_days: 0,
        public_url: "http://127.0.0.1:9".into(),
        publisher_name: "ناشر".into(),
        publisher_description: String::new(),
        publisher_url: String::new(),
    };
    let renderer = Renderer::load(None, &info).unwrap();
    let index = if search {
        let index = std::sync::Arc::new(nashir_search::SearchIndex::in_memory().unwrap());
        nashir_search::sync::rebuild(&store, &index, |_| {}).await.unwrap();
        Some(index)
    } else {
        None
    };
    let options = nashir_web::WebOptions { page_cache, search: index, ..Default::default() };
    let state = nashir_web::AppState::new(store.clone(), renderer, info, options);
    let article_path = format!("/news/{id}/{}", percent(&nashir_arabic::slugify("خبر ثالث")));
    Site { app: nashir_web::router(state), store, article_path, _dir: dir }
}

fn percent(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let r = app.clone().oneshot(Request::builder().uri(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = axum::body::to_bytes(r.into_body(), 4 << 20).await.unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn an_uncached_article_page_costs_three_round_trips() {
    let s = site(false).await;
    // The first request reads the chrome (category tree and ticker) once.
    let (status, _, body) = get(&s.app, &s.article_path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = s.store.round_trips();
    let (status, _, body) = get(&s.app, &s.article_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("خبر ثالث") && body.contains("data-region=\"check-also\"") && body.contains("وسم"));
    assert_eq!(s.store.round_trips() - before, 3, "article with byline and tags, related article, comments");
}

#[tokio::test]
async fn related_stories_from_the_search_index_cost_one_round_trip_too() {
    let s = site_with(false, true).await;
    let (status, _, body) = get(&s.app, &s.article_path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("data-region=\"related\""), "the list under the article");
    let before = s.store.round_trips();
    let (status, _, body) = get(&s.app, &s.article_path).await;
    assert_eq!(status, StatusCode::OK);
    let check_also = body.split("data-region=\"check-also\"").nth(1).unwrap_or_default();
    assert!(check_also.contains("خبر أول") || check_also.contains("خبر ثان"), "{check_also}");
    // The list was kept: the index is not searched again, and its cards are one query.
    assert_eq!(s.store.round_trips() - before, 3, "article with byline and tags, related stories, comments");
}

#[tokio::test]
async fn a_cached_page_costs_nothing() {
    let s = site(true).await;
    get(&s.app, &s.article_path).await;
    let before = s.store.round_trips();
    let (status, _, _) = get(&s.app, &s.article_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.store.round_trips() - before, 0);
}

#[tokio::test]
async fn framework_rejections_become_the_sites_own_pages() {
    let s = site(false).await;
    // Invalid UTF-8 in a path segment: the themed Arabic 404, not "Invalid UTF-8 in `path`".
    let (status, headers, body) = get(&s.app, "/category/%ff%fe").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(body.contains("lang=\"ar\"") && body.contains("الصفحة غير موجودة"), "{body}");
    assert!(!body.contains("UTF-8"));
    // A number too large for an id.
    let (status, _, body) = get(&s.app, "/news/99999999999999999999/x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("parse") && !body.contains("i64"), "{body}");
    // A method no route takes.
    let r = s.app.clone().oneshot(Request::builder().method("DELETE").uri("/").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(r.headers().contains_key(header::ALLOW));
}

#[tokio::test]
async fn api_failures_are_problem_json_with_stable_codes() {
    let s = site(false).await;
    let (status, headers, body) = get(&s.app, "/api/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((json["status"].as_u64(), json["code"].as_str()), (Some(404), Some("not_found")));
    assert!(json["title"].as_str().is_some_and(|t| !t.is_empty()) && json["type"].as_str().is_some_and(|t| t.contains("not_found")));
    // Without a search index the API says so with a 5xx (the site's failure, not the reader's).
    let (status, headers, body) = get(&s.app, "/api/v1/search?q=%D8%AE%D8%A8%D8%B1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let (status, _, _) = get(&s.app, "/search?q=%D8%AE%D8%A8%D8%B1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn validators_answer_304_for_pages_and_static_files() {
    let s = site(true).await;
    for path in [s.article_path.as_str(), "/static/style.css"] {
        let (status, headers, _) = get(&s.app, path).await;
        assert_eq!(status, StatusCode::OK);
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        let r = s.app.clone().oneshot(Request::builder().uri(path).header(header::IF_NONE_MATCH, &etag).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(r.headers()[header::ETAG], etag.as_str());
    }
}
