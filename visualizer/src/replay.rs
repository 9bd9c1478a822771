//! Replay: play a recorded run (`gossip-sim trace`) in the live page.
//!
//! `gossip-visualizer --replay run.jsonl` reads the whole trace, then plays
//! it through the same model and the same browser stream as live events, at
//! the trace's own pace times a speed. The page gets play, pause, speed and a
//! scrubber through `GET/POST /api/replay`. Seeking rebuilds the model from
//! the start of the trace up to the new position, silently, and sends every
//! browser a fresh snapshot.
//!
//! Event times are rewritten to the wall clock as they are played, so the
//! page's timers ("since injected") run as they do live.

use crate::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gossip_node::core::event::WireEvent;
use gossip_node::runtime::host::unix_ms;
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often the player advances.
const TICK: Duration = Duration::from_millis(30);

/// Read a trace: one event per line. Says which line is wrong, if one is.
pub fn load(path: &Path) -> Result<Vec<WireEvent>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut events = Vec::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: line {}: {e}", path.display(), number + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let event: WireEvent = serde_json::from_str(&line).map_err(|e| {
            format!(
                "{}: line {} is not an event: {e}",
                path.display(),
                number + 1
            )
        })?;
        events.push(event);
    }
    if events.is_empty() {
        return Err(format!("{} holds no events", path.display()));
    }
    events.sort_by_key(|e| e.ts_ms); // stable: equal times keep their order
    Ok(events)
}

/// Where the player is.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Position {
    pub position_ms: u64,
    pub duration_ms: u64,
    pub playing: bool,
    pub speed: f64,
    pub events: usize,
}

/// What the page may change; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    play: Option<bool>,
    speed: Option<f64>,
    seek_ms: Option<u64>,
}

struct Player {
    position: Position,
    /// Index of the next event to play.
    next: usize,
}

/// A loaded trace and its player.
pub struct Replay {
    events: Vec<WireEvent>,
    player: Mutex<Player>,
}

impl Replay {
    pub fn new(events: Vec<WireEvent>) -> Arc<Replay> {
        let duration_ms = events.last().map_or(0, |e| e.ts_ms);
        let position = Position {
            position_ms: 0,
            duration_ms,
            playing: true,
            speed: 1.0,
            events: events.len(),
        };
        Arc::new(Replay {
            events,
            player: Mutex::new(Player { position, next: 0 }),
        })
    }

    fn player(&self) -> MutexGuard<'_, Player> {
        self.player.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Play events up to `until_ms`; `live`: relay them to the browsers too.
    fn play_until(&self, shared: &Arc<Shared>, player: &mut Player, until_ms: u64, live: bool) {
        while let Some(event) = self.events.get(player.next).filter(|e| e.ts_ms <= until_ms) {
            let mut event = event.clone();
            event.ts_ms = unix_ms();
            // One "connection" per node: a node's hello replaces its past.
            let connection = event.node.0;
            if live {
                let text = serde_json::to_string(&event).expect("events encode");
                crate::ingest::ingest(shared, connection, &event, &text);
            } else {
                shared.model().apply(connection, &event);
            }
            player.next += 1;
        }
        player.position.position_ms = until_ms.min(player.position.duration_ms);
    }

    fn control(&self, shared: &Arc<Shared>, control: Control) -> Result<Position, String> {
        let mut player = self.player();
        if let Some(speed) = control.speed {
            if !(0.05..=100.0).contains(&speed) {
                return Err(format!("speed must be between 0.05 and 100, not {speed}"));
            }
            player.position.speed = speed;
        }
        if let Some(seek) = control.seek_ms {
            let target = seek.min(player.position.duration_ms);
            shared.reset_model();
            player.next = 0;
            self.play_until(shared, &mut player, target, false);
            shared.send_snapshot();
        }
        if let Some(play) = control.play {
            if play && player.position.position_ms >= player.position.duration_ms {
                // Play at the end starts over.
                shared.reset_model();
                player.next = 0;
                player.position.position_ms = 0;
                shared.send_snapshot();
            }
            player.position.playing = play;
        }
        Ok(player.position)
    }
}

/// Advance the player for as long as the server runs.
pub async fn run(shared: Arc<Shared>, replay: Arc<Replay>) {
    let mut last = Instant::now();
    loop {
        tokio::time::sleep(TICK).await;
        let elapsed = last.elapsed();
        last = Instant::now();
        let mut player = replay.player();
        if !player.position.playing {
            continue;
        }
        let advance = (elapsed.as_secs_f64() * 1000.0 * player.position.speed) as u64;
        let until = player.position.position_ms + advance;
        replay.play_until(&shared, &mut player, until, true);
        if player.position.position_ms >= player.position.duration_ms {
            player.position.playing = false;
        }
    }
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/api/replay", get(position).post(control))
}

fn not_replaying() -> Response {
    let body = serde_json::json!({ "error": "not replaying: start with --replay FILE" });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// Where the player is, with `"replaying": true`; a live visualizer says
/// `{"replaying": false}` (the page asks this to know which it shows).
async fn position(State(shared): State<Arc<Shared>>) -> Response {
    let Some(replay) = shared.replay() else {
        return Json(serde_json::json!({ "replaying": false })).into_response();
    };
    let mut answer = serde_json::to_value(replay.player().position).unwrap_or_default();
    answer["replaying"] = serde_json::Value::Bool(true);
    Json(answer).into_response()
}

async fn control(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let Some(replay) = shared.replay() else {
        return not_replaying();
    };
    let control: Control = match serde_json::from_slice(&body) {
        Ok(control) => control,
        Err(e) => {
            let body = serde_json::json!({ "error": format!("invalid control: {e}; send e.g. {{\"play\": true, \"speed\": 2, \"seek_ms\": 0}}") });
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    };
    match replay.control(&shared, control) {
        Ok(position) => Json(position).into_response(),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({ "error": e })),
        )
            .into_response(),
    }
}
