//! The streaming WXR reader: one record at a time, one item in memory at a time.
//! Owns the export's structure, refusing unsupported exports, and building each record.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use nashir_arabic::{slugify, strip_html};

use super::{
    Author, Category, CommentImportStatus, Item, ItemKind, SiteInfo, Tag, Unreadable, WxrComment,
    WxrOptions, WxrRecord, WxrSummary, publish_state,
};
use crate::content::{
    ConvertedContent, comment_plain_text, convert_wordpress_content, teaser_text,
};
use crate::dates::{utc_offset_seconds, wp_timestamp};
use crate::error::ImportError;
use crate::paths::{author_nicename, base_path, normalize_path, site_key, url_path};
use crate::slug::{article_slug, decode_wp_slug, term_slug};
use crate::xml::{Ev, Pos, XmlStream};

/// Reads a WordPress export as a stream of [`WxrRecord`]s.
///
/// Memory stays bounded by one item (its content, comments and meta) plus the sets of
/// author logins and term slugs seen so far; a 1 GB export is read like a 1 MB one. After
/// an error the iterator ends. Because an error can come at the very end (a truncated
/// file), run [`validate_wxr`] first and import only when it passes.
///
/// ```
/// use nashir_import::{WxrOptions, WxrReader, WxrRecord};
/// let xml = r#"<rss><channel><wp:wxr_version>1.2</wp:wxr_version><link>https://e.example</link>
///   <item><title>خبر</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
///   <wp:status>publish</wp:status><content:encoded><![CDATA[سطر
///
/// فقرة]]></content:encoded></item></channel></rss>"#;
/// let records: Vec<_> = WxrReader::from_reader(xml.as_bytes(), "e.xml", WxrOptions::default())?
///     .collect::<Result<_, _>>()?;
/// let WxrRecord::Item(item) = &records[1] else { panic!() };
/// assert_eq!(item.content_html, "<p>سطر</p>\n<p>فقرة</p>\n");
/// assert_eq!(item.old_paths, ["/?p=7"]);
/// # Ok::<(), nashir_import::ImportError>(())
/// ```
pub struct WxrReader<R: BufRead> {
    xml: XmlStream<R>,
    options: WxrOptions,
    /// `false` in a validation pass: structure and fields only, no content conversion.
    convert: bool,
    phase: Phase,
    site: SiteState,
    pending: VecDeque<WxrRecord>,
    /// Whitespace between elements lands here and is thrown away.
    scratch: String,
    authors: HashSet<String>,
    /// Category nicename → its path below `/category/` (`parent/child`).
    categories: HashMap<String, String>,
    tags: HashSet<String>,
    other_terms: u64,
    /// Items and comments left out because their data could not be read.
    unreadable: u64,
    /// How often each `post_date − post_date_gmt` occurred.
    offsets: HashMap<i64, u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeRss,
    BeforeChannel,
    InChannel,
    AfterChannel,
    AfterRss,
    Done,
}

#[derive(Default)]
struct SiteState {
    title: String,
    description: String,
    language: String,
    link: String,
    base_site_url: String,
    base_blog_url: String,
    version: Option<String>,
    emitted: bool,
    /// The sub-folder the blog lives in (`/blog`), prefixed to archive paths.
    base_path: String,
}

impl WxrReader<BufReader<File>> {
    /// Opens an export file. Errors name the file as given in `path`.
    pub fn open(path: &Path, options: WxrOptions) -> Result<Self, ImportError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|source| ImportError::Io {
            file: name.clone(),
            source,
        })?;
        Self::from_reader(BufReader::with_capacity(64 * 1024, file), &name, options)
    }
}

impl<R: BufRead> WxrReader<R> {
    /// Reads an export from any buffered reader; `file_name` is used in error messages.
    pub fn from_reader(
        reader: R,
        file_name: &str,
        options: WxrOptions,
    ) -> Result<Self, ImportError> {
        Ok(WxrReader {
            xml: XmlStream::new(reader, file_name.to_owned())?,
            options,
            convert: true,
            phase: Phase::BeforeRss,
            site: SiteState::default(),
            pending: VecDeque::new(),
            scratch: String::new(),
            authors: HashSet::new(),
            categories: HashMap::new(),
            tags: HashSet::new(),
            other_terms: 0,
            unreadable: 0,
            offsets: HashMap::new(),
        })
    }

    /// Reads the whole export without converting content and counts what is in it.
    /// Refuses exactly the exports the importing pass would refuse.
    pub fn summarize(mut self) -> Result<WxrSummary, ImportError> {
        self.convert = false;
        let mut summary = WxrSummary::default();
        for record in self.by_ref() {
            match record? {
                WxrRecord::Site(site) => {
                    summary.wxr_version = site.wxr_version;
                    summary.site_key = site.site_key;
                    summary.title = site.title;
                }
                WxrRecord::Author(a) if a.implied => summary.implied_authors += 1,
                WxrRecord::Author(_) => summary.authors += 1,
                WxrRecord::Category(c) if c.implied => summary.implied_categories += 1,
                WxrRecord::Category(_) => summary.categories += 1,
                WxrRecord::Tag(t) if t.implied => summary.implied_tags += 1,
                WxrRecord::Tag(_) => summary.tags += 1,
                // Counted as they are read (`other_terms`, `unreadable`).
                WxrRecord::OtherTerm { .. } | WxrRecord::Unreadable(_) => {}
                WxrRecord::Item(item) => {
                    match item.kind {
                        ItemKind::Post => summary.posts += 1,
                        ItemKind::Page => summary.pages += 1,
                        ItemKind::Attachment => summary.attachments += 1,
                        ItemKind::Other(_) => summary.other_items += 1,
                    }
                    for comment in &item.comments {
                        match comment.status {
                            CommentImportStatus::Pingback | CommentImportStatus::Trackback => {
                                summary.pings += 1
                            }
                            _ => summary.comments += 1,
                        }
                    }
                }
            }
        }
        summary.other_terms = self.other_terms;
        summary.unreadable = self.unreadable;
        // The most frequent offset; ties go to the smaller one so the result is stable.
        summary.utc_offset_seconds = self
            .offsets
            .iter()
            .max_by_key(|&(offset, count)| (*count, -offset))
            .map(|(offset, _)| *offset);
        Ok(summary)
    }

    fn advance(&mut self) -> Result<(), ImportError> {
        while self.pending.is_empty() {
            self.scratch.clear();
            let ev = self.xml.next(&mut self.scratch)?;
            match (self.phase, ev) {
                (Phase::BeforeRss, Ev::Start) => {
                    if self.xml.name() != "rss" {
                        let reason = format!(
                            "not a WordPress export: the root element is <{}>, expected <rss>",
                            self.xml.name()
                        );
                        return Err(self.xml.unsupported(self.xml.start_pos(), reason));
                    }
                    self.phase = Phase::BeforeChannel;
                }
                (Phase::BeforeChannel, Ev::Start) if self.xml.name() == "channel" => {
                    self.phase = Phase::InChannel
                }
                (Phase::BeforeChannel | Phase::AfterChannel, Ev::Start) => self.skip()?,
                (Phase::BeforeChannel, Ev::End) => {
                    let reason =
                        "not a WordPress export: the RSS document has no <channel>".to_owned();
                    return Err(self.xml.unsupported(self.xml.here(), reason));
                }
                (Phase::InChannel, Ev::Start) => self.channel_child()?,
                (Phase::InChannel, Ev::End) => {
                    self.ensure_site(self.xml.here(), "</channel>")?;
                    self.phase = Phase::AfterChannel;
                }
                (Phase::AfterChannel, Ev::End) => self.phase = Phase::AfterRss,
                (_, Ev::Eof) => {
                    self.phase = Phase::Done;
                    return Ok(());
                }
                (Phase::BeforeRss | Phase::AfterRss | Phase::Done, _) => {
                    return Err(self
                        .xml
                        .malformed(self.xml.here(), "the end of the file".into()));
                }
            }
        }
        Ok(())
    }

    fn channel_child(&mut self) -> Result<(), ImportError> {
        let at = self.xml.start_pos();
        let child = ChannelChild::of(self.xml.name());
        match child {
            ChannelChild::Header(field) => {
                let value = self.read_text()?.trim().to_owned();
                let site = &mut self.site;
                let slot = match field {
                    Header::Title => &mut site.title,
                    Header::Description => &mut site.description,
                    Header::Language => &mut site.language,
                    Header::Link => &mut site.link,
                    Header::BaseSiteUrl => &mut site.base_site_url,
                    Header::BaseBlogUrl => &mut site.base_blog_url,
                };
                if !site.emitted && slot.is_empty() {
                    *slot = value;
                }
            }
            ChannelChild::Version => {
                let value = self.read_text()?;
                let version = value.trim();
                if !matches!(version, "1.0" | "1.1" | "1.2") {
                    let reason = format!(
                        "unsupported WXR version {version:?} in <wp:wxr_version> (WXR 1.0, 1.1 or 1.2 required)"
                    );
                    return Err(self.xml.unsupported(at, reason));
                }
                self.site.version.get_or_insert_with(|| version.to_owned());
            }
            ChannelChild::Author => {
                self.ensure_site(at, "<wp:author>")?;
                self.read_author()?;
            }
            ChannelChild::Category => {
                self.ensure_site(at, "<wp:category>")?;
                self.read_category()?;
            }
            ChannelChild::Tag => {
                self.ensure_site(at, "<wp:tag>")?;
                self.read_tag()?;
            }
            ChannelChild::Term => {
                self.ensure_site(at, "<wp:term>")?;
                self.read_term()?;
            }
            ChannelChild::Item => {
                self.ensure_site(at, "<item>")?;
                self.read_item(at)?;
            }
            ChannelChild::Other => self.skip()?,
        }
        Ok(())
    }

    /// Emits the `Site` record before the first author, term or item, once the header has
    /// been read; an export without a version by then is refused.
    fn ensure_site(&mut self, at: Pos, before: &str) -> Result<(), ImportError> {
        if self.site.emitted {
            return Ok(());
        }
        let Some(version) = self.site.version.clone() else {
            let reason = format!(
                "no <wp:wxr_version> before {before}: not a WordPress export, or an unsupported one \
                 (WXR 1.0, 1.1 or 1.2 required)"
            );
            return Err(self.xml.unsupported(at, reason));
        };
        let site = &mut self.site;
        let url = [&site.base_blog_url, &site.link, &site.base_site_url]
            .into_iter()
            .find(|u| !u.is_empty());
        let key = match url {
            Some(url) => site_key(url),
            None => format!("title:{}", site.title),
        };
        let blog_url = if site.base_blog_url.is_empty() {
            &site.link
        } else {
            &site.base_blog_url
        };
        site.base_path = base_path(blog_url);
        site.emitted = true;
        self.pending.push_back(WxrRecord::Site(SiteInfo {
            title: site.title.clone(),
            description: site.description.clone(),
            language: site.language.clone(),
            link: site.link.clone(),
            base_site_url: site.base_site_url.clone(),
            base_blog_url: site.base_blog_url.clone(),
            site_key: key,
            wxr_version: version,
        }));
        Ok(())
    }

    fn read_author(&mut self) -> Result<(), ImportError> {
        let mut a = Author::default();
        self.read_fields(|name, value| {
            let slot = match name {
                "wp:author_login" => &mut a.login,
                "wp:author_email" => &mut a.email,
                "wp:author_display_name" => &mut a.display_name,
                "wp:author_first_name" => &mut a.first_name,
                "wp:author_last_name" => &mut a.last_name,
                _ => return,
            };
            *slot = value.trim().to_owned();
        })?;
        if a.display_name.is_empty() {
            a.display_name.clone_from(&a.login);
        }
        a.old_path = self.archive_path("author", &author_nicename(&a.login));
        self.authors.insert(a.login.clone());
        self.pending.push_back(WxrRecord::Author(a));
        Ok(())
    }

    fn read_category(&mut self) -> Result<(), ImportError> {
        let (mut nicename, mut parent, mut name, mut description, mut term_id) = Default::default();
        self.read_fields(|field, value| {
            let slot: &mut String = match field {
                "wp:term_id" => &mut term_id,
                "wp:category_nicename" => &mut nicename,
                "wp:category_parent" => &mut parent,
                "wp:cat_name" => &mut name,
                "wp:category_description" => &mut description,
                _ => return,
            };
            *slot = value;
        })?;
        let nicename = decode_wp_slug(&nicename);
        let parent = Some(decode_wp_slug(&parent)).filter(|p| !p.is_empty());
        let name = strip_html(&name);
        let term_id = parse_id(&term_id);
        self.push_category(nicename, parent, name, description.trim().to_owned(), term_id, false);
        Ok(())
    }

    fn push_category(
        &mut self,
        nicename: String,
        parent: Option<String>,
        name: String,
        description: String,
        term_id: Option<i64>,
        implied: bool,
    ) {
        // Parents come first in WordPress exports; an unknown parent still gives a path.
        let path = match &parent {
            Some(p) => format!(
                "{}/{nicename}",
                self.categories.get(p).map_or(p.as_str(), String::as_str)
            ),
            None => nicename.clone(),
        };
        let old_path = self.archive_path("category", &path);
        let slug = term_slug(&nicename, &name);
        self.categories.insert(nicename.clone(), path);
        self.pending.push_back(WxrRecord::Category(Category {
            nicename,
            slug,
            name,
            parent,
            description,
            old_path,
            term_id,
            implied,
        }));
    }

    /// `<wp:term>`: the generic form newer exports and plugins use. Categories (with their
    /// parents) and tags are read as such; other taxonomies are reported by name.
    fn read_term(&mut self) -> Result<(), ImportError> {
        let (mut taxonomy, mut slug, mut parent, mut name, mut description, mut term_id): (String, String, String, String, String, String) =
            Default::default();
        self.read_fields(|field, value| {
            let slot: &mut String = match field {
                "wp:term_id" => &mut term_id,
                "wp:term_taxonomy" => &mut taxonomy,
                "wp:term_slug" => &mut slug,
                "wp:term_parent" => &mut parent,
                "wp:term_name" => &mut name,
                "wp:term_description" => &mut description,
                _ => return,
            };
            *slot = value;
        })?;
        let slug = decode_wp_slug(&slug);
        match taxonomy.trim() {
            // Exports that write both forms declare a term twice: the first one counts.
            "category" if self.categories.contains_key(&slug) => {}
            "post_tag" if self.tags.contains(&slug) => {}
            "category" => {
                let parent = Some(decode_wp_slug(&parent)).filter(|p| !p.is_empty());
                let term_id = parse_id(&term_id);
                self.push_category(slug, parent, strip_html(&name), description.trim().to_owned(), term_id, false);
            }
            "post_tag" => {
                let term_id = parse_id(&term_id);
                self.push_tag(slug, strip_html(&name), description.trim().to_owned(), term_id, false)
            }
            other => {
                self.other_terms += 1;
                self.pending.push_back(WxrRecord::OtherTerm { taxonomy: other.to_owned(), slug, name: strip_html(&name) });
            }
        }
        Ok(())
    }

    fn read_tag(&mut self) -> Result<(), ImportError> {
        let (mut nicename, mut name, mut description, mut term_id) = Default::default();
        self.read_fields(|field, value| {
            let slot: &mut String = match field {
                "wp:term_id" => &mut term_id,
                "wp:tag_slug" => &mut nicename,
                "wp:tag_name" => &mut name,
                "wp:tag_description" => &mut description,
                _ => return,
            };
            *slot = value;
        })?;
        let nicename = decode_wp_slug(&nicename);
        let term_id = parse_id(&term_id);
        self.push_tag(
            nicename,
            strip_html(&name),
            description.trim().to_owned(),
            term_id,
            false,
        );
        Ok(())
    }

    fn push_tag(&mut self, nicename: String, name: String, description: String, term_id: Option<i64>, implied: bool) {
        let old_path = self.archive_path("tag", &nicename);
        let slug = term_slug(&nicename, &name);
        self.tags.insert(nicename.clone());
        self.pending.push_back(WxrRecord::Tag(Tag {
            nicename,
            slug,
            name,
            description,
            old_path,
            term_id,
            implied,
        }));
    }

    fn archive_path(&self, base: &str, rest: &str) -> String {
        normalize_path(&format!("{}/{base}/{rest}/", self.site.base_path))
    }

    fn read_item(&mut self, at: Pos) -> Result<(), ImportError> {
        let depth = self.xml.depth();
        let mut raw = RawItem::default();
        let mut name = String::new();
        loop {
            self.scratch.clear();
            match self.xml.next(&mut self.scratch)? {
                Ev::Start => {
                    name.clear();
                    name.push_str(self.xml.name());
                    let field_at = self.xml.start_pos();
                    match name.as_str() {
                        "wp:postmeta" => {
                            let (mut key, mut value) = (String::new(), String::new());
                            self.read_fields(|field, text| match field {
                                "wp:meta_key" => key = text.trim().to_owned(),
                                "wp:meta_value" => value = text,
                                _ => {}
                            })?;
                            raw.meta.push((key, value));
                        }
                        "wp:comment" => {
                            let mut comment = RawComment {
                                at: field_at,
                                ..RawComment::default()
                            };
                            self.read_fields(|field, text| comment.set(field, text))?;
                            raw.comments.push(comment);
                        }
                        "category" => {
                            let domain = self.xml.attr("domain").map(str::to_owned);
                            let nicename = self.xml.attr("nicename").map(str::to_owned);
                            let text = self.read_text()?;
                            // Like WordPress's importer: only terms that carry a nicename
                            // (WXR 1.0 repeats each one without it). A plain
                            // `<category>name</category>` is kept aside for exports
                            // that have nothing else (hand-made ones).
                            match (domain, nicename) {
                                (Some(domain), Some(nicename)) => {
                                    raw.terms.push((domain, nicename, text))
                                }
                                (None, None) => raw.plain_categories.push(text),
                                _ => {}
                            }
                        }
                        _ => {
                            let value = self.read_text()?;
                            raw.set(&name, value, field_at);
                        }
                    }
                }
                Ev::End if self.xml.depth() < depth => break,
                Ev::End => {}
                Ev::Eof => return Err(self.xml.malformed(self.xml.here(), "</item>".into())),
            }
        }
        // The file is well-formed up to here; what cannot be read is this item's data alone.
        let (id, title) = (raw.post_id.trim().to_owned(), raw.title.clone());
        match self.finish_item(raw, at) {
            Err(e) if !self.options.strict => {
                self.unreadable += 1;
                self.pending.push_back(WxrRecord::Unreadable(Unreadable {
                    what: "item",
                    source_id: id,
                    title: nashir_arabic::plain_title(&title),
                    reason: e.to_string(),
                }));
                Ok(())
            }
            other => other,
        }
    }

    fn finish_item(&mut self, raw: RawItem, at: Pos) -> Result<(), ImportError> {
        let source_id = self.source_id(&raw, at)?;
        let kind = ItemKind::from_wp(&raw.post_type);
        if let Some(offset) = utc_offset_seconds(&raw.post_date_gmt, &raw.post_date) {
            *self.offsets.entry(offset).or_default() += 1;
        }
        let tz = &self.options.time_zone;
        let published_at = wp_timestamp(&raw.post_date_gmt, &raw.post_date, tz);
        let modified_at = wp_timestamp(&raw.post_modified_gmt, &raw.post_modified, tz);
        let comments = self.comments(&raw)?;
        let author_login = self.imply_author(&raw);
        let (categories, tags) = self.terms(&raw);
        let menu = raw
            .terms
            .iter()
            .find(|(domain, _, _)| domain == "nav_menu")
            .map(|(_, slug, name)| (decode_wp_slug(slug), strip_html(name)));

        let converted = if self.convert {
            convert_wordpress_content(&raw.content)
        } else {
            ConvertedContent::default()
        };
        let excerpt = if !self.convert {
            String::new()
        } else if !raw.excerpt.trim().is_empty() {
            teaser_text(&raw.excerpt)
        } else {
            converted.teaser.clone().unwrap_or_default()
        };

        let title = nashir_arabic::plain_title(&raw.title);
        let password_protected = !raw.post_password.trim().is_empty();
        let meta_value = |key: &str| {
            raw.meta
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
        };
        let is_true = |v: &str| matches!(v.trim(), "1" | "true" | "yes" | "on");
        let sticky = is_true(&raw.is_sticky)
            || is_true(&raw.sticky)
            || meta_value("_sticky").is_some_and(is_true)
            || meta_value("sticky").is_some_and(is_true);

        let item = Item {
            source_id,
            slug: article_slug(&raw.post_name, &title, &source_id.to_string()),
            title,
            old_paths: self.old_paths(&raw.link, source_id, &kind),
            kind,
            content_html: converted.html,
            excerpt,
            status: publish_state(&raw.status, password_protected),
            wp_status: raw.status.trim().to_owned(),
            password_protected,
            published_at,
            modified_at,
            author_login,
            categories,
            tags,
            sticky,
            comments_open: raw.comment_status.trim() != "closed",
            parent_id: parse_id(&raw.post_parent).filter(|&p| p > 0),
            menu_order: parse_id(&raw.menu_order).unwrap_or(0),
            attachment_url: Some(raw.attachment_url.trim().to_owned()).filter(|u| !u.is_empty()),
            attached_file: meta_value("_wp_attached_file")
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
            thumbnail_id: meta_value("_thumbnail_id")
                .and_then(parse_id)
                .filter(|&id| id > 0),
            image_urls: converted.image_urls,
            galleries: converted.galleries,
            menu,
            comments,
            conversion: converted.report,
            meta: raw.meta,
        };
        self.pending.push_back(WxrRecord::Item(Box::new(item)));
        Ok(())
    }

    /// `wp:post_id`. Hand-made exports may lack it; the `?p=` of the permalink or guid is
    /// the same number on a WordPress site.
    fn source_id(&self, raw: &RawItem, at: Pos) -> Result<i64, ImportError> {
        if let Some(id) = parse_id(&raw.post_id) {
            return Ok(id);
        }
        if raw.post_id.trim().is_empty()
            && let Some(id) = id_from_url(&raw.link).or_else(|| id_from_url(&raw.guid))
        {
            return Ok(id);
        }
        Err(self.bad_number("wp:post_id", &raw.post_id, raw.post_id_at.unwrap_or(at)))
    }

    /// The item's author login; an `Author` record is implied the first time a login is
    /// seen without a declaration.
    fn imply_author(&mut self, raw: &RawItem) -> String {
        let login = if raw.creator.trim().is_empty() {
            &raw.wp_author
        } else {
            &raw.creator
        };
        let login = login.trim().to_owned();
        if !login.is_empty() && !self.authors.contains(&login) {
            self.authors.insert(login.clone());
            self.pending.push_back(WxrRecord::Author(Author {
                login: login.clone(),
                display_name: login.clone(),
                old_path: self.archive_path("author", &author_nicename(&login)),
                implied: true,
                ..Author::default()
            }));
        }
        login
    }

    /// The item's category and tag nicenames; a `Category` or `Tag` record is implied for
    /// each one not declared before.
    fn terms(&mut self, raw: &RawItem) -> (Vec<String>, Vec<String>) {
        let (mut categories, mut tags) = (Vec::new(), Vec::new());
        let mut terms = raw.terms.clone();
        if !terms.iter().any(|(domain, _, _)| domain == "category") {
            for name in &raw.plain_categories {
                let name = strip_html(name);
                terms.push(("category".to_owned(), slugify(&name), name));
            }
        }
        for (domain, nicename, name) in terms {
            let nicename = decode_wp_slug(&nicename);
            if nicename.is_empty() {
                continue;
            }
            match domain.as_str() {
                "category" => {
                    if !self.categories.contains_key(&nicename) {
                        self.push_category(
                            nicename.clone(),
                            None,
                            strip_html(&name),
                            String::new(),
                            None,
                            true,
                        );
                    }
                    if !categories.contains(&nicename) {
                        categories.push(nicename);
                    }
                }
                "post_tag" | "tag" => {
                    if !self.tags.contains(&nicename) {
                        self.push_tag(nicename.clone(), strip_html(&name), String::new(), None, true);
                    }
                    if !tags.contains(&nicename) {
                        tags.push(nicename);
                    }
                }
                // Post formats, custom taxonomies, menus: not part of a Nashir article.
                _ => {}
            }
        }
        (categories, tags)
    }

    /// The item's comments. One whose id cannot be read is left out and reported (refused
    /// with `strict`).
    fn comments(&mut self, raw: &RawItem) -> Result<Vec<WxrComment>, ImportError> {
        let tz = &self.options.time_zone;
        let mut out = Vec::with_capacity(raw.comments.len());
        for c in &raw.comments {
            let Some(source_id) = parse_id(&c.id) else {
                let e = self.bad_number("wp:comment_id", &c.id, c.at);
                if self.options.strict {
                    return Err(e);
                }
                self.unreadable += 1;
                self.pending.push_back(WxrRecord::Unreadable(Unreadable {
                    what: "comment",
                    source_id: c.id.trim().to_owned(),
                    title: nashir_arabic::plain_title(&raw.title),
                    reason: e.to_string(),
                }));
                continue;
            };
            out.push(WxrComment {
                source_id,
                parent_source_id: parse_id(&c.parent).filter(|&p| p > 0),
                author_name: strip_html(&c.author),
                author_email: c.email.trim().to_owned(),
                author_url: Some(c.url.trim().to_owned()).filter(|u| !u.is_empty()),
                body: if self.convert {
                    comment_plain_text(&c.content)
                } else {
                    String::new()
                },
                status: CommentImportStatus::from_wp(&c.comment_type, &c.approved),
                created_at: wp_timestamp(&c.date_gmt, &c.date, tz),
            });
        }
        Ok(out)
    }

    /// The permalink's path, `/?p={id}`, and the page or attachment form of it.
    fn old_paths(&self, link: &str, id: i64, kind: &ItemKind) -> Vec<String> {
        let base = &self.site.base_path;
        let mut paths: Vec<String> = url_path(link).into_iter().collect();
        paths.push(normalize_path(&format!("{base}/?p={id}")));
        match kind {
            ItemKind::Page => paths.push(normalize_path(&format!("{base}/?page_id={id}"))),
            ItemKind::Attachment => {
                paths.push(normalize_path(&format!("{base}/?attachment_id={id}")))
            }
            _ => {}
        }
        let mut seen = HashSet::new();
        paths.retain(|p| seen.insert(p.clone()));
        paths
    }

    fn bad_number(&self, element: &str, value: &str, at: Pos) -> ImportError {
        let value = value.trim();
        let expected = if value.is_empty() {
            format!("<{element}> with a number")
        } else {
            format!("a number in <{element}>, found {value:?}")
        };
        self.xml.malformed(at, expected)
    }

    /// Reads the children of the element just started as (name, text) pairs; a child's
    /// text includes its descendants' text.
    fn read_fields(&mut self, mut field: impl FnMut(&str, String)) -> Result<(), ImportError> {
        let depth = self.xml.depth();
        let mut name = String::new();
        loop {
            self.scratch.clear();
            match self.xml.next(&mut self.scratch)? {
                Ev::Start => {
                    name.clear();
                    name.push_str(self.xml.name());
                    let value = self.read_text()?;
                    field(&name, value);
                }
                Ev::End if self.xml.depth() < depth => return Ok(()),
                Ev::End => {}
                Ev::Eof => return Err(self.xml.malformed(self.xml.here(), "an end tag".into())),
            }
        }
    }

    /// The text of the element just started, through its end tag.
    fn read_text(&mut self) -> Result<String, ImportError> {
        let depth = self.xml.depth();
        let mut text = String::new();
        loop {
            match self.xml.next(&mut text)? {
                Ev::End if self.xml.depth() < depth => return Ok(text),
                Ev::Start | Ev::End => {}
                Ev::Eof => return Err(self.xml.malformed(self.xml.here(), "an end tag".into())),
            }
        }
    }

    /// Skips the element just started, without keeping its text.
    fn skip(&mut self) -> Result<(), ImportError> {
        let depth = self.xml.depth();
        loop {
            self.scratch.clear();
            match self.xml.next(&mut self.scratch)? {
                Ev::End if self.xml.depth() < depth => return Ok(()),
                Ev::Start | Ev::End => {}
                Ev::Eof => return Err(self.xml.malformed(self.xml.here(), "an end tag".into())),
            }
        }
    }
}

impl<R: BufRead> Iterator for WxrReader<R> {
    type Item = Result<WxrRecord, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(record) = self.pending.pop_front() {
            return Some(Ok(record));
        }
        if self.phase == Phase::Done {
            return None;
        }
        match self.advance() {
            Ok(()) => self.pending.pop_front().map(Ok),
            Err(e) => {
                self.phase = Phase::Done;
                self.pending.clear();
                Some(Err(e))
            }
        }
    }
}

/// Checks a whole export quickly (well-formed to the last byte, a supported WXR version,
/// a readable structure) without converting content, and counts its records.
///
/// Importing is all or nothing: validate first, import only when this passes, since a
/// truncated or malformed file is only known to be broken at the place it breaks.
pub fn validate_wxr(path: &Path) -> Result<WxrSummary, ImportError> {
    validate_wxr_with(path, WxrOptions::default())
}

/// [`validate_wxr`] with options: with [`WxrOptions::strict`], an item whose data cannot be
/// read refuses the file, as it will in the importing pass.
pub fn validate_wxr_with(path: &Path, options: WxrOptions) -> Result<WxrSummary, ImportError> {
    WxrReader::open(path, options)?.summarize()
}

fn parse_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// The post id in a plain permalink: `?p=19`, `?page_id=2`, `?attachment_id=7`.
fn id_from_url(url: &str) -> Option<i64> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        matches!(key, "p" | "page_id" | "attachment_id")
            .then(|| parse_id(value))
            .flatten()
    })
}

#[derive(Clone, Copy)]
enum Header {
    Title,
    Description,
    Language,
    Link,
    BaseSiteUrl,
    BaseBlogUrl,
}

#[derive(Clone, Copy)]
enum ChannelChild {
    Header(Header),
    Version,
    Author,
    Category,
    Tag,
    Term,
    Item,
    Other,
}

impl ChannelChild {
    fn of(name: &str) -> ChannelChild {
        match name {
            "title" => ChannelChild::Header(Header::Title),
            "description" => ChannelChild::Header(Header::Description),
            "language" => ChannelChild::Header(Header::Language),
            "link" => ChannelChild::Header(Header::Link),
            "wp:base_site_url" => ChannelChild::Header(Header::BaseSiteUrl),
            "wp:base_blog_url" => ChannelChild::Header(Header::BaseBlogUrl),
            "wp:wxr_version" => ChannelChild::Version,
            "wp:author" => ChannelChild::Author,
            "wp:category" => ChannelChild::Category,
            "wp:tag" => ChannelChild::Tag,
            "wp:term" => ChannelChild::Term,
            "item" => ChannelChild::Item,
            _ => ChannelChild::Other,
        }
    }
}

/// An item's fields as written, before conversion.
#[derive(Default)]
struct RawItem {
    title: String,
    link: String,
    creator: String,
    /// `<wp:author>` inside an item: a hand-made variant of `dc:creator`.
    wp_author: String,
    content: String,
    excerpt: String,
    post_id: String,
    post_id_at: Option<Pos>,
    post_date: String,
    post_date_gmt: String,
    post_modified: String,
    post_modified_gmt: String,
    comment_status: String,
    post_name: String,
    status: String,
    post_parent: String,
    menu_order: String,
    post_type: String,
    post_password: String,
    is_sticky: String,
    sticky: String,
    attachment_url: String,
    guid: String,
    /// (domain, nicename, name) of each `<category>`.
    terms: Vec<(String, String, String)>,
    /// Names of `<category>` elements without domain and nicename.
    plain_categories: Vec<String>,
    meta: Vec<(String, String)>,
    comments: Vec<RawComment>,
}

impl RawItem {
    fn set(&mut self, name: &str, value: String, at: Pos) {
        let slot = match name {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "guid" => &mut self.guid,
            "dc:creator" => &mut self.creator,
            "wp:author" => &mut self.wp_author,
            "content:encoded" => &mut self.content,
            "excerpt:encoded" => &mut self.excerpt,
            "wp:post_id" => {
                self.post_id_at = Some(at);
                &mut self.post_id
            }
            "wp:post_date" => &mut self.post_date,
            "wp:post_date_gmt" => &mut self.post_date_gmt,
            "wp:post_modified" => &mut self.post_modified,
            "wp:post_modified_gmt" => &mut self.post_modified_gmt,
            "wp:comment_status" => &mut self.comment_status,
            "wp:post_name" => &mut self.post_name,
            "wp:status" => &mut self.status,
            "wp:post_parent" => &mut self.post_parent,
            "wp:menu_order" => &mut self.menu_order,
            "wp:post_type" => &mut self.post_type,
            "wp:post_password" => &mut self.post_password,
            "wp:is_sticky" => &mut self.is_sticky,
            "wp:sticky" => &mut self.sticky,
            "wp:attachment_url" => &mut self.attachment_url,
            _ => return,
        };
        *slot = value;
    }
}

#[derive(Default)]
struct RawComment {
    /// Where the `<wp:comment>` starts, for errors about its fields.
    at: Pos,
    id: String,
    author: String,
    email: String,
    url: String,
    date: String,
    date_gmt: String,
    content: String,
    approved: String,
    comment_type: String,
    parent: String,
}

impl RawComment {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "wp:comment_id" => &mut self.id,
            "wp:comment_author" => &mut self.author,
            "wp:comment_author_email" => &mut self.email,
            "wp:comment_author_url" => &mut self.url,
            "wp:comment_date" => &mut self.date,
            "wp:comment_date_gmt" => &mut self.date_gmt,
            "wp:comment_content" => &mut self.content,
            "wp:comment_approved" => &mut self.approved,
            "wp:comment_type" => &mut self.comment_type,
            "wp:comment_parent" => &mut self.parent,
            _ => return,
        };
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nashir_core::PublishState;

    const HEAD: &str = "<rss><channel><title>موقع</title><link>https://news.example/</link><wp:wxr_version>1.2</wp:wxr_version>";

    fn read(body: &str) -> Result<Vec<WxrRecord>, ImportError> {
        let xml = format!("{HEAD}{body}</channel></rss>");
        WxrReader::from_reader(xml.as_bytes(), "t.xml", WxrOptions::default())?.collect()
    }

    fn items(records: &[WxrRecord]) -> Vec<&Item> {
        records
            .iter()
            .filter_map(|r| {
                if let WxrRecord::Item(i) = r {
                    Some(&**i)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn header_comes_first_with_the_site_key() {
        let records = read("").unwrap();
        let [WxrRecord::Site(site)] = records.as_slice() else {
            panic!("{records:?}")
        };
        assert_eq!(site.site_key, "news.example");
        assert_eq!(site.wxr_version, "1.2");
        assert_eq!(site.title, "موقع");
    }

    #[test]
    fn undeclared_authors_and_terms_are_implied_before_the_item() {
        let records = read(
            "<item><wp:post_id>5</wp:post_id><dc:creator>sara</dc:creator>\
             <category domain=\"category\" nicename=\"%d8%b1%d9%8a%d8%a7%d8%b6%d8%a9\">رياضة</category>\
             <category domain=\"post_tag\" nicename=\"x\">X</category><category>no nicename</category></item>",
        )
        .unwrap();
        assert!(
            matches!(&records[1], WxrRecord::Author(a) if a.login == "sara" && a.implied && a.old_path == "/author/sara")
        );
        assert!(
            matches!(&records[2], WxrRecord::Category(c) if c.nicename == "رياضة" && c.implied && c.old_path == "/category/رياضة")
        );
        assert!(matches!(&records[3], WxrRecord::Tag(t) if t.nicename == "x" && t.implied));
        let item = items(&records)[0];
        assert_eq!(item.categories, ["رياضة"]);
        assert_eq!(item.tags, ["x"]);
    }

    #[test]
    fn category_paths_follow_parents() {
        let records = read(
            "<wp:category><wp:category_nicename>a</wp:category_nicename><wp:cat_name>A</wp:cat_name></wp:category>\
             <wp:category><wp:category_nicename>b</wp:category_nicename><wp:category_parent>a</wp:category_parent><wp:cat_name>B</wp:cat_name></wp:category>\
             <wp:category><wp:category_nicename>c</wp:category_nicename><wp:category_parent>b</wp:category_parent><wp:cat_name>C</wp:cat_name></wp:category>",
        )
        .unwrap();
        let WxrRecord::Category(c) = &records[3] else {
            panic!()
        };
        assert_eq!(c.old_path, "/category/a/b/c");
        assert_eq!(c.parent.as_deref(), Some("b"));
    }

    fn read_strict(body: &str) -> Result<Vec<WxrRecord>, ImportError> {
        let xml = format!("{HEAD}{body}</channel></rss>");
        let options = WxrOptions { strict: true, ..WxrOptions::default() };
        WxrReader::from_reader(xml.as_bytes(), "t.xml", options)?.collect()
    }

    #[test]
    fn an_item_without_a_readable_id_is_skipped_with_its_reason() {
        let records = read(
            "<item><title>أ</title></item><item>\n<title>ب</title><wp:post_id>abc</wp:post_id></item>\
             <item><wp:post_id>3</wp:post_id><title>ج</title><wp:comment><wp:comment_id>x</wp:comment_id></wp:comment>\
             <wp:comment><wp:comment_id>4</wp:comment_id></wp:comment></item>",
        )
        .unwrap();
        let skipped: Vec<_> = records
            .iter()
            .filter_map(|r| if let WxrRecord::Unreadable(u) = r { Some(u) } else { None })
            .collect();
        assert_eq!(skipped.len(), 3, "{records:?}");
        assert_eq!((skipped[0].what, skipped[0].title.as_str()), ("item", "أ"));
        assert!(skipped[0].reason.contains("expected <wp:post_id> with a number"), "{:?}", skipped[0]);
        assert_eq!((skipped[1].source_id.as_str(), skipped[1].title.as_str()), ("abc", "ب"));
        assert!(skipped[1].reason.contains("line 2, column 1"), "{:?}", skipped[1]);
        assert_eq!((skipped[2].what, skipped[2].source_id.as_str()), ("comment", "x"));
        let kept = items(&records);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].comments.len(), 1);
    }

    #[test]
    fn strict_refuses_missing_or_bad_post_id() {
        let read = read_strict;
        let err = read("<item><title>x</title></item>").unwrap_err();
        assert!(
            err.to_string()
                .contains("expected <wp:post_id> with a number"),
            "{err}"
        );
        let err = read("<item>\n<wp:post_id>abc</wp:post_id></item>").unwrap_err();
        assert!(
            err.to_string()
                .contains("line 2, column 1: expected a number in <wp:post_id>, found \"abc\""),
            "{err}"
        );
    }

    #[test]
    fn a_missing_post_id_comes_from_the_permalink() {
        let records =
            read("<item><link>https://e.example/?p=19</link><category>قوارب</category></item>")
                .unwrap();
        let item = items(&records)[0];
        assert_eq!(item.source_id, 19);
        assert_eq!(item.categories, ["قوارب"]);
        assert_eq!(id_from_url("https://e.example/?page_id=2#c"), Some(2));
        assert_eq!(id_from_url("https://e.example/?s=x&p=abc"), None);
    }

    #[test]
    fn password_protected_posts_stay_drafts() {
        let records = read(
            "<item><wp:post_id>1</wp:post_id><wp:status>publish</wp:status><wp:post_password>enter</wp:post_password></item>",
        )
        .unwrap();
        let item = items(&records)[0];
        assert!(item.password_protected);
        assert_eq!(item.status, PublishState::Draft);
    }

    #[test]
    fn version_problems_are_named() {
        let xml = "<rss><channel><wp:author><wp:author_login>a</wp:author_login></wp:author></channel></rss>";
        let err = WxrReader::from_reader(xml.as_bytes(), "t.xml", WxrOptions::default())
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.xml: line 1, column 15: no <wp:wxr_version> before <wp:author>: not a WordPress export, \
             or an unsupported one (WXR 1.0, 1.1 or 1.2 required)"
        );
        let xml = "<rss><channel><wp:wxr_version>2.0</wp:wxr_version></channel></rss>";
        let err = WxrReader::from_reader(xml.as_bytes(), "t.xml", WxrOptions::default())
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert!(
            err.to_string().contains("unsupported WXR version \"2.0\""),
            "{err}"
        );
    }

    #[test]
    fn other_documents_are_not_exports() {
        let err = WxrReader::from_reader("<urlset/>".as_bytes(), "t.xml", WxrOptions::default())
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("the root element is <urlset>, expected <rss>"),
            "{err}"
        );
        let err = WxrReader::from_reader("<rss></rss>".as_bytes(), "t.xml", WxrOptions::default())
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("no <channel>"), "{err}");
    }

    #[test]
    fn iteration_stops_after_an_error() {
        let xml = format!("{HEAD}<item><wp:post_id>1</wp:post_id></item><item>");
        let mut reader =
            WxrReader::from_reader(xml.as_bytes(), "t.xml", WxrOptions::default()).unwrap();
        assert!(matches!(reader.next(), Some(Ok(WxrRecord::Site(_)))));
        assert!(matches!(reader.next(), Some(Ok(WxrRecord::Item(_)))));
        assert!(matches!(
            reader.next(),
            Some(Err(ImportError::Malformed { .. }))
        ));
        assert!(reader.next().is_none());
    }
}
