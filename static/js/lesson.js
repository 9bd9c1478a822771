// The guided lesson: workshop sheet 003 played on the live cluster, one
// step at a time. Each step says what to do (a button, or the command for a
// terminal) and notices from the events when it has happened; the "pause
// and think" questions keep their answers until asked. Then it points to
// each exercise module's live step.
//
// The lesson never changes the cluster by itself: every action is a button
// the person presses, or a command they type.

import { MODULES } from "./lesson_modules.js";

const AE_MS = 2000;

// Whether node `id` holds `write` (key, version, origin) or newer.
function holds(cluster, id, write) {
  const entry = write && cluster.nodes.get(id)?.entries?.[write.key];
  return Boolean(entry && (entry.version > write.version || (entry.version === write.version && entry.origin >= write.origin)));
}

function connected(cluster) {
  return [...cluster.nodes.values()].filter((n) => n.connected);
}

// The steps. `event(message, state)` and `check(cluster, state)` say when a
// step is done; a step with a question is done when its answer is shown.
const STEPS = [
  {
    title: "Pause and think",
    text: "Before anything runs: 10,000 servers each need to know who is alive and what changed.",
    questions: [
      ["If 10,000 nodes all poll a central server every second, how many requests a second is that?", "10,000 a second, all on one machine, and when it dies nobody learns anything."],
      ["What if nodes just told their neighbors, and those told theirs?", "Then no node is special: each tells a few random peers per round, and news doubles (or better) every round, like an epidemic."],
      ["How long would it take for news to spread?", "About log₂ N + ln N rounds when each node tells one peer a round (Pittel, 1987): some 23 rounds for 10,000 nodes, fewer with a bigger fanout. Four nodes need two or three."],
    ],
  },
  {
    title: "Inject an update",
    text: "Press Inject in the Inject an update panel (an empty key makes a demo update), or in a terminal:",
    code: "curl -X POST http://localhost:7001/update",
    action: { label: "inject on node 1", path: "api/nodes/1/update", empty: true },
    event: (m, s) => {
      if (m.type !== "entry_changed" || m.cause !== "client") return false;
      s.first = { key: m.key, version: m.version, origin: m.origin };
      return true;
    },
  },
  {
    title: "Watch it spread",
    text: "Orange nodes are infected: each round they tell random peers. Count the rounds until every node is orange, then watch them turn brown: they stop telling.",
    check: (c) => c.update && c.update.alive > 0 && c.update.infected === c.update.alive,
    questions: [["How many rounds did it take, and how many messages were redundant?", "The curve panel shows it: with four nodes and fanout 2, two or three rounds; a good share of the messages reach a node that already knew (grey dots). That redundancy is what makes gossip robust."]],
  },
  {
    title: "Kill node 3",
    text: "A crash: no goodbye. Press kill for node 3 in Run the cluster, or:",
    code: "make kill NODE=3",
    action: { label: "kill node 3", path: "api/nodes/3/kill" },
    event: (m) => m.type === "node_down" && m.node === 3,
  },
  {
    title: "Update node 1",
    text: "A new version of the news, written on node 1:",
    code: "curl -X POST http://localhost:7001/update",
    action: { label: "update node 1", path: "api/nodes/1/update", empty: true },
    event: (m, s) => {
      if (m.type !== "entry_changed" || m.cause !== "client" || m.node !== 1) return false;
      s.update = { key: m.key, version: m.version, origin: m.origin };
      return true;
    },
  },
  {
    title: "The question",
    text: "Watch the dots: the red ones go to node 3 and are lost.",
    live: (c, s) => (holds(c, 4, s.update) ? "Node 4 holds the new version now." : "Node 4 does not hold it yet."),
    questions: [["Does node 4 still get the update? How?", "Yes. Node 1 tells two random peers a round; node 3 is one of the candidates until SWIM declares it dead, so some messages are lost, but every node that learns the news tells others too. No node depends on any single other node."]],
  },
  {
    title: "Restart node 3",
    text: "Wait until Still spreading shows 0 (every node has stopped telling), then bring node 3 back, with an empty store:",
    code: "make restart NODE=3",
    action: { label: "restart node 3", path: "api/nodes/3/restart" },
    event: (m) => m.type === "hello" && m.node === 3,
  },
  {
    title: "The question",
    text: "Node 3 is back. Look at its value under the node.",
    live: (c, s) => (holds(c, 3, s.update) ? "Node 3 holds the new version." : "Node 3 does not hold it."),
    questions: [["Does node 3 catch up?", "Not if it came back after every node had stopped spreading: a rumor spreads only while it is hot, and nobody will mention it again. Click node 3 and ask the inspector why it is missing the key."]],
    inspect: 3,
  },
  {
    title: "Turn anti-entropy on",
    text: "Anti-entropy: every few seconds each node compares its whole store with a random peer's and repairs the difference. Turn it on for every node (exercise 04 has you write it):",
    code: "make run NODE_ARGS=\"--anti-entropy 2s\"",
    action: { label: "turn it on, every 2 s", path: "api/settings", body: { anti_entropy_ms: AE_MS } },
    check: (c) => connected(c).length > 0 && connected(c).every((n) => n.settings && n.settings.anti_entropy_ms),
  },
  {
    title: "Try again",
    text: "Watch node 3: within a few seconds an exchange brings it the update (a green dot: news). Try it again: kill node 3, update node 1, wait, restart node 3.",
    check: (c, s) => holds(c, 3, s.update),
    done: "Node 3 caught up by anti-entropy.",
  },
  {
    title: "Now write it yourself",
    text: "Each exercise module ends with a live step on this page, run on your own code (make run IMPL=workshop once its check passes):",
    modules: true,
  },
];

export class Lesson {
  constructor(root, cluster, inspect) {
    this.cluster = cluster;
    this.inspect = inspect;
    this.panel = root.querySelector("#lesson");
    this.counter = root.querySelector("#lesson-step");
    this.title = root.querySelector("#lesson-title");
    this.text = root.querySelector("#lesson-text");
    this.code = root.querySelector("#lesson-code");
    this.action = root.querySelector("#lesson-action");
    this.questions = root.querySelector("#lesson-questions");
    this.live = root.querySelector("#lesson-live");
    this.status = root.querySelector("#lesson-status");
    this.modules = root.querySelector("#lesson-modules");
    this.toggle = root.querySelector("#lesson-toggle");
    root.querySelector("#lesson-back").addEventListener("click", () => this.go(this.index - 1));
    root.querySelector("#lesson-next").addEventListener("click", () => this.go(this.index + 1));
    this.action.addEventListener("click", () => this.act());
    this.toggle.addEventListener("click", () => this.show(this.panel.hidden));
    this.state = {};
    this.done = new Set();
    this.index = 0;
    this.show(localStorage.getItem("gossip-lesson") !== "closed");
    this.render();
    // A step's condition may already hold when it starts, with no event to
    // come: look four times a second.
    setInterval(() => this.tick(), 250);
  }

  show(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-pressed", String(open));
    localStorage.setItem("gossip-lesson", open ? "open" : "closed");
  }

  go(index) {
    this.index = Math.max(0, Math.min(STEPS.length - 1, index));
    this.render();
  }

  // A visualizer message: does it complete the current step?
  observe(message) {
    const step = STEPS[this.index];
    if (step.event && !this.done.has(this.index) && step.event(message, this.state)) this.complete();
  }

  // The conditions of the current step, and its live line.
  tick() {
    const step = STEPS[this.index];
    if (step.check && !this.done.has(this.index) && step.check(this.cluster, this.state)) this.complete();
    if (step.live) this.live.textContent = step.live(this.cluster, this.state);
  }

  complete() {
    this.done.add(this.index);
    const finished = this.index;
    this.render();
    // A step that only asks for something to happen moves on by itself.
    if (!STEPS[finished].questions) setTimeout(() => this.index === finished && this.go(finished + 1), 1500);
  }

  async act() {
    const action = STEPS[this.index].action;
    if (!action) return;
    // A bare POST /update is the sheet's demo update; the rest take JSON.
    const request = action.empty
      ? { method: "POST" }
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(action.body || {}) };
    const response = await fetch(action.path, request).catch((error) => ({ ok: false, statusText: error.message, json: async () => ({}) }));
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      this.status.textContent = answer.error || `the visualizer answered ${response.status || response.statusText}`;
      this.status.classList.add("error");
    }
  }

  render() {
    const step = STEPS[this.index];
    const done = this.done.has(this.index);
    this.counter.textContent = `Step ${this.index + 1} of ${STEPS.length}`;
    this.title.textContent = step.title;
    this.text.textContent = step.text;
    this.code.textContent = step.code || "";
    this.code.hidden = !step.code;
    this.action.hidden = !step.action;
    this.action.textContent = step.action ? step.action.label : "";
    this.live.textContent = step.live ? step.live(this.cluster, this.state) : "";
    this.status.classList.remove("error");
    const waiting = step.event || step.check;
    this.status.textContent = done ? `✓ ${step.done || "done"}` : waiting ? "waiting for it to happen…" : "";
    this.status.classList.toggle("done", done);
    this.questions.replaceChildren(...(step.questions || []).map(([q, a]) => this.question(q, a)));
    if (step.inspect) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "calm";
      button.textContent = `ask the inspector about node ${step.inspect}`;
      button.addEventListener("click", () => this.inspect(step.inspect));
      this.questions.append(button);
    }
    this.modules.hidden = !step.modules;
    if (step.modules) this.modules.replaceChildren(...MODULES.map((m) => this.module(m)));
  }

  question(question, answer) {
    const box = document.createElement("div");
    box.className = "question";
    const q = document.createElement("p");
    q.className = "ask";
    q.textContent = question;
    const a = document.createElement("p");
    a.className = "answer";
    a.textContent = answer;
    a.hidden = true;
    const reveal = document.createElement("button");
    reveal.type = "button";
    reveal.className = "calm reveal";
    reveal.textContent = "show the answer";
    reveal.addEventListener("click", () => {
      a.hidden = false;
      reveal.hidden = true;
      this.done.add(this.index);
      this.status.textContent = "";
    });
    box.append(q, reveal, a);
    return box;
  }

  module({ name, command, watch }) {
    const li = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = name;
    const code = document.createElement("code");
    code.textContent = command;
    const what = document.createElement("span");
    what.textContent = watch;
    li.append(title, code, what);
    return li;
  }
}
