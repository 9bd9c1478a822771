// Replay controls: shown only when the visualizer plays a recorded run
// (gossip-visualizer --replay run.jsonl). Play, pause, speed and a scrubber,
// all through GET/POST /api/replay.

async function call(body) {
  const request = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
  const response = await fetch("api/replay", request);
  return response.ok ? response.json() : null;
}

export async function startReplayControls(root) {
  const bar = root.querySelector("#replay");
  const play = root.querySelector("#replay-play");
  const speed = root.querySelector("#replay-speed");
  const scrub = root.querySelector("#replay-scrub");
  const time = root.querySelector("#replay-time");
  let state = await call().catch(() => null);
  if (!state) return; // live, not a replay
  bar.hidden = false;
  let dragging = false;

  function show(s) {
    state = s;
    play.textContent = s.playing ? "pause" : "play";
    if (!dragging) scrub.value = String(Math.round((1000 * s.position_ms) / Math.max(1, s.duration_ms)));
    time.textContent = `${(s.position_ms / 1000).toFixed(1)} / ${(s.duration_ms / 1000).toFixed(1)} s`;
  }

  play.addEventListener("click", async () => show((await call({ play: !state.playing })) || state));
  speed.addEventListener("change", async () => show((await call({ speed: Number(speed.value) })) || state));
  scrub.addEventListener("input", () => {
    dragging = true;
  });
  scrub.addEventListener("change", async () => {
    dragging = false;
    const seek_ms = Math.round((Number(scrub.value) / 1000) * state.duration_ms);
    show((await call({ seek_ms })) || state);
  });
  show(state);
  setInterval(async () => {
    const s = await call().catch(() => null);
    if (s) show(s);
  }, 250);
}
