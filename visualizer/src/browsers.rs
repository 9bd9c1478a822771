//! `/ws`: where browser pages connect.
//!
//! A page first receives a `snapshot` of the whole model, then every event as
//! it happens. We subscribe to the broadcast *before* taking the snapshot, so
//! nothing falls in the gap (an event may arrive twice; applying it twice is
//! harmless).
//!
//! Browsers only listen; each has its own place in the broadcast buffer. One
//! that falls more than the buffer behind gets a fresh snapshot and goes on,
//! and one that stops reading altogether is dropped after [`SEND_TIMEOUT`].

use crate::model::Snapshot;
use crate::Shared;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::timeout;

/// A browser that takes longer than this to accept a message is let go.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/ws", get(upgrade))
}

async fn upgrade(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| serve_browser(socket, shared))
}

#[derive(Serialize)]
#[serde(tag = "type", rename = "snapshot")]
struct SnapshotMessage {
    #[serde(flatten)]
    snapshot: Snapshot,
}

pub(crate) fn snapshot_text(shared: &Shared) -> String {
    let snapshot = shared.model().snapshot();
    serde_json::to_string(&SnapshotMessage { snapshot }).expect("snapshots always encode")
}

async fn serve_browser(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut events = shared.browsers.subscribe();
    let mut next: Option<String> = Some(snapshot_text(&shared));
    loop {
        if let Some(text) = next.take() {
            match timeout(SEND_TIMEOUT, socket.send(Message::text(text))).await {
                Ok(Ok(())) => {}
                _ => return,
            }
        }
        tokio::select! {
            event = events.recv() => match event {
                Ok(text) => next = Some(text.to_string()),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!("a browser missed {missed} events; sending a snapshot");
                    next = Some(snapshot_text(&shared));
                }
                Err(RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
