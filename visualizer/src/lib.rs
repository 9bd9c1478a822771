//! # gossip-visualizer
//!
//! The server between gossip nodes and browsers.
//!
//! ```text
//!  gossip-node ──ws /ingest──┐                 ┌──ws /ws──▶ browser
//!  gossip-node ──ws /ingest──┼─▶ ClusterModel ─┼──ws /ws──▶ browser
//!  gossip-node ──ws /ingest──┘   (+ broadcast) └─GET /api/cluster
//! ```
//!
//! Nodes stream events in; the visualizer folds them into a [`model`] of the
//! cluster and relays them to every browser through one `broadcast` channel.
//! A browser that connects late gets a snapshot of the model first, then the
//! live stream. A browser too slow to keep up misses events, gets a fresh
//! snapshot, and carries on; it never slows anyone else down.
//!
//! ## Layout
//! * [`model`] — the cluster as the events describe it;
//! * [`ingest`] — `/ingest`, where nodes connect;
//! * [`browsers`] — `/ws`, where pages connect;
//! * [`api`] — `GET /api/cluster` and the page's forms (update, faults);
//! * [`control`] — kills, restarts and adds the nodes `make run` started;
//! * [`replay`] — plays a recorded simulation (`--replay run.jsonl`);
//! * `static/` (at the repository root) — the page itself, served at `/`.

pub mod api;
pub mod browsers;
pub mod control;
pub mod ingest;
pub mod model;
pub mod replay;
#[cfg(test)]
mod tests;

use axum::Router;
use gossip_node::runtime::web_guard;
use serde::Serialize;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tower_http::services::ServeDir;

/// Messages buffered for browsers. A browser further behind than this gets a
/// snapshot instead of the events it missed.
const BROWSER_BUFFER: usize = 4096;

/// The folder of the page, as checked out next to this crate.
pub fn default_static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static")
}

/// What every connection shares.
pub struct Shared {
    /// A std mutex: it guards quick updates and is never held across `.await`.
    model: Mutex<model::ClusterModel>,
    /// Every message for browsers, already encoded as JSON text once.
    browsers: broadcast::Sender<Arc<str>>,
    /// Numbers node connections, see [`model::NodeView::connection`].
    next_connection: std::sync::atomic::AtomicU64,
    /// Forwards the page's updates to nodes.
    client: reqwest::Client,
    /// The trace being replayed, if this visualizer replays one.
    replay: Mutex<Option<Arc<replay::Replay>>>,
    /// What a node must present on `/ingest`, if anything.
    ingest_token: Option<String>,
    /// The nodes' processes, when `make run` started them (`--cluster-dir`).
    control: Option<Arc<control::Launcher>>,
    /// Whether new figures are already on their way to browsers.
    figures_due: std::sync::atomic::AtomicBool,
}

/// How a visualizer runs, beyond its socket and page.
#[derive(Default)]
pub struct Options {
    /// Recorded events to play instead of (as well as) live ones.
    pub replay: Option<Vec<gossip_node::core::event::WireEvent>>,
    /// What nodes must present on `/ingest`.
    pub ingest_token: Option<String>,
    /// `make run`'s folder, for the page's kill, restart and add buttons.
    pub control: Option<control::Launcher>,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Shared::with(None, None)
    }

    /// Shared state whose `/ingest` wants `token` (`?token=...`), and that
    /// runs the nodes if it has `control`.
    pub fn with(ingest_token: Option<String>, control: Option<control::Launcher>) -> Arc<Shared> {
        let (browsers, _) = broadcast::channel(BROWSER_BUFFER);
        Arc::new(Shared {
            model: Mutex::new(model::ClusterModel::default()),
            browsers,
            next_connection: std::sync::atomic::AtomicU64::new(1),
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .pool_idle_timeout(gossip_node::runtime::serve::CLIENT_POOL_IDLE)
                .build()
                .expect("an HTTP client without TLS always builds"),
            replay: Mutex::new(None),
            ingest_token,
            control: control.map(Arc::new),
            figures_due: std::sync::atomic::AtomicBool::new(false),
        })
    }

    fn replay(&self) -> Option<Arc<replay::Replay>> {
        self.replay
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Forget everything (a replay seeking backwards starts over).
    fn reset_model(&self) {
        *self.model() = model::ClusterModel::default();
    }

    /// Send every browser a fresh snapshot of the model.
    fn send_snapshot(&self) {
        let _ = self.browsers.send(browsers::snapshot_text(self).into());
    }

    fn model(&self) -> MutexGuard<'_, model::ClusterModel> {
        self.model
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Send a message to every browser (nobody listening is fine).
    fn to_browsers(&self, message: &impl Serialize) {
        let text = serde_json::to_string(message).expect("browser messages always encode");
        let _ = self.browsers.send(text.into());
    }
}

/// The visualizer's router; tests can drive it without a socket.
pub fn app(shared: Arc<Shared>, static_dir: PathBuf) -> Router {
    Router::new()
        .merge(ingest::routes())
        .merge(browsers::routes())
        .merge(api::routes())
        .merge(replay::routes())
        .fallback_service(ServeDir::new(static_dir))
        // Pages of other sites, and names a DNS trick points here, get
        // nothing: neither the buttons nor the node feed.
        .layer(axum::middleware::from_fn_with_state(
            web_guard::Names::default(),
            web_guard::guard,
        ))
        .with_state(shared)
}

/// Serve on `listener` until `shutdown` completes (see [`Options`]).
pub async fn run(
    listener: TcpListener,
    static_dir: PathBuf,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared = Shared::with(options.ingest_token, options.control);
    if let Some(events) = options.replay {
        let replay = replay::Replay::new(events);
        *shared.replay.lock().unwrap_or_else(|p| p.into_inner()) = Some(replay.clone());
        tokio::spawn(replay::run(shared.clone(), replay));
    }
    let limits = gossip_node::runtime::serve::Limits::default();
    gossip_node::runtime::serve::serve(listener, app(shared, static_dir), limits, shutdown).await
}
