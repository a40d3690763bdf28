//! Search over HTTP: Arabic spelling variants find the article, snippets mark the author's
//! spelling, filters and sorting, friendly pages for bad queries, the JSON API, the rate
//! limit, newsroom changes reaching search within a second, and the index rebuilt when it
//! is deleted.

use std::time::{Duration, Instant};

use crate::server::{Server, command, sel, text};

fn demo() -> toml::Value {
    toml::from_str(include_str!("../../demo/demo.toml")).expect("demo.toml")
}

fn titles() -> Vec<String> {
    demo()["articles"].as_array().expect("articles").iter().map(|a| a["title"].as_str().unwrap_or("").to_owned()).collect()
}

fn result_titles(body: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    html.select(&sel("[data-region=search-results] h2 a")).map(text).collect()
}

fn q(path_query: &str) -> String {
    // Percent-encode the query value for the request line.
    let (path, value) = path_query.split_once("q=").expect("q=");
    let encoded: String = value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'&' | b'=' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{path}q={encoded}")
}

#[test]
fn a_title_word_finds_its_article_with_links_titles_and_marked_snippets() {
    let server = Server::demo(600);
    let title = titles().into_iter().find(|t| t.split_whitespace().any(|w| w.chars().count() >= 6)).expect("a title");
    let word = title.split_whitespace().find(|w| w.chars().count() >= 6).expect("word").to_owned();
    let r = server.get(&q(&format!("/search?q={word}")));
    assert_eq!(r.status, 200);
    let found = result_titles(&r.body);
    assert!(found.contains(&title), "{word}: {found:?}");
    let html = r.html();
    let region = html.select(&sel("[data-region=search-results]")).next().expect("region");
    for a in region.select(&sel("h2 a")) {
        assert!(a.value().attr("href").unwrap_or("").starts_with("/news/"));
    }
    assert!(region.inner_html().contains("<mark>"), "highlighted");
    assert!(region.select(&sel("time")).next().is_some(), "dates");
}

#[test]
fn spelling_variants_find_the_same_article() {
    let server = Server::demo(600);
    // A title word written with hamza on alef, searched without it and with tashkeel.
    let (title, word) = titles()
        .into_iter()
        .find_map(|t| {
            let w = t.split_whitespace().find(|w| w.contains('أ') && w.chars().count() >= 5)?.to_owned();
            Some((t, w))
        })
        .expect("a title with hamza");
    for variant in [word.replace('أ', "ا"), format!("{word}ـ").replace('ـ', ""), word.chars().flat_map(|c| [c, '\u{064E}']).collect::<String>()] {
        let found = result_titles(&server.get(&q(&format!("/search?q={variant}"))).body);
        assert!(found.contains(&title), "{variant} should find «{title}»: {found:?}");
    }
}

#[test]
fn a_mistyped_word_finds_the_article_and_offers_the_right_spelling() {
    let server = Server::demo(600);
    let title = titles().into_iter().find(|t| t.contains("المناسيب")).expect("a title with المناسيب");
    // ي typed twice.
    let page = server.get(&q("/search?q=المناسييب"));
    assert!(result_titles(&page.body).contains(&title), "{:?}", result_titles(&page.body));
    let html = page.html();
    let offer = html.select(&sel(".search-did-you-mean a")).next().expect("did you mean");
    assert_eq!(text(offer), "المناسيب");
    let corrected = offer.value().attr("href").expect("href").to_owned();
    assert!(result_titles(&server.get(&corrected).body).contains(&title), "{corrected}");
    assert!(server.get(&corrected).html().select(&sel(".search-did-you-mean")).next().is_none());
    let api: serde_json::Value = serde_json::from_str(&server.get(&q("/api/v1/search?q=المناسييب")).body).expect("json");
    assert_eq!(api["did_you_mean"], "المناسيب");
}

#[test]
fn suggestions_complete_the_word_being_typed_as_json() {
    let server = Server::demo(600);
    let r = server.get(&q("/api/v1/search/suggest?q=بغد"));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or("").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let results = json["results"].as_array().expect("results");
    assert!(!results.is_empty() && results.len() <= 6, "{results:?}");
    for r in results {
        assert!(r["title"].as_str().unwrap_or("").contains("بغداد"), "{r}");
        assert!(r["title_html"].as_str().unwrap_or("").contains("<mark>"), "{r}");
        let url = r["url"].as_str().expect("url");
        assert_eq!(server.get(url).status, 200, "{url}");
    }
    // Too little typed, or nothing searchable: no suggestions, not an error.
    for text in ["ب", "", "؟؟"] {
        let r = server.get(&q(&format!("/api/v1/search/suggest?q={text}")));
        assert_eq!(r.status, 200, "{text}");
        let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(json["results"].as_array().map(Vec::len), Some(0), "{text}");
    }
}

#[test]
fn bad_queries_get_friendly_pages_and_no_results_suggest_the_latest() {
    let server = Server::demo(600);
    let long = "ب".repeat(500);
    for query in ["", "   ", "!!!", "؟؟؟", long.as_str(), "%00%FF"] {
        let r = server.get(&q(&format!("/search?q={query}")));
        assert_eq!(r.status, 200, "{query:?}");
        assert!(result_titles(&r.body).is_empty());
    }
    assert!(server.get(&q(&format!("/search?q={long}"))).body.contains("طويل"));
    assert_eq!(server.get("/search?q=x&page=9999").status, 200);
    assert_eq!(server.get("/search?q=x&from=garbage&to=2020-13-45&category=abc&sort=zzz").status, 200);
    // A date that is not one is said so, in Arabic, with what was typed kept in the form.
    let bad = server.get(&q("/search?q=بغداد&from=أمس"));
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("التاريخ «أمس» غير مفهوم"), "{}", bad.body);
    assert!(result_titles(&bad.body).is_empty());
    let html = bad.html();
    assert_eq!(html.select(&sel("#q")).next().and_then(|e| e.value().attr("value")), Some("بغداد"));
    assert!(html.select(&sel("details.search-filters[open]")).next().is_some(), "the filters show what was typed");
    let api = server.get(&q("/api/v1/search?q=بغداد&to=31/02/2024"));
    assert_eq!(api.status, 400);
    assert!(api.body.contains("bad_date"), "{}", api.body);
    let none = server.get(&q("/search?q=زنجبيلقطبي مستحيلوجوده"));
    assert_eq!(none.status, 200);
    assert!(result_titles(&none.body).is_empty(), "results region holds only results");
    let html = none.html();
    assert!(html.select(&sel(".search-fallback .card")).count() >= 1, "latest articles outside the results");
}

#[test]
fn filters_sorting_phrases_and_the_json_api() {
    let server = Server::demo(600);
    let demo = demo();
    let articles = demo["articles"].as_array().expect("articles");
    // A word shared by several bodies: the most common long word of the demo.
    let mut counts = std::collections::HashMap::new();
    for a in articles {
        let mut seen = std::collections::HashSet::new();
        for w in a["body"].as_str().unwrap_or("").split_whitespace() {
            let w: String = w.chars().filter(|c| c.is_alphabetic()).collect();
            if w.chars().count() >= 6 && seen.insert(w.clone()) {
                *counts.entry(w).or_insert(0) += 1;
            }
        }
    }
    let (word, n) = counts.into_iter().max_by_key(|(_, n)| *n).expect("word");
    assert!(n >= 3);
    let all = server.get(&q(&format!("/search?q={word}&sort=newest")));
    let times: Vec<String> = all.html().select(&sel("[data-region=search-results] time")).filter_map(|t| t.value().attr("datetime").map(str::to_owned)).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let api = server.get(&q(&format!("/api/v1/search?q={word}")));
    assert_eq!(api.status, 200);
    assert!(api.header("content-type").unwrap_or("").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert!(json["total"].as_u64().unwrap_or(0) >= 3);
    let hit = &json["results"][0];
    assert!(hit["url"].as_str().unwrap_or("").contains("/news/"));
    assert!(hit["snippet_html"].as_str().unwrap_or("").contains("<mark>"));
    let bad = server.get("/api/v1/search?q=");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
    let err: serde_json::Value = serde_json::from_str(&bad.body).expect("json");
    assert_eq!(err["code"], "empty_query");
    assert_eq!(err["status"], 400);
    assert!(err["title"].as_str().is_some_and(|t| !t.is_empty()) && err["type"].as_str().is_some_and(|t| t.ends_with("#empty_query")));
    // The category filter keeps only articles filed under that category or one below it
    // (as primary category or in `also`), and drops the others.
    let first_name = all.html().select(&sel("[data-region=search-results] .card__cat")).next().map(text).expect("category name");
    let option = all
        .html()
        .select(&sel("select[name=category] option"))
        .find(|o| text(*o).trim_start_matches(['—', ' ']) == first_name)
        .and_then(|o| o.value().attr("value").map(str::to_owned))
        .expect("the category is offered as a filter");
    let categories = demo["categories"].as_array().expect("categories");
    let slug_of = |name: &str| categories.iter().find(|c| c["name"].as_str() == Some(name)).and_then(|c| c["slug"].as_str()).expect("slug");
    let mut below = vec![slug_of(&first_name).to_owned()];
    for c in categories {
        if below.iter().any(|b| c["parent"].as_str() == Some(b.as_str())) {
            below.push(c["slug"].as_str().unwrap_or("").to_owned());
        }
    }
    let filed_below = |title: &str| {
        let a = articles.iter().find(|a| a["title"].as_str() == Some(title)).expect("a demo article");
        let mut filed = vec![a["category"].as_str().unwrap_or("")];
        filed.extend(a["also"].as_array().into_iter().flatten().filter_map(|c| c.as_str()));
        filed.iter().any(|c| below.iter().any(|b| b == c))
    };
    let filtered = result_titles(&server.get(&q(&format!("/search?q={word}&category={option}&sort=newest"))).body);
    assert!(!filtered.is_empty(), "the filter keeps the first result");
    assert!(filtered.iter().all(|t| filed_below(t)), "only articles filed under {below:?}: {filtered:?}");
    let unfiltered = result_titles(&all.body);
    let dropped: Vec<&String> = unfiltered.iter().filter(|t| !filed_below(t)).collect();
    assert!(!dropped.is_empty(), "the word is also found outside {below:?}");
    assert!(dropped.iter().all(|t| !filtered.contains(t)), "{dropped:?} must be filtered out");
    // A date range in the future finds nothing; an old-to-now range finds everything.
    let future = server.get(&q(&format!("/search?from=2099-01-01&q={word}")));
    assert!(result_titles(&future.body).is_empty());
    // Arabic-Indic digits and a day-first date mean the same days.
    let future = server.get(&q(&format!("/search?q={word}&from=١/١/٢٠٩٩")));
    assert!(result_titles(&future.body).is_empty() && !future.body.contains("غير مفهوم"));
    let since_2000 = server.get(&q(&format!("/search?q={word}&sort=newest&from=٢٠٠٠-٠١-٠١")));
    assert_eq!(result_titles(&since_2000.body), result_titles(&all.body), "an old-to-now range finds everything");
    // A quoted phrase of two consecutive title words finds that article first.
    let title = &articles[0]["title"].as_str().expect("title").to_owned();
    let words: Vec<&str> = title.split_whitespace().collect();
    let phrase = format!("\"{} {}\"", words[1], words[2]);
    let found = result_titles(&server.get(&q(&format!("/search?q={phrase}"))).body);
    assert_eq!(found.first(), Some(title), "{phrase}");
}

#[test]
fn the_rate_limit_is_per_address_and_a_setting() {
    let server = Server::start(&["--demo", "--search-rate-limit", "3"], &[], None);
    for _ in 0..3 {
        assert_eq!(server.get("/api/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").status, 200);
    }
    assert_eq!(server.get("/api/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").status, 429);
    // Suggestions come with every keystroke: their own budget, five times the search one.
    for _ in 0..15 {
        assert_eq!(server.get("/api/v1/search/suggest?q=%D8%A8%D8%BA%D8%AF").status, 200);
    }
    assert_eq!(server.get("/api/v1/search/suggest?q=%D8%A8%D8%BA%D8%AF").status, 429);
    let unlimited = Server::start(&["--demo"], &[("NASHIR_SEARCH_RATE_LIMIT", "0")], None);
    for _ in 0..80 {
        assert_eq!(unlimited.get("/api/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").status, 200);
    }
}

#[test]
fn a_deleted_index_is_rebuilt_on_start_and_reindex_rebuilds_it_too() {
    let server = Server::demo(600);
    let title = titles().remove(0);
    let word = title.split_whitespace().max_by_key(|w| w.chars().count()).expect("word").to_owned();
    assert!(result_titles(&server.get(&q(&format!("/search?q={word}"))).body).contains(&title));
    let data = server.stop();
    std::fs::remove_dir_all(data.path().join("search")).expect("delete the index");
    let out = command().arg("reindex").arg("--data-dir").arg(data.path()).current_dir(data.path()).output().expect("reindex");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Reindexed"));
    std::fs::remove_dir_all(data.path().join("search")).expect("delete the index");
    let server = Server::start(&[], &[], Some(data));
    assert!(result_titles(&server.get(&q(&format!("/search?q={word}"))).body).contains(&title));
}

#[test]
fn publishing_editing_and_unpublishing_reach_search_within_a_second() {
    newsroom_changes_reach_search(&[]);
}

/// Without whole pages cached, the search page still keeps the category bar, the ticker
/// and result cards in memory: an edited title must replace the kept card.
#[test]
fn newsroom_changes_reach_search_without_the_page_cache() {
    newsroom_changes_reach_search(&["--no-page-cache"]);
}

fn newsroom_changes_reach_search(flags: &[&str]) {
    let data = tempfile::tempdir().expect("tmp");
    let mut child = command()
        .args(["user", "add", "--email", "e@example.com", "--name", "محرر", "--role", "editor", "--data-dir"])
        .arg(data.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), "كلمة-سر-طويلة-1\n".as_bytes()).expect("write");
    assert!(child.wait().expect("wait").success());
    let mut args = vec!["--demo", "--search-rate-limit", "0"];
    args.extend_from_slice(flags);
    let server = Server::start(&args, &[], Some(data));
    let login_page = server.get("/newsroom/login");
    let token = login_page.html().select(&sel("input[name=csrf_token]")).next().and_then(|i| i.value().attr("value")).expect("token").to_owned();
    let r = crate::server::post_form(&format!("{}/newsroom/login", server.url), &[("email", "e@example.com"), ("password", "كلمة-سر-طويلة-1"), ("csrf_token", &token)], &[]);
    let cookie = r.header("set-cookie").expect("cookie").split(';').next().expect("pair").to_owned();
    let page = crate::server::request("GET", &format!("{}/newsroom/articles/new", server.url), &[("cookie", &cookie)]);
    let csrf = page.html().select(&sel("input[name=csrf_token]")).next().and_then(|i| i.value().attr("value")).expect("csrf").to_owned();
    let r = crate::server::post_form(
        &format!("{}/newsroom/articles", server.url),
        &[("title", "مهرجان القرنفليات السنوي في أربيل"), ("body", "<p>يفتتح مهرجان القرنفليات أبوابه.</p>"), ("action", "publish"), ("csrf_token", &csrf)],
        &[("cookie", &cookie)],
    );
    assert_eq!(r.status, 303);
    let id = r.header("location").expect("location").trim_start_matches("/newsroom/articles/").split('?').next().expect("id").to_owned();
    let start = Instant::now();
    while !server.get(&q("/search?q=القرنفليات")).body.contains("مهرجان القرنفليات") {
        assert!(start.elapsed() < Duration::from_secs(3), "not searchable");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Once the outbox has settled, search again so the result card is kept in memory.
    std::thread::sleep(Duration::from_millis(600));
    assert!(server.get(&q("/search?q=القرنفليات")).body.contains("مهرجان القرنفليات"));
    let version = |server: &Server| {
        let edit = crate::server::request("GET", &format!("{}/newsroom/articles/{id}", server.url), &[("cookie", &cookie)]);
        edit.html().select(&sel("input[name=version]")).next().and_then(|i| i.value().attr("value")).expect("version").to_owned()
    };
    let v = version(&server);
    let r = crate::server::post_form(
        &format!("{}/newsroom/articles/{id}", server.url),
        &[
            ("title", "مهرجان القرنفليات الدولي في أربيل"),
            ("body", "<p>يفتتح مهرجان القرنفليات أبوابه.</p>"),
            ("action", "save"),
            ("version", &v),
            ("csrf_token", &csrf),
        ],
        &[("cookie", &cookie)],
    );
    assert_eq!(r.status, 303);
    let start = Instant::now();
    while !result_titles(&server.get(&q("/search?q=القرنفليات")).body).contains(&"مهرجان القرنفليات الدولي في أربيل".to_owned()) {
        assert!(start.elapsed() < Duration::from_secs(3), "the edited title is not in the results");
        std::thread::sleep(Duration::from_millis(100));
    }
    let v = version(&server);
    let r = crate::server::post_form(
        &format!("{}/newsroom/articles/{id}", server.url),
        &[("title", "مهرجان القرنفليات الدولي في أربيل"), ("action", "unpublish"), ("version", &v), ("csrf_token", &csrf)],
        &[("cookie", &cookie)],
    );
    assert_eq!(r.status, 303);
    let start = Instant::now();
    while server.get(&q("/search?q=القرنفليات")).body.contains("مهرجان القرنفليات") {
        assert!(start.elapsed() < Duration::from_secs(3), "still found after unpublishing");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The newsroom's article list searches with the site's analyzer over drafts and scheduled
/// articles too; readers' search never shows them, and contributors never see others' drafts.
#[test]
fn the_newsroom_searches_drafts_with_the_analyzer_and_readers_never_see_them() {
    use crate::newsroom::{PASSWORD, add_user, create_article, login};
    let data = tempfile::tempdir().expect("tmp");
    assert!(add_user(data.path(), "desk@example.com", "مكتب", "editor", PASSWORD).status.success());
    assert!(add_user(data.path(), "guest@example.com", "ضيف", "contributor", PASSWORD).status.success());
    let server = Server::start(&["--demo"], &[], Some(data));
    let editor = login(&server, "desk@example.com");
    let id = create_article(&editor, "خطة الزعفران السرية", "save", &[("body", "<p>مسودة عن زراعة الزعفران في الجنوب.</p>")]);
    let link = format!("href=\"/newsroom/articles/{id}\"");
    // Another spelling of the word (no article, a clitic) finds the draft within moments.
    for query in ["زعفران", "والزعفران", "الزعفرن"] {
        let path = format!("/newsroom/articles?q={}", crate::server::encode(query));
        let deadline = Instant::now() + Duration::from_secs(5);
        while !editor.get(&path).body.contains(&link) {
            assert!(Instant::now() < deadline, "{query}: the draft is not found");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // Readers' search and the API never show it.
    assert!(!server.get(&q("/search?q=الزعفران")).body.contains("خطة الزعفران السرية"));
    assert!(!server.get(&q("/api/v1/search?q=الزعفران")).body.contains("خطة الزعفران السرية"));
    // A contributor's search does not reach an editor's draft.
    let guest = login(&server, "guest@example.com");
    assert!(!guest.get(&format!("/newsroom/articles?q={}", crate::server::encode("زعفران"))).body.contains(&link));
}

/// Search pages say noindex (as WordPress does); with `--index-search` a first page of results
/// without filters may be indexed under its canonical address, and nothing else.
#[test]
fn search_pages_are_noindex_unless_the_site_lets_a_first_unfiltered_page_be_indexed() {
    let robots = |body: &str| {
        let html = scraper::Html::parse_document(body);
        let noindex = html.select(&sel("meta[name=robots]")).next().and_then(|m| m.value().attr("content").map(str::to_owned));
        let canonical = html.select(&sel("link[rel=canonical]")).next().and_then(|l| l.value().attr("href").map(str::to_owned));
        (noindex, canonical)
    };
    let word = "بغداد";
    let plain = Server::demo(600);
    let (noindex, canonical) = robots(&plain.get(&q(&format!("/search?q={word}"))).body);
    assert_eq!(noindex.as_deref(), Some("noindex, follow"));
    assert_eq!(canonical, None);

    assert!(plain.get("/robots.txt").body.contains("Disallow: /search\n"));
    let indexed = Server::start(&["--demo", "--index-search"], &[], None);
    let robots_txt = indexed.get("/robots.txt").body;
    assert!(!robots_txt.contains("Disallow: /search\n") && robots_txt.contains("Disallow: /api/v1/search"), "{robots_txt}");
    let (noindex, canonical) = robots(&indexed.get(&q(&format!("/search?q={word}"))).body);
    assert_eq!(noindex, None, "a first page of results may be indexed");
    let canonical = canonical.expect("under its canonical address");
    assert!(canonical.starts_with(&indexed.url) && canonical.contains("/search?q="), "{canonical}");
    for other in [format!("/search?q={word}&sort=newest"), format!("/search?q={word}&page=2"), "/search?q=ززززز".to_owned()] {
        let (noindex, canonical) = robots(&indexed.get(&q(&other)).body);
        assert_eq!((noindex.as_deref(), canonical), (Some("noindex, follow"), None), "{other}");
    }
}
