// The "inject an update" form. It posts to the visualizer, which forwards the
// request to the chosen node's own POST /update (the same as curl would).

import { fillNodeSelect } from "./node_select.js";

export class Controls {
  constructor(root) {
    this.form = root.querySelector("#inject");
    this.node = root.querySelector("#inject-node");
    this.key = root.querySelector("#inject-key");
    this.value = root.querySelector("#inject-value");
    this.result = root.querySelector("#inject-result");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.inject();
    });
  }

  // Keep the node list in step with the cluster; keep the user's choice.
  showNodes(cluster) {
    const label = (node) => `node ${node.id} (${node.addr})${node.connected ? "" : " — down"}`;
    fillNodeSelect(this.node, cluster.sortedNodes(), label, (node) => node.connected);
  }

  choose(id) {
    this.node.value = String(id);
  }

  async inject() {
    const id = this.node.value;
    if (!id) {
      this.say("No node to send it to yet.", true);
      return;
    }
    const key = this.key.value.trim();
    const request = { method: "POST" };
    if (key) {
      request.headers = { "Content-Type": "application/json" };
      request.body = JSON.stringify({ key, value: this.value.value });
    }
    try {
      const response = await fetch(`api/nodes/${encodeURIComponent(id)}/update`, request);
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        this.say(`Node ${id} stored ${answer.key} = "${answer.value}" (version ${answer.version}).`, false);
      } else {
        this.say(answer.error || `Node ${id} answered ${response.status}.`, true);
      }
    } catch (error) {
      this.say(`Could not reach the visualizer: ${error.message}`, true);
    }
  }

  say(text, isError) {
    this.result.textContent = text; // text, never HTML
    this.result.classList.toggle("error", isError);
  }
}
