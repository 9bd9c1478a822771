// Draws the nodes and the edges between them as SVG.
//
// Every string that came from a node or a user (values, addresses) is put in
// with textContent, so it is shown as text and never parsed as HTML.

import { layout, sides } from "./layout.js";
import { describe } from "./faults.js";

const SVG = "http://www.w3.org/2000/svg";
const MAX_SHOWN = 28; // characters of a value drawn under a node

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function shorten(text) {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

// Others' verdict on a node, worst first: left, dead, suspect, or alive.
function healthOf(o) {
  if (o.left.length) return "left";
  if (o.dead.length) return "dead";
  if (o.suspect.length) return "suspect";
  return "alive";
}

function healthText(node, o) {
  if (o.left.length) return "left the cluster";
  if (o.dead.length) return `dead to ${o.dead.join(", ")}`;
  if (o.suspect.length) return `suspected by ${o.suspect.join(", ")}`;
  return node.connected ? "" : "gone";
}

// Set an attribute, or a text, only when it changes: at 200 nodes, writing
// every attribute of every node each frame costs more than the frame has.
// The optional texts of a node: made the first time they have something to
// say, so that a 200-node stage holds 400 elements, not 1,600.
const OPTIONAL = { port: "node-port", value: "node-value", badge: "node-badge", faults: "node-faults", pieces: "node-pieces" };

function put(drawn, part, name, value) {
  const key = `${part} ${name}`;
  if (!drawn[part] || drawn.last[key] === value) return;
  drawn.last[key] = value;
  drawn[part].setAttribute(name, value);
}

function style(drawn, part, name, value) {
  const key = `${part} style ${name}`;
  if (drawn.last[key] === value) return;
  drawn.last[key] = value;
  drawn[part].style[name] = value;
}

function text(drawn, part, value) {
  const key = `${part} text`;
  if (drawn.last[key] === value) return;
  if (!drawn[part]) {
    if (!value) return;
    drawn[part] = svg("text", { class: OPTIONAL[part] });
    drawn.group.append(drawn[part]);
  }
  drawn.last[key] = value;
  drawn[part].textContent = value;
}

export class Stage {
  constructor(root, onNodeClick) {
    this.edges = root.querySelector("#edges");
    this.layer = root.querySelector("#nodes");
    this.onNodeClick = onNodeClick;
    this.drawn = new Map(); // node id -> {group, parts}
    this.places = new Map(); // node id -> {x, y, size}
    this.notes = new Map(); // node id -> {text, until}: a short-lived remark
  }

  positionOf(id) {
    return this.places.get(id);
  }

  render(cluster) {
    const nodes = cluster.sortedNodes();
    // Laid out again only when the nodes or the partitions change.
    this.groups = sides(nodes);
    const key = JSON.stringify(this.groups);
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.places = layout(this.groups);
      this.sideOf = new Map(this.groups.flatMap((g, i) => g.map((id) => [id, i])));
    }

    for (const [id, drawn] of this.drawn) {
      if (!cluster.nodes.has(id)) {
        drawn.group.remove();
        this.drawn.delete(id);
      }
    }
    this.opinions = cluster.allOpinions();
    for (const node of nodes) this.drawNode(node, cluster);
    this.drawEdges(nodes, cluster);
  }

  drawNode(node, cluster) {
    let drawn = this.drawn.get(node.id);
    if (!drawn) {
      const group = svg("g", { class: "node", "data-node-id": node.id });
      const title = svg("title");
      const body = svg("circle", { class: "body" });
      const name = svg("text", { class: "node-name" });
      group.append(title, body, name);
      body.addEventListener("click", () => this.onNodeClick(node.id));
      this.layer.append(group);
      drawn = { group, title, body, name, last: {} };
      this.drawn.set(node.id, drawn);
    }
    const { x, y, size } = this.places.get(node.id);
    const state = cluster.stateOf(node);
    const held = cluster.heldBy(node);
    put(drawn, "group", "data-state", state);
    put(drawn, "group", "data-infected", String(cluster.holdsUpdate(node) && node.connected));
    put(drawn, "body", "cx", x);
    put(drawn, "body", "cy", y);
    put(drawn, "body", "r", size);
    style(drawn, "body", "strokeWidth", size < 24 ? "2px" : "");
    const big = size >= 40;
    style(drawn, "name", "fontSize", size < 24 ? `${Math.max(8, size * 0.9)}px` : "");
    text(drawn, "name", big ? `Node ${node.id}` : String(node.id));
    put(drawn, "name", "x", x);
    put(drawn, "name", "y", big ? y - 10 : y);
    text(drawn, "port", big ? `:${node.addr.split(":").pop()}` : "");
    put(drawn, "port", "x", x);
    put(drawn, "port", "y", y + 20);
    // The value goes on the outer side of the ring, away from the others.
    const box = this.places.get(node.id).box;
    const outward = y < box.y + box.height / 2 ? -1 : 1;
    // On a crowded ring (a replay of hundreds of nodes) only ids and colors fit.
    const roomy = size >= 24;
    text(drawn, "value", !roomy ? "" : held ? shorten(held.value) : cluster.update ? "(not yet)" : "");
    put(drawn, "value", "x", x);
    put(drawn, "value", "y", y + outward * (size + 24));
    const note = this.notes.get(node.id);
    const noted = note && note.until > performance.now();
    text(drawn, "badge", !roomy ? "" : noted ? note.text : healthText(node, this.opinions.get(node.id)));
    drawn.badge?.classList.toggle("note", Boolean(noted));
    put(drawn, "group", "data-health", healthOf(this.opinions.get(node.id)));
    put(drawn, "badge", "x", x);
    put(drawn, "badge", "y", y + outward * (size + 48));
    // Faults injected, and Lifeguard's doubt about its own health.
    const doubt = node.health > 0 ? `health ${node.health}/7` : "";
    text(drawn, "faults", roomy ? [describe(node.faults), doubt].filter(Boolean).join(" · ") : "");
    put(drawn, "faults", "x", x);
    put(drawn, "faults", "y", y - outward * (size + 18));
    // Whose protocol code the node runs: the reference, or a participant's.
    const implementation = node.settings?.implementation ?? "reference";
    // Inside the circle whose code and, for a participant's, which of
    // their modules run ("yours: 01, 04"); the whole story is in the tooltip.
    const source = implementation.split(":")[0];
    const workshop = !implementation.startsWith("reference");
    const label = source === "yours" ? implementation.split(";")[0] : source;
    text(drawn, "pieces", big && workshop ? label : "");
    put(drawn, "pieces", "x", x);
    put(drawn, "pieces", "y", y + 36);
    const valueText = held ? `${cluster.update.key} = ${held.value} (version ${held.version} by node ${held.origin})` : "no value yet";
    const protocol = `mode ${node.settings?.mode ?? "push"}, failure detector ${node.settings?.detector ?? "swim"}`;
    text(drawn, "title", `node ${node.id} at ${node.addr}\n${valueText}\n${protocol}\nruns: ${implementation}`);
  }

  drawEdges(nodes, cluster) {
    this.edges.replaceChildren();
    if (nodes.length <= 16) {
      // A full mesh of more is just noise. No line crosses a partition.
      for (let i = 0; i < nodes.length; i += 1) {
        for (let j = i + 1; j < nodes.length; j += 1) {
          if (this.sideOf.get(nodes[i].id) !== this.sideOf.get(nodes[j].id)) continue;
          const a = this.places.get(nodes[i].id);
          const b = this.places.get(nodes[j].id);
          this.edges.append(svg("line", { class: "edge", x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
        }
      }
    }
    // Who suspects whom: a dashed line from each doubter to the doubted (on
    // a big ring the node's own ring color has to do).
    if (nodes.length > 16) return;
    for (const node of nodes) {
      const o = this.opinions.get(node.id);
      for (const [kind, ids] of [["suspect", o.suspect], ["dead", o.dead]]) {
        for (const id of ids) {
          const a = this.places.get(id);
          const b = this.places.get(node.id);
          if (a && b) this.edges.append(svg("line", { class: `doubt ${kind}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
        }
      }
    }
  }

  // Show `text` under a node for a few seconds (e.g. a write it lost).
  note(id, text, redraw) {
    this.notes.set(id, { text, until: performance.now() + 4000 });
    setTimeout(redraw, 4100);
  }
}
