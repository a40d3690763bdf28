//! "Most read": view beacons counted in memory and flushed in batches, crawlers and
//! prefetches not counted, the block on the home and article pages, view counts in the
//! newsroom, and 20,000 beacons costing a few dozen database writes (on PostgreSQL, counted
//! by the database's own statistics).

use std::time::{Duration, Instant};

use crate::server::{Server, sel, text};

const READER: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
}

/// One beacon: (status, cache-control).
fn beacon(agent: &ureq::Agent, server: &Server, body: &str, user_agent: &str, extra: &[(&str, &str)]) -> (u16, String) {
    let mut req = agent.post(&format!("{}/views", server.url)).header("user-agent", user_agent).header("content-type", "text/plain");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let resp = req.send(body.as_bytes()).expect("beacon");
    let cache = resp.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (resp.status().as_u16(), cache)
}

/// Article ids and titles of the home page's latest list.
fn articles(server: &Server) -> Vec<(i64, String)> {
    let home = server.get("/").html();
    home.select(&sel("main a[href^=\"/news/\"]"))
        .filter_map(|a| {
            let href = a.value().attr("href")?;
            let id = href.trim_start_matches("/news/").split('/').next()?.parse().ok()?;
            Some((id, text(a)))
        })
        .fold(Vec::new(), |mut out, (id, title)| {
            if !title.is_empty() && !out.iter().any(|(i, _)| *i == id) {
                out.push((id, title));
            }
            out
        })
}

fn most_read(server: &Server, path: &str) -> Vec<String> {
    let page = server.get(path).html();
    page.select(&sel("[data-region=\"most-read\"] .most-read__list:first-of-type li a")).map(text).collect()
}

#[test]
fn beacons_make_the_most_read_block_and_crawlers_do_not_count() {
    let env = [("NASHIR_VIEWS_FLUSH_SECONDS", "1"), ("NASHIR_MOST_READ_SECONDS", "1")];
    let server = Server::start(&["--demo", "--no-page-cache"], &env, None);
    let list = articles(&server);
    assert!(list.len() >= 3, "{list:?}");
    let (a, b, c) = (&list[2], &list[1], &list[0]);
    assert!(most_read(&server, "/").is_empty(), "no block before anyone read anything");
    let agent = agent();
    for _ in 0..5 {
        assert_eq!(beacon(&agent, &server, &a.0.to_string(), READER, &[]), (204, "no-store".to_owned()));
    }
    for _ in 0..2 {
        beacon(&agent, &server, &format!("a={}", b.0), READER, &[]);
    }
    // A crawler and a prefetch are not readers; a body that is not an id is refused.
    for _ in 0..50 {
        assert_eq!(beacon(&agent, &server, &c.0.to_string(), "Mozilla/5.0 (compatible; Googlebot/2.1)", &[]).0, 204);
        beacon(&agent, &server, &c.0.to_string(), READER, &[("sec-purpose", "prefetch")]);
    }
    let (status, cache) = beacon(&agent, &server, "<script>", READER, &[]);
    assert_eq!((status, cache.as_str()), (400, "no-store"));
    // An id that is no published article is counted in memory but never written.
    beacon(&agent, &server, "999999", READER, &[]);

    let want = vec![a.1.clone(), b.1.clone()];
    let deadline = Instant::now() + Duration::from_secs(10);
    while most_read(&server, "/") != want {
        assert!(Instant::now() < deadline, "most read: {:?}, want {want:?}", most_read(&server, "/"));
        std::thread::sleep(Duration::from_millis(200));
    }
    // The article page has the block too.
    let article = crate::newsroom::location(&server.get(&format!("/news/{}", a.0)));
    assert_eq!(most_read(&server, &article), want);
    // Its script sends the beacon; a preview in the newsroom would not (noindex pages).
    let body = server.get(&article).body;
    assert!(body.contains("/static/readership") && body.contains(&format!("data-article=\"{}\"", a.0)), "the beacon script");
}

#[test]
fn the_newsroom_list_shows_each_articles_views() {
    let data = tempfile::tempdir().expect("tmp");
    assert!(crate::newsroom::add_user(data.path(), "desk@example.com", "مكتب", "editor", crate::newsroom::PASSWORD).status.success());
    let server = Server::start(&["--demo"], &[("NASHIR_VIEWS_FLUSH_SECONDS", "1")], Some(data));
    let (id, _) = articles(&server)[0].clone();
    let agent = agent();
    for _ in 0..3 {
        beacon(&agent, &server, &id.to_string(), READER, &[]);
    }
    let editor = crate::newsroom::login(&server, "desk@example.com");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = editor.get("/newsroom/articles").html();
        let views: Vec<String> = page
            .select(&sel("tbody tr"))
            .filter(|tr| tr.select(&sel(&format!("a[href=\"/newsroom/articles/{id}\"]"))).next().is_some())
            .filter_map(|tr| tr.select(&sel("td[data-views]")).next().and_then(|td| td.value().attr("data-views")).map(str::to_owned))
            .collect();
        if views == ["3"] {
            break;
        }
        assert!(Instant::now() < deadline, "views on the list: {views:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn twenty_thousand_beacons_cost_a_few_dozen_database_writes() {
    let Some(db) = crate::newsroom::PgDatabase::create() else { return };
    let server = Server::start(&["--demo", "--database-url", &db.url], &[], None);
    let list = articles(&server);
    let ids = [list[0].0, list[1].0];
    let url = server.url.clone();
    let started = Instant::now();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let agent = agent();
                for i in 0..5_000 {
                    let id = ids[(t + i) % 2];
                    let resp = agent.post(&format!("{url}/views")).header("user-agent", READER).send(id.to_string().as_bytes()).expect("beacon");
                    assert_eq!(resp.status().as_u16(), 204);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let seconds = started.elapsed().as_secs_f64();
    // The next flush (every 5 s) writes the rest; the database then holds every view.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("connect");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (total, rows): (Option<i64>, i64) =
                sqlx::query_as("SELECT CAST(SUM(views) AS BIGINT), COUNT(*) FROM article_views").fetch_one(&mut conn).await.expect("sum");
            // The statistics lag the writes: wait until they show at least the rows' inserts.
            let (inserts, updates): (i64, i64) =
                sqlx::query_as("SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = 'article_views'")
                    .fetch_one(&mut conn)
                    .await
                    .expect("stats");
            if total == Some(20_000) && inserts >= rows {
                let writes = inserts + updates;
                eprintln!("20000 beacons in {seconds:.1} s: {rows} rows, {writes} row writes");
                assert!(writes <= 40, "{writes} writes for 20,000 views");
                break;
            }
            assert!(Instant::now() < deadline, "views {total:?}, rows {rows}, inserts {inserts}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}
