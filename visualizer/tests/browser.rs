//! The page in a real browser: headless Chromium, driven over WebDriver by
//! chromedriver, watching a real four-node cluster.
//!
//! Needs Debian's `chromium` and `chromium-driver` (see `gossip_testkit::chromium`).
//!
//! The screenshot lands in `target/browser-test/page.png`; with
//! `GOSSIP_UPDATE_SCREENSHOT=1` it also replaces `docs/page.png`, the one the
//! README shows.

use gossip_testkit::chromium;
use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, start_sheet_cluster, start_visualizer, wait_until, Process,
};
use gossip_testkit::webdriver::Browser;
use serde_json::Value;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

/// Run a script in the page and return its JSON result.
async fn page(client: &Browser, script: &str) -> Value {
    client.execute(script).await.expect("script runs")
}

/// What the page shows of each node: id, state, value text.
const READ_NODES: &str = r#"
    return [...document.querySelectorAll('#nodes .node')].map(g => ({
        id: Number(g.dataset.nodeId),
        state: g.dataset.state,
        holds: g.dataset.infected === 'true',
        value: g.querySelector('.node-value')?.textContent ?? '',
    }));
"#;

#[tokio::test]
async fn the_page_shows_an_injected_update_reach_all_four_nodes() {
    let dir = scratch_dir("browser");
    let visualizer = start_visualizer(&dir, 0);
    let ingest = format!("ws://{}/ingest", visualizer.addr);
    let streaming = ["--visualizer", &ingest, "--interval", "300ms"];
    let mut nodes = start_sheet_cluster(&dir, &sheet_ports(4), &streaming);

    let Some((_driver, client)) = chromium::open(&dir, &visualizer.url("/"), 1600, 900).await
    else {
        return;
    };

    // The page draws four live nodes, says it is live, and offers node 2
    // in the inject form (three things the page does on its own time: a
    // busy machine may show them in any order).
    wait_until("the page shows four live nodes, live", DEADLINE, || async {
        let nodes = page(&client, READ_NODES).await;
        let live = nodes
            .as_array()?
            .iter()
            .filter(|n| n["state"] != "dead")
            .count();
        let status = client.find("#connection").await.ok()?.text().await.ok()?;
        let offered = client.find("#inject-node option[value='2']").await.is_ok();
        (live == 4 && status == "live" && offered).then_some(())
    })
    .await;

    // Inject through the page's own form, into node 2, with a value that
    // looks like HTML: it must be shown as text.
    let value = "<b>teal</b> & friends";
    client
        .find("#inject-node")
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    client
        .find("#inject-key")
        .await
        .unwrap()
        .send_keys("color")
        .await
        .unwrap();
    client
        .find("#inject-value")
        .await
        .unwrap()
        .send_keys(value)
        .await
        .unwrap();
    client
        .find("#inject button")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Wait until the page shows all four nodes holding it, infected.
    let shown = wait_until(
        "the page shows all four nodes holding the update",
        DEADLINE,
        || async {
            let nodes = page(&client, READ_NODES).await;
            let all = nodes
                .as_array()?
                .iter()
                .all(|n| n["holds"] == true && n["value"] == value);
            let infected = client.find("#infected").await.ok()?.text().await.ok()?;
            (all && infected == "4 / 4").then_some(nodes)
        },
    )
    .await;
    assert_eq!(shown.as_array().unwrap().len(), 4);
    let result = client
        .find("#inject-result")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(result.contains("Node 2 stored color"), "{result}");
    let name = client
        .find("#update-name")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(name.contains(value) && name.contains("node 2"), "{name}");
    // The user's "<b>" stayed text: no element was made from it.
    assert_eq!(
        page(&client, "return document.querySelectorAll('b').length;").await,
        0
    );
    let sent: u64 = client
        .find("#sent")
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(sent >= 3, "at least one message per other node: {sent}");
    // Those messages flew across the stage as dots carrying the update.
    let flown = page(
        &client,
        "return Number(document.querySelector('#dots').dataset.rumors || 0);",
    )
    .await;
    assert!(
        flown.as_u64().unwrap_or(0) >= 3,
        "dots carrying the update: {flown}"
    );

    // The curve: measured up to all four, theory beside it, for these settings.
    wait_until("the chart shows all four holding it", DEADLINE, || async {
        let chart = page(
            &client,
            r#"const c = document.querySelector('#curve');
               return {final: c.dataset.measuredFinal, theory: Number(c.dataset.theoryPoints),
                       lines: c.querySelectorAll('path.measured, path.theory').length,
                       caption: document.querySelector('#curve-caption').textContent};"#,
        )
        .await;
        let ready = chart["final"] == "4" && chart["theory"].as_u64()? > 1 && chart["lines"] == 2;
        let caption = chart["caption"].as_str()?.to_owned();
        (ready && caption.contains("fanout") && caption.contains("4 nodes")).then_some(())
    })
    .await;

    // The figure for the page's smoothness at 4 nodes (printed, not asserted).
    let (frames, median, p95) = chromium::frame_times(&client).await;
    let circles = chromium::node_circles(&client).await;
    let closest = chromium::assert_apart_and_inside(&circles);
    eprintln!(
        "4 live nodes: {frames} frames in 2 s, frame time median {median:.1} ms, \
         95th percentile {p95:.1} ms; closest gap {closest:.1} units"
    );

    // Let the last dots land, then take the picture a participant would see.
    // The lesson closed, so the counters and the curve show.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client
        .find("#lesson-toggle")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let closed = client.execute("return document.querySelector('#lesson').hidden;");
    assert_eq!(
        closed.await.unwrap(),
        true,
        "the lesson button closes the lesson"
    );
    chromium::save_screenshot(&client, "page.png").await;

    // Kill node 3: the page shows it gone within a few seconds.
    nodes[2].kill();
    wait_until("the page shows node 3 as gone", DEADLINE, || async {
        let nodes = page(&client, READ_NODES).await;
        let three = nodes.as_array()?.iter().find(|n| n["id"] == 3)?.clone();
        (three["state"] == "dead").then_some(())
    })
    .await;
    // The figures follow the node's state by up to 50 ms (the visualizer
    // sends them at most 20 times a second): wait for them, not a moment.
    wait_until(
        "the counter says 3 of 3 live nodes hold it",
        DEADLINE,
        || async {
            let infected = page(
                &client,
                "return document.querySelector('#infected').textContent;",
            )
            .await;
            (infected == "3 / 3").then_some(())
        },
    )
    .await;

    // Two nodes write the same key at once: the page shows the losing write
    // being overwritten (same Lamport version, the higher origin wins).
    let write = |node: &Process, value: &'static str| {
        let url = node.url("/update");
        async move {
            let body = format!(r#"{{"key": "color", "value": "{value}"}}"#);
            harness::post(&url, Some("application/json"), body).await
        }
    };
    let ((s1, red), (s4, blue)) = tokio::join!(write(&nodes[0], "red"), write(&nodes[3], "blue"));
    assert_eq!((s1, s4), (200, 200));
    let loser = if (red["version"].as_u64(), red["origin"].as_u64())
        < (blue["version"].as_u64(), blue["origin"].as_u64())
    {
        "red"
    } else {
        "blue"
    };
    // Both had seen the same writes, so their Lamport clocks agree.
    assert_eq!(red["version"], blue["version"], "the writes are concurrent");
    {
        let note = format!("\"{loser}\" overwritten");
        wait_until(
            "the page shows the losing write overwritten",
            DEADLINE,
            || async {
                let badges = page(
                    &client,
                    "return [...document.querySelectorAll('.node-badge')].map(b => b.textContent);",
                )
                .await;
                badges
                    .as_array()?
                    .iter()
                    .any(|b| b.as_str() == Some(note.as_str()))
                    .then_some(())
            },
        )
        .await;
    }
    client.close().await.expect("the browser closes");
}
