// Reading aloud with the browser's speech synthesis, for the room pages and study mode alike.
// One reading at a time: a new one, or hush(), stops the one before.
const VOICES = { ja: "ja-JP", en: "en-GB" };

export const canSpeak = () => typeof window !== "undefined" && "speechSynthesis" in window;

let current = null; // {finish}: the reading under way

/**
 * Read `textByLang` ({ja, en}, in that order) aloud. The promise resolves when the last text
 * has been read, or when the reading was stopped (hush, another reading, a speech error):
 * the moment a "stop" button goes back to "read aloud".
 */
export function speak(textByLang) {
  hush();
  const texts = Object.entries(textByLang || {}).filter(([, text]) => text);
  if (!canSpeak() || !texts.length) return Promise.resolve();
  return new Promise((resolve) => {
    const reading = { finish: () => {} };
    reading.finish = () => {
      if (current === reading) current = null;
      resolve();
    };
    current = reading;
    texts.forEach(([lang, text], i) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = VOICES[lang] || lang;
      utterance.rate = 0.95;
      // Chrome reports a cancelled utterance as an error, not an end: both mean "done".
      utterance.addEventListener("error", reading.finish);
      if (i === texts.length - 1) utterance.addEventListener("end", reading.finish);
      window.speechSynthesis.speak(utterance);
    });
  });
}

/** Stop reading now; the promise of the reading under way resolves. */
export function hush() {
  const reading = current;
  current = null;
  if (canSpeak()) window.speechSynthesis.cancel();
  reading?.finish();
}
