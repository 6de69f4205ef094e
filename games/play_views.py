"""Pages of the game: the play landing page, the host's, the players' and the projector's.

The pages only draw the frame; the room itself arrives over the websocket (games/consumers.py).
"""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from games import limits, rules, selectors, services
from games.models import Field, Room
from games.qr import qr_svg
from games.realtime import protocol
from games.rules import RuleError
from karuta import lan

SESSION_KEY = "hosted_rooms"


def survey_url(code: str) -> str | None:
    """The questionnaire for a room, once the survey app provides it."""
    try:
        return reverse("surveys:room", args=[code])
    except NoReverseMatch:
        return None


def play_strings() -> dict[str, str]:
    """Every text the room scripts show, translated here: the JS holds no English. Error texts
    come from the protocol's registry (``err_<code>``), the same the server's frames carry."""
    errors = {f"err_{code}": str(text) for code, text in protocol.ERRORS.items()}
    return errors | {
        "state_lobby": _("Waiting for players"),
        "state_reading": _("Reading"),
        "state_taken": _("Taken"),
        "state_timeout": _("Nobody took it"),
        "state_finished": _("Game over"),
        "card_of": _("Card {index} of {total}"),
        "taken_by": _("{name} took it"),
        "nobody": _("Nobody took this card"),
        "skipped": _("The host skipped this card"),
        "you_won": _("You took it!"),
        "wrong": _("Not this card"),
        "wrong_locked": _("Wrong card: −1 point, and you sit out this card"),
        "otetsuki": _("{name} took a wrong card: {card}"),
        "otetsuki_discuss": _("Talking point: {name} thought it was {card}. Why is it not?"),
        "bonus": _("Set bonus: +{points}"),
        # A fair race's reaction times after a card: "Aiko 0.62 s · you 0.84 s".
        "reaction": _("{name} {seconds} s"),
        "your_reaction": _("you {seconds} s"),
        "reaction_times": _("Reaction times"),
        # Team play (static/js/play/teams.js).
        "team_talk": _("Team talk: {seconds} s"),
        "pick_team": _("Pick your team"),
        "teams_dealt": _("The teams are dealt out when the game starts"),
        "your_team_tag": _("(your team)"),
        "team_of": _("Team of {name}"),
        "no_team": _("No team yet"),
        "concept": _("Concept"),
        "outline": _("Outline"),
        "answer": _("Answer"),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost, reconnecting…"),
        "you_reader": _("You are the reader: read this aloud, then move to the next card."),
        "reader_is": _("Reader: {name}"),
        "reader_tag": _("reader"),
        "host_reads": _("Reader: the host"),
        "auto_reads": _("Reader: automatic"),
        "kick": _("Kick"),
        # Django's admin says "Remove" too (削除, delete) and its catalogue wins: a context of
        # our own keeps 外す (the player may come back).
        "remove": pgettext("host takes a player out", "Remove"),
        "make_reader": _("Make reader"),
        "kicked": _("The host removed you from this room. You cannot rejoin for a while."),
        "removed": _("The host removed you from this room. You can join again."),
        "players": _("{count} players"),
        "players_one": _("{count} player"),
        # Ordinal forms (Intl.PluralRules "ordinal": one → 1st, two → 2nd, few → 3rd, other → 4th).
        "placed_one": _("You placed {rank}st of {count}"),
        "placed_two": _("You placed {rank}nd of {count}"),
        "placed_few": _("You placed {rank}rd of {count}"),
        "placed_other": _("You placed {rank}th of {count}"),
        "you_tag": _("(you)"),
        "reveal_in": _("The text appears in {seconds} s…"),
        "game_over_watch": _("This game is over. Here is the final ranking."),
        "pts_one": _("{count} pt"),
        "pts": _("{count} pts"),
        "cards_one": _("{count} card"),
        "cards": _("{count} cards"),
        "seconds_left": _("{seconds} s left"),
        "next_in": _("Next card in {seconds} s"),
        "sound_on": _("Sound: on"),
        "sound_off": _("Sound: off"),
        "waiting_start": _("Waiting for the host to start the game…"),
        "waiting_next": _("Waiting for the next card…"),
        "take": _("Take {name}"),
        "your_score": _("{name}: {points}, {cards}"),
        "nobody_yet": _("Nobody has joined yet."),
        "confirm_kick": _("Kick {name}? They cannot rejoin for ten minutes."),
        "confirm_kick_title": _("Kick {name}?"),
        "confirm_kick_text": _(
            "They leave the game now and cannot join this room again for ten minutes."
        ),
        "confirm_remove_title": _("Remove {name}?"),
        "confirm_remove_text": _(
            "They leave the game now. They can join again, and get their seat back with "
            "the same score."
        ),
        "remove_hint": _("can join again, same score"),
        "kick_hint": _("cannot rejoin for 10 minutes"),
        "player_menu": _("Actions for {name}"),
        "no_match": _("No player matches “{text}”."),
        "shown_of": _("{shown} of {count} shown"),
        "time_hint": _(
            "Limits under {seconds} s are off: the longest text of these cards takes "
            "{seconds} s to appear at reading pace."
        ),
        "time_hint_delay": _(
            "Limits under {seconds} s are off: the text appears only after the delay of "
            "{seconds} s."
        ),
        "time_raised": _("Time limit raised to {seconds} s: the text takes longer to appear."),
        "start_waiting": _("Waiting for a player to join"),
        "moving": _("Moving to the new room…"),
        "error": _("Something went wrong: {detail}"),
        "next": _("Next card"),
        "join_again": _("Join again"),
        "join": _("Join"),
        "random_nickname": _("Give me a random nickname"),
        "rename_team": _("Rename {team}"),
        "rename_label": _("New name for {team}"),
        "lock": _("Close the room to new players"),
        "unlock": _("Open the room to new players"),
        "closed_note": _("Closed: nobody new can join. Players already in can come back."),
        "saved": _("Saved."),
        # The projector, when a list is longer than the screen: "+ 12 more".
        "more": _("+ {count} more"),
        # The end: a player's review, the projector's debrief (static/js/play/review.js).
        "review_read": _("Read"),
        "review_took": _("You took"),
        "review_times_one": _("once"),
        "review_times": _("{count} times"),
        "review_pair": _("{read} read, {taken} taken: {count}"),
        "debrief_taken": _("Taken for it"),
        "debrief_figures": _("Wrong takes: {wrong} · right: {right} ({percent}%)"),
        "debrief_more_one": _("+ {count} more pair on the host's debrief page"),
        "debrief_more": _("+ {count} more pairs on the host's debrief page"),
    }


def page_config(request, room: Room, role: str, **extra) -> dict:
    code = room.code
    link = join_url(request, code)
    return {
        "code": code,
        "role": role,
        "lang": translation.get_language()[:2],
        "ws": f"/ws/rooms/{code}/",
        # Phones open this link: a LAN address when the page was opened on loopback (lan.py).
        "join_url": link,
        "join_loopback": lan.is_loopback(urlsplit(link).netloc),
        "survey_url": survey_url(code),
        "read_speed": {**rules.READ_SPEED, "other": rules.READ_SPEED_OTHER},
        "strings": play_strings(),
        **extra,
    }


def _error(code: str) -> str:
    """The protocol registry's text for ``code``: the pages say what the socket says."""
    return str(protocol.ERRORS[code])


def join_url(request, code: str) -> str:
    return lan.join_base_url(request) + reverse("play_room", args=[code])


def _room_or_404(code: str, request) -> Room:
    """The room, or a 404 page that says so (counted: a guesser learns a code is free), or
    while this browser or address waits after too many of those, a 429 page (games/limits.py).
    The rooms this browser was let into, or hosts, are never refused."""
    code = rules.normalize_code(code)
    visitor = limits.request_visitor(request)
    wait = limits.may_enter(visitor, code, hosted=request.session.get(SESSION_KEY, {}))
    if wait:
        raise limits.JoinRefused(wait, code)
    room = Room.objects.filter(code=code).first() if rules.is_code(code) else None
    if room is None:
        if rules.is_code(code):  # a malformed code tells a guesser nothing: not counted
            limits.failed(visitor)
        raise limits.RoomNotFound(code)
    limits.admit(visitor, code)
    return room


@require_safe
def play(request):
    return render(request, "games/play/play.html")


@require_POST
def create(request):
    """One click: a room with default settings, its cards in the page's language; the host
    adjusts them in the lobby. Rooms per address are limited (games/limits.py)."""
    if wait := limits.room_creation_wait(request):
        minutes = -(-wait // 60)
        error = ngettext(
            "Too many rooms were created from this network. Please try again in %(minutes)d "
            "minute.",
            "Too many rooms were created from this network. Please try again in %(minutes)d "
            "minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "games/play/play.html", {"error": error}, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        room = services.room_create(lang=translation.get_language()[:2])
    except RuleError as err:  # no free code in 20 draws: say so, try again later
        context = {"error": _error(err.code)}
        return render(request, "games/play/play.html", context, status=503)
    hosted = request.session.get(SESSION_KEY, {})
    hosted[room.code] = room.host_token
    request.session[SESSION_KEY] = hosted
    return redirect("play_host", code=room.code)


@require_safe
def join(request):
    """The join form: to the room, or the 404/429 page with the form to try again."""
    room = _room_or_404(request.GET.get("code", ""), request)
    return redirect("play_room", code=room.code)


@require_safe
def room(request, code: str):
    room = _room_or_404(code, request)
    return render(
        request,
        "games/play/room.html",
        {"room": room, "config": page_config(request, room, rules.PLAYER)},
    )


@require_safe
def host(request, code: str):
    room = _room_or_404(code, request)
    hosted = request.session.get(SESSION_KEY, {})
    token = hosted.get(room.code)
    if token is None:
        # "Play again": the host of the room this one follows is this one's host too.
        token = selectors.hosted_by_succession(room, hosted)
        if token is not None:
            request.session[SESSION_KEY] = {**hosted, room.code: token}
    config = page_config(
        request,
        room,
        rules.HOST,
        token=token,
        read_seconds=selectors.read_seconds_by_field(),
        time_limits=list(rules.TIME_LIMITS),
    )
    context = {"room": room, "config": config, "fields": Field.objects.all(), "rules": rules}
    return render(request, "games/play/host.html", context)


@require_safe
def screen(request, code: str):
    room = _room_or_404(code, request)
    return render(
        request,
        "games/play/screen.html",
        {"room": room, "config": page_config(request, room, rules.SCREEN)},
    )


@require_safe
@cache_control(max_age=3600)
def qr(request, code: str):
    """The join link's QR code, or with ``?for=survey`` the questionnaire's (end screen)."""
    room = _room_or_404(code, request)
    if request.GET.get("for") == "survey" and (target := survey_url(room.code)):
        url = lan.join_base_url(request) + target
    else:
        url = join_url(request, room.code)
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")
