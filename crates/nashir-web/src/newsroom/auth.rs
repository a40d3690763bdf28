//! Staff authentication: Argon2id passwords (hashed on blocking threads), server-side
//! sessions behind an opaque cookie, per-session CSRF tokens, the sessionless signed token
//! that protects the login form, and lockouts after repeated failures.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{HeaderMap, header};
use hmac::{Hmac, Mac};
use nashir_store::{SessionInfo, Store, StoreError};
use sha2::{Digest, Sha256};

pub(crate) const SESSION_COOKIE: &str = "nashir_session";
/// Sessions last two weeks; staff log in again after that.
pub(crate) const SESSION_MICROS: i64 = 14 * 24 * 3_600_000_000;
const MINUTE: i64 = 60_000_000;
/// Five failures for one account from one address within 15 minutes lock that pair for 15 minutes.
pub(crate) const PAIR_LIMIT: usize = 5;
/// Twenty failures from one address across accounts lock the address for 15 minutes.
pub(crate) const ADDRESS_LIMIT: usize = 20;
pub(crate) const LOCK_WINDOW: i64 = 15 * MINUTE;

/// Random bytes from the operating system, hex-encoded.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // getrandom only fails when the OS has no entropy source at all; a fixed token would be
    // worse than refusing, so the caller sees a token that can never match a stored hash.
    if getrandom::fill(&mut buf).is_err() {
        return String::new();
    }
    hex::encode(buf)
}

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

/// Constant-time comparison of two tokens.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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

/// The site's signing secret, made on first use and kept in the database so every instance
/// shares it.
pub(crate) async fn site_secret(store: &Store) -> Result<String, StoreError> {
    if let Some(secret) = store.meta("signing_secret").await? {
        return Ok(secret);
    }
    let secret = random_token(32);
    store.set_meta_if_absent("signing_secret", &secret).await?;
    Ok(store.meta("signing_secret").await?.unwrap_or(secret))
}

fn sign(secret: &str, message: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A sessionless token for public forms (login): `expiry.signature`, valid for two hours.
pub(crate) fn form_token(secret: &str, purpose: &str, now: i64) -> String {
    let expires = now / 1_000_000 + 2 * 3600;
    format!("{expires}.{}", sign(secret, &format!("{purpose}:{expires}")))
}

pub(crate) fn check_form_token(secret: &str, purpose: &str, token: &str, now: i64) -> bool {
    let Some((expires, signature)) = token.split_once('.') else { return false };
    let Ok(expires_secs) = expires.parse::<i64>() else { return false };
    expires_secs > now / 1_000_000 && same_token(signature, &sign(secret, &format!("{purpose}:{expires}")))
}

/// Cross-site requests are refused: a browser says where a form came from in `Origin` or
/// `Sec-Fetch-Site`; either, when present, must name this site.
pub(crate) fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            origin == public_url.trim_end_matches('/')
                || origin == format!("http://{host}")
                || origin == format!("https://{host}")
        }
    }
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
    fn form_tokens_are_signed_and_expire() {
        let now = 1_700_000_000_000_000;
        let t = form_token("s", "login", now);
        assert!(check_form_token("s", "login", &t, now));
        assert!(!check_form_token("other", "login", &t, now));
        assert!(!check_form_token("s", "setup", &t, now));
        assert!(!check_form_token("s", "login", &t, now + 3 * 3_600_000_000));
        assert!(!check_form_token("s", "login", "garbage", now));
    }

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

