//! The node's admin routes: what the page's buttons and the exercises use to
//! break a node on purpose, to slow the whole cluster down, or to turn
//! anti-entropy on while it runs.
//!
//! | route                    | what it does                                      |
//! |--------------------------|---------------------------------------------------|
//! | `GET/POST /admin/faults` | read or replace the injected faults (`core::faults`) |
//! | `POST /admin/crash`      | crash the process at once, no goodbye             |
//! | `GET/POST /admin/settings` | read or change the live settings: `{"interval_ms": 3000, "anti_entropy_ms": 2000}` |
//!
//! They answer only callers on this machine (loopback), unless the node was
//! started with `--admin-token`, which callers then present as
//! `Authorization: Bearer <token>`. A POST must be JSON: a web page cannot
//! send JSON to another site without the browser asking first, and the
//! node never says yes ([`web_guard`](super::web_guard) refuses foreign pages
//! anyway).

use super::host::Host;
use super::http::{json_object, read_body, require_json, ApiError};
use crate::core::faults::Faults;
use crate::core::SettingsChange;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub fn routes() -> Router<Arc<Host>> {
    Router::new()
        .route("/admin/faults", get(get_faults).post(set_faults))
        .route("/admin/crash", post(crash))
        .route("/admin/settings", get(get_settings).post(set_settings))
}

/// Let an admin request through: from loopback, or with the right token.
fn admit(host: &Host, peer: SocketAddr, headers: &HeaderMap) -> Result<(), ApiError> {
    match host.admin_token() {
        Some(token) => {
            let presented = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            if presented == Some(token) {
                Ok(())
            } else {
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "admin routes need Authorization: Bearer <token>"))
            }
        }
        None if peer.ip().is_loopback() => Ok(()),
        None => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "admin routes answer only on loopback; start the node with --admin-token to allow others",
        )),
    }
}

async fn get_faults(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<Faults>, ApiError> {
    admit(&host, peer, &headers)?;
    Ok(Json(host.faults_now()))
}

/// Replace the faults; an empty body (or `{}`) heals the node.
async fn set_faults(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Faults>, ApiError> {
    admit(&host, peer, &headers)?;
    require_json(&headers)?;
    let body = read_body(body)?;
    let faults = if body.iter().all(u8::is_ascii_whitespace) {
        Faults::default()
    } else {
        let faults: Faults = json_object(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("invalid faults: {e}; send e.g. {{\"loss\": 0.3, \"delay_ms\": 200, \"partition\": [3], \"direction\": \"both\", \"paused\": false}}"),
            )
        })?;
        faults
            .validate()
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e))?;
        faults
    };
    host.set_faults(faults.clone());
    Ok(Json(faults))
}

/// Crash like a process that is killed: no goodbye, no clean shutdown.
async fn crash(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    admit(&host, peer, &headers)?;
    require_json(&headers)?;
    tracing::warn!("crashing on request");
    tokio::spawn(async {
        // Time for the answer to go out first.
        tokio::time::sleep(Duration::from_millis(50)).await;
        std::process::abort();
    });
    Ok(Json(serde_json::json!({ "status": "crashing" })))
}

/// The answer of `/admin/settings`: the settings in force.
#[derive(Debug, Serialize)]
struct Settings {
    interval_ms: u64,
    /// `null` when anti-entropy is off.
    anti_entropy_ms: Option<u64>,
}

/// The body of `POST /admin/settings`: what to change. A field left out
/// stays as it is; `"anti_entropy_ms": null` turns anti-entropy off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    interval_ms: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    anti_entropy_ms: Option<Option<u64>>,
}

/// A field that is present, even as `null`, is `Some`.
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(d).map(Some)
}

fn settings_now(host: &Host) -> Settings {
    let (interval, anti_entropy) = host.settings();
    Settings {
        interval_ms: interval.as_millis() as u64,
        anti_entropy_ms: anti_entropy.map(|d| d.as_millis() as u64),
    }
}

async fn get_settings(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<Settings>, ApiError> {
    admit(&host, peer, &headers)?;
    Ok(Json(settings_now(&host)))
}

/// Gossip at another pace, or turn anti-entropy on or off, from now on.
async fn set_settings(
    State(host): State<Arc<Host>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Settings>, ApiError> {
    admit(&host, peer, &headers)?;
    require_json(&headers)?;
    let body = read_body(body)?;
    let asked: Change = json_object(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid settings: {e}; send e.g. {{\"interval_ms\": 3000}} or {{\"anti_entropy_ms\": 2000}} (null: off)"),
        )
    })?;
    let change = SettingsChange {
        interval: asked.interval_ms.map(Duration::from_millis),
        anti_entropy: asked
            .anti_entropy_ms
            .map(|every| every.map(Duration::from_millis)),
    };
    host.change_settings(&change)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e))?;
    Ok(Json(settings_now(&host)))
}
