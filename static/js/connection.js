// The page's one WebSocket to the visualizer (/ws).
//
// The visualizer sends a snapshot first, then every event as it happens;
// the page asks for them in batches (a JSON array per frame: whatever was
// waiting), which costs a busy page far less than a frame per event.
// If the connection drops (visualizer restarted, laptop asleep) we try again
// with growing pauses, and the next snapshot brings the page up to date.

export function connect(onMessage, onState) {
  let pause = 500;

  function open() {
    const url = new URL("ws?batch=1", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    onState("connecting");
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      pause = 500;
      onState("open");
    });
    socket.addEventListener("message", (frame) => {
      let messages;
      try {
        messages = JSON.parse(frame.data);
      } catch {
        return; // not ours to show
      }
      for (const message of Array.isArray(messages) ? messages : [messages]) onMessage(message);
    });
    socket.addEventListener("close", () => {
      onState("closed");
      setTimeout(open, pause);
      pause = Math.min(pause * 2, 5000);
    });
  }

  open();
}
