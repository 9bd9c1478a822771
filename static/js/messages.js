// Animates gossip messages as dots travelling from sender to receiver.
//
// A dot starts when a node reports `message_sent`. When the receiver reports
// `message_received` with the same message id, we learn whether the message
// brought news (green, and the receiver flashes) or was redundant (grey).
// A `message_undelivered` turns the dot red and it fades out half way.
//
// Dots carrying the most recent update are drawn big and yellow; other
// traffic (joins, membership rumors) small and grey.

const SVG = "http://www.w3.org/2000/svg";
const MAX_DOTS = 400; // never let a storm of messages eat the page
const PROBES = new Set(["ping", "ack", "ping_req", "heartbeats"]); // failure-detector traffic

function carriesUpdate(list, update) {
  return Boolean(update) && list.some((c) => c.key === update.key && c.version === update.version && c.origin === update.origin);
}

// The point `distance` away from `a` on the way to `b`.
function towards(a, b, distance) {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: a.x + ((b.x - a.x) * distance) / length, y: a.y + ((b.y - a.y) * distance) / length };
}

export class Messages {
  constructor(root, stage, cluster) {
    this.layer = root.querySelector("#dots");
    this.stage = stage;
    this.cluster = cluster;
    this.dots = new Map(); // message id -> dot
    this.outcomes = new Map(); // message id -> "news" | "redundant" (may arrive before the dot lands)
    this.probeToggle = root.ownerDocument.querySelector("#show-probes");
    this.tick = this.tick.bind(this);
    requestAnimationFrame(this.tick);
  }

  showProbes() {
    // A big cluster pings so much that the dots would hide everything else.
    if (this.probeToggle && this.cluster.nodes.size > 32 && !this.quietedForSize) {
      this.quietedForSize = true;
      this.probeToggle.checked = false;
    }
    return !this.probeToggle || this.probeToggle.checked;
  }

  // How long a dot travels: most of a gossip round, within reason.
  travelMs() {
    return Math.max(300, Math.min(900, this.cluster.intervalMs() * 0.7));
  }

  sent(event) {
    if (this.dots.size >= MAX_DOTS) return;
    const probe = PROBES.has(event.kind);
    if (probe && !this.showProbes()) return;
    const receiver = event.to_id != null ? this.cluster.nodes.get(event.to_id) : this.cluster.findByAddr(event.to);
    const sender = this.stage.positionOf(event.node);
    const target = receiver && this.stage.positionOf(receiver.id);
    if (!sender || !target) return;
    // Travel from rim to rim, so dots never cover a node's name.
    const from = towards(sender, target, sender.size);
    const to = towards(target, sender, target.size);
    const important = carriesUpdate(event.carries, this.cluster.update);
    const element = document.createElementNS(SVG, "circle");
    // Never bigger than half the nodes they travel between, so on a crowded
    // stage the dots do not hide the nodes.
    const most = Math.max(2, Math.min(sender.size, target.size) * 0.5);
    element.setAttribute("r", Math.min(important ? 11 : probe ? 4 : 6, most));
    element.setAttribute("class", `msg ${important ? "rumor" : probe ? "probe" : "chatter"}`);
    element.setAttribute("cx", from.x);
    element.setAttribute("cy", from.y);
    this.layer.append(element);
    this.dots.set(event.id, {
      element,
      from,
      to,
      receiver: receiver.id,
      important,
      start: performance.now(),
      lost: false,
    });
  }

  received(event) {
    if (!this.dots.has(event.id)) return;
    if (carriesUpdate(event.new, this.cluster.update)) this.outcomes.set(event.id, "news");
    else if (carriesUpdate(event.known, this.cluster.update)) this.outcomes.set(event.id, "redundant");
  }

  undelivered(event) {
    const dot = this.dots.get(event.id);
    if (dot) {
      dot.lost = true;
      dot.element.setAttribute("class", "msg lost");
    }
  }

  tick() {
    // performance.now(), not the frame's timestamp: that one can be older
    // than a dot's start, which would put the dot behind its sender.
    const now = performance.now();
    const travel = this.travelMs();
    for (const [id, dot] of this.dots) {
      const t = Math.max(0, (now - dot.start) / travel);
      const reach = dot.lost ? Math.min(t, 0.5) : Math.min(t, 1);
      dot.element.setAttribute("cx", dot.from.x + (dot.to.x - dot.from.x) * reach);
      dot.element.setAttribute("cy", dot.from.y + (dot.to.y - dot.from.y) * reach);
      if (dot.lost) {
        dot.element.setAttribute("opacity", String(Math.max(0, 1.5 - t)));
        if (t >= 1.5) this.remove(id);
      } else if (t >= 1) {
        const outcome = this.outcomes.get(id);
        if (outcome && !dot.landed) {
          dot.landed = true;
          dot.element.setAttribute("class", `msg ${outcome}`);
          if (outcome === "news") this.stage.pulse(dot.receiver);
        }
        dot.element.setAttribute("opacity", String(Math.max(0, 1.6 - t)));
        if (t >= 1.6) this.remove(id);
      }
    }
    requestAnimationFrame(this.tick);
  }

  remove(id) {
    this.dots.get(id)?.element.remove();
    this.dots.delete(id);
    this.outcomes.delete(id);
  }
}
