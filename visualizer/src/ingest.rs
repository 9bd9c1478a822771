//! `/ingest`: where nodes stream their events.
//!
//! Each node keeps one WebSocket open here and sends one JSON event per text
//! frame, a `hello` first. The visualizer folds each event into the model and
//! relays it to the browsers.
//!
//! A node that stops talking is noticed two ways: a killed process closes its
//! socket at once, and a stuck one (paused, or its host gone) stops answering
//! the pings sent every second, so after [`SILENCE_LIMIT`] it is shown as gone.

use crate::model::UpdateStats;
use crate::Shared;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gossip_node::core::event::{Event, WireEvent, SCHEMA_VERSION};
use gossip_node::core::version::NodeId;
use gossip_node::runtime::host::unix_ms;
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a node may stay silent (no event, no pong) before it counts as gone.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(3);
/// Largest event frame accepted (a hello of a node with many keys is large).
const MAX_FRAME: usize = 16 * 1024 * 1024;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/ingest", get(upgrade))
}

async fn upgrade(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.max_message_size(MAX_FRAME)
        .on_upgrade(move |socket| serve_node(socket, shared))
}

/// What the visualizer itself tells browsers, beside the relayed node events.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// New figures for the most recent update.
    Stats { update: Option<UpdateStats> },
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
                            node.get_or_insert(event.node);
                            ingest(&shared, connection, &event, text.as_str());
                        }
                        Err(e) => tracing::warn!("ignoring an event that does not parse: {e}"),
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
        let gone = shared.model().disconnected(node, connection);
        if gone {
            tracing::info!("node {node} is gone");
            // The node cannot say it is gone, so the visualizer says it for it.
            shared.to_browsers(&WireEvent {
                v: SCHEMA_VERSION,
                node,
                ts_ms: unix_ms(),
                event: Event::NodeDown,
            });
            let update = shared.model().update_stats();
            shared.to_browsers(&Notice::Stats { update });
        }
    }
}

/// Fold one event into the model and relay it, with new figures if they changed.
pub(crate) fn ingest(shared: &Shared, connection: u64, event: &WireEvent, text: &str) {
    let stats = {
        let mut model = shared.model();
        model.apply(connection, event).then(|| model.update_stats())
    };
    let _ = shared.browsers.send(text.into());
    if let Some(update) = stats {
        shared.to_browsers(&Notice::Stats { update });
    }
}
