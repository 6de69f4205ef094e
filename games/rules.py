"""The game's rules as plain Python: states, settings, moves and scoring.

No Django, no database, no network: services.py asks these functions what a move means and
stores the answer. Every function is deterministic given its arguments (randomness comes in
as a ``random.Random``), so the rules are unit-tested on their own.

States::

    lobby ──start──▶ reading ──take (correct)──▶ taken ──next──▶ reading … ──▶ finished
                        └──────deadline───────▶ timeout ─┘  (no card left) ──▶ finished
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from games import nicknames

LOBBY = "lobby"
READING = "reading"
TAKEN = "taken"
TIMEOUT = "timeout"
FINISHED = "finished"
ROOM_STATES = (LOBBY, READING, TAKEN, TIMEOUT, FINISHED)
# States in which a card is "done" (its back is shown) and the next one may be read.
BETWEEN_CARDS = (TAKEN, TIMEOUT)

# Who speaks on a socket: the room's host, a player's seat, or a read-only screen.
HOST = "host"
PLAYER = "player"
SCREEN = "screen"
ROLES = (HOST, PLAYER, SCREEN)

# A seat is active, or was taken out by the host: removed (may come back) or kicked (banned
# for KICK_MINUTES).
ACTIVE = "active"
REMOVED = "removed"
KICKED = "kicked"
SEAT_STATUSES = (ACTIVE, REMOVED, KICKED)

PENALTY = "penalty"
DISCUSS = "discuss"
OFF = "off"
WRONG_TAKE_MODES = (PENALTY, DISCUSS, OFF)

LANG_MODES = ("ja", "en", "both")
REVEAL_MODES = ("progressive", "delayed")
HUMAN = "human"
AUTO = "auto"
READER_MODES = (HUMAN, AUTO)
FIELDS = ("economics", "psychology", "sociology", "marketing")

# A room code avoids look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G) so it can be read off a
# projector at the back of a gym (6 stays: G is out).
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5
NICKNAME_MAX = 20
TIME_LIMITS = (0, 10, 15, 20, 30, 45, 60, 90, 120)
PAUSE_RANGE = (1, 60)
REVEAL_DELAY_RANGE = (0, 30)
SET_BONUS_POINTS = 3
PENALTY_POINTS = 1
KICK_MINUTES = 10
MAX_SEATS = 2000  # a hall: its messages list at most HALL_LIST_MAX players
# Team play: 2–8 teams (0 = off), dealt out at the start or picked by the players in the lobby;
# after each card, optionally a few seconds of team talk.
MAX_TEAMS = 8
TEAM_COUNTS = (0, *range(2, MAX_TEAMS + 1))
TEAM_AUTO = "auto"
TEAM_CHOOSE = "choose"
TEAM_PICKS = (TEAM_AUTO, TEAM_CHOOSE)
TEAM_TALK_RANGE = (0, 30)

# Words that keep a projected screen classroom-safe, matched case- and width-insensitively.
# Deliberately short; the host can still kick. Compared by skeleton (games/nicknames.py), so
# look-alike letters, accents, katakana and dots do not hide them. BLOCKLIST words are caught
# anywhere, even spaced out ("F U C K", "f.u.c.k"); WORD_BLOCKLIST words only at the start of
# a word ("Grape" is fine).
BLOCKLIST = (
    "fuck", "shit", "cunt", "bitch", "nigger", "nigga", "whore", "slut", "asshole", "porn",
    "hitler", "nazi", "ちんこ", "まんこ", "死ね", "しね", "きちがい", "ガイジ", "うんこ",
    "セックス",
)  # fmt: skip
WORD_BLOCKLIST = ("rape", "fag", "dick", "penis", "vagina", "pussy")


class RuleError(ValueError):
    """A move the rules do not allow; ``code`` is the protocol's error code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code


@dataclass(frozen=True)
class Settings:
    """A room's settings, chosen by the host in the lobby."""

    lang: str = "both"
    fields: tuple[str, ...] = FIELDS
    wrong_take: str = PENALTY
    voice: bool = True
    time_limit: int = 0  # seconds per card; 0 = no limit
    reveal: str = "progressive"
    reveal_delay: int = 5  # seconds before the text appears in "delayed" mode
    reader_mode: str = HUMAN  # AUTO: the server moves on by itself after each card
    pause: int = 8  # seconds the card's back stays up before an automatic next card
    set_bonus: bool = False
    hide_name: bool = True  # the read text says "this value" instead of the card's name
    generated_names: bool = False  # players get a generated nickname, whatever they type
    fair: bool = True  # the fastest reaction wins, network delay taken off (games/fairness.py);
    # False: the first take to reach the server wins
    teams: int = 0  # 0: everyone for themselves; 2–8 teams
    team_pick: str = TEAM_AUTO  # AUTO: balanced at the start; CHOOSE: players pick in the lobby
    team_talk: int = 0  # seconds of team talk after each card's back is shown

    def as_dict(self) -> dict:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data


def _pick(value: object, allowed: Sequence, name: str) -> object:
    # Exact types: in Python False == 0 and 10.0 == 10, but a setting keeps its documented
    # JSON type (``time_limit: false`` is not "no limit").
    if type(value) not in {type(a) for a in allowed} or value not in allowed:
        raise RuleError("bad_settings", f"{name} must be one of {', '.join(map(str, allowed))}")
    return value


def _int_in(value: object, low: int, high: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RuleError("bad_settings", f"{name} must be a whole number from {low} to {high}")
    return value


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise RuleError("bad_settings", f"{name} must be true or false")
    return value


def settings_from(data: Mapping, base: Settings | None = None) -> Settings:
    """Validated settings: ``data`` overrides ``base``; unknown keys are refused."""
    base = base or Settings()
    known = set(Settings.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise RuleError("bad_settings", f"unknown setting: {', '.join(sorted(unknown))}")
    merged = {**base.as_dict(), **data}
    fields_ = merged["fields"]
    if (
        not isinstance(fields_, list | tuple)
        or not fields_
        or any(not isinstance(f, str) or f not in FIELDS for f in fields_)
    ):
        raise RuleError("bad_settings", f"fields must be a non-empty list of {', '.join(FIELDS)}")
    return Settings(
        lang=_pick(merged["lang"], LANG_MODES, "lang"),
        fields=tuple(f for f in FIELDS if f in fields_),
        wrong_take=_pick(merged["wrong_take"], WRONG_TAKE_MODES, "wrong_take"),
        voice=_bool(merged["voice"], "voice"),
        time_limit=_pick(merged["time_limit"], TIME_LIMITS, "time_limit"),
        reveal=_pick(merged["reveal"], REVEAL_MODES, "reveal"),
        reveal_delay=_int_in(merged["reveal_delay"], *REVEAL_DELAY_RANGE, "reveal_delay"),
        reader_mode=_pick(merged["reader_mode"], READER_MODES, "reader_mode"),
        pause=_int_in(merged["pause"], *PAUSE_RANGE, "pause"),
        set_bonus=_bool(merged["set_bonus"], "set_bonus"),
        hide_name=_bool(merged["hide_name"], "hide_name"),
        generated_names=_bool(merged["generated_names"], "generated_names"),
        fair=_bool(merged["fair"], "fair"),
        teams=_pick(merged["teams"], TEAM_COUNTS, "teams"),
        team_pick=_pick(merged["team_pick"], TEAM_PICKS, "team_pick"),
        team_talk=_int_in(merged["team_talk"], *TEAM_TALK_RANGE, "team_talk"),
    )


# --- time limits ------------------------------------------------------------------------
# A time limit shorter than the read text takes to appear would time a card out before it was
# read. The limit is checked against the text (the alternative, a reveal pace that speeds up to
# fit the limit, is harder to explain to a teacher: "the text appears at reading pace, and the
# limit is at least that long" is one sentence).

# Reading pace, characters a second: how fast screens reveal the read text (the pages get it in
# their config, play_views.page_config)
# and about how fast a person reads it aloud.
READ_SPEED = {"ja": 8, "en": 15}
READ_SPEED_OTHER = 12  # a language without its own pace


def read_seconds(text_by_lang: Mapping[str, str]) -> int:
    """Whole seconds until a read text is fully shown at reading pace; in "both" each
    language appears side by side at its own pace, so the slower one counts."""
    seconds = (
        math.ceil(len(text) / READ_SPEED.get(lang, READ_SPEED_OTHER))
        for lang, text in text_by_lang.items()
    )
    return max(seconds, default=0)


def seconds_needed(read_texts: Iterable[Mapping[str, str]], settings: Settings) -> int:
    """The shortest time limit that shows every chosen card's text before time runs out: the
    longest text at reading pace and, when the text is shown after a delay, that delay."""
    needed = max((read_seconds(texts) for texts in read_texts), default=0)
    if settings.reveal == "delayed":
        needed = max(needed, settings.reveal_delay)
    return needed


def time_limits_allowed(needed: int) -> tuple[int, ...]:
    """The time-limit choices for cards whose text needs ``needed`` seconds (0: no limit)."""
    return tuple(s for s in TIME_LIMITS if s == 0 or s >= needed)


def fit_time_limit(settings: Settings, needed: int, *, chosen: bool) -> Settings:
    """``settings`` with a time limit long enough for the text. A limit the host has just
    ``chosen`` too short is refused; one that became too short because other settings changed
    (more text: another language, more fields, a longer delay) is raised to the shortest
    long enough (or no limit, when none is)."""
    if settings.time_limit in time_limits_allowed(needed):
        return settings
    if chosen:
        raise RuleError(
            "time_limit_too_short",
            f"time_limit must be 0 or at least {needed} s: the text takes that long to appear",
        )
    longer = [s for s in time_limits_allowed(needed) if s]
    return replace(settings, time_limit=min(longer, default=0))


# --- room codes and nicknames ------------------------------------------------------------


def new_code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed as a code, upper-cased, without spaces and dashes."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()


def is_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(c in CODE_ALPHABET for c in text)


def clean_nickname(text: object) -> str:
    """A nickname fit for a projected screen, or RuleError. HTML escaping is the page's job;
    here: one line, no control or invisible characters, 1–20 characters, something visible,
    nothing on the blocklist. The name is kept as typed otherwise (its look is compared by
    games/nicknames.py)."""
    if not isinstance(text, str):
        raise RuleError("bad_nickname", "nickname must be text")
    name = unicodedata.normalize("NFKC", text)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(nicknames.visible(name).split())
    if not name:
        raise RuleError("bad_nickname", "nickname is empty")
    if len(name) > NICKNAME_MAX:
        raise RuleError("bad_nickname", f"nickname is longer than {NICKNAME_MAX} characters")
    if nicknames.is_blank(name):
        raise RuleError("bad_nickname", "nickname shows no letter")
    # Compared by skeleton (games/nicknames.py): look-alike letters, accents, dots between
    # letters and katakana do not hide a word.
    if nicknames.contains(name, BLOCKLIST) or nicknames.starts_a_word(name, WORD_BLOCKLIST):
        raise RuleError("bad_nickname", "nickname is not allowed")
    return name


# --- the read text ---------------------------------------------------------------------

NAME_PLACEHOLDER = {"ja": "この価値", "en": "this value"}


def hide_name(text: str, names: Iterable[str], lang: str) -> str:
    """The yomifuda without the card's name, so takers must understand it to find the card.
    Longest names first ("Sticking value (commitment)" before "Sticking value")."""
    placeholder = NAME_PLACEHOLDER.get(lang, NAME_PLACEHOLDER["en"])
    variants = set()
    for name in names:
        if name:
            variants.add(name)
            variants.add(re.sub(r"\s*[(（].*?[)）]", "", name).strip())
    for name in sorted((v for v in variants if v), key=len, reverse=True):
        suffix = "s?" if lang == "en" else ""
        text = re.sub(re.escape(name) + suffix + (r"\b" if lang == "en" else ""), placeholder,
                      text, flags=re.IGNORECASE)  # fmt: skip
    if lang == "en":
        # "this value is …" at the start of a sentence gets its capital back.
        text = re.sub(r"(^|[.!?]\s+)this value", lambda m: m.group(1) + "This value", text)
    return text


# --- the board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deal:
    """Where each card lies on the shared board and in which order the yomifuda are read."""

    positions: dict[int, int]  # card number → board position (0-based)
    read_order: dict[int, int]  # card number → reading turn (0-based)


def deal(numbers: Iterable[int], rng: random.Random) -> Deal:
    numbers = list(numbers)
    if not numbers:
        raise RuleError("no_cards", "the chosen fields hold no cards")
    layout = numbers[:]
    rng.shuffle(layout)
    order = numbers[:]
    rng.shuffle(order)
    return Deal(
        positions={n: i for i, n in enumerate(layout)},
        read_order={n: i for i, n in enumerate(order)},
    )


# A reteach round (from the debrief): the most-confused pairs of the game just played, their
# cards laid out side by side, the values that were read and mistaken read first. A short
# round: at most RETEACH_PAIRS pairs and RETEACH_CARDS cards.
RETEACH_PAIRS = 4
RETEACH_CARDS = 8


def reteach_pairs(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (read, taken) pairs a reteach round teaches, from the game's pairs most-confused
    first: the first RETEACH_PAIRS whose cards still fit in RETEACH_CARDS."""
    chosen: list[tuple[int, int]] = []
    cards: set[int] = set()
    for read, taken in pairs:
        if read == taken or (read, taken) in chosen:
            continue
        if len(cards | {read, taken}) > RETEACH_CARDS:
            continue
        chosen.append((read, taken))
        cards |= {read, taken}
        if len(chosen) == RETEACH_PAIRS:
            break
    return chosen


def reteach_blocks(pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The cards of ``pairs`` in groups that lie side by side: a pair's two cards together, a
    card confused with two others between them (A–B then C–A gives B, A, C)."""
    blocks: list[list[int]] = []
    where: dict[int, list[int]] = {}
    for read, taken in pairs:
        a, b = where.get(read), where.get(taken)
        if a is None and b is None:
            block = [read, taken]
            blocks.append(block)
        elif a is not None and b is not None:
            if a is not b:  # two groups the pair joins: the second follows the first
                joined = (a if a[-1] == read else a[::-1]) + (b if b[0] == taken else b[::-1])
                blocks[blocks.index(a)] = joined
                blocks.remove(b)
                block = joined
            else:
                continue
        else:
            block, new = (a, taken) if a is not None else (b, read)
            old = read if new == taken else taken
            # Beside its partner: at the end the partner is nearer.
            if block.index(old) < len(block) / 2:
                block.insert(0, new)
            else:
                block.append(new)
        for number in block:
            where[number] = block
    return blocks


def reteach_deal(pairs: Sequence[tuple[int, int]], rng: random.Random) -> Deal:
    """A reteach round's deal: each group of confused cards side by side (the groups and the
    direction of each in a random order, so the place says nothing of the answer), the value
    read in the most-confused pair first, then the others' read values, then the rest."""
    if not pairs:
        raise RuleError("nothing_to_reteach", "no value was confused with another")
    blocks = [b if rng.random() < 0.5 else b[::-1] for b in reteach_blocks(pairs)]
    rng.shuffle(blocks)
    layout = [number for block in blocks for number in block]
    first = list(dict.fromkeys(read for read, _taken in pairs))
    rest = [n for n in layout if n not in first]
    rng.shuffle(rest)
    return Deal(
        positions={n: i for i, n in enumerate(layout)},
        read_order={n: i for i, n in enumerate(first + rest)},
    )


# --- moves -------------------------------------------------------------------------------

# Which actions each state allows; anything else is "out of turn".
ALLOWED = {
    LOBBY: {"settings", "start", "kick", "remove", "reader", "lock", "team", "team_name"},
    READING: {"take", "kick", "remove", "reader", "skip", "lock"},
    TAKEN: {"next", "kick", "remove", "reader", "lock", "team_name"},
    TIMEOUT: {"next", "kick", "remove", "reader", "lock", "team_name"},
    FINISHED: {"kick", "remove", "rematch"},
}


def check_turn(state: str, action: str) -> None:
    if action not in ALLOWED.get(state, ()):
        raise RuleError("out_of_turn", f"cannot {action} while the room is {state}")


@dataclass(frozen=True)
class WrongTake:
    """What an otetsuki does under a room's rule."""

    points: int  # added to the taker's score (negative = penalty)
    locks_out: bool  # the taker may not take again for this yomifuda
    shown_to_all: bool  # broadcast to every screen as a talking point


def wrong_take(mode: str) -> WrongTake:
    if mode == PENALTY:
        return WrongTake(points=-PENALTY_POINTS, locks_out=True, shown_to_all=True)
    if mode == DISCUSS:
        return WrongTake(points=0, locks_out=False, shown_to_all=True)
    if mode == OFF:
        return WrongTake(points=0, locks_out=False, shown_to_all=False)
    raise RuleError("bad_settings", f"unknown wrong-take rule {mode}")


@dataclass(frozen=True)
class TakeAttempt:
    """What the server knows when a player taps a card (read from the database)."""

    state: str
    is_reader: bool
    card_on_board: bool
    card_gone: bool
    deadline_passed: bool
    wrong_takes_this_card: int  # the seat's wrong takes since this yomifuda was read
    wrong_take_mode: str


def check_take(attempt: TakeAttempt) -> None:
    """Raise the RuleError that refuses this take, or return: the take may race for the card.
    The order matters to the player: "too late" before "out of turn" (a card just taken)."""
    if attempt.is_reader:
        raise RuleError("reader_cannot_take", "the reader does not take cards")
    if attempt.card_gone:
        raise RuleError("card_taken", "this card is no longer on the board")
    check_turn(attempt.state, "take")
    if not attempt.card_on_board:
        raise RuleError("unknown_card", "no such card on this board")
    if attempt.deadline_passed:
        raise RuleError("time_up", "time is up for this card")
    if is_locked_out(attempt.wrong_take_mode, attempt.wrong_takes_this_card):
        raise RuleError("locked_out", "you took a wrong card: wait for the next one")


def is_locked_out(mode: str, wrong_takes_this_card: int) -> bool:
    """A seat sits out the rest of a yomifuda after a wrong take, under the penalty rule."""
    return wrong_take(mode).locks_out and wrong_takes_this_card > 0


def sees_answer(role: str, seat: int | None, reader_seat: int | None) -> bool:
    """The host always may see which card is read; a player only while they are the reader."""
    return role == HOST or (role == PLAYER and seat is not None and seat == reader_seat)


def pause_deadline(settings: Settings, now: datetime) -> datetime | None:
    """When the next card comes by itself after a card was taken or timed out (auto mode),
    after the team talk when there is one."""
    if settings.reader_mode != AUTO:
        return None
    return deadline_after(now, settings.pause + talk_seconds(settings))


def talk_seconds(settings: Settings) -> int:
    return settings.team_talk if settings.teams else 0


def talk_deadline(settings: Settings, now: datetime) -> datetime | None:
    """When a card's team talk ends (a countdown on every screen; in human mode the host may
    read on before it ends)."""
    return deadline_after(now, talk_seconds(settings))


def take_points(
    *, set_bonus: bool, field_taken_by_seat: int, field_on_board: int
) -> tuple[int, int]:
    """Points for a correct take: (card point, set bonus). The bonus is earned once, by the
    take that completes a field of two or more cards in one player's hand."""
    bonus = 0
    if set_bonus and field_on_board >= 2 and field_taken_by_seat == field_on_board:
        bonus = SET_BONUS_POINTS
    return 1, bonus


def deadline_after(start: datetime, seconds: int) -> datetime | None:
    return start + timedelta(seconds=seconds) if seconds > 0 else None


def is_due(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now >= deadline


# --- ranking -----------------------------------------------------------------------------


def clean_team_name(text: object) -> str:
    """A team name the host typed: the rules of a nickname (one line, 1–20 characters,
    something visible, nothing on the blocklist), with its own error."""
    try:
        return clean_nickname(text)
    except RuleError as err:
        raise RuleError("bad_team_name", err.detail.replace("nickname", "team name")) from err


@dataclass(frozen=True)
class Standing:
    seat: int
    nickname: str | None  # None: a kicked seat, whose name is not shown again
    score: int
    cards: int
    rank: int = 0
    status: str = ACTIVE


def ranking(standings: Iterable[Standing]) -> list[Standing]:
    """Highest score first, then most cards; equal results share a rank (1, 2, 2, 4)."""
    ordered = sorted(
        standings, key=lambda s: (-s.score, -s.cards, (s.nickname or "").casefold(), s.seat)
    )
    ranked: list[Standing] = []
    for index, standing in enumerate(ordered):
        prev = ranked[-1] if ranked else None
        same = prev is not None and (prev.score, prev.cards) == (standing.score, standing.cards)
        ranked.append(replace(standing, rank=prev.rank if same else index + 1))
    return ranked


def in_ranking(status: str, cards: int) -> bool:
    """Every active seat is ranked, and every seat that left holding cards: the ranking's
    cards always add up to the cards taken."""
    return status == ACTIVE or cards > 0


# --- teams ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamStyle:
    """How a team is told apart: by its name, a letter and a shape as well as its colour (a
    colour-blind player, a greyscale projector). Colours from Okabe & Ito's palette."""

    key: str  # the English name, translated by the caller
    letter: str
    shape: str
    color: str


TEAM_STYLES = (
    TeamStyle("Red", "A", "●", "#D55E00"),
    TeamStyle("Blue", "B", "▲", "#0072B2"),
    TeamStyle("Green", "C", "■", "#009E73"),
    TeamStyle("Yellow", "D", "◆", "#F0E442"),
    TeamStyle("Orange", "E", "★", "#E69F00"),
    TeamStyle("Sky", "F", "✚", "#56B4E9"),
    TeamStyle("Purple", "G", "⬟", "#CC79A7"),
    TeamStyle("Grey", "H", "⬢", "#6E6E6E"),
)


def balanced_teams(seats: Sequence[int], teams: Sequence[int]) -> dict[int, int]:
    """Seats dealt to teams in join order, round-robin: team sizes differ by at most one."""
    if not teams:
        return {}
    return {seat: teams[i % len(teams)] for i, seat in enumerate(seats)}


def smallest_team(sizes: Mapping[int, int]) -> int:
    """The team a newcomer joins: the one with the fewest members, the first on a tie."""
    return min(sizes, key=lambda team: (sizes[team], list(sizes).index(team)))


def check_team_pick(settings: Settings, state: str, role: str, *, own: bool) -> None:
    """May ``role`` put a seat (its ``own``, or another) in a team now? In the lobby only:
    a player its own seat when players choose, the host any seat."""
    if role not in (HOST, PLAYER):
        raise RuleError("not_player", "only a player or the host can pick a team")
    if not settings.teams:
        raise RuleError("teams_off", "this room plays without teams")
    check_turn(state, "team")
    if role == PLAYER:
        if settings.team_pick != TEAM_CHOOSE:
            raise RuleError("teams_by_host", "the teams are dealt out at the start")
        if not own:
            raise RuleError("not_host", "only the host can move another player")


@dataclass(frozen=True)
class TeamStanding:
    team: int
    score: int  # always the sum of its members' scores, never a counter of its own
    cards: int
    members: tuple[Standing, ...]  # ranked within the team
    rank: int = 0


def team_ranking(
    teams: Sequence[int], players: Iterable[Standing], members: Mapping[int, int]
) -> list[TeamStanding]:
    """Teams by the sum of their members' scores, then cards (equal teams share a rank); each
    team's members ranked as players are (``members``: seat → team)."""
    by_team: dict[int, list[Standing]] = {team: [] for team in teams}
    for player in players:
        if members.get(player.seat) in by_team:
            by_team[members[player.seat]].append(player)
    standings = [
        TeamStanding(
            team=team,
            score=sum(p.score for p in ranked),
            cards=sum(p.cards for p in ranked),
            members=tuple(ranked),
        )
        for team, group in by_team.items()
        for ranked in [ranking(group)]
    ]
    ordered = sorted(standings, key=lambda t: (-t.score, -t.cards, teams.index(t.team)))
    result: list[TeamStanding] = []
    for index, standing in enumerate(ordered):
        prev = result[-1] if result else None
        same = prev is not None and (prev.score, prev.cards) == (standing.score, standing.cards)
        result.append(replace(standing, rank=prev.rank if same else index + 1))
    return result
