//! Reader comments end to end, on SQLite and on PostgreSQL: posting and its refusals (every
//! field, the token, its minimum age, the honeypot, cross-site posts, rate limits, closed
//! comments), the first-comment rule and the flags, the writer's private view of a held
//! comment, threads, replies and pages, moderation in the newsroom, mail to moderators
//! through an SMTP server started here, erasure, imported comments, instances following
//! each other, and a crawl that finds no commenter's email or address anywhere public.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::newsroom::{PASSWORD, PgDatabase, Session, location, login};
use crate::server::{Response, Server, command, encode, post_form, post_raw, sel, text};

/// Where a test's site keeps its data.
struct Backend {
    name: &'static str,
    args: Vec<String>,
    _db: Option<PgDatabase>,
}

/// SQLite always; PostgreSQL unless `NASHIR_TEST_POSTGRES=off`.
fn backends() -> Vec<Backend> {
    let mut all = vec![Backend { name: "sqlite", args: vec![], _db: None }];
    if let Some(db) = PgDatabase::create() {
        all.push(Backend { name: "postgres", args: vec!["--database-url".into(), db.url.clone()], _db: Some(db) });
    }
    all
}

fn add_staff(backend: &Backend, data: &std::path::Path, email: &str, name: &str, role: &str) {
    let mut child = command()
        .args(["user", "add", "--email", email, "--name", name, "--role", role, "--data-dir"])
        .arg(data)
        .args(&backend.args)
        .current_dir(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The demo site on `backend` with staff of every role, believing `X-Forwarded-For` from
/// loopback (so each test picks its readers' addresses), and no minimum form age unless
/// `extra` sets one.
fn site(backend: &Backend, extra: &[&str]) -> Server {
    let data = tempfile::tempdir().expect("tmp");
    for (email, name, role) in [
        ("admin@example.com", "مديرة الموقع", "admin"),
        ("editor@example.com", "محرر الأخبار", "editor"),
        ("author@example.com", "كاتبة", "author"),
        ("contrib@example.com", "مساهم", "contributor"),
    ] {
        add_staff(backend, data.path(), email, name, role);
    }
    let mut args: Vec<&str> = vec!["--demo", "--time-zone", "UTC", "--trusted-proxy", "127.0.0.1"];
    if !extra.contains(&"--comment-min-seconds") {
        args.extend(["--comment-min-seconds", "0"]);
    }
    args.extend(backend.args.iter().map(String::as_str));
    args.extend(extra);
    Server::start(&args, &[], Some(data))
}

/// An article of the demo to comment on: (id, canonical path).
fn article(server: &Server, nth: usize) -> (i64, String) {
    let home = server.get("/");
    let hrefs: Vec<String> = home
        .html()
        .select(&sel(".card__title a"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let path = hrefs.get(nth).expect("an article on the home page").clone();
    let id = path.trim_start_matches("/news/").split('/').next().expect("id").parse().expect("id");
    (id, path)
}

fn token_of(body: &str) -> String {
    scraper::Html::parse_document(body)
        .select(&sel("input[name=token]"))
        .next()
        .and_then(|i| i.value().attr("value").map(str::to_owned))
        .unwrap_or_default()
}

/// Posts a comment from `address` with a token read from the page just now; `fields` adds
/// to and replaces name, email and body.
fn post(server: &Server, path: &str, id: i64, address: &str, fields: &[(&str, &str)]) -> Response {
    let token = token_of(&server.get(path).body);
    let defaults = [("author_name", "قارئ"), ("author_email", "reader@example.com"), ("body", "تعليق على الخبر"), ("token", token.as_str())];
    let mut all: Vec<(&str, &str)> = defaults.into_iter().filter(|(k, _)| !fields.iter().any(|(f, _)| f == k)).collect();
    all.extend_from_slice(fields);
    post_form(&format!("{}/news/{id}/comments", server.url), &all, &[("x-forwarded-for", address)])
}

fn comment_id(r: &Response) -> i64 {
    location(r).rsplit("#comment-").next().expect("anchor").parse().expect("id")
}

fn is_held(r: &Response) -> bool {
    r.status == 303 && location(r).contains("unapproved=") && location(r).contains("moderation-hash=")
}

fn value_of(body: &str, selector: &str) -> Option<String> {
    let html = scraper::Html::parse_document(body);
    html.select(&sel(selector)).next().map(|e| match e.value().name() {
        "textarea" => e.text().collect(),
        _ => e.value().attr("value").unwrap_or("").to_owned(),
    })
}

fn moderate(editor: &Session, action: &str, id: i64) -> Response {
    editor.post("/newsroom/comments/moderate", &[("one", &format!("{action}:{id}")), ("back", "status=all")])
}

/// The pending count the queue's first tab shows.
fn pending_count(editor: &Session) -> i64 {
    let page = editor.get("/newsroom/comments?status=pending");
    let html = page.html();
    let tab = html.select(&sel("[data-status-tab] .nr-count")).next().map(text).expect("tab");
    tab.parse().expect("count")
}

#[test]
fn a_first_comment_waits_its_writer_alone_sees_it_and_known_commenters_appear_at_once() {
    for backend in backends() {
        let server = site(&backend, &["--comment-blocklist", "كازينو,ربح سريع"]);
        let (id, path) = article(&server, 0);
        let editor = login(&server, "editor@example.com");
        let before = pending_count(&editor);

        let held = post(&server, &path, id, "203.0.113.10", &[("author_email", "Salma@Example.com"), ("body", "أول تعليق لسلمى")]);
        assert!(is_held(&held), "[{}] a first comment waits: {} {}", backend.name, held.status, location(&held));
        let held_id = comment_id(&held);
        let own = server.get(&location(&held));
        assert_eq!(own.status, 200);
        assert_eq!(own.header("cache-control"), Some("private, no-store"), "the writer's view is never stored");
        let html = own.html();
        let mine = html.select(&sel(&format!("#comment-{held_id}"))).next().expect("the writer sees their comment");
        assert!(text(mine).contains("أول تعليق لسلمى") && text(mine).contains("بانتظار المراجعة"));
        assert!(!server.get(&path).body.contains("أول تعليق لسلمى"), "[{}] nobody else sees it", backend.name);
        let forged = location(&held).replace("moderation-hash=", "moderation-hash=1");
        assert!(!server.get(&forged).body.contains("أول تعليق لسلمى"), "a forged link shows nothing");
        assert_eq!(pending_count(&editor), before + 1);
        let nav = editor.get("/newsroom/articles");
        assert!(nav.html().select(&sel("[data-nav=comments] .nr-count")).next().is_some(), "the pending count in the navigation");

        assert_eq!(moderate(&editor, "approve", held_id).status, 303);
        assert!(server.get(&path).body.contains("أول تعليق لسلمى"), "[{}] approved: on the page at once", backend.name);

        let known = post(&server, &path, id, "203.0.113.10", &[("author_email", "salma@example.COM"), ("body", "تعليقي الثاني")]);
        assert_eq!(known.status, 303);
        assert!(!location(&known).contains("unapproved"), "a known commenter appears at once: {}", location(&known));
        assert!(server.get(&path).body.contains("تعليقي الثاني"));

        // Known commenters are still held for links, blocklisted words and repeats.
        let links = "مصادر: http://a.example/1 http://b.example/2 http://c.example/3";
        assert!(is_held(&post(&server, &path, id, "203.0.113.11", &[("author_email", "salma@example.com"), ("body", links)])));
        assert!(is_held(&post(&server, &path, id, "203.0.113.12", &[("author_email", "salma@example.com"), ("body", "أفضل كَازينو في المدينة")])));
        assert!(is_held(&post(&server, &path, id, "203.0.113.13", &[("author_email", "salma@example.com"), ("body", "تعليقي الثاني")])), "the same text twice in a day");
        assert_eq!(pending_count(&editor), before + 3);
    }
}

#[test]
fn bad_input_is_refused_beside_its_field_with_the_text_kept_and_nothing_written() {
    for backend in backends() {
        let server = site(&backend, &["--comment-min-seconds", "2"]);
        let (id, path) = article(&server, 1);
        let editor = login(&server, "editor@example.com");
        let before = pending_count(&editor);
        let url = format!("{}/news/{id}/comments", server.url);
        let token = token_of(&server.get(&path).body);

        // Too fast: the token says when the form was made.
        let fast = post_form(&url, &[("token", &token), ("author_name", "أ"), ("author_email", "a@example.com"), ("body", "سريع")], &[]);
        assert_eq!(fast.status, 400, "[{}] {}", backend.name, fast.body);
        assert!(fast.body.contains("بسرعة") && value_of(&fast.body, "#comment-body").as_deref() == Some("سريع"));
        std::thread::sleep(Duration::from_secs(2));

        let long = "ب".repeat(5001);
        let bad = post_form(&url, &[("token", &token), ("author_name", ""), ("author_email", "ليس-بريداً"), ("author_url", "javascript:alert(1)"), ("body", &long)], &[]);
        assert_eq!(bad.status, 422);
        let html = bad.html();
        for (field, words) in [("name", "اكتب اسمك"), ("email", "بريد إلكتروني صحيح"), ("url", "https://"), ("body", "٥٠٠٠")] {
            let shown = html.select(&sel(&format!("#comment-{field}-error"))).next().map(text).unwrap_or_default();
            assert!(shown.contains(words), "[{}] {field}: {shown}", backend.name);
        }
        assert_eq!(value_of(&bad.body, "#comment-body").map(|b| b.chars().count()), Some(5001), "the text is kept");
        assert_eq!(value_of(&bad.body, "#comment-email").as_deref(), Some("ليس-بريداً"));
        assert_eq!(bad.header("cache-control"), Some("no-store"));
        assert!(html.select(&sel("#comment-body[maxlength='5000']")).next().is_some(), "the limit is in the form");

        // Bytes that are not UTF-8 are named, and what could be read is kept.
        let raw = format!("token={}&author_name=%D8%B3%D9%84%D9%85%D9%89&author_email=s%40example.com&body=%D9%86%D8%B5%FF%FE", encode(&token));
        let mangled = post_raw(&url, raw.into_bytes(), &[]);
        assert_eq!(mangled.status, 422);
        assert!(mangled.body.contains("غير مقروءة") && value_of(&mangled.body, "#comment-body").is_some_and(|b| b.starts_with("نص")));

        let fields = [("token", token.as_str()), ("author_name", "أ"), ("author_email", "a@example.com"), ("body", "نص صالح")];
        let cross = post_form(&url, &fields, &[("origin", "https://evil.example")]);
        assert_eq!(cross.status, 403, "another site's form");
        let cross = post_form(&url, &fields, &[("sec-fetch-site", "cross-site")]);
        assert_eq!(cross.status, 403);
        let mut forged = fields.to_vec();
        forged[0] = ("token", "1.deadbeef");
        let r = post_form(&url, &forged, &[]);
        assert_eq!(r.status, 400);
        assert!(r.body.contains("تعذّر التحقق") && r.body.contains("نص صالح"));
        let mut trapped = fields.to_vec();
        trapped.push(("phone", "+1 555 0100"));
        let r = post_form(&url, &trapped, &[]);
        assert_eq!(r.status, 400, "the honeypot");
        assert!(r.body.contains("نص صالح"));
        let r = post_form(&format!("{}/news/999999/comments", server.url), &fields, &[]);
        assert_eq!(r.status, 404);
        assert_eq!(pending_count(&editor), before, "[{}] nothing was written", backend.name);
        // The same fields, well formed, go through.
        assert!(is_held(&post_form(&url, &fields, &[])));
    }
}

#[test]
fn limits_are_configurable_and_too_many_comments_get_429_with_the_text_kept() {
    for backend in backends() {
        let server = site(&backend, &["--comment-rate-limit", "2", "--comment-max-length", "20", "--comment-max-name", "5"]);
        let (id, path) = article(&server, 2);
        let form = server.get(&path);
        assert!(form.html().select(&sel("#comment-body[maxlength='20']")).next().is_some());
        assert!(form.html().select(&sel("#comment-name[maxlength='5']")).next().is_some());
        let r = post(&server, &path, id, "198.51.100.1", &[("author_name", "اسم طويل جداً"), ("body", "قصير")]);
        assert_eq!(r.status, 422);
        assert!(r.body.contains("٥ حرف"), "the limit in the site's digits");
        for n in 0..2 {
            let r = post(&server, &path, id, "198.51.100.1", &[("body", &format!("تعليق رقم {n}"))]);
            assert_eq!(r.status, 303, "[{}] {}", backend.name, r.body);
        }
        let r = post(&server, &path, id, "198.51.100.1", &[("body", "الثالث")]);
        assert_eq!(r.status, 429, "[{}]", backend.name);
        assert!(r.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s > 0));
        assert!(r.body.contains("تعليقات كثيرة") && value_of(&r.body, "#comment-body").as_deref() == Some("الثالث"));
        assert_eq!(post(&server, &path, id, "198.51.100.2", &[("body", "من عنوان آخر")]).status, 303, "another address has its own budget");
    }
}

#[test]
fn replies_thread_four_deep_page_by_fifty_and_work_without_javascript() {
    for backend in backends() {
        let server = site(&backend, &["--comment-rate-limit", "0"]);
        let (id, path) = article(&server, 3);
        let editor = login(&server, "editor@example.com");
        // A known commenter: one approved comment first.
        let first = post(&server, &path, id, "192.0.2.1", &[("author_email", "deep@example.com"), ("author_name", "سامر"), ("body", "البداية")]);
        let root = comment_id(&first);
        moderate(&editor, "approve", root);
        let mut parent = root;
        let mut chain = vec![root];
        for depth in 2..=6 {
            let body = format!("رد في المستوى {depth}");
            let r = post(&server, &path, id, "192.0.2.1", &[("author_email", "deep@example.com"), ("body", &body), ("parent_id", &parent.to_string())]);
            assert_eq!(r.status, 303, "[{}] {}", backend.name, r.body);
            parent = comment_id(&r);
            chain.push(parent);
        }
        let page = server.get(&path);
        let html = page.html();
        let levels = |cid: i64| html.select(&sel(&format!("#comment-{cid}"))).next().map(|li| li.ancestors().filter(|a| a.value().as_element().is_some_and(|e| e.name() == "ol")).count());
        assert_eq!(levels(chain[1]), Some(2));
        assert_eq!(levels(chain[3]), Some(4));
        assert_eq!(levels(chain[4]), Some(4), "[{}] a fifth level shows at the fourth", backend.name);
        assert_eq!(levels(chain[5]), Some(4));

        // Without JavaScript "رد" opens the page with the form answering that comment.
        let reply_href = html.select(&sel(&format!("#comment-{root} .comment__reply"))).next().and_then(|a| a.value().attr("href")).expect("reply link").to_owned();
        assert!(reply_href.contains(&format!("replytocom={root}")) && reply_href.ends_with("#respond"));
        let reply_page = server.get(reply_href.split('#').next().expect("url"));
        assert_eq!(value_of(&reply_page.body, "input[name=parent_id]"), Some(root.to_string()));
        assert!(reply_page.html().select(&sel("#comment-form-title bdi")).next().map(text).is_some_and(|t| t == "سامر"));
        let missing = post(&server, &path, id, "192.0.2.1", &[("author_email", "deep@example.com"), ("body", "رد على لا شيء"), ("parent_id", "999999")]);
        assert_eq!(missing.status, 422);
        assert!(missing.body.contains("لم يعد متاحاً") && missing.body.contains("رد على لا شيء"));

        // Fifty top-level threads a page.
        let existing = html.select(&sel(".comments__list--1 > li")).count();
        for n in existing..51 {
            let r = post(&server, &path, id, "192.0.2.1", &[("author_email", "deep@example.com"), ("body", &format!("تعليق مستقل {n}"))]);
            assert_eq!(r.status, 303);
        }
        let last = post(&server, &path, id, "192.0.2.1", &[("author_email", "deep@example.com"), ("body", "الأخير")]);
        assert!(location(&last).contains("?cpage=2#comment-"), "the permalink names the comment's page: {}", location(&last));
        let one = server.get(&path);
        assert_eq!(one.html().select(&sel(".comments__list--1 > li")).count(), 50);
        assert!(one.html().select(&sel(".comments__pages a[rel=next]")).next().is_some());
        let two = server.get(&format!("{path}?cpage=2"));
        assert!(two.body.contains("الأخير"));
        assert_eq!(server.get(&format!("{path}?cpage=3")).status, 404);
        let count = one.html().select(&sel(".comments__count")).next().map(text).expect("count");
        assert!(count.contains('٥') || count.contains('5'), "{count}");
        // The count shows in lists.
        assert!(server.get("/").html().select(&sel(&format!("a.card__comments[href^='/news/{id}/']"))).next().is_some());
    }
}

#[test]
fn comments_close_per_article_and_after_a_number_of_days() {
    for backend in backends() {
        let server = site(&backend, &["--comments-close-after-days", "2"]);
        let editor = login(&server, "editor@example.com");
        let path = find_article(&server, |age| age < jiff::SignedDuration::from_hours(24));
        let id: i64 = path.trim_start_matches("/news/").split('/').next().expect("id").parse().expect("id");
        assert!(server.get(&path).body.contains("data-comment-form"));
        assert_eq!(editor.post(&format!("/newsroom/articles/{id}/comments-open"), &[("open", "0")]).status, 303);
        let closed = server.get(&path);
        assert!(!closed.body.contains("data-comment-form") && closed.body.contains("التعليقات مغلقة"), "[{}]", backend.name);
        let token = token_of(&server.get(&path).body);
        let r = post_form(&format!("{}/news/{id}/comments", server.url), &[("token", &token), ("author_name", "أ"), ("author_email", "a@example.com"), ("body", "بعد الإغلاق")], &[]);
        assert_eq!(r.status, 403);
        assert!(r.body.contains("التعليقات مغلقة") && r.body.contains("بعد الإغلاق"));
        // Authors may not reopen someone else's article; the editor may.
        let author = login(&server, "author@example.com");
        assert_eq!(author.post(&format!("/newsroom/articles/{id}/comments-open"), &[("open", "1")]).status, 403);
        editor.post(&format!("/newsroom/articles/{id}/comments-open"), &[("open", "1")]);
        assert!(server.get(&path).body.contains("data-comment-form"));

        // The demo's oldest articles are weeks old: their comments have closed by themselves.
        let old = find_article(&server, |age| age > jiff::SignedDuration::from_hours(3 * 24));
        let page = server.get(&old);
        assert!(page.body.contains("التعليقات مغلقة") && !page.body.contains("data-comment-form"), "[{}] {old}", backend.name);
    }
}

/// An article whose age passes `check`, from the demo's category pages.
fn find_article(server: &Server, check: impl Fn(jiff::SignedDuration) -> bool) -> String {
    let now = jiff::Timestamp::now();
    let home = server.get("/");
    let categories: Vec<String> = home.html().select(&sel(".catnav a")).filter_map(|a| a.value().attr("href").map(str::to_owned)).collect();
    for c in categories {
        let list = server.get(&c);
        let html = list.html();
        for card in html.select(&sel(".card")) {
            let when = card.select(&sel("time")).next().and_then(|t| t.value().attr("datetime")).and_then(|d| d.parse::<jiff::Timestamp>().ok());
            let href = card.select(&sel(".card__title a")).next().and_then(|a| a.value().attr("href"));
            if let (Some(when), Some(href)) = (when, href)
                && check(now.duration_since(when))
            {
                return href.to_owned();
            }
        }
    }
    panic!("no article of that age in the demo");
}

#[test]
fn moderators_work_the_queue_and_others_cannot() {
    for backend in backends() {
        let server = site(&backend, &["--comment-rate-limit", "0"]);
        let (id, path) = article(&server, 0);
        let (other_id, other_path) = article(&server, 1);
        let editor = login(&server, "editor@example.com");
        let a = comment_id(&post(&server, &path, id, "192.0.2.5", &[("author_email", "one@example.com"), ("body", "تعليق أول في الطابور")]));
        let b = comment_id(&post(&server, &path, id, "192.0.2.5", &[("author_email", "two@example.com"), ("body", "تعليق ثان في الطابور")]));
        let c = comment_id(&post(&server, &other_path, other_id, "192.0.2.5", &[("author_email", "one@example.com"), ("body", "على مقال آخر")]));

        let queue = editor.get("/newsroom/comments");
        assert_eq!(queue.status, 200);
        for needle in ["تعليق أول في الطابور", "one@example.com", "192.0.2.5"] {
            assert!(queue.body.contains(needle), "[{}] the queue shows {needle}", backend.name);
        }
        let by_article = editor.get(&format!("/newsroom/comments?status=pending&article={other_id}"));
        assert!(by_article.body.contains("على مقال آخر") && !by_article.body.contains("تعليق ثان في الطابور"));
        let by_email = editor.get("/newsroom/comments?status=pending&email=ONE%40example.com");
        assert!(by_email.body.contains("على مقال آخر") && by_email.body.contains("تعليق أول") && !by_email.body.contains("تعليق ثان"));

        // Bulk: two to spam; the spam tab counts them; restore brings them back to the queue.
        let r = editor.post("/newsroom/comments/moderate", &[("action", "spam"), ("ids", &a.to_string()), ("ids", &b.to_string()), ("back", "status=pending")]);
        assert_eq!(r.status, 303);
        assert!(location(&r).contains("done=2"), "{}", location(&r));
        let spam = editor.get("/newsroom/comments?status=spam");
        let spam_rows = spam.html().select(&sel("tr[data-comment-id]")).count();
        assert_eq!(spam_rows, 2);
        editor.post("/newsroom/comments/moderate", &[("action", "restore"), ("ids", &a.to_string()), ("ids", &b.to_string()), ("back", "status=spam")]);
        assert_eq!(editor.get("/newsroom/comments?status=spam").html().select(&sel("tr[data-comment-id]")).count(), 0);
        moderate(&editor, "trash", c);
        assert_eq!(moderate(&editor, "delete", c).status, 303);
        assert!(!editor.get("/newsroom/comments?status=trash").body.contains("على مقال آخر"), "deleted for good");

        // Edit, then a reply as the site.
        moderate(&editor, "approve", a);
        let edited = editor.post(&format!("/newsroom/comments/{a}"), &[("author_name", "قارئ مصحَّح"), ("author_email", "one@example.com"), ("author_url", ""), ("body", "نص بعد التحرير")]);
        assert_eq!(edited.status, 303, "{}", edited.body);
        let bad_edit = editor.post(&format!("/newsroom/comments/{a}"), &[("author_name", ""), ("author_email", "one@example.com"), ("body", "نص")]);
        assert_eq!(bad_edit.status, 422);
        let reply = editor.post(&format!("/newsroom/comments/{a}/reply"), &[("body", "شكراً على ملاحظتك، صحّحنا الخبر.")]);
        assert_eq!(reply.status, 303);
        let public = server.get(&path);
        let html = public.html();
        assert!(public.body.contains("نص بعد التحرير") && public.body.contains("قارئ مصحَّح"), "[{}]", backend.name);
        let staff = html.select(&sel(&format!("#comment-{a} .comment--staff"))).next().expect("the reply under the comment");
        assert!(text(staff).contains("ردّ الموقع") && text(staff).contains("صحّحنا الخبر"));
        // Replying to a held comment approves it.
        editor.post(&format!("/newsroom/comments/{b}/reply"), &[("body", "رد على المعلق")]);
        assert!(server.get(&path).body.contains("تعليق ثان في الطابور"));

        for email in ["author@example.com", "contrib@example.com"] {
            let s = login(&server, email);
            assert_eq!(s.get("/newsroom/comments").status, 403, "{email}");
            assert_eq!(s.post("/newsroom/comments/moderate", &[("one", &format!("spam:{a}")), ("back", "")]).status, 403);
            assert_eq!(s.post(&format!("/newsroom/comments/{a}/reply"), &[("body", "x")]).status, 403);
            assert!(s.get("/newsroom/articles").html().select(&sel("[data-nav=comments]")).next().is_none());
        }
        assert!(server.get(&path).body.contains("نص بعد التحرير"), "nothing changed");
        let forged = post_form(&format!("{}/newsroom/comments/moderate", server.url), &[("one", &format!("spam:{a}")), ("csrf_token", "x")], &[("cookie", &editor.cookie)]);
        assert_eq!(forged.status, 403, "a post without the session's token");
    }
}

#[test]
fn an_approved_comment_reaches_every_instance_within_a_second() {
    let Some(db) = PgDatabase::create() else { return };
    let backend = Backend { name: "postgres", args: vec!["--database-url".into(), db.url.clone()], _db: None };
    let first = site(&backend, &[]);
    let second = Server::start(&["--database-url", &db.url, "--time-zone", "UTC", "--comment-min-seconds", "0"], &[], None);
    let (id, path) = article(&first, 0);
    assert!(!second.get(&path).body.contains("يصل إلى الخادم الآخر"));
    let held = post(&first, &path, id, "192.0.2.9", &[("author_email", "far@example.com"), ("body", "يصل إلى الخادم الآخر")]);
    let editor = login(&first, "editor@example.com");
    let started = Instant::now();
    moderate(&editor, "approve", comment_id(&held));
    loop {
        if second.get(&path).body.contains("يصل إلى الخادم الآخر") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(3), "the other instance never showed the comment");
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("approved comment visible on the second instance after {:?}", started.elapsed());
    drop(first);
    drop(second);
    drop(db);
}

/// An SMTP server on loopback that accepts every message and keeps them.
struct Smtp {
    port: u16,
    messages: Arc<Mutex<Vec<String>>>,
}

impl Smtp {
    fn start() -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || {
                    let mut out = stream.try_clone().expect("clone");
                    let mut lines = BufReader::new(stream);
                    let _ = out.write_all(b"220 test ESMTP\r\n");
                    let mut line = String::new();
                    let mut envelope = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let verb = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if verb.starts_with("EHLO") {
                            b"250-test\r\n250 8BITMIME\r\n"
                        } else if verb.starts_with("DATA") {
                            let _ = out.write_all(b"354 go ahead\r\n");
                            let mut data = envelope.clone();
                            loop {
                                line.clear();
                                if lines.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                                    break;
                                }
                                data.push_str(&line);
                            }
                            kept.lock().expect("lock").push(data);
                            envelope.clear();
                            b"250 kept\r\n"
                        } else if verb.starts_with("QUIT") {
                            let _ = out.write_all(b"221 bye\r\n");
                            return;
                        } else {
                            if verb.starts_with("RCPT") {
                                envelope.push_str(&line);
                            }
                            b"250 ok\r\n"
                        };
                        let _ = out.write_all(reply);
                    }
                });
            }
        });
        Smtp { port, messages }
    }
}

/// A message with its base64 body decoded (lettre encodes Arabic text so).
fn decoded(message: &str) -> String {
    let Some((head, body)) = message.split_once("\r\n\r\n") else { return message.to_owned() };
    if !head.contains("Content-Transfer-Encoding: base64") {
        return message.to_owned();
    }
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in body.bytes() {
        let Some(v) = alphabet.iter().position(|a| *a == c) else { continue };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    format!("{head}\n\n{}", String::from_utf8_lossy(&bytes))
}

#[test]
fn moderators_are_mailed_about_each_held_comment_through_smtp() {
    for backend in backends() {
        let smtp = Smtp::start();
        let url = format!("smtp://127.0.0.1:{}", smtp.port);
        let server = site(&backend, &["--smtp-url", &url, "--mail-from", "ناشر <newsroom@example.com>"]);
        let (id, path) = article(&server, 0);
        let held = post(&server, &path, id, "192.0.2.20", &[("author_email", "secret-reader@example.org"), ("author_name", "ليلى"), ("body", "تعليق ينتظر المراجعة")]);
        assert!(is_held(&held));
        let started = Instant::now();
        let messages = loop {
            let m = smtp.messages.lock().expect("lock").clone();
            if m.len() >= 2 {
                break m;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "[{}] mail never arrived: {m:?}", backend.name);
            std::thread::sleep(Duration::from_millis(100));
        };
        let all = messages.iter().map(|m| decoded(m)).collect::<Vec<_>>().join("\n");
        assert!(all.contains("editor@example.com") && all.contains("admin@example.com"), "editors and administrators: {all}");
        assert!(!all.contains("author@example.com") && !all.contains("contrib@example.com"), "only moderators");
        assert!(all.contains("/newsroom/comments?status=pending"), "a link to the queue: {all}");
        assert!(all.contains("تعليق ينتظر المراجعة") && all.contains("ليلى"), "the comment itself");
        assert!(!all.contains("secret-reader@example.org") && !all.contains("192.0.2.20"), "no commenter's email or address in mail");
        // A known commenter's comment mails nobody.
        let count = messages.len();
        let editor = login(&server, "editor@example.com");
        moderate(&editor, "approve", comment_id(&held));
        post(&server, &path, id, "192.0.2.20", &[("author_email", "secret-reader@example.org"), ("body", "ظاهر فوراً")]);
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(smtp.messages.lock().expect("lock").len(), count);
    }
}

#[test]
fn a_commenter_is_erased_from_the_command_line_and_the_newsroom_without_logging_the_email() {
    for backend in backends() {
        let server = site(&backend, &["--comment-rate-limit", "0"]);
        let (id, path) = article(&server, 0);
        let editor = login(&server, "editor@example.com");
        for (email, body) in [("gone@example.com", "سيُحذف هذا"), ("anon@example.com", "سيبقى بلا اسم")] {
            let r = post(&server, &path, id, "192.0.2.30", &[("author_email", email), ("author_name", "اسم حقيقي"), ("body", body)]);
            moderate(&editor, "approve", comment_id(&r));
        }
        assert!(server.get(&path).body.contains("سيُحذف هذا"));
        let out = command()
            .args(["comments", "erase", "--email", "GONE@example.com", "--mode", "remove", "--data-dir"])
            .arg(server.data_path())
            .args(&backend.args)
            .current_dir(server.data_path())
            .env("NASHIR_LOG", "info")
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Removed 1 comment"));
        assert!(!String::from_utf8_lossy(&out.stderr).to_lowercase().contains("gone@example.com"), "the log holds no email");
        let bad = command().args(["comments", "erase", "--email", "not-an-email", "--mode", "remove", "--data-dir"]).arg(server.data_path()).args(&backend.args).output().expect("run");
        assert_eq!(bad.status.code(), Some(1));
        // The running server follows the outbox.
        let started = Instant::now();
        while server.get(&path).body.contains("سيُحذف هذا") {
            assert!(started.elapsed() < Duration::from_secs(3), "[{}] the erased comment stayed", backend.name);
            std::thread::sleep(Duration::from_millis(100));
        }

        assert_eq!(editor.get("/newsroom/comments/erase").status, 403, "administrators only");
        let admin = login(&server, "admin@example.com");
        let page = admin.get("/newsroom/comments/erase");
        assert_eq!(page.status, 200);
        let unconfirmed = admin.post("/newsroom/comments/erase", &[("email", "anon@example.com"), ("mode", "anonymize")]);
        assert_eq!(unconfirmed.status, 422);
        let done = admin.post("/newsroom/comments/erase", &[("email", "anon@example.com"), ("mode", "anonymize"), ("confirm", "1")]);
        assert_eq!(done.status, 303);
        let after = admin.get(&location(&done));
        assert!(after.body.contains("عولجت تعليقات هذا البريد: 1") && !after.body.contains("anon@example.com"), "the log shows no email");
        let public = server.get(&path);
        assert!(public.body.contains("سيبقى بلا اسم") && public.body.contains("مجهول"));
        let queue = editor.get("/newsroom/comments?status=all");
        assert!(!queue.body.contains("anon@example.com") && !queue.body.contains("gone@example.com"));
    }
}

const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع قديم</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_email><![CDATA[writer@old.example]]></wp:author_email><wp:author_display_name><![CDATA[كاتب قديم]]></wp:author_display_name></wp:author>
<item><title>خبر مستورد بتعليقات</title><link>https://old.example/?p=10</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[<p>نص الخبر المستورد.</p>]]></content:encoded><wp:post_id>10</wp:post_id><wp:post_date><![CDATA[2026-11-02 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2026-11-02 10:00:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status><wp:post_name><![CDATA[imported-news]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author><![CDATA[قارئ قديم]]></wp:comment_author><wp:comment_author_email><![CDATA[Old.Reader@Example.ORG]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[2026-11-02 11:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[تعليق مستورد موافق عليه]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>6</wp:comment_id><wp:comment_author><![CDATA[آخر]]></wp:comment_author><wp:comment_author_email><![CDATA[pending@example.org]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[2026-11-02 12:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[تعليق مستورد معلق]]></wp:comment_content><wp:comment_approved><![CDATA[0]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
<item><title>خبر مغلق التعليقات</title><link>https://old.example/?p=11</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[<p>نص.</p>]]></content:encoded><wp:post_id>11</wp:post_id><wp:post_date_gmt><![CDATA[2026-11-03 10:00:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[closed]]></wp:comment_status><wp:post_name><![CDATA[closed-news]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
</item>
</channel></rss>"#;

#[test]
fn imported_comments_count_for_the_first_comment_rule_and_closed_posts_stay_closed() {
    for backend in backends() {
        let data = tempfile::tempdir().expect("tmp");
        let file = data.path().join("export.xml");
        std::fs::write(&file, WXR).expect("write");
        let out = command().args(["import", "wordpress"]).arg(&file).arg("--data-dir").arg(data.path()).args(&backend.args).output().expect("import");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        add_staff(&backend, data.path(), "editor@example.com", "محرر", "editor");
        let mut args = vec!["--time-zone", "UTC", "--comment-min-seconds", "0"];
        args.extend(backend.args.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        let search = server.get("/?p=10");
        let path = location(&search);
        assert!(path.starts_with("/news/"), "[{}] {}", backend.name, path);
        let id: i64 = path.trim_start_matches("/news/").split('/').next().expect("id").parse().expect("id");
        let page = server.get(&path);
        assert!(page.body.contains("تعليق مستورد موافق عليه") && !page.body.contains("تعليق مستورد معلق"));
        let r = post(&server, &path, id, "192.0.2.40", &[("author_email", "old.reader@example.org"), ("body", "عدت بعد الانتقال")]);
        assert_eq!(r.status, 303);
        assert!(!location(&r).contains("unapproved"), "[{}] an imported approved email is known", backend.name);
        let r = post(&server, &path, id, "192.0.2.40", &[("author_email", "pending@example.org"), ("body", "ما زلت جديداً")]);
        assert!(is_held(&r), "an imported held comment is no history");
        let editor = login(&server, "editor@example.com");
        assert!(editor.get("/newsroom/comments?status=pending").body.contains("تعليق مستورد معلق"), "imported held comments are in the queue");
        let closed = server.get(&location(&server.get("/?p=11")));
        assert!(closed.body.contains("التعليقات مغلقة"), "[{}] a post closed on WordPress stays closed", backend.name);
    }
}

/// Every page a reader can reach from the home page, the API, feeds and error pages: no
/// commenter's email and no commenter's address, whatever was posted.
#[test]
fn no_commenter_email_or_address_is_anywhere_public() {
    for backend in backends() {
        let server = site(&backend, &["--comment-rate-limit", "0"]);
        let editor = login(&server, "editor@example.com");
        let demo_toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo/demo.toml")).expect("demo");
        let mut emails: Vec<String> = demo_toml
            .lines()
            .filter_map(|l| l.trim().strip_prefix("email = \"").and_then(|r| r.strip_suffix('"')).map(str::to_owned))
            .collect();
        assert!(emails.len() > 5, "the demo's commenters");
        let addresses = ["203.0.113.77", "2001:db8::77"];
        for n in 0..4 {
            let (id, path) = article(&server, n);
            let email = format!("private.reader{n}@example.org");
            let r = post(&server, &path, id, addresses[n % 2], &[("author_email", &email), ("author_url", "https://reader.example"), ("body", &format!("تعليق خاص {n}"))]);
            if n % 2 == 0 {
                moderate(&editor, "approve", comment_id(&r));
            }
            emails.push(email);
        }
        let mut queue = vec!["/".to_owned(), "/search?q=%D8%AA%D8%B9%D9%84%D9%8A%D9%82".to_owned(), "/no-such-page".to_owned(), "/news/999999".to_owned()];
        queue.extend(["/api/v1/search?q=%D8%AE%D8%A8%D8%B1", "/api/v1/search/suggest?q=%D8%AE%D8%A8", "/api/v1/search?q="].map(str::to_owned));
        queue.extend(["/feed", "/feed/atom", "/feed.json", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/opensearch.xml"].map(str::to_owned));
        let mut seen = std::collections::BTreeSet::new();
        let mut pages = 0;
        while let Some(path) = queue.pop() {
            if !seen.insert(path.clone()) || pages > 2500 {
                continue;
            }
            pages += 1;
            let r = server.get(&path);
            let body = r.body.to_lowercase();
            for email in &emails {
                assert!(!body.contains(&email.to_lowercase()), "[{}] {email} on {path}", backend.name);
            }
            for address in addresses {
                assert!(!body.contains(address), "[{}] {address} on {path}", backend.name);
            }
            let next = if (300..400).contains(&r.status) { location(&r) } else { String::new() };
            if next.starts_with('/') {
                queue.push(next);
            }
            // Sitemaps lead to every public page, and pages name their feeds.
            if r.header("content-type").is_some_and(|t| t.starts_with("application/xml")) {
                for loc in r.body.split("<loc>").skip(1).filter_map(|l| l.split("</loc>").next()) {
                    if let Some(path) = loc.strip_prefix(&server.url) {
                        queue.push(path.replace("&amp;", "&"));
                    }
                }
            }
            if r.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
                for l in r.html().select(&sel("link[rel=alternate][href]")) {
                    queue.push(l.value().attr("href").unwrap_or("/").to_owned());
                }
                for a in r.html().select(&sel("a[href]")) {
                    let href = a.value().attr("href").unwrap_or("");
                    let href = href.split('#').next().unwrap_or("");
                    if href.starts_with('/') && !href.starts_with("/newsroom") && !href.starts_with("//") {
                        queue.push(href.to_owned());
                    }
                }
            }
        }
        assert!(pages > 60, "[{}] the crawl reached {pages} pages", backend.name);
        // What the newsroom shows its moderators is where the emails are.
        assert!(editor.get("/newsroom/comments?status=all").body.contains("private.reader1@example.org"));
    }
}
