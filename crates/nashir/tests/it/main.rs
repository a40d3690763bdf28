//! Integration tests: each starts the real `nashir` binary on an ephemeral port with a
//! temporary data folder and reads what a reader (or an operator) would.

mod admin_api;
mod api;
mod backup;
mod cli;
mod comments;
mod feeds;
mod import;
mod instances;
mod load;
mod media;
mod migrate_db;
mod readership;
mod related;
mod newsroom;
mod observability;
mod proxy;
mod search;
mod server;
mod site;
mod webhooks;
mod wp_expectations;
