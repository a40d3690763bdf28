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
struct Manifest {
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
    if args.dest.exists() && std::fs::read_dir(&args.dest)?.next().is_some() {
        bail!("{} is not empty: a backup goes into a new or empty folder", args.dest.display());
    }
    std::fs::create_dir_all(&args.dest).with_context(|| format!("creating {}", args.dest.display()))?;
    let store = Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))?;
    // Counted before the snapshot: a restore finds at least these.
    let counts = store.table_counts().await?;
    let (backend, database_file) = match store.backend() {
        Backend::Sqlite => {
            let file = args.dest.join("database.sqlite");
            store.sqlite_snapshot(&file).await.context("copying the SQLite database")?;
            ("sqlite", "database.sqlite")
        }
        Backend::Postgres => {
            pg_tool("pg_dump")?;
            let file = args.dest.join("database.pgdump");
            let out = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(&file)
                .arg(&url)
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
    for (name, dir) in media_dirs(&args.store, &data_dir)? {
        let (n, bytes) = copy_tree(&dir, &args.dest.join(name))?;
        files.push((name.to_owned(), n, bytes));
    }
    let manifest = Manifest {
        nashir_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: jiff::Timestamp::now().to_string(),
        backend: backend.to_owned(),
        database_file: database_file.to_owned(),
        database_sha256: sha256_of(&args.dest.join(database_file))?,
        counts: counts.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect(),
        files,
    };
    std::fs::write(args.dest.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    let mut out = std::io::stdout();
    let articles = counts.iter().find(|(t, _)| *t == "articles").map_or(0, |(_, n)| *n);
    writeln!(out, "backed up {articles} articles ({backend}) and {} files to {}", manifest.files.iter().map(|f| f.1).sum::<u64>(), args.dest.display())?;
    Ok(())
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
