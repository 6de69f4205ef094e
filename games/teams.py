"""Team play's writes: a room's teams, who plays in which, chosen or dealt out.

Called by games/services.py (a room made or configured, the start, a late join, "play again")
and by the consumer (a ``team`` message: a player picks, the host moves). Like every service,
each runs inside its caller's transaction or one of its own. A team's score is never written:
it is always the sum of its members' (games/selectors.py ``team_totals``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

from games import events, nicknames, rules
from games.models import Room, Seat, Team
from games.rules import RuleError
from games.selectors import Actor, get_room, room_settings

# The names rules.TEAM_STYLES keys, marked for the catalogue (team_name translates them in
# the room's card language, not the page's).
NAMES = (
    pgettext_lazy("team", "Red"), pgettext_lazy("team", "Blue"), pgettext_lazy("team", "Green"),
    pgettext_lazy("team", "Yellow"), pgettext_lazy("team", "Orange"),
    pgettext_lazy("team", "Sky"), pgettext_lazy("team", "Purple"), pgettext_lazy("team", "Grey"),
)  # fmt: skip


def team_name(number: int, lang: str) -> str:
    """A team's default name in the room's card language ("both": Japanese, then English)."""
    key = rules.TEAM_STYLES[number].key
    names = []
    for code in ("ja", "en") if lang == "both" else (lang,):
        with translation.override(code):
            names.append(pgettext("team", key))
    return " ".join(dict.fromkeys(names))


def is_default_name(team: Team) -> bool:
    """Is the team's name one of its default names (in any card language)?"""
    return team.name in {team_name(team.number, lang) for lang in ("ja", "en", "both")}


@transaction.atomic
def team_rename(*, code: str, actor: Actor, team_id: int, name: object) -> None:
    """The host names a team ("3年2組", "Marketing"): in the lobby or between cards."""
    if actor.role != rules.HOST:
        raise RuleError("not_host", "only the host can name a team")
    room = get_room(code)
    if not room_settings(room).teams:
        raise RuleError("teams_off", "this room plays without teams")
    rules.check_turn(room.state, "team_name")
    team = Team.objects.filter(room=room, pk=team_id).first()
    if team is None:
        raise RuleError("unknown_team", "no such team in this room")
    name = rules.clean_team_name(name)
    others = Team.objects.filter(room=room).exclude(pk=team.pk).values_list("name", flat=True)
    if nicknames.clash(name, others):  # by look, as nicknames are: "Rеd" is Red
        raise RuleError("team_name_taken", "another team has this name")
    Team.objects.filter(pk=team.pk).update(name=name)
    events.teams_named(room)


def teams_sync(room: Room, settings: rules.Settings) -> bool:
    """Make the room's teams match ``settings.teams`` (adding or removing the last ones; the
    members of a removed team have no team again). True when anything changed."""
    have = set(Team.objects.filter(room=room).values_list("number", flat=True))
    want = set(range(settings.teams))
    gone = have - want
    if gone:
        Team.objects.filter(room=room, number__in=gone).delete()  # members: team NULL
    new = [
        Team(
            room=room,
            number=n,
            name=team_name(n, settings.lang),
            color=rules.TEAM_STYLES[n].color,
        )
        for n in sorted(want - have)
    ]
    Team.objects.bulk_create(new)
    renamed = 0  # the card language changed: the default names follow it (not a host's own)
    for team in Team.objects.filter(room=room, number__in=have & want):
        if not is_default_name(team):
            continue
        if team.name != (name := team_name(team.number, settings.lang)):
            renamed += Team.objects.filter(pk=team.pk).update(name=name)
    return bool(gone or new or renamed)


def teams_deal(room: Room, settings: rules.Settings) -> None:
    """At the start: "auto" deals every player out in join order (balanced); "choose" puts
    whoever did not pick into the smallest teams. Tells everyone who is in which team."""
    if not settings.teams:
        return
    team_ids = list(Team.objects.filter(room=room).values_list("pk", flat=True))
    seats = Seat.objects.filter(room=room, status=rules.ACTIVE).order_by("joined_at", "pk")
    if settings.team_pick == rules.TEAM_AUTO:
        dealt = rules.balanced_teams(list(seats.values_list("pk", flat=True)), team_ids)
        for team in team_ids:
            Seat.objects.filter(pk__in=[s for s, t in dealt.items() if t == team]).update(
                team_id=team
            )
    else:
        for seat in seats.filter(team__isnull=True):
            Seat.objects.filter(pk=seat.pk).update(team_id=smallest(room))
    events.teams_changed(room)


def smallest(room: Room) -> int:
    """The team with the fewest active players (the first of the smallest on a tie)."""
    sizes = dict(
        Team.objects.filter(room=room)
        .annotate(n=Count("members", filter=Q(members__status=rules.ACTIVE)))
        .values_list("pk", "n")
    )
    return rules.smallest_team(sizes)


def seat_place(room: Room, seat: Seat, settings: rules.Settings) -> None:
    """A player joining a game under way without a team: into the smallest team."""
    if settings.teams and room.state != rules.LOBBY and seat.team_id is None:
        seat.team_id = smallest(room)
        Seat.objects.filter(pk=seat.pk).update(team_id=seat.team_id)


def teams_copy(old: Room, new: Room) -> dict[int, int]:
    """ "Play again": each old team's id → the new room's team of the same number."""
    by_number = dict(Team.objects.filter(room=new).values_list("number", "pk"))
    return {
        pk: by_number[number]
        for pk, number in Team.objects.filter(room=old).values_list("pk", "number")
        if number in by_number
    }


@transaction.atomic
def team_pick(*, code: str, actor: Actor, team_id: int, seat_id: int | None = None) -> None:
    """In the lobby, a player picks their team (when players choose), or the host puts any
    player in a team."""
    room = get_room(code)
    settings = room_settings(room)
    own = seat_id is None or seat_id == actor.seat_id
    rules.check_team_pick(settings, room.state, actor.role, own=own)
    target = actor.seat_id if actor.role == rules.PLAYER else seat_id
    if target is None:
        raise RuleError("unknown_seat", "say which player to move")
    seat = Seat.objects.filter(room=room, pk=target, status=rules.ACTIVE).first()
    if seat is None:
        raise RuleError("unknown_seat", "no such player in this room")
    if not Team.objects.filter(room=room, pk=team_id).exists():
        raise RuleError("unknown_team", "no such team in this room")
    # Race: the game may start meanwhile; the move counts only while the room is in the lobby.
    if not Seat.objects.filter(pk=seat.pk, room__state=rules.LOBBY).update(team_id=team_id):
        raise RuleError("out_of_turn", "the game has started")
    seat.team_id = team_id
    events.team_picked(room, seat)
