//! `nashir import wordpress` and `nashir import jsonl`: bring an archive into Nashir. The
//! parsing half is `nashir-import`; this module writes through the store, one record per
//! transaction keyed on its source (re-runs update, a killed run can be re-run), copies
//! uploads, and prints a progress bar and a summary.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nashir_core::{CommentStatus, PublishState, is_reserved_slug};
use nashir_import::{
    CommentImportStatus, Item, ItemKind, JsonlOptions, JsonlReader, WxrOptions, WxrReader, WxrRecord, validate_wxr,
};
use nashir_store::{ImportedPage, NewArticle, NewComment, Store, Upserted};

use crate::config::{FileConfig, StoreArgs};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a WordPress export (WXR 1.0, 1.1 or 1.2)
    Wordpress(WordpressArgs),
    /// Import JSON Lines: one article a line ({id, title, body, category, date, author, url, …})
    Jsonl(JsonlArgs),
}

#[derive(Args)]
pub struct WordpressArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The export file (Tools → Export in WordPress)
    export: PathBuf,
    /// The site's wp-content/uploads folder: images are copied and their URLs rewritten
    #[arg(long, value_name = "DIR")]
    uploads: Option<PathBuf>,
    /// Time zone of dates without a GMT twin [default: the site's]
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,
    /// Read and convert everything, write nothing
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
pub struct JsonlArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The JSON Lines file
    file: PathBuf,
    /// Time zone of dates without an offset [default: the site's]
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,
    /// Read everything, write nothing
    #[arg(long)]
    dry_run: bool,
}

pub async fn run(command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Wordpress(args) => wordpress(args).await,
        ImportCommand::Jsonl(args) => jsonl(args).await,
    }
}

/// Counts for the summary.
#[derive(Default)]
struct Tally {
    created: BTreeMap<&'static str, u64>,
    updated: BTreeMap<&'static str, u64>,
    skipped: BTreeMap<String, u64>,
    shortcodes: BTreeMap<String, usize>,
    external_images: Vec<String>,
    copied_files: u64,
}

impl Tally {
    fn count(&mut self, what: &'static str, outcome: Upserted) {
        let map = match outcome {
            Upserted::Created(_) => &mut self.created,
            Upserted::Updated(_) => &mut self.updated,
        };
        *map.entry(what).or_default() += 1;
    }
    fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }
    fn print(&self, dry_run: bool, seconds: f64) {
        let verb = if dry_run { "Would import" } else { "Imported" };
        let list = |m: &BTreeMap<&'static str, u64>| {
            if m.is_empty() { "nothing".to_owned() } else { m.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ") }
        };
        println!("{verb} in {seconds:.1} s.");
        println!("  created: {}", list(&self.created));
        println!("  updated: {}", list(&self.updated));
        if !self.skipped.is_empty() {
            println!("  skipped: {}", self.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "));
        }
        if !self.shortcodes.is_empty() {
            println!(
                "  shortcodes removed: {}",
                self.shortcodes.iter().map(|(k, v)| format!("[{k}] ×{v}")).collect::<Vec<_>>().join(", ")
            );
        }
        if self.copied_files > 0 {
            println!("  files copied from --uploads: {}", self.copied_files);
        }
        if !self.external_images.is_empty() {
            println!("  images kept as absolute URLs ({}; give --uploads to copy them):", self.external_images.len());
            for url in self.external_images.iter().take(20) {
                println!("    {url}");
            }
            if self.external_images.len() > 20 {
                println!("    … and {} more", self.external_images.len() - 20);
            }
        }
    }
}

fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let template = format!("{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}} ({{per_sec}}, eta {{eta}}) {{msg}}");
    bar.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar
}

/// The zone for dates without an offset: the flag, else the site's configured zone.
async fn time_zone(flag: Option<&str>, store: &StoreArgs, db: Option<&Store>, fallback: Option<jiff::tz::TimeZone>) -> anyhow::Result<jiff::tz::TimeZone> {
    let lookup = |name: &str| {
        jiff::tz::TimeZone::get(name)
            .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(name))
            .with_context(|| format!("unknown time zone `{name}`"))
    };
    if let Some(name) = flag {
        return lookup(name);
    }
    if let Some(name) = FileConfig::load(store.config.as_deref())?.time_zone.or_else(|| std::env::var("NASHIR_TIME_ZONE").ok()) {
        return lookup(&name);
    }
    if let Some(db) = db
        && let Some(name) = db.meta("time_zone").await?
    {
        return lookup(&name);
    }
    Ok(fallback.unwrap_or(jiff::tz::TimeZone::UTC))
}

async fn open_store(args: &StoreArgs) -> anyhow::Result<Store> {
    let (data_dir, url) = args.database_url()?;
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
    }
    Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))
}

/// Category and tag slugs `feed`, `page` and `amp` are reserved in Nashir's URLs.
fn term_slug(slug: &str) -> String {
    if slug.is_empty() {
        "term".to_owned()
    } else if is_reserved_slug(slug) {
        format!("{slug}-1")
    } else {
        slug.to_owned()
    }
}

/// Copies uploaded files the content points at and rewrites their URLs to `/uploads/…`.
struct Uploads {
    from: Option<PathBuf>,
    to: PathBuf,
}

impl Uploads {
    /// The part of a WordPress upload URL below `uploads/`.
    fn relative(url: &str) -> Option<String> {
        let at = url.find("/uploads/")?;
        let rest = url[at + "/uploads/".len()..].split(['?', '#']).next()?;
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy().into_owned();
        (!decoded.split('/').any(|s| s == ".." || s.is_empty())).then_some(decoded)
    }

    /// Returns the new URL when the file was found and copied.
    fn copy(&self, url: &str, dry_run: bool, tally: &mut Tally) -> Option<String> {
        let from = self.from.as_ref()?;
        let rel = Self::relative(url)?;
        let source = from.join(&rel);
        if !source.is_file() {
            return None;
        }
        if !dry_run {
            let target = self.to.join(&rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).ok()?;
            }
            if !target.exists() {
                std::fs::copy(&source, &target).ok()?;
                tally.copied_files += 1;
            }
        }
        let encoded: Vec<String> = rel.split('/').map(|s| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()).collect();
        Some(format!("/uploads/{}", encoded.join("/")))
    }
}

async fn wordpress(args: WordpressArgs) -> anyhow::Result<()> {
    // A malformed or unsupported export is refused before anything is written.
    // The error names the file, line and column itself.
    let summary = validate_wxr(&args.export)?;
    let store = open_store(&args.store).await?;
    let tz = time_zone(args.timezone.as_deref(), &args.store, Some(&store), summary.site_time_zone()).await?;
    let (data_dir, _) = args.store.database_url()?;
    let uploads = Uploads { from: args.uploads.clone(), to: data_dir.join("uploads") };
    if let Some(dir) = &args.uploads
        && !dir.is_dir()
    {
        bail!("uploads folder {} does not exist", dir.display());
    }
    let started = std::time::Instant::now();
    let progress = bar(summary.items(), "importing");
    let reader = WxrReader::open(&args.export, WxrOptions { time_zone: tz })?;
    let now = nashir_store::now_micros();
    let mut tally = Tally::default();
    let mut source = summary.site_key.clone();
    let mut people: HashMap<String, i64> = HashMap::new();
    let mut categories: HashMap<String, i64> = HashMap::new();
    let mut tags: HashMap<String, i64> = HashMap::new();
    let mut attachments: HashMap<i64, String> = HashMap::new();
    let mut thumbnails: Vec<(i64, i64)> = Vec::new();
    let mut pages: Vec<Item> = Vec::new();
    let dry = args.dry_run;
    for record in reader {
        let record = record?;
        match record {
            WxrRecord::Site(site) => source = site.site_key,
            WxrRecord::Author(a) => {
                let name = if a.display_name.trim().is_empty() { a.login.clone() } else { a.display_name.clone() };
                let slug = match nashir_arabic::slugify(&a.login) {
                    s if s.is_empty() => "author".to_owned(),
                    s => s,
                };
                let email = Some(a.email.as_str()).filter(|e| e.contains('@'));
                if dry {
                    people.insert(a.login.clone(), 0);
                    tally.count("authors", Upserted::Created(0));
                    continue;
                }
                let outcome = store.import_person(&source, &a.login, &slug, &name, email, Some(&a.old_path), now).await?;
                tally.count("authors", outcome);
                people.insert(a.login, outcome.id());
            }
            WxrRecord::Category(c) => {
                let parent = c.parent.as_ref().and_then(|p| categories.get(p)).copied();
                if dry {
                    categories.insert(c.nicename, 0);
                    tally.count("categories", Upserted::Created(0));
                    continue;
                }
                let outcome = store
                    .import_category(&source, &c.nicename, parent, &term_slug(&c.slug), &c.name, &c.description, Some(&c.old_path), now)
                    .await?;
                tally.count("categories", outcome);
                categories.insert(c.nicename, outcome.id());
            }
            WxrRecord::Tag(t) => {
                if dry {
                    tags.insert(t.nicename, 0);
                    tally.count("tags", Upserted::Created(0));
                    continue;
                }
                let outcome = store.import_tag(&term_slug(&t.slug), &t.name, Some(&t.old_path), now).await?;
                tally.count("tags", outcome);
                tags.insert(t.nicename, outcome.id());
            }
            WxrRecord::Item(item) => {
                progress.inc(1);
                let item = *item;
                for (name, n) in &item.conversion.shortcodes_removed {
                    *tally.shortcodes.entry(name.clone()).or_default() += n;
                }
                match &item.kind {
                    ItemKind::Post => {
                        let id = import_post(&store, &source, &item, &people, &categories, &tags, &uploads, dry, &mut tally, now).await?;
                        if let (Some(id), Some(thumb)) = (id, item.thumbnail_id) {
                            thumbnails.push((id, thumb));
                        }
                    }
                    ItemKind::Page => {
                        skip_comments(&item, &mut tally);
                        pages.push(item)
                    }
                    ItemKind::Attachment => {
                        skip_comments(&item, &mut tally);
                        if let Some(url) = &item.attachment_url {
                            let local = uploads.copy(url, dry, &mut tally).unwrap_or_else(|| url.clone());
                            attachments.insert(item.source_id, local);
                        }
                        tally.skip("attachments (kept as media of their posts)");
                    }
                    ItemKind::Other(kind) => tally.skip(format!("{kind} items")),
                }
            }
        }
    }
    // Pages come after the stream so a parent is always written before its children.
    import_pages(&store, &source, pages, &people, dry, &mut tally, now).await?;
    // Featured images: attachments may follow the posts that use them.
    if !dry {
        for (article, thumb) in thumbnails {
            if let Some(url) = attachments.get(&thumb) {
                store.set_featured_image(article, url).await?;
                if !url.starts_with('/') {
                    tally.external_images.push(url.clone());
                }
            }
        }
    }
    progress.finish_and_clear();
    tally.external_images.sort();
    tally.external_images.dedup();
    tally.print(dry, started.elapsed().as_secs_f64());
    store.close().await;
    Ok(())
}

/// Pages and attachments take no comments in Nashir; theirs are counted, not imported.
fn skip_comments(item: &Item, tally: &mut Tally) {
    for c in &item.comments {
        match c.status {
            CommentImportStatus::Pingback => tally.skip("pingbacks"),
            CommentImportStatus::Trackback => tally.skip("trackbacks"),
            _ => tally.skip("comments on pages or attachments"),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn import_post(
    store: &Store,
    source: &str,
    item: &Item,
    people: &HashMap<String, i64>,
    categories: &HashMap<String, i64>,
    tags: &HashMap<String, i64>,
    uploads: &Uploads,
    dry: bool,
    tally: &mut Tally,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    let mut body = item.content_html.clone();
    for url in &item.image_urls {
        match uploads.copy(url, dry, tally) {
            Some(local) => body = body.replace(url.as_str(), &local),
            None if url.starts_with("http") => tally.external_images.push(url.clone()),
            None => {}
        }
    }
    if dry {
        let exists = store.imported_id(source, "post", &item.source_id.to_string()).await?;
        tally.count("posts", if exists.is_some() { Upserted::Updated(0) } else { Upserted::Created(0) });
        return Ok(None);
    }
    let Some(author_id) = people.get(&item.author_login).copied() else {
        tally.skip("posts by an unknown author");
        return Ok(None);
    };
    let category_ids: Vec<i64> = item.categories.iter().filter_map(|c| categories.get(c).copied()).collect();
    let title = if item.title.trim().is_empty() { "(بلا عنوان)".to_owned() } else { item.title.clone() };
    let excerpt = if item.excerpt.trim().is_empty() {
        nashir_arabic::excerpt(&nashir_arabic::strip_html(&body), 200)
    } else {
        item.excerpt.clone()
    };
    let article = NewArticle {
        title,
        slug: item.slug.clone(),
        body_html: body,
        excerpt,
        featured_image: None,
        state: item.status,
        author_id,
        primary_category_id: category_ids.first().copied(),
        other_category_ids: category_ids.iter().skip(1).copied().collect(),
        tag_ids: item.tags.iter().filter_map(|t| tags.get(t).copied()).collect(),
        published_at: item.published_at,
        modified_at: item.modified_at.filter(|m| item.published_at.is_some_and(|p| *m > p + 60_000_000)),
        sticky: item.sticky,
    };
    let outcome = store.import_article(source, &item.source_id.to_string(), &article, &item.old_paths, now).await?;
    tally.count("posts", outcome);
    let article_id = outcome.id();
    import_comments(store, source, article_id, item, tally, now).await?;
    Ok(Some(article_id))
}

/// Comments keep their threading: a reply is written after its parent.
async fn import_comments(store: &Store, source: &str, article_id: i64, item: &Item, tally: &mut Tally, now: i64) -> anyhow::Result<()> {
    let mut local: HashMap<i64, i64> = HashMap::new();
    let mut pending: Vec<&nashir_import::WxrComment> = Vec::new();
    for c in &item.comments {
        match c.status {
            CommentImportStatus::Pingback => tally.skip("pingbacks"),
            CommentImportStatus::Trackback => tally.skip("trackbacks"),
            CommentImportStatus::Spam => tally.skip("spam comments"),
            CommentImportStatus::Trash => tally.skip("trashed comments"),
            _ => pending.push(c),
        }
    }
    let kept: std::collections::HashSet<i64> = pending.iter().map(|c| c.source_id).collect();
    // Repeatedly write the comments whose parent is written (or absent); bounded by the count.
    for _ in 0..=pending.len() {
        if pending.is_empty() {
            break;
        }
        let mut rest = Vec::new();
        for c in pending {
            let parent = match c.parent_source_id.filter(|p| kept.contains(p)) {
                None => None,
                Some(p) => match local.get(&p) {
                    Some(id) => Some(*id),
                    None => {
                        rest.push(c);
                        continue;
                    }
                },
            };
            let status = c.status.comment_status().unwrap_or(CommentStatus::Pending);
            let comment = NewComment {
                article_id,
                parent_id: parent,
                author_name: if c.author_name.trim().is_empty() { "قارئ".into() } else { c.author_name.clone() },
                author_email: c.author_email.clone(),
                author_url: c.author_url.clone(),
                body: c.body.clone(),
                status,
                created_at: c.created_at.or(item.published_at).unwrap_or(now),
            };
            let outcome = store.import_comment(source, &c.source_id.to_string(), &comment, now).await?;
            tally.count("comments", outcome);
            local.insert(c.source_id, outcome.id());
        }
        pending = rest;
    }
    for _ in pending {
        tally.skip("comments in a reply cycle");
    }
    Ok(())
}

async fn import_pages(store: &Store, source: &str, mut pages: Vec<Item>, people: &HashMap<String, i64>, dry: bool, tally: &mut Tally, now: i64) -> anyhow::Result<()> {
    let ids: std::collections::HashSet<i64> = pages.iter().map(|p| p.source_id).collect();
    let mut local: HashMap<i64, i64> = HashMap::new();
    for _ in 0..=pages.len() {
        if pages.is_empty() {
            break;
        }
        let mut rest = Vec::new();
        for p in pages {
            let parent = match p.parent_id.filter(|id| *id != 0 && ids.contains(id)) {
                None => None,
                Some(id) => match local.get(&id) {
                    Some(l) => Some(*l),
                    None => {
                        rest.push(p);
                        continue;
                    }
                },
            };
            if dry {
                tally.count("pages", Upserted::Created(0));
                local.insert(p.source_id, 0);
                continue;
            }
            let page = ImportedPage {
                parent_id: parent,
                slug: if p.slug.is_empty() { format!("page-{}", p.source_id) } else { p.slug.clone() },
                title: if p.title.trim().is_empty() { "(بلا عنوان)".into() } else { p.title.clone() },
                body_html: p.content_html.clone(),
                status: if p.status == PublishState::Published { PublishState::Published } else { PublishState::Draft },
                menu_order: p.menu_order,
                author_id: people.get(&p.author_login).copied(),
                created_at: p.published_at.unwrap_or(now),
            };
            let outcome = store.import_page(source, &p.source_id.to_string(), &page, &p.old_paths, now).await?;
            tally.count("pages", outcome);
            local.insert(p.source_id, outcome.id());
        }
        pages = rest;
    }
    for _ in pages {
        tally.skip("pages in a parent cycle");
    }
    Ok(())
}

async fn jsonl(args: JsonlArgs) -> anyhow::Result<()> {
    let file = args.file.display().to_string();
    let store = open_store(&args.store).await?;
    let tz = time_zone(args.timezone.as_deref(), &args.store, Some(&store), None).await?;
    let lines = count_lines(&args.file).with_context(|| format!("reading {file}"))?;
    let reader = JsonlReader::open_with(&args.file, JsonlOptions { time_zone: tz })?;
    let source = format!(
        "jsonl:{}",
        args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.clone())
    );
    let progress = bar(lines, "importing");
    let started = std::time::Instant::now();
    let now = nashir_store::now_micros();
    let mut tally = Tally::default();
    let mut people: HashMap<String, i64> = HashMap::new();
    let mut categories: HashMap<String, i64> = HashMap::new();
    let mut tag_ids: HashMap<String, i64> = HashMap::new();
    let mut bad = 0u64;
    for record in reader {
        progress.inc(1);
        let r = match record {
            Ok(r) => r,
            Err(e) => {
                bad += 1;
                progress.suspend(|| eprintln!("{file}: {e}"));
                if e.fatal {
                    bail!("importing {file}: {e}");
                }
                continue;
            }
        };
        if args.dry_run {
            let exists = store.imported_id(&source, "post", &r.source_id).await?;
            tally.count("articles", if exists.is_some() { Upserted::Updated(0) } else { Upserted::Created(0) });
            continue;
        }
        let author_name = r.author.clone().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| "فريق التحرير".to_owned());
        let author_id = match people.get(&author_name) {
            Some(id) => *id,
            None => {
                let slug = match nashir_arabic::slugify(&author_name) {
                    s if s.is_empty() => "author".to_owned(),
                    s => s,
                };
                let outcome = store.import_person(&source, &author_name, &slug, &author_name, None, None, now).await?;
                tally.count("authors", outcome);
                people.insert(author_name.clone(), outcome.id());
                outcome.id()
            }
        };
        // A category path `parent/child` is created level by level.
        let mut parent: Option<i64> = None;
        let mut path = String::new();
        for name in &r.category {
            path = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            let id = match categories.get(&path) {
                Some(id) => *id,
                None => {
                    let slug = term_slug(&nashir_arabic::slugify(name));
                    let outcome = store.import_category(&source, &path, parent, &slug, name, "", None, now).await?;
                    tally.count("categories", outcome);
                    categories.insert(path.clone(), outcome.id());
                    outcome.id()
                }
            };
            parent = Some(id);
        }
        let mut tags = Vec::new();
        for name in &r.tags {
            let id = match tag_ids.get(name) {
                Some(id) => *id,
                None => {
                    let outcome = store.import_tag(&term_slug(&nashir_arabic::slugify(name)), name, None, now).await?;
                    tally.count("tags", outcome);
                    tag_ids.insert(name.clone(), outcome.id());
                    outcome.id()
                }
            };
            tags.push(id);
        }
        let excerpt = if r.excerpt.trim().is_empty() {
            nashir_arabic::excerpt(&nashir_arabic::strip_html(&r.body_html), 200)
        } else {
            r.excerpt.clone()
        };
        let article = NewArticle {
            title: r.title.clone(),
            slug: r.slug.clone(),
            body_html: r.body_html.clone(),
            excerpt,
            featured_image: None,
            state: r.status,
            author_id,
            primary_category_id: parent,
            other_category_ids: vec![],
            tag_ids: tags,
            published_at: r.published_at.or(Some(now)),
            modified_at: None,
            sticky: false,
        };
        let old_paths: Vec<String> = r.old_path.iter().cloned().collect();
        let outcome = store.import_article(&source, &r.source_id, &article, &old_paths, now).await?;
        tally.count("articles", outcome);
    }
    progress.finish_and_clear();
    if bad > 0 {
        tally.skipped.insert("bad lines (reported above)".into(), bad);
    }
    tally.print(args.dry_run, started.elapsed().as_secs_f64());
    store.close().await;
    Ok(())
}

fn count_lines(path: &Path) -> std::io::Result<u64> {
    use std::io::BufRead;
    let f = std::io::BufReader::new(std::fs::File::open(path)?);
    Ok(f.split(b'\n').count() as u64)
}
