//! The transport: peer messages travel as `POST /gossip` with a JSON body.
//!
//! HTTP is not the fastest way to move gossip (production systems use UDP),
//! but every participant can read it, curl it and watch it. Messages are
//! one-way: the answer to a join is a separate `POST /gossip` back.
//!
//! Delivery is best effort, as gossip assumes: a peer that is down, slow or
//! gone just means the message is lost, reported as `message_undelivered`, and
//! the protocol's later rounds make up for it. At most [`MAX_IN_FLIGHT`]
//! requests are open at once, so a dead peer cannot pile up connections.

use super::cluster_key::{self, ClusterKey};
use super::host::{Host, Outgoing};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

/// Requests open at the same time; more are dropped as undelivered.
pub const MAX_IN_FLIGHT: usize = 64;
/// How long one delivery may take before the message counts as lost.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(2);

/// The deliveries under way, so a node that leaves can wait for its goodbyes.
#[derive(Clone)]
pub struct InFlight(Arc<Semaphore>);

impl Default for InFlight {
    fn default() -> InFlight {
        InFlight(Arc::new(Semaphore::new(MAX_IN_FLIGHT)))
    }
}

impl InFlight {
    /// Wait until nothing is being delivered (the outbox may still hold a
    /// message for an instant), or `patience` has passed.
    pub async fn drained(&self, patience: Duration) {
        let start = tokio::time::Instant::now();
        tokio::time::sleep(Duration::from_millis(20)).await;
        while self.0.available_permits() < MAX_IN_FLIGHT && start.elapsed() < patience {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Deliver messages from the host's outbox until the host goes away.
pub async fn run(host: Arc<Host>, mut outbox: mpsc::Receiver<Outgoing>, in_flight: InFlight) {
    let client = reqwest::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        .connect_timeout(Duration::from_secs(1))
        .pool_idle_timeout(super::serve::CLIENT_POOL_IDLE)
        .build()
        .expect("an HTTP client without TLS always builds");
    while let Some(message) = outbox.recv().await {
        let Ok(permit) = in_flight.0.clone().try_acquire_owned() else {
            host.undelivered(
                message.id,
                &message.to,
                "too many messages in flight".into(),
            );
            continue;
        };
        let (host, client) = (host.clone(), client.clone());
        tokio::spawn(async move {
            let _permit = permit;
            if !message.delay.is_zero() {
                tokio::time::sleep(message.delay).await;
            }
            if let Err(reason) = deliver(&client, host.cluster_key(), &message).await {
                if reason == CONNECTION_REFUSED {
                    host.unreachable(&message.to);
                }
                host.undelivered(message.id, &message.to, reason);
            }
        });
    }
}

/// Could a message that names `addr` as its sender's address have come
/// from `source`, the IP it arrived from? An IP must be the source's, any
/// loopback address standing for any other (`localhost` is loopback too).
/// Another name cannot be checked here: it is taken only from a `keyed`
/// cluster, whose key vouches for the sender. So a message cannot name a
/// third party's address for the answers to go to.
pub fn sent_from(addr: &str, source: IpAddr, keyed: bool) -> bool {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return source.to_canonical().is_loopback();
    }
    let Ok(claimed) = host.parse::<IpAddr>() else {
        return keyed;
    };
    let (claimed, source) = (claimed.to_canonical(), source.to_canonical());
    claimed == source || (claimed.is_loopback() && source.is_loopback())
}

/// Why a message did not go when nothing listens at its address: the
/// connection was refused (a crashed process), not timed out.
const CONNECTION_REFUSED: &str = "connection refused: is the node down?";

/// Whether `error` is a refused connection, somewhere in its causes.
fn refused(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return true;
            }
        }
        cause = e.source();
    }
    false
}

/// Most bytes of a peer's refusal read, for the log line it becomes.
const REFUSAL_BYTES: usize = 4096;

async fn deliver(
    client: &reqwest::Client,
    key: Option<&ClusterKey>,
    message: &Outgoing,
) -> Result<(), String> {
    let url = format!("http://{}/gossip", message.to);
    let mut request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header(cluster_key::HEADER, key.tag(&message.body));
    }
    let response = request
        .body(message.body.clone())
        .send()
        .await
        .map_err(|e| {
            if refused(&e) {
                CONNECTION_REFUSED.to_string()
            } else if e.is_connect() {
                format!("could not connect: {e}")
            } else if e.is_timeout() {
                "timed out".to_string()
            } else {
                e.to_string()
            }
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status != reqwest::StatusCode::UNPROCESSABLE_ENTITY {
        return Err(format!("peer answered {status}"));
    }
    // The core's refusal says why, in `{"error": ...}`: pass it on, clipped.
    // Read no more than a refusal needs: a peer could answer with anything.
    let mut response = response;
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk[..chunk.len().min(REFUSAL_BYTES - body.len())]);
        if body.len() >= REFUSAL_BYTES {
            break;
        }
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let why: String = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|answer| answer["error"].as_str().map(str::to_owned))
        .unwrap_or(text)
        .chars()
        .take(200)
        .collect();
    Err(format!("{}: {why}", super::host::REFUSED))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A port nothing listens on refuses; a listener that never answers
    /// times out, which is not a refusal (a paused process, a slow one).
    #[tokio::test]
    async fn only_a_refused_connection_counts_as_refused() {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let error = client
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(refused(&error), "{error:?}");
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let error = client
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(!refused(&error), "{error:?}");
        drop(silent);
    }

    #[test]
    fn a_sender_names_its_own_address_or_a_name() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(sent_from("127.0.0.1:7001", ip("127.0.0.1"), false));
        assert!(
            sent_from("127.0.0.3:7001", ip("127.0.0.1"), false),
            "loopback is one host"
        );
        assert!(sent_from("[::1]:7001", ip("127.0.0.1"), false));
        assert!(sent_from(
            "192.168.1.20:7001",
            ip("::ffff:192.168.1.20"),
            false
        ));
        assert!(sent_from("localhost:7001", ip("127.0.0.1"), false));
        assert!(!sent_from("localhost:7001", ip("192.168.1.20"), false));
        // A name is taken only where the cluster key vouches for the sender.
        assert!(!sent_from("laptop-3.local:7001", ip("192.168.1.20"), false));
        assert!(sent_from("laptop-3.local:7001", ip("192.168.1.20"), true));
        assert!(!sent_from("192.168.1.99:80", ip("192.168.1.20"), false));
        assert!(!sent_from("192.168.1.99:80", ip("127.0.0.1"), false));
        assert!(!sent_from("127.0.0.1:7001", ip("192.168.1.20"), false));
    }
}
