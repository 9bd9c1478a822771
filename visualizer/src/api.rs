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
//! * `GET /api/nodes/{id}` — the inspector: one node's entries (and how it
//!   learned each), members, rumors, faults, lives;
//! * `GET /api/nodes/{id}/why?key=K` — why that node lacks K: the messages
//!   that carried it there and their fate, and a diagnosis (`model::why`);
//! * the cluster controls (kill, restart, add, settings): [`control`].
//!
//! The page itself never talks to nodes, so the nodes need no CORS rules.

mod control;

use crate::model::Snapshot;
use crate::Shared;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
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
        .route("/api/nodes/{id}", get(inspect))
        .route("/api/nodes/{id}/why", get(why))
        .route("/api/settings", post(control::settings))
        .route("/api/control", get(control::status))
}

async fn cluster(State(shared): State<Arc<Shared>>) -> Json<Snapshot> {
    Json(shared.model().snapshot())
}

pub(crate) fn error(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// A node id from the path, or why it is not one.
fn node_id(id: &str) -> Result<NodeId, String> {
    id.parse::<u64>()
        .map(NodeId)
        .map_err(|_| format!("{id:?} is not a node id"))
}

fn no_node(id: NodeId) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no node {id} has connected to the visualizer"),
    )
}

async fn inspect(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let id = match node_id(&id) {
        Ok(id) => id,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    let inspected = crate::model::why::inspect(&shared.model(), id);
    match inspected {
        Some(inspected) => Json(inspected).into_response(),
        None => no_node(id),
    }
}

#[derive(serde::Deserialize)]
struct WhyQuery {
    key: String,
}

async fn why(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    query: Result<Query<WhyQuery>, QueryRejection>,
) -> Response {
    let id = match node_id(&id) {
        Ok(id) => id,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    let Ok(Query(WhyQuery { key })) = query else {
        return error(StatusCode::BAD_REQUEST, "ask with ?key=THE-KEY".into());
    };
    let answer = crate::model::why::why(&shared.model(), id, &key);
    match answer {
        Some(answer) => Json(answer).into_response(),
        None => no_node(id),
    }
}

/// Forward a page request to the node's own route for `action`.
async fn forward(
    State(shared): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let id = match node_id(&id) {
        Ok(id) => id,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
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
