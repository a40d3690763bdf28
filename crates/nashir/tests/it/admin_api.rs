//! The Admin API on the running server, on SQLite and PostgreSQL: keys made and revoked in
//! the newsroom, a role × endpoint matrix (a key may do exactly what its role may in the
//! newsroom), idempotent creates, and every change in revisions, the outbox (the public
//! site follows) and the audit log, beside the newsroom's own changes.

use serde_json::{Value, json};

use crate::newsroom::{PASSWORD, PgDatabase, Session, add_staff, create_article, login};
use crate::server::{Response, Server, send_body};

fn backends() -> Vec<(&'static str, Vec<String>, Option<PgDatabase>)> {
    let mut backends: Vec<(&str, Vec<String>, Option<PgDatabase>)> = vec![("sqlite", vec![], None)];
    if let Some(db) = PgDatabase::create() {
        backends.push(("postgres", vec!["--database-url".into(), db.url.clone()], Some(db)));
    }
    backends
}

/// Makes a key in the newsroom's Integrations page; returns it and its id.
fn make_key(admin: &Session, name: &str, role: &str) -> (String, i64) {
    let r = admin.post("/newsroom/integrations", &[("name", name), ("role", role)]);
    assert_eq!(r.status, 200, "{}", r.body);
    let html = r.html();
    let secret = html.select(&crate::server::sel("#new-key")).next().and_then(|i| i.value().attr("value")).expect("the key, shown once").to_owned();
    assert!(secret.starts_with("nsr_"));
    let id = html
        .select(&crate::server::sel("tr[data-key-id]"))
        .find(|tr| tr.text().collect::<String>().contains(name))
        .and_then(|tr| tr.value().attr("data-key-id"))
        .and_then(|i| i.parse().ok())
        .expect("listed");
    // Shown once: the list shows the prefix only.
    assert!(!admin.get("/newsroom/integrations").body.contains(&secret));
    (secret, id)
}

struct Api<'a> {
    server: &'a Server,
}

impl Api<'_> {
    fn call(&self, method: &str, path: &str, key: Option<&str>, body: Option<Value>, extra: &[(&str, &str)]) -> Response {
        let auth = key.map(|k| format!("Bearer {k}"));
        let mut headers: Vec<(&str, &str)> = extra.to_vec();
        if let Some(a) = &auth {
            headers.push(("authorization", a));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        send_body(method, &format!("{}{path}", self.server.url), "application/json", bytes, &headers)
    }
}

fn json_of(r: &Response) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {} {}", r.status, r.body))
}

fn code(r: &Response) -> String {
    json_of(r)["code"].as_str().unwrap_or("").to_owned()
}

#[test]
fn keys_act_with_their_role_and_every_change_is_recorded() {
    for (name, db_args, _db) in &backends() {
        let data = tempfile::tempdir().expect("tmp");
        for (email, person, role) in [("admin@example.com", "مديرة", "admin"), ("editor@example.com", "محررة", "editor")] {
            add_staff(data.path(), db_args, email, person, role);
        }
        let mut args = vec!["--demo", "--time-zone", "UTC"];
        args.extend(db_args.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        let admin = login(&server, "admin@example.com");
        let editor_session = login(&server, "editor@example.com");
        let api = Api { server: &server };
        let (contributor, _) = make_key(&admin, "مساهم آلي", "contributor");
        let (author, _) = make_key(&admin, "وكالة الأنباء", "author");
        let (editor, editor_key_id) = make_key(&admin, "تطبيق التحرير", "editor");
        // Keys never act as administrators.
        assert_eq!(admin.post("/newsroom/integrations", &[("name", "مدير آلي"), ("role", "admin")]).status, 422, "[{name}]");
        // Non-administrators do not manage keys.
        assert_eq!(editor_session.get("/newsroom/integrations").status, 403, "[{name}]");

        // Who is asking.
        assert_eq!(code(&api.call("POST", "/api/v1/admin/articles", None, Some(json!({"title": "x"})), &[])), "api_key_required");
        assert_eq!(code(&api.call("POST", "/api/v1/admin/articles", Some("nsr_00000000_wrong"), Some(json!({"title": "x"})), &[])), "invalid_api_key");
        let wrong_secret = format!("{}x", &editor[..editor.len() - 1]);
        assert_eq!(code(&api.call("POST", "/api/v1/admin/articles", Some(&wrong_secret), Some(json!({"title": "x"})), &[])), "invalid_api_key");

        let body = json!({"title": "خبر من وكالة الأنباء", "body_html": "<p>نص الخبر <script>x()</script>كاملاً.</p>", "tags": ["وكالات"]});
        // The role × endpoint matrix.
        let draft = |key: &str| {
            let r = api.call("POST", "/api/v1/admin/articles", Some(key), Some(body.clone()), &[]);
            assert_eq!(r.status, 201, "[{name}] {}", r.body);
            json_of(&r)
        };
        let c = draft(&contributor);
        assert_eq!(c["status"], "draft");
        assert!(!c["body_html"].as_str().unwrap_or("").contains("script"), "sanitized like the editor's");
        let cid = c["id"].as_i64().expect("id");
        let published = json!({"title": "خبر منشور", "body_html": "<p>نص.</p>", "status": "published"});
        assert_eq!(api.call("POST", "/api/v1/admin/articles", Some(&contributor), Some(published.clone()), &[]).status, 403, "[{name}] a contributor key cannot publish");
        assert_eq!(code(&api.call("POST", &format!("/api/v1/admin/articles/{cid}/publish"), Some(&contributor), None, &[])), "forbidden");
        let submitted = api.call("POST", &format!("/api/v1/admin/articles/{cid}/submit"), Some(&contributor), None, &[]);
        assert_eq!((submitted.status, json_of(&submitted)["status"].clone()), (200, json!("pending")), "[{name}]");
        assert_eq!(api.call("POST", "/api/v1/admin/breaking", Some(&contributor), Some(json!({"text": "عاجل", "expires_at": "2099-01-01T00:00:00Z"})), &[]).status, 403);
        let image = nashir_media::drawn::jpeg_with_gps(400, 300, 1);
        let up = send_body("POST", &format!("{}/api/v1/admin/images?name=photo.jpg&alt=%D8%B5%D9%88%D8%B1%D8%A9", server.url), "image/jpeg", image.clone(), &[("authorization", &format!("Bearer {contributor}"))]);
        assert_eq!(up.status, 201, "[{name}] {}", up.body);
        assert_eq!(json_of(&up)["width"], 400);
        let not_image = send_body("POST", &format!("{}/api/v1/admin/images", server.url), "image/jpeg", b"not a photo".to_vec(), &[("authorization", &format!("Bearer {contributor}"))]);
        assert_eq!((not_image.status, code(&not_image)), (422, "invalid_image".into()));

        let a = api.call("POST", "/api/v1/admin/articles", Some(&author), Some(published.clone()), &[]);
        assert_eq!(a.status, 201, "[{name}] an author key publishes its own: {}", a.body);
        let aid = json_of(&a)["id"].as_i64().expect("id");
        assert!(json_of(&a)["url"].as_str().is_some_and(|u| u.contains(&format!("/news/{aid}/"))));
        // An author may not touch the contributor's article, nor see it.
        assert_eq!(api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&author), Some(json!({"title": "تغيير"})), &[]).status, 404);
        assert_eq!(api.call("GET", &format!("/api/v1/admin/articles/{cid}"), Some(&author), None, &[]).status, 404);
        assert_eq!(api.call("POST", "/api/v1/admin/articles", Some(&author), Some(json!({"title": "بقلم غيري", "author_id": 1})), &[]).status, 403);
        assert_eq!(api.call("POST", "/api/v1/admin/breaking", Some(&author), Some(json!({"text": "عاجل", "expires_at": "2099-01-01T00:00:00Z"})), &[]).status, 403);

        // An editor key edits and publishes anyone's, schedules, and manages breaking news.
        let e = api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&editor), Some(json!({"title": "خبر المساهم بعد التحرير", "status": "published"})), &[]);
        assert_eq!(e.status, 200, "[{name}] {}", e.body);
        let v = json_of(&e)["version"].as_i64().expect("version");
        // Editing the published story keeps a revision of what it replaced.
        let edited = api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&editor), Some(json!({"title": "خبر المساهم بعد التحرير", "body_html": "<p>نص محدّث.</p>", "version": v})), &[]);
        assert_eq!(edited.status, 200, "[{name}] {}", edited.body);
        let stale = api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&editor), Some(json!({"title": "قديم", "version": v})), &[]);
        assert_eq!((stale.status, code(&stale)), (409, "stale_version".into()), "[{name}]");
        let bad = api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&editor), Some(json!({"title": ""})), &[]);
        assert_eq!((bad.status, code(&bad)), (422, "invalid_article".into()));
        assert!(json_of(&bad)["detail"].as_str().is_some_and(|d| d.contains("title")), "{}", bad.body);
        assert_eq!(code(&api.call("PATCH", &format!("/api/v1/admin/articles/{cid}"), Some(&editor), Some(json!({"titel": "x"})), &[])), "bad_json");
        let due = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(5)).expect("time").to_string();
        let s = api.call("POST", &format!("/api/v1/admin/articles/{aid}/schedule"), Some(&editor), Some(json!({"publish_at": due})), &[]);
        assert_eq!((s.status, json_of(&s)["status"].clone()), (200, json!("scheduled")), "[{name}] {}", s.body);
        let u = api.call("POST", &format!("/api/v1/admin/articles/{aid}/unpublish"), Some(&editor), None, &[]);
        assert_eq!(json_of(&u)["status"], "unpublished");
        let b = api.call("POST", "/api/v1/admin/breaking", Some(&editor), Some(json!({"text": "عاجل من التطبيق", "expires_at": "2099-01-01T00:00:00Z"})), &[]);
        assert_eq!(b.status, 201, "[{name}] {}", b.body);
        let bid = json_of(&b)["id"].as_i64().expect("id");
        assert!(server.get("/api/v1/breaking").body.contains("عاجل من التطبيق"), "[{name}] on the site at once");
        assert_eq!(api.call("DELETE", &format!("/api/v1/admin/breaking/{bid}"), Some(&editor), None, &[]).status, 204);
        assert_eq!(api.call("DELETE", &format!("/api/v1/admin/breaking/{bid}"), Some(&editor), None, &[]).status, 404);

        // What a key publishes is on the public site and API (revision, outbox).
        let public = server.get(&format!("/api/v1/articles/{cid}"));
        assert_eq!(public.status, 200, "[{name}]");
        assert_eq!(json_of(&public)["title"], "خبر المساهم بعد التحرير");
        let revisions = editor_session.get(&format!("/newsroom/articles/{cid}/revisions"));
        assert!(revisions.body.contains("تطبيق التحرير"), "[{name}] revisions name the key");

        // Idempotent creates.
        let once = json!({"title": "خبر يُرسل مرتين"});
        let first = api.call("POST", "/api/v1/admin/articles", Some(&editor), Some(once.clone()), &[("idempotency-key", "wire-123")]);
        let again = api.call("POST", "/api/v1/admin/articles", Some(&editor), Some(once.clone()), &[("idempotency-key", "wire-123")]);
        assert_eq!((first.status, again.status), (201, 201), "[{name}] {}", again.body);
        assert_eq!(json_of(&first)["id"], json_of(&again)["id"], "[{name}] one article");
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let other = api.call("POST", "/api/v1/admin/articles", Some(&editor), Some(json!({"title": "آخر"})), &[("idempotency-key", "wire-123")]);
        assert_eq!((other.status, code(&other)), (422, "idempotency_key_reused".into()));

        // The audit log: the keys' changes and the newsroom's, filtered by key.
        let newsroom_id = create_article(&editor_session, "خبر من غرفة الأخبار", "publish", &[]);
        let log = admin.get("/newsroom/audit");
        assert_eq!(log.status, 200);
        for want in ["articles.create", "articles.publish", "articles.submit", "articles.schedule", "articles.unpublish", "breaking.create", "breaking.delete", "media.upload", &format!("articles/{newsroom_id}"), "محررة"] {
            assert!(log.body.contains(want), "[{name}] {want} in the audit log");
        }
        let by_key = admin.get(&format!("/newsroom/audit?key={editor_key_id}"));
        assert!(by_key.body.contains("breaking.delete") && !by_key.body.contains("media.upload"), "[{name}] filtered by key");
        assert!(!log.body.contains(PASSWORD), "never a password");
        assert_eq!(editor_session.get("/newsroom/audit").status, 403, "administrators only");

        // A revoked key fails at once.
        let r = admin.post(&format!("/newsroom/integrations/{editor_key_id}/revoke"), &[]);
        assert_eq!(r.status, 303, "{}", r.body);
        let after = api.call("POST", "/api/v1/admin/articles", Some(&editor), Some(json!({"title": "بعد الإلغاء"})), &[]);
        assert_eq!((after.status, code(&after)), (401, "api_key_revoked".into()), "[{name}]");
        assert!(admin.get("/newsroom/integrations").body.contains("أُلغي في"));
        assert!(admin.get("/newsroom/audit").body.contains("integrations.revoke"));
    }
}
