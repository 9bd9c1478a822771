// Animates gossip messages as dots travelling from sender to receiver.
//
// The dots are painted on a canvas laid over the stage, not made SVG
// elements: moving hundreds of SVG circles every frame makes the browser lay
// out the stage every frame, and a 200-node replay at 10x dropped to 20
// frames a second doing it. A canvas only paints.
//
// A dot starts when a node reports `message_sent`. When the receiver reports
// `message_received` with the same message id, we learn whether the message
// brought news (green, and the receiver flashes) or was redundant (grey).
// A `message_undelivered` turns the dot red and it fades out half way.
//
// Dots carrying the most recent update are drawn big and yellow; other
// traffic (joins, membership rumors) small and grey, and only sampled when
// more than 32 nodes share the stage.

const MAX_DOTS = 400; // never let a storm of messages eat the page
// On a crowded stage (a replay of hundreds of nodes) the dots would hide
// the nodes and cost frames: every dot of the update is drawn, other
// traffic one message in SAMPLE, and fewer dots at once.
const CROWDED = 32;
const CROWDED_DOTS = 200;
const SAMPLE = 5;
const PROBES = new Set(["ping", "ack", "ping_req", "heartbeats"]); // failure-detector traffic

function carriesUpdate(list, update) {
  return Boolean(update) && list.some((c) => c.key === update.key && c.version === update.version && c.origin === update.origin);
}

// The point `distance` away from `a` on the way to `b`.
function towards(a, b, distance) {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: a.x + ((b.x - a.x) * distance) / length, y: a.y + ((b.y - a.y) * distance) / length };
}

const FLASH_MS = 700;
const COLORS = { rumor: "--rumor", chatter: "--chatter", probe: "--chatter", news: "--news", redundant: "--redundant", lost: "--lost" };
// The stage's own units (its SVG viewBox), mapped onto the canvas.
const STAGE_W = 1000;
const STAGE_H = 760;

export class Messages {
  constructor(root, stage, cluster) {
    this.svg = root;
    this.canvas = root.ownerDocument.querySelector("#dots");
    this.context = this.canvas.getContext("2d");
    this.stage = stage;
    this.cluster = cluster;
    this.dots = new Map(); // message id -> dot
    this.rings = []; // green flashes on nodes that just learned the news
    this.outcomes = new Map(); // message id -> "news" | "redundant" (may arrive before the dot lands)
    this.probeToggle = root.ownerDocument.querySelector("#show-probes");
    const css = getComputedStyle(root.ownerDocument.documentElement);
    this.colors = Object.fromEntries(Object.entries(COLORS).map(([k, v]) => [k, css.getPropertyValue(v).trim() || "#ccc"]));
    this.fit();
    new ResizeObserver(() => this.fit()).observe(root);
    this.tick = this.tick.bind(this);
    requestAnimationFrame(this.tick);
  }

  // Lay the canvas exactly over the SVG, and map stage units to pixels as
  // the SVG does (scaled to fit, centred).
  fit() {
    const box = this.svg.getBoundingClientRect();
    const parent = this.canvas.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    const ratio = window.devicePixelRatio || 1;
    Object.assign(this.canvas.style, {
      left: `${box.left - parent.left}px`,
      top: `${box.top - parent.top}px`,
      width: `${box.width}px`,
      height: `${box.height}px`,
    });
    this.canvas.width = Math.round(box.width * ratio);
    this.canvas.height = Math.round(box.height * ratio);
    const scale = Math.min(box.width / STAGE_W, box.height / STAGE_H);
    const dx = (box.width - STAGE_W * scale) / 2;
    const dy = (box.height - STAGE_H * scale) / 2;
    this.context.setTransform(scale * ratio, 0, 0, scale * ratio, dx * ratio, dy * ratio);
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
    const crowded = this.cluster.nodes.size > CROWDED;
    if (this.dots.size >= (crowded ? CROWDED_DOTS : MAX_DOTS)) return;
    const probe = PROBES.has(event.kind);
    if (probe && !this.showProbes()) return;
    const important = carriesUpdate(event.carries, this.cluster.update);
    if (crowded && !important) {
      this.skipped = ((this.skipped ?? 0) + 1) % SAMPLE;
      if (this.skipped !== 0) return;
    }
    const receiver = event.to_id != null ? this.cluster.nodes.get(event.to_id) : this.cluster.findByAddr(event.to);
    const sender = this.stage.positionOf(event.node);
    const target = receiver && this.stage.positionOf(receiver.id);
    if (!sender || !target) return;
    // Travel from rim to rim, so dots never cover a node's name.
    const from = towards(sender, target, sender.size);
    const to = towards(target, sender, target.size);
    // Never bigger than half the nodes they travel between, so on a crowded
    // stage the dots do not hide the nodes.
    const most = Math.max(2, Math.min(sender.size, target.size) * 0.5);
    this.dots.set(event.id, {
      from,
      to,
      r: Math.min(important ? 11 : probe ? 4 : 6, most),
      kind: important ? "rumor" : probe ? "probe" : "chatter",
      receiver: receiver.id,
      start: performance.now(),
      lost: false,
      landed: false,
    });
    this.canvas.dataset.drawn = String(Number(this.canvas.dataset.drawn || 0) + 1);
    if (important) this.canvas.dataset.rumors = String(Number(this.canvas.dataset.rumors || 0) + 1);
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
      dot.kind = "lost";
    }
  }

  tick() {
    // performance.now(), not the frame's timestamp: that one can be older
    // than a dot's start, which would put the dot behind its sender.
    const now = performance.now();
    const travel = this.travelMs();
    const ctx = this.context;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.restore();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "rgba(0, 0, 0, 0.4)";
    for (const [id, dot] of this.dots) {
      const t = Math.max(0, (now - dot.start) / travel);
      const reach = dot.lost ? Math.min(t, 0.5) : Math.min(t, 1);
      let alpha = 1;
      if (dot.lost) {
        alpha = Math.max(0, 1.5 - t);
        if (t >= 1.5) {
          this.remove(id);
          continue;
        }
      } else if (t >= 1) {
        const outcome = this.outcomes.get(id);
        if (outcome && !dot.landed) {
          dot.landed = true;
          dot.kind = outcome;
          if (outcome === "news") this.flash(dot.receiver, now);
        }
        alpha = Math.max(0, 1.6 - t);
        if (t >= 1.6) {
          this.remove(id);
          continue;
        }
      }
      // Failure-detector chatter stays faint beside the news.
      ctx.globalAlpha = Math.min(1, alpha) * (dot.kind === "probe" ? 0.55 : 1);
      ctx.fillStyle = this.colors[dot.kind];
      ctx.beginPath();
      ctx.arc(dot.from.x + (dot.to.x - dot.from.x) * reach, dot.from.y + (dot.to.y - dot.from.y) * reach, dot.r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    this.drawRings(now);
    ctx.globalAlpha = 1;
    requestAnimationFrame(this.tick);
  }

  // A green ring on a node that just learned the news, fading out. Painted
  // here rather than animated on the node's SVG circle: animating a stroke
  // makes the browser lay the stage out again every frame.
  flash(id, now) {
    const place = this.stage.positionOf(id);
    if (place) this.rings.push({ x: place.x, y: place.y, size: place.size, start: now });
  }

  drawRings(now) {
    const ctx = this.context;
    this.rings = this.rings.filter((ring) => now - ring.start < FLASH_MS);
    ctx.strokeStyle = this.colors.news;
    for (const ring of this.rings) {
      const t = (now - ring.start) / FLASH_MS;
      ctx.globalAlpha = 1 - t;
      ctx.lineWidth = Math.max(3, ring.size * 0.45) * (1 - t) + 2;
      ctx.beginPath();
      ctx.arc(ring.x, ring.y, ring.size, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  remove(id) {
    this.dots.delete(id);
    this.outcomes.delete(id);
  }
}
