// The thanks page: the answers are stored, so forget this room's unfinished drafts.
const box = document.querySelector("[data-clear-drafts]");
if (box) {
  try {
    const prefix = box.dataset.clearDrafts;
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(prefix)) localStorage.removeItem(key);
    }
  } catch {
    // storage unavailable: nothing was kept
  }
}
