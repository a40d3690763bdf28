//! Production on loopback: nginx from Debian as the caching proxy in front of two instances
//! on one PostgreSQL database, with the repository's `deploy/nginx/nashir.conf` (only its
//! addresses and folders replaced). A spike of 10,000 requests to one article reaches the
//! instances at most once per `s-maxage` window, without an error; a publication through
//! one instance shows through the proxy within the window; restarting the instances one at
//! a time (SIGTERM, start again) under load fails no request. CDN purges by surrogate key
//! reach a purge endpoint in each style, retried after a failure.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::newsroom::{PgDatabase, Session, add_staff, create_article, login};
use crate::server::{Server, request};

/// The window shared caches keep pages for in these tests (`--shared-max-age`).
const WINDOW_SECS: u64 = 5;

/// nginx running the repository's configuration, stopped when dropped.
struct Nginx {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

fn repository_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

impl Nginx {
    fn start(upstreams: &[u16]) -> Nginx {
        let bin = std::env::var("NASHIR_NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into());
        assert!(Path::new(&bin).exists(), "nginx is needed at {bin}: scripts/test installs Debian's nginx");
        let dir = tempfile::tempdir().expect("tmp");
        let port = Server::free_port();
        let site = std::fs::read_to_string(repository_file("deploy/nginx/nashir.conf")).expect("deploy/nginx/nashir.conf");
        let servers: String = upstreams.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n")).collect();
        let mut replaced = String::new();
        let mut upstreams_written = false;
        for line in site.lines() {
            if line.trim_start().starts_with("server 127.0.0.1:") {
                if !upstreams_written {
                    replaced.push_str(&servers);
                    upstreams_written = true;
                }
                continue;
            }
            replaced.push_str(line);
            replaced.push('\n');
        }
        assert!(upstreams_written, "the configuration names its instances");
        let d = dir.path().display();
        let replaced = replaced
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace("/var/cache/nginx/nashir", &format!("{d}/cache"))
            .replace("/var/log/nginx/nashir.access.log", &format!("{d}/access.log"));
        std::fs::write(dir.path().join("nashir.conf"), replaced).expect("site conf");
        let root = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
        let main = format!(
            "{user}daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 1024; }}\n\
             http {{\n  client_body_temp_path {d}/client;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/nashir.conf;\n}}\n",
            user = if root { "user root;\n" } else { "" },
        );
        std::fs::write(dir.path().join("nginx.conf"), main).expect("nginx.conf");
        let child = Command::new(&bin)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not listen: {}", std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default());
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx { child, url, dir }
    }

    fn log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // A fast stop of the master stops its workers too.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two instances on one PostgreSQL database on known ports, with an editor.
struct Cluster {
    db: PgDatabase,
    args: Vec<String>,
    ports: Vec<u16>,
    servers: Vec<Option<Server>>,
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let db = PgDatabase::create()?;
        let setup = tempfile::tempdir().expect("tmp");
        add_staff(setup.path(), &["--database-url".to_owned(), db.url.clone()], "editor@example.com", "محرر", "editor");
        let args: Vec<String> = ["--database-url", &db.url, "--time-zone", "UTC", "--trusted-proxy", "127.0.0.1", "--shared-max-age", &WINDOW_SECS.to_string(), "--search-rate-limit", "0", "--api-rate-limit", "0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ports = vec![Server::free_port(), Server::free_port()];
        let mut cluster = Cluster { db, args, ports: ports.clone(), servers: Vec::new() };
        for port in ports {
            let server = cluster.start_instance(port, None);
            cluster.servers.push(Some(server));
        }
        Some(cluster)
    }

    fn start_instance(&self, port: u16, data: Option<tempfile::TempDir>) -> Server {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        Server::start_on(&format!("127.0.0.1:{port}"), &args, &[], data)
    }

    fn server(&self, i: usize) -> &Server {
        self.servers[i].as_ref().expect("running")
    }
}

#[test]
fn nginx_in_front_of_two_instances_absorbs_a_spike_and_shows_a_publication_within_the_window() {
    let Some(cluster) = Cluster::start() else { return };
    let nginx = Nginx::start(&cluster.ports);
    let editor = login(cluster.server(0), "editor@example.com");
    let id = create_article(&editor, "خبر يقرؤه الجميع في لحظة واحدة", "publish", &[]);
    let moved = request("GET", &format!("{}/news/{id}", nginx.url), &[]);
    assert_eq!(moved.status, 301);
    let path = moved.header("location").expect("canonical").to_owned();
    // The first reader (a miss: the one request the instances see), asking for what the
    // spike's readers ask for (the cache keeps one copy per Accept-Encoding).
    let first = request("GET", &format!("{}{path}", nginx.url), &[("accept-encoding", "br, gzip")]);
    assert_eq!(first.status, 200);
    assert!(first.header("surrogate-key").is_some_and(|k| k.split(' ').any(|k| k == format!("article:{id}")) && k.split(' ').any(|k| k == "site")));
    assert!(first.header("cache-control").is_some_and(|c| c.contains(&format!("s-maxage={WINDOW_SECS}"))), "{:?}", first.header("cache-control"));

    // The spike: 10,000 requests from 8 clients, bounded in time.
    let total = 10_000u64;
    let sent = Arc::new(AtomicU64::new(0));
    let statuses: Arc<Mutex<HashMap<u16, u64>>> = Arc::default();
    let started = Instant::now();
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (url, sent, statuses) = (format!("{}{path}", nginx.url), sent.clone(), statuses.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10))).build().into();
                let mut mine: HashMap<u16, u64> = HashMap::new();
                while sent.fetch_add(1, Ordering::SeqCst) < total && started.elapsed() < Duration::from_secs(120) {
                    let status = match agent.get(&url).header("accept-encoding", "br, gzip").call() {
                        Ok(mut r) => {
                            let _ = r.body_mut().read_to_vec();
                            r.status().as_u16()
                        }
                        Err(_) => 0,
                    };
                    *mine.entry(status).or_default() += 1;
                }
                let mut all = statuses.lock().expect("statuses");
                for (s, n) in mine {
                    *all.entry(s).or_default() += n;
                }
            })
        })
        .collect();
    for c in clients {
        c.join().expect("client");
    }
    let elapsed = started.elapsed();
    let statuses = statuses.lock().expect("statuses").clone();
    assert_eq!(statuses.get(&200).copied().unwrap_or(0), total, "every request answered 200: {statuses:?}");
    let article = format!("/news/{id}/");
    let to_origin = nginx.log().iter().filter(|l| l.contains(&article) && !l.contains("upstream=- ")).count() as u64;
    // The first request above was the miss; each window after it may refresh the page once.
    let windows = 1 + elapsed.as_secs() / WINDOW_SECS;
    eprintln!(
        "spike: {total} requests in {:.2} s ({:.0}/s) through nginx; the instances saw {to_origin} of them (at most {windows} allowed)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    assert!(to_origin <= windows, "the origin saw {to_origin} requests for the article in {:.1} s", elapsed.as_secs_f64());

    // A publication through the other instance shows through the proxy within the window.
    let home = request("GET", &format!("{}/", nginx.url), &[]);
    assert_eq!(home.status, 200);
    let second = Session { base: cluster.server(1).url.clone(), cookie: editor.cookie.clone(), csrf: editor.csrf.clone() };
    let published = Instant::now();
    create_article(&second, "خبر جديد يظهر خلف الوسيط", "publish", &[]);
    loop {
        if request("GET", &format!("{}/", nginx.url), &[]).body.contains("خبر جديد يظهر خلف الوسيط") {
            break;
        }
        // The window, and the time to ask for the page again and render it.
        assert!(published.elapsed() < Duration::from_secs(WINDOW_SECS + 1), "not shown through the proxy within the window");
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("a publication showed through the proxy after {} ms (window {WINDOW_SECS} s)", published.elapsed().as_millis());
    drop(nginx);
    drop(cluster.db);
}

#[test]
fn restarting_the_instances_one_at_a_time_behind_nginx_fails_no_request() {
    let Some(mut cluster) = Cluster::start() else { return };
    let nginx = Nginx::start(&cluster.ports);
    let editor = login(cluster.server(0), "editor@example.com");
    let id = create_article(&editor, "خبر أثناء إعادة التشغيل", "publish", &[]);
    let path = request("GET", &format!("{}/news/{id}", nginx.url), &[]).header("location").expect("canonical").to_owned();

    // Load: newsroom pages (never cached), searches (each a new query), the article and the API.
    let running = Arc::new(AtomicBool::new(true));
    let done = Arc::new(AtomicU64::new(0));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let load: Vec<_> = (0..4)
        .map(|t| {
            let (base, cookie, path) = (nginx.url.clone(), editor.cookie.clone(), path.clone());
            let (running, done, failures) = (running.clone(), done.clone(), failures.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).timeout_global(Some(Duration::from_secs(20))).build().into();
                let mut n = 0u64;
                while running.load(Ordering::SeqCst) {
                    n += 1;
                    let (url, with_cookie) = match n % 4 {
                        0 => (format!("{base}/newsroom/articles"), true),
                        1 => (format!("{base}/search?q=%D8%AE%D8%A8%D8%B1{t}x{n}"), false),
                        2 => (format!("{base}{path}"), false),
                        _ => (format!("{base}/api/v1/articles?limit=3"), false),
                    };
                    let mut r = agent.get(&url);
                    if with_cookie {
                        r = r.header("cookie", &cookie);
                    }
                    match r.call() {
                        Ok(mut resp) => {
                            let _ = resp.body_mut().read_to_vec();
                            let status = resp.status().as_u16();
                            if status >= 500 || (with_cookie && status != 200) {
                                failures.lock().expect("failures").push(format!("{url}: {status}"));
                            }
                        }
                        Err(e) => failures.lock().expect("failures").push(format!("{url}: {e}")),
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    for i in 0..cluster.servers.len() {
        let before = done.load(Ordering::SeqCst);
        let server = cluster.servers[i].take().expect("running");
        let stopping = Instant::now();
        let (status, data) = server.terminate();
        assert!(status.success(), "instance {i} exits 0 on SIGTERM: {status:?}");
        eprintln!("instance {i} stopped in {} ms", stopping.elapsed().as_millis());
        let again = cluster.start_instance(cluster.ports[i], Some(data));
        let deadline = Instant::now() + Duration::from_secs(20);
        while again.get("/readyz").status != 200 {
            assert!(Instant::now() < deadline, "instance {i} ready again");
            std::thread::sleep(Duration::from_millis(100));
        }
        cluster.servers[i] = Some(again);
        std::thread::sleep(Duration::from_secs(2));
        assert!(done.load(Ordering::SeqCst) > before, "requests went on meanwhile");
    }
    std::thread::sleep(Duration::from_secs(1));
    running.store(false, Ordering::SeqCst);
    for l in load {
        l.join().expect("load");
    }
    let failures = failures.lock().expect("failures").clone();
    let total = done.load(Ordering::SeqCst);
    eprintln!("rolling restart of 2 instances under load: {total} requests, {} failed", failures.len());
    assert!(total > 200, "the load ran ({total} requests)");
    assert!(failures.is_empty(), "{} of {total} requests failed: {:?}", failures.len(), &failures[..failures.len().min(10)]);
    drop(nginx);
}

#[test]
fn every_change_purges_the_cdn_by_surrogate_key_in_each_style_and_failures_are_retried() {
    for style in ["fastly", "cloudflare", "generic"] {
        let (url, seen) = crate::webhooks::receiver(1);
        let data = tempfile::tempdir().expect("tmp");
        add_staff(data.path(), &[], "editor@example.com", "محرر", "editor");
        let mut args = vec!["--cdn-purge-url", url.as_str(), "--cdn-purge-style", style];
        if style != "generic" {
            args.extend(["--cdn-purge-token", "secret-token"]);
        }
        let server = Server::start(&args, &[], Some(data));
        let editor = login(&server, "editor@example.com");
        let published = Instant::now();
        let id = create_article(&editor, "خبر يطهّر ذاكرة الشبكة", "publish", &[]);
        let deadline = Instant::now() + Duration::from_secs(20);
        let hits = loop {
            let hits = seen.lock().expect("seen").clone();
            if hits.len() >= 2 {
                break hits;
            }
            assert!(Instant::now() < deadline, "[{style}] the purge was not retried: {hits:?}");
            std::thread::sleep(Duration::from_millis(100));
        };
        let crate::webhooks::Hit { method, headers, body, at, .. } = &hits[1];
        assert_eq!((hits[0].answered, hits[1].answered), (500, 200));
        assert_eq!(hits[0].body, *body, "[{style}] the same purge, tried again");
        assert!(hits[0].at.duration_since(published) >= Duration::from_millis(900), "[{style}] tried a second after the change");
        assert!(at.duration_since(hits[0].at) >= Duration::from_millis(1500), "[{style}] retried after a pause");
        let key = format!("article:{id}");
        match style {
            "fastly" => {
                assert_eq!(method, "POST");
                assert_eq!(headers.get("fastly-key").map(String::as_str), Some("secret-token"));
                let keys = headers.get("surrogate-key").expect("keys");
                assert!(keys.split(' ').any(|k| k == key) && keys.split(' ').any(|k| k == "lists"), "{keys}");
            }
            "cloudflare" => {
                assert_eq!(method, "POST");
                assert_eq!(headers.get("authorization").map(String::as_str), Some("Bearer secret-token"));
                let json: serde_json::Value = serde_json::from_str(body).expect("json");
                assert!(json["tags"].as_array().is_some_and(|t| t.iter().any(|k| k == key.as_str())), "{body}");
            }
            _ => {
                assert_eq!(method, "PURGE");
                assert!(headers.get("surrogate-key").is_some_and(|k| k.split(' ').any(|k| k == key)));
                assert!(!headers.contains_key("authorization"));
            }
        }
        // The page itself carries the keys purged.
        let page = server.get(&format!("/news/{id}"));
        let page = server.get(page.header("location").expect("canonical"));
        assert!(page.header("surrogate-key").is_some_and(|k| k.split(' ').any(|k| k == key)));
        // A breaking item changes every page: `site` is purged.
        assert_eq!(editor.post("/newsroom/breaking", &[("text", "عاجل يغير كل الصفحات"), ("expires_at", "2099-01-01T00:00"), ("position", "0")]).status, 303);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let hits = seen.lock().expect("seen").clone();
            if hits.iter().any(|h| h.headers.get("surrogate-key").is_some_and(|k| k == "site") || h.body.contains("\"site\"")) {
                break;
            }
            assert!(Instant::now() < deadline, "[{style}] a breaking item purges `site`: {hits:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // A style that needs a token refuses to start without one, saying so.
    let empty = tempfile::tempdir().expect("tmp");
    let out = crate::server::command()
        .args(["serve", "--listen", "127.0.0.1:0", "--cdn-purge-url", "https://api.fastly.com/service/x/purge", "--cdn-purge-style", "fastly"])
        .current_dir(empty.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("token"), "{}", String::from_utf8_lossy(&out.stderr));
}
