//! The page at scale, in real Chromium: a recorded 200-node run (crashes, a
//! partition), replayed. Every node stays visible and apart from every
//! other, inside the stage; the page says it is a replay, hides what only a
//! live cluster can do, and answers the keyboard; and the frame time at 10x
//! is measured (printed, not asserted: speed lives in figures).
//!
//! The screenshot lands in `target/browser-test/replay-200.png`; with
//! `GOSSIP_UPDATE_SCREENSHOT=1` it also replaces `docs/replay-200.png`.

use gossip_testkit::chromium;
use gossip_testkit::harness::{self, scratch_dir, wait_until, Process};
use gossip_testkit::webdriver::Browser;
use serde_json::Value;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

async fn page(client: &Browser, script: &str) -> Value {
    client.execute(script).await.expect("script runs")
}

async fn replay_state(visualizer: &Process) -> Value {
    harness::get_json(&visualizer.url("/api/replay"))
        .await
        .expect("the replay answers")
}

#[tokio::test]
async fn two_hundred_nodes_in_a_replay_stay_apart_and_the_page_says_replay() {
    let dir = scratch_dir("browser-scale");
    let visualizer = harness::start_replay(&dir, 200, 60);
    let Some((_driver, client)) = chromium::open(&dir, &visualizer.url("/"), 1280, 720).await
    else {
        return;
    };

    let circles = chromium::wait_for_nodes(&client, 200).await;
    let closest = chromium::assert_apart_and_inside(&circles);
    let smallest = circles.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
    assert!(
        smallest >= 3.0,
        "a node drawn {} units wide",
        smallest * 2.0
    );

    // The page says it is a replay, and what only a live cluster can do is gone.
    let shown = page(
        &client,
        r#"return {
            status: document.querySelector('#connection').textContent,
            bar: !document.querySelector('#replay').hidden,
            inject: document.querySelector('[aria-label="Inject an update"]').offsetParent !== null,
            faults: document.querySelector('[aria-label="Inject faults"]').offsetParent !== null,
        };"#,
    )
    .await;
    assert!(
        shown["status"].as_str().unwrap().contains("replay"),
        "{shown}"
    );
    assert_eq!(shown["bar"], true, "{shown}");
    assert_eq!(shown["inject"], false, "{shown}");
    assert_eq!(shown["faults"], false, "{shown}");

    // The keyboard: + speeds up, space pauses and plays.
    let press = |key: &'static str| {
        let script = format!(
            "document.dispatchEvent(new KeyboardEvent('keydown', {{key: {key:?}, bubbles: true}})); return true;"
        );
        let client = &client;
        async move { page(client, &script).await }
    };
    for speed in [2.0, 4.0, 10.0] {
        press("+").await;
        wait_until("+ speeds the replay up a step", DEADLINE, || async {
            (replay_state(&visualizer).await["speed"] == speed).then_some(())
        })
        .await;
    }
    let (frames, median, p95) = chromium::frame_times(&client).await;
    eprintln!(
        "200 nodes, replay at 10x: {frames} frames in 2 s, frame time median {median:.1} ms, \
         95th percentile {p95:.1} ms; closest gap between nodes {closest:.1} units"
    );
    // The replay draws the same curve as the live page.
    wait_until("the replay's chart shows the update reach most nodes", DEADLINE, || async {
        let chart = page(
            &client,
            "const c = document.querySelector('#curve'); return [Number(c.dataset.measuredFinal || 0), Number(c.dataset.theoryPoints || 0)];",
        )
        .await;
        let (holding, predicted) = (chart[0].as_u64()?, chart[1].as_u64()?);
        (holding > 100 && predicted > 1).then_some(())
    })
    .await;

    // Paused, back at the start: space plays, space pauses.
    let control = serde_json::json!({"play": false, "seek_ms": 0}).to_string();
    let (status, answer) = harness::post(
        &visualizer.url("/api/replay"),
        Some("application/json"),
        control,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    for playing in [true, false] {
        // A person presses space on what the button shows: wait until the
        // page shows the state the API just set (it polls four times a second).
        let shows = if playing { "play" } else { "pause" };
        wait_until(&format!("the button says {shows}"), DEADLINE, || async {
            let text = page(
                &client,
                "return document.querySelector('#replay-play').textContent;",
            )
            .await;
            (text == shows).then_some(())
        })
        .await;
        press(" ").await;
        wait_until("space plays or pauses", DEADLINE, || async {
            (replay_state(&visualizer).await["playing"] == playing).then_some(())
        })
        .await;
    }

    chromium::save_screenshot(&client, "replay-200.png").await;
    client.close().await.expect("the browser closes");
}

/// 32 live nodes: the ring fills the stage and no two nodes touch; the
/// frame time is measured while an update spreads; a node cut off from all
/// others by a partition is drawn in a region of its own.
#[tokio::test]
async fn thirty_two_live_nodes_fill_the_ring_and_a_partition_stands_apart() {
    let dir = scratch_dir("browser-32");
    let visualizer = harness::start_visualizer(&dir, 0);
    let ingest = format!("ws://{}/ingest", visualizer.addr);
    let flags = ["--visualizer", ingest.as_str(), "--interval", "300ms"];
    let ports: Vec<u16> = (0..32).map(|_| harness::free_port()).collect();
    let first = vec![ports[0].to_string()];
    let nodes: Vec<Process> = (1..=32u64)
        .map(|id| {
            let neighbors = if id == 1 { vec![] } else { first.clone() };
            harness::start_node(&dir, id, ports[id as usize - 1], &neighbors, &flags)
        })
        .collect();
    let Some((_driver, client)) = chromium::open(&dir, &visualizer.url("/"), 1280, 720).await
    else {
        return;
    };
    let circles = chromium::wait_for_nodes(&client, 32).await;
    let closest = chromium::assert_apart_and_inside(&circles);
    let top = circles
        .iter()
        .map(|c| c.1 - c.2)
        .fold(f64::INFINITY, f64::min);
    let bottom = circles.iter().map(|c| c.1 + c.2).fold(0.0, f64::max);
    let used = (bottom - top) / chromium::STAGE.1;
    assert!(
        used > 0.9,
        "the ring spans only {:.0} % of the stage's height",
        used * 100.0
    );

    harness::write(&nodes[0], "projector", "legible").await;
    let (frames, median, p95) = chromium::frame_times(&client).await;
    eprintln!(
        "32 live nodes, an update spreading: {frames} frames in 2 s, frame time median \
         {median:.1} ms, 95th percentile {p95:.1} ms; the ring spans {:.0} % of the stage; \
         closest gap {closest:.1} units",
        used * 100.0
    );

    // Node 32 cut off from everyone, both ways: a region of its own, right.
    let others: Vec<u64> = (1..=31).collect();
    let faults = serde_json::json!({ "partition": others, "direction": "both" }).to_string();
    let (status, answer) = harness::post(
        &nodes[31].url("/admin/faults"),
        Some("application/json"),
        faults,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    wait_until("node 32 stands apart", DEADLINE, || async {
        let places = client
            .execute(
                r#"return [...document.querySelectorAll('#nodes .node')].map(g =>
                    [Number(g.dataset.nodeId), Number(g.querySelector('circle.body').getAttribute('cx'))]);"#,
            )
            .await
            .ok()?;
        let places = places.as_array()?;
        let x_of = |p: &Value| p[1].as_f64().unwrap_or(0.0);
        let cut = places.iter().find(|p| p[0] == 32).map(x_of)?;
        let rest = places.iter().filter(|p| p[0] != 32).map(x_of).fold(0.0, f64::max);
        (cut > rest + 40.0).then_some(())
    })
    .await;
    client.close().await.expect("the browser closes");
}
