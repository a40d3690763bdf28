//! The media library through the server: uploads (drawn photos carrying camera and GPS
//! EXIF, a rotated phone photo, HTML named `.jpg`), every stored file read back by an
//! independent EXIF reader, alt text enforced before publishing, the article page's
//! `<picture>`, social cards and feeds, deletion only when unused, and a restart finishing
//! a photo a dead worker left half done.

use std::time::{Duration, Instant};

use nashir_media::drawn::jpeg_with_gps;

use crate::newsroom::{PASSWORD, Session, add_user, create_article, location, login};
use crate::server::{Response, Server, sel};

fn site(extra: &[&str], env: &[(&str, &str)]) -> Server {
    let data = tempfile::tempdir().expect("tmp");
    assert!(add_user(data.path(), "editor@example.com", "محررة", "editor", PASSWORD).status.success());
    assert!(add_user(data.path(), "contrib@example.com", "مساهم", "contributor", PASSWORD).status.success());
    let mut args = vec!["--time-zone", "UTC"];
    args.extend(extra);
    Server::start(&args, env, Some(data))
}

/// A multipart upload as a browser sends it.
pub(crate) fn upload(s: &Session, file_name: &str, declared_type: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Response {
    upload_to(s, "/newsroom/media", file_name, declared_type, bytes, fields)
}

fn upload_to(s: &Session, path: &str, file_name: &str, declared_type: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Response {
    let boundary = "----nashir-test-boundary-7MA4YWxkTrZu0gW";
    let mut body: Vec<u8> = Vec::new();
    let mut all = fields.to_vec();
    all.push(("csrf_token", &s.csrf));
    for (k, v) in all {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {declared_type}\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let request = ureq::http::Request::builder()
        .method("POST")
        .uri(format!("{}{path}", s.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", &s.cookie)
        .body(body)
        .expect("request");
    let mut resp = agent.run(request).expect("upload");
    let status = resp.status().as_u16();
    let headers = resp.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Response { status, headers, body }
}

fn get_bytes(url: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut resp = agent.get(url).call().expect("get");
    let headers = resp.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    let status = resp.status().as_u16();
    let bytes = resp.body_mut().with_config().limit(100 * 1024 * 1024).read_to_vec().unwrap_or_default();
    (status, headers, bytes)
}

pub(crate) fn media_id(r: &Response) -> i64 {
    assert_eq!(r.status, 303, "upload: {}", r.body);
    location(r).trim_start_matches("/newsroom/media/").parse().expect("media id")
}

pub(crate) fn wait_ready(s: &Session, id: i64, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let status: serde_json::Value = serde_json::from_str(&s.get(&format!("/newsroom/media/{id}/status")).body).expect("status");
        if status["status"] == "ready" {
            assert_eq!(status["done"], status["total"]);
            return;
        }
        assert_ne!(status["status"], "failed", "{status}");
        assert!(Instant::now() < deadline, "photo {id} never got ready: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn exif_fields(bytes: &[u8]) -> Vec<String> {
    match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(e) => e.fields().map(|f| f.tag.to_string()).collect(),
        Err(_) => Vec::new(),
    }
}

pub(crate) fn file_links(s: &Session, id: i64) -> Vec<String> {
    let page = s.get(&format!("/newsroom/media/{id}"));
    page.html().select(&sel(".nr-files a")).filter_map(|a| a.value().attr("href").map(str::to_owned)).collect()
}

#[test]
fn uploaded_photos_lose_their_metadata_and_reach_the_article_page_feeds_and_cards() {
    let server = site(&[], &[]);
    let editor = login(&server, "editor@example.com");
    let original = jpeg_with_gps(1600, 1000, 1);
    assert!(exif_fields(&original).iter().any(|f| f == "GPSLatitude"), "the fixture carries GPS");
    let id = media_id(&upload(&editor, "بغداد.jpg", "image/jpeg", &original, &[("alt", ""), ("credit", "تصوير: ريم")]));
    wait_ready(&editor, id, 60);
    let files = file_links(&editor, id);
    // full + 320, 640, 960, 1280 in JPEG and in WebP.
    assert_eq!(files.len(), 10, "{files:?}");
    for f in &files {
        let (status, headers, bytes) = get_bytes(&format!("{}{f}", server.url));
        assert_eq!(status, 200, "{f}");
        let header = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone()).unwrap_or_default();
        assert!(header("cache-control").contains("immutable"), "{f}");
        assert!(exif_fields(&bytes).is_empty(), "{f} carries EXIF: {:?}", exif_fields(&bytes));
        assert!(!bytes.windows(9).any(|w| w == b"NashirCam"), "{f} carries the camera's name");
        let img = image::load_from_memory(&bytes).expect("decodes");
        assert!(img.width() <= 1600);
    }
    // The same file again is the same photo.
    assert_eq!(media_id(&upload(&editor, "again.jpg", "image/jpeg", &original, &[])), id);

    // An article with it as featured photo cannot be published without alt text.
    let article = create_article(&editor, "خبر بصورة", "save", &[]);
    let r = editor.post(&format!("/newsroom/articles/{article}/featured"), &[("media_id", &id.to_string())]);
    assert_eq!(r.status, 303);
    let version = {
        let page = editor.get(&format!("/newsroom/articles/{article}"));
        let html = page.html();
        html.select(&sel("input[name=version]")).next().and_then(|e| e.value().attr("value")).expect("version").to_owned()
    };
    let refused = editor.post(&format!("/newsroom/articles/{article}"), &[("title", "خبر بصورة"), ("body", "<p>نص</p>"), ("action", "publish"), ("version", &version)]);
    assert_eq!(refused.status, 422, "no alt text, no publication");
    assert!(refused.body.contains("نصاً بديلاً"), "the editor says why");
    let saved = editor.post(&format!("/newsroom/media/{id}"), &[("alt", "جسر فوق دجلة عند الغروب"), ("caption", "جسر الصالحية"), ("credit", "تصوير: ريم")]);
    assert_eq!(saved.status, 303);
    let published = editor.post(&format!("/newsroom/articles/{article}"), &[("title", "خبر بصورة"), ("body", "<p>نص</p>"), ("action", "publish"), ("version", &version)]);
    assert_eq!(published.status, 303, "{}", published.body);

    let page = server.get(&location(&server.get(&format!("/news/{article}"))));
    let html = page.html();
    let img = html.select(&sel(".article__image picture img")).next().expect("a picture");
    let attr = |n: &str| img.value().attr(n).unwrap_or("").to_owned();
    assert_eq!(attr("alt"), "جسر فوق دجلة عند الغروب");
    assert_eq!((attr("width"), attr("height")), ("1600".to_owned(), "1000".to_owned()));
    assert_eq!(attr("fetchpriority"), "high");
    assert!(attr("srcset").contains(" 320w") && attr("srcset").contains(" 1280w") && attr("srcset").contains(" 1600w"), "{}", attr("srcset"));
    assert!(!attr("sizes").is_empty());
    let source = html.select(&sel(".article__image picture source[type='image/webp']")).next().expect("WebP source");
    assert!(source.value().attr("srcset").is_some_and(|s| s.contains(".webp 640w")));
    let caption = html.select(&sel(".article__image figcaption")).next().map(crate::server::text).expect("figcaption");
    assert!(caption.contains("جسر الصالحية") && caption.contains("تصوير: ريم"));
    let og = html.select(&sel("meta[property='og:image']")).next().and_then(|m| m.value().attr("content").map(str::to_owned)).expect("og:image");
    assert!(og.starts_with(&server.url) && og.ends_with("/1280.jpg"), "{og}");
    let feed = server.get("/feed").body;
    assert!(feed.contains(&og) && feed.contains("type=\"image/jpeg\""), "the feed's enclosure is the 1280 px file");
    let home = server.get("/");
    assert!(home.body.contains("/320.webp 320w"), "cards use the small files");

    // Replacing the file: the photo keeps its texts and its use; the old files lead to the new.
    let old_full = files.iter().find(|f| f.ends_with("/640.webp")).expect("old 640 webp").clone();
    let replaced = upload_to(&editor, &format!("/newsroom/media/{id}/replace"), "new.jpg", "image/jpeg", &jpeg_with_gps(1400, 900, 1), &[]);
    assert_eq!(replaced.status, 303, "{}", replaced.body);
    wait_ready(&editor, id, 60);
    let moved = server.get(&old_full);
    assert_eq!(moved.status, 301, "the old file's URL");
    let target = location(&moved);
    assert!(target.ends_with("/640.webp") && target != old_full, "{target}");
    assert_eq!(get_bytes(&format!("{}{target}", server.url)).0, 200);
    assert!(editor.get(&format!("/newsroom/media/{id}")).body.contains("1400×900"));
    let page = server.get(&location(&server.get(&format!("/news/{article}"))));
    assert!(page.body.contains("width=\"1400\"") && page.body.contains("جسر فوق دجلة عند الغروب"), "the article shows the new file with the same alt text");

    // Deleting: refused while the article uses it.
    let r = editor.post(&format!("/newsroom/media/{id}/delete"), &[]);
    assert_eq!(r.status, 409);
    // Contributors use the library but do not manage it.
    let contributor = login(&server, "contrib@example.com");
    assert_eq!(contributor.get("/newsroom/media").status, 200);
    assert_eq!(contributor.post(&format!("/newsroom/media/{id}"), &[("alt", "تغيير")]).status, 403);
    assert_eq!(contributor.post(&format!("/newsroom/media/{id}/delete"), &[]).status, 403);
    // The library is searched by alt text and credit.
    assert!(editor.get("/newsroom/media?q=%D8%AF%D8%AC%D9%84%D8%A9").body.contains(&format!("data-media-id=\"{id}\"")));
    assert!(!editor.get("/newsroom/media?q=zzzz").body.contains(&format!("data-media-id=\"{id}\"")));
}

#[test]
fn what_is_not_a_photo_is_refused_in_arabic_and_a_rotated_one_stands_upright() {
    let server = site(&["--media-max-mb", "1"], &[]);
    let editor = login(&server, "editor@example.com");
    let fake = upload(&editor, "photo.jpg", "image/jpeg", b"<!doctype html><script>alert(1)</script>", &[("alt", "نص كتبته")]);
    assert_eq!(fake.status, 422);
    assert!(fake.body.contains("ليس صورة"), "{}", fake.body);
    assert!(fake.body.contains("value=\"نص كتبته\""), "what was typed is kept");
    let svg = upload(&editor, "logo.jpg", "image/jpeg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", &[]);
    assert_eq!(svg.status, 422);
    let big = upload(&editor, "big.png", "image/png", &vec![0u8; 1_200_000], &[]);
    assert_eq!(big.status, 422);
    assert!(big.body.contains("أكبر من الحد"), "{}", big.body);
    assert!(!editor.get("/newsroom/media").body.contains("data-media-id"), "nothing was added");
    // A phone photo stored sideways with "rotate 90°" in its EXIF.
    let id = media_id(&upload(&editor, "phone.jpg", "image/jpeg", &jpeg_with_gps(800, 400, 6), &[]));
    wait_ready(&editor, id, 60);
    assert!(editor.get(&format!("/newsroom/media/{id}")).body.contains("400×800"));
    let full = file_links(&editor, id).into_iter().find(|f| f.ends_with("/full.jpg")).expect("full");
    let (_, _, bytes) = get_bytes(&format!("{}{full}", server.url));
    let img = image::load_from_memory(&bytes).expect("jpeg").to_rgb8();
    assert_eq!((img.width(), img.height()), (400, 800));
    let corner = img.get_pixel(390, 10);
    assert!(corner[0] > 150 && corner[1] < 100, "the red corner is at the top right once upright: {corner:?}");
}

#[test]
fn a_restart_finishes_a_photo_a_dead_worker_left_unfinished() {
    let server = site(&[], &[("NASHIR_MEDIA_LEASE_SECONDS", "2")]);
    let editor = login(&server, "editor@example.com");
    let id = media_id(&upload(&editor, "large.jpg", "image/jpeg", &jpeg_with_gps(3000, 2000, 1), &[]));
    // Stop the server at once (the worker is mid-way or has not started).
    let data = server.stop();
    let server = Server::start(&["--time-zone", "UTC"], &[("NASHIR_MEDIA_LEASE_SECONDS", "2")], Some(data));
    let editor = login(&server, "editor@example.com");
    wait_ready(&editor, id, 90);
    assert_eq!(file_links(&editor, id).len(), 12, "full + five widths, twice");
}

/// A WordPress export whose post has a featured photo and an image in its body, both in the
/// uploads folder the test writes (with a PDF beside them).
const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>موقع</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_email><![CDATA[w@old.example]]></wp:author_email><wp:author_display_name><![CDATA[كاتب]]></wp:author_display_name></wp:author>
<item><title>صورة الجسر</title><excerpt:encoded><![CDATA[جسر الصالحية مساءً — تصوير: علي]]></excerpt:encoded><wp:post_id>50</wp:post_id><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status><wp:post_date_gmt><![CDATA[2024-05-01 09:00:00]]></wp:post_date_gmt><wp:attachment_url><![CDATA[https://old.example/wp-content/uploads/2024/05/bridge.jpg]]></wp:attachment_url>
<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[جسر فوق النهر]]></wp:meta_value></wp:postmeta></item>
<item><title>خبر بصورة مستوردة</title><link>https://old.example/?p=10</link><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[<p>نص <img src="https://old.example/wp-content/uploads/2024/05/bridge.jpg" alt="الجسر"> <a href="https://old.example/wp-content/uploads/2024/05/report.pdf">التقرير</a></p>]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_date_gmt><![CDATA[2024-05-02 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[imported-photo]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[50]]></wp:meta_value></wp:postmeta>
</item>
</channel></rss>"#;

#[test]
fn imported_uploads_become_library_photos_without_metadata_and_old_urls_lead_to_them() {
    let data = tempfile::tempdir().expect("tmp");
    let old = tempfile::tempdir().expect("uploads");
    std::fs::create_dir_all(old.path().join("2024/05")).expect("mkdir");
    std::fs::write(old.path().join("2024/05/bridge.jpg"), jpeg_with_gps(1100, 700, 1)).expect("photo");
    std::fs::write(old.path().join("2024/05/report.pdf"), b"%PDF-1.4 a report").expect("pdf");
    let export = data.path().join("export.xml");
    std::fs::write(&export, WXR).expect("wxr");
    let import = || {
        let out = crate::server::command()
            .args(["import", "wordpress"])
            .arg(&export)
            .arg("--uploads")
            .arg(old.path())
            .arg("--data-dir")
            .arg(data.path())
            .output()
            .expect("import");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = import();
    assert!(first.contains("media library: 1 photos added (0 already there), 1 featured images"), "{first}");
    assert!(!data.path().join("uploads/2024/05/bridge.jpg").exists(), "the copied original held its GPS: it is gone");
    let again = import();
    assert!(again.contains("media library: 0 photos added (1 already there)"), "re-running duplicates nothing: {again}");
    assert!(add_user(data.path(), "editor@example.com", "محررة", "editor", PASSWORD).status.success());
    let server = Server::start(&["--time-zone", "UTC"], &[], Some(data));
    let editor = login(&server, "editor@example.com");
    let library = editor.get("/newsroom/media").body;
    let id: i64 = library.split("data-media-id=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).expect("a photo");
    assert_eq!(library.matches("data-media-id=").count(), 1);
    wait_ready(&editor, id, 60);
    let item = editor.get(&format!("/newsroom/media/{id}")).body;
    assert!(item.contains("value=\"جسر فوق النهر\"") && item.contains("جسر الصالحية مساءً") && item.contains("value=\"صورة الجسر\""), "alt text, caption and title from the export");
    // The old URL and the body's URL lead to the new file, which has no metadata.
    for old_url in ["/wp-content/uploads/2024/05/bridge.jpg", "/uploads/2024/05/bridge.jpg"] {
        let r = server.get(old_url);
        assert_eq!(r.status, 301, "{old_url}");
        let target = location(&r);
        assert!(target.starts_with("/media/") && target.ends_with("/full.jpg"), "{target}");
        let (status, _, bytes) = get_bytes(&format!("{}{target}", server.url));
        assert_eq!(status, 200);
        assert!(exif_fields(&bytes).is_empty());
    }
    let article = server.get(&location(&server.get("/?p=10")));
    assert_eq!(article.status, 200);
    let page = article.body;
    assert!(page.contains("<picture>") && page.contains(".webp 640w"), "the featured photo is the library's");
}

#[test]
fn demo_photos_are_drawn_with_gps_and_served_without_it() {
    let server = Server::start(&["--demo"], &[("NASHIR_DEMO_PHOTOS", "1")], None);
    // Two articles in three get a photo; the workers make their files after start-up.
    let deadline = Instant::now() + Duration::from_secs(90);
    let home = loop {
        let home = server.get("/");
        if home.body.matches("<picture>").count() >= 3 || Instant::now() > deadline {
            break home;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let html = home.html();
    let srcs: Vec<String> = html.select(&sel("picture img")).filter_map(|i| i.value().attr("src").map(str::to_owned)).collect();
    assert!(srcs.len() >= 3, "demo photos on the home page: {srcs:?}");
    for src in srcs.iter().take(3) {
        let (status, _, bytes) = get_bytes(&format!("{}{src}", server.url));
        assert_eq!(status, 200);
        assert!(exif_fields(&bytes).is_empty(), "{src} has no EXIF");
    }
    let incoming = server.data_path().join("media/incoming");
    let left: Vec<_> = std::fs::read_dir(&incoming).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(left.len() < 32, "the originals with GPS go once their files are made");
}

/// The shared theme test data (WordPress.com file URLs, `https://…files.wordpress.com/2008/06/…`)
/// with an uploads folder the test draws: every image attachment becomes a library photo,
/// featured images adopt theirs, and no copied original stays.
#[test]
fn the_theme_test_data_brings_its_photos_into_the_library() {
    let Some(export) = crate::server::shared("wordpress/theme-test-data/themeunittestdata.wordpress.xml") else { return };
    let text = std::fs::read_to_string(&export).expect("export");
    let uploads = tempfile::tempdir().expect("uploads");
    let mut images = std::collections::BTreeSet::new();
    for url in text.split("<wp:attachment_url>").skip(1).filter_map(|s| s.split("</wp:attachment_url>").next()) {
        let url = url.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>");
        let Some(rel) = url.split(".files.wordpress.com/").nth(1) else { continue };
        let path = uploads.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        let lower = rel.to_ascii_lowercase();
        let seed = u32::try_from(images.len()).unwrap_or(0) + 1;
        if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
            std::fs::write(&path, nashir_media::drawn::scene_jpeg_with_gps(480, 320, seed)).expect("jpeg");
            images.insert(rel.to_owned());
        } else if lower.ends_with(".png") || lower.ends_with(".gif") {
            let img = image::DynamicImage::ImageRgb8(nashir_media::drawn::scene(400, 300, seed));
            let format = if lower.ends_with(".png") { image::ImageFormat::Png } else { image::ImageFormat::Gif };
            img.save_with_format(&path, format).expect("image");
            images.insert(rel.to_owned());
        } else {
            std::fs::write(&path, b"not a photo").expect("file");
        }
    }
    assert!(images.len() >= 20, "the export's images: {}", images.len());
    let data = tempfile::tempdir().expect("tmp");
    let out = crate::server::command()
        .args(["import", "wordpress"])
        .arg(&export)
        .arg("--uploads")
        .arg(uploads.path())
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stdout).into_owned();
    let added: u64 = summary
        .split("media library: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert_eq!(added, images.len() as u64, "every image attachment is a library photo: {summary}");
    assert!(summary.contains("featured images"), "{summary}");
    for rel in &images {
        assert!(!data.path().join("uploads").join(rel).exists(), "{rel}: the copied original is gone");
    }
    let server = Server::start(&["--time-zone", "UTC"], &[], Some(data));
    for rel in images.iter().take(3) {
        let r = server.get(&format!("/uploads/{rel}"));
        assert_eq!(r.status, 301, "{rel}");
        assert!(location(&r).starts_with("/media/"));
    }
}

/// `s3s-fs` (crates.io), an S3 server keeping its buckets in a folder: a real S3 endpoint
/// (signed requests, multipart, listing) on loopback. `scripts/test` installs it.
struct S3Server {
    child: std::process::Child,
    root: tempfile::TempDir,
    endpoint: String,
}

impl S3Server {
    fn start() -> Option<S3Server> {
        if std::env::var("NASHIR_TEST_S3").as_deref() == Ok("off") {
            eprintln!("NASHIR_TEST_S3=off: skipping the S3-compatible storage test");
            return None;
        }
        let root = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(root.path().join("photos")).expect("bucket");
        // Its own loopback address: a port picked here cannot be taken meanwhile by one of
        // the other tests' servers, which all listen on 127.0.0.1.
        const HOST: &str = "127.0.0.3";
        let port = std::net::TcpListener::bind((HOST, 0)).expect("port").local_addr().expect("addr").port();
        let binary = std::env::var("NASHIR_S3S_FS").unwrap_or_else(|_| "s3s-fs".into());
        let child = std::process::Command::new(&binary)
            .args(["--host", HOST, "--port", &port.to_string(), "--access-key", "nashir-test", "--secret-key", "nashir-test-secret"])
            .arg(root.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{binary}: {e} (scripts/test installs it: cargo install s3s-fs --features binary)"));
        let mut server = S3Server { child, root, endpoint: format!("http://{HOST}:{port}") };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect((HOST, port)).is_err() {
            assert!(server.child.try_wait().expect("s3s-fs").is_none(), "s3s-fs exited");
            assert!(Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "nashir-test"),
            ("AWS_SECRET_ACCESS_KEY", "nashir-test-secret"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT", self.endpoint.as_str()),
            ("AWS_ALLOW_HTTP", "true"),
        ]
    }

    /// Every object below `prefix/` in the bucket, as paths.
    fn objects(&self, prefix: &str) -> Vec<String> {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else if let Ok(rel) = p.strip_prefix(base) {
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::new();
        let base = self.root.path().join("photos");
        walk(&base.join(prefix), &base, &mut out);
        out.retain(|p| !p.contains(".s3s-fs") && !p.ends_with(".json"));
        out.sort();
        out
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn photos_live_in_an_s3_compatible_bucket_when_configured() {
    let Some(s3) = S3Server::start() else { return };
    let env = s3.env();
    let server = site(&["--media-store", "s3://photos/site-a"], &env);
    let editor = login(&server, "editor@example.com");
    let original = jpeg_with_gps(1400, 900, 3);
    let id = media_id(&upload(&editor, "مرفأ.jpg", "image/jpeg", &original, &[("alt", "مرفأ عند الفجر")]));
    wait_ready(&editor, id, 60);
    // The files are objects of the bucket, below the prefix; the incoming original goes
    // right after the photo is ready.
    let deadline = Instant::now() + Duration::from_secs(10);
    while s3.objects("site-a").iter().any(|o| o.contains("incoming")) {
        assert!(Instant::now() < deadline, "the incoming original stays: {:?}", s3.objects("site-a"));
        std::thread::sleep(Duration::from_millis(50));
    }
    let objects = s3.objects("site-a");
    assert!(objects.iter().any(|o| o.ends_with("/full.jpg")) && objects.iter().any(|o| o.ends_with("/640.webp")), "{objects:?}");
    assert_eq!(objects.len(), 10, "full and four widths, JPEG and WebP: {objects:?}");
    // Served from the bucket, without metadata; nothing was written to the local folder.
    for f in file_links(&editor, id) {
        let (status, _, bytes) = get_bytes(&format!("{}{f}", server.url));
        assert_eq!(status, 200, "{f}");
        assert!(exif_fields(&bytes).is_empty());
    }
    let local = server.data_path().join("media");
    assert!(std::fs::read_dir(&local).map_or(0, Iterator::count) == 0, "the local folder stays empty");
    // Deleting the unused photo deletes its objects.
    assert_eq!(editor.post(&format!("/newsroom/media/{id}/delete"), &[]).status, 303);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !s3.objects("site-a").is_empty() {
        assert!(Instant::now() < deadline, "objects left: {:?}", s3.objects("site-a"));
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_media_store_that_is_not_s3_is_refused_at_start() {
    let data = tempfile::tempdir().expect("tmp");
    let out = crate::server::command()
        .args(["serve", "--listen", "127.0.0.1:0", "--media-store", "ftp://photos", "--data-dir"])
        .arg(data.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected s3://BUCKET[/PREFIX]"));
}
