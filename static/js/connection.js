// The page's one WebSocket to the visualizer (/ws).
//
// The visualizer sends a snapshot first, then every event as it happens.
// If the connection drops (visualizer restarted, laptop asleep) we try again
// with growing pauses, and the next snapshot brings the page up to date.

export function connect(onMessage, onState) {
  let pause = 500;

  function open() {
    const url = new URL("ws", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    onState("connecting");
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      pause = 500;
      onState("open");
    });
    socket.addEventListener("message", (frame) => {
      let message;
      try {
        message = JSON.parse(frame.data);
      } catch {
        return; // not ours to show
      }
      onMessage(message);
    });
    socket.addEventListener("close", () => {
      onState("closed");
      setTimeout(open, pause);
      pause = Math.min(pause * 2, 5000);
    });
  }

  open();
}
