// Wires the page together: messages from the visualizer update the model,
// then the stage, the dots, the counters and the log show it.

import { connect } from "./connection.js";
import { Cluster } from "./model.js";
import { Stage } from "./stage.js";
import { Messages } from "./messages.js";
import { Counters } from "./counters.js";
import { Controls } from "./controls.js";
import { Log } from "./log.js";
import { FaultPanel } from "./faults.js";
import { startReplayControls } from "./replay.js";
import { Curve } from "./curve.js";
import { ProcessPanel } from "./processes.js";
import { Inspector } from "./inspector.js";
import { Lesson } from "./lesson.js";
import { startFontSize } from "./font_size.js";

const cluster = new Cluster();
const controls = new Controls(document);
const processes = new ProcessPanel(document, cluster);
const inspector = new Inspector(document);
function choose(id) {
  controls.choose(id);
  processes.choose(id);
  inspector.open(id);
}
const stage = new Stage(document.querySelector("#stage"), choose);
const lesson = new Lesson(document, cluster, choose);
startFontSize(document);
const messages = new Messages(document.querySelector("#stage"), stage, cluster);
const counters = new Counters(document);
const log = new Log(document);
const faults = new FaultPanel(document, cluster);
const curve = new Curve(document);
const empty = document.querySelector("#empty");
const status = document.querySelector("#connection");

let redrawQueued = false;
function redraw() {
  // Many events can arrive in one frame; draw once per frame.
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(() => {
    redrawQueued = false;
    stage.render(cluster);
    controls.showNodes(cluster);
    faults.showNodes();
    processes.showNodes();
    counters.show(cluster.update, cluster.nodes);
    if (curve.spread !== cluster.spread) curve.show(cluster.spread);
    empty.hidden = cluster.nodes.size > 0;
  });
}

function onMessage(message) {
  cluster.apply(message);
  lesson.observe(message);
  switch (message.type) {
    case "message_sent":
      messages.sent(message);
      break;
    case "message_received":
      messages.received(message);
      break;
    case "message_undelivered":
    case "message_dropped":
      messages.undelivered(message);
      break;
    case "entry_changed":
      if (message.previous && message.previous_value !== undefined && message.previous.version === message.version) {
        stage.note(message.node, `"${message.previous_value}" overwritten`, redraw);
      }
      log.describe(message);
      redraw();
      break;
    default:
      log.describe(message);
      redraw();
  }
}

const STATUS_TEXT = { connecting: "connecting…", open: "live", closed: "visualizer unreachable, retrying…" };
let replaying = false;
let connection = "connecting";

function showStatus() {
  status.dataset.state = connection;
  status.dataset.mode = replaying ? "replay" : "live";
  status.textContent = connection === "open" && replaying ? "replay of a recorded run" : STATUS_TEXT[connection];
}

startReplayControls(document).then((replay) => {
  replaying = replay;
  showStatus();
});

connect(onMessage, (state) => {
  connection = state;
  showStatus();
});
