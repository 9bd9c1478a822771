// Where each node sits on the stage.
//
// Up to RING_MAX nodes: evenly around a ring that fills the stage, node 1 at
// the top, clockwise, names and values outside the circles. More: a
// sunflower (Vogel's spiral, each node one golden angle further round than
// the last), which packs hundreds of nodes evenly into the stage with none
// touching another. A partition splits the stage into one region per side,
// each laid out on its own, so the groups that cannot talk are seen apart.

export const VIEW = { width: 1000, height: 760 };
export const RING_MAX = 32;

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const LABELS = 110; // room a roomy node's labels take beyond its center
const EDGE = 12; // room a crowded node keeps from the stage's edge

// Places for `count` nodes in the box {x, y, width, height}.
function ringIn(box, count) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const half = Math.min(box.width, box.height) / 2;
  const sizeFor = (radius) =>
    count <= 1 ? 62 : Math.max(10, Math.min(62, radius * Math.sin(Math.PI / count) * 0.7));
  // Labels need room outside the ring only while the circles are big
  // enough to carry them (see the stage's `roomy`).
  let radius = count <= 1 ? 0 : half - LABELS;
  let size = sizeFor(radius);
  if (size < 24 && count > 1) {
    radius = half - EDGE - size;
    size = Math.min(sizeFor(radius), 23);
  }
  const places = [];
  for (let i = 0; i < count; i += 1) {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(count, 1);
    places.push({ x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle), size });
  }
  return places;
}

function sunflowerIn(box, count) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const points = [];
  for (let i = 0; i < count; i += 1) {
    const r = Math.sqrt((i + 0.5) / count);
    const angle = i * GOLDEN_ANGLE - Math.PI / 2;
    points.push({ u: r * Math.cos(angle), v: r * Math.sin(angle) });
  }
  // The closest pair decides the size; the spiral is then stretched to the
  // box with room for one circle at the rim.
  let closest = Infinity;
  const rx0 = box.width / 2;
  const ry0 = box.height / 2;
  for (let i = 0; i < count; i += 1) {
    for (let j = i + 1; j < count; j += 1) {
      const d = Math.hypot((points[i].u - points[j].u) * rx0, (points[i].v - points[j].v) * ry0);
      closest = Math.min(closest, d);
    }
  }
  const size = Math.max(3, Math.min(23, closest * 0.4));
  const rx = box.width / 2 - size - EDGE;
  const ry = box.height / 2 - size - EDGE;
  const scale = Math.min(rx / rx0, ry / ry0);
  return points.map((p) => ({ x: cx + p.u * rx, y: cy + p.v * ry, size: size * scale }));
}

function placesIn(box, count) {
  return count <= RING_MAX ? ringIn(box, count) : sunflowerIn(box, count);
}

// Places for the nodes in `groups` (lists of ids, one per side of a
// partition; one group when the cluster is whole), as a Map id -> place.
// Each group gets a share of the stage's width in proportion to its size.
export function layout(groups) {
  const total = groups.reduce((n, g) => n + g.length, 0);
  const places = new Map();
  let x = 0;
  const gap = groups.length > 1 ? 24 : 0;
  const width = VIEW.width - gap * (groups.length - 1);
  for (const group of groups) {
    const share = groups.length > 1 ? Math.max(0.18, group.length / Math.max(1, total)) : 1;
    const box = { x, y: 0, width: Math.min(width * share, VIEW.width - x), height: VIEW.height };
    placesIn(box, group.length).forEach((place, i) => places.set(group[i], { ...place, box }));
    x += box.width + gap;
  }
  return places;
}

// The sides of the cluster: nodes that can all reach each other, given each
// node's injected partition (the ids it is cut from), in order of their
// first node. Cuts in one direction count: a message that cannot go one way
// already splits the cluster for the protocol.
export function sides(nodes) {
  const ids = nodes.map((n) => n.id);
  const cut = new Map(nodes.map((n) => [n.id, new Set(n.faults?.partition ?? [])]));
  if ([...cut.values()].every((s) => s.size === 0)) return [ids];
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id) => {
    while (parent.get(id) !== id) id = parent.get(id);
    return id;
  };
  for (let i = 0; i < ids.length; i += 1) {
    for (let j = i + 1; j < ids.length; j += 1) {
      const a = ids[i];
      const b = ids[j];
      if (!cut.get(a).has(b) && !cut.get(b).has(a)) parent.set(find(a), find(b));
    }
  }
  const groups = new Map();
  for (const id of ids) {
    const root = find(id);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root).push(id);
  }
  return [...groups.values()];
}
