//! Telling the world a page changed, from the outbox and never on the request path:
//! a WebSub publish to the hub (the feeds the article is in) and an IndexNow ping (the
//! article's URL) for every publication, edit of a published article and unpublication.
//!
//! The outbox subscriber only offers rows to the `deliveries` queue, keyed by event and
//! kind so that every instance offering the same event makes one row; `deliver` (running
//! on every instance) claims rows under a lease and POSTs them, retrying failures with
//! pauses that double from 2 seconds to 4 hours, for about a day and a half.

use std::sync::Arc;
use std::time::Duration;

use nashir_store::events::{Handled, Subscriber};
use nashir_store::{Delivery, Event, NewDelivery, OutboxEvent, Store};

use crate::seo::absolute;
use crate::site::feeds::Format;
use crate::state::AppState;
use crate::urls;

/// How long a claimed delivery is this instance's to send.
const LEASE_MICROS: i64 = 60_000_000;
/// The queue is looked at this often when nothing wakes the sender.
const TICK: Duration = Duration::from_secs(5);
/// One request gives up after this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The pause before try number `attempts + 1`: 2 s, 4 s, 8 s, … up to 4 hours.
pub(crate) fn backoff_micros(attempts: i64) -> i64 {
    let steps = attempts.clamp(1, 24) - 1;
    (2_000_000i64 << steps).min(4 * 3_600_000_000)
}

/// The outbox subscriber that queues pings.
pub(crate) struct Pinger(pub AppState);

impl Pinger {
    /// Whether there is anywhere to ping.
    pub(crate) fn wanted(state: &AppState) -> bool {
        state.syndication.websub_hub.is_some() || state.syndication.indexnow_key.is_some()
    }

    async fn offers(&self, e: &OutboxEvent, now: i64) -> Result<Vec<NewDelivery>, nashir_store::StoreError> {
        let state = &self.0;
        let (id, published) = match &e.event {
            Event::ArticlePublished { id, .. } | Event::ArticleChanged { id } => (*id, true),
            Event::ArticleUnpublished { id } => (*id, false),
            _ => return Ok(Vec::new()),
        };
        let visible = if published { state.store.article_with_byline(id, now).await? } else { None };
        // An edit of a draft changes nothing public.
        if published && visible.is_none() {
            return Ok(Vec::new());
        }
        let slug = match &visible {
            Some(v) => v.article.slug.clone(),
            None => match state.store.article_slug(id).await? {
                Some((slug, _)) => slug,
                None => return Ok(Vec::new()),
            },
        };
        let article_url = absolute(&state.site, &urls::article(id, &slug));
        let mut offers = Vec::new();
        if let Some(hub) = &state.syndication.websub_hub {
            // The feeds the article is (or was) in: the site's, its category and the
            // categories above it, its tags', its author's.
            let mut pages = vec!["/".to_owned()];
            if let Some(v) = &visible {
                let tree = nashir_core::CategoryTree::new(state.store.categories().await?);
                if let Some(c) = v.article.primary_category_id {
                    pages.extend(tree.path(c).iter().map(|c| urls::category(&tree.slug_path(c.id))));
                }
                pages.extend(v.tags.iter().map(|t| urls::tag(&t.slug)));
                pages.push(urls::author(&v.author.slug));
            }
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("hub.mode", "publish");
            for page in &pages {
                for f in Format::ALL {
                    form.append_pair("hub.url", &absolute(&state.site, &f.path(page)));
                }
            }
            offers.push(NewDelivery {
                kind: "websub".into(),
                dedupe_key: format!("websub:{}", e.id),
                target_url: hub.clone(),
                content_type: "application/x-www-form-urlencoded".into(),
                body: form.finish(),
                webhook_id: None,
                delay_micros: 0,
            });
        }
        if let Some(key) = &state.syndication.indexnow_key {
            let host = state.site.public_url.split("://").nth(1).unwrap_or(&state.site.public_url).split('/').next().unwrap_or_default();
            let body = serde_json::json!({
                "host": host,
                "key": key,
                "keyLocation": absolute(&state.site, &format!("/{key}.txt")),
                "urlList": [article_url],
            });
            offers.push(NewDelivery {
                kind: "indexnow".into(),
                dedupe_key: format!("indexnow:{}", e.id),
                target_url: state.syndication.indexnow_endpoint.clone(),
                content_type: "application/json; charset=utf-8".into(),
                body: body.to_string(),
                webhook_id: None,
                delay_micros: 0,
            });
        }
        Ok(offers)
    }
}

impl Subscriber for Pinger {
    fn name(&self) -> &'static str {
        "pings"
    }

    fn handle<'a>(&'a self, events: &'a [OutboxEvent]) -> Handled<'a> {
        Box::pin(async move {
            let now = nashir_store::now_micros();
            let mut offers = Vec::new();
            for e in events {
                offers.extend(self.offers(e, now).await.map_err(|e| e.to_string())?);
            }
            if offers.is_empty() {
                return Ok(());
            }
            let added = self.0.store.offer_deliveries(&offers, now).await.map_err(|e| e.to_string())?;
            if added > 0 {
                self.0.deliveries_waiting.notify_one();
            }
            Ok(())
        })
    }
}

/// What one POST came to.
enum Outcome {
    Sent(u16),
    Failed(Option<u16>, String),
}

fn post(agent: &ureq::Agent, d: &Delivery, extra: &[(&'static str, String)]) -> Outcome {
    let mut request = agent.post(&d.target_url).header("content-type", &d.content_type);
    for (name, value) in extra {
        request = request.header(*name, value);
    }
    outcome(request.send(d.body.as_bytes()))
}

/// Sends a request built elsewhere (a CDN purge, whose method and headers depend on the CDN).
fn send(agent: &ureq::Agent, request: axum::http::Request<Vec<u8>>) -> Outcome {
    outcome(agent.run(request))
}

fn outcome(sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Outcome {
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                Outcome::Sent(status)
            } else {
                Outcome::Failed(Some(status), format!("answered {status}"))
            }
        }
        Err(e) => Outcome::Failed(None, e.to_string()),
    }
}

/// What a webhook delivery needs before it is sent: its hook (still active), a target it
/// may reach, and the signed headers of this try. Err: give up now (Ok(None) is a failed try).
async fn webhook_headers(store: &Store, d: &Delivery, hook_id: i64, allow_private: bool) -> Result<Result<Vec<(&'static str, String)>, String>, String> {
    let hook = store.webhook(hook_id).await.map_err(|e| e.to_string())?;
    let Some(hook) = hook.filter(|h| h.disabled_at.is_none()) else {
        return Err("the webhook was disabled".into());
    };
    let url = d.target_url.clone();
    let refused = tokio::task::spawn_blocking(move || crate::webhooks::refuse_target(&url, allow_private)).await.map_err(|e| e.to_string())?;
    if let Some(reason) = refused {
        return Ok(Err(reason));
    }
    let event = d.kind.strip_prefix("webhook:").unwrap_or(&d.kind);
    Ok(Ok(crate::webhooks::headers(&hook, d.id, event, &d.body, nashir_store::now_micros())))
}

/// Sends queued deliveries until the process ends.
pub(crate) async fn deliver(store: Store, waiting: Arc<tokio::sync::Notify>, allow_private: bool, cdn: Option<crate::cdn::CdnPurge>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .http_status_as_error(false)
        // PURGE, for caches that take it.
        .allow_non_standard_methods(true)
        .user_agent(concat!("Nashir/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    loop {
        if store.is_closed() {
            return;
        }
        let now = nashir_store::now_micros();
        let claimed = match store.claim_delivery(now, LEASE_MICROS).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "deliveries: cannot read the queue; will retry");
                None
            }
        };
        let Some(d) = claimed else {
            let _ = tokio::time::timeout(TICK, waiting.notified()).await;
            continue;
        };
        if d.kind == crate::cdn::KIND {
            let outcome = match crate::cdn::purge_request(cdn.as_ref(), &d) {
                None => {
                    if let Err(e) = store.delivery_abandoned(d.id, "CDN purges are no longer configured", nashir_store::now_micros()).await {
                        tracing::warn!(error = %e, "deliveries: cannot record an outcome");
                    }
                    continue;
                }
                Some(Err(e)) => Outcome::Failed(None, e),
                Some(Ok(request)) => {
                    let agent = agent.clone();
                    tokio::task::spawn_blocking(move || send(&agent, request)).await.unwrap_or_else(|e| Outcome::Failed(None, e.to_string()))
                }
            };
            record(&store, &d, outcome).await;
            continue;
        }
        let extra = match d.webhook_id {
            None => Ok(Vec::new()),
            Some(hook) => match webhook_headers(&store, &d, hook, allow_private).await {
                Ok(headers) => headers,
                Err(reason) => {
                    if let Err(e) = store.delivery_abandoned(d.id, &reason, nashir_store::now_micros()).await {
                        tracing::warn!(error = %e, "deliveries: cannot record an outcome");
                    }
                    continue;
                }
            },
        };
        let outcome = match extra {
            Err(reason) => Outcome::Failed(None, reason),
            Ok(extra) => {
                let agent = agent.clone();
                let job = d.clone();
                match tokio::task::spawn_blocking(move || post(&agent, &job, &extra)).await {
                    Ok(o) => o,
                    Err(e) => Outcome::Failed(None, e.to_string()),
                }
            }
        };
        record(&store, &d, outcome).await;
    }
}

/// Records what a try came to: sent, or failed and due again after a growing pause.
async fn record(store: &Store, d: &Delivery, outcome: Outcome) {
    let now = nashir_store::now_micros();
    let recorded = match outcome {
        Outcome::Sent(status) => {
            tracing::info!(kind = %d.kind, target = %d.target_url, status, "delivered");
            store.delivery_sent(d.id, status, now).await
        }
        Outcome::Failed(status, error) => {
            tracing::warn!(kind = %d.kind, target = %d.target_url, attempts = d.attempts, %error, "delivery failed; will retry");
            store.delivery_failed(d, status, &error, now + backoff_micros(d.attempts), now).await
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "deliveries: cannot record an outcome");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_four_hours_and_last_about_a_day_and_a_half() {
        assert_eq!(backoff_micros(1), 2_000_000);
        assert_eq!(backoff_micros(2), 4_000_000);
        assert_eq!(backoff_micros(30), 4 * 3_600_000_000);
        let total: i64 = (1..nashir_store::DELIVERY_MAX_ATTEMPTS).map(backoff_micros).sum();
        assert!(total > 24 * 3_600_000_000 && total < 48 * 3_600_000_000, "{total}");
    }
}
