//! The page's cluster controls with real processes: the visualizer, given
//! `make run`'s folder, adds, kills and restarts `gossip-node` processes,
//! and slows the whole cluster down; a stale pid file, a web page of another
//! site and a form post do nothing.

use gossip_testkit::harness::{self, scratch_dir, wait_until};
use gossip_testkit::run_dir::RunDir;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // A zombie ("Z" after the name) is dead, only not yet reaped.
    !stat.is_empty()
        && !stat
            .rsplit_once(')')
            .is_some_and(|(_, s)| s.trim_start().starts_with('Z'))
}

async fn wait_shown(run: &RunDir, what: &str, want: &[(u64, bool)]) {
    wait_until(what, DEADLINE, || async {
        (run.shown().await == want).then_some(())
    })
    .await;
}

/// Node `id`'s settings: (interval, anti-entropy period or null).
async fn settings_of(run: &RunDir, id: u64) -> Option<(u64, Value)> {
    let answer: Value = harness::get_json(&run.node_url(id, "/admin/settings")).await?;
    Some((
        answer["interval_ms"].as_u64()?,
        answer["anti_entropy_ms"].clone(),
    ))
}

#[tokio::test]
async fn the_page_adds_kills_restarts_and_slows_down_real_nodes() {
    let dir = scratch_dir("control");
    let run = RunDir::start(&dir, 4, &["--probe-interval", "200ms"]);

    for want in 1..=3u64 {
        let (status, answer) = run.post("/api/nodes", "{}").await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["id"], want, "{answer}");
    }
    wait_shown(
        &run,
        "three nodes are shown",
        &[(1, true), (2, true), (3, true)],
    )
    .await;

    // Kill: SIGKILL, shown gone, and a second kill has nothing to kill.
    let pid = run.pid(2).expect("node 2 has a pid file");
    let (status, answer) = run.post("/api/nodes/2/kill", "{}").await;
    assert_eq!(status, 200, "{answer}");
    wait_until("node 2's process is gone", DEADLINE, || async {
        (!alive(pid)).then_some(())
    })
    .await;
    wait_shown(
        &run,
        "node 2 is shown gone",
        &[(1, true), (2, false), (3, true)],
    )
    .await;
    let (status, answer) = run.post("/api/nodes/2/kill", "{}").await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("not running"),
        "{answer}"
    );

    // Slow motion, and anti-entropy on: every node, and the page hears it.
    let body = r#"{"interval_ms": 3000, "anti_entropy_ms": 2000}"#;
    let (status, answer) = run.post("/api/settings", body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["failed"], serde_json::json!([]), "{answer}");
    for id in [1, 3] {
        assert_eq!(settings_of(&run, id).await, Some((3000, 2000.into())));
    }
    wait_until("the page hears the new settings", DEADLINE, || async {
        let control: Value = harness::get_json(&run.visualizer.url("/api/control")).await?;
        (control["interval_ms"] == 3000 && control["anti_entropy_ms"] == 2000).then_some(())
    })
    .await;
    for bad in [r#"{"interval_ms": 1}"#, r#"{"anti_entropy_ms": 1}"#] {
        assert_eq!(run.post("/api/settings", bad).await.0, 422, "{bad}");
    }
    assert_eq!(run.post("/api/settings", "[1]").await.0, 400);

    // Restart: a new process, empty store, the page's settings; and a
    // running node restarts too (stopped first).
    let (status, answer) = run.post("/api/nodes/2/restart", "{}").await;
    assert_eq!(status, 200, "{answer}");
    let new_pid = run.pid(2).expect("node 2 has a pid file again");
    assert_ne!(new_pid, pid);
    assert_eq!(settings_of(&run, 2).await, Some((3000, 2000.into())));
    // Anti-entropy off again, at once: node 2 gets it even before its
    // stream reaches the page; later restarts start without it.
    let (status, answer) = run
        .post("/api/settings", r#"{"anti_entropy_ms": null}"#)
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["failed"], serde_json::json!([]), "{answer}");
    assert!(
        answer["nodes"].as_array().unwrap().contains(&2.into()),
        "{answer}"
    );
    assert_eq!(settings_of(&run, 2).await, Some((3000, Value::Null)));
    let old_pid = run.pid(3).unwrap();
    let (status, answer) = run.post("/api/nodes/3/restart", "{}").await;
    assert_eq!(status, 200, "{answer}");
    assert!(!alive(old_pid), "the old node 3 was stopped");
    wait_shown(
        &run,
        "all three are back",
        &[(1, true), (2, true), (3, true)],
    )
    .await;

    refusals(&run, &dir).await;
}

/// What must not work: a pid file naming another process, a page of
/// another site, a form's text/plain, more nodes than the page shows.
async fn refusals(run: &RunDir, dir: &Path) {
    // A stale pid file naming this very test process.
    std::fs::write(run.dir.join("node-9.pid"), std::process::id().to_string()).unwrap();
    let (status, answer) = run.post("/api/nodes/9/kill", "{}").await;
    assert_eq!(status, 409, "{answer}");
    std::fs::remove_file(run.dir.join("node-9.pid")).unwrap();

    let client = reqwest::Client::new();
    let url = run.visualizer.url("/api/nodes/1/kill");
    let from_page = client
        .post(&url)
        .header("Origin", "https://evil.example")
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(from_page.status().as_u16(), 403);
    let form = client
        .post(&url)
        .header("Content-Type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 415);
    assert!(alive(run.pid(1).unwrap()), "node 1 still runs");

    // The page stops adding at its cap, with a reason.
    std::fs::write(run.dir.join("node-32.pid"), "1").unwrap();
    let (status, answer) = run.post("/api/nodes", "{}").await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("at most"),
        "{answer}"
    );
    std::fs::remove_file(run.dir.join("node-32.pid")).unwrap();
    let _ = dir;
}

/// Without `make run`'s folder the page is told why it has no buttons, and
/// the routes say so too; the flag is refused beyond loopback.
#[tokio::test]
async fn without_the_folder_the_controls_say_why() {
    let dir = scratch_dir("no-control");
    let visualizer = harness::start_visualizer(&dir, 0);
    let control: Value = harness::get_json(&visualizer.url("/api/control"))
        .await
        .unwrap();
    assert_eq!(control["processes"], false);
    assert!(control["why"].as_str().unwrap().contains("make kill"));
    let answer = reqwest::Client::new()
        .post(visualizer.url("/api/nodes/1/kill"))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);

    let beyond = std::process::Command::new(harness::binary("gossip-visualizer"))
        .args(["--bind", "0.0.0.0", "--ingest-token", "t", "--port", "0"])
        .args(["--cluster-dir", &dir.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(beyond.status.code(), Some(2));
    let said = String::from_utf8_lossy(&beyond.stderr);
    assert!(said.contains("loopback"), "{said}");
}
