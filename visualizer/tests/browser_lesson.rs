//! The guided lesson in real Chromium at a projector's 1280x720: sheet 003
//! walked on a cluster the visualizer runs, each step noticed from the
//! events (inject, spread, kill node 3, update node 1, restart node 3,
//! anti-entropy on, node 3 catches up), the answers shown only on request,
//! the text large enough, nothing outside the window, and A+ making it
//! larger still.
//!
//! Screenshot: `target/browser-test/lesson.png` (and `docs/` with
//! `GOSSIP_UPDATE_SCREENSHOT=1`).

use gossip_testkit::chromium;
use gossip_testkit::harness::{scratch_dir, wait_until};
use gossip_testkit::run_dir::RunDir;
use gossip_testkit::webdriver::Browser;
use serde_json::Value;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

async fn js(client: &Browser, script: &str) -> Value {
    client.execute(script).await.expect("the page answers")
}

async fn text(client: &Browser, css: &str) -> String {
    let script =
        format!("const e = document.querySelector('{css}'); return e ? e.textContent : '';");
    js(client, &script)
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Wait until the lesson shows step `n` (its title `title`).
async fn at_step(client: &Browser, n: usize, title: &str) {
    let what = format!("the lesson shows step {n}: {title}");
    wait_until(&what, DEADLINE, || async {
        let step = text(client, "#lesson-step").await;
        let shown = text(client, "#lesson-title").await;
        (step.starts_with(&format!("Step {n} of")) && shown == title).then_some(())
    })
    .await;
}

async fn wait_done(client: &Browser) {
    wait_until("the lesson notices the step is done", DEADLINE, || async {
        text(client, "#lesson-status")
            .await
            .starts_with('✓')
            .then_some(())
    })
    .await;
}

async fn click(client: &Browser, css: &str) {
    client.find(css).await.unwrap().click().await.unwrap();
}

/// Show the answers of the current step: hidden until asked.
async fn reveal(client: &Browser) {
    let hidden = js(
        client,
        "return [...document.querySelectorAll('#lesson-questions .answer')].every(a => a.hidden);",
    );
    assert_eq!(hidden.await, true, "answers are hidden until asked");
    js(
        client,
        "document.querySelectorAll('#lesson-questions .reveal').forEach(b => b.click());",
    )
    .await;
    let shown = js(
        client,
        "return [...document.querySelectorAll('#lesson-questions .answer')].every(a => !a.hidden);",
    );
    assert_eq!(shown.await, true);
}

/// What a projector shows: the page fits the window, and the lesson's text
/// is at least `min_px` tall. Returns that size.
async fn legible(client: &Browser, min_px: f64) -> f64 {
    let fits = js(client, "const e = document.scrollingElement; return e.scrollHeight <= window.innerHeight + 1 && e.scrollWidth <= window.innerWidth + 1;").await;
    assert_eq!(fits, true, "the page scrolls at 1280x720");
    let panel = js(client, "const r = document.querySelector('#lesson').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight];").await;
    let (top, height) = (panel[0].as_f64().unwrap(), panel[2].as_f64().unwrap());
    assert!(
        top >= 0.0 && top < height / 2.0,
        "the lesson starts high in the window: {panel}"
    );
    let size = js(
        client,
        "return parseFloat(getComputedStyle(document.querySelector('#lesson-text')).fontSize);",
    )
    .await;
    let size = size.as_f64().unwrap();
    assert!(size >= min_px, "lesson text is {size}px");
    size
}

#[tokio::test]
async fn the_lesson_walks_the_sheet_on_the_live_cluster() {
    let dir = scratch_dir("browser-lesson");
    let flags = ["--interval", "300ms", "--probe-interval", "300ms"];
    let run = RunDir::start(&dir, 4, &flags);
    run.add_nodes(4).await;
    let url = run.visualizer.url("/");
    let Some((_driver, client)) = chromium::open_with_nodes(&dir, &url, (1280, 720), 4).await
    else {
        return;
    };

    at_step(&client, 1, "Pause and think").await;
    let normal = legible(&client, 16.0).await;
    reveal(&client).await;
    click(&client, "#lesson-next").await;

    at_step(&client, 2, "Inject an update").await;
    click(&client, "#lesson-action").await;
    wait_done(&client).await;
    at_step(&client, 3, "Watch it spread").await;
    wait_done(&client).await;
    reveal(&client).await;
    click(&client, "#lesson-next").await;

    at_step(&client, 4, "Kill node 3").await;
    click(&client, "#lesson-action").await;
    at_step(&client, 5, "Update node 1").await;
    click(&client, "#lesson-action").await;
    at_step(&client, 6, "The question").await;
    reveal(&client).await;
    click(&client, "#lesson-next").await;

    at_step(&client, 7, "Restart node 3").await;
    run.wait_cold().await;
    click(&client, "#lesson-action").await;
    at_step(&client, 8, "The question").await;
    wait_until("the lesson says node 3 lacks it", DEADLINE, || async {
        text(&client, "#lesson-live")
            .await
            .contains("does not hold")
            .then_some(())
    })
    .await;
    reveal(&client).await;
    click(&client, "#lesson-questions button.calm:not(.reveal)").await;
    wait_until("the inspector opens on node 3", DEADLINE, || async {
        (text(&client, "#inspect-title").await == "Node 3").then_some(())
    })
    .await;
    legible(&client, normal).await;
    chromium::save_screenshot(&client, "lesson.png").await;
    click(&client, "#lesson-next").await;

    at_step(&client, 9, "Turn anti-entropy on").await;
    click(&client, "#lesson-action").await;
    at_step(&client, 10, "Try again").await;
    wait_done(&client).await;
    click(&client, "#lesson-next").await;
    at_step(&client, 11, "Now write it yourself").await;
    let modules = js(
        &client,
        "return document.querySelectorAll('#lesson-modules li').length;",
    )
    .await;
    assert_eq!(modules, 10, "one live step per exercise module, 01 to 10");

    // A+ twice: the lesson's text grows, and the page still fits.
    click(&client, "#font-larger").await;
    click(&client, "#font-larger").await;
    let larger = legible(&client, normal * 1.25).await;
    println!("lesson text at 1280x720: {normal}px, {larger}px after A+ twice");
    click(&client, "#font-smaller").await;
    click(&client, "#font-smaller").await;
    client.close().await.expect("the browser closes");
}
