// Replay mode: when the visualizer plays a recorded run (gossip-visualizer
// --replay run.jsonl), the page says so, hides what only a live cluster can
// do (injecting updates, breaking nodes), and gives play, pause, speed and a
// scrubber, all through GET/POST /api/replay. The keyboard works too: space
// plays or pauses, the arrows step a second back or forward, + and − change
// the speed.

const STEP_MS = 1000;

async function call(body) {
  const request = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
  const response = await fetch("api/replay", request);
  return response.ok ? response.json() : null;
}

// Resolves to true in replay mode, false for a live cluster.
export async function startReplayControls(root) {
  const bar = root.querySelector("#replay");
  const play = root.querySelector("#replay-play");
  const speed = root.querySelector("#replay-speed");
  const scrub = root.querySelector("#replay-scrub");
  const time = root.querySelector("#replay-time");
  let state = await call().catch(() => null);
  if (!state?.replaying) return false; // live
  root.body.dataset.mode = "replay";
  bar.hidden = false;
  for (const panel of root.querySelectorAll("[data-live-only]")) panel.hidden = true;
  let dragging = false;

  function show(s) {
    if (!s) return;
    state = s;
    play.textContent = s.playing ? "pause" : "play";
    speed.value = String(s.speed);
    if (!dragging) scrub.value = String(Math.round((1000 * s.position_ms) / Math.max(1, s.duration_ms)));
    time.textContent = `${(s.position_ms / 1000).toFixed(1)} / ${(s.duration_ms / 1000).toFixed(1)} s`;
  }
  const send = async (body) => show((await call(body)) || state);
  const speeds = [...speed.options].map((o) => Number(o.value));
  const nextSpeed = (step) => {
    const at = speeds.findIndex((v) => v >= state.speed);
    return speeds[Math.max(0, Math.min(speeds.length - 1, (at < 0 ? speeds.length - 1 : at) + step))];
  };
  // Taken at once, so quick presses add up before the visualizer answers.
  const changeSpeed = (step) => {
    state = { ...state, speed: nextSpeed(step) };
    send({ speed: state.speed });
  };
  const seek = (delta) => Math.max(0, Math.min(state.duration_ms, state.position_ms + delta));

  play.addEventListener("click", () => send({ play: !state.playing }));
  speed.addEventListener("change", () => send({ speed: Number(speed.value) }));
  scrub.addEventListener("input", () => {
    dragging = true;
  });
  scrub.addEventListener("change", () => {
    dragging = false;
    send({ seek_ms: Math.round((Number(scrub.value) / 1000) * state.duration_ms) });
  });
  root.addEventListener("keydown", (event) => {
    if (event.target.closest?.("input, select, textarea") && event.target !== scrub) return;
    const keys = {
      " ": () => send({ play: !state.playing }),
      ArrowRight: () => send({ seek_ms: seek(STEP_MS) }),
      ArrowLeft: () => send({ seek_ms: seek(-STEP_MS) }),
      "+": () => changeSpeed(1),
      "=": () => changeSpeed(1),
      "-": () => changeSpeed(-1),
    };
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  });
  show(state);
  setInterval(async () => show(await call().catch(() => null)), 250);
  return true;
}
