//! The inspector in real Chromium, playing workshop sheet 003's story on a
//! cluster the visualizer runs: a key spreads to four nodes, node 3 is
//! killed, the key is updated on node 1, and the page is asked "why is node
//! 3 missing it?" (it is down); node 3 is restarted once every node has
//! stopped spreading, and asked again (it came back after the rumor died,
//! and anti-entropy is off).
//!
//! Screenshot: `target/browser-test/inspector.png` (and `docs/` with
//! `GOSSIP_UPDATE_SCREENSHOT=1`).

use gossip_testkit::chromium;
use gossip_testkit::harness::{self, scratch_dir, wait_until};
use gossip_testkit::run_dir::RunDir;
use gossip_testkit::webdriver::Browser;
use serde_json::Value;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

async fn text(client: &Browser, css: &str) -> String {
    let script =
        format!("const e = document.querySelector('{css}'); return e ? e.textContent : '';");
    let value = client.execute(&script).await.expect("the page answers");
    value.as_str().unwrap_or_default().to_owned()
}

/// Wait until every node in `ids` holds color = `value`, by the visualizer.
async fn wait_holding(run: &RunDir, ids: &[u64], value: &str) {
    let url = run.visualizer.url("/api/cluster");
    wait_until(
        &format!("nodes {ids:?} hold color = {value}"),
        DEADLINE,
        || async {
            let cluster: Value = harness::get_json(&url).await?;
            let nodes = cluster["nodes"].as_array()?;
            let holding = nodes
                .iter()
                .filter(|n| ids.contains(&n["id"].as_u64().unwrap_or(0)))
                .filter(|n| n["entries"]["color"]["value"] == value)
                .count();
            (holding == ids.len()).then_some(())
        },
    )
    .await;
}

/// Ask the page why node 3 lacks color; its diagnosis.
async fn ask_why(client: &Browser) -> String {
    client
        .find("#why button")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("the page answers why", DEADLINE, || async {
        let said = text(client, "#why-diagnosis").await;
        (!said.is_empty()).then_some(said)
    })
    .await
}

async fn write(run: &RunDir, value: &str) {
    let body = format!(r#"{{"key": "color", "value": "{value}"}}"#);
    let (status, answer) = run.post("/api/nodes/1/update", &body).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn the_inspector_answers_the_sheets_question() {
    let dir = scratch_dir("browser-inspector");
    let flags = ["--interval", "300ms", "--probe-interval", "300ms"];
    let run = RunDir::start(&dir, 4, &flags);
    run.add_nodes(4).await;
    let url = run.visualizer.url("/");
    let Some((_driver, client)) = chromium::open_with_nodes(&dir, &url, (1280, 720), 4).await
    else {
        return;
    };

    write(&run, "red").await;
    wait_holding(&run, &[1, 2, 3, 4], "red").await;
    assert_eq!(run.post("/api/nodes/3/kill", "{}").await.0, 200);
    write(&run, "blue").await;
    wait_holding(&run, &[1, 2, 4], "blue").await;

    // Click node 3: the inspector opens on it, and says it is down.
    let three = "#nodes .node[data-node-id=\"3\"]";
    client.find(three).await.unwrap().click().await.unwrap();
    wait_until("the inspector shows node 3", DEADLINE, || async {
        let title = text(&client, "#inspect-title").await;
        let status = text(&client, "#inspect-status").await;
        (title == "Node 3" && status.starts_with("down")).then_some(())
    })
    .await;
    client
        .find("#why-key")
        .await
        .unwrap()
        .select_by_value("color")
        .await
        .unwrap();
    let said = ask_why(&client).await;
    assert!(said.contains("Node 3 is down"), "{said}");

    // Restart node 3 once the rumor is over: rumors will not bring it.
    run.wait_cold().await;
    assert_eq!(run.post("/api/nodes/3/restart", "{}").await.0, 200);
    wait_until("the inspector shows node 3 up", DEADLINE, || async {
        text(&client, "#inspect-status")
            .await
            .starts_with("up")
            .then_some(())
    })
    .await;
    assert!(text(&client, "#inspect-entries")
        .await
        .contains("holds nothing"));
    client
        .execute("document.querySelector('#why-diagnosis').textContent = '';")
        .await
        .unwrap();
    let said = ask_why(&client).await;
    assert!(said.contains("Node 3 restarted"), "{said}");
    assert!(
        said.contains("after every node had stopped spreading"),
        "{said}"
    );
    assert!(said.contains("Anti-entropy is off"), "{said}");
    let fix = text(&client, "#why-fix").await;
    assert!(fix.contains("anti-entropy"), "{fix}");
    let exchange = text(&client, "#why-exchange").await;
    assert!(exchange.contains("No anti-entropy exchange"), "{exchange}");
    // The picture: the stage, and the inspector scrolled to its answer.
    let scroll = "const a = document.querySelector('#why-answer'); const aside = a.closest('aside'); aside.scrollTop = a.offsetTop - aside.offsetTop - 330;";
    client.execute(scroll).await.unwrap();
    chromium::save_screenshot(&client, "inspector.png").await;

    // The inspector says how each node learned the key.
    client
        .find("#nodes .node[data-node-id=\"1\"]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("node 1 wrote it, said the inspector", DEADLINE, || async {
        let held = text(&client, "#inspect-entries").await;
        (held.contains("blue") && held.contains("a client wrote it here")).then_some(())
    })
    .await;
    client
        .find("#nodes .node[data-node-id=\"2\"]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("node 2 heard it by rumor", DEADLINE, || async {
        let held = text(&client, "#inspect-entries").await;
        (held.contains("blue") && held.contains("rumor from node")).then_some(())
    })
    .await;
    client.close().await.expect("the browser closes");
}
