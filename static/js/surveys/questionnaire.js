// The questionnaire page: keeps an unfinished draft in this browser and sends the form once.
// Who answers is the server's (an HttpOnly cookie per room): nothing here links one game's
// answers to another's. Strings come from the page (json_script "survey-strings").
const form = document.querySelector("[data-survey-form]");
const strings = JSON.parse(document.getElementById("survey-strings")?.textContent || "{}");
// Older pages kept one respondent token for every game in this key: forget it.
const OLD_TOKEN_KEY = "vk-respondent";

function storage() {
  try {
    const probe = "__vk";
    localStorage.setItem(probe, probe);
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return null; // private mode or storage off: no draft is kept
  }
}

function snapshot() {
  const data = {};
  for (const el of form.elements) {
    if (!el.name || el.type === "hidden" || el.type === "submit") continue;
    if ((el.type === "radio" || el.type === "checkbox")) {
      if (el.checked) (data[el.name] ||= []).push(el.value);
    } else if (el.value) {
      data[el.name] = [el.value];
    }
  }
  return data;
}

function restore(data) {
  let restored = false;
  for (const el of form.elements) {
    if (!el.name || !(el.name in data) || el.type === "hidden") continue;
    if (el.type === "radio" || el.type === "checkbox") {
      el.checked = data[el.name].includes(el.value);
      restored ||= el.checked;
    } else if (!el.value) {
      el.value = data[el.name][0] || "";
      restored ||= Boolean(el.value);
    }
  }
  return restored;
}

// "3 of 15 questions answered": a question counts once anything in it is chosen or written.
function updateProgress() {
  const box = document.querySelector("[data-progress]");
  if (!box) return;
  const questions = form.querySelectorAll(".question[id^='q-']");
  let answered = 0;
  for (const question of questions) {
    const fields = question.querySelectorAll("input, textarea");
    const done = [...fields].some((el) =>
      el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "");
    if (done) answered += 1;
  }
  const bar = box.querySelector("progress");
  if (bar) bar.value = answered;
  const text = box.querySelector("[data-progress-text]");
  if (text && strings.progress) text.textContent = strings.progress.replace("{answered}", answered);
}

if (form) {
  const store = storage();
  const key = form.dataset.draftKey;
  store?.removeItem(OLD_TOKEN_KEY);
  const serverFilled = Object.keys(snapshot()).length > 0; // a form re-shown with errors
  if (store && !serverFilled) {
    try {
      const draft = JSON.parse(store.getItem(key) || "null");
      if (draft && restore(draft)) {
        const note = document.querySelector("[data-draft-note]");
        if (note) {
          note.textContent = strings.draftRestored || "";
          note.hidden = false;
        }
      }
    } catch {
      store.removeItem(key);
    }
  }
  const save = () => store && store.setItem(key, JSON.stringify(snapshot()));
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("input", updateProgress);
  form.addEventListener("change", updateProgress);
  updateProgress(); // a restored draft counts too
  form.addEventListener("submit", (event) => {
    const button = form.querySelector("[data-submit]");
    if (form.dataset.sending) {
      event.preventDefault(); // a second click: the first request is on its way
      return;
    }
    form.dataset.sending = "1";
    save();
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = strings.sending || button.textContent;
    }
  });
  // Back from the thanks page (bfcache): allow sending again; the server keeps one response.
  window.addEventListener("pageshow", () => {
    delete form.dataset.sending;
  });
}
