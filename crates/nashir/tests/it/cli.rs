//! The command-line contract: data folder creation, flags beat environment beat
//! nashir.toml, theme overrides without a rebuild, start-up errors and exit codes.

use std::process::Stdio;

use crate::server::{Server, command, sel, text};

#[test]
fn serve_creates_and_migrates_its_data_folder() {
    let parent = tempfile::tempdir().expect("tmp");
    let data = parent.path().join("a/b/nashir-data");
    let mut cmd = command();
    let mut child = cmd
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .current_dir(parent.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    // A fresh site first prints its one-time setup link.
    while !line.starts_with("Nashir is serving") {
        line.clear();
        if std::io::BufRead::read_line(&mut reader, &mut line).expect("read") == 0 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("Nashir is serving http://127.0.0.1:"), "{line}");
    assert!(data.join("nashir.db").is_file(), "SQLite file created");
}

#[test]
fn an_empty_site_serves_an_empty_home_page() {
    let server = Server::start(&[], &[], None);
    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("لا توجد أخبار منشورة بعد"));
    assert!(r.html().select(&sel("[data-region=breaking][hidden]")).next().is_some(), "collapsed ticker");
}

#[test]
fn settings_come_from_flags_then_environment_then_nashir_toml() {
    let data = tempfile::tempdir().expect("tmp");
    std::fs::write(
        data.path().join("nashir.toml"),
        "site_name = \"من الملف\"\nsite_description = \"وصف من الملف\"\nlocale = \"ar-EG\"\ntime_zone = \"Africa/Cairo\"\n\
         publisher_name = \"ناشر الملف\"\npublic_url = \"https://news.example/\"\n",
    )
    .expect("write");
    let config = data.path().join("nashir.toml");
    let config = config.to_str().expect("utf-8 path").to_owned();
    let server = Server::start(
        &["--config", &config, "--demo", "--site-name", "من العلم"],
        &[("NASHIR_SITE_NAME", "من البيئة"), ("NASHIR_PUBLISHER_NAME", "ناشر البيئة")],
        Some(data),
    );
    let home = server.get("/");
    let html = home.html();
    let name = html.select(&sel(".masthead__name")).next().map(text).unwrap_or_default();
    assert_eq!(name, "من العلم", "a flag beats the environment");
    assert!(home.body.contains("ناشر البيئة"), "the environment beats the file");
    assert!(home.body.contains("وصف من الملف"), "the file beats the demo's profile");
    assert!(home.body.contains("href=\"https://news.example/\""), "public URL from the file, canonical");
    let article = html.select(&sel("a[href^='/news/']")).next().and_then(|a| a.value().attr("href")).expect("link").to_owned();
    let page = server.get(&article);
    // ar-EG writes the Gregorian month names.
    assert!(
        ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
            .iter()
            .any(|m| page.body.contains(m)),
        "ar-EG month names"
    );
    assert!(page.body.contains("https://news.example/news/"), "canonical link uses the public URL");
}

#[test]
fn a_theme_folder_overrides_templates_and_static_files_without_a_rebuild() {
    let theme = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(theme.path().join("templates")).expect("mkdir");
    std::fs::create_dir_all(theme.path().join("static")).expect("mkdir");
    std::fs::write(
        theme.path().join("templates/404.html"),
        "{% extends \"builtin/404.html\" %}{% block title %}صفحة مفقودة مخصصة{% endblock %}",
    )
    .expect("write");
    std::fs::write(theme.path().join("static/style.css"), "body { color: red }").expect("write");
    let dir = theme.path().to_str().expect("utf-8").to_owned();
    let server = Server::start(&["--theme", &dir], &[], None);
    let r = server.get("/missing");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("صفحة مفقودة مخصصة"));
    assert!(r.body.contains("ابحث في الموقع"), "the rest comes from the built-in template");
    assert_eq!(server.get("/static/style.css").body, "body { color: red }");
    // Files not overridden still come from the built-in theme.
    assert!(server.get("/").body.contains("data-region=\"breaking\""));
    // An edit shows without restarting (no rebuild, no cache of the folder).
    std::fs::write(theme.path().join("static/style.css"), "body { color: blue }").expect("write");
    assert_eq!(server.get("/static/style.css").body, "body { color: blue }");
}

#[test]
fn a_template_error_is_reported_at_start_up_with_file_and_line() {
    let theme = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(theme.path().join("templates")).expect("mkdir");
    std::fs::write(theme.path().join("templates/article.html"), "{% extends \"base.html\" %}\n\n{% block content %}{{ x + }}{% endblock %}\n")
        .expect("write");
    let data = tempfile::tempdir().expect("tmp");
    let out = command()
        .args(["serve", "--listen", "127.0.0.1:0", "--theme"])
        .arg(theme.path())
        .arg("--data-dir")
        .arg(data.path())
        .current_dir(data.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.starts_with("error: "), "{stderr}");
    assert!(last.contains("article.html:3"), "file and line: {last}");
}

#[test]
fn exit_codes_follow_the_contract() {
    let data = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = command();
        cmd.args(args).current_dir(data.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run")
    };
    assert_eq!(run(&["--help"], &[]).status.code(), Some(0));
    assert_eq!(run(&["serve", "--no-such-flag"], &[]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], &[]).status.code(), Some(2));
    assert_eq!(run(&["serve", "--listen", "not-an-address"], &[]).status.code(), Some(2));
    let bad_offset = run(&["serve", "--hijri-offset", "5", "--listen", "127.0.0.1:0"], &[]);
    assert_eq!(bad_offset.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad_offset.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("Hijri offset 5"));
    let bad_locale = run(&["serve", "--locale", "!!", "--listen", "127.0.0.1:0"], &[("NASHIR_DATA_DIR", "d")]);
    assert_eq!(bad_locale.status.code(), Some(1));
    let bad_db = run(&["serve", "--database-url", "mysql://u:secret@h/db"], &[]);
    assert_eq!(bad_db.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&bad_db.stderr).contains("secret"), "no password in errors");
    std::fs::write(data.path().join("nashir.toml"), "no_such_key = 1\n").expect("write");
    let bad_file = run(&["serve", "--listen", "127.0.0.1:0"], &[]);
    assert_eq!(bad_file.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_file.stderr).contains("no_such_key"));
}

/// The README's first command is `cargo run --release -- serve --demo`: at the workspace root
/// that only works while the workspace builds exactly one binary (an extra tool belongs in
/// `examples/`).
#[test]
fn the_readme_run_command_has_exactly_one_binary_to_run() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let first_block = readme.split("```").nth(1).expect("a code block");
    assert!(first_block.contains("cargo run --release -- serve --demo"), "{first_block}");
    assert!(first_block.contains("scripts/test"), "{first_block}");
    let mut binaries = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).expect("crates") {
        let dir = entry.expect("entry").path();
        if dir.join("src/main.rs").exists() {
            binaries.push(dir.display().to_string());
        }
        if let Ok(bins) = std::fs::read_dir(dir.join("src/bin")) {
            binaries.extend(bins.flatten().map(|b| b.path().display().to_string()));
        }
    }
    assert_eq!(binaries.len(), 1, "{binaries:?}");
}
