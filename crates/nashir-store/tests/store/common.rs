//! Fresh stores for one test: a SQLite file in a temporary folder, and a PostgreSQL
//! database created on the server named by `NASHIR_TEST_POSTGRES` and dropped afterwards.

use nashir_core::{PublishState, Role};
use nashir_store::{NewArticle, NewCategory, NewPerson, Store};
use sqlx::Connection;

pub const HOUR: i64 = 3_600_000_000;

pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take() {
            // Best effort: a leftover test database is harmless and named as such.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::connect(&nashir_store::sqlite_url_for_dir(dir.path())).await.expect("sqlite");
    TestDb { store, _dir: Some(dir), drop_pg: None }
}

pub async fn postgres() -> Option<TestDb> {
    let admin = std::env::var("NASHIR_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    if admin == "off" {
        eprintln!("NASHIR_TEST_POSTGRES=off: PostgreSQL half of the store tests skipped");
        return None;
    }
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "nashir_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        nashir_store::now_micros() % 1_000_000
    );
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL reachable (NASHIR_TEST_POSTGRES)");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.expect("create db");
    let url = match admin.rfind('/') {
        Some(slash) => format!("{}/{name}", &admin[..slash]),
        None => panic!("bad NASHIR_TEST_POSTGRES"),
    };
    let store = Store::connect(&url).await.expect("postgres store");
    Some(TestDb { store, _dir: None, drop_pg: Some((admin, name)) })
}

/// Runs a scenario on both backends.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::common::sqlite().await;
                ($body)(db.store.clone()).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(db) = $crate::common::postgres().await {
                    ($body)(db.store.clone()).await;
                }
            }
        }
    };
}

pub async fn seed(store: &Store, now: i64) -> (i64, i64, i64, i64) {
    let author = store
        .create_person(
            &NewPerson { slug: "كاتب".into(), name: "كاتب".into(), email: Some("k@example.com".into()), bio: "سيرة".into(), role: Role::Author },
            now,
        )
        .await
        .expect("person");
    let parent = store
        .create_category(&NewCategory { parent_id: None, slug: "دولي".into(), name: "دولي".into(), description: String::new(), position: 0 }, now)
        .await
        .expect("parent");
    let child = store
        .create_category(&NewCategory { parent_id: Some(parent), slug: "أوروبا".into(), name: "أوروبا".into(), description: String::new(), position: 1 }, now)
        .await
        .expect("child");
    let tag = store.create_tag("وسم", "وسم", now).await.expect("tag");
    (author, parent, child, tag)
}

pub fn article(title: &str, author: i64, cat: i64, tags: Vec<i64>, state: PublishState, published_at: i64) -> NewArticle {
    NewArticle {
        title: title.into(),
        slug: nashir_arabic::slugify(title),
        body_html: "<p>نص</p>".into(),
        excerpt: "نص".into(),
        featured_image: None,
        state,
        author_id: author,
        primary_category_id: Some(cat),
        other_category_ids: vec![],
        tag_ids: tags,
        published_at: Some(published_at),
        modified_at: None,
        sticky: false,
        comments_open: true,
    }
}

