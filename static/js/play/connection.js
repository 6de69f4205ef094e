// The room's websocket: reconnects with exponential back-off and jitter, says hello again
// each time (the server answers with a full snapshot), and stops when the host removed us.
const FINAL_CODES = new Set([4000, 4403]);

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
      attempt = 0;
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
      onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (stopped || FINAL_CODES.has(event.code)) {
        onStatus("closed", event.code);
        return;
      }
      onStatus("retry");
      const delay = Math.min(10000, 400 * 2 ** attempt) * (0.5 + Math.random());
      attempt += 1;
      timer = setTimeout(open, delay);
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
