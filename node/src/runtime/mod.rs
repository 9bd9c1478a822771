//! The live runtime: a thin tokio host around the protocol core.
//!
//! The core ([`crate::core`]) decides everything; this module only does what
//! the core cannot: real time, real randomness, real sockets.
//!
//! * [`cli`] — the command line (`--port 7001 --id 1 --neighbors 7002,7003`);
//! * [`host`] — owns the core behind a lock, feeds it inputs, and carries out
//!   its outputs: messages go to the transport, timers become tokio sleeps,
//!   events go to the visualizer link;
//! * [`http`] — the node's HTTP routes, `fn app() -> Router`;
//! * [`admin`] — the routes that break a node on purpose or change its pace;
//! * [`transport`] — sends peer messages as `POST /gossip`;
//! * [`visualizer_link`] — streams events to `gossip-visualizer` over a
//!   WebSocket, reconnecting with backoff, never slowing the node down;
//! * [`shutdown`] — waits for Ctrl+C or SIGTERM;
//! * [`startup`] — logging and binding, shared with the visualizer;
//! * [`serve`] — HTTP with deadlines and a bound on connections, shared
//!   with the visualizer;
//! * [`web_guard`] — web pages of other sites, and rebound names, get 403;
//! * [`cluster_key`] — the room's shared key, tagging every peer message;
//! * [`metrics`] — `GET /metrics`, written by `prometheus-client`;
//! * [`terminal`] — the lines a node prints as the protocol runs.

pub mod admin;
pub mod cli;
pub mod cluster_key;
pub mod host;
pub mod http;
pub mod metrics;
pub mod serve;
pub mod shutdown;
pub mod startup;
pub mod terminal;
pub mod transport;
pub mod visualizer_link;
pub mod web_guard;

use host::Host;
use std::future::Future;
use tokio::net::TcpListener;

/// How the live node runs, beyond the protocol settings.
#[derive(Clone, Debug)]
pub struct NodeOptions {
    pub core: crate::core::Config,
    /// Where to stream events (`ws://127.0.0.1:8080/ingest`), or `None`.
    pub visualizer: Option<String>,
    /// Seed for peer choice; random when `None`.
    pub seed: Option<u64>,
    /// Token required on admin routes; without one they answer loopback only.
    pub admin_token: Option<String>,
    /// The cluster's shared key: peer messages are tagged and checked.
    pub cluster_key: Option<cluster_key::ClusterKey>,
}

/// Serve a node on `listener` until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    options: NodeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (host, outbox, events) = Host::new(
        options.core,
        options.seed,
        options.visualizer.is_some(),
        host::Access {
            admin_token: options.admin_token,
            cluster_key: options.cluster_key,
        },
    );
    let in_flight = transport::InFlight::default();
    tokio::spawn(transport::run(host.clone(), outbox, in_flight.clone()));
    if let (Some(url), Some(events)) = (options.visualizer, events) {
        tokio::spawn(visualizer_link::run(url, host.clone(), events));
    }
    host.start();
    let leaving = host.clone();
    let goodbye = async move {
        shutdown.await;
        // Tell the cluster we leave, and give the goodbyes a moment to go out.
        leaving.leave();
        in_flight.drained(std::time::Duration::from_secs(1)).await;
    };
    serve::serve(listener, http::app(host), serve::Limits::default(), goodbye).await
}
