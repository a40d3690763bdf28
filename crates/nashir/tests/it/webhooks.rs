//! Webhooks on the running server, on SQLite and PostgreSQL: an administrator registers a
//! receiver (started here on loopback) for events; publishing, editing, unpublishing, a
//! held comment and a breaking item each reach it as a signed POST that the receiver
//! verifies; a failing receiver is retried and then succeeds; the newsroom shows the log.
//! Private targets are refused unless the setting allows them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::newsroom::{PgDatabase, Session, add_staff, create_article, login, version_of};
use crate::server::{Server, post_form, sel};

#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) method: String,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
    pub(crate) answered: u16,
    pub(crate) at: Instant,
}

/// A receiver on loopback that answers 500 to its first `fail_first` requests (webhooks
/// here, CDN purges in `proxy`).
pub(crate) fn receiver(fail_first: usize) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hooks/nashir", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<Hit>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut headers = HashMap::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
                }
            }
            let length = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answered = if n < fail_first { 500 } else { 200 };
            let method = line.split(' ').next().unwrap_or("").to_owned();
            log.lock().expect("log").push(Hit { method, headers, body: String::from_utf8_lossy(&body).into_owned(), answered, at: Instant::now() });
            let _ = write!(stream, "HTTP/1.1 {answered} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, seen)
}

/// What a receiver does with a request: the signature over `<timestamp>.<body>` must match.
fn verified(hit: &Hit, secret: &str) -> bool {
    let (Some(ts), Some(sig)) = (hit.headers.get("nashir-timestamp"), hit.headers.get("nashir-signature")) else { return false };
    let age = jiff::Timestamp::now().as_second() - ts.parse::<i64>().unwrap_or(0);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{ts}.").as_bytes());
    mac.update(hit.body.as_bytes());
    let expected = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
    (0..300).contains(&age) && expected == *sig
}

fn register(admin: &Session, url: &str, events: &[&str]) -> crate::server::Response {
    let mut fields: Vec<(&str, &str)> = vec![("url", url)];
    fields.extend(events.iter().map(|e| ("events", *e)));
    admin.post("/newsroom/webhooks", &fields)
}

fn wait_for(seen: &Arc<Mutex<Vec<Hit>>>, what: &str, ok: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let hits = seen.lock().expect("log").clone();
        if ok(&hits) {
            return hits;
        }
        assert!(Instant::now() < deadline, "{what}: {hits:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn events_of(hits: &[Hit]) -> Vec<(String, u16)> {
    hits.iter().map(|h| (h.headers.get("nashir-event").cloned().unwrap_or_default(), h.answered)).collect()
}

#[test]
fn webhooks_are_signed_retried_and_logged() {
    let mut backends: Vec<(&str, Vec<String>, Option<PgDatabase>)> = vec![("sqlite", vec![], None)];
    if let Some(db) = PgDatabase::create() {
        backends.push(("postgres", vec!["--database-url".into(), db.url.clone()], Some(db)));
    }
    for (name, db_args, _db) in &backends {
        let data = tempfile::tempdir().expect("tmp");
        add_staff(data.path(), db_args, "admin@example.com", "مديرة", "admin");
        add_staff(data.path(), db_args, "editor@example.com", "محررة", "editor");
        let mut args = vec!["--demo", "--webhooks-allow-private", "--comment-min-seconds", "0", "--time-zone", "UTC"];
        args.extend(db_args.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        let admin = login(&server, "admin@example.com");
        let editor = login(&server, "editor@example.com");
        // The first try fails: it is retried (after 2 s) and then delivered.
        let (url, seen) = receiver(1);
        let r = register(&admin, &url, &["article.published", "article.updated", "article.unpublished", "comment.held", "breaking.added"]);
        assert_eq!(r.status, 200, "[{name}] {}", r.body);
        let secret = r.html().select(&sel("#new-secret")).next().and_then(|i| i.value().attr("value")).expect("secret shown once").to_owned();
        assert!(!admin.get("/newsroom/webhooks").body.contains(&secret), "[{name}] shown once");
        assert_eq!(register(&admin, "ftp://example.com/x", &["article.published"]).status, 422);
        assert_eq!(register(&admin, &url, &[]).status, 422, "an event is needed");
        assert_eq!(editor.get("/newsroom/webhooks").status, 403, "administrators only");

        let started = Instant::now();
        let id = create_article(&editor, "خبر للخطافات", "publish", &[]);
        let hits = wait_for(&seen, "published, retried, delivered", |h| events_of(h).iter().filter(|(e, _)| e == "article.published").count() >= 2);
        assert!(started.elapsed() < Duration::from_secs(15), "[{name}] the retry came within the backoff");
        let published: Vec<&Hit> = hits.iter().filter(|h| h.headers.get("nashir-event").map(String::as_str) == Some("article.published")).collect();
        assert_eq!((published[0].answered, published[1].answered), (500, 200), "[{name}]");
        assert_eq!(published[0].headers.get("nashir-delivery"), published[1].headers.get("nashir-delivery"), "one delivery, two tries");
        for hit in &published {
            assert!(verified(hit, &secret), "[{name}] the receiver verifies the signature: {hit:?}");
            assert!(!verified(hit, "whsec_wrong"));
        }
        let body: Value = serde_json::from_str(&published[1].body).expect("json");
        assert_eq!(body["event"], "article.published");
        assert_eq!(body["data"]["article"]["id"], id);
        assert_eq!(body["data"]["article"]["title"], "خبر للخطافات");
        assert!(body["data"]["article"]["url"].as_str().is_some_and(|u| u.contains(&format!("/news/{id}/"))));

        // Edited, then unpublished.
        let v = version_of(&editor, id);
        let r = editor.post(&format!("/newsroom/articles/{id}"), &[("title", "خبر للخطافات بعد التعديل"), ("body", "<p>نص.</p>"), ("action", "save"), ("version", &v)]);
        assert_eq!(r.status, 303, "{}", r.body);
        wait_for(&seen, "updated", |h| events_of(h).contains(&("article.updated".into(), 200)));
        let v = version_of(&editor, id);
        let r = editor.post(&format!("/newsroom/articles/{id}"), &[("title", "خبر للخطافات بعد التعديل"), ("action", "unpublish"), ("version", &v)]);
        assert_eq!(r.status, 303, "{}", r.body);
        wait_for(&seen, "unpublished", |h| events_of(h).contains(&("article.unpublished".into(), 200)));

        // A breaking item, and a comment held for moderation.
        let r = editor.post("/newsroom/breaking", &[("text", "عاجل للخطافات"), ("expires_at", "2099-01-01T10:00")]);
        assert_eq!(r.status, 303, "{}", r.body);
        let hits = wait_for(&seen, "breaking", |h| events_of(h).contains(&("breaking.added".into(), 200)));
        let breaking = hits.iter().find(|h| h.headers.get("nashir-event").map(String::as_str) == Some("breaking.added")).expect("hit");
        assert!(breaking.body.contains("عاجل للخطافات") && verified(breaking, &secret));
        let list: Value = serde_json::from_str(&server.get("/api/v1/articles?limit=1").body).expect("json");
        let aid = list["articles"][0]["id"].as_i64().expect("id");
        let page = server.get(&format!("/news/{aid}/x"));
        let path = page.header("location").expect("location").replace(&server.url, "");
        let token = server.get(&path).html().select(&sel("input[name=token]")).next().and_then(|i| i.value().attr("value")).expect("token").to_owned();
        let posted = post_form(&format!("{}/news/{aid}/comments", server.url), &[("author_name", "قارئ"), ("author_email", "reader@example.com"), ("body", "تعليق للمراجعة"), ("token", &token)], &[]);
        assert_eq!(posted.status, 303, "{}", posted.body);
        let hits = wait_for(&seen, "comment held", |h| events_of(h).contains(&("comment.held".into(), 200)));
        let held = hits.iter().find(|h| h.headers.get("nashir-event").map(String::as_str) == Some("comment.held")).expect("hit");
        assert!(!held.body.contains("reader@example.com"), "[{name}] never an email");

        // The newsroom's log of the hook.
        let hooks = admin.get("/newsroom/webhooks");
        let hook_id = hooks.html().select(&sel("tr[data-webhook-id]")).next().and_then(|tr| tr.value().attr("data-webhook-id")).expect("listed").to_owned();
        let log = admin.get(&format!("/newsroom/webhooks/{hook_id}"));
        assert_eq!(log.status, 200);
        assert!(log.body.contains("article.published") && log.body.contains("data-delivery-state=\"delivered\""), "[{name}]");
        // Disabled: nothing more is sent.
        assert_eq!(admin.post(&format!("/newsroom/webhooks/{hook_id}/disable"), &[]).status, 303);
        let before = seen.lock().expect("log").len();
        create_article(&editor, "خبر بعد الإيقاف", "publish", &[]);
        std::thread::sleep(Duration::from_secs(2));
        assert_eq!(seen.lock().expect("log").len(), before, "[{name}] a disabled hook gets nothing");
    }
}

#[test]
fn private_and_loopback_targets_are_refused_by_default() {
    let data = tempfile::tempdir().expect("tmp");
    add_staff(data.path(), &[], "admin@example.com", "مديرة", "admin");
    let server = Server::start(&[], &[], Some(data));
    let admin = login(&server, "admin@example.com");
    for url in ["http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/x", "http://localhost:9/x"] {
        let r = register(&admin, url, &["article.published"]);
        assert_eq!(r.status, 422, "{url}");
        assert!(r.body.contains("شبكة داخلية"), "{url}: the reason in Arabic");
        assert!(r.body.contains(url.split("://").nth(1).unwrap_or("")), "{url}: what was typed is kept");
    }
}
