// Where each node sits: evenly around a ring, node 1 at the top, clockwise.

export const VIEW = { width: 1000, height: 760 };

export function ring(count) {
  const cx = VIEW.width / 2;
  const cy = VIEW.height / 2;
  const radius = Math.min(VIEW.width, VIEW.height) / 2 - 120;
  // Circles shrink as the ring fills up, so neighbors never overlap.
  const size = count <= 1 ? 62 : Math.max(14, Math.min(62, radius * Math.sin(Math.PI / count) * 0.7));
  const places = [];
  for (let i = 0; i < count; i += 1) {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(count, 1);
    places.push({ x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle), size });
  }
  return places;
}
