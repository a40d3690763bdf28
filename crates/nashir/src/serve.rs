//! `nashir serve`: start-up in order — configuration → logging → data folder → database
//! and migrations → demo content → theme → listen — then serve until a signal.

use std::io::Write;

use anyhow::Context;
use nashir_render::{Renderer, SiteInfo};
use nashir_store::Store;

use crate::config::{ServeArgs, SiteSettings};
use crate::demo;

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    // Configuration: flags, environment, nashir.toml.
    let settings = args.resolve()?;

    // Logging: structured lines on stderr; stdout is kept for what the operator must read.
    let content_warnings = crate::logging::init();
    tokio::spawn(crate::logging::summarize_every_minute(content_warnings.clone()));

    // Data folder: created on first start (it holds the SQLite file and, later, the index).
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;

    // Database: connect and migrate.
    let store = Store::connect(&settings.database_url)
        .await
        .with_context(|| format!("opening database {}", nashir_store::redact_url(&settings.database_url)))?;

    // The media library's storage (a folder or a bucket): refused here, loudly, when it
    // cannot be opened.
    let library = nashir_web::MediaStore::open(&settings.media).context("opening the media library's storage")?;

    // Demo content, only into an empty site.
    if settings.demo {
        if store.count_all_articles().await? == 0 {
            let summary = demo::load(&store, Some(&library)).await.context("loading demo content")?;
            tracing::info!(%summary, "demo content loaded");
        } else {
            tracing::info!("the site already has articles; demo content not loaded");
        }
    }

    // Search: the index is derived; build it from the database when it is new or stale.
    let search = crate::search::open_index(&store, &settings.data_dir).await?;
    let staff_search = crate::search::open_staff_index(&store, &settings.data_dir).await?;

    // Theme: compile every template now so a mistake is reported before readers arrive.
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let local = listener.local_addr()?;
    let site = site_info(&store, &settings.site, settings.public_url.clone(), local).await?;
    let renderer = Renderer::load(settings.theme.as_deref(), &site).context("loading the theme")?;

    let public_url = site.public_url.clone();
    let options = nashir_web::WebOptions {
        page_cache: settings.page_cache,
        page_cache_bytes: settings.page_cache_bytes,
        trusted_proxies: settings.trusted_proxies.clone(),
        search: Some(search),
        staff_search: Some(staff_search),
        search_rate_limit: settings.search_rate_limit,
        api_rate_limit: settings.api_rate_limit,
        webhooks_allow_private: settings.webhooks_allow_private,
        index_search: settings.index_search,
        metrics_token: settings.metrics_token.clone(),
        uploads_dir: Some(settings.data_dir.join("uploads")),
        comments: settings.comments.clone(),
        syndication: settings.syndication.clone(),
        media: settings.media.clone(),
        instance: instance_id(&settings.data_dir)?,
        outbox_retention: settings.outbox_retention,
        cdn_purge: settings.cdn_purge.clone(),
    };
    nashir_web::set_shared_max_age(settings.shared_max_age);
    let state = nashir_web::AppState::new(store.clone(), renderer, site, options);
    if let Some((dir, period, keep)) = settings.backups.clone() {
        let mut folders = vec![("uploads", settings.data_dir.join("uploads"))];
        if settings.media.store.is_none()
            && let Some(media) = settings.media.dir.clone()
        {
            folders.push(("media", media));
        }
        tokio::spawn(crate::backup::every(settings.database_url.clone(), folders, dir, period, keep));
    }
    if let Some(addr) = settings.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening for metrics on {addr}"))?;
        let for_metrics = state.clone();
        tokio::spawn(async move {
            if let Err(e) = nashir_web::serve_metrics(metrics, for_metrics).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let mut out = std::io::stdout();
    // A site without an administrator gets a one-time link to create the first one.
    if store.count_active_admins().await? == 0 {
        let token = nashir_web::new_setup_token(&store).await?;
        writeln!(out, "No administrator yet. Create one at {public_url}{}", nashir_web::setup_path(&token))?;
    }
    writeln!(out, "Nashir is serving http://{local}/")?;
    out.flush()?;
    nashir_web::serve(listener, state, settings.serve.clone(), shutdown_signal()).await.context("serving HTTP")?;
    content_warnings.summarize();
    store.close().await;
    Ok(())
}

/// Site identity: configured values first, then what the database holds (demo content
/// records its network's profile), then defaults.
async fn site_info(
    store: &Store,
    configured: &SiteSettings,
    public_url: Option<String>,
    local: std::net::SocketAddr,
) -> anyhow::Result<SiteInfo> {
    async fn pick(store: &Store, configured: &Option<String>, key: &str, default: &str) -> anyhow::Result<String> {
        Ok(match configured {
            Some(v) => v.clone(),
            None => store.meta(key).await?.unwrap_or_else(|| default.to_owned()),
        })
    }
    let name = pick(store, &configured.name, "site_name", "ناشر").await?;
    let hijri_offset_days = match configured.hijri_offset {
        Some(o) => o,
        None => store.meta("hijri_offset").await?.and_then(|v| v.parse().ok()).unwrap_or(0),
    };
    Ok(SiteInfo {
        description: pick(store, &configured.description, "site_description", "").await?,
        locale: pick(store, &configured.locale, "locale", "ar").await?,
        time_zone: pick(store, &configured.time_zone, "time_zone", "UTC").await?,
        hijri_offset_days,
        public_url: public_url.unwrap_or_else(|| format!("http://{local}")),
        publisher_name: pick(store, &configured.publisher_name, "publisher_name", &name).await?,
        publisher_description: pick(store, &configured.publisher_description, "publisher_description", "").await?,
        publisher_url: pick(store, &configured.publisher_url, "publisher_url", "").await?,
        name,
    })
}

/// This instance's name among those sharing a database: made once per data folder (which
/// holds the instance's own search indexes) and kept in it.
fn instance_id(data_dir: &std::path::Path) -> anyhow::Result<String> {
    let path = data_dir.join("instance-id");
    if let Ok(text) = std::fs::read_to_string(&path)
        && !text.trim().is_empty()
    {
        return Ok(text.trim().to_owned());
    }
    let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty() && h.len() < 64).unwrap_or_else(|| "nashir".into());
    let id = format!("{host}-{}-{:x}", std::process::id(), nashir_store::now_micros());
    std::fs::write(&path, &id).with_context(|| format!("writing {}", path.display()))?;
    Ok(id)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
