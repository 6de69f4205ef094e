// The room's websocket: reconnects with exponential back-off and jitter, says hello again
// each time (the server answers with a full snapshot), and stops when the host removed us.

// 4000 removed, 4403 kicked: reconnecting would only be refused. Every other close is retried,
// 1013 included (the server could not subscribe us to live updates, e.g. Redis is down: the
// first connection after it is back works).
const FINAL_CODES = new Set([4000, 4403]);

export const isFinal = (code) => FINAL_CODES.has(code);

/** Milliseconds before reconnection `attempt` (0, 1, …): 0.2–0.6 s, doubling up to 5–15 s. */
export function retryDelay(attempt, random = Math.random()) {
  return Math.min(10000, 400 * 2 ** attempt) * (0.5 + random);
}

export function connect({ path, onOpen, onMessage, onStatus }) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let stopped = false;

  function open() {
    clearTimeout(timer);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${path}`);
    socket.addEventListener("open", () => {
      onStatus("open");
      onOpen();
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      // A latency probe (fair races): answered at once, before anything else is done; the
      // page never sees it (docs/protocol.md, Fair races).
      if (message?.type === "probe") {
        socket.send(JSON.stringify({ type: "probe", id: message.id }));
        return;
      }
      // The back-off starts again only once the room answers: a server that accepts and then
      // closes at once (1013 while its channel layer is down) must not be retried in a loop.
      if (message?.type !== "error") attempt = 0;
      onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (stopped || isFinal(event.code)) {
        onStatus("closed", event.code);
        return;
      }
      onStatus("retry");
      timer = setTimeout(open, retryDelay(attempt));
      attempt += 1;
    });
  }

  // Back from another app or a dropped Wi-Fi: try at once instead of waiting out the back-off.
  const retryNow = () => {
    if (!stopped && socket && socket.readyState === WebSocket.CLOSED) open();
  };
  window.addEventListener("online", retryNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") retryNow();
  });

  open();
  return {
    send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message));
        return true;
      }
      return false;
    },
    stop() {
      stopped = true;
      socket?.close();
    },
  };
}
