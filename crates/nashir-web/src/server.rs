//! The HTTP server: accepting connections, their timeouts, the fast path for kept pages,
//! the bound on requests in flight, and the graceful stop.
//!
//! A request for a kept page is answered straight from the page cache, before the router
//! and its middleware run: stored bytes in the coding the client accepts, as a static file
//! server would. Everything else goes to the router, at most `max_in_flight` at once; past
//! that, the answer is an immediate 503 with `Retry-After` rather than a queue that grows
//! until clients time out, while kept pages go on being served. A connection that sends no
//! complete request head within `header_timeout` (a silent or trickling client), or stays
//! idle that long between requests, is closed.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

use crate::state::AppState;

/// How the server treats connections and load.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A request head must arrive within this time, and an idle keep-alive connection is
    /// closed after it.
    pub header_timeout: Duration,
    /// Requests the router works on at once; more are answered 503 at once.
    pub max_in_flight: usize,
    /// Open connections at once; more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// How long a stop waits for requests in flight.
    pub drain_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_timeout: Duration::from_secs(5),
            max_in_flight: 256,
            max_connections: 10_000,
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// Counts something while a guard lives.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    /// A guard, unless `limit` are already counted.
    fn try_new(counter: &Arc<AtomicUsize>, limit: usize) -> Option<Counted> {
        let mut current = counter.load(Ordering::Relaxed);
        loop {
            if current >= limit {
                return None;
            }
            match counter.compare_exchange_weak(current, current + 1, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Some(Counted(counter.clone())),
                Err(now) => current = now,
            }
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves one connection's requests.
#[derive(Clone)]
struct Front {
    state: AppState,
    app: Router,
    peer: SocketAddr,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: usize,
}

/// A kept page (ready now) or the router's answer.
enum Answer {
    Ready(Option<Response>),
    Routed(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl Future for Answer {
    type Output = Result<Response, Infallible>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Answer::Ready(r) => Poll::Ready(Ok(r.take().unwrap_or_default())),
            Answer::Routed(f) => f.as_mut().poll(cx).map(Ok),
        }
    }
}

impl hyper::service::Service<Request<Incoming>> for Front {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, request: Request<Incoming>) -> Answer {
        let started = std::time::Instant::now();
        let metrics = &self.state.metrics;
        let request_id = metrics.request_id(request.headers());
        let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
        if let Some(mut kept) = self.state.cache.hit(request.method(), path_and_query, request.headers()) {
            // The security headers are stored with the page.
            kept.headers_mut().insert("x-request-id", request_id);
            metrics.answered("cached", kept.status(), started.elapsed().as_secs_f64());
            return Answer::Ready(Some(kept));
        }
        let class = crate::metrics::class_of(request.uri().path());
        let Some(guard) = Counted::try_new(&self.in_flight, self.max_in_flight) else {
            let mut busy = crate::respond::overloaded(&self.state, request.uri().path());
            crate::http::add_security_headers(busy.headers_mut());
            busy.headers_mut().insert("x-request-id", request_id);
            metrics.answered(class, busy.status(), started.elapsed().as_secs_f64());
            return Answer::Ready(Some(busy));
        };
        let span = tracing::info_span!("request", id = request_id.to_str().unwrap_or("-"), method = %request.method(), path = request.uri().path());
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let app = self.app.clone();
        let metrics = metrics.clone();
        Answer::Routed(Box::pin(tracing::Instrument::instrument(
            async move {
                let mut response = app.oneshot(request).await.unwrap_or_else(|never| match never {});
                drop(guard);
                metrics.answered(class, response.status(), started.elapsed().as_secs_f64());
                response.headers_mut().insert("x-request-id", request_id);
                response
            },
            span,
        )))
    }
}

/// Serves until `shutdown` resolves, then stops accepting and waits (at most
/// `drain_timeout`) for the requests in flight.
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    app: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(options.header_timeout).keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(open) = Counted::try_new(&connections, options.max_connections) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let front = Front {
            state: state.clone(),
            app: app.clone(),
            peer,
            in_flight: in_flight.clone(),
            max_in_flight: options.max_in_flight,
        };
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), front));
        tokio::spawn(async move {
            // Errors here are a client gone, a timeout or a malformed head: nothing to do.
            let _ = connection.await;
            drop(open);
        });
    }
    drop(listener);
    if tokio::time::timeout(options.drain_timeout, graceful.shutdown()).await.is_err() {
        tracing::warn!(in_flight = in_flight.load(Ordering::Relaxed), "stopping with requests still in flight");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_admits_up_to_its_limit_and_frees_on_drop() {
        let counter = Arc::new(AtomicUsize::new(0));
        let a = Counted::try_new(&counter, 2).expect("first");
        let b = Counted::try_new(&counter, 2).expect("second");
        assert!(Counted::try_new(&counter, 2).is_none(), "the third is refused");
        drop(a);
        assert!(Counted::try_new(&counter, 2).is_some(), "a freed place is taken again");
        drop(b);
        assert_eq!(counter.load(Ordering::SeqCst), 0);
    }
}
