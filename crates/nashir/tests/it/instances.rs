//! Several instances on one PostgreSQL database, each with its own data folder: scheduled
//! articles publish once and show on every instance within a second; edits, unpublishing,
//! comment approval, breaking news and category changes made through one reach the others'
//! pages and search within a second; sessions and lockouts are shared; an instance that was
//! stopped catches up from the outbox when it returns, without rebuilding its index; each
//! instance records where it is in the outbox, which is pruned from there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::newsroom::{PASSWORD, PgDatabase, Session, add_staff, create_article, login, try_login, version_of};
use crate::server::{Response, Server, encode, post_form, sel, text};

fn now_micros() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64)
}

/// How long until `path` on `server` satisfies `check` (failing past `limit`).
fn seen_within(server: &Server, path: &str, limit: Duration, check: impl Fn(&Response) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let r = server.get(path);
        if check(&r) {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{} {path}: not seen within {limit:?} (status {})", server.url, r.status);
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The number of results the search page reports (Arabic-Indic digits read too).
fn search_total(server: &Server, query: &str) -> i64 {
    let r = server.get(&format!("/search?q={}", encode(query)));
    let html = r.html();
    let count = html.select(&sel(".search-count")).next().map(text).unwrap_or_default();
    let digits: String = count
        .chars()
        .take_while(|c| !c.is_whitespace())
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
            _ => None,
        })
        .collect();
    digits.parse().unwrap_or(0)
}

fn store_of(url: &str) -> (tokio::runtime::Runtime, nashir_store::Store) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let store = rt.block_on(nashir_store::Store::connect(url)).expect("store");
    (rt, store)
}

#[test]
fn three_instances_on_one_postgresql_database_act_as_one_site() {
    let Some(db) = PgDatabase::create() else { return };
    let setup = tempfile::tempdir().expect("tmp");
    let db_args = vec!["--database-url".to_owned(), db.url.clone()];
    add_staff(setup.path(), &db_args, "editor@example.com", "محرر", "editor");
    add_staff(setup.path(), &db_args, "author@example.com", "كاتبة", "author");
    let args = [
        "--database-url",
        db.url.as_str(),
        "--time-zone",
        "UTC",
        "--search-rate-limit",
        "0",
        "--api-rate-limit",
        "0",
        "--comment-min-seconds",
        "0",
        "--trusted-proxy",
        "127.0.0.1",
    ];
    let mut servers: Vec<Server> = (0..3).map(|_| Server::start(&args, &[], None)).collect();
    let editor = login(&servers[0], "editor@example.com");

    // 1. Fifty articles scheduled for the same second.
    let due_micros = (now_micros() / 1_000_000 + 15) * 1_000_000;
    let due = jiff::Timestamp::from_microsecond(due_micros).expect("time").strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let mut ids = Vec::new();
    for n in 0..50 {
        ids.push(create_article(&editor, &format!("نشرة مجدولة متزامنة {n}"), "schedule", &[("publish_at", &due)]));
    }
    assert!(now_micros() < due_micros - 1_000_000, "the articles were made before they came due");
    // Every instance is watched through its content API until all fifty are there.
    let first_seen: Arc<Mutex<Vec<HashMap<i64, i64>>>> = Arc::new(Mutex::new(vec![HashMap::new(); 3]));
    let watchers: Vec<_> = servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (url, seen, ids) = (s.url.clone(), first_seen.clone(), ids.clone());
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(45);
                while Instant::now() < deadline {
                    let r = crate::server::request("GET", &format!("{url}/api/v1/articles?limit=100&fields=id"), &[]);
                    let at = now_micros();
                    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
                    let mut seen = seen.lock().expect("seen");
                    for a in body["articles"].as_array().into_iter().flatten() {
                        if let Some(id) = a["id"].as_i64() {
                            seen[i].entry(id).or_insert(at);
                        }
                    }
                    if ids.iter().all(|id| seen[i].contains_key(id)) {
                        return;
                    }
                    drop(seen);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    for w in watchers {
        w.join().expect("watcher");
    }
    let (rt, store) = store_of(&db.url);
    let events = rt.block_on(store.outbox_after(0, 100_000)).expect("outbox");
    let mut published_at: HashMap<i64, i64> = HashMap::new();
    for e in &events {
        if let nashir_store::Event::ArticlePublished { id, scheduled } = e.event {
            assert!(scheduled, "published by the scheduler");
            assert!(published_at.insert(id, e.created_at).is_none(), "article {id} published twice");
        }
    }
    let seen = first_seen.lock().expect("seen").clone();
    let mut worst = 0i64;
    let mut total = 0i64;
    for id in &ids {
        let published = *published_at.get(id).unwrap_or_else(|| panic!("article {id} was never published"));
        assert!(published >= due_micros, "not before its time");
        for (i, s) in seen.iter().enumerate() {
            let at = *s.get(id).unwrap_or_else(|| panic!("article {id} never appeared on instance {i}"));
            let lag = (at - published).max(0);
            worst = worst.max(lag);
            total += lag;
        }
    }
    eprintln!("50 scheduled articles on 3 instances: slowest {} ms, mean {} ms after publication", worst / 1000, total / 150 / 1000);
    assert!(worst <= 1_000_000, "every instance shows every article within a second (slowest {} ms)", worst / 1000);
    // … and finds them, within a second of the last publication too.
    let last = *published_at.values().max().expect("published");
    for s in &servers {
        loop {
            let total = search_total(s, "نشرة مجدولة متزامنة");
            let lag = now_micros() - last;
            if total == 50 {
                eprintln!("{}: search finds the fifty {} ms after the last publication", s.url, lag / 1000);
                break;
            }
            assert!(lag <= 1_000_000, "{}: search finds {total} of the fifty a second after the last publication", s.url);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    // 2. Changes through one instance reach the others within a second.
    let second = Session { base: servers[1].url.clone(), cookie: editor.cookie.clone(), csrf: editor.csrf.clone() };
    assert_eq!(second.get("/newsroom/articles").status, 200, "a session works on any instance");
    let edited = ids[0];
    let r = second.post(&format!("/newsroom/articles/{edited}"), &[("title", "عنوان معدل عبر الخادم الثاني"), ("body", "<p>فقرة أولى من الخبر.</p>"), ("action", "publish"), ("version", &version_of(&second, edited))]);
    assert_eq!(r.status, 303, "edit: {}", r.body);
    for s in [&servers[0], &servers[2]] {
        seen_within(s, &format!("/news/{edited}"), Duration::from_secs(1), |r| r.status == 301 && r.header("location").is_some_and(|l| l.contains(&edited.to_string())));
        let page = s.get(&format!("/news/{edited}"));
        let location = page.header("location").expect("canonical").to_owned();
        seen_within(s, &location, Duration::from_secs(1), |r| r.body.contains("عنوان معدل عبر الخادم الثاني"));
        seen_within(s, &format!("/search?q={}", encode("معدل")), Duration::from_secs(1), |r| r.body.contains("عنوان معدل عبر الخادم الثاني"));
    }
    let third = Session { base: servers[2].url.clone(), cookie: editor.cookie.clone(), csrf: editor.csrf.clone() };
    let gone = ids[1];
    let r = third.post(&format!("/newsroom/articles/{gone}"), &[("title", "نشرة مجدولة متزامنة 1"), ("action", "unpublish"), ("version", &version_of(&third, gone))]);
    assert_eq!(r.status, 303, "unpublish: {}", r.body);
    for s in [&servers[0], &servers[1]] {
        seen_within(s, &format!("/news/{gone}"), Duration::from_secs(1), |r| r.status == 404 || r.status == 410);
        // 48: the first was retitled above.
        seen_within(s, &format!("/search?q={}", encode("نشرة")), Duration::from_secs(1), |_| search_total(s, "نشرة مجدولة متزامنة") == 48);
    }
    let r = editor.post("/newsroom/breaking", &[("text", "عاجل من الخادم الأول إلى الجميع"), ("expires_at", "2099-01-01T00:00"), ("position", "0")]);
    assert_eq!(r.status, 303, "breaking: {}", r.body);
    for s in &servers[1..] {
        seen_within(s, "/", Duration::from_secs(1), |r| r.body.contains("عاجل من الخادم الأول إلى الجميع"));
    }
    assert_eq!(second.post("/newsroom/categories", &[("name", "شؤون المدن")]).status, 303);
    for s in [&servers[0], &servers[2]] {
        seen_within(s, "/category/شؤون-المدن/", Duration::from_secs(1), |r| r.status == 200);
    }
    // A reader's comment through the first instance, approved through the second, shows on the third.
    let commented = ids[2];
    let path = servers[0].get(&format!("/news/{commented}")).header("location").expect("canonical").to_owned();
    let page = servers[0].get(&path);
    let token = page.html().select(&sel("input[name=token]")).next().and_then(|i| i.value().attr("value").map(str::to_owned)).expect("form token");
    let held = post_form(
        &format!("{}/news/{commented}/comments", servers[0].url),
        &[("author_name", "قارئة"), ("author_email", "reader@example.com"), ("body", "تعليق يعبر الخوادم الثلاثة"), ("token", &token)],
        &[("x-forwarded-for", "203.0.113.77")],
    );
    assert_eq!(held.status, 303);
    let comment_id = held.header("location").and_then(|l| l.rsplit("#comment-").next()).and_then(|n| n.parse::<i64>().ok()).expect("comment id");
    assert!(!servers[2].get(&path).body.contains("تعليق يعبر الخوادم الثلاثة"), "held: not shown");
    assert_eq!(second.post("/newsroom/comments/moderate", &[("one", &format!("approve:{comment_id}")), ("back", "status=all")]).status, 303);
    seen_within(&servers[2], &path, Duration::from_secs(1), |r| r.body.contains("تعليق يعبر الخوادم الثلاثة"));

    // 3. Lockouts are shared: five failures on one instance lock the account on another.
    for _ in 0..5 {
        assert_eq!(try_login(&servers[0], "author@example.com", "wrong-password", &[]).status, 401);
    }
    assert_eq!(try_login(&servers[1], "author@example.com", PASSWORD, &[]).status, 429, "locked on every instance");

    // 4. An instance that was stopped catches up from the outbox, keeping its index.
    let stopped = servers.pop().expect("third").stop();
    let mut missed = Vec::new();
    for n in 0..5 {
        missed.push(create_article(&editor, &format!("خبر فاته الخادم الثالث {n}"), "publish", &[]));
    }
    let log = tempfile::NamedTempFile::new().expect("log");
    let back = Server::start_logging_to(&args, &[("NASHIR_LOG", "info")], Some(stopped), log.path());
    let waited = seen_within(&back, &format!("/search?q={}", encode("فاته")), Duration::from_secs(5), |_| search_total(&back, "فاته") == 5);
    eprintln!("the returning instance found the 5 articles it missed after {} ms", waited.as_millis());
    let logged = std::fs::read_to_string(log.path()).expect("log");
    assert!(logged.contains("catching up"), "it resumed the outbox: {logged}");
    assert!(!logged.contains("search index built from the database"), "without rebuilding its index: {logged}");
    servers.push(back);

    // 5. Each instance records where it is; the outbox is pruned up to the slowest.
    std::thread::sleep(Duration::from_millis(500));
    let deadline = Instant::now() + Duration::from_secs(15);
    let readers = loop {
        let readers = rt.block_on(store.outbox_readers(0)).expect("readers");
        let head = rt.block_on(store.outbox_head()).expect("head");
        if readers.len() == 3 && readers.iter().all(|(_, p)| *p == head) {
            break readers;
        }
        assert!(Instant::now() < deadline, "three instances at the head: {readers:?} (head {head})");
        std::thread::sleep(Duration::from_millis(250));
    };
    let head = readers[0].1;
    let pruned = rt.block_on(store.prune_outbox(now_micros() - 7 * 86_400_000_000)).expect("prune");
    assert!(pruned > 50, "events every instance read are removed ({pruned})");
    assert_eq!(rt.block_on(store.outbox_oldest()).expect("oldest"), Some(head), "the newest is kept");
    rt.block_on(store.close());
    // The site goes on: a publication after pruning reaches every instance.
    let after = create_article(&editor, "خبر بعد التقليم", "publish", &[]);
    for s in &servers {
        seen_within(s, &format!("/news/{after}"), Duration::from_secs(1), |r| r.status == 301);
    }
}
