//! The newsroom: accounts and sessions, lockouts, CSRF, the role × action matrix, the
//! article lifecycle (autosave, preview, revisions, conflicts, scheduling across a
//! restart), categories, tags and breaking news reaching the public site within a second.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::server::{Response, Server, command, post_form, request, sel, text, unisolated_bidi};

pub(crate) const PASSWORD: &str = "كلمة-سر-طويلة-1";

/// `nashir user add` with the password on standard input.
pub(crate) fn add_user(data: &std::path::Path, email: &str, name: &str, role: &str, password: &str) -> std::process::Output {
    add_user_in(data, &[], email, name, role, password)
}

/// A staff account with `PASSWORD`, in the site of `data` and its database arguments
/// (`--database-url …` for PostgreSQL); fails the test when it cannot be made.
pub(crate) fn add_staff(data: &std::path::Path, db_args: &[String], email: &str, name: &str, role: &str) {
    let out = add_user_in(data, db_args, email, name, role, PASSWORD);
    assert!(out.status.success(), "user add: {}", String::from_utf8_lossy(&out.stderr));
}

fn add_user_in(data: &std::path::Path, db_args: &[String], email: &str, name: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = command()
        .args(["user", "add", "--email", email, "--name", name, "--role", role, "--data-dir"])
        .arg(data)
        .args(db_args)
        .current_dir(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // A usage error exits before reading stdin; the broken pipe is then expected.
    let _ = child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes());
    child.wait_with_output().expect("wait")
}

/// A site with one account per role (and demo content, so there is something to edit).
fn newsroom_site() -> Server {
    let data = tempfile::tempdir().expect("tmp");
    for (email, name, role) in [
        ("admin@example.com", "مديرة الموقع", "admin"),
        ("editor@example.com", "محرر الأخبار", "editor"),
        ("author@example.com", "كاتبة", "author"),
        ("contrib@example.com", "مساهم", "contributor"),
        ("author2@example.com", "كاتب آخر", "author"),
    ] {
        let out = add_user(data.path(), email, name, role, PASSWORD);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // UTC keeps the test's datetime-local values simple (the demo would choose Baghdad).
    Server::start(&["--demo", "--time-zone", "UTC"], &[], Some(data))
}

/// A logged-in staff member: the session cookie and the CSRF token of the session.
pub(crate) struct Session {
    pub(crate) base: String,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) fn csrf_of(body: &str) -> String {
    let html = scraper::Html::parse_document(body);
    html.select(&sel("input[name=csrf_token]"))
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap_or("")
        .to_owned()
}

fn set_cookie(r: &Response) -> Option<String> {
    r.header("set-cookie").map(str::to_owned)
}

pub(crate) fn try_login(server: &Server, email: &str, password: &str, extra: &[(&str, &str)]) -> Response {
    let page = server.get("/newsroom/login");
    assert_eq!(page.status, 200);
    let token = csrf_of(&page.body);
    post_form(
        &format!("{}/newsroom/login", server.url),
        &[("email", email), ("password", password), ("csrf_token", &token), ("next", "/newsroom/articles")],
        extra,
    )
}

pub(crate) fn login(server: &Server, email: &str) -> Session {
    let r = try_login(server, email, PASSWORD, &[]);
    assert_eq!(r.status, 303, "login of {email}: {}", r.body);
    let cookie = set_cookie(&r).expect("session cookie");
    let cookie = cookie.split(';').next().expect("pair").to_owned();
    let mut s = Session { base: server.url.clone(), cookie, csrf: String::new() };
    let page = s.get("/newsroom/articles");
    assert_eq!(page.status, 200);
    s.csrf = csrf_of(&page.body);
    assert!(!s.csrf.is_empty());
    s
}

impl Session {
    pub(crate) fn get(&self, path: &str) -> Response {
        request("GET", &format!("{}{}", self.base, path), &[("cookie", &self.cookie)])
    }
    /// A POST carrying the session's CSRF token.
    pub(crate) fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        post_form(&format!("{}{}", self.base, path), &all, &[("cookie", &self.cookie)])
    }
    fn post_without_token(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        post_form(&format!("{}{}", self.base, path), fields, &[("cookie", &self.cookie)])
    }
}

pub(crate) fn location(r: &Response) -> String {
    r.header("location").unwrap_or("").to_owned()
}

/// Creates an article through the editor and returns its id.
pub(crate) fn create_article(s: &Session, title: &str, action: &str, extra: &[(&str, &str)]) -> i64 {
    let defaults = [("title", title), ("body", "<p>فقرة أولى من الخبر.</p><p>فقرة ثانية.</p>"), ("action", action)];
    // Fields given in `extra` replace the defaults (a form carries each field once).
    let mut fields: Vec<(&str, &str)> =
        defaults.into_iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).collect();
    fields.extend_from_slice(extra);
    let r = s.post("/newsroom/articles", &fields);
    assert_eq!(r.status, 303, "create: {}", r.body);
    location(&r).trim_start_matches("/newsroom/articles/").split('?').next().expect("id").parse().expect("id")
}

pub(crate) fn version_of(s: &Session, id: i64) -> String {
    let page = s.get(&format!("/newsroom/articles/{id}"));
    let html = scraper::Html::parse_document(&page.body);
    html.select(&sel("input[name=version]")).next().and_then(|e| e.value().attr("value")).expect("version").to_owned()
}

/// Waits (up to 3 s) until the public page at `path` satisfies `check`.
pub(crate) fn eventually(server: &Server, path: &str, check: impl Fn(&Response) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let r = server.get(path);
        if check(&r) {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(3), "{path} never changed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn user_add_takes_the_password_on_stdin_and_refuses_bad_input() {
    let data = tempfile::tempdir().expect("tmp");
    let ok = add_user(data.path(), "a@example.com", "أ", "editor", PASSWORD);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let again = add_user(data.path(), "a@example.com", "ب", "editor", PASSWORD);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(add_user(data.path(), "b@example.com", "ب", "editor", "short").status.code(), Some(1));
    assert_eq!(add_user(data.path(), "not-an-email", "ب", "editor", PASSWORD).status.code(), Some(1));
    assert_eq!(add_user(data.path(), "c@example.com", "ب", "king", PASSWORD).status.code(), Some(2));
}

#[test]
fn without_an_administrator_serve_prints_a_one_time_setup_link() {
    let server = Server::start(&[], &[], None);
    let line = server.preamble.iter().find(|l| l.contains("/newsroom/setup?token=")).expect("setup link printed");
    let link = line.split_whitespace().last().expect("url").to_owned();
    let path = link.trim_start_matches(&server.url).to_owned();
    let page = server.get(&path);
    assert_eq!(page.status, 200);
    let token = path.split("token=").nth(1).expect("token").to_owned();
    let bad = post_form(
        &format!("{}/newsroom/setup", server.url),
        &[("token", &token), ("name", "مديرة"), ("email", "boss@example.com"), ("password", "قصيرة"), ("password_confirm", "قصيرة")],
        &[],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("boss@example.com"), "typed email kept");
    // The error is tied to its field, so a screen reader announces it there.
    let html = bad.html();
    let field = html.select(&sel("input[name=password][aria-invalid=true]")).next().expect("the password field is marked invalid");
    let described = field.value().attr("aria-describedby").expect("described by its error");
    assert!(html.select(&sel(&format!("#{described}"))).next().map(text).is_some_and(|t| !t.is_empty()), "{described}");
    let done = post_form(
        &format!("{}/newsroom/setup", server.url),
        &[("token", &token), ("name", "مديرة"), ("email", "boss@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD)],
        &[],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(server.get(&path).status, 404, "the link works once");
    let s = login(&server, "boss@example.com");
    assert_eq!(s.get("/newsroom/users").status, 200);
    assert_eq!(server.get("/newsroom/setup?token=guess").status, 404);
}

#[test]
fn login_sets_a_safe_cookie_and_logout_is_a_post_that_ends_the_session() {
    let server = newsroom_site();
    let wrong = try_login(&server, "editor@example.com", "خطأ-خطأ-خطأ", &[]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("غير صحيحة"));
    assert!(wrong.body.contains("editor@example.com"), "typed email kept");
    let unknown = try_login(&server, "nobody@example.com", PASSWORD, &[]);
    assert_eq!(unknown.status, 401);
    let r = try_login(&server, "editor@example.com", PASSWORD, &[]);
    let cookie = set_cookie(&r).expect("cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/newsroom"));
    assert!(!cookie.contains("Secure"), "plain http site");
    assert_eq!(location(&r), "/newsroom/articles");
    let s = login(&server, "editor@example.com");
    assert_eq!(request("GET", &format!("{}/newsroom/logout", server.url), &[("cookie", &s.cookie)]).status, 405);
    assert_eq!(s.post_without_token("/newsroom/logout", &[]).status, 403);
    let out = s.post("/newsroom/logout", &[]);
    assert_eq!(out.status, 303);
    let after = s.get("/newsroom/articles");
    assert_eq!(after.status, 303, "session gone");
    assert!(location(&after).starts_with("/newsroom/login"));
    // Public pages never set cookies (they stay cacheable).
    assert!(server.get("/").header("set-cookie").is_none());
}

#[test]
fn cookies_are_secure_behind_an_https_public_url() {
    let data = tempfile::tempdir().expect("tmp");
    add_user(data.path(), "a@example.com", "أ", "admin", PASSWORD);
    let server = Server::start(&["--public-url", "https://news.example"], &[], Some(data));
    let page = server.get("/newsroom/login");
    let r = post_form(
        &format!("{}/newsroom/login", server.url),
        &[("email", "a@example.com"), ("password", PASSWORD), ("csrf_token", &csrf_of(&page.body))],
        &[],
    );
    assert!(set_cookie(&r).unwrap_or_default().contains("Secure"));
}

#[test]
fn sessions_survive_a_restart() {
    let server = newsroom_site();
    let s = login(&server, "author@example.com");
    let data = server.stop();
    let server = Server::start(&[], &[], Some(data));
    let s = Session { base: server.url.clone(), ..s };
    assert_eq!(s.get("/newsroom/articles").status, 200);
}

#[test]
fn five_failures_lock_the_account_from_that_address_and_twenty_lock_the_address() {
    let server = newsroom_site();
    for _ in 0..5 {
        assert_eq!(try_login(&server, "author@example.com", "wrong-password", &[]).status, 401);
    }
    let locked = try_login(&server, "author@example.com", PASSWORD, &[]);
    assert_eq!(locked.status, 429, "the right password is refused while locked");
    assert!(locked.body.contains("دقيقة"));
    // Another account from the same address still works.
    assert_eq!(try_login(&server, "editor@example.com", PASSWORD, &[]).status, 303);
    for i in 0..15 {
        let email = format!("guess{i}@example.com");
        try_login(&server, &email, "wrong-password", &[]);
    }
    assert_eq!(try_login(&server, "admin@example.com", PASSWORD, &[]).status, 429, "the address is locked");
}

#[test]
fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    let data = tempfile::tempdir().expect("tmp");
    add_user(data.path(), "a@example.com", "أ", "admin", PASSWORD);
    let server = Server::start(&["--trusted-proxy", "127.0.0.1"], &[], Some(data));
    for _ in 0..5 {
        try_login(&server, "a@example.com", "wrong-password", &[("x-forwarded-for", "203.0.113.5")]);
    }
    assert_eq!(try_login(&server, "a@example.com", PASSWORD, &[("x-forwarded-for", "203.0.113.5")]).status, 429);
    assert_eq!(try_login(&server, "a@example.com", PASSWORD, &[("x-forwarded-for", "198.51.100.7")]).status, 303);

    let data = tempfile::tempdir().expect("tmp");
    add_user(data.path(), "a@example.com", "أ", "admin", PASSWORD);
    let untrusting = Server::start(&[], &[], Some(data));
    for i in 0..5 {
        let fake = format!("203.0.113.{i}");
        try_login(&untrusting, "a@example.com", "wrong-password", &[("x-forwarded-for", &fake)]);
    }
    let r = try_login(&untrusting, "a@example.com", PASSWORD, &[("x-forwarded-for", "198.51.100.7")]);
    assert_eq!(r.status, 429, "without a trusted proxy the header is ignored");
}

#[test]
fn every_change_needs_the_session_csrf_token_and_login_needs_its_signed_token() {
    let server = newsroom_site();
    let s = login(&server, "editor@example.com");
    let no_token = s.post_without_token("/newsroom/articles", &[("title", "عنوان"), ("action", "save")]);
    assert_eq!(no_token.status, 403);
    let wrong = post_form(
        &format!("{}/newsroom/articles", server.url),
        &[("title", "عنوان"), ("action", "save"), ("csrf_token", "0000")],
        &[("cookie", &s.cookie)],
    );
    assert_eq!(wrong.status, 403);
    let header = post_form(
        &format!("{}/newsroom/articles", server.url),
        &[("title", "عنوان بالترويسة"), ("action", "save")],
        &[("cookie", &s.cookie), ("x-csrf-token", &s.csrf)],
    );
    assert_eq!(header.status, 303, "the X-CSRF-Token header works too");
    // Login: no token, a forged token, or another site's origin are refused.
    let url = format!("{}/newsroom/login", server.url);
    let creds = [("email", "editor@example.com"), ("password", PASSWORD)];
    assert_eq!(post_form(&url, &creds, &[]).status, 403);
    let mut forged = creds.to_vec();
    forged.push(("csrf_token", "9999999999.abcd"));
    assert_eq!(post_form(&url, &forged, &[]).status, 403);
    let token = csrf_of(&server.get("/newsroom/login").body);
    let mut good = creds.to_vec();
    good.push(("csrf_token", &token));
    assert_eq!(post_form(&url, &good, &[("origin", "https://evil.example")]).status, 403);
    assert_eq!(post_form(&url, &good, &[("sec-fetch-site", "cross-site")]).status, 403);
    assert_eq!(post_form(&url, &good, &[("origin", &server.url)]).status, 303);
}

#[test]
fn roles_are_enforced_on_every_newsroom_route() {
    let server = newsroom_site();
    let admin = login(&server, "admin@example.com");
    let editor = login(&server, "editor@example.com");
    let author = login(&server, "author@example.com");
    let contrib = login(&server, "contrib@example.com");
    let other_author = login(&server, "author2@example.com");
    // Articles owned by the author, the contributor, and an editor-published one.
    let authors_draft = create_article(&author, "مسودة الكاتبة", "save", &[]);
    let contribs_draft = create_article(&contrib, "مسودة المساهم", "save", &[]);
    let published = create_article(&editor, "خبر منشور للمحرر", "publish", &[]);

    // GET routes: (path, [contributor, author, editor, admin]) → allowed?
    let gets: Vec<(String, [bool; 4])> = vec![
        ("/newsroom/articles".into(), [true, true, true, true]),
        ("/newsroom/articles/new".into(), [true, true, true, true]),
        (format!("/newsroom/articles/{contribs_draft}"), [true, false, true, true]),
        (format!("/newsroom/articles/{authors_draft}"), [false, true, true, true]),
        (format!("/newsroom/articles/{published}"), [false, false, true, true]),
        (format!("/newsroom/articles/{published}/revisions"), [false, false, true, true]),
        (format!("/newsroom/articles/{authors_draft}/preview"), [false, true, true, true]),
        ("/newsroom/categories".into(), [false, false, true, true]),
        ("/newsroom/tags".into(), [false, false, true, true]),
        ("/newsroom/breaking".into(), [false, false, true, true]),
        ("/newsroom/users".into(), [false, false, false, true]),
        ("/newsroom/password".into(), [true, true, true, true]),
    ];
    for (path, allowed) in &gets {
        for (who, ok) in [&contrib, &author, &editor, &admin].iter().zip(allowed) {
            let status = who.get(path).status;
            assert_eq!(status == 200, *ok, "GET {path} by {}: {status}", who.cookie.len());
            if !ok {
                assert_eq!(status, 403, "GET {path}");
            }
        }
    }
    // A contributor's forged publish request is refused, and so are the other publication actions.
    for action in ["publish", "schedule", "unpublish"] {
        let r = contrib.post(&format!("/newsroom/articles/{contribs_draft}"), &[("title", "مسودة المساهم"), ("action", action), ("version", &version_of(&contrib, contribs_draft)), ("publish_at", "2099-01-01T10:00")]);
        assert_eq!(r.status, 403, "contributor {action}");
    }
    let forged_new = contrib.post("/newsroom/articles", &[("title", "نشر مزور"), ("action", "publish")]);
    assert_eq!(forged_new.status, 403);
    // The contributor may submit for review.
    let submit = contrib.post(&format!("/newsroom/articles/{contribs_draft}"), &[("title", "مسودة المساهم"), ("action", "submit"), ("version", &version_of(&contrib, contribs_draft))]);
    assert_eq!(submit.status, 303);
    // An author editing someone else's article → 403; publishing their own works.
    let r = other_author.post(&format!("/newsroom/articles/{authors_draft}"), &[("title", "سطو"), ("action", "save"), ("version", "1")]);
    assert_eq!(r.status, 403);
    let own = author.post(&format!("/newsroom/articles/{authors_draft}"), &[("title", "مسودة الكاتبة"), ("action", "publish"), ("version", &version_of(&author, authors_draft))]);
    assert_eq!(own.status, 303);
    // An author cannot assign the byline to someone else.
    let mine = create_article(&author, "مقالي", "save", &[("author_id", "1")]);
    let page = editor.get(&format!("/newsroom/articles/{mine}"));
    assert!(page.body.contains("كاتبة"));
    // POST routes of editors and admins.
    type PostCase<'a> = (String, Vec<(&'a str, &'a str)>, [bool; 4]);
    let posts: Vec<PostCase> = vec![
        ("/newsroom/categories".into(), vec![("name", "قسم اختبار")], [false, false, true, true]),
        ("/newsroom/breaking".into(), vec![("text", "عاجل اختبار"), ("expires_at", "2099-01-01T10:00")], [false, false, true, true]),
        ("/newsroom/users".into(), vec![("name", "جديد"), ("email", "new@example.com"), ("role", "author"), ("password", PASSWORD), ("password_confirm", PASSWORD)], [false, false, false, true]),
    ];
    for (path, fields, allowed) in &posts {
        for (who, ok) in [&contrib, &author, &editor, &admin].iter().zip(allowed) {
            let mut f = fields.clone();
            static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let unique = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst).to_string();
            if path.ends_with("users") {
                f[1] = ("email", Box::leak(format!("new{unique}@example.com").into_boxed_str()));
            } else if path.ends_with("categories") {
                f[0] = ("name", Box::leak(format!("قسم اختبار {unique}").into_boxed_str()));
            }
            let status = who.post(path, &f).status;
            assert_eq!(status == 303, *ok, "POST {path}: {status}");
            if !ok {
                assert_eq!(status, 403, "POST {path}");
            }
        }
    }
    for path in ["/newsroom/tags/1", "/newsroom/tags/1/merge", "/newsroom/categories/1", "/newsroom/categories/1/delete", "/newsroom/breaking/1", "/newsroom/breaking/1/delete", "/newsroom/users/1"] {
        for who in [&contrib, &author] {
            assert_eq!(who.post(path, &[("name", "x")]).status, 403, "POST {path}");
        }
    }
    // Not logged in: pages send to the login page, changes are refused.
    let anon = server.get("/newsroom/categories");
    assert_eq!(anon.status, 303);
    assert!(location(&anon).starts_with("/newsroom/login?next="));
    assert_eq!(post_form(&format!("{}/newsroom/categories", server.url), &[("name", "x")], &[]).status, 403);
}

#[test]
fn writing_publishing_and_editing_an_article_reaches_the_public_site() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    // Bad input: errors next to the fields, typed text kept, nothing saved.
    let bad = editor.post("/newsroom/articles", &[("title", ""), ("body", "<p>نص مكتوب لا يضيع</p>"), ("slug", "a b"), ("action", "publish")]);
    assert_eq!(bad.status, 422);
    let html = bad.html();
    assert!(html.select(&sel(".field--error #title")).next().is_some(), "error next to the title");
    assert!(bad.body.contains("نص مكتوب لا يضيع"), "typed body kept");
    assert!(html.select(&sel(".field--error #slug")).next().is_some());

    let title = "افتتاح مكتبة عامة جديدة في الموصل";
    let id = create_article(&editor, title, "publish", &[("tags", "ثقافة، كتب جديدة"), ("body", "<p onclick=\"x()\">نص <script>alert(1)</script>الخبر</p>")]);
    // `eventually` allows 3 s; the outbox is followed every 250 ms.
    eventually(&server, "/", |r| r.body.contains(title));
    let public = server.get(&format!("/news/{id}"));
    assert_eq!(public.status, 301);
    let path = location(&public);
    let page = server.get(&path);
    assert!(page.body.contains("نص الخبر"), "body published");
    assert!(!page.body.contains("<script>alert") && !page.body.contains("onclick"), "sanitized on the server");
    assert!(server.get("/tag/كتب-جديدة/").body.contains(title), "tag created on the fly");

    // Edit: slug changes, the old one keeps redirecting; a revision is kept; "updated" shows.
    let v = version_of(&editor, id);
    let r = editor.post(&format!("/newsroom/articles/{id}"), &[("title", "افتتاح مكتبة الموصل العامة"), ("slug", "مكتبة-الموصل"), ("body", "<p>نص معدل.</p>"), ("action", "save"), ("version", &v)]);
    assert_eq!(r.status, 303);
    let old = server.get(&path);
    assert_eq!(old.status, 301);
    assert_eq!(location(&old), format!("/news/{id}/%D9%85%D9%83%D8%AA%D8%A8%D8%A9-%D8%A7%D9%84%D9%85%D9%88%D8%B5%D9%84"));
    eventually(&server, &location(&old), |r| r.body.contains("نص معدل") && r.body.contains("آخر تحديث"));
    let revisions = editor.get(&format!("/newsroom/articles/{id}/revisions"));
    assert!(revisions.body.contains(title), "the previous version is a revision");
    let rev_link = revisions.html().select(&sel("a[href*='/revisions/']")).next().and_then(|a| a.value().attr("href")).map(str::to_owned).expect("revision link");
    let compare = editor.get(&rev_link);
    assert_eq!(compare.status, 200);
    assert!(compare.body.contains("<del>") && compare.body.contains("<ins>"), "a comparison");
    let restore = editor.post(&format!("{rev_link}/restore"), &[("version", &version_of(&editor, id))]);
    assert_eq!(restore.status, 303);
    eventually(&server, &format!("/news/{id}/{}", "x"), |r| r.status == 301);
    let restored_path = location(&server.get(&format!("/news/{id}")));
    eventually(&server, &restored_path, |r| r.body.contains("نص الخبر"));

    // Unpublish: gone from the public site.
    let r = editor.post(&format!("/newsroom/articles/{id}"), &[("title", title), ("action", "unpublish"), ("version", &version_of(&editor, id))]);
    assert_eq!(r.status, 303);
    eventually(&server, &format!("/news/{id}"), |r| r.status == 404);
}

#[test]
fn a_stale_save_is_refused_naming_who_changed_it_and_keeps_the_typed_text() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    let admin = login(&server, "admin@example.com");
    let id = create_article(&editor, "خبر يتنافس عليه اثنان", "save", &[]);
    let v = version_of(&editor, id);
    let first = admin.post(&format!("/newsroom/articles/{id}"), &[("title", "نسخة المديرة"), ("action", "save"), ("version", &v)]);
    assert_eq!(first.status, 303);
    let second = editor.post(&format!("/newsroom/articles/{id}"), &[("title", "نسخة المحرر"), ("body", "<p>نص المحرر الذي لا يضيع</p>"), ("action", "save"), ("version", &v)]);
    assert_eq!(second.status, 409);
    assert!(second.body.contains("مديرة الموقع"), "names who changed it");
    assert!(second.body.contains("نص المحرر الذي لا يضيع") && second.body.contains("نسخة المحرر"), "typed text kept");
    let stored = editor.get(&format!("/newsroom/articles/{id}"));
    assert!(stored.body.contains("نسخة المديرة"), "nothing overwritten");
}

#[test]
fn autosave_is_restored_when_the_editor_reopens_and_preview_matches_the_public_page() {
    let server = newsroom_site();
    let author = login(&server, "author@example.com");
    let id = create_article(&author, "مسودة محفوظة", "save", &[]);
    let v = version_of(&author, id);
    let r = author.post(&format!("/newsroom/articles/{id}/autosave"), &[("title", "عنوان لم يُحفظ"), ("body", "<p>نص كُتب ثم أُغلق التبويب</p>"), ("excerpt", ""), ("version", &v)]);
    assert_eq!(r.status, 204);
    let reopened = author.get(&format!("/newsroom/articles/{id}"));
    assert!(reopened.body.contains("نص كُتب ثم أُغلق التبويب") && reopened.body.contains("عنوان لم يُحفظ"));
    assert!(reopened.body.contains("استُعيد"));
    // A new article that was never saved is restored too.
    let r = author.post("/newsroom/articles/new/autosave", &[("title", "بداية مقال جديد"), ("body", "<p>سطر أول</p>")]);
    assert_eq!(r.status, 204);
    assert!(author.get("/newsroom/articles/new").body.contains("بداية مقال جديد"));
    // Preview renders the public template with the typed text and saves nothing.
    let preview = author.post(&format!("/newsroom/articles/{id}"), &[("title", "عنوان المعاينة"), ("body", "<p>نص المعاينة</p>"), ("action", "preview"), ("version", &v)]);
    assert_eq!(preview.status, 200);
    let html = preview.html();
    let h1 = html.select(&sel("[data-region=article] h1")).next().map(text).unwrap_or_default();
    assert_eq!(h1, "عنوان المعاينة");
    for region in ["breaking", "breadcrumbs", "author-box", "check-also", "comments", "comment-form"] {
        assert!(html.select(&sel(&format!("[data-region={region}]"))).next().is_some(), "{region}");
    }
    assert_eq!(preview.header("cache-control"), Some("no-store"));
    assert!(!author.get(&format!("/newsroom/articles/{id}")).body.contains("عنوان المعاينة"), "a preview saves nothing");
    assert_eq!(server.get(&format!("/news/{id}")).status, 404, "still a draft");
}

#[test]
fn a_scheduled_article_publishes_on_time_exactly_once_across_a_restart() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    // Two seconds ahead, in the site's time zone (UTC here), to the minute resolution of
    // datetime-local plus seconds.
    let due = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_secs(3)).expect("time");
    let local = due.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let id = create_article(&editor, "خبر مجدول بدقة", "schedule", &[("publish_at", &local)]);
    assert_eq!(server.get(&format!("/news/{id}")).status, 404, "not yet");
    // Stop before it is due; start again after.
    let data = server.stop();
    std::thread::sleep(Duration::from_secs(4));
    let server = Server::start(&[], &[], Some(data));
    eventually(&server, &format!("/news/{id}"), |r| r.status == 301);
    std::thread::sleep(Duration::from_secs(1));
    let data = server.stop();
    let url = format!("sqlite://{}?mode=rwc", data.path().join("nashir.db").display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let published = rt.block_on(async {
        let store = nashir_store::Store::connect(&url).await.expect("store");
        let events = store.outbox_after(0, 10_000).await.expect("outbox");
        events
            .iter()
            .filter(|e| matches!(e.event, nashir_store::Event::ArticlePublished { id: published, .. } if published == id))
            .count()
    });
    assert_eq!(published, 1, "published exactly once");
}

#[test]
fn categories_tags_and_breaking_news_are_managed_and_show_within_a_second() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    // A category tree: create, rename, move (never into itself), delete only empty or with reassignment.
    assert_eq!(editor.post("/newsroom/categories", &[("name", "تحقيقات")]).status, 303);
    let page = editor.get("/newsroom/categories");
    let id_of = |body: &str, name: &str| -> i64 {
        let html = scraper::Html::parse_document(body);
        html.select(&sel("li[data-category-id]"))
            .find(|li| li.select(&sel("summary strong")).next().map(text).as_deref() == Some(name))
            .and_then(|li| li.value().attr("data-category-id"))
            .and_then(|v| v.parse().ok())
            .expect("category row")
    };
    let parent = id_of(&page.body, "تحقيقات");
    assert_eq!(editor.post("/newsroom/categories", &[("name", "تحقيقات محلية"), ("parent_id", &parent.to_string())]).status, 303);
    let child = id_of(&editor.get("/newsroom/categories").body, "تحقيقات محلية");
    eventually(&server, "/category/تحقيقات/تحقيقات-محلية/", |r| r.status == 200);
    let cycle = editor.post(&format!("/newsroom/categories/{parent}"), &[("name", "تحقيقات"), ("slug", "تحقيقات"), ("parent_id", &child.to_string())]);
    assert_eq!(cycle.status, 422);
    assert!(cycle.body.contains("داخل نفسه"));
    let reserved = editor.post("/newsroom/categories", &[("name", "تغذية"), ("slug", "feed")]);
    assert_eq!(reserved.status, 422);
    let renamed = editor.post(&format!("/newsroom/categories/{child}"), &[("name", "تحقيقات الموصل"), ("slug", "الموصل"), ("parent_id", &parent.to_string())]);
    assert_eq!(renamed.status, 303);
    eventually(&server, "/category/تحقيقات/الموصل/", |r| r.status == 200 && r.body.contains("تحقيقات الموصل"));
    let article = create_article(&editor, "تحقيق عن الجسور", "publish", &[("primary_category_id", &child.to_string())]);
    let refused = editor.post(&format!("/newsroom/categories/{child}/delete"), &[]);
    assert_eq!(refused.status, 422, "not empty");
    let moved = editor.post(&format!("/newsroom/categories/{child}/delete"), &[("reassign_to", &parent.to_string())]);
    assert_eq!(moved.status, 303);
    eventually(&server, "/category/تحقيقات/", |r| r.body.contains("تحقيق عن الجسور"));
    let _ = article;

    // Tags: rename and merge.
    let a = create_article(&editor, "خبر بوسمين", "publish", &[("tags", "وسم أول، وسم ثان")]);
    let _ = a;
    let tags = editor.get("/newsroom/tags");
    let tag_id = |body: &str, name: &str| -> String {
        let html = scraper::Html::parse_document(body);
        html.select(&sel("tr[data-tag-id]"))
            .find(|tr| tr.select(&sel("td a")).next().map(text).as_deref() == Some(name))
            .and_then(|tr| tr.value().attr("data-tag-id"))
            .expect("tag row")
            .to_owned()
    };
    let first = tag_id(&tags.body, "وسم أول");
    let second = tag_id(&tags.body, "وسم ثان");
    assert_eq!(editor.post(&format!("/newsroom/tags/{first}"), &[("name", "وسم مسمى"), ("slug", "وسم-مسمى")]).status, 303);
    eventually(&server, "/tag/وسم-مسمى/", |r| r.status == 200 && r.body.contains("خبر بوسمين"));
    assert_eq!(editor.post(&format!("/newsroom/tags/{second}/merge"), &[("into", &first)]).status, 303);
    assert_eq!(server.get("/tag/وسم-ثان/").status, 404);

    // Breaking news: add, then expire now.
    let r = editor.post("/newsroom/breaking", &[("text", "عاجل: انقطاع مؤقت للكهرباء في حي المنصور"), ("expires_at", "2099-01-01T00:00"), ("position", "0")]);
    assert_eq!(r.status, 303);
    eventually(&server, "/", |r| r.body.contains("انقطاع مؤقت للكهرباء"));
    let bad = editor.post("/newsroom/breaking", &[("text", "عاجل بلا موعد"), ("expires_at", "غدا")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("عاجل بلا موعد"), "typed text kept");
    let list = editor.get("/newsroom/breaking");
    let item = list.html().select(&sel("form[data-breaking-id]")).find(|f| f.inner_html().contains("انقطاع مؤقت")).and_then(|f| f.value().attr("data-breaking-id")).expect("item").to_owned();
    let r = editor.post(&format!("/newsroom/breaking/{item}"), &[("text", "عاجل: انقطاع مؤقت للكهرباء في حي المنصور"), ("expires_at", "2099-01-01T00:00"), ("action", "expire")]);
    assert_eq!(r.status, 303);
    eventually(&server, "/", |r| !r.body.contains("انقطاع مؤقت للكهرباء"));
}

#[test]
fn disabling_a_user_ends_their_sessions_and_a_password_change_ends_the_others() {
    let server = newsroom_site();
    let admin = login(&server, "admin@example.com");
    let author = login(&server, "author@example.com");
    let users = admin.get("/newsroom/users");
    let author_id = users
        .html()
        .select(&sel("tr[data-user-id]"))
        .find(|tr| tr.inner_html().contains("author@example.com"))
        .and_then(|tr| tr.value().attr("data-user-id"))
        .expect("row")
        .to_owned();
    assert_eq!(admin.post(&format!("/newsroom/users/{author_id}"), &[("action", "disable")]).status, 303);
    assert_eq!(author.get("/newsroom/articles").status, 303, "logged out at once");
    assert_eq!(try_login(&server, "author@example.com", PASSWORD, &[]).status, 403);
    assert_eq!(admin.post(&format!("/newsroom/users/{author_id}"), &[("action", "enable")]).status, 303);

    let editor_a = login(&server, "editor@example.com");
    let editor_b = login(&server, "editor@example.com");
    let new_password = "كلمة-سر-جديدة-2";
    let bad = editor_a.post("/newsroom/password", &[("current_password", "wrong"), ("password", new_password), ("password_confirm", new_password)]);
    assert_eq!(bad.status, 422);
    let ok = editor_a.post("/newsroom/password", &[("current_password", PASSWORD), ("password", new_password), ("password_confirm", new_password)]);
    assert_eq!(ok.status, 200);
    assert_eq!(editor_a.get("/newsroom/articles").status, 200, "this session stays");
    assert_eq!(editor_b.get("/newsroom/articles").status, 303, "the other ends");
    assert_eq!(try_login(&server, "editor@example.com", new_password, &[]).status, 303);
}

/// A fresh PostgreSQL database for one test, dropped afterwards (see the store's tests).
pub(crate) struct PgDatabase {
    admin: String,
    name: String,
    pub(crate) url: String,
}

impl PgDatabase {
    pub(crate) fn create() -> Option<PgDatabase> {
        use sqlx::Connection;
        let admin = std::env::var("NASHIR_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        if admin == "off" {
            eprintln!("NASHIR_TEST_POSTGRES=off: skipping the PostgreSQL multi-instance test");
            return None;
        }
        let name = format!("nashir_it_{}_{}", std::process::id(), nashir_store::now_micros() % 1_000_000_000);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.expect("create");
        });
        let url = format!("{}/{name}", &admin[..admin.rfind('/').expect("db in url")]);
        Some(PgDatabase { admin, name, url })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use sqlx::Connection;
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))).execute(&mut conn).await.ok()
            })
        })
        .join();
    }
}

#[test]
fn two_instances_on_postgresql_share_sessions_and_publish_a_scheduled_article_once() {
    let Some(db) = PgDatabase::create() else { return };
    let data = tempfile::tempdir().expect("tmp");
    let mut add = command();
    let mut child = add
        .args(["user", "add", "--email", "editor@example.com", "--name", "محرر", "--role", "editor", "--database-url", &db.url])
        .current_dir(data.path())
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("write");
    assert!(child.wait().expect("wait").success());
    let args = ["--database-url", db.url.as_str(), "--time-zone", "UTC"];
    let first = Server::start(&args, &[], None);
    let second = Server::start(&args, &[], None);
    let editor = login(&first, "editor@example.com");
    // The session lives in the database: the second instance knows it.
    let on_second = Session { base: second.url.clone(), cookie: editor.cookie.clone(), csrf: editor.csrf.clone() };
    assert_eq!(on_second.get("/newsroom/articles").status, 200);
    let due = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_secs(2)).expect("time");
    let local = due.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let id = create_article(&on_second, "خبر مجدول على خادمين", "schedule", &[("publish_at", &local)]);
    // Both instances see it published, and a change made through one reaches the other.
    eventually(&first, &format!("/news/{id}"), |r| r.status == 301);
    eventually(&second, &format!("/news/{id}"), |r| r.status == 301);
    std::thread::sleep(Duration::from_secs(1));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let published = rt.block_on(async {
        let store = nashir_store::Store::connect(&db.url).await.expect("store");
        let events = store.outbox_after(0, 10_000).await.expect("outbox");
        store.close().await;
        events.iter().filter(|e| matches!(e.event, nashir_store::Event::ArticlePublished { id: published, .. } if published == id)).count()
    });
    assert_eq!(published, 1, "one publication across two instances");
    drop(first);
    drop(second);
}

/// Titles are plain text: markup pasted into one reads as text on every page.
#[test]
fn a_title_typed_with_inline_html_is_published_as_text() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    let typed = "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>";
    let id = create_article(&editor, typed, "publish", &[]);
    let page = editor.get(&format!("/newsroom/articles/{id}"));
    let html = page.html();
    let stored = html.select(&sel("input[name=title]")).next().and_then(|i| i.value().attr("value").map(str::to_owned));
    assert_eq!(stored.as_deref(), Some("Markup: Title With Markup"));
    let public = server.get(&format!("/news/{id}"));
    let public = server.get(public.header("location").expect("canonical"));
    let html = public.html();
    assert_eq!(html.select(&sel("h1")).next().map(text).as_deref(), Some("Markup: Title With Markup"));
    assert!(!public.body.contains("&lt;em&gt;"), "no tags shown as text");
    let home = server.get("/");
    assert!(home.html().select(&sel(".card__title, .card--lead h3")).map(text).any(|t| t == "Markup: Title With Markup"));
    // "a < b" is not markup: it stays as typed.
    let id = create_article(&editor, "الأسعار < التوقعات", "publish", &[]);
    let kept = editor.get(&format!("/newsroom/articles/{id}")).html().select(&sel("input[name=title]")).next().and_then(|i| i.value().attr("value").map(str::to_owned));
    assert_eq!(kept.as_deref(), Some("الأسعار < التوقعات"));
}

/// Contributors see their own articles and published ones, never someone else's draft.
#[test]
fn contributors_never_see_the_titles_of_others_drafts() {
    let server = newsroom_site();
    let author = login(&server, "author@example.com");
    create_article(&author, "مسودة سرية للكاتبة", "save", &[]);
    let contributor = login(&server, "contrib@example.com");
    create_article(&contributor, "مسودة المساهم", "save", &[]);
    let list = contributor.get("/newsroom/articles");
    assert!(!list.body.contains("مسودة سرية للكاتبة"), "another person's draft title leaked");
    assert!(list.body.contains("مسودة المساهم"));
    let drafts = contributor.get("/newsroom/articles?status=draft");
    assert!(!drafts.body.contains("مسودة سرية للكاتبة"));
    // An editor sees both.
    let editor = login(&server, "editor@example.com");
    let all = editor.get("/newsroom/articles?status=draft");
    assert!(all.body.contains("مسودة سرية للكاتبة") && all.body.contains("مسودة المساهم"));
}

#[test]
fn a_login_whose_next_holds_a_line_break_lands_on_the_newsroom_home() {
    let server = newsroom_site();
    let page = server.get("/newsroom/login");
    let token = csrf_of(&page.body);
    let r = post_form(
        &format!("{}/newsroom/login", server.url),
        &[("email", "editor@example.com"), ("password", PASSWORD), ("csrf_token", &token), ("next", "/newsroom/\r\nSet-Cookie: evil=1")],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/newsroom/"));
    assert!(r.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).all(|(_, v)| !v.contains("evil")));
}

#[test]
fn bad_ids_and_page_numbers_get_the_newsrooms_own_answers() {
    let server = newsroom_site();
    // Without a session, a page asks for the login first.
    let r = server.get("/newsroom/articles/99999999999999999999");
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap_or("").starts_with("/newsroom/login?next="));
    let editor = login(&server, "editor@example.com");
    let r = editor.get("/newsroom/articles/99999999999999999999");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("lang=\"ar") && !r.body.contains("Cannot parse") && !r.body.contains("i64"), "{}", r.body);
    assert!(r.header("content-type").unwrap_or("").starts_with("text/html"));
    let r = editor.get("/newsroom/articles/abc/revisions");
    assert_eq!(r.status, 404);
    // A page number far past any list is bounded, never an overflow.
    for page in ["99999999999999999999", "9223372036854775807", "-1", "x"] {
        let r = editor.get(&format!("/newsroom/articles?page={page}"));
        assert_eq!(r.status, 200, "page={page}: {}", r.body);
    }
    // A change to a path that cannot exist is refused the same way.
    let r = editor.post("/newsroom/articles/99999999999999999999", &[("title", "x")]);
    assert_eq!(r.status, 404);
}

/// html5ever warns once per misplaced table tag ("foster parenting not implemented"): such
/// warnings about content are counted and summed up, not written one by one.
#[test]
fn content_warnings_from_the_sanitizer_do_not_flood_the_log() {
    let data = tempfile::tempdir().expect("tmp");
    let out = add_user(data.path(), "editor@example.com", "محرر", "editor", PASSWORD);
    assert!(out.status.success());
    let log_dir = tempfile::tempdir().expect("tmp");
    let log = log_dir.path().join("serve.log");
    let server = Server::start_logging_to(&[], &[("NASHIR_LOG", "info")], Some(data), &log);
    let editor = login(&server, "editor@example.com");
    let body = format!("<table><tr>{}</tr></table>", "<div>خلية</div><span>نص</span>".repeat(2000));
    assert!(body.len() > 40_000);
    create_article(&editor, "جدول مكسور", "save", &[("body", &body)]);
    drop(server);
    let text = std::fs::read_to_string(&log).expect("log");
    let lines = text.lines().filter(|l| l.contains("foster parenting") || l.contains("html5ever")).count();
    assert!(lines <= 1, "{lines} lines about the parser's warnings:\n{}", text.lines().take(5).collect::<Vec<_>>().join("\n"));
}

/// A bidi control typed into a title, a tag or a ticker item stays inside that text: every
/// place it shows is isolated (`dir`, `<bdi>`, or FSI … PDI where no element can be).
#[test]
fn bidi_controls_in_typed_text_cannot_reorder_the_page_around_them() {
    let server = newsroom_site();
    let editor = login(&server, "editor@example.com");
    let title = "خبر \u{202E}عاجل";
    let id = create_article(&editor, title, "publish", &[("tags", "وسم\u{202B}مقلوب"), ("excerpt", "ملخص \u{202D}ltr")]);
    let r = editor.post(
        "/newsroom/breaking",
        &[("text", "عاجل \u{202E}جداً"), ("starts_at", ""), ("expires_at", "2099-01-01T00:00"), ("article_id", &id.to_string())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let canonical = server.get(&format!("/news/{id}"));
    let article_path = canonical.header("location").expect("canonical").to_owned();
    let article = server.get(&article_path);
    assert!(article.body.contains('\u{202E}'), "the control is kept as typed");
    let tag_link = article.html().select(&sel("a[rel=tag]")).next().and_then(|a| a.value().attr("href").map(str::to_owned)).expect("tag");
    for path in [article_path.as_str(), "/", tag_link.as_str(), "/search?q=%D8%AE%D8%A8%D8%B1", "/newsroom/articles"] {
        let page = if path.starts_with("/newsroom") { editor.get(path) } else { server.get(path) };
        assert_eq!(page.status, 200, "{path}");
        let leaks = unisolated_bidi(&page.body);
        assert!(leaks.is_empty(), "{path}: {leaks:?}");
    }
    // The query sits in the sentence of results as markup, isolated by <bdi>.
    let search = server.get("/search?q=%D8%AE%D8%A8%D8%B1");
    assert!(search.body.contains("نتيجة عن «<bdi>خبر</bdi>»"), "{}", search.body);
}
