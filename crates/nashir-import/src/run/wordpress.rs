//! A WordPress export into a sink: authors, the category tree, tags, posts with their
//! comments, pages after the stream (parents before children), featured images once every
//! attachment is known.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use jiff::tz::TimeZone;
use nashir_core::{CommentStatus, NewArticle, NewComment, PublishState, is_reserved_slug};

use super::uploads::Uploads;
use super::{NavEntry, NewCategory, NewPage, NewPerson, NewTag, Progress, RunError, Sink, Summary, Upserted};
use crate::{CommentImportStatus, Gallery, Item, ItemKind, WxrComment, WxrOptions, WxrReader, WxrRecord, WxrSummary, gallery_token};
#[cfg(doc)]
use crate::validate_wxr;

/// What to import and how.
#[derive(Debug, Clone)]
pub struct WordpressImport {
    pub export: PathBuf,
    /// The old site's `wp-content/uploads` folder.
    pub uploads: Option<PathBuf>,
    /// Where copied uploads go (the data folder's `uploads/`).
    pub uploads_target: PathBuf,
    /// The zone of dates without a GMT twin; None: the export's own offset, else UTC.
    pub time_zone: Option<TimeZone>,
    /// Read and convert everything, write nothing.
    pub dry_run: bool,
    /// Who gets posts whose author is missing from the export (an existing account's email);
    /// None: a "فريق التحرير" byline made for the import.
    pub default_author: Option<String>,
    /// Refuse the export when an item's data cannot be read, instead of skipping the item.
    pub strict: bool,
    /// The navigation menu (slug or name) that becomes the category bar; None: the one the
    /// export calls primary, main, header or top, else the one with the most categories.
    pub menu: Option<String>,
}

/// The byline posts without a known author get when no `--default-author` is given.
pub const TEAM_LOGIN: &str = "nashir-editorial-team";
pub const TEAM_NAME: &str = "فريق التحرير";

/// Category and tag slugs `feed`, `page` and `amp` are reserved in Nashir's URLs.
pub(crate) fn term_slug(slug: &str) -> String {
    if slug.is_empty() {
        "term".to_owned()
    } else if is_reserved_slug(slug) {
        format!("{slug}-1")
    } else {
        slug.to_owned()
    }
}

/// What the stream has told so far: local ids by source name.
struct Run<'a, S> {
    sink: &'a S,
    source: String,
    dry: bool,
    now: i64,
    summary: Summary,
    people: HashMap<String, i64>,
    categories: HashMap<String, i64>,
    tags: HashMap<String, i64>,
    attachments: HashMap<i64, Attachment>,
    thumbnails: Vec<(i64, i64)>,
    /// Posts with galleries: (article id, post source id, title, galleries), filled after the stream.
    galleries: Vec<(i64, i64, String, Vec<Gallery>)>,
    /// Category term ids → (local id, name), tag term ids → slug, for menu items.
    category_terms: HashMap<i64, (i64, String)>,
    tag_terms: HashMap<i64, String>,
    /// Posts' and pages' source ids → (their old permalink path, title), for menu items.
    targets: HashMap<i64, (String, String)>,
    menu_items: Vec<MenuItem>,
    uploads: Uploads,
    /// The default author, once known (looked up or made on the first post that needs it).
    default_author: Option<i64>,
}

/// Imports a WordPress export (WXR 1.0–1.2) that [`validate_wxr`] accepted (`checked` is
/// what it returned): check first, so a malformed or unsupported export is refused before
/// anything, even the database, is touched.
pub async fn import_wordpress<S: Sink>(
    options: &WordpressImport,
    checked: &WxrSummary,
    sink: &S,
    progress: &mut dyn Progress,
) -> Result<Summary, RunError<S::Error>> {
    let started = std::time::Instant::now();
    if let Some(dir) = &options.uploads
        && !dir.is_dir()
    {
        return Err(RunError::NoUploads(dir.display().to_string()));
    }
    let time_zone = options.time_zone.clone().or_else(|| checked.site_time_zone()).unwrap_or(TimeZone::UTC);
    let reader = WxrReader::open(&options.export, WxrOptions { time_zone, strict: options.strict })?;
    let mut run = Run {
        sink,
        source: checked.site_key.clone(),
        dry: options.dry_run,
        now: now_micros(),
        summary: Summary { dry_run: options.dry_run, ..Summary::default() },
        people: HashMap::new(),
        categories: HashMap::new(),
        tags: HashMap::new(),
        attachments: HashMap::new(),
        thumbnails: Vec::new(),
        galleries: Vec::new(),
        category_terms: HashMap::new(),
        tag_terms: HashMap::new(),
        targets: HashMap::new(),
        menu_items: Vec::new(),
        uploads: Uploads { from: options.uploads.clone(), to: options.uploads_target.clone() },
        default_author: None,
    };
    if let Some(email) = &options.default_author {
        match sink.person_by_email(email).await.map_err(RunError::Write)? {
            Some(id) => run.default_author = Some(id),
            None => return Err(RunError::NoDefaultAuthor(email.clone())),
        }
    }
    progress.start(checked.items());
    let mut pages = Vec::new();
    for record in reader {
        match record? {
            WxrRecord::Site(site) => run.source = site.site_key,
            WxrRecord::Author(a) => run.author(a).await?,
            WxrRecord::Category(c) => run.category(c).await?,
            WxrRecord::Tag(t) => run.tag(t).await?,
            WxrRecord::Unreadable(u) => {
                let reason = format!("{}s whose data could not be read", u.what);
                let title = if u.title.is_empty() { u.reason } else { format!("{} ({})", u.title, u.reason) };
                run.summary.skip(reason, Some((u.source_id, title)));
            }
            // The menus themselves: their items are read as menu items (see `menus`).
            WxrRecord::OtherTerm { taxonomy, .. } if taxonomy == "nav_menu" => {}
            WxrRecord::OtherTerm { taxonomy, slug, name } => {
                run.summary.skip(format!("terms of the taxonomy {taxonomy}"), Some((slug, name)));
            }
            WxrRecord::Item(item) => {
                progress.advance(1);
                if let Some(page) = run.item(*item).await? {
                    pages.push(page);
                }
            }
        }
    }
    // Pages come after the stream so a parent is always written before its children.
    run.pages(pages).await?;
    run.featured_images().await?;
    run.galleries().await?;
    run.menus(options.menu.as_deref()).await?;
    progress.finish();
    let mut summary = run.summary;
    summary.finish();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The current time as the store keeps it (unix microseconds).
pub(crate) fn now_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

fn example(item: &Item) -> Option<(String, String)> {
    Some((item.source_id.to_string(), item.title.clone()))
}

/// An attachment as galleries and featured images need it.
struct Attachment {
    /// The local `/uploads/…` URL when the file was copied, else the old site's URL.
    url: String,
    alt: String,
    caption: String,
    parent: Option<i64>,
    order: i64,
    /// A photo (by its file name), not a PDF or a sound.
    image: bool,
}

/// A `nav_menu_item`, as WordPress keeps it in post meta.
struct MenuItem {
    source_id: i64,
    menu: (String, String),
    title: String,
    order: i64,
    parent: i64,
    /// `_menu_item_object`: category, post_tag, page, post, custom…
    object: String,
    object_id: i64,
    url: String,
}

impl MenuItem {
    fn from_item(item: &Item) -> Option<MenuItem> {
        let meta = |key: &str| item.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        Some(MenuItem {
            source_id: item.source_id,
            menu: item.menu.clone()?,
            title: item.title.trim().to_owned(),
            order: item.menu_order,
            parent: meta("_menu_item_menu_item_parent").parse().unwrap_or(0),
            object: meta("_menu_item_object"),
            object_id: meta("_menu_item_object_id").parse().unwrap_or(0),
            url: meta("_menu_item_url"),
        })
    }
}

/// Whether a menu's slug or name says it is the site's main one.
fn looks_primary(slug: &str, name: &str) -> bool {
    let words = ["primary", "main", "header", "top", "رئيسي", "رئيسية", "الرئيسية", "الرئيسي"];
    let (slug, name) = (slug.to_lowercase(), name.to_lowercase());
    words.iter().any(|w| slug.contains(w) || name.contains(w))
}

fn is_image_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"].iter().any(|ext| path.ends_with(ext))
}

impl<S: Sink> Run<'_, S> {
    async fn author(&mut self, a: crate::Author) -> Result<(), RunError<S::Error>> {
        let name = if a.display_name.trim().is_empty() { a.login.clone() } else { a.display_name.clone() };
        let slug = match nashir_arabic::slugify(&a.login) {
            s if s.is_empty() => "author".to_owned(),
            s => s,
        };
        if self.dry {
            self.people.insert(a.login, 0);
            self.summary.count("authors", Upserted::Created(0));
            return Ok(());
        }
        let email = Some(a.email.as_str()).filter(|e| e.contains('@'));
        let person = NewPerson { login: &a.login, slug: &slug, name: &name, email, old_path: Some(&a.old_path) };
        let outcome = self.sink.person(&self.source, &person, self.now).await.map_err(RunError::Write)?;
        self.summary.count("authors", outcome);
        self.people.insert(a.login, outcome.id());
        Ok(())
    }

    /// The default author's id, making the team byline on first use.
    async fn default_author(&mut self) -> Result<i64, RunError<S::Error>> {
        if let Some(id) = self.default_author {
            return Ok(id);
        }
        let slug = nashir_arabic::slugify(TEAM_NAME);
        let person = NewPerson { login: TEAM_LOGIN, slug: &slug, name: TEAM_NAME, email: None, old_path: None };
        let outcome = self.sink.person(&self.source, &person, self.now).await.map_err(RunError::Write)?;
        self.default_author = Some(outcome.id());
        Ok(outcome.id())
    }

    async fn category(&mut self, c: crate::Category) -> Result<(), RunError<S::Error>> {
        let parent_id = c.parent.as_ref().and_then(|p| self.categories.get(p)).copied();
        if self.dry {
            if let Some(t) = c.term_id {
                self.category_terms.insert(t, (0, c.name.clone()));
            }
            self.categories.insert(c.nicename, 0);
            self.summary.count("categories", Upserted::Created(0));
            return Ok(());
        }
        let slug = term_slug(&c.slug);
        let category = NewCategory {
            key: &c.nicename,
            parent_id,
            slug: &slug,
            name: &c.name,
            description: &c.description,
            old_path: Some(&c.old_path),
        };
        let outcome = self.sink.category(&self.source, &category, self.now).await.map_err(RunError::Write)?;
        self.summary.count("categories", outcome);
        if let Some(t) = c.term_id {
            self.category_terms.insert(t, (outcome.id(), c.name.clone()));
        }
        self.categories.insert(c.nicename, outcome.id());
        Ok(())
    }

    async fn tag(&mut self, t: crate::Tag) -> Result<(), RunError<S::Error>> {
        if let Some(term) = t.term_id {
            self.tag_terms.insert(term, term_slug(&t.slug));
        }
        if self.dry {
            self.tags.insert(t.nicename, 0);
            self.summary.count("tags", Upserted::Created(0));
            return Ok(());
        }
        let slug = term_slug(&t.slug);
        let outcome = self.sink.tag(&NewTag { slug: &slug, name: &t.name, old_path: Some(&t.old_path) }, self.now).await.map_err(RunError::Write)?;
        self.summary.count("tags", outcome);
        self.tags.insert(t.nicename, outcome.id());
        Ok(())
    }

    /// Writes a post (with its comments) or keeps an attachment's URL; a page is handed back
    /// for after the stream.
    async fn item(&mut self, item: Item) -> Result<Option<Item>, RunError<S::Error>> {
        for (name, n) in &item.conversion.shortcodes_removed {
            *self.summary.shortcodes.entry(name.clone()).or_default() += n;
        }
        if item.kind.is_article()
            && let Some(path) = item.old_paths.first()
        {
            self.targets.insert(item.source_id, (path.clone(), item.title.clone()));
        }
        match &item.kind {
            ItemKind::Post => {
                if let Some(id) = self.post(&item).await?
                    && let Some(thumb) = item.thumbnail_id
                {
                    self.thumbnails.push((id, thumb));
                }
            }
            ItemKind::Page => {
                self.skip_comments(&item);
                return Ok(Some(item));
            }
            ItemKind::Attachment => {
                self.skip_comments(&item);
                if let Some(url) = &item.attachment_url {
                    let local = self
                        .uploads
                        .copy(url, self.dry, &mut self.summary)
                        .or_else(|| item.attached_file.as_deref().and_then(|f| self.uploads.copy_relative(f, self.dry, &mut self.summary)))
                        .unwrap_or_else(|| url.clone());
                    let alt = item.meta.iter().find(|(k, _)| k == "_wp_attachment_image_alt").map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
                    let caption = nashir_arabic::strip_html(&item.excerpt);
                    if local.starts_with("/uploads/") {
                        self.summary.photo_texts.insert(local.clone(), (item.title.trim().to_owned(), alt.clone(), caption.clone()));
                    }
                    let image = is_image_url(&local) || is_image_url(url);
                    self.attachments.insert(
                        item.source_id,
                        Attachment { url: local, alt, caption, parent: item.parent_id, order: item.menu_order, image },
                    );
                }
                self.summary.skip("attachments (kept as media of their posts)", None);
            }
            ItemKind::Other(kind) if kind == "nav_menu_item" && item.menu.is_some() => {
                if let Some(entry) = MenuItem::from_item(&item) {
                    self.menu_items.push(entry);
                }
            }
            ItemKind::Other(kind) => self.summary.skip(format!("{kind} items"), example(&item)),
        }
        Ok(None)
    }

    /// Pages and attachments take no comments in Nashir; theirs are counted, not imported.
    fn skip_comments(&mut self, item: &Item) {
        for c in &item.comments {
            match c.status {
                CommentImportStatus::Pingback => self.summary.skip("pingbacks", None),
                CommentImportStatus::Trackback => self.summary.skip("trackbacks", None),
                _ => self.summary.skip("comments on pages or attachments", example(item)),
            }
        }
    }

    async fn post(&mut self, item: &Item) -> Result<Option<i64>, RunError<S::Error>> {
        let mut body = item.content_html.clone();
        for url in &item.image_urls {
            match self.uploads.copy(url, self.dry, &mut self.summary) {
                Some(local) => body = body.replace(url.as_str(), &local),
                None if url.starts_with("http") => self.summary.external_images.push(url.clone()),
                None => {}
            }
        }
        if self.dry {
            let exists = self.sink.imported_id(&self.source, "post", &item.source_id.to_string()).await.map_err(RunError::Write)?;
            self.summary.count("posts", if exists.is_some() { Upserted::Updated(0) } else { Upserted::Created(0) });
            if !item.galleries.is_empty() {
                self.galleries.push((0, item.source_id, item.title.clone(), item.galleries.clone()));
            }
            return Ok(None);
        }
        let author_id = match self.people.get(&item.author_login).copied() {
            Some(id) => id,
            // WordPress gives such posts to the importing user; here, the default author.
            None => {
                let id = self.default_author().await?;
                let e = self.summary.default_author.get_or_insert_with(Default::default);
                e.count += 1;
                if let Some(ex) = example(item)
                    && e.examples.len() < 10
                {
                    e.examples.push(ex);
                }
                id
            }
        };
        let category_ids: Vec<i64> = item.categories.iter().filter_map(|c| self.categories.get(c).copied()).collect();
        let title = if item.title.trim().is_empty() { "(بلا عنوان)".to_owned() } else { item.title.clone() };
        let excerpt = if item.excerpt.trim().is_empty() {
            // Without the gallery placeholders, which are not text.
            let mut text = nashir_arabic::strip_html(&body);
            for i in 0..item.galleries.len() {
                text = text.replace(&gallery_token(i), " ");
            }
            nashir_arabic::excerpt(&text, 200)
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
            tag_ids: item.tags.iter().filter_map(|t| self.tags.get(t).copied()).collect(),
            published_at: item.published_at,
            modified_at: item.modified_at.filter(|m| item.published_at.is_some_and(|p| *m > p + 60_000_000)),
            sticky: item.sticky,
            comments_open: item.comments_open,
        };
        let outcome = self
            .sink
            .article(&self.source, &item.source_id.to_string(), &article, &item.old_paths, self.now)
            .await
            .map_err(RunError::Write)?;
        self.summary.count("posts", outcome);
        if !item.galleries.is_empty() {
            self.galleries.push((outcome.id(), item.source_id, item.title.clone(), item.galleries.clone()));
        }
        self.comments(outcome.id(), item).await?;
        Ok(Some(outcome.id()))
    }

    /// Comments keep their threading: a reply is written after its parent.
    async fn comments(&mut self, article_id: i64, item: &Item) -> Result<(), RunError<S::Error>> {
        let mut local: HashMap<i64, i64> = HashMap::new();
        let mut pending: Vec<&WxrComment> = Vec::new();
        for c in &item.comments {
            match c.status {
                CommentImportStatus::Pingback => self.summary.skip("pingbacks", None),
                CommentImportStatus::Trackback => self.summary.skip("trackbacks", None),
                CommentImportStatus::Spam => self.summary.skip("spam comments", None),
                CommentImportStatus::Trash => self.summary.skip("trashed comments", None),
                _ => pending.push(c),
            }
        }
        let kept: HashSet<i64> = pending.iter().map(|c| c.source_id).collect();
        // Write the comments whose parent is written (or absent), again and again; bounded
        // by the count, so a reply cycle cannot loop forever.
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
                let comment = NewComment {
                    article_id,
                    parent_id: parent,
                    author_name: if c.author_name.trim().is_empty() { "قارئ".into() } else { c.author_name.clone() },
                    author_email: c.author_email.clone(),
                    author_url: c.author_url.clone(),
                    body: c.body.clone(),
                    status: c.status.comment_status().unwrap_or(CommentStatus::Pending),
                    created_at: c.created_at.or(item.published_at).unwrap_or(self.now),
                    author_ip: None,
                    staff_id: None,
                };
                let outcome = self
                    .sink
                    .comment(&self.source, &c.source_id.to_string(), &comment, self.now)
                    .await
                    .map_err(RunError::Write)?;
                self.summary.count("comments", outcome);
                local.insert(c.source_id, outcome.id());
            }
            pending = rest;
        }
        for c in pending {
            self.summary.skip("comments in a reply cycle", Some((c.source_id.to_string(), item.title.clone())));
        }
        Ok(())
    }

    async fn pages(&mut self, mut pages: Vec<Item>) -> Result<(), RunError<S::Error>> {
        let ids: HashSet<i64> = pages.iter().map(|p| p.source_id).collect();
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
                if self.dry {
                    self.summary.count("pages", Upserted::Created(0));
                    local.insert(p.source_id, 0);
                    continue;
                }
                let page = NewPage {
                    parent_id: parent,
                    slug: if p.slug.is_empty() { format!("page-{}", p.source_id) } else { p.slug.clone() },
                    title: if p.title.trim().is_empty() { "(بلا عنوان)".into() } else { p.title.clone() },
                    body_html: p.content_html.clone(),
                    state: if p.status == PublishState::Published { PublishState::Published } else { PublishState::Draft },
                    menu_order: p.menu_order,
                    author_id: self.people.get(&p.author_login).copied(),
                    created_at: p.published_at.unwrap_or(self.now),
                };
                let outcome = self
                    .sink
                    .page(&self.source, &p.source_id.to_string(), &page, &p.old_paths, self.now)
                    .await
                    .map_err(RunError::Write)?;
                self.summary.count("pages", outcome);
                local.insert(p.source_id, outcome.id());
            }
            pages = rest;
        }
        for p in pages {
            self.summary.skip("pages in a parent cycle", example(&p));
        }
        Ok(())
    }

    /// Featured images: attachments may follow the posts that use them.
    async fn featured_images(&mut self) -> Result<(), RunError<S::Error>> {
        if self.dry {
            return Ok(());
        }
        for (article, thumb) in std::mem::take(&mut self.thumbnails) {
            if let Some(url) = self.attachments.get(&thumb).map(|a| &a.url) {
                self.sink.featured_image(article, url).await.map_err(RunError::Write)?;
                if !url.starts_with('/') {
                    self.summary.external_images.push(url.clone());
                }
            }
        }
        Ok(())
    }

    /// Galleries, once every attachment is known: each token paragraph becomes a figure of
    /// the gallery's photos with their alt texts and captions (the photos themselves join the
    /// media library with the rest of the uploads).
    async fn galleries(&mut self) -> Result<(), RunError<S::Error>> {
        for (article, post, title, galleries) in std::mem::take(&mut self.galleries) {
            let mut replacements = Vec::new();
            for (i, gallery) in galleries.iter().enumerate() {
                let photos = gallery_photos(&self.attachments, post, gallery);
                let html = if photos.is_empty() {
                    self.summary.skip("galleries whose photos are not in the export", Some((post.to_string(), title.clone())));
                    String::new()
                } else {
                    self.summary.galleries.0 += 1;
                    self.summary.galleries.1 += photos.len() as u64;
                    gallery_html(&photos)
                };
                for p in &photos {
                    if p.url.starts_with("http") {
                        self.summary.external_images.push(p.url.clone());
                    }
                }
                let token = gallery_token(i);
                replacements.push((format!("<p>{token}</p>\n"), html.clone()));
                replacements.push((token, html));
            }
            if !self.dry {
                self.sink.replace_in_body(article, &replacements).await.map_err(RunError::Write)?;
            }
        }
        Ok(())
    }

    /// The primary menu becomes the category bar: its top-level items in order, categories by
    /// id and everything else as links. Other menus, and sub-items, are reported item by item.
    async fn menus(&mut self, wanted: Option<&str>) -> Result<(), RunError<S::Error>> {
        let mut menus: Vec<(String, String)> = Vec::new();
        for m in &self.menu_items {
            if !menus.contains(&m.menu) {
                menus.push(m.menu.clone());
            }
        }
        if menus.is_empty() {
            return Ok(());
        }
        let top_categories = |menu: &(String, String)| {
            self.menu_items.iter().filter(|m| &m.menu == menu && m.parent == 0 && m.object == "category").count()
        };
        // A menu called primary or main; else the one listing the most categories at its top
        // level. A site whose menus list no categories keeps the default bar.
        let primary = match wanted {
            Some(w) => menus.iter().find(|(slug, name)| slug == w || name == w).cloned(),
            None => menus
                .iter()
                .find(|(slug, name)| looks_primary(slug, name))
                .or_else(|| {
                    let most = menus.iter().map(top_categories).max().unwrap_or(0);
                    menus.iter().find(|m| most > 0 && top_categories(m) == most)
                })
                .cloned(),
        };
        let mut items = std::mem::take(&mut self.menu_items);
        items.sort_by_key(|m| (m.order, m.source_id));
        let mut bar = Vec::new();
        for m in &items {
            let (label, category_id, url) = self.menu_target(m);
            let category_name = self.category_terms.get(&m.object_id).filter(|_| category_id.is_some()).map(|(_, name)| name.as_str());
            let shown = match (label.is_empty(), category_name) {
                (false, _) => label.clone(),
                (true, Some(name)) => name.to_owned(),
                (true, None) => url.clone().unwrap_or_default(),
            };
            let target = match (&url, category_name) {
                (Some(url), _) => url.clone(),
                (None, Some(_)) => "its category".to_owned(),
                (None, None) => "nothing in the export".to_owned(),
            };
            let example = Some((m.source_id.to_string(), format!("{shown} → {target}")));
            if Some(&m.menu) != primary.as_ref() {
                self.summary.skip(format!("items of the menu \"{}\" (not the category bar)", m.menu.1), example);
            } else if m.parent != 0 {
                self.summary.skip("sub-items of the primary menu (the category bar has one level)", example);
            } else if category_id.is_none() && url.is_none() {
                self.summary.skip("menu items with no link, or whose target is not in the export", example);
            } else {
                bar.push(NavEntry { label, category_id, url });
            }
        }
        let names = || {
            let mut names: Vec<&str> = menus.iter().map(|(_, name)| name.as_str()).collect();
            names.sort();
            names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        };
        self.summary.menu = Some(match (&primary, wanted) {
            (Some((_, name)), _) if !bar.is_empty() => format!("from the menu \"{name}\" ({} places)", bar.len()),
            (Some((_, name)), _) => format!("the default one kept (the menu \"{name}\" has no links at its top level)"),
            (None, Some(w)) => format!("the default one kept (no menu \"{w}\" in the export; its menus: {})", names()),
            (None, None) => format!(
                "the default one kept (no menu is called primary or main, and none lists categories at its top level; \
                 name one with --menu: {})",
                names()
            ),
        });
        if !self.dry && !bar.is_empty() {
            self.sink.nav_bar(&bar, self.now).await.map_err(RunError::Write)?;
        }
        Ok(())
    }

    /// (label, category, URL) of a menu item: a category by its local id (its own title
    /// only when the menu renamed it), a tag, post or page by the URL readers reach it at
    /// (old permalinks answer with a redirect to the new page), a custom link as written.
    fn menu_target(&self, m: &MenuItem) -> (String, Option<i64>, Option<String>) {
        match m.object.as_str() {
            "category" => (m.title.clone(), self.category_terms.get(&m.object_id).map(|(id, _)| *id), None),
            "post_tag" => (m.title.clone(), None, self.tag_terms.get(&m.object_id).map(|slug| format!("/tag/{slug}/"))),
            "post" | "page" => match self.targets.get(&m.object_id) {
                Some((path, title)) => (if m.title.is_empty() { title.clone() } else { m.title.clone() }, None, Some(path.clone())),
                None => (m.title.clone(), None, None),
            },
            _ => {
                // `#` is what WordPress menus use for a heading that opens a sub-menu: no link.
                let url = m.url.trim();
                (m.title.clone(), None, (!url.is_empty() && url != "#").then(|| url.to_owned()))
            }
        }
    }
}

/// A gallery's photos: its `ids` in their order, else the post's attached photos by menu
/// order and id, less `exclude` (as WordPress's `gallery_shortcode` picks them).
fn gallery_photos<'a>(attachments: &'a HashMap<i64, Attachment>, post: i64, gallery: &Gallery) -> Vec<&'a Attachment> {
    if !gallery.ids.is_empty() {
        return gallery.ids.iter().filter_map(|id| attachments.get(id)).filter(|a| a.image).collect();
    }
    let mut attached: Vec<(&i64, &Attachment)> = attachments
        .iter()
        .filter(|(id, a)| a.parent == Some(post) && a.image && !gallery.exclude.contains(id))
        .collect();
    attached.sort_by_key(|(id, a)| (a.order, **id));
    attached.into_iter().map(|(_, a)| a).collect()
}

/// A gallery: a figure of figures, each photo with its alt text and caption.
fn gallery_html(photos: &[&Attachment]) -> String {
    use nashir_core::escape_html;
    let mut html = String::from("<figure class=\"gallery\">");
    for p in photos {
        html.push_str(&format!("<figure><img src=\"{}\" alt=\"{}\">", escape_html(&p.url), escape_html(&p.alt)));
        if !p.caption.trim().is_empty() {
            html.push_str(&format!("<figcaption>{}</figcaption>", escape_html(p.caption.trim())));
        }
        html.push_str("</figure>");
    }
    html.push_str("</figure>\n");
    nashir_core::sanitize_article_html(&html)
}
