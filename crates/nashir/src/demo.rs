//! Demo content for `nashir serve --demo`: an invented Arabic news network written for this
//! project (`demo/demo.toml`), dated relative to the moment it is loaded so the site always
//! looks current. Everything goes through the store, outbox events included.

use std::collections::HashMap;
use std::fmt;

use anyhow::{Context, anyhow};
use nashir_core::{CommentStatus, PublishState, Role, escape_html};
use nashir_store::{NewArticle, NewBreakingItem, NewCategory, NewComment, NewPerson, Store};
use serde::Deserialize;

const DEMO: &str = include_str!("../demo/demo.toml");
const HOUR: i64 = 3_600_000_000;

/// How long after loading the "expiring" breaking item lives (seconds); tests shorten it.
const EXPIRY_ENV: &str = "NASHIR_DEMO_EXPIRY_SECONDS";
const DEFAULT_EXPIRY_SECS: i64 = 600;
/// `0` leaves the demo's photos out (tests that need a page cache undisturbed by the workers
/// finishing them right after start-up).
const PHOTOS_ENV: &str = "NASHIR_DEMO_PHOTOS";

#[derive(Deserialize)]
struct Demo {
    publisher: Publisher,
    authors: Vec<Author>,
    categories: Vec<DemoCategory>,
    tags: Vec<DemoTag>,
    articles: Vec<DemoArticle>,
    breaking: Vec<DemoBreaking>,
    comments: Vec<DemoComment>,
}

#[derive(Deserialize)]
struct Publisher {
    name: String,
    description: String,
    url: String,
}

#[derive(Deserialize)]
struct Author {
    slug: String,
    name: String,
    bio: String,
    email: String,
}

#[derive(Deserialize)]
struct DemoCategory {
    slug: String,
    name: String,
    parent: String,
    description: String,
}

#[derive(Deserialize)]
struct DemoTag {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct DemoArticle {
    key: String,
    title: String,
    category: String,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    author: String,
    hours_ago: i64,
    updated_hours_after: Option<i64>,
    excerpt: Option<String>,
    body: String,
}

#[derive(Deserialize)]
struct DemoBreaking {
    text: String,
    article: Option<String>,
    starts_hours_ago: i64,
    expires_in_hours: i64,
    position: i64,
    #[serde(default)]
    expires_soon: bool,
}

#[derive(Deserialize)]
struct DemoComment {
    article: String,
    key: String,
    parent: Option<String>,
    author_name: String,
    email: String,
    website: Option<String>,
    body: String,
    status: String,
    hours_ago: i64,
}

/// Demo photos are small: start-up stays quick, and each makes six files.
const DEMO_PHOTO_WIDTH: u32 = 720;
const DEMO_PHOTO_HEIGHT: u32 = 405;

/// What was loaded, for the log.
pub struct Summary {
    articles: usize,
    categories: usize,
    comments: usize,
    breaking: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} articles, {} categories, {} comments, {} breaking items",
            self.articles, self.categories, self.comments, self.breaking
        )
    }
}

pub async fn load(store: &Store, library: Option<&nashir_web::MediaStore>) -> anyhow::Result<Summary> {
    let demo: Demo = toml::from_str(DEMO).context("parsing the built-in demo content")?;
    let now = nashir_store::now_micros();

    for (key, value) in [
        ("site_name", demo.publisher.name.as_str()),
        ("site_description", demo.publisher.description.as_str()),
        ("publisher_name", demo.publisher.name.as_str()),
        ("publisher_description", demo.publisher.description.as_str()),
        ("publisher_url", demo.publisher.url.as_str()),
        ("locale", "ar-IQ"),
        ("time_zone", "Asia/Baghdad"),
    ] {
        store.set_meta(key, value).await?;
    }

    let mut people = HashMap::new();
    for a in &demo.authors {
        let person = NewPerson {
            slug: a.slug.clone(),
            name: a.name.clone(),
            email: Some(a.email.clone()),
            bio: a.bio.clone(),
            role: Role::Author,
        };
        people.insert(a.slug.as_str(), store.create_person(&person, now).await?);
    }

    // Parents come first in the file; a child names its parent by slug.
    let mut categories = HashMap::new();
    for (position, c) in demo.categories.iter().enumerate() {
        let parent_id = if c.parent.is_empty() {
            None
        } else {
            Some(*categories.get(c.parent.as_str()).ok_or_else(|| anyhow!("unknown parent category {}", c.parent))?)
        };
        let category = NewCategory {
            parent_id,
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            position: i64::try_from(position)?,
        };
        categories.insert(c.slug.as_str(), store.create_category(&category, now).await?);
    }

    let mut tags = HashMap::new();
    for t in &demo.tags {
        tags.insert(t.slug.as_str(), store.create_tag(&t.slug, &t.name, now).await?);
    }

    let lookup = |map: &HashMap<&str, i64>, key: &str, what: &str| {
        map.get(key).copied().ok_or_else(|| anyhow!("demo content names an unknown {what} `{key}`"))
    };

    // Oldest first, so ids grow with publication time as they would in a newsroom.
    let mut ordered: Vec<&DemoArticle> = demo.articles.iter().collect();
    ordered.sort_by_key(|a| std::cmp::Reverse(a.hours_ago));
    let mut articles = HashMap::new();
    for a in ordered {
        let published_at = now - a.hours_ago * HOUR;
        let body_html = body_to_html(&a.body);
        let excerpt = match &a.excerpt {
            Some(e) => e.clone(),
            None => nashir_arabic::excerpt(&nashir_arabic::strip_html(&body_html), 200),
        };
        let article = NewArticle {
            title: a.title.clone(),
            slug: nashir_arabic::slugify(&a.title),
            body_html,
            excerpt,
            featured_image: None,
            state: PublishState::Published,
            author_id: lookup(&people, &a.author, "author")?,
            primary_category_id: Some(lookup(&categories, &a.category, "category")?),
            other_category_ids: a.also.iter().map(|c| lookup(&categories, c, "category")).collect::<Result<_, _>>()?,
            tag_ids: a.tags.iter().map(|t| lookup(&tags, t, "tag")).collect::<Result<_, _>>()?,
            published_at: Some(published_at),
            modified_at: a.updated_hours_after.map(|h| published_at + h * HOUR),
            sticky: false,
            comments_open: true,
        };
        articles.insert(a.key.as_str(), store.create_article(&article, now).await?);
    }

    // Photos the demo draws itself, on two articles in three, carrying a phone's EXIF (camera
    // and GPS) so the library's stripping shows: the workers make their files at start-up.
    let photos = std::env::var(PHOTOS_ENV).map_or(true, |v| v != "0");
    if let Some(library) = library.filter(|_| photos) {
        for (i, a) in demo.articles.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
            let Some(&article_id) = articles.get(a.key.as_str()) else { continue };
            let seed = u32::try_from(i).unwrap_or(0) + 1;
            let bytes = nashir_media::drawn::scene_jpeg_with_gps(DEMO_PHOTO_WIDTH, DEMO_PHOTO_HEIGHT, seed);
            let hash = nashir_media::content_hash(&bytes);
            let size = i64::try_from(bytes.len()).unwrap_or(0);
            library.keep_incoming(&hash, bytes).await.context("keeping a demo photo")?;
            let photo = nashir_store::NewMedia {
                hash,
                format: nashir_media::Format::Jpeg.name().into(),
                original_name: format!("{}.jpg", a.key),
                width: i64::from(DEMO_PHOTO_WIDTH),
                height: i64::from(DEMO_PHOTO_HEIGHT),
                bytes: size,
                title: a.title.clone(),
                alt: format!("صورة توضيحية مرسومة لخبر: {}", a.title),
                caption: String::new(),
                credit: "رسم: ناشر (صورة تجريبية)".into(),
                variants_total: i64::try_from(nashir_media::plan_len(nashir_media::Format::Jpeg, DEMO_PHOTO_WIDTH)).unwrap_or(0),
                uploaded_by: None,
            };
            let (media_id, _) = store.add_media(&photo, now).await?;
            store.set_featured_media(article_id, Some(media_id), now).await?;
        }
    }

    // Counted from now: drawing the photos took a moment.
    let now = nashir_store::now_micros();
    let expiry_secs = std::env::var(EXPIRY_ENV).ok().and_then(|v| v.parse::<i64>().ok()).unwrap_or(DEFAULT_EXPIRY_SECS);
    for b in &demo.breaking {
        let expires_at = if b.expires_soon { now + expiry_secs * 1_000_000 } else { now + b.expires_in_hours * HOUR };
        let item = NewBreakingItem {
            text: b.text.clone(),
            article_id: b.article.as_deref().map(|k| lookup(&articles, k, "article")).transpose()?,
            starts_at: now - b.starts_hours_ago * HOUR,
            expires_at,
            position: b.position,
        };
        store.create_breaking_item(&item, now).await?;
    }

    let mut comments = HashMap::new();
    for c in &demo.comments {
        let comment = NewComment {
            article_id: lookup(&articles, &c.article, "article")?,
            parent_id: c.parent.as_deref().map(|k| lookup(&comments, k, "comment")).transpose()?,
            author_name: c.author_name.clone(),
            author_email: c.email.clone(),
            author_url: c.website.clone(),
            body: c.body.clone(),
            status: c.status.parse::<CommentStatus>()?,
            created_at: now - c.hours_ago * HOUR,
            author_ip: None,
            staff_id: None,
        };
        comments.insert(c.key.as_str(), store.create_comment(&comment, now).await?);
    }
    store.set_meta("demo_loaded_at", &now.to_string()).await?;

    Ok(Summary {
        articles: articles.len(),
        categories: categories.len(),
        comments: comments.len(),
        breaking: demo.breaking.len(),
    })
}

/// Demo bodies are plain paragraphs separated by blank lines; `> ` marks a quotation and
/// `## ` a subheading.
fn body_to_html(body: &str) -> String {
    let mut html = String::new();
    for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if let Some(q) = block.strip_prefix("> ") {
            html.push_str(&format!("<blockquote><p>{}</p></blockquote>\n", escape_html(q)));
        } else if let Some(h) = block.strip_prefix("## ") {
            html.push_str(&format!("<h2>{}</h2>\n", escape_html(h)));
        } else {
            html.push_str(&format!("<p>{}</p>\n", escape_html(block)));
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_become_escaped_paragraphs_quotes_and_headings() {
        let html = body_to_html("أولاً <b>\n\n> «قول»\n\n## عنوان");
        assert_eq!(
            html,
            "<p>أولاً &lt;b&gt;</p>\n<blockquote><p>«قول»</p></blockquote>\n<h2>عنوان</h2>\n"
        );
    }

    #[test]
    fn the_demo_file_parses_and_is_big_enough() {
        let demo: Demo = toml::from_str(DEMO).expect("demo.toml parses");
        assert!(demo.articles.len() >= 40);
        assert_eq!(demo.authors.len(), 3);
        assert!(demo.comments.iter().filter(|c| c.status == "pending").count() == 1);
        assert!(demo.breaking.iter().any(|b| b.expires_soon));
        assert!(demo.articles.iter().filter(|a| a.hours_ago < 48).count() >= 5);
    }
}
