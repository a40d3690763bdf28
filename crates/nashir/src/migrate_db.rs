//! `nashir migrate-db --from sqlite:PATH --to postgres://…`: moves a site from its SQLite
//! file to PostgreSQL, then prints each table's row counts and whether its checksums
//! match. Media files and imported uploads stay where they are (the data folder's `media`
//! and `uploads`, or the bucket); the search index rebuilds on the next start.

use std::path::Path;

use anyhow::{Context, bail};
use clap::Args;
use nashir_store::copy::{CopyOptions, sqlite_to_postgres};

#[derive(Args, Debug)]
pub struct MigrateDbArgs {
    /// The SQLite database: sqlite:PATH, where PATH is the database file or a data folder
    #[arg(long, value_name = "sqlite:PATH")]
    pub from: String,
    /// The PostgreSQL database: postgres://user@host/name
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Copy newsroom sessions too (without it, everyone logs in again)
    #[arg(long)]
    pub sessions: bool,
    /// Replace everything in a target that already holds articles or people
    #[arg(long)]
    pub force: bool,
}

/// The sqlx URL of `sqlite:PATH` (a file, or a data folder holding `nashir.db`).
fn source_url(from: &str) -> anyhow::Result<String> {
    let Some(path) = from.strip_prefix("sqlite://").or_else(|| from.strip_prefix("sqlite:")) else {
        bail!("--from {from}: expected sqlite:PATH (a nashir.db file or a data folder)");
    };
    let path = Path::new(path.split('?').next().unwrap_or(path));
    let file = if path.is_dir() { path.join("nashir.db") } else { path.to_owned() };
    if !file.is_file() {
        bail!("--from {from}: there is no SQLite database at {}", file.display());
    }
    Ok(format!("sqlite://{}", file.display()))
}

pub async fn run(args: MigrateDbArgs) -> anyhow::Result<()> {
    let from = source_url(&args.from)?;
    if !(args.to.starts_with("postgres://") || args.to.starts_with("postgresql://")) {
        bail!("--to {}: expected a postgres:// URL", nashir_store::redact_url(&args.to));
    }
    let started = std::time::Instant::now();
    let report = sqlite_to_postgres(&from, &args.to, CopyOptions { sessions: args.sessions, force: args.force })
        .await
        .with_context(|| format!("copying into {}", nashir_store::redact_url(&args.to)))?;
    let width = report.iter().map(|t| t.table.len()).max().unwrap_or(5).max(5);
    say!("{:width$}  {:>9}  {:>9}  checksum", "table", "source", "target");
    let mut bad = Vec::new();
    let mut rows = 0;
    for t in &report {
        say!("{:width$}  {:>9}  {:>9}  {}", t.table, t.source_rows, t.target_rows, if t.matches() { "same" } else { "DIFFERENT" });
        rows += t.target_rows;
        if !t.matches() {
            bad.push(t.table.as_str());
        }
    }
    if !bad.is_empty() {
        bail!("the copy differs from the source in {}", bad.join(", "));
    }
    say!(
        "Copied {rows} rows in {} tables in {:.1} s; every count and checksum matches. Start Nashir with --database-url {} (the search index rebuilds on start).",
        report.len(),
        started.elapsed().as_secs_f64(),
        nashir_store::redact_url(&args.to)
    );
    Ok(())
}
