// The one-line notice under the board (#toast): what just happened to this tab or the room.
// Takes text already translated; room.js turns state.js's toast effects into text.
const SHOWN_MS = 5000;
let timer = null;

export function showToast(text, tone = "") {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = text;
  box.className = `toast ${tone}`;
  box.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (box.hidden = true), SHOWN_MS);
}

export function hideToast() {
  const box = document.getElementById("toast");
  if (box) box.hidden = true;
  clearTimeout(timer);
}
