//! What an operator watches on the running server: `/metrics` (behind a token on the site's
//! address, open on its own address, absent by default), `/healthz` and `/readyz`, request
//! ids on every answer and in JSON log lines.

use std::net::TcpListener;

use crate::server::{Server, request};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

#[test]
fn metrics_health_readiness_and_request_ids() {
    let port = free_port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("server.log");
    let server = Server::start_logging_to(
        &["--demo", "--metrics-token", "s3cret-token", "--metrics-listen", &metrics_addr],
        &[("NASHIR_LOG_FORMAT", "json"), ("NASHIR_LOG", "debug,sqlx=warn,hyper=warn,tantivy=warn")],
        None,
        &log,
    );
    for path in ["/", "/", "/api/v1/articles", "/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF", "/healthz"] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("x-request-id").is_some_and(|id| !id.is_empty()), "{path}: a request id");
    }
    let ready = server.get("/readyz");
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
    // An id a proxy sent is kept, in the answer and in the log lines of the request.
    let r = server.get_with("/api/v1/tags?limit=1&limit=2", &[("x-request-id", "edge-req-42")]);
    assert_eq!(r.status, 400);
    assert_eq!(r.header("x-request-id"), Some("edge-req-42"));
    let cached = server.get_with("/", &[("x-request-id", "edge-req-43")]);
    assert_eq!(cached.header("x-request-id"), Some("edge-req-43"), "kept pages too");

    // Behind the token on the site's address.
    assert_eq!(server.get("/metrics").status, 401);
    assert_eq!(server.get_with("/metrics", &[("authorization", "Bearer wrong")]).status, 401);
    let m = server.get_with("/metrics", &[("authorization", "Bearer s3cret-token")]);
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").is_some_and(|c| c.starts_with("application/openmetrics-text")));
    for want in [
        "nashir_http_requests_total{class=\"public\",status=\"200\"}",
        "nashir_http_requests_total{class=\"cached\",status=\"200\"}",
        "nashir_http_requests_total{class=\"api\",status=\"400\"} 1",
        "nashir_http_request_duration_seconds_bucket{le=",
        "nashir_page_cache_hits_total",
        "nashir_page_cache_misses_total",
        "nashir_page_cache_bytes",
        "nashir_search_duration_seconds_count 1",
        "nashir_outbox_lag_events{name=\"search\"}",
        "nashir_db_connections{state=\"idle\"}",
        "# EOF",
    ] {
        assert!(m.body.contains(want), "{want} in\n{}", m.body);
    }
    let hits: f64 = m.body.lines().find(|l| l.starts_with("nashir_page_cache_hits_total")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).expect("hits");
    assert!(hits >= 2.0, "the second / and the one with an id were kept pages: {hits}");
    // Open on its own address.
    let own = request("GET", &format!("http://{metrics_addr}/metrics"), &[]);
    assert_eq!(own.status, 200);
    assert!(own.body.contains("nashir_http_requests_total"));

    // JSON lines, the request's id on those logged while answering it.
    let text = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<serde_json::Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(!lines.is_empty() && lines.len() == text.lines().filter(|l| !l.trim().is_empty()).count(), "every line is JSON:\n{text}");
    assert!(lines.iter().any(|l| l["span"]["id"] == "edge-req-42"), "a line of that request names it:\n{text}");
}

#[test]
fn metrics_are_not_served_unless_configured() {
    let server = Server::start(&[], &[], None);
    assert_eq!(server.get("/metrics").status, 404);
    assert_eq!(server.get("/readyz").status, 200);
}
