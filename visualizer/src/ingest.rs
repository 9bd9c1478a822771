//! `/ingest`: where nodes stream their events.
//!
//! Each node keeps one WebSocket open here and sends one JSON event per text
//! frame, a `hello` first. The visualizer folds each event into the model and
//! relays it to the browsers.
//!
//! A connection is one node: its first event must be a `hello` with a plain
//! `host:port` address, for an id no other open connection speaks for, and
//! every later event must be that node's. A connection that breaks this is
//! closed (logged once, briefly), so no connection can announce a crowd of
//! nodes, take over a real node's buttons or outlive its node on the page.
//! With `--ingest-token`, a connection must also present the token
//! (`/ingest?token=...`); a visualizer that listens beyond this machine needs
//! one.
//!
//! A node that stops talking is noticed two ways: a killed process closes its
//! socket at once, and a stuck one (paused, or its host gone) stops answering
//! the pings sent every second, so after [`SILENCE_LIMIT`] it is shown as gone.

use crate::model::{Spread, UpdateStats};
use crate::Shared;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use gossip_node::core::event::{Event, WireEvent, SCHEMA_VERSION};
use gossip_node::core::version::NodeId;
use gossip_node::runtime::host::unix_ms;
use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a node may stay silent (no event, no pong) before it counts as gone.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(3);
/// Largest event frame accepted (a hello of a node with many keys is large).
const MAX_FRAME: usize = 2 * 1024 * 1024;
/// Most nodes the page shows; a hello for one more is refused.
pub const MAX_NODES: usize = 300;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/ingest", get(upgrade))
}

/// The query of an ingest URL: `?token=...`.
#[derive(Deserialize)]
struct Token {
    token: Option<String>,
}

async fn upgrade(
    ws: WebSocketUpgrade,
    State(shared): State<Arc<Shared>>,
    Query(given): Query<Token>,
) -> Response {
    if let Some(wanted) = &shared.ingest_token {
        if given.token.as_deref() != Some(wanted.as_str()) {
            let why = "this visualizer wants its ingest token: --visualizer ws://HOST:PORT/ingest?token=...";
            return (StatusCode::UNAUTHORIZED, why).into_response();
        }
    }
    ws.max_message_size(MAX_FRAME)
        .on_upgrade(move |socket| serve_node(socket, shared))
}

/// May this connection (speaking for `node`, once it has said hello) send
/// `event`? `Err` says why the connection is closed.
fn admit(
    shared: &Shared,
    connection: u64,
    node: Option<NodeId>,
    event: &WireEvent,
) -> Result<(), String> {
    if let Event::Hello { state, .. } = &event.event {
        // Every hello, the first and any later one (new settings), names a
        // plain address: the page's buttons are sent there.
        gossip_node::core::plain_addr(&state.addr)?;
    }
    match (node, &event.event) {
        (Some(id), _) if id == event.node => Ok(()),
        (Some(id), _) => Err(format!(
            "node {id}'s connection sent an event of node {}",
            event.node
        )),
        (None, Event::Hello { .. }) => {
            let model = shared.model();
            match model.node(event.node) {
                Some(view) if view.connected && view.connection != connection => Err(format!(
                    "node {} is already connected from another stream",
                    event.node
                )),
                None if model.node_count() >= MAX_NODES => Err(format!(
                    "already {MAX_NODES} nodes, the most the page shows"
                )),
                _ => Ok(()),
            }
        }
        (None, _) => Err("the first event must be a hello".into()),
    }
}

/// At most 200 characters of a peer's text, for a log line.
fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(200).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// What the visualizer itself tells browsers, beside the relayed node events.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// New figures for the most recent update.
    Stats { update: Option<UpdateStats> },
    /// The update's curve gained a point (or its prediction changed).
    Spread { spread: Spread },
}

async fn serve_node(mut socket: WebSocket, shared: Arc<Shared>) {
    let connection = shared.next_connection.fetch_add(1, Ordering::Relaxed);
    let mut node: Option<NodeId> = None;
    let mut last_heard = Instant::now();
    let mut ping = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(Message::Text(text))) => {
                    last_heard = Instant::now();
                    match serde_json::from_str::<WireEvent>(&text) {
                        Ok(event) => {
                            if let Err(why) = admit(&shared, connection, node, &event) {
                                tracing::warn!("closing a node stream: {}", clip(&why));
                                break;
                            }
                            node.get_or_insert(event.node);
                            ingest(&shared, connection, &event, text.as_str());
                        }
                        Err(e) => {
                            tracing::warn!("ignoring an event that does not parse: {}", clip(&e.to_string()))
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => last_heard = Instant::now(),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT {
                    tracing::info!("node {node:?} went silent");
                    break;
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
    if let Some(node) = node {
        let gone = shared.model().disconnected(node, connection, unix_ms());
        if gone {
            tracing::info!("node {node} is gone");
            // The node cannot say it is gone, so the visualizer says it for it.
            shared.to_browsers(&WireEvent {
                v: SCHEMA_VERSION,
                node,
                ts_ms: unix_ms(),
                event: Event::NodeDown,
            });
            figures_soon(&shared);
        }
    }
}

/// Fold one event into the model and relay it; new figures follow soon.
pub(crate) fn ingest(shared: &Arc<Shared>, connection: u64, event: &WireEvent, text: &str) {
    let changed = shared.model().apply(connection, event);
    let _ = shared.browsers.send(text.into());
    if changed {
        figures_soon(shared);
    }
}

/// How often, at most, browsers get the update's figures and curve: 200
/// nodes at 10x change them 2,000 times a second, and the page draws 60.
const FIGURES_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

/// Send the update's figures (and its curve, if it changed) once, a moment
/// from now, however many events change them meanwhile.
pub(crate) fn figures_soon(shared: &Arc<Shared>) {
    if shared.figures_due.swap(true, Ordering::AcqRel) {
        return; // already on its way
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        tokio::time::sleep(FIGURES_EVERY).await;
        shared.figures_due.store(false, Ordering::Release);
        let (update, spread) = {
            let mut model = shared.model();
            (model.update_stats(), model.spread_news())
        };
        shared.to_browsers(&Notice::Stats { update });
        if let Some(spread) = spread {
            shared.to_browsers(&Notice::Spread { spread });
        }
    });
}
