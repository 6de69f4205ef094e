// Small rooms for the state tests, shaped as docs/protocol.md says the server sends them.
export const name = (en) => ({ ja: `${en}(ja)`, en });

export const card = (id, over = {}) => ({
  id,
  number: id,
  field: "economics",
  color: "#c33",
  image: `/static/img/${id}.png`,
  name: name(`Value ${id}`),
  taken_by: null,
  gone: false,
  ...over,
});

export const player = (id, nickname, over = {}) => ({
  id,
  nickname,
  score: 0,
  cards: 0,
  wrong: 0,
  ...over,
});

export const SETTINGS = {
  lang: "both",
  fields: ["economics"],
  wrong_take: "penalty",
  voice: true,
  time_limit: 0,
  reveal: "progressive",
  reveal_delay: 5,
  reader_mode: "human",
  pause: 8,
  hide_name: true,
  set_bonus: false,
};

export const TEXT = { ja: "読み札", en: "The yomifuda" };
export const ANSWER = { id: 2, name: name("Value 2") };

/** A room reading its first card; Aki (seat 11) and Ben (seat 12) play; host reads. */
export function readingSnapshot({ role = "player", seat = 11, answer = false, version = 5 } = {}) {
  const players = [player(11, "Aki"), player(12, "Ben")];
  return {
    type: "snapshot",
    version,
    room: {
      code: "ABCD",
      state: "reading",
      settings: { ...SETTINGS },
      locked: false,
      reader: null,
      next_in_ms: null,
      talk_in_ms: null,
    },
    you: { role, seat: seat ? players.find((p) => p.id === seat) : null, locked: false },
    players,
    players_total: players.length,
    teams: [],
    team_ranking: null,
    board: [card(3), card(1), card(2)],
    turn: {
      index: 1,
      total: 3,
      text: TEXT,
      elapsed_ms: 1200,
      remaining_ms: null,
      wrong: [],
      ...(answer ? { answer: ANSWER } : {}),
    },
    result: null,
    ranking: null,
    ranked_total: null,
    standing: null,
    review: null,
    debrief: null,
  };
}

export const back = (id) => ({ ...card(id), concept: name("concept"), outline: name("outline") });

export const taken = (version, over = {}) => ({
  type: "taken",
  version,
  card: 2,
  by: 11,
  nickname: "Aki",
  back: back(2),
  skipped: false,
  bonus: 0,
  scores: [{ id: 11, score: 1, cards: 1 }],
  next_in_ms: null,
  ...over,
});

export const otetsuki = (version, over = {}) => ({
  type: "otetsuki",
  version,
  take: 90 + version,
  seat: 12,
  nickname: "Ben",
  card: 1,
  name: name("Value 1"),
  mode: "penalty",
  points: -1,
  score: -1,
  wrong: 1,
  locked: true,
  ...over,
});

export const reading = (version, over = {}) => ({
  type: "reading",
  version,
  index: 2,
  total: 3,
  text: { ja: "次", en: "Next" },
  elapsed_ms: 0,
  remaining_ms: 15000,
  ...over,
});
