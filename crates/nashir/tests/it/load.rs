//! The server under abuse and overload, bounded in time: 2,000 connections that send
//! nothing or trickle a request head are closed after the header timeout while real
//! requests go on being served; past the in-flight limit, renders are refused at once with
//! 503 and `Retry-After`, while kept pages are still served.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::server::Server;

const CONNECTIONS: usize = 2_000;

fn address(server: &Server) -> SocketAddr {
    server.url.trim_start_matches("http://").parse().expect("address")
}

/// One request on its own connection: the status and the raw head.
async fn fetch(addr: SocketAddr, path: String) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap_or("").to_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, head))
}

/// Whether the server closed the connection (a read returns end of file or an error).
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

#[test]
fn silent_trickling_and_idle_connections_are_closed_while_others_are_served() {
    let server = Server::start(&["--demo", "--header-timeout", "1"], &[], None);
    let addr = address(&server);
    runtime().block_on(async {
        let mut streams = Vec::with_capacity(CONNECTIONS);
        for i in 0..CONNECTIONS {
            let mut s = TcpStream::connect(addr).await.expect("connect");
            match i % 3 {
                // Silent: connects and sends nothing.
                0 => {}
                // Trickling: a head that never ends.
                1 => s.write_all(b"GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ").await.expect("write"),
                // Idle keep-alive: one whole request, then nothing.
                _ => s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n").await.expect("write"),
            }
            streams.push(s);
        }
        // With 2,000 sockets held open, a reader still gets the page.
        let started = Instant::now();
        let (status, _) = fetch(addr, "/".to_owned()).await.expect("a request while 2,000 sockets wait");
        assert_eq!(status, 200);
        assert!(started.elapsed() < Duration::from_secs(5));
        let mut open = 0;
        for s in &mut streams {
            if !closed_within(s, Duration::from_secs(4)).await {
                open += 1;
            }
        }
        assert_eq!(open, 0, "every silent, trickling or idle connection is closed after the header timeout");
    });
}

#[test]
fn past_the_in_flight_limit_renders_are_refused_at_once_and_kept_pages_still_served() {
    let server = Server::start(&["--demo", "--max-in-flight", "2", "--search-rate-limit", "0"], &[], None);
    let addr = address(&server);
    // The home page is kept after one render.
    assert_eq!(server.get("/").status, 200);
    runtime().block_on(async {
        let started = Instant::now();
        // 2,000 different searches at once: each is a render.
        let flood: Vec<_> = (0..CONNECTIONS).map(|i| tokio::spawn(fetch(addr, format!("/search?q=%D8%AE%D8%A8%D8%B1{i}")))).collect();
        // Meanwhile the kept home page answers every time.
        let mut kept = Vec::new();
        for _ in 0..20 {
            kept.push(fetch(addr, "/".to_owned()).await.map(|r| r.0).unwrap_or(0));
        }
        let mut statuses = std::collections::BTreeMap::new();
        for task in flood {
            let (status, head) = tokio::time::timeout(Duration::from_secs(30), task).await.expect("bounded").expect("task").expect("an answer, not a dropped connection");
            if status == 503 {
                assert!(head.to_ascii_lowercase().contains("retry-after: 1"), "{head}");
            }
            *statuses.entry(status).or_insert(0) += 1;
        }
        assert!(kept.iter().all(|s| *s == 200), "kept pages are served during the flood: {kept:?}");
        assert!(statuses.get(&503).copied().unwrap_or(0) > 0, "some renders are refused: {statuses:?}");
        assert!(statuses.get(&200).copied().unwrap_or(0) > 0, "some renders go through: {statuses:?}");
        assert_eq!(statuses.keys().filter(|s| ![200, 503].contains(s)).count(), 0, "{statuses:?}");
        assert!(started.elapsed() < Duration::from_secs(30));
    });
}
