//! Template rendering with the built-in theme: the home page (a lead, nine latest cards and
//! nine blocks of four), an article page with its regions and comments, and a list page —
//! contexts shaped like the ones nashir-web passes. Run: `cargo bench -p nashir-render`.
#![allow(clippy::unwrap_used)]

use nashir_render::{Renderer, SiteInfo};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

fn renderer() -> Renderer {
    let site = SiteInfo {
        name: "شبكة الرافد الإخبارية".into(),
        description: "أخبار العراق والعالم".into(),
        locale: "ar-IQ".into(),
        time_zone: "Asia/Baghdad".into(),
        hijri_offset_days: 0,
        public_url: "https://news.example".into(),
        publisher_name: "شبكة الرافد".into(),
        publisher_description: "شبكة إخبارية مستقلة".into(),
        publisher_url: String::new(),
    };
    Renderer::load(None, &site).unwrap()
}

const NOW: i64 = 1_795_980_600_000_000;

fn card(i: i64) -> Value {
    json!({
        "id": i,
        "url": format!("/news/{i}/%D8%AE%D8%A8%D8%B1-{i}"),
        "title": format!("وزير الخارجية يبحث مع نظيره التركي ملف المياه والحدود رقم {i}"),
        "excerpt": "بحث وزير الخارجية اليوم مع نظيره التركي في بغداد ملف المياه المشتركة وتأمين الحدود، وأكد الجانبان أهمية التنسيق في المرحلة المقبلة…",
        "published_at": NOW - i * 3_600_000_000,
        "category_name": "سياسة",
        "category_url": "/category/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/",
        "author_name": "سلمى",
        "author_url": "/author/salma/",
        "image": null,
    })
}

fn chrome() -> Value {
    let nav: Vec<Value> = (0..9).map(|i| json!({"name": format!("قسم {i}"), "url": format!("/category/c{i}/")})).collect();
    let breaking: Vec<Value> = (0..3).map(|i| json!({"text": format!("عاجل: خبر رقم {i}"), "url": null, "starts_at": NOW})).collect();
    json!({"nav": nav, "breaking": breaking})
}

#[divan::bench]
fn home(bencher: divan::Bencher) {
    let r = renderer();
    let blocks: Vec<Value> = (0..9).map(|b| json!({"name": format!("قسم {b}"), "url": format!("/category/c{b}/"), "cards": (0..4).map(|i| card(100 + b * 4 + i)).collect::<Vec<_>>()})).collect();
    let ctx = json!({"chrome": chrome(), "lead": card(1), "latest": (2..11).map(card).collect::<Vec<_>>(), "blocks": blocks});
    bencher.bench_local(|| r.render("home.html", &ctx).unwrap());
}

#[divan::bench]
fn article(bencher: divan::Bencher) {
    let r = renderer();
    let body: String = (0..12).map(|i| format!("<p>فقرة رقم {i} من نص الخبر، بما فيها من أسماء وأرقام ٢٠٢٦ وعلامات ترقيم، تمتد على سطرين أو ثلاثة في الصفحة.</p>")).collect();
    let comments: Vec<Value> = (0..8)
        .map(|i| json!({"id": i, "author_name": format!("قارئ {i}"), "author_url": null, "body": "تعليق على الخبر", "created_at": NOW, "replies": [{"id": 100 + i, "author_name": "رد", "author_url": null, "body": "رد على التعليق", "created_at": NOW, "replies": []}]}))
        .collect();
    let ctx = json!({
        "chrome": chrome(),
        "article": {"id": 1, "title": "وزير الخارجية يبحث ملف المياه", "slug": "x", "body_html": body, "excerpt": "ملخص", "state": "published", "author_id": 1, "primary_category_id": 1, "published_at": NOW, "modified_at": NOW, "updated_at": NOW, "version": 3, "featured_image": null},
        "url": "/news/1/x", "canonical": "https://news.example/news/1/x",
        "category_name": "سياسة", "category_url": "/category/s/",
        "breadcrumbs": [{"name": "الرئيسية", "url": "/"}, {"name": "سياسة", "url": "/category/s/"}],
        "author": {"name": "سلمى", "bio": "محررة", "url": "/author/salma/"},
        "tags": [{"name": "العراق", "url": "/tag/iraq/"}, {"name": "تركيا", "url": "/tag/turkey/"}],
        "check_also": card(2), "related": [card(3), card(4), card(5), card(6)], "comments": comments, "comment_count": 16,
    });
    bencher.bench_local(|| r.render("article.html", &ctx).unwrap());
}

#[divan::bench]
fn category_list(bencher: divan::Bencher) {
    let r = renderer();
    let ctx = json!({
        "chrome": chrome(), "kind": "category", "title": "سياسة", "description": "", "canonical": "https://news.example/category/s/",
        "breadcrumbs": [{"name": "الرئيسية", "url": "/"}], "subcategories": [],
        "cards": (0..10).map(card).collect::<Vec<_>>(),
        "paging": {"current": 2, "total_pages": 40, "prev_url": "/category/s/", "next_url": "/category/s/?page=3", "pages": (1..6).map(|n| json!({"number": n, "url": format!("/category/s/?page={n}"), "current": n == 2})).collect::<Vec<_>>()},
    });
    bencher.bench_local(|| r.render("list.html", &ctx).unwrap());
}
