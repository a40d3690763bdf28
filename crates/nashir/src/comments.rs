//! `nashir comments erase`: a commenter's erasure from the command line (a privacy request
//! handled by an operator). Every comment written with the email is removed or anonymized;
//! the erasure is logged in the database and on stderr without the email itself.

use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};
use nashir_store::{Erasure, Store};

use crate::config::StoreArgs;

#[derive(Subcommand)]
pub enum CommentsCommand {
    /// Remove or anonymize every comment written with an email address
    Erase(EraseArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Mode {
    /// Delete the comments (replies to them stay, moved up a level)
    Remove,
    /// Keep the comments as "مجهول", without email, website or address
    Anonymize,
}

#[derive(Args)]
pub struct EraseArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The commenter's email address (case does not matter)
    #[arg(long)]
    email: String,
    /// What happens to the comments
    #[arg(long, value_enum)]
    mode: Mode,
}

pub async fn run(command: CommentsCommand) -> anyhow::Result<()> {
    match command {
        CommentsCommand::Erase(args) => erase(args).await,
    }
}

async fn erase(args: EraseArgs) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    if !nashir_core::valid_email(&email) {
        bail!("the email address is not valid");
    }
    let (_, url) = args.store.database_url()?;
    let store = Store::connect(&url).await?;
    let how = match args.mode {
        Mode::Remove => Erasure::Remove,
        Mode::Anonymize => Erasure::Anonymize,
    };
    let n = store.erase_commenter(&email, how, None, nashir_store::now_micros()).await?;
    store.close().await;
    tracing::info!(comments = n, mode = how.as_str(), "erased a commenter's comments");
    say!("{} {n} comment(s).", if matches!(how, Erasure::Remove) { "Removed" } else { "Anonymized" });
    Ok(())
}
