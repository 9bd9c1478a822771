//! Serving HTTP so that no client can hang the server, for the node and the
//! visualizer alike.
//!
//! A room of laptops means clients that are slow, stuck or hostile. Each
//! connection therefore gets deadlines, and the server a bound:
//!
//! * a request's headers must arrive within [`Limits::headers`], its body
//!   within [`Limits::body`] (a half-sent request is closed, not held);
//! * a body announced bigger than the route takes is refused at once, from
//!   its `Content-Length`, without reading it;
//! * at most [`Limits::connections`] connections are open; one more is
//!   closed as soon as it is accepted, so file handles never run out and
//!   the server answers again the moment the crowd thins;
//! * on shutdown the server stops accepting, lets open requests finish for
//!   [`Limits::shutdown`], and then returns whatever clients still do.

use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// How long a client of these servers may keep an idle connection for reuse:
/// well under [`Limits::headers`], after which the server closes an idle
/// connection, so a client never sends on a connection being closed.
pub const CLIENT_POOL_IDLE: Duration = Duration::from_secs(2);

/// The bounds a server keeps.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest wait for a request's headers.
    pub headers: Duration,
    /// Longest wait for a request's whole body.
    pub body: Duration,
    /// Largest body any route takes, checked from `Content-Length` first.
    pub body_bytes: usize,
    /// Most connections open at once.
    pub connections: usize,
    /// Longest wait for open requests once shutdown begins.
    pub shutdown: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            headers: Duration::from_secs(5),
            body: Duration::from_secs(10),
            body_bytes: super::http::MAX_BODY,
            connections: 512,
            shutdown: Duration::from_millis(500),
        }
    }
}

/// Serve `app` on `listener` within `limits` until `shutdown` completes.
/// Handlers can read the caller's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = app
        .layer(RequestBodyTimeoutLayer::new(limits.body))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes));
    let open = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.headers);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file handles or a connection reset before we took
                // it: wait a moment rather than spin, and go on.
                Err(e) => {
                    tracing::debug!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::debug!(%remote, "too many connections: closed at once");
            continue;
        };
        let service = app.clone().map_request(move |mut request: Request<_>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            request
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%remote, "connection ended: {e}");
            }
            drop(permit);
        });
    }
    if tokio::time::timeout(limits.shutdown, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::debug!("open connections left behind at shutdown");
    }
    Ok(())
}
