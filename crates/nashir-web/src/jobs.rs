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

/// How often an instance records where it is in the outbox.
const REPORT_EVERY: Duration = Duration::from_secs(10);
/// How often the outbox is pruned (by each instance; the statement is idempotent).
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// Records where this instance would resume the outbox, and prunes what every instance
/// has read (or what is older than the retention period).
pub(crate) async fn keep_outbox(
    store: Store,
    positions: nashir_store::events::Positions,
    instance: String,
    retention: Duration,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
) {
    let mut tick = tokio::time::interval(REPORT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_prune: Option<tokio::time::Instant> = None;
    let retention = i64::try_from(retention.as_micros()).unwrap_or(i64::MAX / 2);
    loop {
        tick.tick().await;
        if store.is_closed() {
            return;
        }
        let now = nashir_store::now_micros();
        if let Err(e) = store.report_outbox_reader(&instance, positions.resumable(), now).await {
            tracing::warn!(error = %e, "outbox: cannot record this instance's position; will retry");
            continue;
        }
        if last_prune.is_some_and(|t| t.elapsed() < PRUNE_EVERY) {
            continue;
        }
        last_prune = Some(tokio::time::Instant::now());
        match store.prune_outbox(now - retention).await {
            Ok(0) => {}
            Ok(n) => {
                metrics.job_ran("prune_outbox");
                tracing::info!(events = n, "outbox pruned");
            }
            Err(e) => tracing::warn!(error = %e, "outbox: pruning failed; will retry"),
        }
    }
}
