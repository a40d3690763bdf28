//! `nashir migrate-db`: a SQLite site (demo content, staff, a reader's comment, a session)
//! moves to PostgreSQL with every table's count and checksum matching; a second run over the
//! filled target is refused unless `--force`; the site then serves from PostgreSQL with the
//! same articles, the same logins, and sessions when they were asked for.

use std::time::Duration;

use crate::newsroom::{PgDatabase, Session, add_staff, create_article, login};
use crate::server::{Server, command};

fn migrate(from: &std::path::Path, to: &str, extra: &[&str]) -> std::process::Output {
    command()
        .arg("migrate-db")
        .arg("--from")
        .arg(format!("sqlite:{}", from.display()))
        .args(["--to", to])
        .args(extra)
        .current_dir(from)
        .output()
        .expect("run migrate-db")
}

fn titles(server: &Server) -> Vec<String> {
    let r = server.get("/api/v1/articles?limit=100&fields=title");
    let body: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let mut titles: Vec<String> = body["articles"].as_array().expect("articles").iter().map(|a| a["title"].as_str().unwrap_or("").to_owned()).collect();
    titles.sort();
    titles
}

#[test]
fn a_sqlite_site_moves_to_postgresql_with_matching_counts_and_checksums() {
    let Some(db) = PgDatabase::create() else { return };
    let data = tempfile::tempdir().expect("tmp");
    add_staff(data.path(), &[], "editor@example.com", "محرر", "editor");
    let server = Server::start(&["--demo"], &[], Some(data));
    let editor = login(&server, "editor@example.com");
    let extra = create_article(&editor, "خبر ينتقل إلى قاعدة جديدة", "publish", &[("tags", "انتقال, قاعدة بيانات")]);
    create_article(&editor, "مسودة تنتقل أيضا", "save", &[]);
    let before = titles(&server);
    assert!(before.len() > 10, "demo content and the new article");
    let data = server.stop();

    // A first copy: every table matches.
    let out = migrate(data.path(), &db.url, &["--sessions"]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "migrate-db: {said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("every count and checksum matches"), "{said}");
    for table in ["articles", "article_revisions", "people", "sessions", "comments", "redirects", "import_keys", "media", "tags", "outbox"] {
        let line = said.lines().find(|l| l.split_whitespace().next() == Some(table)).unwrap_or_else(|| panic!("{table} in the report: {said}"));
        assert!(line.ends_with("same"), "{line}");
    }
    let articles = said.lines().find(|l| l.starts_with("articles ")).expect("articles line");
    let counts: Vec<i64> = articles.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(counts.len() == 2 && counts[0] == counts[1] && counts[0] > before.len() as i64, "{articles}");

    // The target now has content: refused without --force, nothing changed.
    let again = migrate(data.path(), &db.url, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"), "{}", String::from_utf8_lossy(&again.stderr));
    let forced = migrate(data.path(), &db.url, &["--force", "--sessions"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));

    // Bad input: a missing source, a target that is not PostgreSQL.
    let missing = command().args(["migrate-db", "--from", "sqlite:/nonexistent/nashir.db", "--to", &db.url]).output().expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no SQLite database"));
    let not_pg = migrate(data.path(), "sqlite:///tmp/x.db", &[]);
    assert_eq!(not_pg.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&not_pg.stderr).contains("postgres://"));

    // The site on PostgreSQL: the same articles, the same logins, the session still valid.
    let on_pg = Server::start(&["--database-url", &db.url], &[], None);
    assert_eq!(titles(&on_pg), before);
    let kept = Session { base: on_pg.url.clone(), cookie: editor.cookie.clone(), csrf: editor.csrf.clone() };
    assert_eq!(kept.get("/newsroom/articles").status, 200, "the session moved with --sessions");
    let fresh = login(&on_pg, "editor@example.com");
    assert!(fresh.get("/newsroom/articles").body.contains("مسودة تنتقل أيضا"), "drafts moved");
    // New rows continue after the copied ones, and search was rebuilt from the copy.
    let next = create_article(&fresh, "أول خبر على PostgreSQL", "publish", &[]);
    assert!(next > extra, "ids continue ({next} after {extra})");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !on_pg.get("/search?q=%D9%8A%D9%86%D8%AA%D9%82%D9%84").body.contains("خبر ينتقل إلى قاعدة جديدة") {
        assert!(std::time::Instant::now() < deadline, "the copied article is found by search");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(on_pg);

    // Without --sessions everyone logs in again.
    let plain = migrate(data.path(), &db.url, &["--force"]);
    assert!(plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stdout).lines().all(|l| !l.starts_with("sessions ")), "sessions left out");
    let on_pg = Server::start(&["--database-url", &db.url], &[], None);
    let old = Session { base: on_pg.url.clone(), ..kept };
    assert_eq!(old.get("/newsroom/articles").status, 303, "the old session does not exist there");
    drop(on_pg);
}
