//! Signatures and tokens every room shares: the site's signing secret (kept in the
//! database so every instance signs alike), HMAC signatures of short messages, the
//! sessionless tokens of public forms (login, comments), and the cross-site check of a
//! form post.

use axum::http::{HeaderMap, header};
use hmac::{Hmac, Mac};
use nashir_store::{Store, StoreError};
use sha2::Sha256;

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

/// Constant-time comparison of two tokens.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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

pub(crate) fn sign(secret: &str, message: &str) -> String {
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

}
