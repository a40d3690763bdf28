//! `nashir import wordpress` and `nashir import jsonl`: arguments, the time zone to read
//! dates in, a progress bar and the printed summary. The import itself is
//! `nashir_import::{import_wordpress, import_jsonl}`, writing through the store.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nashir_import::{JsonlImport, Progress, WordpressImport, import_jsonl, import_wordpress};
use nashir_store::Store;

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
    /// The account (by email) that gets posts whose author is missing from the export
    /// [default: a "فريق التحرير" byline made for the import]
    #[arg(long, value_name = "EMAIL")]
    default_author: Option<String>,
    /// Refuse the export when an item's data cannot be read (a post id that is not a
    /// number…) instead of skipping that item and reporting it
    #[arg(long)]
    strict: bool,
    /// The navigation menu (slug or name) that becomes the category bar [default: the one
    /// called primary, main, header or top, else the one with the most categories]
    #[arg(long, value_name = "MENU")]
    menu: Option<String>,
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

/// An indicatif bar as the import's progress display.
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} importing [{bar:40}] {pos}/{len} ({per_sec}, eta {eta}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&mut self, total: u64) {
        self.bar.set_length(total);
    }
    fn advance(&mut self, steps: u64) {
        self.bar.inc(steps);
    }
    fn warn(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("{message}"));
    }
    fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// The zone for dates without an offset: the flag, else the site's configured zone (file,
/// environment, database), else None.
async fn time_zone(flag: Option<&str>, store_args: &StoreArgs, store: &Store) -> anyhow::Result<Option<jiff::tz::TimeZone>> {
    let lookup = |name: &str| {
        jiff::tz::TimeZone::get(name)
            .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(name))
            .with_context(|| format!("unknown time zone `{name}`"))
    };
    if let Some(name) = flag {
        return lookup(name).map(Some);
    }
    if let Some(name) = FileConfig::load(store_args.config.as_deref())?.time_zone.or_else(|| std::env::var("NASHIR_TIME_ZONE").ok()) {
        return lookup(&name).map(Some);
    }
    match store.meta("time_zone").await? {
        Some(name) => lookup(&name).map(Some),
        None => Ok(None),
    }
}

async fn open_store(args: &StoreArgs) -> anyhow::Result<(PathBuf, Store)> {
    let (data_dir, url) = args.database_url()?;
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
    }
    let store = Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))?;
    Ok((data_dir, store))
}

async fn wordpress(args: WordpressArgs) -> anyhow::Result<()> {
    // A malformed export is refused before the database is even opened.
    let read = nashir_import::WxrOptions { strict: args.strict, ..nashir_import::WxrOptions::default() };
    let checked = nashir_import::validate_wxr_with(&args.export, read)?;
    let (data_dir, store) = open_store(&args.store).await?;
    let options = WordpressImport {
        export: args.export.clone(),
        uploads: args.uploads.clone(),
        uploads_target: data_dir.join("uploads"),
        time_zone: time_zone(args.timezone.as_deref(), &args.store, &store).await?,
        dry_run: args.dry_run,
        default_author: args.default_author.clone(),
        strict: args.strict,
        menu: args.menu.clone(),
    };
    let summary = import_wordpress(&options, &checked, &store, &mut Bar::new()).await?;
    say!("{}", summary.to_string().trim_end());
    report(&data_dir, "wordpress", &args.export, &summary)?;
    if args.uploads.is_some() && !args.dry_run {
        // The server's own media settings (folder or bucket), from its environment.
        let media = nashir_web::MediaOptions {
            dir: Some(std::env::var_os("NASHIR_MEDIA_DIR").map_or_else(|| data_dir.join("media"), PathBuf::from)),
            store: std::env::var("NASHIR_MEDIA_STORE").ok().filter(|s| !s.trim().is_empty()),
            ..nashir_web::MediaOptions::default()
        };
        let files = nashir_web::MediaStore::open(&media).context("opening the media library's storage")?;
        let adopted = crate::media_import::adopt_uploads(&store, &data_dir.join("uploads"), &files, &summary.photo_texts).await?;
        say!(
            "  media library: {} photos added ({} already there), {} featured images; their files are made when the server runs",
            adopted.photos, adopted.already, adopted.featured
        );
    }
    store.close().await;
    Ok(())
}

async fn jsonl(args: JsonlArgs) -> anyhow::Result<()> {
    let (data_dir, store) = open_store(&args.store).await?;
    let options = JsonlImport {
        file: args.file.clone(),
        time_zone: time_zone(args.timezone.as_deref(), &args.store, &store).await?.unwrap_or(jiff::tz::TimeZone::UTC),
        dry_run: args.dry_run,
    };
    let summary = import_jsonl(&options, &store, &mut Bar::new()).await.with_context(|| format!("importing {}", args.file.display()))?;
    say!("{}", summary.to_string().trim_end());
    report(&data_dir, "jsonl", &args.file, &summary)?;
    store.close().await;
    Ok(())
}

/// Writes the summary (every skip reason, its count and examples) to a report file beside
/// the data folder, named by the data folder and the time, and says where.
fn report(data_dir: &std::path::Path, kind: &str, source: &std::path::Path, summary: &nashir_import::Summary) -> anyhow::Result<()> {
    if summary.dry_run {
        return Ok(());
    }
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = data_dir.file_name().map_or_else(|| "nashir-data".to_owned(), |n| n.to_string_lossy().into_owned());
    let parent = data_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let path = parent.join(format!("{name}-import-{stamp}.txt"));
    let text = format!("nashir import {kind} {}\n{summary}", source.display());
    match std::fs::write(&path, text) {
        Ok(()) => say!("  report: {}", path.display()),
        // The import is done; a report that cannot be written is said, not fatal.
        Err(e) => eprintln!("warning: the report could not be written to {}: {e}", path.display()),
    }
    Ok(())
}
