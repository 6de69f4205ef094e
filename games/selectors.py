"""Reads of rooms: what a screen is shown, as JSON-safe data. Nothing here writes.

The snapshot is what a tab draws the room from when it (re)connects; events (games/events.py)
are built from the same pieces, so a snapshot and the deltas after it always agree.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db.models import Q, Sum
from django.utils import timezone

from games import review, rules
from games.models import BoardCard, Room, Seat, Take, Team, ValueType
from games.rules import RuleError

LANGS = {"ja": ("ja",), "en": ("en",), "both": ("ja", "en")}


@dataclass(frozen=True)
class Actor:
    """Who speaks on a socket: the host, a player's seat, or a read-only screen."""

    role: str
    seat_id: int | None = None


def get_room(code: str) -> Room:
    room = Room.objects.filter(code=rules.normalize_code(code)).first()
    if room is None:
        raise RuleError("room_not_found", "no room with this code")
    return room


def room_settings(room: Room) -> rules.Settings:
    return rules.settings_from(room.options or {})


def langs_of(room: Room) -> tuple[str, ...]:
    return LANGS[room_settings(room).lang]


def board_query(room: Room):
    return BoardCard.objects.filter(room=room).select_related("value_type__field")


# --- the pieces every message is made of ---------------------------------------------------


def texts(value: ValueType, part: str, langs: tuple[str, ...]) -> dict:
    return {lang: value.text(part, lang) for lang in langs}


def card_front(card: BoardCard, langs: tuple[str, ...]) -> dict:
    value = card.value_type
    return {
        "id": card.pk,
        "number": value.number,
        "field": value.field.code,
        "color": value.field.color,
        "image": value.image_url(),
        "name": texts(value, "name", langs),
        "taken_by": card.taken_by_id,
        "gone": bool(card.taken_by_id or card.timed_out),
    }


def card_back(card: BoardCard, langs: tuple[str, ...]) -> dict:
    value = card.value_type
    return {
        **card_front(card, langs),
        "concept": texts(value, "concept", langs),
        "outline": texts(value, "outline", langs),
    }


def read_text(card: BoardCard, langs: tuple[str, ...], *, hide_name: bool) -> dict:
    """The yomifuda as read aloud: overview and easy explanation, not the card's name."""
    return value_read_text(card.value_type, langs, hide_name=hide_name)


def value_read_text(value: ValueType, langs: tuple[str, ...], *, hide_name: bool) -> dict:
    texts_ = {}
    for lang in langs:
        text = " ".join((value.text("overview", lang), value.text("explanation", lang)))
        if hide_name:
            text = rules.hide_name(text, (value.name_ja, value.name_en), lang)
        texts_[lang] = text
    return texts_


# --- how long the read texts take to appear (the time-limit rule, rules.seconds_needed) -----


def seconds_needed(settings: rules.Settings) -> int:
    """The shortest time limit for these settings: the chosen cards' longest read text."""
    values = ValueType.objects.filter(field__code__in=settings.fields)
    langs = LANGS[settings.lang]
    texts_ = [value_read_text(v, langs, hide_name=settings.hide_name) for v in values]
    return rules.seconds_needed(texts_, settings)


def read_seconds_by_field() -> dict:
    """For the host's page, which disables the too-short limits as the host changes settings:
    ``{lang: {"hidden"|"named": {field: seconds}}}``, the longest read text of each field at
    reading pace, for each card language and with or without the card's name. The page takes
    the largest over the chosen fields (and the reveal delay), as rules.seconds_needed does."""
    table: dict = {lang: {"hidden": {}, "named": {}} for lang in LANGS}
    for value in ValueType.objects.select_related("field"):
        for lang, langs in LANGS.items():
            for key, hide in (("hidden", True), ("named", False)):
                seconds = rules.read_seconds(value_read_text(value, langs, hide_name=hide))
                by_field = table[lang][key]
                by_field[value.field.code] = max(by_field.get(value.field.code, 0), seconds)
    return table


def player(seat: Seat) -> dict:
    return {
        "id": seat.pk,
        "nickname": seat.nickname,
        "score": seat.score,
        "cards": seat.cards,
        "wrong": seat.wrong_takes,
        "team": seat.team_id,
    }


def list_max() -> int:
    """How many players a message lists at most (a hall's lists are its top, docs/protocol.md
    "Halls"); read at each call so a test or a deployment can change it."""
    return django_settings.HALL_LIST_MAX


def listed_players(room: Room, *also: int | None) -> tuple[list[dict], int]:
    """The room's active players as the snapshot lists them, and how many there are: all of
    them up to ``list_max()``, else the leaders (score, cards, then who joined first) and the
    seats in ``also`` (the tab's own, the reader), in joining order."""
    active = Seat.objects.filter(room=room, status=rules.ACTIVE)
    total = active.count()
    if total <= list_max():
        return [player(s) for s in active], total
    leaders = set(
        active.order_by("-score", "-cards", "pk").values_list("pk", flat=True)[: list_max()]
    )
    shown = active.filter(Q(pk__in=leaders) | Q(pk__in=[s for s in also if s]))
    return [player(s) for s in shown], total


def remaining_ms(deadline, now) -> int | None:
    return None if deadline is None else max(0, int((deadline - now).total_seconds() * 1000))


def turn(room: Room, card: BoardCard, now) -> dict:
    """The yomifuda being read, as every taker sees it (no answer)."""
    started = room.turn_started_at or now
    return {
        "index": card.read_order + 1,
        "total": BoardCard.objects.filter(room=room).count(),
        "text": read_text(card, langs_of(room), hide_name=room_settings(room).hide_name),
        "elapsed_ms": max(0, int((now - started).total_seconds() * 1000)),
        "remaining_ms": remaining_ms(room.deadline, now),
    }


def answer(card: BoardCard, langs: tuple[str, ...]) -> dict:
    """The secret part of a reading: only the host and the reader get it."""
    return {"answer": {"id": card.pk, "name": texts(card.value_type, "name", langs)}}


def result(
    card: BoardCard, langs: tuple[str, ...], *, bonus: int = 0, fastest: list | None = None
) -> dict:
    """What became of the card just read: taken (by whom, with which bonus) or not; in a fair
    race the fastest reaction times (``race_times``, at most FASTEST_SHOWN)."""
    return {
        "card": card.pk,
        "by": card.taken_by_id,
        "nickname": card.taken_by.nickname if card.taken_by_id else None,
        "back": card_back(card, langs),
        "skipped": card.skipped,
        "bonus": bonus,
        "fastest": (fastest or [])[:FASTEST_SHOWN],
    }


FASTEST_SHOWN = 3  # reaction times every screen shows after a card (the projector's top three)


def race_times(card: BoardCard) -> list[dict]:
    """A fair race's takes of ``card``, fastest first as decided (a flagged take after the
    others): [{"seat", "nickname", "ms"}]. Empty when the race was first-to-arrive."""
    return race_times_of(
        Take.objects.filter(read_card=card, card=card, correct=True).select_related("seat")
    )


def race_times_of(takes: Iterable[Take]) -> list[dict]:
    """``race_times`` of a race's right takes already read (their seats with them)."""
    timed = [t for t in takes if t.reaction_ms is not None]
    ranked = sorted(timed, key=lambda t: (bool(t.flag), t.reaction_ms, t.pk))
    return [
        {"seat": t.seat_id, "nickname": t.seat.nickname, "ms": round(t.reaction_ms)} for t in ranked
    ]


def final_ranking(room: Room) -> list[dict]:
    langs = langs_of(room)
    hands: dict[int, list[dict]] = {}
    for card in board_query(room).filter(taken_by__isnull=False).order_by("taken_at"):
        hands.setdefault(card.taken_by_id, []).append(
            {
                "number": card.value_type.number,
                "name": texts(card.value_type, "name", langs),
                "color": card.value_type.field.color,
            }
        )
    seats = list(Seat.objects.filter(room=room))
    team_of = {s.pk: s.team_id for s in seats}
    standings = (
        rules.Standing(
            s.pk, None if s.status == rules.KICKED else s.nickname, s.score, s.cards, 0, s.status
        )
        for s in seats
        if rules.in_ranking(s.status, s.cards)
    )
    return [
        {
            "rank": s.rank,
            "id": s.seat,
            "nickname": s.nickname,
            "score": s.score,
            "cards": s.cards,
            "status": s.status,
            "hand": hands.get(s.seat, []),
            "team": team_of.get(s.seat),
        }
        for s in rules.ranking(standings)
    ]


def standing_of(ranking: list[dict], seat_id: int) -> dict | None:
    """A seat's own row of the final ranking (its place, also below a hall's top)."""
    return next((row for row in ranking if row["id"] == seat_id), None)


# --- teams -----------------------------------------------------------------------------


def team_totals(room: Room) -> dict[int, tuple[int, int]]:
    """Each team's (score, cards): the sums of its members' (every seat that played for it,
    also one that left: its points stay with the team). Derived on every read, never kept."""
    rows = (
        Seat.objects.filter(room=room, team__isnull=False)
        .values("team")
        .annotate(score=Sum("score"), cards=Sum("cards"))
    )
    return {row["team"]: (row["score"], row["cards"]) for row in rows}


def team_score(team_id: int) -> dict:
    """One team's totals as the events carry them: {"id", "score", "cards"}."""
    sums = Seat.objects.filter(team_id=team_id).aggregate(score=Sum("score"), cards=Sum("cards"))
    return {"id": team_id, "score": sums["score"] or 0, "cards": sums["cards"] or 0}


def team_entry(team: Team, totals: dict[int, tuple[int, int]]) -> dict:
    style = rules.TEAM_STYLES[team.number]
    score, cards = totals.get(team.pk, (0, 0))
    return {
        "id": team.pk,
        "name": team.name,
        "color": team.color,
        "letter": style.letter,
        "shape": style.shape,
        "score": score,
        "cards": cards,
    }


def teams(room: Room) -> list[dict]:
    """The room's teams, in order, with their totals (empty without teams)."""
    totals = team_totals(room)
    return [team_entry(t, totals) for t in Team.objects.filter(room=room)]


def team_final_ranking(room: Room) -> list[dict] | None:
    """The end's team ranking (rules.team_ranking): teams by their members' total, each
    team's members ranked within it; None without teams."""
    team_rows = list(Team.objects.filter(room=room))
    if not team_rows:
        return None
    seats = list(Seat.objects.filter(room=room, team__isnull=False))
    standings = [
        rules.Standing(
            s.pk, None if s.status == rules.KICKED else s.nickname, s.score, s.cards, 0, s.status
        )  # fmt: skip
        for s in seats
    ]
    ranked = rules.team_ranking(
        [t.pk for t in team_rows], standings, {s.pk: s.team_id for s in seats}
    )
    totals = team_totals(room)
    by_id = {t.pk: t for t in team_rows}
    # A hall's teams list their best members only (as many as fit in HALL_LIST_MAX in all).
    shown = len(seats) if len(seats) <= list_max() else max(3, list_max() // len(team_rows))
    return [
        {
            **team_entry(by_id[t.team], totals),
            "rank": t.rank,
            "members_total": len(t.members),
            "members": [
                {
                    "id": m.seat,
                    "nickname": m.nickname,
                    "score": m.score,
                    "cards": m.cards,
                    "rank": m.rank,
                }  # fmt: skip
                for m in t.members[:shown]
            ],
        }
        for t in ranked
    ]


# --- the snapshot --------------------------------------------------------------------------


def snapshot(*, code: str, actor: Actor) -> dict:
    """Everything a screen needs to draw the room from nothing: sent on (re)connect and sync.

    The room row (with its version) is read first: every event at or below that version is in
    what is read after it, and every event above it is applied by the client on top. The reads
    after it may already include some of those later writes; applying their events again
    changes nothing, as every event states what is (no transaction needed, so on SQLite a
    snapshot never waits for the write lock)."""
    room = get_room(code)
    now = timezone.now()
    settings = room_settings(room)
    langs = LANGS[settings.lang]
    board = list(board_query(room).select_related("taken_by"))
    data: dict = {
        "type": "snapshot",
        "version": room.version,
        "room": {
            "code": room.code,
            "state": room.state,
            "settings": settings.as_dict(),
            "locked": room.locked,
            "reader": room.reader_seat_id,
            "next_in_ms": None,
            "talk_in_ms": None,
        },
        "you": {"role": actor.role, "seat": None, "locked": False},
        "players": None,
        "players_total": 0,
        "teams": teams(room),
        "team_ranking": None,
        "board": [card_front(c, langs) for c in board],
        "turn": None,
        "result": None,
        "ranking": None,
        "ranked_total": None,
        "standing": None,
        "review": None,
        "debrief": None,
    }
    data["players"], data["players_total"] = listed_players(
        room, actor.seat_id, room.reader_seat_id
    )
    if actor.seat_id:
        seat = Seat.objects.filter(pk=actor.seat_id).first()
        data["you"]["seat"] = player(seat) if seat else None
    current = next((c for c in board if c.pk == room.current_card_id), None)
    if current is not None and room.state == rules.READING:
        data["turn"] = turn(room, current, now)
        data["turn"]["wrong"] = wrong_seen(current, actor, settings.wrong_take, langs)
        if rules.sees_answer(actor.role, actor.seat_id, room.reader_seat_id):
            data["turn"].update(answer(current, langs))
        data["you"]["locked"] = bool(actor.seat_id) and rules.is_locked_out(
            settings.wrong_take, wrong_takes(current.pk, actor.seat_id)
        )
    if current is not None and room.state in rules.BETWEEN_CARDS:
        # The yomifuda stays beside the card's back; its time limit is over.
        data["turn"] = {**turn(room, current, now), "remaining_ms": None}
        data["turn"]["wrong"] = wrong_seen(current, actor, settings.wrong_take, langs)
        times = race_times(current)
        data["result"] = result(current, langs, bonus=bonus_of(current), fastest=times)
        data["result"]["yours_ms"] = next(
            (t["ms"] for t in times if actor.seat_id and t["seat"] == actor.seat_id), None
        )
    if room.state in rules.BETWEEN_CARDS:  # also before the first card of a reteach round
        data["room"]["next_in_ms"] = remaining_ms(room.deadline, now)
        talk = remaining_ms(room.talk_until, now)
        data["room"]["talk_in_ms"] = talk or None  # over: no countdown
    if room.state == rules.FINISHED:
        ranking = final_ranking(room)
        data["ranking"] = ranking[: list_max()]
        data["ranked_total"] = len(ranking)
        data["team_ranking"] = team_final_ranking(room)
        if actor.seat_id:
            data["standing"] = standing_of(ranking, actor.seat_id)
        # As the finished event gave them: a seat's own review, the screens' debrief.
        if actor.role == rules.PLAYER and actor.seat_id:
            data["review"] = review.seat_review(room, actor.seat_id, langs)
        elif actor.role == rules.SCREEN:
            data["debrief"] = review.room_debrief(room, langs)
    return data


def wrong_seen(read_card: BoardCard, actor: Actor, mode: str, langs: tuple[str, ...]) -> list[dict]:
    """The wrong takes of the card being read that ``actor`` sees, as the otetsuki events
    told them: everyone's in modes penalty and discuss, only its own in mode off."""
    takes = Take.objects.filter(read_card=read_card, correct=False, pending=False)
    if mode == rules.OFF:
        takes = takes.filter(seat_id=actor.seat_id) if actor.seat_id else takes.none()
    return [wrong_take(take, langs) for take in takes.select_related("seat", "card__value_type")]


def wrong_take(take: Take, langs: tuple[str, ...]) -> dict:
    """One wrong take as screens show it: who took which card (``take`` the take's id)."""
    return {
        "take": take.pk,
        "seat": take.seat_id,
        "nickname": take.seat.nickname,
        "card": take.card_id,
        "name": texts(take.card.value_type, "name", langs),
    }


def wrong_takes(read_card_id: int, seat_id: int) -> int:
    """A seat's wrong takes while the card ``read_card_id`` was being read."""
    return Take.objects.filter(read_card_id=read_card_id, seat_id=seat_id, correct=False).count()


def bonus_of(card: BoardCard) -> int:
    won = Take.objects.filter(card=card, won=True).only("bonus").first()
    return won.bonus if won else 0


def seat_latency(seat_id: int) -> float | None:
    """The round trip a seat's tabs last measured (games/fairness.py), or None."""
    return Seat.objects.filter(pk=seat_id).values_list("round_trip_ms", flat=True).first()


def deadlines_before(moment) -> list[tuple[str, object]]:
    """(code, deadline) of the rooms in play whose deadline, or fair race's decision window,
    comes before ``moment`` (the earlier of the two)."""
    rows = (
        Room.objects.filter(Q(deadline__lte=moment) | Q(window_closes_at__lte=moment))
        .exclude(state__in=(rules.LOBBY, rules.FINISHED))
        .values_list("code", "deadline", "window_closes_at")
    )
    return [(code, min(t for t in times if t is not None)) for code, *times in rows]


# --- play again -------------------------------------------------------------------------


def moved(*, code: str, actor: Actor) -> dict | None:
    """For a tab that comes back to a room everyone has left ("play again"): where to go, with
    its own token there (the host's, or its seat's successor), as the ``moved`` event said it.
    Sent without a version, after the snapshot (games/realtime/consumer.py)."""
    room = get_room(code)
    if room.next_room_id is None:
        return None
    to = room.next_room
    message: dict = {"type": "moved", "code": to.code}
    if actor.role == rules.HOST:
        message["token"] = to.host_token
    elif actor.seat_id is not None:
        seat = Seat.objects.filter(room=to, previous_id=actor.seat_id).first()
        if seat is not None:
            message["token"] = seat.token
    return message


def hosted_by_succession(room: Room, hosted: dict[str, str]) -> str | None:
    """The host token of ``room`` for a browser whose session hosts the room it came from
    (``hosted``: code → host token, the session's ``hosted_rooms``), else None."""
    for earlier in Room.objects.filter(next_room=room, code__in=list(hosted)):
        if secrets.compare_digest(str(hosted[earlier.code]), earlier.host_token):
            return room.host_token
    return None
