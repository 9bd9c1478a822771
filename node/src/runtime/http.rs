//! The node's HTTP routes.
//!
//! | route           | what it does                                              |
//! |-----------------|-----------------------------------------------------------|
//! | `POST /update`  | empty body: a fresh demo update; `{"key","value"}`: set a key |
//! | `GET /state`    | entries and members, as JSON                              |
//! | `GET /health`   | `{"status": "ok", ...}`                                   |
//! | `GET /metrics`  | OpenMetrics text: messages, bytes, rounds, updates        |
//! | `POST /gossip`  | a message from a peer (one JSON envelope)                 |
//! | `GET/POST /admin/faults` | read or replace the injected faults (see `core::faults`) |
//! | `POST /admin/crash` | crash the process at once, no goodbye                 |
//! | `GET/POST /admin/settings` | read or change the round and anti-entropy, live |
//!
//! No route answers a web page of another site, or a request sent to a name
//! this node does not answer to ([`web_guard`](super::web_guard)); curl and
//! peers send neither. A peer's message is checked like client input before
//! the core acts on it (`core::node::admission`): a refusal is a 422.
//!
//! The admin routes ([`admin`](super::admin)) answer only callers on this
//! machine (loopback), unless the node was started with `--admin-token`,
//! which callers then present as `Authorization: Bearer <token>`.
//!
//! Bad input never crashes the node and never touches its state: it gets a
//! 4xx answer with `{"error": "..."}` that says what was wrong. Bodies over
//! 64 KiB are refused with 413 before they are read.

use super::admin;
use super::cluster_key;
use super::host::Host;
use super::metrics;
use super::transport;
use super::web_guard::{self, Names};
use crate::core::message::Envelope;
use crate::core::store::Entry;
use crate::core::version::NodeId;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

/// The largest body any route accepts.
pub const MAX_BODY: usize = 64 * 1024;

/// The node's router; tests can drive it without a socket.
pub fn app(host: Arc<Host>) -> Router {
    // Besides IP addresses and localhost, the node answers to the name it
    // advertises (`--advertise laptop-3.local:7001`).
    let advertised = host.advertised_addr();
    let name = advertised
        .rsplit_once(':')
        .map_or(advertised.as_str(), |(n, _)| n);
    let names = Names::new([name.to_owned()]);
    Router::new()
        .route("/update", post(update))
        .route("/state", get(state))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/gossip", post(gossip))
        .merge(admin::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(from_fn_with_state(names, web_guard::guard))
        .with_state(host)
}

/// A refused request: a status and a sentence for a human.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

/// The body of `POST /update`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    key: String,
    value: String,
}

/// The answer to `POST /update`: the entry as stored, with its key.
#[derive(Debug, Serialize)]
struct Stored {
    key: String,
    #[serde(flatten)]
    entry: Entry,
}

async fn update(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Stored>, ApiError> {
    let body = read_body(body)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        let (key, entry) = host
            .demo_update()
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        return Ok(Json(Stored { key, entry }));
    }
    require_json(&headers)?;
    let request = parse_update(&body)?;
    let entry = host
        .client_update(&request.key, &request.value)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    Ok(Json(Stored {
        key: request.key,
        entry,
    }))
}

/// Decode an update: a JSON object with exactly a string `key` and a string `value`.
fn parse_update(body: &[u8]) -> Result<UpdateRequest, ApiError> {
    json_object(body).map_err(|why| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid update: {why}; send {{\"key\": \"color\", \"value\": \"red\"}} or an empty body"),
        )
    })
}

/// Decode a body that must be a JSON object: serde alone would also take
/// an array of the fields' values, such as `["color", "red"]`.
pub(super) fn json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if !json.is_object() {
        return Err("the body is not a JSON object".into());
    }
    serde_json::from_value(json).map_err(|e| e.to_string())
}

async fn gossip(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let body = read_body(body)?;
    // Before anything is parsed: is it one of ours?
    if let Some(key) = host.cluster_key() {
        let tag = headers
            .get(cluster_key::HEADER)
            .and_then(|t| t.to_str().ok());
        if !tag.is_some_and(|tag| key.verify(&body, tag)) {
            host.refused_untagged(peer.ip());
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "message refused: it does not carry this cluster's key",
            ));
        }
    }
    require_json(&headers)?;
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid gossip message: {e}"),
        )
    })?;
    let keyed = host.cluster_key().is_some();
    if !transport::sent_from(&envelope.from.addr, peer.ip(), keyed) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "gossip message refused: it names {:?} as its sender's address, but came from {}",
                envelope.from.addr.chars().take(60).collect::<String>(),
                peer.ip()
            ),
        ));
    }
    host.receive(envelope, body.len()).map_err(|refusal| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("gossip message refused: {refusal}"),
        )
    })?;
    Ok(StatusCode::ACCEPTED)
}

async fn state(State(host): State<Arc<Host>>) -> Json<crate::core::NodeState> {
    Json(host.state())
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    id: NodeId,
    /// Whose protocol pieces run here: "reference", or the workshop's.
    implementation: String,
}

async fn health(State(host): State<Arc<Host>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        id: host.id(),
        implementation: host.implementation(),
    })
}

/// The host's traffic and the core's figures, as Prometheus reads them
/// (see [`metrics`](super::metrics)).
async fn metrics(State(host): State<Arc<Host>>) -> impl IntoResponse {
    let text = metrics::exposition(&host.traffic, host.core_figures());
    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no route {}; try POST /update, GET /state, GET /health, GET /metrics",
            uri.path()
        ),
    )
}

async fn method_not_allowed(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "wrong method for {}; /update and /gossip take POST, the others GET",
            uri.path()
        ),
    )
}

pub(super) fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                format!("body is larger than {} KiB", MAX_BODY / 1024),
            )
        } else {
            ApiError::new(
                status,
                format!("could not read the body: {}", rejection.body_text()),
            )
        }
    })
}

pub(super) fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if mime.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        let got = if mime.is_empty() {
            "none".to_string()
        } else {
            format!("{mime:?}")
        };
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("expected Content-Type: application/json (got {got}); with curl add -H 'Content-Type: application/json'"),
        ))
    }
}
