//! Nashir's importers: WordPress exports (WXR 1.0, 1.1, 1.2) and JSON Lines files are read
//! as streams of records, converted, and written one keyed record at a time into a
//! [`Sink`] ([`import_wordpress`], [`import_jsonl`]); the store implements the sink, the
//! binary parses arguments and shows progress.
//!
//! # WordPress
//!
//! 1. [`validate_wxr`] reads the whole file once, fast (no content conversion): it refuses
//!    a malformed, truncated or unsupported export with the file, line, column and what
//!    was expected (`site.xml: line 120, column 7: expected </item>`), and returns a
//!    [`WxrSummary`] of counts for the progress bar and the site's inferred UTC offset.
//!    Import nothing unless it passes.
//! 2. [`WxrReader`] then streams [`WxrRecord`]s: the [`SiteInfo`] header first (its
//!    `site_key` and each item's `source_id` identify records across re-imports), then
//!    authors, categories, tags and items in file order. Each [`Item`] arrives converted:
//!    title as plain text, slug decoded and normalized, content as sanitized HTML, dates as
//!    unix microseconds, old URLs as normalized paths, comments with their threading.
//!
//! The reader holds one item at a time (quick-xml over a `BufRead`): memory does not grow
//! with the file (about 5 MB peak for a 200 MB export; see `benches/wxr_memory.rs`).
//! An `Author`, `Category` or `Tag` record always precedes the first item naming it: one is
//! made up (`implied: true`) for a login or term an item uses without a declaration.
//! Featured images (`Item::thumbnail_id`) name attachments by `source_id`; attachments may
//! come after the posts that use them, so resolve them once the stream is done.
//! In-content image URLs are reported as written (absolute, or relative to the old site).
//!
//! ```no_run
//! use nashir_import::{WxrOptions, WxrReader, WxrRecord, validate_wxr};
//! # fn main() -> Result<(), nashir_import::ImportError> {
//! let path = std::path::Path::new("site.xml");
//! let summary = validate_wxr(path)?;
//! let time_zone = summary.site_time_zone().unwrap_or(jiff::tz::TimeZone::UTC);
//! for record in WxrReader::open(path, WxrOptions { time_zone, ..WxrOptions::default() })? {
//!     match record? {
//!         WxrRecord::Site(site) => println!("importing {}", site.site_key),
//!         WxrRecord::Item(item) => println!("{} /{}", item.source_id, item.slug),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # JSON Lines
//!
//! [`JsonlReader`] yields one [`JsonlRecord`] per line, or a [`LineError`] naming the line
//! and what is wrong with it; the other lines still come through.
//!
//! # Shared pieces
//!
//! [`sanitize_article_html`] is the project's article HTML allow-list.
//! [`convert_wordpress_content`] applies WordPress's display rules (paragraphs, captions,
//! shortcodes, block markers, `<!--more-->`, `<!--nextpage-->`). [`normalize_path`] is the
//! canonical form of old URLs: every `old_path` is in that form, so apply it to the
//! request path before looking a redirect up.
//! [`unique_slug`] appends `-2`, `-3`… within Nashir's 80-character slug limit.

// A failing unwrap is a failing test; outside tests the workspace lint forbids them.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod content;
mod dates;
mod error;
mod jsonl;
mod paths;
mod position;
/// The whole import: records into a sink, with a summary.
mod run;
mod slug;
mod wxr;
mod xml;

pub use content::{
    ConversionReport, ConvertedContent, Gallery, comment_plain_text, convert_wordpress_content,
    gallery_token, plain_text_to_html,
};
pub use error::{ImportError, LineError};
pub use jsonl::{JsonlOptions, JsonlReader, JsonlRecord};
pub use paths::{normalize_path, site_key, url_path};
pub use run::{
    JsonlImport, NavEntry, NewCategory, NewPage, NewPerson, NewTag, Progress, RunError, Sink, Skip, Summary, Upserted,
    WordpressImport, import_jsonl, import_wordpress,
};
/// The project's one article allow-list lives in nashir-core; re-exported for importers.
pub use nashir_core::sanitize_article_html;
pub use slug::{article_slug, decode_wp_slug, unique_slug};
pub use wxr::{
    Author, Category, CommentImportStatus, Item, ItemKind, SiteInfo, Tag, Unreadable, WxrComment,
    WxrOptions, WxrReader, WxrRecord, WxrSummary, validate_wxr, validate_wxr_with,
};
