// The "Run the cluster" panel: kill a node (SIGKILL), restart it with an
// empty store, add one more, and change how often every node gossips (slow
// motion for a projector). The visualizer does the work (POST /api/nodes/…,
// /api/settings); it can start and stop processes only for a cluster that
// `make run` started, and GET /api/control says whether this one was.

import { fillNodeSelect } from "./node_select.js";

const PACES = [
  [200, "0.2 s (fast)"],
  [500, "0.5 s"],
  [1000, "1 s (default)"],
  [2000, "2 s"],
  [5000, "5 s (slow motion)"],
];

export class ProcessPanel {
  constructor(root, cluster) {
    this.cluster = cluster;
    this.node = root.querySelector("#process-node");
    this.pace = root.querySelector("#pace");
    this.result = root.querySelector("#process-result");
    this.buttons = root.querySelector("#process-buttons");
    this.why = root.querySelector("#process-why");
    this.pace.replaceChildren(
      ...PACES.map(([ms, text]) => {
        const option = document.createElement("option");
        option.value = String(ms);
        option.textContent = text;
        return option;
      }),
    );
    this.pace.value = "1000";
    for (const button of root.querySelectorAll("[data-process]")) {
      button.addEventListener("click", () => this.act(button.dataset.process));
    }
    this.pace.addEventListener("change", () => this.setPace(Number(this.pace.value)));
    this.load();
  }

  async load() {
    const control = await fetch("api/control")
      .then((r) => (r.ok ? r.json() : null))
      .catch(() => null);
    if (!control) return;
    this.buttons.hidden = !control.processes;
    this.why.hidden = control.processes;
    this.why.textContent = control.why || "";
  }

  choose(id) {
    this.node.value = String(id);
  }

  // Every node, running or down (a down node is what restart is for).
  showNodes() {
    const nodes = this.cluster.sortedNodes();
    fillNodeSelect(this.node, nodes, (node) => `node ${node.id}${node.connected ? "" : " (down)"}`);
    // The pace the nodes report, unless the user is choosing one.
    const interval = nodes.find((n) => n.connected && n.settings)?.settings.interval_ms;
    if (interval && document.activeElement !== this.pace && this.pace.value !== String(interval)) {
      if (![...this.pace.options].some((o) => o.value === String(interval))) {
        const option = document.createElement("option");
        option.value = String(interval);
        option.textContent = `${interval / 1000} s`;
        this.pace.append(option);
      }
      this.pace.value = String(interval);
    }
  }

  async act(action) {
    const id = this.node.value;
    if (action !== "add" && !id) {
      this.say("Pick a node first.", true);
      return;
    }
    const path = action === "add" ? "api/nodes" : `api/nodes/${encodeURIComponent(id)}/${action}`;
    const doing = { kill: `killing node ${id}…`, restart: `restarting node ${id}…`, add: "starting a node…" };
    this.say(doing[action], false);
    const answer = await this.post(path, {});
    if (!answer) return;
    const done = {
      kill: `Node ${id} killed (SIGKILL): no goodbye. Watch the others find out.`,
      restart: `Node ${id} restarted with an empty store.`,
      add: `Node ${answer.id} started; it joins through the others.`,
    };
    this.say(done[action], false);
  }

  async setPace(ms) {
    const answer = await this.post("api/settings", { interval_ms: ms });
    if (!answer) return;
    const failed = answer.failed.map((f) => `node ${f.id}: ${f.error}`).join("; ");
    const text = `Every node gossips every ${ms / 1000} s from its next round.`;
    this.say(failed ? `${text} Not reached: ${failed}` : text, Boolean(failed));
  }

  async post(path, body) {
    try {
      const response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) return answer;
      this.say(answer.error || `the visualizer answered ${response.status}`, true);
    } catch (error) {
      this.say(`Could not reach the visualizer: ${error.message}`, true);
    }
    return null;
  }

  say(text, isError) {
    this.result.textContent = text; // text, never HTML
    this.result.classList.toggle("error", isError);
  }
}
