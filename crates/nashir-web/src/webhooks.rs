//! Webhooks: URLs an administrator registered for some events receive a signed JSON POST
//! for each. An outbox subscriber (on every instance) offers one delivery per event and hook
//! to the `deliveries` queue, so a write never waits on a receiver and several instances
//! make one delivery; the sender (`pings::deliver`) signs each try when it sends it and
//! retries failures with doubling pauses for about a day and a half.
//!
//! Each request carries `Nashir-Event`, `Nashir-Delivery` (the delivery's id, the same on
//! every retry), `Nashir-Timestamp` (unix seconds of this try) and `Nashir-Signature:
//! v1=<hex>`, the HMAC-SHA256 with the hook's secret of `<timestamp>.<body>`. A receiver
//! recomputes it and refuses old timestamps.
//!
//! Targets on loopback, private, link-local or other non-public addresses are refused, when
//! registered and again before each try, unless `--webhooks-allow-private` says otherwise.

use std::net::{IpAddr, ToSocketAddrs};

use hmac::{Hmac, Mac};
use nashir_render::{FluentValue, Renderer};
use nashir_store::events::{Handled, Subscriber};
use nashir_store::{Event, NewDelivery, OutboxEvent, Webhook};
use sha2::Sha256;

use crate::seo::absolute;
use crate::state::AppState;
use crate::urls;

/// The events a hook may ask for, with the message id of their names in the newsroom.
/// (Articles are never deleted in Nashir: unpublishing is how one leaves the site.)
pub(crate) const EVENTS: [(&str, &str); 5] = [
    ("article.published", "nr-msg-webhook-event-article-published"),
    ("article.updated", "nr-msg-webhook-event-article-updated"),
    ("article.unpublished", "nr-msg-webhook-event-article-unpublished"),
    ("comment.held", "nr-msg-webhook-event-comment-held"),
    ("breaking.added", "nr-msg-webhook-event-breaking-added"),
];

/// Whether an address is one the public Internet can reach.
pub(crate) fn public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public_ip(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Why a webhook's target is refused. Its `Display` is the delivery log's wording (in
/// English, like the log's other failures); [`TargetRefusal::message`] is the newsroom's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TargetRefusal {
    #[error("not a valid URL")]
    Malformed,
    #[error("the URL must start with https:// or http://")]
    Scheme,
    #[error("the URL has no host name")]
    NoHost,
    #[error("the host {0} could not be resolved")]
    UnknownHost(String),
    #[error("the URL points to a private network or to this server")]
    Private,
}

impl TargetRefusal {
    /// The newsroom's words for the refusal, in the site's language.
    pub(crate) fn message(&self, r: &Renderer) -> String {
        match self {
            TargetRefusal::Malformed => r.t("nr-msg-webhook-target-malformed"),
            TargetRefusal::Scheme => r.t("nr-msg-webhook-target-scheme"),
            TargetRefusal::NoHost => r.t("nr-msg-webhook-target-no-host"),
            TargetRefusal::UnknownHost(host) => r.t_with("nr-msg-webhook-target-unknown-host", [("host", FluentValue::from(host.as_str()))]),
            TargetRefusal::Private => r.t("nr-msg-webhook-target-private"),
        }
    }
}

/// Why a target is refused; None when it may be used. Resolves the host name (blocking:
/// call it off the runtime's threads).
pub(crate) fn check_target(url: &str, allow_private: bool) -> Option<TargetRefusal> {
    let Ok(uri) = url.parse::<axum::http::Uri>() else {
        return Some(TargetRefusal::Malformed);
    };
    let secure = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Some(TargetRefusal::Scheme),
    };
    let Some(host) = uri.host().map(|h| h.trim_start_matches('[').trim_end_matches(']')) else {
        return Some(TargetRefusal::NoHost);
    };
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let addresses: Vec<IpAddr> = match (host, port).to_socket_addrs() {
        Ok(list) => list.map(|a| a.ip()).collect(),
        Err(_) => return Some(TargetRefusal::UnknownHost(host.to_owned())),
    };
    if addresses.is_empty() {
        return Some(TargetRefusal::UnknownHost(host.to_owned()));
    }
    if !allow_private && addresses.iter().any(|ip| !public_ip(*ip)) {
        return Some(TargetRefusal::Private);
    }
    None
}

/// [`check_target`] for the sender (`pings`): why a target is refused, as the delivery
/// log's text; None when it may be used. Blocking, like `check_target`.
pub(crate) fn refuse_target(url: &str, allow_private: bool) -> Option<String> {
    check_target(url, allow_private).map(|refusal| refusal.to_string())
}

/// The signature header's value for one try.
pub(crate) fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The headers of one try of a webhook delivery.
pub(crate) fn headers(hook: &Webhook, delivery_id: i64, event: &str, body: &str, now: i64) -> Vec<(&'static str, String)> {
    let timestamp = now.div_euclid(1_000_000);
    vec![
        ("nashir-event", event.to_owned()),
        ("nashir-delivery", delivery_id.to_string()),
        ("nashir-timestamp", timestamp.to_string()),
        ("nashir-signature", signature(&hook.secret, timestamp, body)),
    ]
}

/// The outbox subscriber that queues webhook deliveries.
pub(crate) struct Webhooks(pub AppState);

impl Webhooks {
    /// The event's name, what makes it one delivery per hook, and its data.
    async fn describe(&self, e: &OutboxEvent, now: i64) -> Result<Option<(&'static str, String, serde_json::Value)>, nashir_store::StoreError> {
        let state = &self.0;
        let article = |id: i64| async move {
            Ok::<_, nashir_store::StoreError>(state.store.article_with_byline(id, now).await?.map(|a| {
                serde_json::json!({
                    "id": a.article.id,
                    "title": a.article.title,
                    "slug": a.article.slug,
                    "url": absolute(&state.site, &urls::article(a.article.id, &a.article.slug)),
                    "author": a.author.name,
                    "api": absolute(&state.site, &format!("/api/v1/articles/{}", a.article.id)),
                })
            }))
        };
        Ok(match &e.event {
            Event::ArticlePublished { id, .. } => article(*id).await?.map(|data| ("article.published", e.id.to_string(), serde_json::json!({ "article": data }))),
            // An edit of a draft is nobody's business outside the newsroom.
            Event::ArticleChanged { id } => article(*id).await?.map(|data| ("article.updated", e.id.to_string(), serde_json::json!({ "article": data }))),
            Event::ArticleUnpublished { id } => {
                let slug = state.store.article_slug(*id).await?.map(|(s, _)| s);
                Some(("article.unpublished", e.id.to_string(), serde_json::json!({ "article": { "id": id, "slug": slug } })))
            }
            Event::CommentHeld { id, article_id } => {
                Some(("comment.held", e.id.to_string(), serde_json::json!({ "comment": { "id": id, "article_id": article_id } })))
            }
            // Created or changed: "added" once per item (the key is the item, not the event).
            Event::BreakingChanged { id, deleted: false } => {
                let items = state.store.all_breaking_items().await?;
                items.into_iter().find(|b| b.id == *id).map(|b| {
                    let url = b.article_slug.as_ref().zip(b.article_id).map(|(slug, aid)| absolute(&state.site, &urls::article(aid, slug)));
                    ("breaking.added", format!("breaking-{id}"), serde_json::json!({ "breaking": { "id": b.id, "text": b.text, "url": url } }))
                })
            }
            _ => None,
        })
    }
}

impl Subscriber for Webhooks {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            let store = &self.0.store;
            let hooks: Vec<Webhook> = store.webhooks().await.map_err(|e| e.to_string())?.into_iter().filter(|h| h.disabled_at.is_none()).collect();
            if hooks.is_empty() {
                return Ok(());
            }
            let now = nashir_store::now_micros();
            let dates = self.0.renderer.dates();
            let mut offers = Vec::new();
            for e in events {
                let Some((name, key, data)) = self.describe(e, now).await.map_err(|e| e.to_string())? else { continue };
                for hook in hooks.iter().filter(|h| h.wants(name)) {
                    let body = serde_json::json!({ "event": name, "event_id": e.id, "occurred_at": dates.rfc3339(e.created_at), "data": data });
                    offers.push(NewDelivery {
                        kind: format!("webhook:{name}"),
                        dedupe_key: format!("webhook:{}:{name}:{key}", hook.id),
                        target_url: hook.url.clone(),
                        content_type: "application/json".into(),
                        body: body.to_string(),
                        webhook_id: Some(hook.id),
                        delay_micros: 0,
                    });
                }
            }
            if offers.is_empty() {
                return Ok(());
            }
            if store.offer_deliveries(&offers, now).await.map_err(|e| e.to_string())? > 0 {
                self.0.deliveries_waiting.notify_one();
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_targets_are_refused_unless_allowed() {
        for ip in ["127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"] {
            assert!(!public_ip(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(public_ip(ip.parse().expect("ip")), "{ip}");
        }
        assert!(refuse_target("http://127.0.0.1:9/hook", false).is_some());
        assert!(refuse_target("http://[::1]:9/hook", false).is_some());
        assert!(refuse_target("http://127.0.0.1:9/hook", true).is_none());
        assert!(refuse_target("ftp://example.com/x", true).is_some());
        assert!(refuse_target("not a url", true).is_some());
    }

    #[test]
    fn the_signature_is_an_hmac_of_the_timestamp_and_body() {
        let s = signature("secret", 1_700_000_000, "{\"a\":1}");
        assert!(s.starts_with("v1=") && s.len() == 3 + 64);
        assert_ne!(s, signature("secret", 1_700_000_001, "{\"a\":1}"));
        assert_ne!(s, signature("other", 1_700_000_000, "{\"a\":1}"));
        // A known value: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        let mut mac = Hmac::<Sha256>::new_from_slice(b"key").expect("key");
        mac.update(b"The quick brown fox jumps over the lazy dog");
        assert_eq!(hex::encode(mac.finalize().into_bytes()), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
