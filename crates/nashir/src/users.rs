//! `nashir user add`: creates a staff account from the command line. The password is read
//! from standard input (its first line), never from the arguments, where `ps` would show it.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use nashir_core::Role;
use nashir_store::Store;

use crate::config::StoreArgs;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a staff account; the password is read from standard input
    Add(AddUser),
}

#[derive(Args)]
pub struct AddUser {
    #[command(flatten)]
    store: StoreArgs,
    /// The login email
    #[arg(long)]
    email: String,
    /// The name shown as the byline
    #[arg(long)]
    name: String,
    /// contributor, author, editor or admin
    #[arg(long)]
    role: Role,
}

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(args) => add(args).await,
    }
}

async fn add(args: AddUser) -> anyhow::Result<()> {
    let email = args.email.trim().to_owned();
    if !nashir_core::accounts::valid_email(&email) {
        bail!("`{email}` is not a valid email address");
    }
    let name = args.name.trim().to_owned();
    if name.is_empty() {
        bail!("the name must not be empty");
    }
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password).context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    match nashir_core::accounts::check_new_password(&password, &password) {
        Ok(()) => {}
        Err(nashir_core::accounts::PasswordError::TooLong) => {
            bail!("the password (read from standard input) must have at most {} bytes", nashir_core::accounts::MAX_PASSWORD_BYTES)
        }
        Err(_) => bail!(
            "the password (read from standard input) must have at least {} characters",
            nashir_core::accounts::MIN_PASSWORD_CHARS
        ),
    }
    let (data_dir, url) = args.store.database_url()?;
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
    }
    let store = Store::connect(&url).await.with_context(|| format!("opening database {}", nashir_store::redact_url(&url)))?;
    let hash = nashir_web::hash_password(password).await?;
    let base = match nashir_arabic::slugify(&name) {
        s if s.is_empty() => "staff".to_owned(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while store.person_by_slug(&slug).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let id = store
        .create_staff(&slug, &name, &email, args.role, Some(&hash), nashir_store::now_micros())
        .await
        .map_err(|e| match e {
            nashir_store::StoreError::Conflict(_) => anyhow::anyhow!("an account with the email {email} already exists"),
            other => other.into(),
        })?;
    say!("Added {} ({}) as {} with id {id}.", name, email, args.role);
    store.close().await;
    Ok(())
}
