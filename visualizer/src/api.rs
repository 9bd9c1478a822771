//! The JSON API beside the page.
//!
//! * `GET /api/cluster` — the model: every node with its address, whether it
//!   is connected, its entries and members, and the most recent update.
//! * `POST /api/nodes/{id}/update` — what the page's form calls: forwards the
//!   body (empty, or `{"key","value"}`) to that node's own `POST /update` and
//!   returns the node's answer.
//! * `POST /api/nodes/{id}/faults` and `/crash` — the page's fault buttons,
//!   forwarded to the node's `POST /admin/faults` and `/admin/crash` (the
//!   visualizer calls from loopback, which the admin routes accept).
//!
//! * the cluster controls (kill, restart, add, interval): [`control`].
//!
//! The page itself never talks to nodes, so the nodes need no CORS rules.

mod control;

use crate::model::Snapshot;
use crate::Shared;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gossip_node::core::version::NodeId;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/cluster", get(cluster))
        .route("/api/nodes/{id}/{action}", post(forward))
        .route("/api/nodes", post(control::add))
        .route("/api/interval", post(control::interval))
        .route("/api/control", get(control::status))
}

async fn cluster(State(shared): State<Arc<Shared>>) -> Json<Snapshot> {
    Json(shared.model().snapshot())
}

pub(crate) fn error(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Forward a page request to the node's own route for `action`.
async fn forward(
    State(shared): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(id) = id.parse::<u64>().map(NodeId) else {
        return error(StatusCode::BAD_REQUEST, format!("{id:?} is not a node id"));
    };
    let path = match action.as_str() {
        "update" => "/update",
        "faults" => "/admin/faults",
        "crash" => "/admin/crash",
        "kill" | "restart" => return control::act(shared, id, &action, &headers).await,
        other => {
            return error(
                StatusCode::NOT_FOUND,
                format!("no action {other:?}; use update, faults, crash, kill or restart"),
            )
        }
    };
    let target = shared
        .model()
        .node(id)
        .map(|n| (n.addr.clone(), n.connected));
    let addr = match target {
        None => {
            return error(
                StatusCode::NOT_FOUND,
                format!("no node {id} has connected to the visualizer"),
            )
        }
        Some((_, false)) => {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("node {id} is down"),
            )
        }
        Some((addr, true)) => addr,
    };
    let mut request = shared
        .client
        .post(format!("http://{addr}{path}"))
        .body(body);
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    match request.send().await {
        Ok(answer) => {
            let status =
                StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            match answer.bytes().await {
                Ok(bytes) => {
                    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
                }
                Err(e) => error(
                    StatusCode::BAD_GATEWAY,
                    format!("node {id} answered but the body was lost: {e}"),
                ),
            }
        }
        Err(e) => error(
            StatusCode::BAD_GATEWAY,
            format!("could not reach node {id} at {addr}: {e}"),
        ),
    }
}
