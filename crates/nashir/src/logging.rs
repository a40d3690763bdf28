//! Logging: structured lines on stderr, filtered by `NASHIR_LOG`. Warnings that libraries
//! raise about the content they parse (html5ever's "foster parenting not implemented", one
//! per misplaced table tag) say nothing an operator can act on one by one: they are counted
//! and summed up once a minute instead of flooding the log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::{EnvFilter, FilterFn, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Library targets whose events are about parsed content, not about the program.
const CONTENT_TARGETS: &[&str] = &["html5ever", "markup5ever", "selectors", "cssparser"];

fn is_content_target(target: &str) -> bool {
    CONTENT_TARGETS.iter().any(|t| target == *t || target.starts_with(&format!("{t}::")))
}

/// Counts of content warnings by message since the last summary.
#[derive(Clone, Default)]
pub struct ContentWarnings(Arc<Mutex<BTreeMap<String, u64>>>);

impl ContentWarnings {
    /// Takes the counts gathered so far.
    pub fn take(&self) -> BTreeMap<String, u64> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Logs one line with the counts, if there were any.
    pub fn summarize(&self) {
        let counts = self.take();
        if counts.is_empty() {
            return;
        }
        let total: u64 = counts.values().sum();
        let kinds: Vec<String> = counts.iter().map(|(m, n)| format!("{m} ×{n}")).collect();
        tracing::warn!(total, kinds = %kinds.join("; "), "the HTML parser reported problems in content (counted, not logged one by one)");
    }
}

struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_owned();
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for ContentWarnings {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        if !is_content_target(meta.target()) || *meta.level() > tracing::Level::WARN {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        // Messages that carry the content itself would make every count a new key.
        let key: String = message.0.chars().take(80).collect();
        *self.0.lock().unwrap_or_else(PoisonError::into_inner).entry(key).or_default() += 1;
    }
}

/// Installs the subscriber; returns the counter of content warnings (summarize it from time
/// to time). A second call (tests) keeps the first subscriber.
pub fn init() -> ContentWarnings {
    let filter = EnvFilter::try_from_env("NASHIR_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let warnings = ContentWarnings::default();
    // `NASHIR_LOG_FORMAT=json`: one JSON object per line, with the request's span (its id,
    // method and path) on every line logged while answering it.
    let json = std::env::var("NASHIR_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let lines: Box<dyn Layer<_> + Send + Sync> = if json {
        tracing_subscriber::fmt::layer().json().with_current_span(true).with_span_list(false).with_writer(std::io::stderr).boxed()
    } else {
        tracing_subscriber::fmt::layer().with_writer(std::io::stderr).boxed()
    };
    let lines = lines.with_filter(FilterFn::new(|meta| !is_content_target(meta.target()))).with_filter(filter);
    // Only warnings of the content targets reach the counter, so the parser's debug and
    // trace chatter is never even formatted.
    let counted = CONTENT_TARGETS.iter().fold(Targets::new(), |t, target| t.with_target(*target, tracing::Level::WARN));
    let _ = tracing_subscriber::registry().with(lines).with(warnings.clone().with_filter(counted)).try_init();
    warnings
}

/// Sums content warnings up once a minute for as long as the process runs.
pub async fn summarize_every_minute(warnings: ContentWarnings) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        warnings.summarize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_warnings_are_counted_by_message_and_others_pass() {
        let warnings = ContentWarnings::default();
        let subscriber = tracing_subscriber::registry().with(warnings.clone());
        tracing::subscriber::with_default(subscriber, || {
            for _ in 0..500 {
                tracing::warn!(target: "html5ever::tree_builder", "foster parenting not implemented");
            }
            tracing::warn!(target: "html5ever::tokenizer", "bad character");
            tracing::debug!(target: "html5ever::tree_builder", "processing a tag");
            tracing::warn!(target: "nashir", "a real problem");
        });
        let counts = warnings.take();
        assert_eq!(counts.get("foster parenting not implemented"), Some(&500));
        assert_eq!(counts.get("bad character"), Some(&1));
        assert_eq!(counts.len(), 2, "debug chatter and the program's own warnings are not counted: {counts:?}");
        assert!(warnings.take().is_empty(), "taking resets");
        assert!(is_content_target("html5ever") && is_content_target("html5ever::tree_builder") && !is_content_target("html5everything"));
    }
}
