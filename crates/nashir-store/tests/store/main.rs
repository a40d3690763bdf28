//! The store's behaviour on both backends: every test runs on a fresh SQLite file and on a
//! fresh PostgreSQL database (created per test on the server named by
//! `NASHIR_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/postgres`; set it to
//! `off` to run SQLite only).
#![allow(clippy::unwrap_used)]

mod comments;
mod common;
mod editorial;
mod events;
mod imports;
mod site;
mod staff;
mod syndication;
