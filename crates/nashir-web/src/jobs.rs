//! Timed work of every instance. Scheduled articles are published by a claim in the
//! database (see `Store::publish_due`), so any number of instances publish each once, and
//! an instance that was down publishes what came due meanwhile as soon as it starts.
//! Commenters' network addresses are forgotten once past their retention (one idempotent
//! statement, harmless when several instances run it).

use std::time::Duration;

use nashir_store::Store;

/// How often due articles are looked for; publication is at most this late.
const TICK: Duration = Duration::from_millis(500);

pub(crate) async fn publish_scheduled(store: Store, metrics: std::sync::Arc<crate::metrics::Metrics>) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.publish_due(nashir_store::now_micros()).await {
            Ok(ids) if !ids.is_empty() => {
                metrics.job_ran("publish_scheduled");
                tracing::info!(?ids, "published scheduled articles")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "scheduled publishing: will retry"),
        }
    }
}

/// How often old comment addresses are looked for.
const FORGET_EVERY: Duration = Duration::from_secs(3600);

pub(crate) async fn forget_comment_addresses(store: Store, retention_days: u32, metrics: std::sync::Arc<crate::metrics::Metrics>) {
    let mut tick = tokio::time::interval(FORGET_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let retention = i64::from(retention_days) * 24 * 3_600_000_000;
    loop {
        tick.tick().await;
        match store.forget_comment_addresses(nashir_store::now_micros() - retention).await {
            Ok(0) => {}
            Ok(n) => {
                metrics.job_ran("forget_comment_addresses");
                tracing::info!(comments = n, "forgot commenters' addresses past their retention")
            }
            Err(e) => tracing::warn!(error = %e, "forgetting comment addresses: will retry"),
        }
    }
}
