// The browser's model of a room (docs/protocol.md): a snapshot, then events applied in version
// order. Pure on purpose: no DOM, no timers, no clock (`now` comes in as an argument), so Node
// tests it alone (tests/js/) and the contract test compares it with the server's snapshots.
// room.js owns one state, runs the effects `apply` returns, then redraws.

/** An empty room seen by a tab of `role` ("host", "player", "screen"), before its snapshot. */
export function initial(role) {
  return {
    version: null, // null until the first snapshot: events before it are already in it
    code: null,
    state: null,
    settings: {},
    closed: false, // the host closed the room to new players
    reader: null,
    you: { role, seat: null, locked: false },
    seatId: null, // this tab's seat, remembered while the seat is away (removed, then restored)
    players: new Map(),
    playersTotal: 0, // active players in the room (a hall's snapshot lists only its top)
    teams: new Map(), // team play: {id, name, color, letter, shape, score, cards}, in order
    teamRanking: null, // at the end, teams ranked with their members
    talkAt: null, // when the team talk after a card ends
    board: new Map(),
    order: [],
    turn: null, // {index, total, text, answer, wrong, elapsedMs, receivedAt, deadline}
    result: null,
    ranking: null,
    rankedTotal: null, // how many the final ranking ranks (a hall's `ranking` is its top)
    standing: null, // this seat's own row of the final ranking
    review: null, // at the end, this seat's own review (a player's tab)
    debrief: null, // at the end, the room's most-confused pairs (a screen's tab)
    nextAt: null,
    syncing: false, // a sync was asked for: later gaps wait for its snapshot
  };
}

const nothing = () => ({ redraw: null, effects: [] });
const REPLIES = new Set(["snapshot", "welcome", "pong", "take_result", "error"]);

/**
 * Apply one message from the socket to `state` (mutated in place) and say what to redraw
 * ("all", "scores" or null) and which effects the page runs: {kind: "sync"},
 * {kind: "toast", key, params, tone} or {kind: "toast", text, tone}, {kind: "speak", text},
 * {kind: "hush"}, {kind: "move", code, token}.
 */
export function apply(state, message, now) {
  const handler = HANDLERS[message?.type];
  if (!handler) return nothing();
  // Replies answer this tab and are always handled; so is a message without a version (a
  // hall's merged player_joined, docs/protocol.md "Halls"), as there is nothing to order it by.
  const event = !REPLIES.has(message.type) && typeof message.version === "number";
  if (event) {
    const verdict = checkVersion(state, message.version);
    if (verdict !== "apply") return verdict;
  }
  const effects = [];
  const redraw = handler(state, message, now, effects) ?? null;
  if (event) state.version = message.version;
  linkSeat(state);
  return { redraw, effects };
}

/** Shorthand for tests and tools: the state a tab has right after this snapshot. */
export function fromSnapshot(snapshot, role, now) {
  const state = initial(role);
  snapshotHandler(state, snapshot, now);
  linkSeat(state);
  return state;
}

// `you.seat` is this tab's entry in `players` (the same object), or null while it is not in
// the room: one copy, so a score set through either is the score of both.
function linkSeat(state) {
  state.you.seat = state.seatId == null ? null : (state.players.get(state.seatId) ?? null);
}

// Returns "apply", or what to answer instead. An event at or below our version arrived
// around a snapshot that already holds it; a gap means one was lost, so ask for a snapshot
// once (the answer resets `syncing`).
function checkVersion(state, version) {
  if (state.version === null || version <= state.version) return nothing();
  if (version === state.version + 1) return "apply";
  if (state.syncing) return nothing();
  state.syncing = true;
  return { redraw: null, effects: [{ kind: "sync" }] };
}

// --- the handlers: each sets what the message says *is* (applying one twice changes nothing)

function snapshotHandler(state, m, now) {
  state.version = typeof m.version === "number" ? m.version : null;
  state.syncing = false;
  state.code = m.room.code;
  state.state = m.room.state;
  state.settings = m.room.settings;
  state.closed = Boolean(m.room.locked);
  state.reader = m.room.reader;
  state.nextAt = m.room.next_in_ms == null ? null : now + m.room.next_in_ms;
  state.you = { role: m.you.role, seat: null, locked: Boolean(m.you.locked) };
  state.seatId = m.you.seat ? m.you.seat.id : null;
  state.players = new Map(m.players.map((p) => [p.id, { ...p }]));
  state.playersTotal = m.players_total ?? m.players.length;
  setTeams(state, m.teams ?? []);
  state.teamRanking = m.team_ranking ?? null;
  state.talkAt = m.room.talk_in_ms == null ? null : now + m.room.talk_in_ms;
  setBoard(state, m.board);
  state.turn = m.turn ? makeTurn(m.turn, now) : null;
  state.result = m.result ?? null;
  state.ranking = m.ranking ?? null;
  state.rankedTotal = m.ranked_total ?? null;
  state.standing = m.standing ?? null;
  state.review = m.review ?? null;
  state.debrief = m.debrief ?? null;
  return "all";
}

function setTeams(state, teams) {
  state.teams = new Map(teams.map((t) => [t.id, { ...t }]));
}

// Team totals as an event states them (a count, never "+1").
function setTeamScores(state, scores) {
  for (const { id, score, cards } of scores || []) {
    const team = state.teams.get(id);
    if (team) Object.assign(team, { score, cards });
  }
}

function setBoard(state, cards) {
  state.board = new Map(cards.map((c) => [c.id, { ...c }]));
  state.order = cards.map((c) => c.id);
}

function makeTurn(m, now) {
  return {
    index: m.index,
    total: m.total,
    text: m.text,
    answer: m.answer ?? null,
    // The wrong takes of this card this tab may see ({take, seat, nickname, card, name}): everyone's
    // in modes penalty and discuss, only its own in mode off. They stay until the next card.
    wrong: (m.wrong ?? []).map((w) => ({ ...w })),
    elapsedMs: m.elapsed_ms ?? 0,
    receivedAt: now,
    deadline: m.remaining_ms == null ? null : now + m.remaining_ms,
  };
}

// The card just read is over: its back is shown and any lock-out goes.
function settle(state, m, now, effects) {
  state.result = {
    card: m.card,
    by: m.by,
    nickname: m.nickname,
    back: m.back,
    skipped: m.skipped,
    bonus: m.bonus,
    fastest: m.fastest ?? [],
    yours_ms: m.yours_ms ?? null,
  };
  // The yomifuda stays on screen beside the card's back (what was read, and what it was);
  // its time limit and its secret are over.
  if (state.turn) Object.assign(state.turn, { deadline: null, answer: null });
  state.you.locked = false;
  state.nextAt = m.next_in_ms == null ? null : now + m.next_in_ms;
  state.talkAt = m.talk_in_ms ? now + m.talk_in_ms : null;
  effects.push({ kind: "hush" });
}

function isOwnSeat(state, seat) {
  return state.seatId != null && seat === state.seatId;
}

const HANDLERS = {
  snapshot: snapshotHandler,
  welcome: () => null, // the page keeps the token; the snapshot that follows says the rest
  pong: () => null,

  // Everyone moves on to a new room ("play again"): the page follows, with its own token
  // there (its seat's, or the host's). Nothing of this room changes.
  moved(state, m, now, effects) {
    effects.push({ kind: "move", code: m.code, token: m.token ?? null });
    return null;
  },

  settings(state, m) {
    state.settings = m.settings;
    return "all";
  },

  room_locked(state, m) {
    state.closed = m.locked;
    return "all";
  },

  player_joined(state, m) {
    state.players.set(m.player.id, { ...m.player });
    state.playersTotal = m.players_total;
    return "scores";
  },

  // The room's teams changed (their number, or the start dealt the players out).
  teams(state, m) {
    setTeams(state, m.teams);
    for (const { id, team } of m.players ?? []) {
      const player = state.players.get(id);
      if (player) player.team = team;
    }
    return "all";
  },

  // The host renamed a team.
  team_names(state, m) {
    setTeams(state, m.teams);
    return "all";
  },

  // One player's team changed (picked in the lobby, or moved by the host).
  team(state, m) {
    const player = state.players.get(m.seat);
    if (player) player.team = m.team;
    setTeams(state, m.teams);
    return "all";
  },

  player_left(state, m) {
    state.players.delete(m.seat);
    state.playersTotal = m.players_total;
    return "scores";
  },

  reader(state, m) {
    state.reader = m.seat;
    // The secret travels only to the host and the new reader: whoever else had it (the
    // ex-reader) must stop showing it. The host's own copy stays valid.
    if (state.turn) {
      if (m.answer && state.state === "reading") state.turn.answer = m.answer;
      else if (state.you.role !== "host") state.turn.answer = null;
    }
    return "all";
  },

  started(state, m) {
    setBoard(state, m.board);
    state.state = "taken";
    state.turn = null;
    state.result = null;
    state.nextAt = null;
    return "all";
  },

  reading(state, m, now, effects) {
    state.state = "reading";
    state.result = null;
    state.nextAt = null;
    state.talkAt = null;
    state.you.locked = false;
    state.turn = makeTurn(m, now);
    effects.push({ kind: "hush" }, { kind: "speak", text: m.text });
    return "all";
  },

  taken(state, m, now, effects) {
    state.state = "taken";
    const card = state.board.get(m.card);
    if (card) Object.assign(card, { gone: true, taken_by: m.by });
    for (const { id, score, cards } of m.scores || []) {
      const player = state.players.get(id);
      if (player) Object.assign(player, { score, cards });
    }
    setTeamScores(state, m.teams);
    settle(state, m, now, effects);
    return "all";
  },

  timeout(state, m, now, effects) {
    state.state = "timeout";
    const card = state.board.get(m.card);
    if (card) card.gone = true;
    settle(state, m, now, effects);
    return "all";
  },

  otetsuki(state, m) {
    const player = state.players.get(m.seat);
    if (player) Object.assign(player, { score: m.score, wrong: m.wrong });
    setTeamScores(state, m.teams);
    const own = isOwnSeat(state, m.seat);
    if (own && m.locked) state.you.locked = true;
    // Mode "off": only the taker is told. Otherwise the whole room sees who took which card
    // until the next card is read (a talking point in mode "discuss").
    if (state.turn && (own || m.mode !== "off")) {
      const { take, seat, nickname, card, name } = m;
      if (!state.turn.wrong.some((w) => w.take === take)) {
        state.turn.wrong.push({ take, seat, nickname, card, name });
      }
      return "all";
    }
    return "scores";
  },

  finished(state, m) {
    state.state = "finished";
    state.ranking = m.ranking;
    state.rankedTotal = m.ranked_total;
    state.standing = m.standing ?? null;
    state.teamRanking = m.team_ranking ?? null;
    // Personal parts: a seat gets its own review, a screen the room's debrief.
    state.review = m.review ?? null;
    state.debrief = m.debrief ?? null;
    state.turn = null;
    state.result = null;
    state.nextAt = null;
    state.talkAt = null;
    state.you.locked = false;
    return "all";
  },

  take_result(state, m, now, effects) {
    // Won: the `taken` event that follows says so on this tab until the next card.
    if (m.outcome === "won") return null;
    // A wrong take: the otetsuki event that follows puts it on this tab's screen until the
    // next card (the `mine` line); here only the lock-out, at once.
    if (m.locked && !state.you.locked) {
      state.you.locked = true;
      return "all";
    }
    return null;
  },

  error(state, m, now, effects) {
    // `message` is the server's text in this tab's language; `detail` is for developers.
    if (m.message) effects.push({ kind: "toast", text: m.message, tone: "error" });
    else effects.push({ kind: "toast", key: "error", params: { detail: m.detail }, tone: "error" });
    return null;
  },
};

// --- for tests: the state as a snapshot would carry it ---------------------------------

const copy = (value) => (value == null ? null : structuredClone(value));

/**
 * The state shaped like a snapshot message, with the time fields turned into booleans
 * (`room.next_in_ms`: a next card is scheduled; `turn.remaining_ms`: the turn has a
 * deadline) and no `elapsed_ms`, so it compares with a server snapshot normalised alike.
 */
export function toSnapshot(state) {
  const turn = state.turn && {
    index: state.turn.index,
    total: state.turn.total,
    text: copy(state.turn.text),
    remaining_ms: state.turn.deadline != null,
    wrong: copy(state.turn.wrong),
    ...(state.turn.answer ? { answer: copy(state.turn.answer) } : {}),
  };
  return {
    version: state.version,
    room: {
      code: state.code,
      state: state.state,
      settings: copy(state.settings),
      locked: state.closed,
      reader: state.reader,
      next_in_ms: state.nextAt != null,
      talk_in_ms: state.talkAt != null,
    },
    you: { role: state.you.role, seat: copy(state.you.seat), locked: state.you.locked },
    players: [...state.players.values()].sort((a, b) => a.id - b.id).map(copy),
    players_total: state.playersTotal,
    teams: [...state.teams.values()].map(copy),
    team_ranking: copy(state.teamRanking),
    board: state.order.map((id) => copy(state.board.get(id))),
    turn: turn || null,
    result: copy(state.result),
    ranking: copy(state.ranking),
    ranked_total: state.rankedTotal,
    standing: copy(state.standing),
    review: copy(state.review),
    debrief: copy(state.debrief),
  };
}
