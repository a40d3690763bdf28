//! `nashir backup DEST` and `nashir restore SRC`: a whole site (database, media files and
//! imported uploads) copied while it serves, with a manifest of counts and checksums, and
//! put back into an empty site.
//!
//! SQLite is copied with `VACUUM INTO` (one read transaction: every write committed before
//! it, none after); PostgreSQL with `pg_dump` (its own snapshot), which must be installed.
//! The search index is not copied: a restored site rebuilds it on its first start.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use nashir_store::{Backend, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{FileConfig, StoreArgs};

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// A folder to create (or an empty one)
    pub dest: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A folder made by `nashir backup`
    pub src: PathBuf,
    /// Replace a site that already has content
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Manifest {
    nashir_version: String,
    created_at: String,
    backend: String,
    /// The database file in the backup, and its SHA-256.
    database_file: String,
    database_sha256: String,
    /// Rows per main table when the backup was taken.
    counts: Vec<(String, i64)>,
    /// The copied folders (`media`, `uploads`): files and bytes.
    files: Vec<(String, u64, u64)>,
}

const MANIFEST: &str = "manifest.json";

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Copies a folder tree; returns (files, bytes).
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<(u64, u64)> {
    let (mut files, mut bytes) = (0, 0);
    if !from.is_dir() {
        return Ok((0, 0));
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            let (f, b) = copy_tree(&entry.path(), &target)?;
            files += f;
            bytes += b;
        } else if entry.file_type()?.is_file() {
            bytes += std::fs::copy(entry.path(), &target).with_context(|| format!("copying {}", entry.path().display()))?;
            files += 1;
        }
    }
    Ok((files, bytes))
}

fn media_dirs(store_args: &StoreArgs, data_dir: &Path) -> anyhow::Result<Vec<(&'static str, PathBuf)>> {
    let file = FileConfig::load(store_args.config.as_deref())?;
    let media = file.media_dir.clone().unwrap_or_else(|| data_dir.join("media"));
    Ok(vec![("media", media), ("uploads", data_dir.join("uploads"))])
}

fn pg_tool(name: &str) -> anyhow::Result<()> {
    match std::process::Command::new(name).arg("--version").output() {
        Ok(o) if o.status.success() => Ok(()),
        _ => bail!("{name} is needed to back up or restore a PostgreSQL site (Debian: apt-get install postgresql-client)"),
    }
}

/// `nashir backup DEST`.
pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let (data_dir, url) = args.store.database_url()?;
    let folders = media_dirs(&args.store, &data_dir)?;
    let manifest = take(&url, &folders, &args.dest).await?;
    let articles = manifest.counts.iter().find(|(t, _)| t == "articles").map_or(0, |(_, n)| *n);
    let files: u64 = manifest.files.iter().map(|f| f.1).sum();
    writeln!(std::io::stdout(), "backed up {articles} articles ({}) and {files} files to {}", manifest.backend, args.dest.display())?;
    Ok(())
}

/// Takes one backup of the site at `url` with its file `folders` into `dest` (new or empty).
pub async fn take(url: &str, folders: &[(&'static str, PathBuf)], dest: &Path) -> anyhow::Result<Manifest> {
    if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
        bail!("{} is not empty: a backup goes into a new or empty folder", dest.display());
    }
    std::fs::create_dir_all(dest).with_context(|| format!("creating {}", dest.display()))?;
    let store = Store::connect(url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(url)))?;
    // Counted before the snapshot: a restore finds at least these.
    let counts = store.table_counts().await?;
    let (backend, database_file) = match store.backend() {
        Backend::Sqlite => {
            let file = dest.join("database.sqlite");
            store.sqlite_snapshot(&file).await.context("copying the SQLite database")?;
            ("sqlite", "database.sqlite")
        }
        Backend::Postgres => {
            pg_tool("pg_dump")?;
            let file = dest.join("database.pgdump");
            let out = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(&file)
                .arg(url)
                .output()
                .context("running pg_dump")?;
            if !out.status.success() {
                bail!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
            }
            ("postgres", "database.pgdump")
        }
    };
    store.close().await;
    let mut files = Vec::new();
    for (name, dir) in folders {
        let (n, bytes) = copy_tree(dir, &dest.join(name))?;
        files.push(((*name).to_owned(), n, bytes));
    }
    let manifest = Manifest {
        nashir_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: jiff::Timestamp::now().to_string(),
        backend: backend.to_owned(),
        database_file: database_file.to_owned(),
        database_sha256: sha256_of(&dest.join(database_file))?,
        counts: counts.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect(),
        files,
    };
    std::fs::write(dest.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    Ok(manifest)
}

/// Scheduled backups (`--backup-dir`, `--backup-every`, `--backup-keep`): one folder
/// `nashir-YYYYMMDDTHHMMSSZ` per run, the oldest removed past `keep`. Runs for as long as
/// the process; set it on one instance of a cluster.
pub async fn every(url: String, folders: Vec<(&'static str, PathBuf)>, dir: PathBuf, period: std::time::Duration, keep: usize) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    // Several instances with the same setting take one backup per period between them: the
    // one that claims the period in the database takes it (a little slack, so that the
    // instance that took the last one may take the next on time).
    let claim_period = i64::try_from(period.as_micros() * 9 / 10).unwrap_or(i64::MAX / 2);
    let store = match Store::connect(&url).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "scheduled backups: cannot open the database; none will be taken");
            return;
        }
    };
    loop {
        tick.tick().await;
        match store.claim_job("backup", nashir_store::now_micros(), claim_period).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "scheduled backups: cannot claim this period's backup; will retry");
                continue;
            }
        }
        let name = format!("nashir-{}", jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S%.6fZ"));
        match take(&url, &folders, &dir.join(&name)).await {
            Ok(_) => tracing::info!(backup = %dir.join(&name).display(), "scheduled backup taken"),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "scheduled backup failed");
                continue;
            }
        }
        let mut taken: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("nashir-")) && p.join(MANIFEST).exists())
                .collect(),
            Err(_) => continue,
        };
        taken.sort();
        while taken.len() > keep.max(1) {
            let old = taken.remove(0);
            if let Err(e) = std::fs::remove_dir_all(&old) {
                tracing::warn!(error = %e, backup = %old.display(), "removing an old backup failed");
            }
        }
    }
}

/// `30s`, `15m`, `6h`, `1d` (a number alone is hours).
pub fn parse_period(text: &str) -> anyhow::Result<std::time::Duration> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = number.parse().with_context(|| format!("`{text}` is not a period such as 30m, 6h or 1d"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n * 60,
        "" | "h" => n * 3600,
        "d" => n * 86_400,
        _ => bail!("`{text}` is not a period such as 30m, 6h or 1d"),
    };
    if seconds == 0 {
        bail!("a period must be longer than zero");
    }
    Ok(std::time::Duration::from_secs(seconds))
}

/// `nashir restore SRC`.
pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(args.src.join(MANIFEST)).with_context(|| format!("{} has no {MANIFEST}: not a Nashir backup", args.src.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).context("reading the backup's manifest")?;
    let database = args.src.join(&manifest.database_file);
    if sha256_of(&database)? != manifest.database_sha256 {
        bail!("{} does not match its checksum in the manifest: the backup is damaged", database.display());
    }
    let (data_dir, url) = args.store.database_url()?;
    let target_backend = if url.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    if target_backend != manifest.backend {
        bail!("this is a {} backup and the target is {target_backend}: restore it into the same kind of database, then use migrate-db", manifest.backend);
    }
    {
        let store = Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))?;
        let has_content = store.table_counts().await?.iter().any(|(t, n)| (*t == "articles" || *t == "people") && *n > 0);
        store.close().await;
        if has_content && !args.force {
            bail!("the target site already has articles or people; restore into an empty one, or add --force to replace it");
        }
    }
    match target_backend {
        "sqlite" => {
            let path = data_dir.join("nashir.db");
            for suffix in ["", "-wal", "-shm"] {
                let p = PathBuf::from(format!("{}{suffix}", path.display()));
                if p.exists() {
                    std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
                }
            }
            std::fs::create_dir_all(&data_dir)?;
            std::fs::copy(&database, &path).with_context(|| format!("writing {}", path.display()))?;
        }
        _ => {
            pg_tool("pg_restore")?;
            let out = std::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--dbname"])
                .arg(&url)
                .arg(&database)
                .output()
                .context("running pg_restore")?;
            if !out.status.success() {
                bail!("pg_restore failed: {}", String::from_utf8_lossy(&out.stderr).trim());
            }
        }
    }
    for (name, dir) in media_dirs(&args.store, &data_dir)? {
        copy_tree(&args.src.join(name), &dir)?;
    }
    // The search indexes are rebuilt from the restored database on the next start.
    for index in ["search", "search-staff"] {
        let dir = data_dir.join(index);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    let store = Store::connect(&url).await?;
    let counts = store.table_counts().await?;
    store.close().await;
    for (table, expected) in &manifest.counts {
        let found = counts.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n);
        if found < *expected {
            bail!("after the restore, {table} has {found} rows where the backup counted {expected}");
        }
    }
    let articles = counts.iter().find(|(t, _)| *t == "articles").map_or(0, |(_, n)| *n);
    writeln!(std::io::stdout(), "restored {articles} articles from {} (taken {})", args.src.display(), manifest.created_at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_with_their_units() {
        assert_eq!(parse_period("30s").ok(), Some(std::time::Duration::from_secs(30)));
        assert_eq!(parse_period("15m").ok(), Some(std::time::Duration::from_secs(900)));
        assert_eq!(parse_period("6").ok(), Some(std::time::Duration::from_secs(6 * 3600)));
        assert_eq!(parse_period("1d").ok(), Some(std::time::Duration::from_secs(86_400)));
        assert!(parse_period("0h").is_err() && parse_period("soon").is_err() && parse_period("5w").is_err());
    }
}
