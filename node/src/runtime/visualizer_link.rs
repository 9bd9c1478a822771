//! The link to `gossip-visualizer`: events out over a WebSocket.
//!
//! The node is a WebSocket *client* (tokio-tungstenite) of the visualizer's
//! `/ingest`. On every (re)connection it first sends a `hello` with its whole
//! state, then each event as one JSON text frame.
//!
//! The visualizer is optional. When it is absent the node gossips as usual and
//! tries again with growing pauses (200 ms up to 5 s). Events produced while
//! disconnected are discarded: the next hello carries their result. And the
//! node never waits for the visualizer: events reach this task through a
//! bounded queue filled with `try_send`, so a stuck visualizer costs dropped
//! events, never a slower node.

use super::host::Host;
use crate::core::event::WireEvent;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

const FIRST_PAUSE: Duration = Duration::from_millis(200);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// A visualizer that takes longer than this to accept a frame is given up on.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// Keep a connection to `url` open for as long as the node runs.
pub async fn run(url: String, host: Arc<Host>, mut events: mpsc::Receiver<WireEvent>) {
    // What the log may say of the URL: never its token.
    let shown = url.split('?').next().unwrap_or_default().to_owned();
    let mut pause = FIRST_PAUSE;
    let mut told_absent = false;
    loop {
        match timeout(
            Duration::from_secs(3),
            tokio_tungstenite::connect_async(&url),
        )
        .await
        {
            Ok(Ok((socket, _))) => {
                tracing::info!("streaming events to the visualizer at {shown}");
                pause = FIRST_PAUSE;
                told_absent = false;
                let why = stream(socket, &host, &mut events).await;
                tracing::info!("lost the visualizer ({why}); gossiping on and reconnecting");
            }
            Ok(Err(e)) if !told_absent => {
                tracing::info!(
                    "no visualizer at {shown} ({e}); gossiping anyway, will keep trying"
                );
                told_absent = true;
            }
            _ => {}
        }
        // Whatever queued up while away is summed up by the next hello.
        while events.try_recv().is_ok() {}
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// Send the hello, then every event, until the connection fails. Returns why.
async fn stream<S>(
    socket: tokio_tungstenite::WebSocketStream<S>,
    host: &Host,
    events: &mut mpsc::Receiver<WireEvent>,
) -> String
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (mut tx, mut rx) = socket.split();
    while events.try_recv().is_ok() {}
    let mut next = Some(host.hello());
    // Faults set before this connection follow the hello.
    let mut after_hello = host.faults_event();
    loop {
        if let Some(event) = next.take() {
            let text = serde_json::to_string(&event).expect("events always encode");
            match timeout(SEND_TIMEOUT, tx.send(Message::text(text))).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return e.to_string(),
                Err(_) => return "it stopped reading".into(),
            }
        }
        if let Some(faults) = after_hello.take() {
            next = Some(faults);
            continue;
        }
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => next = Some(event),
                None => return "node shutting down".into(),
            },
            // Reading keeps pings answered and notices a close.
            incoming = rx.next() => match incoming {
                Some(Ok(Message::Close(_))) | None => return "connection closed".into(),
                Some(Err(e)) => return e.to_string(),
                Some(Ok(_)) => {}
            },
        }
    }
}
