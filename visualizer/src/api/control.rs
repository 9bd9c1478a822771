//! The page's cluster controls (see [`crate::control`]):
//!
//! * `GET /api/control` — whether this visualizer may start and stop the
//!   nodes (it was given `make run`'s folder), and why not;
//! * `POST /api/nodes/{id}/kill`, `POST /api/nodes/{id}/restart`;
//! * `POST /api/nodes` — add a node;
//! * `POST /api/settings` with `{"interval_ms": 3000}` (every connected
//!   node gossips at that pace from its next round: slow motion) or
//!   `{"anti_entropy_ms": 2000}` (anti-entropy on; `null`: off).
//!
//! POSTs are JSON only, like the nodes' admin routes, and like every route
//! they refuse pages of other sites (`web_guard`).

use super::error;
use crate::control::{Chosen, Launcher, Refused};
use crate::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gossip_node::core::version::NodeId;
use gossip_node::core::Config;
use nix::unistd::Pid;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// What the page asks before it shows the process buttons.
pub async fn status(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    let settings = shared
        .model()
        .nodes()
        .filter(|n| n.connected)
        .find_map(|n| n.settings.clone());
    let interval_ms = settings.as_ref().map(|s| s.interval_ms);
    let anti_entropy_ms = settings.and_then(|s| s.anti_entropy_ms);
    Json(match &shared.control {
        Some(_) => {
            json!({ "processes": true, "interval_ms": interval_ms, "anti_entropy_ms": anti_entropy_ms })
        }
        None => json!({
            "processes": false,
            "interval_ms": interval_ms,
            "anti_entropy_ms": anti_entropy_ms,
            "why": "this visualizer was not started by `make run`: use make kill NODE=3 and make restart NODE=3 in a terminal",
        }),
    })
}

/// The refusal of a body that is not JSON (a web form's), if it is not.
fn not_json(headers: &HeaderMap) -> Option<Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    (!mime.eq_ignore_ascii_case("application/json")).then(|| {
        error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send Content-Type: application/json".into(),
        )
    })
}

fn refused(refusal: Refused) -> Response {
    match refusal {
        Refused::Conflict(why) => error(StatusCode::CONFLICT, why),
        Refused::Failed(why) => error(StatusCode::INTERNAL_SERVER_ERROR, why),
    }
}

/// Every node id known: the page's, and those `make` has pid files for.
fn known_ids(shared: &Shared) -> Vec<NodeId> {
    let mut ids: Vec<NodeId> = shared.model().nodes().map(|n| n.id).collect();
    if let Some(control) = &shared.control {
        ids.extend(control.pid_file_ids());
    }
    ids.sort();
    ids.dedup();
    ids
}

/// The launcher, for a JSON request to a visualizer that runs the nodes;
/// else the refusal.
fn launcher(shared: &Shared, headers: &HeaderMap) -> Result<Arc<Launcher>, Box<Response>> {
    if let Some(refusal) = not_json(headers) {
        return Err(Box::new(refusal));
    }
    shared.control.clone().ok_or_else(|| {
        let why = "this visualizer does not run the nodes (it was not started by `make run`)";
        Box::new(error(StatusCode::NOT_FOUND, why.into()))
    })
}

/// What a kill, restart or add did: the node and its process, or why not.
fn outcome(done: Result<(NodeId, Pid), Refused>, action: &str) -> Response {
    match done {
        Ok((id, pid)) => {
            Json(json!({ "id": id, "pid": pid.as_raw(), "done": action })).into_response()
        }
        Err(refusal) => refused(refusal),
    }
}

/// `kill` or `restart` node `id`, from [`super::forward`].
pub async fn act(shared: Arc<Shared>, id: NodeId, action: &str, headers: &HeaderMap) -> Response {
    let control = match launcher(&shared, headers) {
        Ok(control) => control,
        Err(refusal) => return *refusal,
    };
    let known = known_ids(&shared);
    let done = match action {
        "kill" => control.kill(id).await,
        _ => control.restart(id, &known).await,
    };
    outcome(done.map(|pid| (id, pid)), action)
}

/// `POST /api/nodes`: start one more node.
pub async fn add(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let control = match launcher(&shared, &headers) {
        Ok(control) => control,
        Err(refusal) => return *refusal,
    };
    let known = known_ids(&shared);
    outcome(control.add(&known).await, "add")
}

/// The body of `POST /api/settings`: what to change.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    interval_ms: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    anti_entropy_ms: Option<Option<u64>>,
}

/// A field that is present, even as `null`, is `Some`.
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(d).map(Some)
}

/// Why a period is refused, if it is.
fn out_of_range(what: &str, ms: u64) -> Option<String> {
    let (low, high) = (Config::INTERVALS.start(), Config::INTERVALS.end());
    let every = std::time::Duration::from_millis(ms);
    (!Config::INTERVALS.contains(&every))
        .then(|| format!("the {what} must be between {low:?} and {high:?}"))
}

/// `POST /api/settings`: tell every connected node its new settings.
pub async fn settings(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refusal) = not_json(&headers) {
        return refusal;
    }
    let asked: Change = match serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .filter(|v| v.is_object())
        .map(serde_json::from_value)
    {
        Some(Ok(asked)) => asked,
        _ => {
            let example = "send {\"interval_ms\": 3000} or {\"anti_entropy_ms\": 2000} (null: off)";
            return error(StatusCode::BAD_REQUEST, example.into());
        }
    };
    let refused = asked
        .interval_ms
        .and_then(|ms| out_of_range("interval", ms))
        .or_else(|| {
            asked
                .anti_entropy_ms
                .flatten()
                .and_then(|ms| out_of_range("anti-entropy period", ms))
        });
    if let Some(why) = refused {
        return error(StatusCode::UNPROCESSABLE_ENTITY, why);
    }
    // No node starts while the change goes out: each gets it, or starts
    // with it.
    let _one = match &shared.control {
        Some(control) => Some(control.hold().await),
        None => None,
    };
    let mut nodes: Vec<(NodeId, String)> = shared
        .model()
        .nodes()
        .filter(|n| n.connected)
        .map(|n| (n.id, n.addr.clone()))
        .collect();
    // A node just restarted answers before its stream reaches the page.
    if let Some(control) = &shared.control {
        for (id, addr) in control.running_nodes() {
            if !nodes.iter().any(|(known, _)| *known == id) {
                nodes.push((id, addr));
            }
        }
    }
    let mut change = serde_json::Map::new();
    if let Some(ms) = asked.interval_ms {
        change.insert("interval_ms".into(), ms.into());
    }
    if let Some(every) = asked.anti_entropy_ms {
        change.insert("anti_entropy_ms".into(), every.into());
    }
    let body = serde_json::Value::Object(change).to_string();
    let answers = nodes.iter().map(|(id, addr)| {
        let request = shared
            .client
            .post(format!("http://{addr}/admin/settings"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.clone());
        async move {
            match request.send().await {
                Ok(answer) if answer.status().is_success() => Ok(*id),
                Ok(answer) => {
                    Err(json!({ "id": id, "error": format!("answered {}", answer.status()) }))
                }
                Err(e) => Err(json!({ "id": id, "error": e.to_string() })),
            }
        }
    });
    let (changed, failed): (Vec<_>, Vec<_>) = futures_util::future::join_all(answers)
        .await
        .into_iter()
        .partition(Result::is_ok);
    if let Some(control) = &shared.control {
        control.remember(Chosen {
            interval_ms: asked.interval_ms,
            anti_entropy_ms: asked.anti_entropy_ms,
        });
    }
    let changed: Vec<NodeId> = changed.into_iter().flatten().collect();
    let failed: Vec<serde_json::Value> = failed.into_iter().filter_map(Result::err).collect();
    Json(json!({
        "interval_ms": asked.interval_ms,
        "anti_entropy_ms": asked.anti_entropy_ms,
        "nodes": changed,
        "failed": failed,
    }))
    .into_response()
}
