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
//!
//! Each frame is one JSON message. With `/ws?batch=1` (what the page asks
//! for), the messages already waiting go together, as one JSON array per
//! frame: a 200-node replay at 10x makes 15,000 messages a second, and a
//! browser pays about as much per frame as per byte. Nothing waits to fill a
//! batch; a quiet cluster still sends one message a frame.

use crate::model::Snapshot;
use crate::Shared;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::timeout;

/// A browser that takes longer than this to accept a message is let go.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);
/// Most messages, and most bytes, in one batch.
const BATCH_MESSAGES: usize = 1_000;
const BATCH_BYTES: usize = 512 * 1024;

#[derive(serde::Deserialize)]
struct Options {
    #[serde(default)]
    batch: u8,
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/ws", get(upgrade))
}

async fn upgrade(
    ws: WebSocketUpgrade,
    State(shared): State<Arc<Shared>>,
    Query(options): Query<Options>,
) -> Response {
    let batch = options.batch == 1;
    ws.on_upgrade(move |socket| serve_browser(socket, shared, batch))
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

/// `first`, and in batch mode whatever else is already waiting, as one
/// frame's text; `Err` if the browser fell behind meanwhile.
fn frame_text(
    first: Arc<str>,
    events: &mut tokio::sync::broadcast::Receiver<Arc<str>>,
    batch: bool,
) -> Result<String, u64> {
    if !batch {
        return Ok(first.to_string());
    }
    let mut text = String::with_capacity(first.len() + 2);
    text.push('[');
    text.push_str(&first);
    let mut count = 1;
    while count < BATCH_MESSAGES && text.len() < BATCH_BYTES {
        match events.try_recv() {
            Ok(more) => {
                text.push(',');
                text.push_str(&more);
                count += 1;
            }
            Err(TryRecvError::Lagged(missed)) => return Err(missed),
            Err(_) => break,
        }
    }
    text.push(']');
    Ok(text)
}

async fn serve_browser(mut socket: WebSocket, shared: Arc<Shared>, batch: bool) {
    let mut events = shared.browsers.subscribe();
    // In batch mode every frame is an array, the snapshot's too.
    let alone = |text: String| if batch { format!("[{text}]") } else { text };
    let mut next: Option<String> = Some(alone(snapshot_text(&shared)));
    loop {
        if let Some(text) = next.take() {
            match timeout(SEND_TIMEOUT, socket.send(Message::text(text))).await {
                Ok(Ok(())) => {}
                _ => return,
            }
        }
        tokio::select! {
            event = events.recv() => match event.map_err(|e| match e {
                RecvError::Lagged(missed) => Some(missed),
                RecvError::Closed => None,
            }).and_then(|first| frame_text(first, &mut events, batch).map_err(Some)) {
                Ok(text) => next = Some(text),
                Err(Some(missed)) => {
                    tracing::debug!("a browser missed {missed} events; sending a snapshot");
                    next = Some(alone(snapshot_text(&shared)));
                }
                Err(None) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
