//! Staff authentication: Argon2id passwords (hashed on blocking threads), server-side
//! sessions behind an opaque cookie, per-session CSRF tokens, the sessionless signed token
//! that protects the login form, and lockouts after repeated failures.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{HeaderMap, header};
use nashir_store::{SessionInfo, Store, StoreError};
use sha2::{Digest, Sha256};

pub(crate) use crate::signing::{check_form_token, form_token, random_token, same_origin, same_token};

pub(crate) const SESSION_COOKIE: &str = "nashir_session";
/// Sessions last two weeks; staff log in again after that.
pub(crate) const SESSION_MICROS: i64 = 14 * 24 * 3_600_000_000;
const MINUTE: i64 = 60_000_000;
/// Five failures for one account from one address within 15 minutes lock that pair for 15 minutes.
pub(crate) const PAIR_LIMIT: usize = 5;
/// Twenty failures from one address across accounts lock the address for 15 minutes.
pub(crate) const ADDRESS_LIMIT: usize = 20;
pub(crate) const LOCK_WINDOW: i64 = 15 * MINUTE;

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Why a password could not be hashed (no randomness for the salt, a panicked thread).
#[derive(Debug, thiserror::Error)]
#[error("hashing a password: {0}")]
pub struct HashError(String);

/// Hashes a password with Argon2id on a blocking thread (tens of milliseconds of CPU).
pub async fn hash_password(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

pub(crate) async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => Argon2::default().verify_password(password.as_bytes(), h.as_str()).is_ok(),
        None => {
            // Spend the same time as a real check so timing does not tell which emails exist.
            let _ = Argon2::default().hash_password(password.as_bytes());
            false
        }
    })
    .await
    .unwrap_or(false)
}

pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub(crate) fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path={}; HttpOnly; SameSite=Lax; Max-Age={}{}",
        super::urls::ROOT,
        SESSION_MICROS / 1_000_000,
        if secure { "; Secure" } else { "" }
    )
}

pub(crate) fn clear_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path={}; HttpOnly; SameSite=Lax; Max-Age=0{}", super::urls::ROOT, if secure { "; Secure" } else { "" })
}

/// The live session named by the request's cookie.
pub(crate) async fn session_from(store: &Store, headers: &HeaderMap) -> Result<Option<(SessionInfo, String)>, StoreError> {
    let Some(token) = cookie_value(headers, SESSION_COOKIE) else { return Ok(None) };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(&token);
    Ok(store.session(&hash, nashir_store::now_micros()).await?.map(|s| (s, hash)))
}

/// Whether the newest failures (newest first) amount to a lockout still in force.
pub(crate) fn locked(failures: &[i64], limit: usize, now: i64) -> Option<i64> {
    if failures.len() < limit {
        return None;
    }
    let newest = failures[0];
    let oldest_counted = failures[limit - 1];
    (newest - oldest_counted <= LOCK_WINDOW && now < newest + LOCK_WINDOW).then_some(newest + LOCK_WINDOW)
}

/// Makes a fresh one-time setup token (only its hash is stored) for the first administrator.
pub async fn new_setup_token(store: &Store) -> Result<String, StoreError> {
    let token = random_token(24);
    store.set_meta("setup_token_hash", &token_hash(&token)).await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_need_enough_failures_inside_the_window() {
        let now = 100 * MINUTE;
        let five: Vec<i64> = (0..5).map(|i| now - i * MINUTE).collect();
        assert!(locked(&five, 5, now).is_some());
        assert!(locked(&five[..4], 5, now).is_none());
        assert!(locked(&five, 5, now + 16 * MINUTE).is_none(), "lock lasts 15 minutes");
        let spread: Vec<i64> = (0..5).map(|i| now - i * 5 * MINUTE).collect();
        assert!(locked(&spread, 5, now).is_none(), "20 minutes apart is not within 15");
    }

}

