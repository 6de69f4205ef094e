// Study mode: flip cards (front ↔ back) and read the yomifuda aloud with speech synthesis.
const strings = JSON.parse(document.getElementById("study-strings")?.textContent || "{}");
const VOICES = { ja: "ja-JP", en: "en-GB" };

function flip(button, toBack) {
  const back = button.querySelector(".back");
  const front = button.querySelector(".front");
  const showBack = toBack ?? back.hidden;
  back.hidden = !showBack;
  front.hidden = showBack;
  button.setAttribute("aria-pressed", String(showBack));
}

function speak(button) {
  const synth = window.speechSynthesis;
  if (!synth) {
    button.disabled = true;
    button.title = strings.noVoice || "";
    return;
  }
  if (button.getAttribute("aria-pressed") === "true") {
    synth.cancel();
    return;
  }
  synth.cancel();
  document.querySelectorAll("[data-speak][aria-pressed=true]").forEach(reset);
  const details = button.closest(".yomifuda");
  const langs = button.dataset.speak === "both" ? ["ja", "en"] : [button.dataset.speak];
  const utterances = langs.map((lang) => {
    const u = new SpeechSynthesisUtterance(details.dataset[`read${lang === "ja" ? "Ja" : "En"}`]);
    u.lang = VOICES[lang] || lang;
    u.rate = 0.95;
    return u;
  });
  utterances[utterances.length - 1].onend = () => reset(button);
  button.setAttribute("aria-pressed", "true");
  button.textContent = strings.stop || button.textContent;
  utterances.forEach((u) => synth.speak(u));
}

function reset(button) {
  button.setAttribute("aria-pressed", "false");
  if (strings.readAloud) button.textContent = strings.readAloud;
}

document.addEventListener("click", (event) => {
  const flipper = event.target.closest("[data-flip]");
  if (flipper) return flip(flipper);
  const speaker = event.target.closest("[data-speak]");
  if (speaker) return speak(speaker);
  if (event.target.closest("[data-flip-all]")) {
    const buttons = [...document.querySelectorAll("[data-flip]")];
    const toBack = buttons.some((b) => b.getAttribute("aria-pressed") !== "true");
    buttons.forEach((b) => flip(b, toBack));
  }
});
