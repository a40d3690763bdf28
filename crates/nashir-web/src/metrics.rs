//! What an operator watches: `/metrics` in the Prometheus (OpenMetrics) text format, on its
//! own listen address (`--metrics-listen`) or behind a token (`--metrics-token`), never open
//! by default. Requests by route class and status with latency histograms (pages the cache
//! answers counted as `cached`), page-cache hits, misses and bytes, outbox lag per
//! subscriber, search latency, database connections in use, scheduled jobs run.
//!
//! Also the request ids: every answer carries `X-Request-Id` (the one a proxy sent, when it
//! looks like one, else made here), and every log line of a routed request names it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::exponential_buckets;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    class: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClassLabel {
    class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NameLabel {
    name: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabel {
    state: &'static str,
}

/// A histogram whose observation is three atomic additions. prometheus-client's own takes
/// a lock per observation, which the fast path for kept pages (about 100,000 answers a
/// second on two threads) paid for in contention.
#[derive(Clone, Debug)]
pub(crate) struct FastHistogram(std::sync::Arc<FastInner>);

#[derive(Debug)]
struct FastInner {
    /// Upper bounds, ascending; the last bucket (+Inf) has no bound here.
    bounds: Vec<f64>,
    /// Observations per bucket (not cumulative), one more than `bounds`.
    counts: Vec<AtomicU64>,
    /// The sum, in nanoseconds (every observation here is a duration in seconds).
    sum_nanos: AtomicU64,
}

impl FastHistogram {
    fn new(bounds: impl IntoIterator<Item = f64>) -> Self {
        let bounds: Vec<f64> = bounds.into_iter().filter(|b| b.is_finite()).collect();
        let counts = (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect();
        FastHistogram(std::sync::Arc::new(FastInner { bounds, counts, sum_nanos: AtomicU64::new(0) }))
    }

    pub(crate) fn observe(&self, seconds: f64) {
        let i = self.0.bounds.partition_point(|b| *b < seconds);
        self.0.counts[i].fetch_add(1, Ordering::Relaxed);
        self.0.sum_nanos.fetch_add((seconds.max(0.0) * 1e9) as u64, Ordering::Relaxed);
    }
}

impl prometheus_client::metrics::TypedMetric for FastHistogram {
    const TYPE: prometheus_client::metrics::MetricType = prometheus_client::metrics::MetricType::Histogram;
}

impl prometheus_client::encoding::EncodeMetric for FastHistogram {
    fn encode(&self, mut encoder: prometheus_client::encoding::MetricEncoder) -> Result<(), std::fmt::Error> {
        let buckets: Vec<(f64, u64)> = self
            .0
            .bounds
            .iter()
            .copied()
            .chain(std::iter::once(f64::INFINITY))
            .zip(self.0.counts.iter().map(|c| c.load(Ordering::Relaxed)))
            .collect();
        let count = buckets.iter().map(|(_, n)| n).sum();
        let sum = self.0.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        encoder.encode_histogram::<prometheus_client::encoding::NoLabelSet>(sum, count, &buckets, None)
    }

    fn metric_type(&self) -> prometheus_client::metrics::MetricType {
        <Self as prometheus_client::metrics::TypedMetric>::TYPE
    }
}

fn latency_histogram() -> FastHistogram {
    // 0.1 ms to about 3 s.
    FastHistogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// The process's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<ClassLabel, FastHistogram, fn() -> FastHistogram>,
    search_latency: FastHistogram,
    /// The fast path's own handles (kept pages answered 200 and 304, and their latency),
    /// resolved once: no label lookup per answer.
    cached_ok: Counter,
    cached_not_modified: Counter,
    cached_latency: FastHistogram,
    cache_bytes: Gauge,
    outbox_lag: Family<NameLabel, Gauge>,
    pool: Family<PoolLabel, Gauge>,
    jobs: Family<NameLabel, Counter>,
    /// This process's prefix of request ids, and the next number.
    id_prefix: String,
    next_id: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("nashir");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<ClassLabel, FastHistogram, fn() -> FastHistogram>::new_with_constructor(latency_histogram as fn() -> FastHistogram);
        let cached_ok = requests.get_or_create(&RequestLabels { class: "cached", status: 200 }).clone();
        let cached_not_modified = requests.get_or_create(&RequestLabels { class: "cached", status: 304 }).clone();
        let cached_latency = latency.get_or_create(&ClassLabel { class: "cached" }).clone();
        let search_latency = latency_histogram();
        let cache_bytes = Gauge::default();
        let outbox_lag = Family::<NameLabel, Gauge>::default();
        let pool = Family::<PoolLabel, Gauge>::default();
        let jobs = Family::<NameLabel, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route class and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer, by route class", latency.clone());
        registry.register("search_duration_seconds", "Time a search takes in the index", search_latency.clone());
        registry.register("page_cache_bytes", "Bytes the page cache holds, every stored coding counted", cache_bytes.clone());
        registry.register("outbox_lag_events", "Outbox events not yet handled, by subscriber", outbox_lag.clone());
        registry.register("db_connections", "Database pool connections, by state", pool.clone());
        registry.register("jobs_run", "Scheduled jobs that did work, by job", jobs.clone());
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            search_latency,
            cached_ok,
            cached_not_modified,
            cached_latency,
            cache_bytes,
            outbox_lag,
            pool,
            jobs,
            id_prefix: crate::signing::random_token(4),
            next_id: AtomicU64::new(1),
        }
    }
}

/// The class of a path, for labels.
pub(crate) fn class_of(path: &str) -> &'static str {
    if path.starts_with("/api/") {
        "api"
    } else if path.starts_with(crate::urls::newsroom::ROOT) {
        "newsroom"
    } else if ["/static/", "/media/", "/uploads/", "/wp-content/"].iter().any(|p| path.starts_with(p)) {
        "files"
    } else if path == "/healthz" || path == "/readyz" || path == "/metrics" {
        "health"
    } else {
        "public"
    }
}

impl Metrics {
    /// Counts one answer.
    pub(crate) fn answered(&self, class: &'static str, status: StatusCode, seconds: f64) {
        if class == "cached" {
            match status {
                StatusCode::OK => self.cached_ok.inc(),
                StatusCode::NOT_MODIFIED => self.cached_not_modified.inc(),
                _ => self.requests.get_or_create(&RequestLabels { class, status: status.as_u16() }).inc(),
            };
            self.cached_latency.observe(seconds);
            return;
        }
        self.requests.get_or_create(&RequestLabels { class, status: status.as_u16() }).inc();
        self.latency.get_or_create(&ClassLabel { class }).observe(seconds);
    }

    /// Registers the page cache's own counters.
    pub(crate) fn adopt_cache(&self, cache: &crate::cache::PageCache) {
        let mut registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        registry.register("page_cache_hits", "Requests answered from the page cache", cache.hits.clone());
        registry.register("page_cache_misses", "Cacheable requests that had to be rendered", cache.misses.clone());
    }

    pub(crate) fn searched(&self, seconds: f64) {
        self.search_latency.observe(seconds);
    }

    /// A scheduled job did some work.
    pub(crate) fn job_ran(&self, name: &'static str) {
        self.jobs.get_or_create(&NameLabel { name }).inc();
    }

    /// A request id: the proxy's when it looks like one (letters, digits, `-`, `_`, `.`, up to
    /// 64), else this process's prefix and a number.
    pub(crate) fn request_id(&self, headers: &HeaderMap) -> HeaderValue {
        if let Some(v) = headers.get("x-request-id")
            && let Ok(text) = v.to_str()
            && !text.is_empty()
            && text.len() <= 64
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return v.clone();
        }
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut id = String::with_capacity(self.id_prefix.len() + 17);
        id.push_str(&self.id_prefix);
        id.push('-');
        let _ = std::fmt::Write::write_fmt(&mut id, format_args!("{n:x}"));
        HeaderValue::try_from(id).unwrap_or(HeaderValue::from_static("-"))
    }

    /// The text of `/metrics`, with the gauges of `now`.
    pub(crate) fn render(&self, now: &Snapshot) -> String {
        self.cache_bytes.set(i64::try_from(now.cache_bytes).unwrap_or(i64::MAX));
        let idle = i64::try_from(now.pool_idle).unwrap_or(0);
        self.pool.get_or_create(&PoolLabel { state: "idle" }).set(idle);
        self.pool.get_or_create(&PoolLabel { state: "in_use" }).set(i64::from(now.pool_open).saturating_sub(idle));
        for (name, lag) in &now.outbox_lag {
            self.outbox_lag.get_or_create(&NameLabel { name }).set(*lag);
        }
        let mut text = String::new();
        let registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &registry) {
            tracing::error!(error = %e, "metrics could not be encoded");
        }
        text
    }
}

/// The gauges, read when `/metrics` is asked for.
pub(crate) struct Snapshot {
    pub cache_bytes: usize,
    pub pool_open: u32,
    pub pool_idle: usize,
    /// Outbox events not yet handled, by subscriber.
    pub outbox_lag: Vec<(&'static str, i64)>,
}

/// The outbox positions, once the dispatcher has started.
pub(crate) type OutboxPositions = OnceLock<nashir_store::events::Positions>;

pub(crate) const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub(crate) fn response(text: String) -> Response {
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_in_classes_and_request_ids_are_kept_or_made() {
        assert_eq!(class_of("/api/v1/articles"), "api");
        assert_eq!(class_of("/newsroom/articles"), "newsroom");
        assert_eq!(class_of("/static/style.css"), "files");
        assert_eq!(class_of("/news/1/x"), "public");
        let m = Metrics::default();
        let mut h = HeaderMap::new();
        let made = m.request_id(&h);
        assert_ne!(made, m.request_id(&h), "a new one each time");
        h.insert("x-request-id", HeaderValue::from_static("abc-123"));
        assert_eq!(m.request_id(&h), "abc-123");
        h.insert("x-request-id", HeaderValue::from_static("bad id with spaces"));
        assert_ne!(m.request_id(&h), "bad id with spaces");
    }
}
