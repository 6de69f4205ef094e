// Read a yomifuda aloud with the browser's speech synthesis (ja-JP, en-GB).
const VOICES = { ja: "ja-JP", en: "en-GB" };

export const canSpeak = () => "speechSynthesis" in window;

export function speak(textByLang) {
  if (!canSpeak()) return;
  window.speechSynthesis.cancel();
  for (const [lang, text] of Object.entries(textByLang)) {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = VOICES[lang] || lang;
    utterance.rate = 0.95;
    window.speechSynthesis.speak(utterance);
  }
}

export function hush() {
  if (canSpeak()) window.speechSynthesis.cancel();
}
