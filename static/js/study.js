// Study mode: flip cards (front ↔ back) and read the yomifuda aloud with speech synthesis.
import { canSpeak, hush, speak } from "./play/speech.js";

const strings = JSON.parse(document.getElementById("study-strings")?.textContent || "{}");

function flip(button, toBack) {
  const back = button.querySelector(".back");
  const front = button.querySelector(".front");
  const showBack = toBack ?? back.hidden;
  back.hidden = !showBack;
  front.hidden = showBack;
  button.setAttribute("aria-pressed", String(showBack));
}

// A read-aloud button toggles: pressed while its card is being read, pressed again to stop.
function readAloud(button) {
  if (!canSpeak()) {
    button.disabled = true;
    button.title = strings.noVoice || "";
    return;
  }
  if (button.getAttribute("aria-pressed") === "true") {
    hush(); // the reading's promise resolves and resets the button
    return;
  }
  const details = button.closest(".yomifuda");
  const langs = button.dataset.speak === "both" ? ["ja", "en"] : [button.dataset.speak];
  const text = Object.fromEntries(
    langs.map((lang) => [lang, details.dataset[lang === "ja" ? "readJa" : "readEn"]]),
  );
  // speak() stops any other card's reading first, which resets that card's button.
  const done = speak(text);
  button.setAttribute("aria-pressed", "true");
  button.textContent = strings.stop || button.textContent;
  done.then(() => reset(button));
}

function reset(button) {
  button.setAttribute("aria-pressed", "false");
  if (strings.readAloud) button.textContent = strings.readAloud;
}

document.addEventListener("click", (event) => {
  const flipper = event.target.closest("[data-flip]");
  if (flipper) return flip(flipper);
  const speaker = event.target.closest("[data-speak]");
  if (speaker) return readAloud(speaker);
  if (event.target.closest("[data-flip-all]")) {
    const buttons = [...document.querySelectorAll("[data-flip]")];
    const toBack = buttons.some((b) => b.getAttribute("aria-pressed") !== "true");
    buttons.forEach((b) => flip(b, toBack));
  }
});
