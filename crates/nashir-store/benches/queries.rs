//! The store's hot queries on a SQLite site of 5,000 articles in 10 categories with tags:
//! an article page's three round trips, the home page's lists, a category page's count and
//! list, and summaries by id. Run: `cargo bench -p nashir-store`.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use nashir_core::{NewArticle, PublishState, Role};
use nashir_store::{ListFilter, ListRequest, NewCategory, NewPerson, Store};

fn main() {
    divan::main();
}

const ARTICLES: i64 = 5_000;
const CATEGORIES: i64 = 10;

struct Site {
    runtime: tokio::runtime::Runtime,
    store: Store,
    categories: Vec<i64>,
    _dir: tempfile::TempDir,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (store, categories) = runtime.block_on(async {
            let store = Store::connect(&nashir_store::sqlite_url_for_dir(dir.path())).await.unwrap();
            let now = nashir_store::now_micros();
            let author = store
                .create_person(&NewPerson { slug: "a".into(), name: "كاتب".into(), email: None, bio: String::new(), role: Role::Author }, now)
                .await
                .unwrap();
            let mut categories = Vec::new();
            for c in 0..CATEGORIES {
                categories.push(
                    store
                        .create_category(&NewCategory { parent_id: None, slug: format!("c{c}"), name: format!("قسم {c}"), description: String::new(), position: c }, now)
                        .await
                        .unwrap(),
                );
            }
            let mut tags = Vec::new();
            for t in 0..200 {
                tags.push(store.create_tag(&format!("t{t}"), &format!("وسم {t}"), now).await.unwrap());
            }
            for i in 0..ARTICLES {
                // Categories of very different sizes, as on a real site.
                let category = categories[((i * i) % 97 % CATEGORIES) as usize];
                let article = NewArticle {
                    title: format!("خبر رقم {i}"),
                    slug: format!("khabar-{i}"),
                    body_html: "<p>نص الخبر نص الخبر نص الخبر.</p>".repeat(20),
                    excerpt: "ملخص الخبر".into(),
                    featured_image: None,
                    state: PublishState::Published,
                    author_id: author,
                    primary_category_id: Some(category),
                    other_category_ids: vec![],
                    tag_ids: vec![tags[(i % 200) as usize], tags[((i * 7) % 200) as usize]],
                    published_at: Some(now - i * 60_000_000),
                    modified_at: None,
                    sticky: false,
                    comments_open: true,
                };
                store.create_article(&article, now).await.unwrap();
            }
            (store, categories)
        });
        Site { runtime, store, categories, _dir: dir }
    })
}

fn now() -> i64 {
    nashir_store::now_micros()
}

#[divan::bench]
fn article_with_byline(bencher: divan::Bencher) {
    let s = site();
    bencher.bench_local(|| s.runtime.block_on(s.store.article_with_byline(ARTICLES / 2, now())).unwrap());
}

#[divan::bench]
fn related_with_body(bencher: divan::Bencher) {
    let s = site();
    let page = s.runtime.block_on(s.store.article_with_byline(ARTICLES / 2, now())).unwrap().unwrap();
    let tags: Vec<i64> = page.tags.iter().map(|t| t.id).collect();
    bencher.bench_local(|| s.runtime.block_on(s.store.related_with_body(&page.article, &tags, now())).unwrap());
}

#[divan::bench]
fn approved_comments(bencher: divan::Bencher) {
    let s = site();
    bencher.bench_local(|| s.runtime.block_on(s.store.approved_comments(ARTICLES / 2)).unwrap());
}

#[divan::bench]
fn home_lists(bencher: divan::Bencher) {
    let s = site();
    let filters: Vec<ListFilter> = s.categories.iter().map(|c| ListFilter::Categories(vec![*c])).collect();
    let mut requests = vec![
        ListRequest { filter: &ListFilter::Sticky, limit: 1, offset: 0 },
        ListRequest { filter: &ListFilter::All, limit: 10, offset: 0 },
    ];
    requests.extend(filters.iter().map(|filter| ListRequest { filter, limit: 4, offset: 0 }));
    bencher.bench_local(|| s.runtime.block_on(s.store.published_ids(now(), &requests)).unwrap());
}

#[divan::bench(args = [1, 20, 200])]
fn category_page(bencher: divan::Bencher, page: u64) {
    let s = site();
    let filter = ListFilter::Categories(vec![s.categories[0]]);
    let request = [ListRequest { filter: &filter, limit: 10, offset: (page - 1) * 10 }];
    bencher.bench_local(|| s.runtime.block_on(s.store.published_ids(now(), &request)).unwrap());
}

#[divan::bench]
fn category_count(bencher: divan::Bencher) {
    let s = site();
    let filter = ListFilter::Categories(vec![s.categories[0]]);
    bencher.bench_local(|| s.runtime.block_on(s.store.count_published(now(), &filter)).unwrap());
}

#[divan::bench]
fn summaries_by_id(bencher: divan::Bencher) {
    let s = site();
    let ids: Vec<i64> = (1..=10).map(|i| i * 37).collect();
    bencher.bench_local(|| s.runtime.block_on(s.store.published_by_ids(&ids, now())).unwrap());
}
