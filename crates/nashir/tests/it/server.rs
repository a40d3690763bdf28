//! A running `nashir serve` for one test, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub url: String,
    /// Lines printed before the "serving" line (the setup link, for one).
    pub preamble: Vec<String>,
    data: Option<tempfile::TempDir>,
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_nashir"))
}

/// A command with a clean environment: no NASHIR_* from the caller's shell leaks in.
pub fn command() -> Command {
    let mut cmd = Command::new(binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("NASHIR_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("NASHIR_LOG", "warn");
    // The demo's photos are made by workers right after start-up, each refreshing the page
    // cache; tests of caching and timing run without them (`demo_photos_are_drawn…` checks them).
    cmd.env("NASHIR_DEMO_PHOTOS", "0");
    cmd
}

impl Server {
    /// `nashir serve --demo` with the expiring breaking item living `expiry_secs`.
    pub fn demo(expiry_secs: u64) -> Server {
        Server::start(&["--demo"], &[("NASHIR_DEMO_EXPIRY_SECONDS", &expiry_secs.to_string())], None)
    }

    pub fn start(args: &[&str], env: &[(&str, &str)], data: Option<tempfile::TempDir>) -> Server {
        Server::spawn("127.0.0.1:0", args, env, data, None)
    }

    /// Like `start`, with the server's log (stderr) written to `log`.
    pub fn start_logging_to(args: &[&str], env: &[(&str, &str)], data: Option<tempfile::TempDir>, log: &std::path::Path) -> Server {
        Server::spawn("127.0.0.1:0", args, env, data, Some(log))
    }

    /// Like `start`, listening on `listen` (a proxy in front knows the address).
    pub fn start_on(listen: &str, args: &[&str], env: &[(&str, &str)], data: Option<tempfile::TempDir>) -> Server {
        Server::spawn(listen, args, env, data, None)
    }

    fn spawn(listen: &str, args: &[&str], env: &[(&str, &str)], data: Option<tempfile::TempDir>, log: Option<&std::path::Path>) -> Server {
        let data = data.unwrap_or_else(|| tempfile::tempdir().expect("temp dir"));
        let mut cmd = command();
        cmd.arg("serve").arg("--listen").arg(listen).arg("--data-dir").arg(data.path());
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        // Run where no nashir.toml lies around.
        cmd.current_dir(data.path());
        cmd.stdout(Stdio::piped());
        match log {
            Some(path) => cmd.stderr(std::fs::File::create(path).expect("log file")),
            None => cmd.stderr(Stdio::inherit()),
        };
        let mut child = cmd.spawn().expect("start nashir");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut preamble = Vec::new();
        let url = loop {
            assert!(Instant::now() < deadline, "nashir did not report its address in time");
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Nashir is serving ") {
                        break rest.trim_end_matches('/').to_owned();
                    }
                    preamble.push(line);
                }
                _ => {
                    let status = child.wait().expect("wait");
                    panic!("nashir exited before serving: {status}");
                }
            }
        };
        // Keep reading stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, url, preamble, data: Some(data) }
    }

    pub fn data_path(&self) -> &std::path::Path {
        self.data.as_ref().expect("data folder").path()
    }

    /// Stops the server as an operator does (SIGTERM: it drains and exits by itself) and
    /// hands back its exit status and data folder.
    pub fn terminate(mut self) -> (std::process::ExitStatus, tempfile::TempDir) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(sent.success(), "SIGTERM sent");
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "nashir did not stop within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        (status, self.data.take().expect("data folder"))
    }

    /// A free port on loopback now (for a server that must come back on the same address).
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port()
    }

    /// Stops the server and hands back its data folder, to start another on it.
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.data.take().expect("data folder")
    }

    pub fn get(&self, path: &str) -> Response {
        request("GET", &format!("{}{}", self.url, path), &[])
    }

    pub fn head(&self, path: &str) -> Response {
        request("HEAD", &format!("{}{}", self.url, path), &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        request("GET", &format!("{}{}", self.url, path), headers)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // (stop() has already waited when it took the data folder.)
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }
}

/// A POST of form fields (urlencoded), with extra headers.
pub fn post_form(url: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    send("POST", url, headers, Some(body))
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A POST of raw bytes as a form body (to send what a browser never would: invalid UTF-8).
pub fn post_raw(url: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Response {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let mut builder = ureq::http::Request::builder().method("POST").uri(url).header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let mut resp = agent.run(builder.body(body).expect("request")).expect("HTTP request");
    let status = resp.status().as_u16();
    let headers = resp.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Response { status, headers, body }
}

/// Any method with a body of the given type (JSON, an image…), with extra headers.
pub fn send_body(method: &str, url: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Response {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let mut builder = ureq::http::Request::builder().method(method).uri(url).header("content-type", content_type);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let mut resp = agent.run(builder.body(body).expect("request")).expect("HTTP request");
    let status = resp.status().as_u16();
    let headers = resp.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Response { status, headers, body }
}

pub fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> Response {
    send(method, url, headers, None)
}

fn send(method: &str, url: &str, headers: &[(&str, &str)], form: Option<String>) -> Response {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let mut resp = match form {
        Some(body) => {
            let req = builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .expect("request");
            agent.run(req).expect("HTTP request")
        }
        None => agent.run(builder.body(()).expect("request")).expect("HTTP request"),
    };
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = if method == "HEAD" {
        String::new()
    } else {
        resp.body_mut().read_to_string().unwrap_or_default()
    };
    Response { status, headers, body }
}

/// CSS selector helper for tests.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).expect("selector")
}

/// Text content of an element, whitespace-collapsed.
pub fn text(el: scraper::ElementRef<'_>) -> String {
    el.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters that change the order of the text around them when left unclosed.
const BIDI_CONTROLS: &[char] = &['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

/// Text holding bidi controls that is not isolated: a text node whose element has no `dir`
/// and is not `<bdi>`, or a `<title>` / `content` attribute not wrapped in FSI … PDI.
pub fn unisolated_bidi(body: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    let mut found = Vec::new();
    let wrapped = |t: &str| {
        let inner = t.replace(['\u{2068}', '\u{2069}'], "");
        !inner.contains(BIDI_CONTROLS) || (t.contains('\u{2068}') && t.find('\u{2068}') < t.find(|c: char| BIDI_CONTROLS.contains(&c) && c != '\u{2068}'))
    };
    for node in html.tree.nodes() {
        if let scraper::Node::Text(text) = node.value() {
            if !text.contains(BIDI_CONTROLS) {
                continue;
            }
            let Some(parent) = node.parent().and_then(scraper::ElementRef::wrap) else { continue };
            let name = parent.value().name();
            let isolated = match name {
                "title" => wrapped(text),
                "script" | "style" => true,
                _ => name == "bdi" || parent.value().attr("dir").is_some(),
            };
            if !isolated {
                found.push(format!("<{name}> {:?}", text.to_string()));
            }
        }
        if let scraper::Node::Element(e) = node.value()
            && let Some(content) = e.attr("content")
            && !wrapped(content)
        {
            found.push(format!("<{} content> {content:?}", e.name()));
        }
    }
    found
}

/// A file or folder of `../shared/data` (beside the repository), or None when the shared
/// data is absent: the test then says so in one line and skips its checks, and the test
/// command counts it (`NASHIR_SKIP_LOG`). CI always has the data and refuses to run without.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if root.is_dir() {
        return Some(root.join(rel));
    }
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    eprintln!("SKIPPED {test}: the shared test data is absent ({})", root.display());
    if let Some(log) = std::env::var_os("NASHIR_SKIP_LOG") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
            let _ = writeln!(f, "{test}");
        }
    }
    None
}
