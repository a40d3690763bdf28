//! The records a WordPress export (WXR 1.0–1.2) streams out, and a validation summary.
//! Owns the public shape of authors, terms, items and comments, and the status mapping.

mod reader;

pub use reader::{WxrReader, validate_wxr, validate_wxr_with};

use jiff::tz::{Offset, TimeZone};
use nashir_core::{CommentStatus, PublishState};

use crate::content::ConversionReport;

/// How to read an export.
#[derive(Debug, Clone)]
pub struct WxrOptions {
    /// The zone WordPress's local dates are read in when a GMT date is missing
    /// (`0000-00-00 00:00:00`, as on drafts). WXR does not record the site's zone:
    /// [`WxrSummary::site_time_zone`] infers its offset from the export. Default: UTC.
    pub time_zone: TimeZone,
    /// Refuse the file when an item's or a comment's data cannot be read (a post id that
    /// is not a number…), as older Nashir did. Default: such an item is left out and
    /// reported as [`WxrRecord::Unreadable`]; malformed XML is refused either way.
    pub strict: bool,
}

impl Default for WxrOptions {
    fn default() -> Self {
        WxrOptions {
            time_zone: TimeZone::UTC,
            strict: false,
        }
    }
}

/// One record of an export, in file order. `Site` always comes first; an `Author`,
/// `Category` or `Tag` record always comes before the first item that names it (one is
/// made up, with `implied: true`, when an item names a login or term the export never
/// declared).
#[derive(Debug, Clone, PartialEq)]
pub enum WxrRecord {
    Site(SiteInfo),
    Author(Author),
    Category(Category),
    Tag(Tag),
    /// Boxed: an item is much larger than the other records.
    Item(Box<Item>),
    /// A `<wp:term>` of a taxonomy Nashir has no place for (a post format, a menu, a
    /// plugin's own): reported, not imported. Categories and tags given as `<wp:term>` are
    /// `Category` and `Tag` records.
    OtherTerm { taxonomy: String, slug: String, name: String },
    /// An item or comment left out because its data could not be read from a well-formed
    /// file (comes before the item it belonged to, when the item itself was kept).
    Unreadable(Unreadable),
}

/// What could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// `item` or `comment`.
    pub what: &'static str,
    /// The id as written (may be empty or not a number: that is often why).
    pub source_id: String,
    /// The item's title (the comment's item's, for a comment).
    pub title: String,
    /// The file, line and column and what was expected there.
    pub reason: String,
}

/// The export's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInfo {
    pub title: String,
    pub description: String,
    pub language: String,
    /// The channel's `<link>`.
    pub link: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    /// Identifies the source site across imports, so a re-import updates instead of
    /// duplicating: [`site_key`](crate::site_key) of `wp:base_blog_url`, else of `link`,
    /// else of `wp:base_site_url` (the blog URL first: on a multisite network, and on
    /// WordPress.com, `base_site_url` is the network's and is shared by every blog).
    /// `title:` and the title when the export has no URL at all.
    pub site_key: String,
    /// `1.0`, `1.1` or `1.2`.
    pub wxr_version: String,
}

/// A `wp:author`, or a login an item names without it being declared (WXR 1.0 has no
/// author list at all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub login: String,
    pub email: String,
    /// The display name; the login when the export has none.
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// WordPress's author archive, `/author/{nicename}`, normalized.
    pub old_path: String,
    /// Made up from an item's `dc:creator`, not declared in the export.
    pub implied: bool,
}

/// A category. Parents come before their children in WordPress exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Category {
    /// WordPress's slug, percent-decoded and repaired: the key items and children use.
    pub nicename: String,
    /// A slug by Nashir's rules (see [`article_slug`](crate::article_slug)).
    pub slug: String,
    pub name: String,
    /// The parent's `nicename`.
    pub parent: Option<String>,
    pub description: String,
    /// WordPress's archive, `/category/parent/child`, normalized.
    pub old_path: String,
    /// `wp:term_id`: what menu items name the category by.
    pub term_id: Option<i64>,
    pub implied: bool,
}

/// A tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tag {
    /// WordPress's slug, percent-decoded and repaired: the key items use.
    pub nicename: String,
    /// A slug by Nashir's rules.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// WordPress's archive, `/tag/{slug}`, normalized.
    pub old_path: String,
    /// `wp:term_id`: what menu items name the tag by.
    pub term_id: Option<i64>,
    pub implied: bool,
}

/// What an item is. Only posts and pages become articles; attachments are media; the
/// rest (`nav_menu_item`, `revision`, `wp_navigation`, custom types) are for the caller
/// to skip and count.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Post,
    Page,
    Attachment,
    Other(String),
}

impl ItemKind {
    /// Posts and pages, the items that become articles.
    pub fn is_article(&self) -> bool {
        matches!(self, ItemKind::Post | ItemKind::Page)
    }

    fn from_wp(post_type: &str) -> ItemKind {
        match post_type.trim() {
            // WXR 1.0 items may lack the element; WordPress's importer assumes a post.
            "post" | "" => ItemKind::Post,
            "page" => ItemKind::Page,
            "attachment" => ItemKind::Attachment,
            other => ItemKind::Other(other.to_owned()),
        }
    }
}

/// A post, page, attachment or other item, converted.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `wp:post_id`; with [`SiteInfo::site_key`] it identifies the item across imports.
    pub source_id: i64,
    pub kind: ItemKind,
    /// Plain text: entities decoded, tags stripped; direction marks (RLM, LRM) kept.
    pub title: String,
    /// A slug by Nashir's rules from `wp:post_name` (decoded and repaired), else from the
    /// title, else `post-{id}`; not yet unique (see [`unique_slug`](crate::unique_slug)).
    pub slug: String,
    /// Converted and sanitized HTML (see [`convert_wordpress_content`](crate::convert_wordpress_content)).
    pub content_html: String,
    /// Plain text: the export's excerpt, else the text before `<!--more-->`, else empty.
    pub excerpt: String,
    /// `publish` → published, `future` → scheduled, `draft` → draft, `pending` → pending,
    /// `private` and `trash` → unpublished, anything else → draft; a password-protected
    /// item is a draft whatever its status (never public).
    pub status: PublishState,
    /// `wp:status` as written.
    pub wp_status: String,
    pub password_protected: bool,
    /// Unix microseconds (UTC): `post_date_gmt`, else `post_date` in the reader's zone.
    pub published_at: Option<i64>,
    pub modified_at: Option<i64>,
    /// `dc:creator`.
    pub author_login: String,
    /// Category nicenames.
    pub categories: Vec<String>,
    /// Tag nicenames.
    pub tags: Vec<String>,
    pub sticky: bool,
    pub comments_open: bool,
    /// `wp:post_parent` (a page's parent page, an attachment's post); `None` for 0.
    pub parent_id: Option<i64>,
    pub menu_order: i64,
    /// `wp:attachment_url` of an attachment.
    pub attachment_url: Option<String>,
    /// `_wp_attached_file`: the file's path under the uploads folder (`2017/06/a.jpg`).
    pub attached_file: Option<String>,
    /// `_thumbnail_id`: the featured image's attachment `source_id`.
    pub thumbnail_id: Option<i64>,
    /// `src` of each `<img>` in the content.
    pub image_urls: Vec<String>,
    /// The content's `[gallery]`s; the i-th is the paragraph `<p>{gallery_token(i)}</p>`
    /// of `content_html` (see [`gallery_token`](crate::gallery_token)).
    pub galleries: Vec<crate::Gallery>,
    /// The navigation menu (slug, name) a `nav_menu_item` belongs to.
    pub menu: Option<(String, String)>,
    /// Old URLs to redirect, normalized: the permalink's path, `/?p={id}`, and
    /// `/?page_id={id}` or `/?attachment_id={id}` for pages and attachments.
    pub old_paths: Vec<String>,
    pub comments: Vec<WxrComment>,
    pub conversion: ConversionReport,
    /// Every `wp:postmeta` as written (PHP-serialized values are left serialized).
    pub meta: Vec<(String, String)>,
}

/// A comment, pingback or trackback of an item. Threading is by `source_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WxrComment {
    pub source_id: i64,
    /// The comment this one answers; `None` at the top of a thread.
    pub parent_source_id: Option<i64>,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    /// Plain text: tags stripped, entities decoded, line breaks kept.
    pub body: String,
    pub status: CommentImportStatus,
    /// Unix microseconds: `comment_date_gmt`, else `comment_date` in the reader's zone.
    pub created_at: Option<i64>,
}

/// A comment's state in the export. Pingbacks and trackbacks are not comments: the
/// caller skips and counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentImportStatus {
    Approved,
    Pending,
    Spam,
    Trash,
    Pingback,
    Trackback,
}

impl CommentImportStatus {
    fn from_wp(comment_type: &str, approved: &str) -> CommentImportStatus {
        match comment_type.trim() {
            "pingback" => return CommentImportStatus::Pingback,
            "trackback" => return CommentImportStatus::Trackback,
            _ => {}
        }
        match approved.trim() {
            "1" | "approve" | "approved" => CommentImportStatus::Approved,
            "spam" => CommentImportStatus::Spam,
            "trash" | "post-trashed" => CommentImportStatus::Trash,
            // "0", "hold" and anything unknown wait for a moderator.
            _ => CommentImportStatus::Pending,
        }
    }

    /// The Nashir status of a comment; `None` for pingbacks and trackbacks.
    pub fn comment_status(self) -> Option<CommentStatus> {
        match self {
            CommentImportStatus::Approved => Some(CommentStatus::Approved),
            CommentImportStatus::Pending => Some(CommentStatus::Pending),
            CommentImportStatus::Spam => Some(CommentStatus::Spam),
            CommentImportStatus::Trash => Some(CommentStatus::Trash),
            CommentImportStatus::Pingback | CommentImportStatus::Trackback => None,
        }
    }
}

/// Maps a WordPress status onto Nashir's; see [`Item::status`].
pub(crate) fn publish_state(wp_status: &str, password_protected: bool) -> PublishState {
    if password_protected {
        return PublishState::Draft;
    }
    match wp_status.trim() {
        // Attachments "inherit" their parent's status; they are media, not articles.
        "publish" | "inherit" => PublishState::Published,
        "future" => PublishState::Scheduled,
        "pending" => PublishState::Pending,
        "private" | "trash" => PublishState::Unpublished,
        _ => PublishState::Draft,
    }
}

/// Totals of an export, from [`validate_wxr`], for the progress bar and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WxrSummary {
    pub wxr_version: String,
    pub site_key: String,
    pub title: String,
    /// Declared `wp:author`s, `wp:category`s and `wp:tag`s.
    pub authors: u64,
    pub categories: u64,
    pub tags: u64,
    /// Records made up for logins and terms items name without a declaration.
    pub implied_authors: u64,
    pub implied_categories: u64,
    pub implied_tags: u64,
    /// `wp:term`s of other taxonomies (custom taxonomies, menus): not imported.
    pub other_terms: u64,
    /// Items and comments whose data could not be read, left out (see [`WxrOptions::strict`]).
    pub unreadable: u64,
    pub posts: u64,
    pub pages: u64,
    pub attachments: u64,
    /// Items of other types (menus, revisions, custom post types).
    pub other_items: u64,
    /// Comments, whatever their moderation status.
    pub comments: u64,
    /// Pingbacks and trackbacks.
    pub pings: u64,
    /// The most common difference between `post_date` and `post_date_gmt`, in seconds:
    /// the site's UTC offset, as far as the export tells.
    pub utc_offset_seconds: Option<i64>,
}

impl WxrSummary {
    /// All items: the total for a progress bar over [`WxrReader`]'s items.
    pub fn items(&self) -> u64 {
        self.posts + self.pages + self.attachments + self.other_items
    }

    /// A fixed-offset zone for the site, inferred from its dates; use it when the user
    /// gave no `--timezone`. (WXR does not name the zone, so daylight saving time is not
    /// known.)
    pub fn site_time_zone(&self) -> Option<TimeZone> {
        let seconds = i32::try_from(self.utc_offset_seconds?).ok()?;
        Offset::from_seconds(seconds).ok().map(TimeZone::fixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_and_passwords_never_publish() {
        assert_eq!(publish_state("publish", false), PublishState::Published);
        assert_eq!(publish_state("future", false), PublishState::Scheduled);
        assert_eq!(publish_state("draft", false), PublishState::Draft);
        assert_eq!(publish_state("auto-draft", false), PublishState::Draft);
        assert_eq!(publish_state("pending", false), PublishState::Pending);
        assert_eq!(publish_state("private", false), PublishState::Unpublished);
        assert_eq!(publish_state("trash", false), PublishState::Unpublished);
        assert_eq!(
            publish_state("something-custom", false),
            PublishState::Draft
        );
        assert_eq!(publish_state("publish", true), PublishState::Draft);
        assert_eq!(publish_state("future", true), PublishState::Draft);
    }

    #[test]
    fn comment_statuses() {
        use CommentImportStatus::*;
        assert_eq!(CommentImportStatus::from_wp("", "1"), Approved);
        assert_eq!(CommentImportStatus::from_wp("comment", "0"), Pending);
        assert_eq!(CommentImportStatus::from_wp("", "spam"), Spam);
        assert_eq!(CommentImportStatus::from_wp("", "trash"), Trash);
        assert_eq!(CommentImportStatus::from_wp("pingback", "1"), Pingback);
        assert_eq!(CommentImportStatus::from_wp("trackback", "0"), Trackback);
        assert_eq!(Pingback.comment_status(), None);
        assert_eq!(Spam.comment_status(), Some(CommentStatus::Spam));
    }

    #[test]
    fn item_kinds() {
        assert_eq!(ItemKind::from_wp("post"), ItemKind::Post);
        assert_eq!(ItemKind::from_wp(" page\n"), ItemKind::Page);
        assert_eq!(
            ItemKind::from_wp("nav_menu_item"),
            ItemKind::Other("nav_menu_item".into())
        );
    }

    #[test]
    fn summary_zone_from_offset() {
        let s = WxrSummary {
            utc_offset_seconds: Some(3600),
            ..WxrSummary::default()
        };
        let tz = s.site_time_zone().expect("zone");
        assert_eq!(tz.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds(), 3600);
        assert!(WxrSummary::default().site_time_zone().is_none());
    }
}
