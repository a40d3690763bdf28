//! Purging a CDN by surrogate key. Every cached answer names what it shows in
//! `Surrogate-Key` (see `http::PageResponse`): `site` on every answer, `lists` on every
//! list of articles (home, categories, tags, authors, feeds, sitemaps, the API's lists), and
//! the objects it is about (`article:42`, `category:3`, …). On every change the outbox
//! subscriber below offers one purge per event to the `deliveries` queue, which any
//! instance sends (each event once, however many instances offer it), retried with
//! growing pauses like every delivery; a write never waits for the CDN.
//!
//! Which keys an event purges:
//! - an article published or edited: `article:{id}` and `lists`;
//! - an article unpublished: `site` (its links leave every page, related lists included);
//! - a comment shown, edited or removed: `article:{id}` of its article;
//! - a comment held, a draft saved: nothing;
//! - anything in the chrome every page shows (categories, tags, bylines, breaking news,
//!   the category bar, static pages, photos): `site`.
//!
//! A purge is first tried a second after the change, by when every instance has dropped
//! the page from its own cache: a CDN that asked again sooner could be handed the old page.

use std::sync::Arc;

use nashir_store::events::{Handled, Subscriber};
use nashir_store::{Delivery, Event, NewDelivery, OutboxEvent, Store};

/// The delivery kind of purges.
pub(crate) const KIND: &str = "cdn-purge";
/// Pause before a purge's first try.
const DELAY_MICROS: i64 = 1_000_000;

/// How the CDN takes purges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeStyle {
    /// `POST {url}` with `Surrogate-Key: k1 k2` and `Fastly-Key: {token}`.
    Fastly,
    /// `POST {url}` with `{"tags": ["k1", "k2"]}` and `Authorization: Bearer {token}`.
    Cloudflare,
    /// `PURGE {url}` with `Surrogate-Key: k1 k2` (and `Authorization: Bearer {token}` if
    /// one is set): Varnish with xkey, or any cache that takes it.
    Generic,
}

/// Where and how purges are sent (`--cdn-purge-url`, `--cdn-purge-style`, `--cdn-purge-token`).
#[derive(Clone, PartialEq, Eq)]
pub struct CdnPurge {
    pub url: String,
    pub style: PurgeStyle,
    token: Option<String>,
}

impl std::fmt::Debug for CdnPurge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CdnPurge").field("url", &self.url).field("style", &self.style).field("token", &self.token.as_ref().map(|_| "…")).finish()
    }
}

impl CdnPurge {
    pub fn new(url: &str, style: &str, token: Option<String>) -> Result<CdnPurge, String> {
        let url = url.trim().to_owned();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.parse::<axum::http::Uri>().is_err() {
            return Err(format!("`{url}` is not an http:// or https:// URL"));
        }
        let style = match style.trim() {
            "fastly" => PurgeStyle::Fastly,
            "cloudflare" => PurgeStyle::Cloudflare,
            "generic" => PurgeStyle::Generic,
            other => return Err(format!("unknown purge style `{other}` (fastly, cloudflare or generic)")),
        };
        if style != PurgeStyle::Generic && token.is_none() {
            return Err(format!("{style:?} purges need a token (--cdn-purge-token or NASHIR_CDN_PURGE_TOKEN)").to_lowercase());
        }
        Ok(CdnPurge { url, style, token })
    }

    /// The HTTP request that purges `keys` (space-separated, as queued).
    pub(crate) fn request(&self, keys: &str) -> Result<axum::http::Request<Vec<u8>>, String> {
        let builder = axum::http::Request::builder().uri(&self.url);
        let token = self.token.as_deref().unwrap_or_default();
        let built = match self.style {
            PurgeStyle::Fastly => builder.method("POST").header("surrogate-key", keys).header("fastly-key", token).header("accept", "application/json").body(Vec::new()),
            PurgeStyle::Cloudflare => {
                let body = serde_json::json!({ "tags": keys.split(' ').filter(|k| !k.is_empty()).collect::<Vec<_>>() });
                builder
                    .method("POST")
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(body.to_string().into_bytes())
            }
            PurgeStyle::Generic => {
                let builder = builder.method("PURGE").header("surrogate-key", keys);
                let builder = if token.is_empty() { builder } else { builder.header("authorization", format!("Bearer {token}")) };
                builder.body(Vec::new())
            }
        };
        built.map_err(|e| e.to_string())
    }
}

/// The surrogate keys an event makes stale (see the module's notes).
pub(crate) fn keys_of(event: &Event) -> Vec<String> {
    match event {
        Event::ArticlePublished { id, .. } | Event::ArticleChanged { id } => vec![format!("article:{id}"), "lists".into()],
        Event::CommentApproved { article_id, .. } | Event::CommentChanged { article_id, .. } => vec![format!("article:{article_id}")],
        Event::CommentHeld { .. } | Event::DraftChanged { .. } | Event::Unknown { .. } => Vec::new(),
        Event::ArticleUnpublished { .. }
        | Event::CategoryChanged { .. }
        | Event::TagChanged { .. }
        | Event::PersonChanged { .. }
        | Event::BreakingChanged { .. }
        | Event::PageChanged { .. }
        | Event::MediaChanged { .. }
        | Event::NavChanged => vec!["site".into()],
    }
}

/// The outbox subscriber that queues purges.
pub(crate) struct Purger {
    pub store: Store,
    pub cdn: CdnPurge,
    /// Wakes the sender of deliveries.
    pub waiting: Arc<tokio::sync::Notify>,
}

impl Subscriber for Purger {
    fn name(&self) -> &'static str {
        "cdn-purge"
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            let cdn = &self.cdn;
            let offers: Vec<NewDelivery> = events
                .iter()
                .filter_map(|e| {
                    let keys = keys_of(&e.event);
                    (!keys.is_empty()).then(|| NewDelivery {
                        kind: KIND.into(),
                        dedupe_key: format!("cdn:{}", e.id),
                        target_url: cdn.url.clone(),
                        content_type: "text/plain".into(),
                        body: keys.join(" "),
                        webhook_id: None,
                        delay_micros: DELAY_MICROS,
                    })
                })
                .collect();
            if offers.is_empty() {
                return Ok(());
            }
            let now = nashir_store::now_micros();
            self.store.offer_deliveries(&offers, now).await.map_err(|e| e.to_string())?;
            let waiting = self.waiting.clone();
            // The sender looks again once the delay is over.
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_micros(DELAY_MICROS as u64 + 50_000)).await;
                waiting.notify_one();
            });
            Ok(())
        })
    }
}

/// The request a queued purge makes now, by the configured style (None: purges are no
/// longer configured, so it is given up).
pub(crate) fn purge_request(cdn: Option<&CdnPurge>, d: &Delivery) -> Option<Result<axum::http::Request<Vec<u8>>, String>> {
    let cdn = cdn?;
    // A purge queued for another endpoint (the setting changed) goes to the current one.
    Some(cdn.request(&d.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_purges_what_shows_it() {
        assert_eq!(keys_of(&Event::ArticlePublished { id: 4, scheduled: true }), ["article:4", "lists"]);
        assert_eq!(keys_of(&Event::ArticleChanged { id: 4 }), ["article:4", "lists"]);
        assert_eq!(keys_of(&Event::ArticleUnpublished { id: 4 }), ["site"]);
        assert_eq!(keys_of(&Event::CommentApproved { id: 1, article_id: 9 }), ["article:9"]);
        assert!(keys_of(&Event::CommentHeld { id: 1, article_id: 9 }).is_empty());
        assert!(keys_of(&Event::DraftChanged { id: 1 }).is_empty());
        assert_eq!(keys_of(&Event::BreakingChanged { id: 1, deleted: false }), ["site"]);
        assert_eq!(keys_of(&Event::NavChanged), ["site"]);
    }

    #[test]
    fn each_style_makes_its_request() {
        let fastly = CdnPurge::new("https://api.fastly.com/service/S1/purge", "fastly", Some("tok".into())).expect("ok");
        let r = fastly.request("article:4 lists").expect("ok");
        assert_eq!(r.method(), "POST");
        assert_eq!(r.headers()["surrogate-key"], "article:4 lists");
        assert_eq!(r.headers()["fastly-key"], "tok");
        let cf = CdnPurge::new("https://api.cloudflare.com/client/v4/zones/Z/purge_cache", "cloudflare", Some("tok".into())).expect("ok");
        let r = cf.request("article:4 lists").expect("ok");
        assert_eq!(r.headers()["authorization"], "Bearer tok");
        assert_eq!(String::from_utf8(r.body().clone()).expect("ok"), r#"{"tags":["article:4","lists"]}"#);
        let generic = CdnPurge::new("http://127.0.0.1:6081/", "generic", None).expect("ok");
        let r = generic.request("site").expect("ok");
        assert_eq!(r.method(), "PURGE");
        assert!(r.headers().get("authorization").is_none());
    }

    #[test]
    fn bad_settings_are_refused_with_the_reason() {
        assert!(CdnPurge::new("ftp://x", "generic", None).expect_err("refused").contains("http"));
        assert!(CdnPurge::new("https://x/", "akamai", None).expect_err("refused").contains("akamai"));
        assert!(CdnPurge::new("https://x/", "fastly", None).expect_err("refused").contains("token"));
        assert!(!format!("{:?}", CdnPurge::new("https://x/", "fastly", Some("secret".into())).expect("ok")).contains("secret"));
    }
}
