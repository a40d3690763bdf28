//! `nashir backup` and `nashir restore` on SQLite and PostgreSQL: a backup taken while
//! articles are being published holds every article committed before it began, with the
//! media files and a manifest; a restore into an empty site serves them all; a site with
//! content is never replaced without `--force`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::newsroom::{PgDatabase, add_staff, create_article, login};
use crate::server::{Server, command};

fn run(args: &[&str], data: &std::path::Path, db_args: &[String]) -> std::process::Output {
    command().args(args).arg("--data-dir").arg(data).args(db_args).output().expect("run")
}

/// A backend's name, the source site's and the target's database arguments, and the
/// PostgreSQL databases to drop afterwards.
type Backend = (&'static str, Vec<String>, Vec<String>, Vec<PgDatabase>);

#[test]
fn a_backup_taken_during_writes_restores_every_committed_article() {
    let mut backends: Vec<Backend> = vec![("sqlite", vec![], vec![], vec![])];
    if let (Some(from), Some(to)) = (PgDatabase::create(), PgDatabase::create()) {
        let (a, b) = (from.url.clone(), to.url.clone());
        backends.push(("postgres", vec!["--database-url".into(), a], vec!["--database-url".into(), b], vec![from, to]));
    }
    for (name, source_db, target_db, _dbs) in &backends {
        let data = tempfile::tempdir().expect("tmp");
        let data_path = data.path().to_owned();
        add_staff(&data_path, source_db, "editor@example.com", "محررة", "editor");
        let mut args = vec!["--demo"];
        args.extend(source_db.iter().map(String::as_str));
        let server = Server::start(&args, &[], Some(data));
        let editor = login(&server, "editor@example.com");
        let photo = nashir_media::drawn::jpeg_with_gps(800, 600, 1);
        let photo_id = crate::media::media_id(&crate::media::upload(&editor, "photo.jpg", "image/jpeg", &photo, &[("alt", "صورة")]));
        crate::media::wait_ready(&editor, photo_id, 60);
        let photo_files = crate::media::file_links(&editor, photo_id);
        assert!(!photo_files.is_empty());

        // A writer publishes articles without pause; the backup is taken in the middle.
        let committed: Arc<Mutex<Vec<(i64, Instant)>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (committed, stop) = (committed.clone(), stop.clone());
            let (base, cookie, csrf) = (editor.base.clone(), editor.cookie.clone(), editor.csrf.clone());
            std::thread::spawn(move || {
                let session = crate::newsroom::Session { base, cookie, csrf };
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let id = create_article(&session, &format!("خبر أثناء النسخ رقم {n}"), "publish", &[]);
                    committed.lock().expect("lock").push((id, Instant::now()));
                }
            })
        };
        std::thread::sleep(Duration::from_millis(800));
        let dest = tempfile::tempdir().expect("tmp");
        let backup_dir = dest.path().join("backup");
        let started = Instant::now();
        let out = run(&["backup", backup_dir.to_str().expect("path")], &data_path, source_db);
        assert!(out.status.success(), "[{name}] {}", String::from_utf8_lossy(&out.stderr));
        std::thread::sleep(Duration::from_millis(500));
        stop.store(true, Ordering::SeqCst);
        writer.join().expect("writer");
        let before: Vec<i64> = committed.lock().expect("lock").iter().filter(|(_, at)| *at < started).map(|(id, _)| *id).collect();
        let after = committed.lock().expect("lock").len() - before.len();
        assert!(!before.is_empty() && after > 0, "[{name}] writes before ({}) and during or after ({after}) the backup", before.len());
        let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(backup_dir.join("manifest.json")).expect("manifest")).expect("json");
        assert_eq!(manifest["backend"], *name);
        assert!(manifest["files"].as_array().is_some_and(|f| f.iter().any(|f| f[0] == "media" && f[1].as_u64() >= Some(photo_files.len() as u64))), "[{name}] the photo's files: {manifest}");
        // A backup never overwrites anything.
        let again = run(&["backup", backup_dir.to_str().expect("path")], &data_path, source_db);
        assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("not empty"));
        // A site with content is not replaced without --force.
        let refused = run(&["restore", backup_dir.to_str().expect("path")], &data_path, source_db);
        assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--force"), "[{name}]");
        drop(server);

        // Into an empty site.
        let target = tempfile::tempdir().expect("tmp");
        let target_path = target.path().to_owned();
        let out = run(&["restore", backup_dir.to_str().expect("path")], &target_path, target_db);
        assert!(out.status.success(), "[{name}] {}", String::from_utf8_lossy(&out.stderr));
        let second = run(&["restore", backup_dir.to_str().expect("path")], &target_path, target_db);
        assert!(!second.status.success(), "[{name}] the restored site has content now");
        let forced = run(&["restore", "--force", backup_dir.to_str().expect("path")], &target_path, target_db);
        assert!(forced.status.success(), "[{name}] {}", String::from_utf8_lossy(&forced.stderr));
        // A damaged backup is refused.
        let damaged = dest.path().join("damaged");
        std::fs::create_dir_all(&damaged).expect("dir");
        for f in ["manifest.json", manifest["database_file"].as_str().expect("file")] {
            std::fs::copy(backup_dir.join(f), damaged.join(f)).expect("copy");
        }
        let db_file = damaged.join(manifest["database_file"].as_str().expect("file"));
        let mut bytes = std::fs::read(&db_file).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&db_file, bytes).expect("write");
        let out = run(&["restore", "--force", damaged.to_str().expect("path")], &target_path, target_db);
        assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("checksum"), "[{name}]");

        let mut args: Vec<&str> = vec![];
        args.extend(target_db.iter().map(String::as_str));
        let restored = Server::start(&args, &[], Some(target));
        for id in &before {
            assert_eq!(restored.get(&format!("/api/v1/articles/{id}")).status, 200, "[{name}] article {id}, committed before the backup");
        }
        // The photo comes back with its files.
        for file in &photo_files {
            assert_eq!(restored.get(file).status, 200, "[{name}] {file}");
        }
        // Searchable again: the index was rebuilt from the restored database.
        assert!(restored.get("/search?q=%D8%A7%D9%84%D9%86%D8%B3%D8%AE").body.contains("خبر أثناء النسخ"), "[{name}]");
    }
}

#[test]
fn scheduled_backups_are_taken_and_the_oldest_removed() {
    let backups = tempfile::tempdir().expect("tmp");
    let dir = backups.path().to_str().expect("path").to_owned();
    let server = Server::start(&["--demo", "--backup-dir", &dir, "--backup-every", "1s", "--backup-keep", "2"], &[], None);
    // About four runs: the oldest are gone, two stay (three for a moment while a new one is taken).
    std::thread::sleep(Duration::from_millis(4500));
    let deadline = Instant::now() + Duration::from_secs(20);
    let taken = loop {
        let mut taken: Vec<String> = std::fs::read_dir(backups.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        taken.sort();
        if taken.len() == 2 && taken.iter().all(|t| backups.path().join(t).join("manifest.json").exists()) {
            break taken;
        }
        assert!(Instant::now() < deadline, "{taken:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(taken.iter().all(|t| t.starts_with("nashir-")), "{taken:?}");
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(backups.path().join(&taken[1]).join("manifest.json")).expect("manifest")).expect("json");
    assert!(manifest["counts"].as_array().is_some_and(|c| c.iter().any(|c| c[0] == "articles" && c[1].as_i64() > Some(0))));
    drop(server);
}
