//! The `nashir` command: a thin `main` that runs a subcommand and turns its outcome into an
//! exit code (0 success, 1 failure with the error chain on one line, 2 bad usage).

/// Writes a line of a command's report on standard output. A reader that stopped reading
/// (`nashir import … | head -2`) is not an error: the work is done, the rest of the report is
/// not wanted, and the command ends quietly instead of panicking on the closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::report_line(::std::format_args!($($arg)*))
    };
}

mod backup;
mod comments;
mod config;
mod demo;
mod import;
mod logging;
mod media_import;
mod migrate_db;
mod search;
mod serve;
mod users;

use std::process::ExitCode;

/// See [`say!`].
pub(crate) fn report_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(format_args!("{line}\n")).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing the report: {e}");
    }
}

use clap::{Parser, Subcommand};

/// mimalloc: pages render from many small strings, and the system allocator spent a fifth of
/// the uncached home page's time in malloc and free (measured with perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Nashir (ناشر): an Arabic-first news publishing platform.
#[derive(Parser)]
#[command(name = "nashir", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the public site and the newsroom.
    Serve(Box<config::ServeArgs>),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Import an archive (WordPress export or JSON Lines).
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Reader comments: erase a commenter.
    #[command(subcommand)]
    Comments(comments::CommentsCommand),
    /// Rebuild the search index from the database.
    Reindex(search::ReindexArgs),
    /// Copy the whole site (database, media, uploads) into a folder while it serves.
    Backup(backup::BackupArgs),
    /// Put a backup back into an empty site.
    Restore(backup::RestoreArgs),
    /// Copy a whole site from SQLite into PostgreSQL, checking counts and checksums.
    MigrateDb(migrate_db::MigrateDbArgs),
    /// Measure search quality on a corpus (known-item evaluation).
    EvalSearch(search::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain on one line, as scripts read it.
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match cli.command {
        Command::Serve(args) => runtime.block_on(serve::run(*args)),
        Command::User(command) => runtime.block_on(users::run(command)),
        Command::Import(command) => runtime.block_on(import::run(command)),
        Command::Comments(command) => runtime.block_on(comments::run(command)),
        Command::Reindex(args) => runtime.block_on(search::reindex(args)),
        Command::Backup(args) => runtime.block_on(backup::backup(args)),
        Command::Restore(args) => runtime.block_on(backup::restore(args)),
        Command::MigrateDb(args) => runtime.block_on(migrate_db::run(args)),
        Command::EvalSearch(args) => search::eval(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy_file(rel: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(rel)).expect("deploy file")
    }

    /// docs/deploy.md's systemd unit starts `nashir serve` with flags this version takes.
    #[test]
    fn the_systemd_unit_starts_a_command_this_version_understands() {
        let unit = deploy_file("systemd/nashir@.service");
        let exec = unit.lines().find_map(|l| l.strip_prefix("ExecStart=")).expect("ExecStart");
        let words: Vec<String> = exec.replace("%i", "8081").split_whitespace().map(str::to_owned).collect();
        assert!(words[0].ends_with("/nashir"));
        let cli = Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{exec}: {e}"));
        let Command::Serve(args) = cli.command else { panic!("serve") };
        assert_eq!(args.listen, Some("127.0.0.1:8081".parse().expect("addr")));
        assert_eq!(args.store.data_dir.as_deref(), Some(std::path::Path::new("/var/lib/nashir/8081")));
    }

    /// docs/deploy.md's shared configuration file holds only settings this version knows,
    /// and resolves (the CDN's token coming from the environment, as the guide says).
    #[test]
    fn the_shared_configuration_file_resolves() {
        let file: config::FileConfig = toml::from_str(&deploy_file("nashir.toml")).expect("deploy/nashir.toml");
        assert!(file.database_url.as_deref().is_some_and(|u| u.starts_with("postgres://")));
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("nashir.toml");
        std::fs::write(&path, deploy_file("nashir.toml")).expect("write");
        let mut args = config::ServeArgs::default();
        args.store.config = Some(path);
        args.cdn_purge_token = Some("from-the-environment".into());
        let settings = args.resolve().expect("resolves");
        assert_eq!(settings.shared_max_age, 60);
        assert_eq!(settings.outbox_retention, std::time::Duration::from_secs(7 * 86_400));
        assert_eq!(settings.cdn_purge.as_ref().map(|c| c.style), Some(nashir_web::PurgeStyle::Fastly));
        assert_eq!(settings.serve.drain_timeout, std::time::Duration::from_secs(10));
        assert_eq!(settings.media.store.as_deref(), Some("s3://nashir-media/photos"));
    }
}
