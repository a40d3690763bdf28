//! `nashir import`: the shared WordPress exports imported with exact counts and spot checks
//! on the served site, refusals that name line and column and import nothing, idempotent
//! re-runs, a kill in the middle followed by a re-run, JSON Lines with bad lines, and a
//! running server picking up imported articles.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::server::{Server, command, sel, shared, text};

fn import(data: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = command();
    cmd.arg("import").args(args).arg("--data-dir").arg(data).current_dir(data);
    cmd.output().expect("run import")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn count(data: &Path, table: nashir_store::ImportTable) -> i64 {
    let url = nashir_store::sqlite_url_for_dir(data);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    rt.block_on(async {
        let store = nashir_store::Store::connect(&url).await.expect("store");
        let n = store.count_rows(table).await.expect("count");
        store.close().await;
        n
    })
}

const SYNTHETIC: &str = "arabic-wxr/arabic-news-synthetic.wxr.xml";

#[test]
fn the_synthetic_arabic_export_imports_with_exact_counts_and_serves_right() {
    let Some(export) = shared(SYNTHETIC) else { return };
    use nashir_store::ImportTable::*;
    let data = tempfile::tempdir().expect("tmp");
    let out = import(data.path(), &["wordpress", export.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout(&out);
    assert!(summary.contains("created: 3 authors, 10 categories, 20 comments, 2 pages, 239 posts, 6 tags"), "{summary}");
    assert!(summary.contains("10 pingbacks"), "{summary}");
    assert_eq!(count(data.path(), Articles), 239);
    assert_eq!(count(data.path(), Pages), 2);
    assert_eq!(count(data.path(), Comments), 20);

    let server = Server::start(&[], &[], Some(data));
    // Old links answer 301 to the canonical URL; the Arabic slug is decoded.
    let r = server.get("/?p=336");
    assert_eq!(r.status, 301);
    let location = r.header("location").expect("location").to_owned();
    assert!(location.starts_with("/news/"));
    let page = server.get(&location);
    assert_eq!(page.status, 200);
    let h1 = page.html().select(&sel("[data-region=article] h1")).next().map(text).unwrap_or_default();
    assert_eq!(h1, "الأسعار & التضخّم: <تحليل> \"خاص\" بالأرقام ١٢٣ و123");
    assert!(page.body.contains("&lt;تحليل&gt;"), "escaped, not markup");
    // The same post's content holds `]]>`, split across CDATA sections by the exporter.
    assert!(page.body.contains("CDATA هنا: ]]&gt; ويجب"), "content with ]]> intact");
    // Pages keep their hierarchy: the child page lives under its parent's path.
    let child = server.get("/?p=341");
    assert_eq!(child.status, 301);
    let child_path = child.header("location").expect("location").to_owned();
    assert_eq!(child_path, "/page/%D9%85%D9%86-%D9%86%D8%AD%D9%86/%D9%81%D8%B1%D9%8A%D9%82-%D8%A7%D9%84%D8%AA%D8%AD%D8%B1%D9%8A%D8%B1/");
    let child_page = server.get(&child_path);
    assert_eq!(child_page.status, 200);
    let crumbs: Vec<String> = child_page.html().select(&sel("[data-region=breadcrumbs] a")).map(text).collect();
    assert_eq!(crumbs.len(), 3, "home, parent page, page: {crumbs:?}");
    assert_eq!(crumbs[2], "فريق التحرير");
    // Category hierarchy: كرة القدم under رياضة.
    assert_eq!(server.get("/category/رياضة/كرة-القدم/").status, 200);
    // Threaded comments appear; the unapproved pingbacks do not.
    let mut threaded = false;
    for id in 101..=340 {
        let r = server.get(&format!("/?p={id}"));
        if r.status != 301 {
            continue;
        }
        let page = server.get(r.header("location").expect("location"));
        if page.html().select(&sel("[data-region=comments] .comment .comment")).next().is_some() {
            threaded = true;
            break;
        }
    }
    assert!(threaded, "a reply nested under its parent");
    // Drafts, pending, private and future posts are not public.
    let published = server.get("/").html().select(&sel("main a[href^='/news/']")).count();
    assert!(published > 0);
    let html_pages = server.get("/?p=999999");
    assert_eq!(html_pages.status, 404);
}

#[test]
fn statuses_map_to_the_lifecycle_and_nothing_private_is_public() {
    let Some(export) = shared(SYNTHETIC) else { return };
    let data = tempfile::tempdir().expect("tmp");
    assert!(import(data.path(), &["wordpress", export.to_str().expect("path")]).status.success());
    let url = nashir_store::sqlite_url_for_dir(data.path());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let visible = rt.block_on(async {
        let store = nashir_store::Store::connect(&url).await.expect("store");
        store.count_published(i64::MAX / 2, &nashir_store::ListFilter::All).await.expect("count")
    });
    // 205 published + 1 future post whose date has passed by i64::MAX/2 would be scheduled,
    // not published: only the 205 published ones are visible.
    assert_eq!(visible, 205);
}

#[test]
fn the_theme_unit_test_data_imports_with_exact_counts() {
    let Some(export) = shared("wordpress/theme-test-data/themeunittestdata.wordpress.xml") else { return };
    let data = tempfile::tempdir().expect("tmp");
    let out = import(data.path(), &["wordpress", export.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout(&out);
    assert!(summary.contains("58 posts") && summary.contains("21 pages"), "{summary}");
    assert!(summary.contains("2 pingbacks") && summary.contains("2 trackbacks"), "{summary}");
    // Its twelve [gallery] shortcodes are galleries. No menu is called primary or main and
    // none lists categories at its top level: the default bar stays, every menu is reported.
    assert!(summary.contains("galleries: 12 ("), "{summary}");
    assert!(summary.contains("category bar: the default one kept (no menu is called primary"), "{summary}");
    assert!(summary.contains("23 items of the menu \"Testing Menu\" (not the category bar)"), "{summary}");
    assert!(summary.contains("name one with --menu: \"All Pages\", \"All Pages Flat\""), "the menus are named: {summary}");
    assert!(summary.contains("18 items of the menu \"All Pages\" (not the category bar)"), "{summary}");
    assert!(!summary.contains("nav_menu_item items") && !summary.contains("taxonomy nav_menu"), "{summary}");
    assert!(summary.contains("shortcodes removed"), "{summary}");
    assert_eq!(count(data.path(), nashir_store::ImportTable::Articles), 58);
    assert_eq!(count(data.path(), nashir_store::ImportTable::Pages), 21);
    // 29 comments in all: 24 on posts, 5 on pages and attachments (which take none here).
    assert_eq!(count(data.path(), nashir_store::ImportTable::Comments), 24);
    assert!(summary.contains("5 comments on pages or attachments"), "{summary}");
    let server = Server::start(&[], &[], Some(data));
    // The sticky post leads the home page, though it is not the newest.
    let home = server.get("/").html();
    let lead = home.select(&sel(".card--lead .card__title")).next().map(text).unwrap_or_default();
    assert_eq!(lead, "Template: Sticky");
    // Old permalinks answer 301; the old category path too.
    let old = server.get("/2012/01/07/template-sticky/");
    assert_eq!(old.status, 301);
    let page = server.get(old.header("location").expect("location"));
    assert!(page.body.contains("Template: Sticky"));
    assert_eq!(server.get("/?p=1241").status, 301);
    // Featured images are shown (kept as absolute URLs without --uploads).
    let mut with_image = 0;
    for id in [1241, 1000, 1011, 1016, 1018, 1020, 1027, 1031, 1149, 1158, 1161, 1163, 1164, 1168, 1169, 1170, 1171, 1172, 1173, 1174, 1175, 1176, 1177, 1178, 1179, 1180, 1181, 1182, 1183] {
        let r = server.get(&format!("/?p={id}"));
        if r.status == 301 && server.get(r.header("location").expect("location")).body.contains("article__image") {
            with_image += 1;
        }
    }
    assert!(with_image >= 1, "a featured image on an article page");
}

/// WordPress's "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>" is text everywhere a
/// title shows: the page, its `<title>`, lists, search and the JSON API.
#[test]
fn a_title_holding_inline_html_reads_as_text_everywhere() {
    let Some(export) = shared("wordpress/theme-test-data/themeunittestdata.wordpress.xml") else { return };
    let data = tempfile::tempdir().expect("tmp");
    let out = import(data.path(), &["wordpress", export.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = Server::start(&[], &[], Some(data));
    let wanted = "Markup: Title With Markup";
    let moved = server.get("/?p=1173");
    assert_eq!(moved.status, 301);
    let path = moved.header("location").expect("location").to_owned();
    let page = server.get(&path);
    let html = page.html();
    assert_eq!(html.select(&sel("h1")).next().map(text).as_deref(), Some(wanted));
    let title = html.select(&sel("title")).next().map(text).unwrap_or_default();
    assert!(title.starts_with(&format!("\u{2068}{wanted}\u{2069}")), "the title, isolated: {title:?}");
    assert!(!page.body.contains("&lt;em&gt;") && !page.body.contains("&lt;b&gt;"), "no escaped tags");
    let category = html.select(&sel(".article__cat")).next().and_then(|a| a.value().attr("href").map(str::to_owned)).expect("category");
    let mut listed = false;
    for n in 1..=20 {
        let list = server.get(&format!("{category}?page={n}"));
        if list.status != 200 {
            break;
        }
        if list.html().select(&sel(".card__title")).map(text).any(|t| t == wanted) {
            listed = true;
            break;
        }
    }
    assert!(listed, "the category list shows the title as text");
    let found = server.get("/search?q=Markup%20Title%20With");
    let titles: Vec<String> = found.html().select(&sel("[data-region=search-results] h2")).map(text).collect();
    assert!(titles.iter().any(|t| t == wanted), "{titles:?}");
    let api: serde_json::Value = serde_json::from_str(&server.get("/api/v1/search?q=Markup%20Title%20With").body).expect("json");
    let api_titles: Vec<&str> = api["results"].as_array().expect("results").iter().filter_map(|r| r["title"].as_str()).collect();
    assert!(api_titles.contains(&wanted), "{api_titles:?}");
}

#[test]
fn malformed_truncated_and_unsupported_exports_are_refused_and_import_nothing() {
    let Some(fixtures) = shared("wordpress/importer-fixtures") else { return };
    let Some(synthetic) = shared(SYNTHETIC) else { return };
    for (file, expect) in [
        ("malformed.xml", "line 90, column 1"),
        ("malformed-simple.xml", "line 14, column 1: expected </item>"),
        ("missing-version-tag.xml", "wxr_version"),
        ("invalid-version-tag.xml", "unsupported WXR version"),
    ] {
        let data = tempfile::tempdir().expect("tmp");
        let out = import(data.path(), &["wordpress", fixtures.join(file).to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(file) && stderr.contains(expect), "{file}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(!data.path().join("nashir.db").exists() || count(data.path(), nashir_store::ImportTable::Articles) == 0);
    }
    // A valid export cut in the middle of an item.
    let text = std::fs::read_to_string(&synthetic).expect("read");
    let cut = text.find("<item>").expect("item") + text.len() / 3;
    let dir = tempfile::tempdir().expect("tmp");
    let truncated = dir.path().join("site.xml");
    std::fs::write(&truncated, &text.as_bytes()[..text.floor_char_boundary(cut)]).expect("write");
    let out = import(dir.path(), &["wordpress", truncated.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("site.xml: line ") && stderr.contains("column"), "{stderr}");
    assert_eq!(count(dir.path(), nashir_store::ImportTable::Articles), 0, "nothing imported");
}

#[test]
fn every_importer_fixture_is_imported_or_refused() {
    let Some(fixtures) = shared("wordpress/importer-fixtures") else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("xml") {
            continue;
        }
        seen += 1;
        let data = tempfile::tempdir().expect("tmp");
        let out = import(data.path(), &["wordpress", path.to_str().expect("path")]);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let refused = name.starts_with("malformed") || name.contains("version-tag");
        if refused {
            assert_eq!(out.status.code(), Some(1), "{name} must be refused");
        } else {
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout(&out).contains("created:"), "{name}");
        }
    }
    assert!(seen >= 8, "{seen} fixtures");
}

#[test]
fn re_running_an_import_updates_instead_of_duplicating() {
    let Some(file) = shared(SYNTHETIC) else { return };
    use nashir_store::ImportTable::*;
    let data = tempfile::tempdir().expect("tmp");
    assert!(import(data.path(), &["wordpress", file.to_str().expect("path")]).status.success());
    let before = [count(data.path(), Articles), count(data.path(), Comments), count(data.path(), Categories), count(data.path(), Tags), count(data.path(), People), count(data.path(), Pages)];
    let again = import(data.path(), &["wordpress", file.to_str().expect("path")]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("updated: 3 authors, 10 categories, 20 comments, 2 pages, 239 posts, 6 tags"), "{}", stdout(&again));
    let after = [count(data.path(), Articles), count(data.path(), Comments), count(data.path(), Categories), count(data.path(), Tags), count(data.path(), People), count(data.path(), Pages)];
    assert_eq!(before, after);
    let dry = import(data.path(), &["wordpress", file.to_str().expect("path"), "--dry-run"]);
    assert!(stdout(&dry).contains("Would import"));
}

#[test]
fn an_import_killed_in_the_middle_completes_when_run_again() {
    let Some(file) = shared("arabic-news/ant_v1.1_jawharafm.jsonl") else { return };
    use nashir_store::ImportTable::*;
    let data = tempfile::tempdir().expect("tmp");
    // A slice of the corpus keeps the test short.
    let slice = data.path().join("slice.jsonl");
    let text = std::fs::read_to_string(&file).expect("corpus");
    std::fs::write(&slice, text.lines().take(1500).collect::<Vec<_>>().join("\n")).expect("write");
    let mut child = command()
        .args(["import", "jsonl"])
        .arg(&slice)
        .arg("--data-dir")
        .arg(data.path())
        .current_dir(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until some articles are in, then kill -9.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
        if data.path().join("nashir.db").exists() && count(data.path(), Articles) > 50 {
            break;
        }
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    let partial = count(data.path(), Articles);
    assert!(partial < 1500, "killed before the end ({partial})");
    let rerun = import(data.path(), &["jsonl", slice.to_str().expect("path")]);
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(count(data.path(), Articles), 1500, "complete, nothing duplicated");
}

#[test]
fn jsonl_reports_bad_lines_and_imports_the_good_ones_with_their_old_urls() {
    let data = tempfile::tempdir().expect("tmp");
    let file = data.path().join("archive.jsonl");
    let lines = [
        r#"{"id":"a1","title":"خبر أول عن الانتخابات","body":"فقرة أولى.\nفقرة ثانية.","category":"سياسة/انتخابات","date":"2017-03-01","author":"سلمى","url":"http://old.example/ar/article/1","tags":["انتخابات","برلمان"]}"#,
        "{not json",
        r#"{"id":"a2","title":"خبر ثان","body":"نص.","category":"اقتصاد","published_at":"2017-03-02T10:30:00+01:00","author":"سلمى","url":"http://old.example/ar/article/2"}"#,
        r#"{"title":"بلا معرف"}"#,
        r#"{"id":"a3","title":"مسودة","body":"نص.","category":"اقتصاد","date":"2017-03-03","status":"draft"}"#,
    ];
    std::fs::write(&file, lines.join("\n")).expect("write");
    let out = import(data.path(), &["jsonl", file.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2") && stderr.contains("line 4"), "{stderr}");
    assert!(stdout(&out).contains("3 articles"), "{}", stdout(&out));
    let server = Server::start(&[], &[], Some(data));
    let r = server.get("/ar/article/1");
    assert_eq!(r.status, 301, "the record's url redirects");
    let page = server.get(r.header("location").expect("location"));
    assert!(page.body.contains("خبر أول عن الانتخابات"));
    assert_eq!(server.get("/category/سياسة/انتخابات/").status, 200, "a category path");
    assert_eq!(server.get("/tag/برلمان/").status, 200);
}

#[test]
fn a_running_server_picks_up_imported_articles() {
    let server = Server::start(&["--search-rate-limit", "0"], &[], None);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("one.jsonl");
    std::fs::write(&file, r#"{"id":"z1","title":"اكتشاف أثري نادر في وادي الزرقاء","body":"عثر فريق على فسيفساء.","category":"ثقافة","date":"2017-05-05"}"#).expect("write");
    // The server prints its data folder nowhere; import into it through the same database.
    let data = server.data_path().to_path_buf();
    let out = command().args(["import", "jsonl"]).arg(&file).arg("--data-dir").arg(&data).current_dir(dir.path()).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let start = Instant::now();
    loop {
        let home = server.get("/");
        let found = server.get("/search?q=%D9%81%D8%B3%D9%8A%D9%81%D8%B3%D8%A7%D8%A1");
        if home.body.contains("اكتشاف أثري نادر") && found.body.contains("اكتشاف أثري نادر") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "not picked up");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Posts without an author, or by an author missing from the export's list.
const ORPHAN_WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع</title><link>https://orphans.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://orphans.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[known]]></wp:author_login><wp:author_email><![CDATA[k@orphans.example]]></wp:author_email><wp:author_display_name><![CDATA[كاتب معروف]]></wp:author_display_name></wp:author>
<item><title>خبر بلا كاتب</title><link>https://orphans.example/?p=1</link><dc:creator><![CDATA[]]></dc:creator><content:encoded><![CDATA[<p>نص</p>]]></content:encoded><wp:post_id>1</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[no-author]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>
<item><title>خبر لكاتب مجهول</title><link>https://orphans.example/?p=2</link><dc:creator><![CDATA[ghost]]></dc:creator><content:encoded><![CDATA[<p>نص</p>]]></content:encoded><wp:post_id>2</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-02 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[ghost-author]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>
<item><title>خبر لكاتب معروف</title><link>https://orphans.example/?p=3</link><dc:creator><![CDATA[known]]></dc:creator><content:encoded><![CDATA[<p>نص</p>]]></content:encoded><wp:post_id>3</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-03 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[known-author]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>
</channel></rss>"#;

#[test]
fn posts_without_a_known_author_go_to_the_default_author_and_are_counted() {
    // Without --default-author: a "فريق التحرير" byline, made once however often the import runs.
    let data = tempfile::tempdir().expect("tmp");
    let export = data.path().join("orphans.xml");
    std::fs::write(&export, ORPHAN_WXR).expect("write");
    for _ in 0..2 {
        let out = import(data.path(), &["wordpress", export.to_str().expect("path")]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let summary = stdout(&out);
        // A post without any author goes to the default author; a login missing from the
        // author list becomes a byline of its own (as WordPress's importer makes the user).
        assert!(summary.contains("given to the default author (their author is not in the export): 1 posts"), "{summary}");
        assert!(summary.contains("1: خبر بلا كاتب"), "{summary}");
        assert!(!summary.contains("unknown author"), "nothing skipped: {summary}");
        // The same summary, in a report file beside the data folder.
        let report = summary.lines().find_map(|l| l.trim().strip_prefix("report: ")).expect("a report path");
        let written = std::fs::read_to_string(report).expect("the report");
        assert!(written.contains("given to the default author") && written.contains("خبر بلا كاتب"), "{written}");
        assert_eq!(std::path::Path::new(report).parent(), data.path().parent());
        std::fs::remove_file(report).expect("clean up");
    }
    assert_eq!(count(data.path(), nashir_store::ImportTable::Articles), 3);
    let server = crate::server::Server::start(&[], &[], Some(data));
    let page = server.get(&crate::newsroom::location(&server.get("/?p=1")));
    assert!(page.body.contains("فريق التحرير"), "the team's byline");
    let known = server.get(&crate::newsroom::location(&server.get("/?p=3")));
    assert!(known.body.contains("كاتب معروف"));
    assert_eq!(server.get(&crate::newsroom::location(&server.get("/?p=2"))).status, 200, "nothing was dropped");
    drop(server);

    // With --default-author: that account; an email nobody has is refused, nothing written.
    let data = tempfile::tempdir().expect("tmp");
    let export = data.path().join("orphans.xml");
    std::fs::write(&export, ORPHAN_WXR).expect("write");
    let refused = import(data.path(), &["wordpress", export.to_str().expect("path"), "--default-author", "nobody@example.com"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no account has this email"));
    assert_eq!(count(data.path(), nashir_store::ImportTable::Articles), 0);
    assert!(crate::newsroom::add_user(data.path(), "Desk@Example.com", "مكتب الأخبار", "editor", crate::newsroom::PASSWORD).status.success());
    let out = import(data.path(), &["wordpress", export.to_str().expect("path"), "--default-author", "desk@example.com"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = crate::server::Server::start(&[], &[], Some(data));
    let page = server.get(&crate::newsroom::location(&server.get("/?p=1")));
    assert!(page.body.contains("مكتب الأخبار"), "the named account's byline");
    assert_eq!(server.get(&crate::newsroom::location(&server.get("/?p=2"))).status, 200, "the unlisted login's post is imported too");
}

/// Categories and tags written as generic `<wp:term>`s, and taxonomies Nashir has no place for.
const TERMS_WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع</title><link>https://terms.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://terms.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[w]]></wp:author_login><wp:author_email><![CDATA[w@terms.example]]></wp:author_email><wp:author_display_name><![CDATA[كاتب]]></wp:author_display_name></wp:author>
<wp:term><wp:term_id>5</wp:term_id><wp:term_taxonomy><![CDATA[category]]></wp:term_taxonomy><wp:term_slug><![CDATA[akhbar]]></wp:term_slug><wp:term_parent><![CDATA[]]></wp:term_parent><wp:term_name><![CDATA[أخبار]]></wp:term_name></wp:term>
<wp:term><wp:term_id>6</wp:term_id><wp:term_taxonomy><![CDATA[category]]></wp:term_taxonomy><wp:term_slug><![CDATA[mahali]]></wp:term_slug><wp:term_parent><![CDATA[akhbar]]></wp:term_parent><wp:term_name><![CDATA[محلي]]></wp:term_name></wp:term>
<wp:term><wp:term_id>7</wp:term_id><wp:term_taxonomy><![CDATA[post_tag]]></wp:term_taxonomy><wp:term_slug><![CDATA[baghdad]]></wp:term_slug><wp:term_name><![CDATA[بغداد]]></wp:term_name></wp:term>
<wp:term><wp:term_id>8</wp:term_id><wp:term_taxonomy><![CDATA[post_format]]></wp:term_taxonomy><wp:term_slug><![CDATA[post-format-gallery]]></wp:term_slug><wp:term_name><![CDATA[Gallery]]></wp:term_name></wp:term>
<wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy><![CDATA[post_format]]></wp:term_taxonomy><wp:term_slug><![CDATA[post-format-video]]></wp:term_slug><wp:term_name><![CDATA[Video]]></wp:term_name></wp:term>
<wp:term><wp:term_id>10</wp:term_id><wp:term_taxonomy><![CDATA[region]]></wp:term_taxonomy><wp:term_slug><![CDATA[basra]]></wp:term_slug><wp:term_name><![CDATA[البصرة]]></wp:term_name></wp:term>
<item><title>خبر محلي</title><link>https://terms.example/?p=1</link><dc:creator><![CDATA[w]]></dc:creator><category domain="category" nicename="mahali"><![CDATA[محلي]]></category><category domain="post_tag" nicename="baghdad"><![CDATA[بغداد]]></category><content:encoded><![CDATA[<p>نص</p>]]></content:encoded><wp:post_id>1</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[local]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>
</channel></rss>"#;

#[test]
fn categories_and_tags_given_as_wp_term_are_imported_with_their_parents_and_other_taxonomies_reported() {
    let data = tempfile::tempdir().expect("tmp");
    let export = data.path().join("terms.xml");
    std::fs::write(&export, TERMS_WXR).expect("write");
    let out = import(data.path(), &["wordpress", export.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout(&out);
    assert!(summary.contains("2 categories") && summary.contains("1 tags"), "{summary}");
    assert!(summary.contains("2 terms of the taxonomy post_format") && summary.contains("1 terms of the taxonomy region"), "{summary}");
    assert!(summary.contains("post-format-gallery: Gallery") && summary.contains("basra: البصرة"), "names and examples: {summary}");
    if let Some(report) = summary.lines().find_map(|l| l.trim().strip_prefix("report: ")) {
        let _ = std::fs::remove_file(report);
    }
    let server = crate::server::Server::start(&[], &[], Some(data));
    // The child category sits under its parent, and the parent's page lists the child's article.
    assert_eq!(server.get("/category/akhbar/mahali/").status, 200);
    assert!(server.get("/category/akhbar/").body.contains("خبر محلي"));
    assert!(server.get("/tag/baghdad/").body.contains("خبر محلي"));
}

#[test]
fn default_authors_and_wp_terms_work_on_postgresql_too() {
    let Some(db) = crate::newsroom::PgDatabase::create() else { return };
    let data = tempfile::tempdir().expect("tmp");
    for (name, text) in [("orphans.xml", ORPHAN_WXR), ("terms.xml", TERMS_WXR)] {
        let export = data.path().join(name);
        std::fs::write(&export, text).expect("write");
        let out = import(data.path(), &["wordpress", export.to_str().expect("path"), "--database-url", &db.url]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let summary = stdout(&out);
        if let Some(report) = summary.lines().find_map(|l| l.trim().strip_prefix("report: ")) {
            let _ = std::fs::remove_file(report);
        }
    }
    let server = crate::server::Server::start(&["--database-url", &db.url], &[], Some(data));
    assert!(server.get("/category/akhbar/").body.contains("خبر محلي"), "a category given as <wp:term> with its child");
    assert!(server.get("/tag/baghdad/").body.contains("خبر محلي"), "a tag given as <wp:term>");
    // The post without an author is under the team's byline.
    let team = format!("/author/{}/", crate::server::encode("فريق-التحرير"));
    let page = server.get(&team);
    assert_eq!(page.status, 200, "{team}");
    assert!(page.body.contains("خبر بلا كاتب"));
}

/// The same kind of item under three prefixes bound to the WXR namespaces and as the default
/// namespace; a `wp:` prefix bound to a theme's own namespace (its elements are not WordPress
/// data); and an item whose id cannot be read.
const NAMESPACES_WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:w="http://wordpress.org/export/1.2/" xmlns:wp="http://example.com/theme-data/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:c="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>مساحات</title><link>https://ns.example</link><w:wxr_version>1.2</w:wxr_version><w:base_site_url>https://ns.example</w:base_site_url>
<wp:wxr_version>9.9</wp:wxr_version>
<w:author><w:author_login>n</w:author_login><w:author_display_name>كاتبة المساحات</w:author_display_name></w:author>
<item><title>بادئة أولى</title><dc:creator>n</dc:creator><c:encoded><![CDATA[نص أول]]></c:encoded>
  <w:post_id>1</w:post_id><w:post_date_gmt>2024-02-01 10:00:00</w:post_date_gmt><w:post_name>one</w:post_name><w:status>publish</w:status><w:post_type>post</w:post_type>
  <wp:status>draft</wp:status><wp:post_id>999</wp:post_id></item>
<item xmlns:wordpress="http://wordpress.org/export/1.1/"><title>بادئة ثانية</title><dc:creator>n</dc:creator><c:encoded><![CDATA[نص ثان]]></c:encoded>
  <wordpress:post_id>2</wordpress:post_id><wordpress:post_date_gmt>2024-02-02 10:00:00</wordpress:post_date_gmt><wordpress:post_name>two</wordpress:post_name><wordpress:status>publish</wordpress:status><wordpress:post_type>post</wordpress:post_type></item>
<item xmlns:x="http://wordpress.org/export/1.0/"><title>بادئة ثالثة</title><dc:creator>n</dc:creator><c:encoded><![CDATA[نص ثالث]]></c:encoded>
  <x:post_id>3</x:post_id><x:post_date_gmt>2024-02-03 10:00:00</x:post_date_gmt><x:post_name>three</x:post_name><x:status>publish</x:status><x:post_type>post</x:post_type></item>
<item><title>مساحة افتراضية</title><dc:creator>n</dc:creator><c:encoded><![CDATA[نص رابع]]></c:encoded>
  <post_id xmlns="http://wordpress.org/export/1.2/">4</post_id><post_date_gmt xmlns="http://wordpress.org/export/1.2/">2024-02-04 10:00:00</post_date_gmt><post_name xmlns="http://wordpress.org/export/1.2/">four</post_name><status xmlns="http://wordpress.org/export/1.2/">publish</status><post_type xmlns="http://wordpress.org/export/1.2/">post</post_type></item>
<item><title>رقم غير مقروء</title><dc:creator>n</dc:creator><w:post_id>abc</w:post_id><w:status>publish</w:status></item>
</channel></rss>"#;

fn namespaced_items_are_read_by_namespace(db: Option<&str>) {
    let data = tempfile::tempdir().expect("tmp");
    let export = data.path().join("namespaces.xml");
    std::fs::write(&export, NAMESPACES_WXR).expect("write");
    let mut args = vec!["wordpress", export.to_str().expect("path")];
    if let Some(url) = db {
        args.extend(["--database-url", url]);
    }
    // --strict refuses the file for the unreadable id, naming where it is, and writes nothing.
    let strict = import(data.path(), &[args.as_slice(), &["--strict"]].concat());
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("line 16") && err.contains("expected a number in <wp:post_id>, found \"abc\""), "{err}");
    let out = import(data.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout(&out);
    assert!(summary.contains("created: 1 authors, 4 posts"), "{summary}");
    assert!(summary.contains("1 items whose data could not be read"), "{summary}");
    assert!(summary.contains("abc: رقم غير مقروء (") && summary.contains("line 16"), "the item and where: {summary}");
    if let Some(report) = summary.lines().find_map(|l| l.trim().strip_prefix("report: ")) {
        let _ = std::fs::remove_file(report);
    }
    let extra: Vec<&str> = db.map(|url| vec!["--database-url", url]).unwrap_or_default();
    let server = crate::server::Server::start(&extra, &[], Some(data));
    for (id, title) in [(1, "بادئة أولى"), (2, "بادئة ثانية"), (3, "بادئة ثالثة"), (4, "مساحة افتراضية")] {
        let page = server.get(&crate::newsroom::location(&server.get(&format!("/?p={id}"))));
        assert_eq!(page.status, 200, "item {id}");
        assert!(page.body.contains(title) && page.body.contains("كاتبة المساحات"), "item {id}");
    }
    // The theme's own `wp:post_id` and `wp:status` were not WordPress data.
    assert_eq!(server.get("/?p=999").status, 404);
}

#[test]
fn elements_are_read_by_namespace_and_an_unreadable_item_is_skipped_not_fatal() {
    namespaced_items_are_read_by_namespace(None);
}

#[test]
fn elements_are_read_by_namespace_on_postgresql_too() {
    let Some(db) = crate::newsroom::PgDatabase::create() else { return };
    namespaced_items_are_read_by_namespace(Some(&db.url));
}

/// Two galleries (one naming its photos, one bare: the post's attached photos by menu order,
/// a PDF among them left out), and two navigation menus: the primary one with categories
/// (one renamed, one a sub-item), a custom link and a page; a footer menu.
const GALLERY_MENU_WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>معارض</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example</wp:base_blog_url>
<wp:author><wp:author_login>g</wp:author_login><wp:author_display_name>مصورة</wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>أخبار</wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>sport</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>رياضة</wp:cat_name></wp:category>
<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>local</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>محلي</wp:cat_name></wp:category>
<wp:category><wp:term_id>6</wp:term_id><wp:category_nicename>economy</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>اقتصاد</wp:cat_name></wp:category>
<wp:term><wp:term_id>40</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>main-menu</wp:term_slug><wp:term_name><![CDATA[القائمة الرئيسية]]></wp:term_name></wp:term>
<wp:term><wp:term_id>41</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>footer</wp:term_slug><wp:term_name>Footer</wp:term_name></wp:term>
<item><title>معرض بأرقام</title><link>https://old.example/?p=1</link><dc:creator>g</dc:creator><category domain="category" nicename="news"><![CDATA[أخبار]]></category>
<content:encoded><![CDATA[قبل المعرض

[gallery ids="12,11" columns="2"]

بعد المعرض]]></content:encoded><wp:post_id>1</wp:post_id><wp:post_date_gmt>2024-06-01 10:00:00</wp:post_date_gmt><wp:post_name>one</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>معرض بلا أرقام</title><link>https://old.example/?p=2</link><dc:creator>g</dc:creator><category domain="category" nicename="sport"><![CDATA[رياضة]]></category>
<content:encoded><![CDATA[المباراة بالصور: [gallery]]]></content:encoded><wp:post_id>2</wp:post_id><wp:post_date_gmt>2024-06-02 10:00:00</wp:post_date_gmt><wp:post_name>two</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>من نحن</title><link>https://old.example/about/</link><dc:creator>g</dc:creator><content:encoded><![CDATA[عن الموقع]]></content:encoded><wp:post_id>20</wp:post_id><wp:post_name>about</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
<item><title>الصورة أ</title><excerpt:encoded><![CDATA[تعليق الصورة أ]]></excerpt:encoded><wp:post_id>11</wp:post_id><wp:post_parent>1</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/wp-content/uploads/2024/06/a.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[نص بديل أ]]></wp:meta_value></wp:postmeta></item>
<item><title>الصورة ب</title><excerpt:encoded><![CDATA[تعليق الصورة ب]]></excerpt:encoded><wp:post_id>12</wp:post_id><wp:post_parent>1</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/wp-content/uploads/2024/06/b.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[نص بديل ب]]></wp:meta_value></wp:postmeta></item>
<item><title>الصورة ج</title><excerpt:encoded><![CDATA[تعليق الصورة ج]]></excerpt:encoded><wp:post_id>13</wp:post_id><wp:post_parent>2</wp:post_parent><wp:menu_order>2</wp:menu_order><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/wp-content/uploads/2024/06/c.jpg</wp:attachment_url></item>
<item><title>الصورة د</title><wp:post_id>14</wp:post_id><wp:post_parent>2</wp:post_parent><wp:menu_order>1</wp:menu_order><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/wp-content/uploads/2024/06/d.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[نص بديل د]]></wp:meta_value></wp:postmeta></item>
<item><title>جدول المباريات</title><wp:post_id>15</wp:post_id><wp:post_parent>2</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>https://old.example/wp-content/uploads/2024/06/table.pdf</wp:attachment_url></item>
<item><title></title><wp:post_id>31</wp:post_id><wp:menu_order>1</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="main-menu"><![CDATA[القائمة الرئيسية]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>taxonomy</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>category</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object_id</wp:meta_key><wp:meta_value>6</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>0</wp:meta_value></wp:postmeta></item>
<item><title>آخر الأخبار</title><wp:post_id>32</wp:post_id><wp:menu_order>2</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="main-menu"><![CDATA[القائمة الرئيسية]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>taxonomy</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>category</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object_id</wp:meta_key><wp:meta_value>3</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>0</wp:meta_value></wp:postmeta></item>
<item><title></title><wp:post_id>33</wp:post_id><wp:menu_order>3</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="main-menu"><![CDATA[القائمة الرئيسية]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>category</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object_id</wp:meta_key><wp:meta_value>5</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>32</wp:meta_value></wp:postmeta></item>
<item><title>البث المباشر</title><wp:post_id>34</wp:post_id><wp:menu_order>4</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="main-menu"><![CDATA[القائمة الرئيسية]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>custom</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>custom</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_url</wp:meta_key><wp:meta_value>https://live.example/</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>0</wp:meta_value></wp:postmeta></item>
<item><title></title><wp:post_id>35</wp:post_id><wp:menu_order>5</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="main-menu"><![CDATA[القائمة الرئيسية]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>post_type</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>page</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_object_id</wp:meta_key><wp:meta_value>20</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_menu_item_parent</wp:meta_key><wp:meta_value>0</wp:meta_value></wp:postmeta></item>
<item><title>الخصوصية</title><wp:post_id>36</wp:post_id><wp:menu_order>1</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><category domain="nav_menu" nicename="footer"><![CDATA[Footer]]></category>
  <wp:postmeta><wp:meta_key>_menu_item_object</wp:meta_key><wp:meta_value>custom</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_menu_item_url</wp:meta_key><wp:meta_value>https://old.example/privacy/</wp:meta_value></wp:postmeta></item>
</channel></rss>"#;

fn galleries_and_the_primary_menu(db: Option<&str>) {
    let data = tempfile::tempdir().expect("tmp");
    let old = tempfile::tempdir().expect("uploads");
    std::fs::create_dir_all(old.path().join("2024/06")).expect("mkdir");
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        let photo = nashir_media::drawn::jpeg_with_gps(640, 480, i as u16 + 1);
        std::fs::write(old.path().join(format!("2024/06/{name}.jpg")), photo).expect("photo");
    }
    std::fs::write(old.path().join("2024/06/table.pdf"), b"%PDF-1.4 a table").expect("pdf");
    let export = data.path().join("galleries.xml");
    std::fs::write(&export, GALLERY_MENU_WXR).expect("write");
    let uploads = old.path().to_str().expect("path").to_owned();
    let mut args = vec!["wordpress", export.to_str().expect("path"), "--uploads", &uploads];
    if let Some(url) = db {
        args.extend(["--database-url", url]);
    }
    for run in 0..2 {
        let out = import(data.path(), &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let summary = stdout(&out);
        let verb = if run == 0 { "created" } else { "updated" };
        assert!(summary.contains(&format!("{verb}: ")), "{summary}");
        assert!(summary.contains("galleries: 2 (4 photos)"), "{summary}");
        assert!(summary.contains("category bar: from the menu \"القائمة الرئيسية\" (4 places)"), "{summary}");
        assert!(summary.contains("1 items of the menu \"Footer\" (not the category bar)"), "{summary}");
        assert!(summary.contains("36: الخصوصية → https://old.example/privacy/"), "other menus are reported with their items: {summary}");
        assert!(summary.contains("1 sub-items of the primary menu"), "{summary}");
        assert!(!summary.contains("nav_menu_item items"), "{summary}");
        if let Some(report) = summary.lines().find_map(|l| l.trim().strip_prefix("report: ")) {
            let _ = std::fs::remove_file(report);
        }
    }
    let extra: Vec<&str> = db.map(|url| vec!["--database-url", url]).unwrap_or_default();
    if db.is_none() {
        let added = crate::newsroom::add_user(data.path(), "desk@example.com", "مكتب", "editor", crate::newsroom::PASSWORD);
        assert!(added.status.success());
    }
    let server = crate::server::Server::start(&extra, &[], Some(data));
    let gallery = |id: i64| {
        let page = server.get(&crate::newsroom::location(&server.get(&format!("/?p={id}"))));
        assert_eq!(page.status, 200);
        assert!(!page.body.contains('\u{FFFC}'), "no placeholder is left");
        let html = scraper::Html::parse_document(&page.body);
        let figures: Vec<(String, String, String)> = html
            .select(&sel(".article__body figure.gallery > figure"))
            .map(|f| {
                let img = f.select(&sel("img")).next().expect("img");
                let src = img.value().attr("src").unwrap_or_default();
                let src = percent_encoding::percent_decode_str(src).decode_utf8_lossy().into_owned();
                let alt = img.value().attr("alt").unwrap_or_default().to_owned();
                let caption = f.select(&sel("figcaption")).next().map(text).unwrap_or_default();
                (src, alt, caption)
            })
            .collect();
        figures
    };
    // `ids` in their order, with the alt texts and captions of the export.
    assert_eq!(
        gallery(1),
        [
            ("/uploads/2024/06/b.jpg".to_owned(), "نص بديل ب".to_owned(), "تعليق الصورة ب".to_owned()),
            ("/uploads/2024/06/a.jpg".to_owned(), "نص بديل أ".to_owned(), "تعليق الصورة أ".to_owned()),
        ]
    );
    // A bare gallery: the post's attached photos by menu order; the PDF is not a photo.
    let bare = gallery(2);
    let srcs: Vec<&str> = bare.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(srcs, ["/uploads/2024/06/d.jpg", "/uploads/2024/06/c.jpg"]);
    // The photos are the library's: the body's URLs lead to files without metadata.
    let r = server.get("/uploads/2024/06/d%2Ejpg");
    assert_eq!(r.status, 301);
    assert!(crate::newsroom::location(&r).starts_with("/media/"));
    // The category bar: the primary menu's top-level places in order, the renamed category
    // under the menu's name, the custom link and the page.
    let home = scraper::Html::parse_document(&server.get("/").body);
    let bar: Vec<(String, String)> = home
        .select(&sel(".catnav__list a"))
        .map(|a| (text(a), a.value().attr("href").unwrap_or_default().to_owned()))
        .collect();
    assert_eq!(
        bar,
        [
            ("الرئيسية".to_owned(), "/".to_owned()),
            ("اقتصاد".to_owned(), "/category/economy/".to_owned()),
            ("آخر الأخبار".to_owned(), "/category/news/".to_owned()),
            ("البث المباشر".to_owned(), "https://live.example/".to_owned()),
            ("من نحن".to_owned(), "/about".to_owned()),
        ]
    );
    assert_eq!(server.get("/about").status, 301, "the page's old address leads to it");
    if db.is_none() {
        // Editors see the bar's own order in the newsroom and can give the default one back.
        let editor = crate::newsroom::login(&server, "desk@example.com");
        let page = editor.get("/newsroom/categories").body;
        assert!(page.contains("data-category-bar") && page.contains("البث المباشر"), "{page}");
        assert_eq!(editor.post("/newsroom/categories/bar/reset", &[]).status, 303);
        crate::newsroom::eventually(&server, "/", |r| !r.body.contains("البث المباشر") && r.body.contains("/category/sport/"));
        assert!(!editor.get("/newsroom/categories").body.contains("data-category-bar"));
    }
}

#[test]
fn galleries_become_library_photos_and_the_primary_menu_the_category_bar() {
    galleries_and_the_primary_menu(None);
}

#[test]
fn galleries_and_menus_on_postgresql_too() {
    let Some(db) = crate::newsroom::PgDatabase::create() else { return };
    galleries_and_the_primary_menu(Some(&db.url));
}

/// `nashir import … | head -1`: a reader that stops reading ends the report quietly; the
/// import itself is done.
#[test]
fn a_closed_standard_output_does_not_crash_the_import() {
    let data = tempfile::tempdir().expect("tmp");
    let export = data.path().join("orphans.xml");
    std::fs::write(&export, ORPHAN_WXR).expect("write");
    let mut child = command()
        .args(["import", "wordpress"])
        .arg(&export)
        .arg("--data-dir")
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(count(data.path(), nashir_store::ImportTable::Articles), 3, "the import was done");
    for entry in std::fs::read_dir(data.path().parent().expect("parent")).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = data.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with(&format!("{ours}-import-")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
