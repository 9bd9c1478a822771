// The curve of the most recent update: live nodes holding it over time
// (measured), the curve theory predicts for this cluster (dashed; computed
// by the visualizer with the core's own theory code), and the messages that
// carried it in each round (bars). Big strokes and big type: a projector.

const SVG = "http://www.w3.org/2000/svg";
const W = 400;
const H = 230;
const PAD = { left: 46, right: 12, top: 14, bottom: 40 };

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

export class Curve {
  constructor(root) {
    this.chart = root.querySelector("#curve");
    this.caption = root.querySelector("#curve-caption");
    this.spread = null;
  }

  show(spread) {
    this.spread = spread;
    this.draw();
  }

  draw() {
    const s = this.spread;
    this.chart.replaceChildren();
    if (!s || (!s.measured.length && !s.theory.length)) {
      this.caption.textContent = "Inject an update to see it spread.";
      return;
    }
    const lastMeasured = s.measured.at(-1)?.[0] ?? 0;
    const lastTheory = s.theory.at(-1)?.[0] ?? 0;
    const spanMs = Math.max(lastMeasured, lastTheory, s.round_ms * 3, 1);
    const nodes = Math.max(1, ...s.measured.map((p) => p[1]), ...s.theory.map((p) => p[1]));
    const x = (ms) => PAD.left + ((W - PAD.left - PAD.right) * ms) / spanMs;
    const y = (n) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * n) / nodes;

    // Messages per round, as bars behind the curves, scaled to the chart.
    const most = Math.max(1, ...s.sent_per_round);
    const barWidth = Math.max(2, x(s.round_ms) - x(0) - 2);
    s.sent_per_round.forEach((count, round) => {
      if (round * s.round_ms > spanMs) return;
      const top = H - PAD.bottom - ((H - PAD.top - PAD.bottom) * count) / most / 2;
      this.chart.append(svg("rect", { class: "sent", x: x(round * s.round_ms) + 1, y: top, width: barWidth, height: H - PAD.bottom - top }));
    });

    // Axes: nodes up, seconds along.
    this.chart.append(svg("line", { class: "axis", x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
    this.chart.append(svg("line", { class: "axis", x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
    const label = (text, attributes) => {
      const t = svg("text", attributes);
      t.textContent = text;
      this.chart.append(t);
    };
    label(String(nodes), { class: "tick", x: PAD.left - 6, y: PAD.top + 6, "text-anchor": "end" });
    label("0", { class: "tick", x: PAD.left - 6, y: H - PAD.bottom + 5, "text-anchor": "end" });
    label(`${(spanMs / 1000).toFixed(1)} s`, { class: "tick", x: W - PAD.right, y: H - PAD.bottom + 22, "text-anchor": "end" });
    label("nodes holding it", { class: "tick", x: PAD.left + 4, y: PAD.top + 6 });

    const line = (points, cls) => {
      if (!points.length) return;
      const d = points.map(([ms, n], i) => `${i ? "L" : "M"}${x(ms).toFixed(1)},${y(n).toFixed(1)}`).join("");
      this.chart.append(svg("path", { class: cls, d }));
    };
    line(s.theory, "theory");
    // The measured curve is a staircase: the count holds until it changes.
    const steps = [];
    s.measured.forEach(([ms, n], i) => {
      if (i) steps.push([ms, s.measured[i - 1][1]]);
      steps.push([ms, n]);
    });
    line(steps, "measured");
    this.chart.dataset.measuredFinal = String(s.measured.at(-1)?.[1] ?? 0);
    this.chart.dataset.theoryPoints = String(s.theory.length);
    this.caption.textContent = `solid: measured; dashed: theory (${s.assumed || "waiting for the nodes' settings"}); bars: messages per round`;
  }
}
