//! Configuration: one documented struct per command. Every setting is a flag, an
//! environment variable (`NASHIR_*`) and a key of `nashir.toml`; a flag beats the
//! environment, which beats the file, which beats the built-in default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Deserialize;

/// Where the data lives; every subcommand takes these.
#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// Folder for the SQLite database, the search index and uploads [default: ./nashir-data]
    #[arg(long, env = "NASHIR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A `postgres://…` URL to use PostgreSQL instead of SQLite in the data folder
    #[arg(long, env = "NASHIR_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// The configuration file [default: ./nashir.toml when it exists]
    #[arg(long, env = "NASHIR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "NASHIR_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// The public address of the site, used in canonical links, feeds and sitemaps
    /// [default: http:// and the listen address]
    #[arg(long, env = "NASHIR_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// A theme folder whose templates/ and static/ files override the built-in theme
    #[arg(long, env = "NASHIR_THEME", value_name = "DIR")]
    pub theme: Option<PathBuf>,
    /// Fill an empty site with demo content
    #[arg(long, env = "NASHIR_DEMO")]
    pub demo: bool,
    /// Render every page afresh instead of serving cached pages
    #[arg(long, env = "NASHIR_NO_PAGE_CACHE")]
    pub no_page_cache: bool,
    /// Address of a reverse proxy whose X-Forwarded-For header is trusted (repeatable;
    /// comma-separated in the environment)
    #[arg(long = "trusted-proxy", env = "NASHIR_TRUSTED_PROXIES", value_name = "IP", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Most bytes the page cache keeps (every stored coding counted); the least recently
    /// used pages go first [default: 24 MiB]
    #[arg(long, env = "NASHIR_PAGE_CACHE_BYTES", value_name = "BYTES")]
    pub page_cache_bytes: Option<usize>,
    /// Requests rendered at once; past this, answers are 503 with Retry-After at once
    /// (kept pages are still served) [default: 256]
    #[arg(long, env = "NASHIR_MAX_IN_FLIGHT", value_name = "N")]
    pub max_in_flight: Option<usize>,
    /// Seconds a client has to send a request's head, and an idle keep-alive connection
    /// stays open [default: 5]
    #[arg(long, env = "NASHIR_HEADER_TIMEOUT", value_name = "SECONDS")]
    pub header_timeout: Option<u64>,
    /// Open connections at once; more are closed as they arrive [default: 10000]
    #[arg(long, env = "NASHIR_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Searches per minute allowed from one address; 0 turns the limit off [default: 60]
    #[arg(long, env = "NASHIR_SEARCH_RATE_LIMIT", value_name = "N")]
    pub search_rate_limit: Option<u32>,
    /// Content API requests per minute allowed from one address (answers kept in the page
    /// cache do not count); 0 turns the limit off [default: 600]
    #[arg(long, env = "NASHIR_API_RATE_LIMIT", value_name = "N")]
    pub api_rate_limit: Option<u32>,
    /// Let webhooks target loopback and private network addresses (refused by default)
    #[arg(long, env = "NASHIR_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
    /// Let search engines index a search's first page of results when it has results and
    /// no filters (with its canonical address); by default every search page is noindex
    #[arg(long, env = "NASHIR_INDEX_SEARCH")]
    pub index_search: bool,
    /// Take a backup into a new folder inside DIR from time to time (see --backup-every)
    #[arg(long, env = "NASHIR_BACKUP_DIR", value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// How often scheduled backups are taken: 30m, 6h, 1d… [default: 1d]
    #[arg(long, env = "NASHIR_BACKUP_EVERY", value_name = "PERIOD")]
    pub backup_every: Option<String>,
    /// Scheduled backups kept; older ones are removed [default: 7]
    #[arg(long, env = "NASHIR_BACKUP_KEEP", value_name = "N")]
    pub backup_keep: Option<usize>,
    /// Serve /metrics (Prometheus) on this address of its own, e.g. 127.0.0.1:9100
    #[arg(long, env = "NASHIR_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// Serve /metrics on the site's address to requests with `Authorization: Bearer TOKEN`
    #[arg(long, env = "NASHIR_METRICS_TOKEN", value_name = "TOKEN")]
    pub metrics_token: Option<String>,
    /// Seconds a CDN or caching proxy may keep a page (`s-maxage`) when nothing is
    /// scheduled to change sooner [default: 60]
    #[arg(long, env = "NASHIR_SHARED_MAX_AGE", value_name = "SECONDS")]
    pub shared_max_age: Option<u64>,
    /// Seconds a stop (SIGTERM) waits for requests in flight before exiting [default: 10]
    #[arg(long, env = "NASHIR_DRAIN_TIMEOUT", value_name = "SECONDS")]
    pub drain_timeout: Option<u64>,
    /// How long outbox events are kept for an instance that is stopped: 12h, 7d… Events
    /// every running instance has read go sooner [default: 7d]
    #[arg(long, env = "NASHIR_OUTBOX_RETENTION", value_name = "PERIOD")]
    pub outbox_retention: Option<String>,
    /// Purge a CDN by surrogate key on every change: the purge endpoint, such as
    /// https://api.fastly.com/service/SERVICE_ID/purge,
    /// https://api.cloudflare.com/client/v4/zones/ZONE_ID/purge_cache, or a cache's own URL
    #[arg(long, env = "NASHIR_CDN_PURGE_URL", value_name = "URL")]
    pub cdn_purge_url: Option<String>,
    /// How purges are asked for: `fastly` (POST, Surrogate-Key and Fastly-Key headers),
    /// `cloudflare` (POST {"tags": […]} with a bearer token) or `generic` (a PURGE request
    /// with a Surrogate-Key header, as Varnish with xkey takes it) [default: generic]
    #[arg(long, env = "NASHIR_CDN_PURGE_STYLE", value_name = "STYLE")]
    pub cdn_purge_style: Option<String>,
    /// The CDN's API token for purges (better set in the environment)
    #[arg(long, env = "NASHIR_CDN_PURGE_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub cdn_purge_token: Option<String>,
    /// The site's name [default: ناشر]
    #[arg(long, env = "NASHIR_SITE_NAME", value_name = "TEXT")]
    pub site_name: Option<String>,
    /// One sentence about the site, for the home page and feeds
    #[arg(long, env = "NASHIR_SITE_DESCRIPTION", value_name = "TEXT")]
    pub site_description: Option<String>,
    /// The site's BCP-47 locale: language, region, optional -u-nu-latn [default: ar]
    #[arg(long, env = "NASHIR_LOCALE", value_name = "LOCALE")]
    pub locale: Option<String>,
    /// IANA time zone dates are shown in [default: UTC]
    #[arg(long, env = "NASHIR_TIME_ZONE", value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Days added to the Umm al-Qura Hijri date to match local moon sighting, -2 to 2 [default: 0]
    #[arg(long, env = "NASHIR_HIJRI_OFFSET", value_name = "DAYS", allow_negative_numbers = true)]
    pub hijri_offset: Option<i32>,
    /// The publisher's name for the author box [default: the site's name]
    #[arg(long, env = "NASHIR_PUBLISHER_NAME", value_name = "TEXT")]
    pub publisher_name: Option<String>,
    /// A short text about the publisher ("عن شبكة …")
    #[arg(long, env = "NASHIR_PUBLISHER_DESCRIPTION", value_name = "TEXT")]
    pub publisher_description: Option<String>,
    /// The publisher's web address
    #[arg(long, env = "NASHIR_PUBLISHER_URL", value_name = "URL")]
    pub publisher_url: Option<String>,
    #[command(flatten)]
    pub comments: CommentArgs,
    #[command(flatten)]
    pub syndication: SyndicationArgs,
    #[command(flatten)]
    pub media: MediaArgs,
}

/// The media library.
#[derive(Args, Debug, Clone, Default)]
pub struct MediaArgs {
    /// Folder for photos [default: DATA_DIR/media]
    #[arg(long, env = "NASHIR_MEDIA_DIR", value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// An S3-compatible bucket for photos instead of the folder, shared by every instance:
    /// s3://BUCKET[/PREFIX], credentials and endpoint from AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT (and AWS_ALLOW_HTTP=true for http)
    #[arg(long, env = "NASHIR_MEDIA_STORE", value_name = "URL")]
    pub media_store: Option<String>,
    /// Largest photo upload, in megabytes [default: 30]
    #[arg(long, env = "NASHIR_MEDIA_MAX_MB", value_name = "MB")]
    pub media_max_mb: Option<usize>,
    /// Most pixels of a photo, in megapixels [default: 60]
    #[arg(long, env = "NASHIR_MEDIA_MAX_MEGAPIXELS", value_name = "MP")]
    pub media_max_megapixels: Option<u64>,
    /// JPEG and WebP quality of the variants, 1 to 100 [default: 82]
    #[arg(long, env = "NASHIR_MEDIA_QUALITY", value_name = "Q")]
    pub media_quality: Option<u8>,
    /// Photos processed at once [default: 1]
    #[arg(long, env = "NASHIR_MEDIA_WORKERS", value_name = "N")]
    pub media_workers: Option<usize>,
}

impl MediaArgs {
    fn resolve(self, file: &FileConfig, data_dir: &std::path::Path) -> anyhow::Result<nashir_web::MediaOptions> {
        let defaults = nashir_web::MediaOptions::default();
        let dir = self.media_dir.or(file.media_dir.clone()).unwrap_or_else(|| data_dir.join("media"));
        let mb = self.media_max_mb.or(file.media_max_mb).unwrap_or(defaults.limits.max_bytes / (1024 * 1024));
        let mp = self.media_max_megapixels.or(file.media_max_megapixels).unwrap_or(defaults.limits.max_pixels / 1_000_000);
        let quality = self.media_quality.or(file.media_quality).unwrap_or(defaults.quality);
        if mb == 0 || mb > 1024 || mp == 0 || mp > 1000 {
            bail!("media limits: 1 to 1024 MB and 1 to 1000 megapixels");
        }
        if !(1..=100).contains(&quality) {
            bail!("media quality must be between 1 and 100");
        }
        let store = self.media_store.or(file.media_store.clone()).filter(|s| !s.trim().is_empty());
        if let Some(url) = &store
            && !url.starts_with("s3://")
        {
            bail!("--media-store {url}: expected s3://BUCKET[/PREFIX] (leave it out to keep photos in --media-dir)");
        }
        Ok(nashir_web::MediaOptions {
            dir: Some(dir),
            store,
            limits: nashir_media::Limits { max_bytes: mb * 1024 * 1024, max_pixels: mp * 1_000_000 },
            quality,
            workers: self.media_workers.or(file.media_workers).unwrap_or(defaults.workers).clamp(1, 16),
        })
    }
}

/// Feeds, the pings sent when they change, and the publisher in structured data.
#[derive(Args, Debug, Clone, Default)]
pub struct SyndicationArgs {
    /// Articles per feed, 1 to 500 [default: 30]
    #[arg(long, env = "NASHIR_FEED_ITEMS", value_name = "N")]
    pub feed_items: Option<u32>,
    /// Feeds carry excerpts with a link instead of whole articles
    #[arg(long, env = "NASHIR_FEED_EXCERPTS")]
    pub feed_excerpts: bool,
    /// A WebSub hub, named in every feed and pinged when an article is published or changed
    #[arg(long, env = "NASHIR_WEBSUB_HUB", value_name = "URL")]
    pub websub_hub: Option<String>,
    /// An IndexNow key (8-128 letters, digits, '-'): served at /KEY.txt and sent with changed URLs
    #[arg(long, env = "NASHIR_INDEXNOW_KEY", value_name = "KEY")]
    pub indexnow_key: Option<String>,
    /// Where IndexNow pings go [default: https://api.indexnow.org/indexnow]
    #[arg(long, env = "NASHIR_INDEXNOW_ENDPOINT", value_name = "URL")]
    pub indexnow_endpoint: Option<String>,
    /// The publisher's logo for structured data (a URL or a path on the site) [default: the theme's icon]
    #[arg(long, env = "NASHIR_PUBLISHER_LOGO", value_name = "URL")]
    pub publisher_logo: Option<String>,
}

impl SyndicationArgs {
    fn resolve(self, file: &FileConfig) -> anyhow::Result<nashir_web::SyndicationOptions> {
        let defaults = nashir_web::SyndicationOptions::default();
        let options = nashir_web::SyndicationOptions {
            feed_items: self.feed_items.or(file.feed_items).unwrap_or(defaults.feed_items),
            feed_full_text: !self.feed_excerpts && file.feed_full_text.unwrap_or(true),
            websub_hub: self.websub_hub.or(file.websub_hub.clone()).filter(|s| !s.is_empty()),
            indexnow_key: self.indexnow_key.or(file.indexnow_key.clone()).filter(|s| !s.is_empty()),
            indexnow_endpoint: self.indexnow_endpoint.or(file.indexnow_endpoint.clone()).unwrap_or(defaults.indexnow_endpoint),
            publisher_logo: self.publisher_logo.or(file.publisher_logo.clone()).filter(|s| !s.is_empty()),
        };
        options.check().map_err(|e| anyhow::anyhow!("feed settings: {e}"))?;
        Ok(options)
    }
}

/// Reader comments and the mail they cause.
#[derive(Args, Debug, Clone, Default)]
pub struct CommentArgs {
    /// Longest commenter name, in characters [default: 100]
    #[arg(long, env = "NASHIR_COMMENT_MAX_NAME", value_name = "CHARS")]
    pub comment_max_name: Option<usize>,
    /// Longest comment, in characters [default: 5000]
    #[arg(long, env = "NASHIR_COMMENT_MAX_LENGTH", value_name = "CHARS")]
    pub comment_max_length: Option<usize>,
    /// Links a comment may hold before it waits for a moderator [default: 2]
    #[arg(long, env = "NASHIR_COMMENT_MAX_LINKS", value_name = "N")]
    pub comment_max_links: Option<usize>,
    /// A word or phrase that sends a comment to the moderators (repeatable; comma-separated
    /// in the environment); matched after Arabic normalization
    #[arg(long = "comment-blocklist", env = "NASHIR_COMMENT_BLOCKLIST", value_name = "WORD", value_delimiter = ',')]
    pub comment_blocklist: Vec<String>,
    /// Close comments this many days after publication; 0 keeps them open [default: 0]
    #[arg(long, env = "NASHIR_COMMENTS_CLOSE_AFTER_DAYS", value_name = "DAYS")]
    pub comments_close_after_days: Option<u32>,
    /// Comments one address may post per window; 0 turns the limit off [default: 5]
    #[arg(long, env = "NASHIR_COMMENT_RATE_LIMIT", value_name = "N")]
    pub comment_rate_limit: Option<u32>,
    /// The rate limit's window in seconds [default: 600]
    #[arg(long, env = "NASHIR_COMMENT_RATE_WINDOW", value_name = "SECONDS")]
    pub comment_rate_window: Option<u64>,
    /// Least seconds between showing the comment form and submitting it [default: 3]
    #[arg(long, env = "NASHIR_COMMENT_MIN_SECONDS", value_name = "SECONDS")]
    pub comment_min_seconds: Option<u64>,
    /// Days a commenter's network address is kept for moderation [default: 30]
    #[arg(long, env = "NASHIR_COMMENT_ADDRESS_DAYS", value_name = "DAYS")]
    pub comment_address_days: Option<u32>,
    /// Do not email moderators about held comments
    #[arg(long, env = "NASHIR_NO_COMMENT_NOTIFICATIONS")]
    pub no_comment_notifications: bool,
    /// The SMTP server mail goes through: smtp://host:port, smtps://user:password@host,
    /// smtp://host?tls=required (STARTTLS); no mail is sent without it
    #[arg(long, env = "NASHIR_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,
    /// The sender of the site's mail, e.g. "ناشر <newsroom@news.example>"
    #[arg(long, env = "NASHIR_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
}

/// `nashir.toml`: the same settings as the flags, by the same names in snake_case.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<SocketAddr>,
    pub public_url: Option<String>,
    pub theme: Option<PathBuf>,
    pub demo: Option<bool>,
    pub page_cache: Option<bool>,
    pub page_cache_bytes: Option<usize>,
    pub max_in_flight: Option<usize>,
    pub header_timeout: Option<u64>,
    pub max_connections: Option<usize>,
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
    pub search_rate_limit: Option<u32>,
    pub api_rate_limit: Option<u32>,
    pub webhooks_allow_private: Option<bool>,
    pub index_search: Option<bool>,
    pub metrics_listen: Option<SocketAddr>,
    pub metrics_token: Option<String>,
    pub backup_dir: Option<PathBuf>,
    pub backup_every: Option<String>,
    pub backup_keep: Option<usize>,
    pub drain_timeout: Option<u64>,
    pub shared_max_age: Option<u64>,
    pub outbox_retention: Option<String>,
    pub cdn_purge_url: Option<String>,
    pub cdn_purge_style: Option<String>,
    pub cdn_purge_token: Option<String>,
    pub site_name: Option<String>,
    pub site_description: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub hijri_offset: Option<i32>,
    pub publisher_name: Option<String>,
    pub publisher_description: Option<String>,
    pub publisher_url: Option<String>,
    pub comment_max_name: Option<usize>,
    pub comment_max_length: Option<usize>,
    pub comment_max_links: Option<usize>,
    pub comment_blocklist: Option<Vec<String>>,
    pub comments_close_after_days: Option<u32>,
    pub comment_rate_limit: Option<u32>,
    pub comment_rate_window: Option<u64>,
    pub comment_min_seconds: Option<u64>,
    pub comment_address_days: Option<u32>,
    pub comment_notifications: Option<bool>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub feed_items: Option<u32>,
    pub feed_full_text: Option<bool>,
    pub websub_hub: Option<String>,
    pub indexnow_key: Option<String>,
    pub indexnow_endpoint: Option<String>,
    pub publisher_logo: Option<String>,
    pub media_dir: Option<PathBuf>,
    pub media_store: Option<String>,
    pub media_max_mb: Option<usize>,
    pub media_max_megapixels: Option<u64>,
    pub media_quality: Option<u8>,
    pub media_workers: Option<usize>,
}

impl FileConfig {
    /// Reads the file named by `--config`, or `./nashir.toml` when present.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<Self> {
        let path = match explicit {
            Some(p) => p.to_owned(),
            None => {
                let default = PathBuf::from("nashir.toml");
                if !default.exists() {
                    return Ok(Self::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading configuration file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("configuration file {}", path.display()))
    }
}

/// The site settings that survive resolution; the rest of the program reads only these.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub public_url: Option<String>,
    pub theme: Option<PathBuf>,
    pub demo: bool,
    pub page_cache: bool,
    pub page_cache_bytes: usize,
    pub serve: nashir_web::ServeOptions,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub search_rate_limit: u32,
    pub api_rate_limit: u32,
    pub webhooks_allow_private: bool,
    pub index_search: bool,
    pub metrics_listen: Option<SocketAddr>,
    pub metrics_token: Option<String>,
    /// Scheduled backups: where, how often, how many kept.
    pub backups: Option<(PathBuf, std::time::Duration, usize)>,
    pub outbox_retention: std::time::Duration,
    pub cdn_purge: Option<nashir_web::CdnPurge>,
    pub shared_max_age: i64,
    pub comments: nashir_web::CommentOptions,
    pub syndication: nashir_web::SyndicationOptions,
    pub media: nashir_web::MediaOptions,
    pub site: SiteSettings,
}

/// Site identity; a value left unset may come from the database (demo content sets some).
#[derive(Debug, Clone, Default)]
pub struct SiteSettings {
    pub name: Option<String>,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub hijri_offset: Option<i32>,
    pub publisher_name: Option<String>,
    pub publisher_description: Option<String>,
    pub publisher_url: Option<String>,
}

impl StoreArgs {
    /// The database URL for subcommands that only need the store.
    pub fn database_url(&self) -> anyhow::Result<(PathBuf, String)> {
        let file = FileConfig::load(self.config.as_deref())?;
        let data_dir = self.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("nashir-data"));
        let url = self
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| nashir_store::sqlite_url_for_dir(&data_dir));
        Ok((data_dir, url))
    }
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_SEARCH_RATE_LIMIT: u32 = 60;
pub const DEFAULT_API_RATE_LIMIT: u32 = 600;

impl ServeArgs {
    pub fn resolve(self) -> anyhow::Result<Settings> {
        let file = FileConfig::load(self.store.config.as_deref())?;
        let comments = self.comments.resolve(&file)?;
        let syndication = self.syndication.resolve(&file)?;
        let data_dir = self.store.data_dir.or(file.data_dir.clone()).unwrap_or_else(|| PathBuf::from("nashir-data"));
        let media = self.media.resolve(&file, &data_dir)?;
        let database_url = self
            .store
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| nashir_store::sqlite_url_for_dir(&data_dir));
        let listen = match self.listen.or(file.listen) {
            Some(l) => l,
            None => DEFAULT_LISTEN.parse()?,
        };
        let public_url = self.public_url.or(file.public_url).map(|u| u.trim_end_matches('/').to_owned());
        if let Some(u) = &public_url
            && (!(u.starts_with("http://") || u.starts_with("https://")) || u.len() <= "https://".len())
        {
            bail!("public URL `{u}` must start with http:// or https://");
        }
        let hijri_offset = self.hijri_offset.or(file.hijri_offset);
        if let Some(o) = hijri_offset
            && !(-2..=2).contains(&o)
        {
            bail!("Hijri offset {o} is out of range (-2 to 2 days)");
        }
        let defaults = nashir_web::ServeOptions::default();
        let serve = nashir_web::ServeOptions {
            header_timeout: self
                .header_timeout
                .or(file.header_timeout)
                .map_or(defaults.header_timeout, std::time::Duration::from_secs),
            max_in_flight: self.max_in_flight.or(file.max_in_flight).unwrap_or(defaults.max_in_flight).max(1),
            max_connections: self.max_connections.or(file.max_connections).unwrap_or(defaults.max_connections).max(1),
            drain_timeout: self.drain_timeout.or(file.drain_timeout).map_or(defaults.drain_timeout, std::time::Duration::from_secs),
        };
        let cdn_purge = match self.cdn_purge_url.or(file.cdn_purge_url.clone()).filter(|u| !u.trim().is_empty()) {
            None => None,
            Some(url) => {
                let style = self.cdn_purge_style.or(file.cdn_purge_style.clone()).unwrap_or_else(|| "generic".into());
                let token = self.cdn_purge_token.or(file.cdn_purge_token.clone()).filter(|t| !t.is_empty());
                Some(nashir_web::CdnPurge::new(&url, &style, token).map_err(|e| anyhow::anyhow!("CDN purge settings: {e}"))?)
            }
        };
        if serve.header_timeout.is_zero() {
            bail!("the header timeout must be at least one second");
        }
        Ok(Settings {
            data_dir,
            database_url,
            listen,
            public_url,
            theme: self.theme.or(file.theme),
            demo: self.demo || file.demo.unwrap_or(false),
            page_cache: !self.no_page_cache && file.page_cache.unwrap_or(true),
            page_cache_bytes: self.page_cache_bytes.or(file.page_cache_bytes).unwrap_or(nashir_web::DEFAULT_PAGE_CACHE_BYTES),
            serve,
            search_rate_limit: self.search_rate_limit.or(file.search_rate_limit).unwrap_or(DEFAULT_SEARCH_RATE_LIMIT),
            api_rate_limit: self.api_rate_limit.or(file.api_rate_limit).unwrap_or(DEFAULT_API_RATE_LIMIT),
            webhooks_allow_private: self.webhooks_allow_private || file.webhooks_allow_private.unwrap_or(false),
            index_search: self.index_search || file.index_search.unwrap_or(false),
            metrics_listen: self.metrics_listen.or(file.metrics_listen),
            metrics_token: self.metrics_token.or(file.metrics_token.clone()).filter(|t| !t.is_empty()),
            backups: match self.backup_dir.or(file.backup_dir.clone()) {
                Some(dir) => Some((
                    dir,
                    crate::backup::parse_period(self.backup_every.as_deref().or(file.backup_every.as_deref()).unwrap_or("1d"))?,
                    self.backup_keep.or(file.backup_keep).unwrap_or(7),
                )),
                None => None,
            },
            outbox_retention: crate::backup::parse_period(self.outbox_retention.as_deref().or(file.outbox_retention.as_deref()).unwrap_or("7d"))?,
            cdn_purge,
            shared_max_age: match self.shared_max_age.or(file.shared_max_age) {
                Some(0) => bail!("--shared-max-age must be at least one second"),
                Some(s) => i64::try_from(s.min(86_400 * 365)).unwrap_or(60),
                None => nashir_web::DEFAULT_SHARED_MAX_AGE_SECS,
            },
            comments,
            syndication,
            media,
            trusted_proxies: if self.trusted_proxies.is_empty() {
                file.trusted_proxies.unwrap_or_default()
            } else {
                self.trusted_proxies
            },
            site: SiteSettings {
                name: self.site_name.or(file.site_name),
                description: self.site_description.or(file.site_description),
                locale: self.locale.or(file.locale),
                time_zone: self.time_zone.or(file.time_zone),
                hijri_offset,
                publisher_name: self.publisher_name.or(file.publisher_name),
                publisher_description: self.publisher_description.or(file.publisher_description),
                publisher_url: self.publisher_url.or(file.publisher_url),
            },
        })
    }
}

impl CommentArgs {
    fn resolve(self, file: &FileConfig) -> anyhow::Result<nashir_web::CommentOptions> {
        use nashir_core::comments::{CommentRules, DEFAULT_MAX_BODY_CHARS, DEFAULT_MAX_LINKS, DEFAULT_MAX_NAME_CHARS};
        let defaults = nashir_web::CommentOptions::default();
        let blocklist = if self.comment_blocklist.is_empty() { file.comment_blocklist.clone().unwrap_or_default() } else { self.comment_blocklist };
        let mut rules = CommentRules::default().with_blocklist(blocklist);
        rules.max_name_chars = self.comment_max_name.or(file.comment_max_name).unwrap_or(DEFAULT_MAX_NAME_CHARS);
        rules.max_body_chars = self.comment_max_length.or(file.comment_max_length).unwrap_or(DEFAULT_MAX_BODY_CHARS);
        rules.max_links = self.comment_max_links.or(file.comment_max_links).unwrap_or(DEFAULT_MAX_LINKS);
        if rules.max_name_chars == 0 || rules.max_body_chars == 0 {
            bail!("comment limits must be at least one character");
        }
        let mail = match (self.smtp_url.or(file.smtp_url.clone()), self.mail_from.or(file.mail_from.clone())) {
            (None, _) => None,
            (Some(_), None) => bail!("--smtp-url needs --mail-from (the sender of the site's mail)"),
            (Some(smtp_url), Some(from)) => {
                let mail = nashir_web::MailOptions { smtp_url, from };
                mail.check().map_err(|e| anyhow::anyhow!("mail settings: {e}"))?;
                Some(mail)
            }
        };
        Ok(nashir_web::CommentOptions {
            rules,
            close_after_days: self.comments_close_after_days.or(file.comments_close_after_days).unwrap_or(defaults.close_after_days),
            rate_limit: self.comment_rate_limit.or(file.comment_rate_limit).unwrap_or(defaults.rate_limit),
            rate_window_secs: self.comment_rate_window.or(file.comment_rate_window).unwrap_or(defaults.rate_window_secs).max(1),
            min_seconds: self.comment_min_seconds.or(file.comment_min_seconds).unwrap_or(defaults.min_seconds),
            address_retention_days: self.comment_address_days.or(file.comment_address_days).unwrap_or(defaults.address_retention_days),
            notify_moderators: !self.no_comment_notifications && file.comment_notifications.unwrap_or(true),
            mail,
        })
    }
}
