// The inspector: click a node to see what it holds and how it learned each
// entry (from a client, by a rumor from node N, by anti-entropy), its
// members and what it believes of them, the rumors it is still spreading,
// its faults, and what the others believe of it. Then ask "why is this
// node missing key K?": the visualizer answers from its history (GET
// /api/nodes/{id}/why?key=K), with every message that carried K toward
// the node and its fate, and a diagnosis in protocol terms.
//
// Everything is text, never HTML: keys and values come from participants.

import { describe as describeFaults } from "./faults.js";

const REFRESH_MS = 1000;

function ago(nowMs, atMs) {
  if (atMs == null) return "";
  const seconds = Math.max(0, (nowMs - atMs) / 1000);
  return seconds < 10 ? `${seconds.toFixed(1)} s ago` : `${Math.round(seconds)} s ago`;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(...cells) {
  const tr = document.createElement("tr");
  tr.append(...cells);
  return tr;
}

function how(entry) {
  switch (entry.cause) {
    case "client":
      return "a client wrote it here";
    case "rumor":
      return entry.from != null ? `rumor from node ${entry.from}` : "rumor";
    case "anti_entropy":
      return entry.from != null ? `anti-entropy with node ${entry.from}` : "anti-entropy";
    default:
      return "held when it said hello";
  }
}

const FATES = {
  new: "delivered: news",
  known: "delivered: already had it",
  in_flight: "no word of it yet",
};

function fate(message) {
  if (FATES[message.fate]) return FATES[message.fate];
  if (message.fate === "dropped") return message.reason === "loss" ? "lost to injected loss" : message.reason === "partition" ? "cut by a partition" : `dropped (${message.reason})`;
  return `undelivered (${message.reason})`;
}

export class Inspector {
  constructor(root) {
    this.panel = root.querySelector("#inspector");
    this.title = root.querySelector("#inspect-title");
    this.status = root.querySelector("#inspect-status");
    this.entries = root.querySelector("#inspect-entries tbody");
    this.spreading = root.querySelector("#inspect-spreading");
    this.members = root.querySelector("#inspect-members tbody");
    this.whyKey = root.querySelector("#why-key");
    this.answer = root.querySelector("#why-answer");
    this.diagnosis = root.querySelector("#why-diagnosis");
    this.fix = root.querySelector("#why-fix");
    this.messages = root.querySelector("#why-messages");
    this.exchange = root.querySelector("#why-exchange");
    root.querySelector("#inspect-close").addEventListener("click", () => this.close());
    root.querySelector("#why").addEventListener("submit", (event) => {
      event.preventDefault();
      this.ask();
    });
    this.id = null;
    this.timer = null;
  }

  open(id) {
    this.id = id;
    this.answer.hidden = true;
    this.panel.hidden = false;
    this.panel.parentElement.scrollTop = 0;
    this.refresh();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  close() {
    this.id = null;
    this.panel.hidden = true;
    clearInterval(this.timer);
  }

  async refresh() {
    const id = this.id;
    if (id == null) return;
    const response = await fetch(`api/nodes/${id}`).catch(() => null);
    if (!response || !response.ok || id !== this.id) return;
    this.show(await response.json());
  }

  show(node) {
    this.title.textContent = `Node ${node.id}`;
    const parts = [node.connected ? "up" : "down", node.addr];
    const life = node.lives[node.lives.length - 1];
    if (life && node.connected) parts.push(`started ${ago(node.now_ms, life.up_ms)}`);
    if (node.lives.length > 1) parts.push(`${node.lives.length - 1} restart(s) seen`);
    const faults = describeFaults(node.faults);
    if (faults) parts.push(`faults: ${faults}`);
    if (node.suspected_by.length) parts.push(`suspected by ${node.suspected_by.join(", ")}`);
    if (node.dead_to.length) parts.push(`dead to ${node.dead_to.join(", ")}`);
    if (node.settings) parts.push(`anti-entropy ${node.settings.anti_entropy_ms ? `every ${node.settings.anti_entropy_ms} ms` : "off"}`);
    parts.push(`local health ${node.health ?? 0}/7`);
    this.status.textContent = parts.join(" · ");

    this.entries.replaceChildren(
      ...(node.entries.length
        ? node.entries.map((e) => row(cell(e.key, "key"), cell(e.value, "value"), cell(`v${e.version} by ${e.origin}`), cell(`${how(e)} ${ago(node.now_ms, e.at_ms)}`.trim())))
        : [row(cell("holds nothing yet", "muted"))]),
    );
    this.spreading.textContent = node.spreading.length
      ? node.spreading.map((c) => `${c.key} (v${c.version})`).join(", ")
      : "nothing: every rumor it had has gone cold";
    this.members.replaceChildren(...node.members.map((m) => row(cell(`node ${m.id}`), cell(m.status, `status ${m.status}`), cell(String(m.incarnation)))));

    // The keys it can be asked about; keep the choice.
    const chosen = this.whyKey.value;
    const signature = node.keys.join("\u0000");
    if (signature !== this.keys) {
      this.keys = signature;
      this.whyKey.replaceChildren(
        ...node.keys.map((key) => {
          const option = document.createElement("option");
          option.value = key;
          option.textContent = key;
          return option;
        }),
      );
      if (node.keys.includes(chosen)) this.whyKey.value = chosen;
    }
  }

  async ask() {
    const key = this.whyKey.value;
    if (this.id == null || !key) return;
    const response = await fetch(`api/nodes/${this.id}/why?key=${encodeURIComponent(key)}`).catch(() => null);
    const answer = response && response.ok ? await response.json() : null;
    this.answer.hidden = false;
    if (!answer) {
      this.diagnosis.textContent = "The visualizer could not answer.";
      this.fix.textContent = "";
      this.exchange.textContent = "";
      this.messages.replaceChildren();
      return;
    }
    this.diagnosis.textContent = answer.diagnosis;
    this.fix.textContent = answer.fix;
    const e = answer.last_exchange;
    this.exchange.textContent = e
      ? `Its last anti-entropy exchange: ${e.kind} with node ${e.with}, ${ago(answer.now_ms, e.at_ms)}.`
      : "No anti-entropy exchange of its has been seen.";
    this.messages.replaceChildren(
      ...answer.messages
        .slice(-8)
        .reverse()
        .map((m) => {
          const li = document.createElement("li");
          li.textContent = `${ago(answer.now_ms, m.at_ms)}: node ${m.from}'s ${m.kind} → ${fate(m)}`;
          return li;
        }),
    );
  }
}
