//! The page's "Run the cluster" panel in real Chromium, on a cluster the
//! visualizer runs as `make run` leaves it: kill a node from the page and
//! see it gone (the time it takes is printed), restart it, add a fifth
//! node, and slow every node down to a round every 5 s.
//!
//! Screenshot: `target/browser-test/control.png` (and `docs/control.png`
//! with `GOSSIP_UPDATE_SCREENSHOT=1`).

use gossip_testkit::chromium;
use gossip_testkit::harness::{self, scratch_dir, wait_until};
use gossip_testkit::run_dir::RunDir;
use gossip_testkit::webdriver::Browser;
use serde_json::Value;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

/// The state the page draws node `id` in ("dead" once it is gone).
async fn drawn_state(client: &Browser, id: u64) -> String {
    let script = format!(
        "const g = document.querySelector('#nodes .node[data-node-id=\"{id}\"]'); return g ? g.dataset.state : null;"
    );
    let state = client.execute(&script).await.expect("the page answers");
    state.as_str().unwrap_or_default().to_owned()
}

async fn result_text(client: &Browser) -> String {
    let text = client.execute("return document.querySelector('#process-result').textContent;");
    text.await.unwrap().as_str().unwrap_or_default().to_owned()
}

/// Press `action` for the node chosen in the panel.
async fn press(client: &Browser, action: &str) {
    let button = format!("[data-process=\"{action}\"]");
    client.find(&button).await.unwrap().click().await.unwrap();
}

#[tokio::test]
async fn the_page_kills_restarts_adds_and_slows_down_nodes() {
    let dir = scratch_dir("browser-control");
    let run = RunDir::start(&dir, 5, &["--probe-interval", "300ms"]);
    run.add_nodes(4).await;
    let url = run.visualizer.url("/");
    let Some((_driver, client)) = chromium::open_with_nodes(&dir, &url, (1280, 720), 4).await
    else {
        return;
    };
    wait_until("the panel shows its buttons", DEADLINE, || async {
        let shown = client
            .execute("return !document.querySelector('#process-buttons').hidden;")
            .await
            .ok()?;
        (shown == true).then_some(())
    })
    .await;

    // Click node 3 on the stage: the panel now acts on it.
    client
        .find("#nodes .node[data-node-id=\"3\"]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let chosen = client.execute("return document.querySelector('#process-node').value;");
    assert_eq!(chosen.await.unwrap(), "3");

    let pid = run.pid(3).expect("node 3 runs");
    let waited = chromium::kill_and_time(&client, 3)
        .await
        .expect("the page draws node 3 gone");
    println!("kill pressed on the page to node 3 drawn gone: {waited:.0} ms");
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists() || run.pid(3).is_none(),
        "node 3's process was killed"
    );
    wait_until("the panel says what happened", DEADLINE, || async {
        result_text(&client).await.contains("SIGKILL").then_some(())
    })
    .await;

    // Restart it from the page: drawn alive again.
    press(&client, "restart").await;
    wait_until("node 3 is drawn alive again", DEADLINE, || async {
        (drawn_state(&client, 3).await != "dead").then_some(())
    })
    .await;
    assert_ne!(run.pid(3), Some(pid), "a new process");

    // Add a fifth node.
    press(&client, "add").await;
    chromium::wait_for_nodes(&client, 5).await;

    // Slow motion: every node gossips every 5 s.
    client
        .find("#pace")
        .await
        .unwrap()
        .select_by_value("5000")
        .await
        .unwrap();
    for id in 1..=5 {
        let url = run.node_url(id, "/admin/settings");
        wait_until(
            &format!("node {id} gossips every 5 s"),
            DEADLINE,
            || async {
                let answer: Value = harness::get_json(&url).await?;
                (answer["interval_ms"] == 5000).then_some(())
            },
        )
        .await;
    }
    wait_until("the panel says so", DEADLINE, || async {
        result_text(&client)
            .await
            .contains("every 5 s")
            .then_some(())
    })
    .await;

    client
        .execute("const p = document.querySelector('#process-node').closest('.panel'); p.parentElement.scrollTop = p.offsetTop - p.parentElement.offsetTop - 120;")
        .await
        .unwrap();
    chromium::save_screenshot(&client, "control.png").await;
    client.close().await.expect("the browser closes");
}
