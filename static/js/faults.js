// The "Break things" panel: inject faults into a node through the visualizer,
// which forwards to that node's /admin/faults and /admin/crash routes.
//
// A node's faults are replaced as a whole, so each button starts from the
// faults the node reports now and changes one thing.

import { fillNodeSelect } from "./node_select.js";

const HEALTHY = { loss: 0, delay_ms: 0, jitter_ms: 0, partition: [], direction: "both", paused: false };

export class FaultPanel {
  constructor(root, cluster) {
    this.cluster = cluster;
    this.node = root.querySelector("#fault-node");
    this.peers = root.querySelector("#partition-peers");
    this.direction = root.querySelector("#partition-direction");
    this.result = root.querySelector("#fault-result");
    for (const button of root.querySelectorAll("#faults [data-fault]")) {
      button.addEventListener("click", () => this.apply(button.dataset.fault));
    }
    this.node.addEventListener("change", () => this.showPeers());
  }

  // Keep the node list and the partition checkboxes in step with the cluster.
  showNodes() {
    const label = (node) => `node ${node.id}${node.connected ? "" : " (down)"}`;
    const changed = fillNodeSelect(this.node, this.cluster.sortedNodes(), label, (node) => node.connected);
    if (changed) this.showPeers();
  }

  showPeers() {
    const me = Number(this.node.value);
    this.peers.replaceChildren(
      ...this.cluster
        .sortedNodes()
        .filter((n) => n.id !== me)
        .map((n) => {
          const label = document.createElement("label");
          const box = document.createElement("input");
          box.type = "checkbox";
          box.value = String(n.id);
          label.append(box, document.createTextNode(String(n.id)));
          return label;
        }),
    );
  }

  async apply(kind) {
    const id = Number(this.node.value);
    const node = this.cluster.nodes.get(id);
    if (!node) {
      this.say("Pick a node first.", true);
      return;
    }
    if (kind === "crash") {
      await this.post(id, "crash", null, `node ${id} crashes`);
      return;
    }
    const faults = { ...HEALTHY, ...(node.faults || {}) };
    switch (kind) {
      case "loss":
        faults.loss = faults.loss > 0 ? 0 : 0.3;
        break;
      case "delay":
        [faults.delay_ms, faults.jitter_ms] = faults.delay_ms > 0 ? [0, 0] : [300, 100];
        break;
      case "pause":
        faults.paused = !faults.paused;
        break;
      case "partition":
        faults.partition = [...this.peers.querySelectorAll("input:checked")].map((box) => Number(box.value));
        faults.direction = this.direction.value;
        break;
      case "heal":
        Object.assign(faults, HEALTHY);
        break;
      default:
        return;
    }
    await this.post(id, "faults", faults, `node ${id}: ${describe(faults) || "healthy"}`);
  }

  async post(id, action, body, done) {
    // Always JSON: the nodes' admin routes take nothing else.
    const request = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    };
    try {
      const response = await fetch(`api/nodes/${id}/${action}`, request);
      const answer = await response.json().catch(() => ({}));
      if (response.ok) this.say(done, false);
      else this.say(answer.error || `node ${id} answered ${response.status}`, true);
    } catch (error) {
      this.say(`Could not reach the visualizer: ${error.message}`, true);
    }
  }

  say(text, isError) {
    this.result.textContent = text;
    this.result.classList.toggle("error", isError);
  }
}

// "30% loss · +300±100 ms · cut from 2, 3 (both) · paused", or "".
export function describe(faults) {
  if (!faults) return "";
  const parts = [];
  if (faults.loss > 0) parts.push(`${Math.round(faults.loss * 100)}% loss`);
  if (faults.delay_ms > 0) parts.push(`+${faults.delay_ms}±${faults.jitter_ms} ms`);
  if (faults.partition && faults.partition.length) parts.push(`cut from ${faults.partition.join(", ")} (${faults.direction})`);
  if (faults.paused) parts.push("paused");
  return parts.join(" · ");
}
