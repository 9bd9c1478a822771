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
use std::path::Path;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

async fn page(client: &Browser, script: &str) -> Value {
    client.execute(script).await.expect("script runs")
}

/// Every drawn node's circle, in the stage's own units.
const CIRCLES: &str = r#"
    return [...document.querySelectorAll('#nodes .node circle.body')].map(c => ({
        x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')), r: Number(c.getAttribute('r')),
    }));
"#;

/// Frame times over `ms` of animation, sorted (requestAnimationFrame deltas).
const FRAMES: &str = r#"
    const done = arguments[arguments.length - 1];
    const times = [];
    let last = performance.now();
    const until = last + 2000;
    function frame(now) {
        times.push(now - last);
        last = now;
        if (now < until) requestAnimationFrame(frame); else done(times.sort((a, b) => a - b));
    }
    requestAnimationFrame(frame);
"#;

async fn replay_state(visualizer: &Process) -> Value {
    harness::get_json(&visualizer.url("/api/replay"))
        .await
        .expect("the replay answers")
}

#[tokio::test]
async fn two_hundred_nodes_in_a_replay_stay_apart_and_the_page_says_replay() {
    let dir = scratch_dir("browser-scale");
    let trace = dir.join("run.jsonl");
    let run = std::process::Command::new(harness::binary("gossip-sim"))
        .args(["trace", "--nodes", "200", "--seconds", "30", "--out"])
        .arg(&trace)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let args = ["--port", "0", "--replay"].map(String::from).to_vec();
    let args = [args, vec![trace.display().to_string()]].concat();
    let visualizer = Process::start(
        &harness::binary("gossip-visualizer"),
        &args,
        dir.join("visualizer.log"),
    );
    let Some((_driver, client)) = chromium::start(&dir.join("chromium-profile"), 1280, 720).await
    else {
        return;
    };
    client
        .goto(&visualizer.url("/"))
        .await
        .expect("the page loads");

    let circles = wait_until("the page draws 200 nodes", DEADLINE, || async {
        let circles = page(&client, CIRCLES).await;
        (circles.as_array()?.len() == 200).then_some(circles)
    })
    .await;
    let circles: Vec<(f64, f64, f64)> = circles
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["x"].as_f64().unwrap(),
                c["y"].as_f64().unwrap(),
                c["r"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut closest = f64::INFINITY;
    for (i, a) in circles.iter().enumerate() {
        assert!(a.2 >= 3.0, "a node drawn {} units wide", a.2 * 2.0);
        let inside =
            a.0 - a.2 >= 0.0 && a.0 + a.2 <= 1000.0 && a.1 - a.2 >= 0.0 && a.1 + a.2 <= 760.0;
        assert!(inside, "node at {a:?} is outside the stage");
        for b in &circles[i + 1..] {
            let gap = (a.0 - b.0).hypot(a.1 - b.1) - a.2 - b.2;
            closest = closest.min(gap);
            assert!(gap > 0.0, "nodes at {a:?} and {b:?} overlap");
        }
    }

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
    for _ in 0..3 {
        press("+").await;
    }
    wait_until("three presses of + make it 10x", DEADLINE, || async {
        (replay_state(&visualizer).await["speed"] == 10.0).then_some(())
    })
    .await;
    let times = client.execute_async(FRAMES).await.expect("frames measured");
    let times: Vec<f64> = times
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    eprintln!(
        "200 nodes, replay at 10x: {} frames in 2 s, frame time median {:.1} ms, 95th percentile {:.1} ms; closest gap between nodes {closest:.1} units",
        times.len(),
        at(0.5),
        at(0.95)
    );
    let playing = replay_state(&visualizer).await["playing"] == true;
    press(" ").await;
    wait_until("space toggles play", DEADLINE, || async {
        ((replay_state(&visualizer).await["playing"] == true) != playing).then_some(())
    })
    .await;

    let png = client.screenshot().await.expect("screenshot");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-test");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("replay-200.png"), &png).unwrap();
    if std::env::var("GOSSIP_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
        std::fs::write(docs.join("replay-200.png"), &png).unwrap();
    }
    client.close().await.expect("the browser closes");
}
