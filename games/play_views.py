"""Pages of the game: the play landing page, the host's, the players' and the projector's.

The pages only draw the frame; the room itself arrives over the websocket (games/consumers.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from games import limits, rules, services
from games.models import Field, Room
from games.qr import qr_svg

SESSION_KEY = "hosted_rooms"


def survey_url(code: str) -> str | None:
    """The questionnaire for a room, once the survey app provides it."""
    try:
        return reverse("surveys:room", args=[code])
    except NoReverseMatch:
        return None


def play_strings() -> dict[str, str]:
    """Every text the room scripts show, translated here: the JS holds no English."""
    return {
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
        "concept": _("Concept"),
        "outline": _("Outline"),
        "answer": _("Answer"),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost, reconnecting…"),
        "you_reader": _("You are the reader: read this aloud, then move to the next card."),
        "reader_is": _("Reader: {name}"),
        "host_reads": _("Reader: the host"),
        "auto_reads": _("Reader: automatic"),
        "kick": _("Kick"),
        "remove": _("Remove"),
        "make_reader": _("Make reader"),
        "kicked": _("The host removed you from this room. You cannot rejoin for a while."),
        "removed": _("The host removed you from this room. You can join again."),
        "players": _("{count} players"),
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
        "error": _("Something went wrong: {detail}"),
        "next": _("Next card"),
        "join_again": _("Join again"),
        "saved": _("Saved."),
        "err_bad_nickname": _("Please choose another nickname (1–20 characters)."),
        "err_nickname_taken": _("Someone in this room already has this nickname."),
        "err_room_not_found": _("There is no room with this code."),
        "err_card_taken": _("Too late: this card is already taken."),
        "err_locked_out": _("You took a wrong card: wait for the next one."),
        "err_time_up": _("Time is up for this card."),
        "err_kicked": _("The host removed you from this room. You cannot rejoin for a while."),
        "err_no_players": _("Wait until at least one player has joined."),
        "err_out_of_turn": _("Not now: the game has moved on."),
        "err_reader_cannot_take": _("The reader does not take cards."),
        "err_room_full": _("This room is full."),
        "err_bad_token": _("Your seat was not found: please join again."),
        "err_not_host": _("Only the host can do this."),
        "err_server_error": _("The server could not do this. Please try again."),
        "err_bad_settings": _("These settings cannot be combined: please check them."),
        "err_unknown_seat": _("This player is no longer in the room."),
        "err_not_reader": _("Only the host or the reader can move to the next card."),
        "err_not_player": _("Join the room to take cards."),
        "err_unknown_card": _("This card is not on the board."),
        "err_rate_limited": _("Too many messages: please slow down."),
        "err_too_many_attempts": _(
            "Too many attempts with unknown codes: please wait a few minutes."
        ),
    }


def page_config(request, room: Room, role: str, **extra) -> dict:
    code = room.code
    return {
        "code": code,
        "role": role,
        "lang": translation.get_language()[:2],
        "ws": f"/ws/rooms/{code}/",
        "join_url": request.build_absolute_uri(reverse("play_room", args=[code])),
        "survey_url": survey_url(code),
        "strings": play_strings(),
        **extra,
    }


def _too_many_attempts() -> str:
    return _("Too many attempts with unknown codes: please wait a few minutes.")


def _room_or_404(code: str, request=None) -> Room:
    code = rules.normalize_code(code)
    # A 404 here tells a guesser that a code is free: these pages count failed lookups too.
    address = limits.client_address(request.META) if request is not None else None
    if address and limits.join_blocked(address):
        raise PermissionDenied(_too_many_attempts())
    room = Room.objects.filter(code=code).first()
    if room is None:
        if address:
            limits.join_failed(address)
        raise Http404(_("There is no room with this code."))
    return room


@require_safe
def play(request):
    return render(request, "games/play/play.html", {"error": request.GET.get("error")})


@require_POST
def create(request):
    """One click: a room with default settings; the host adjusts them in the lobby."""
    room = services.room_create()
    hosted = request.session.get(SESSION_KEY, {})
    hosted[room.code] = room.host_token
    request.session[SESSION_KEY] = hosted
    return redirect("play_host", code=room.code)


@require_safe
def join(request):
    code = rules.normalize_code(request.GET.get("code", ""))
    address = limits.client_address(request.META)
    if limits.join_blocked(address):  # room codes must not be found by trying them all
        return render(
            request,
            "games/play/play.html",
            {"error": _too_many_attempts()},
            status=429,
        )
    if not rules.is_code(code) or not Room.objects.filter(code=code).exists():
        limits.join_failed(address)
        return render(
            request,
            "games/play/play.html",
            {"error": _("There is no room with this code."), "code": code},
            status=404,
        )
    return redirect("play_room", code=code)


@require_safe
def room(request, code: str):
    room = _room_or_404(code, request)
    return render(
        request,
        "games/play/room.html",
        {"room": room, "config": page_config(request, room, services.PLAYER)},
    )


@require_safe
def host(request, code: str):
    room = _room_or_404(code, request)
    token = request.session.get(SESSION_KEY, {}).get(room.code)
    context = {
        "room": room,
        "config": page_config(request, room, services.HOST, token=token),
        "fields": Field.objects.all(),
        "rules": rules,
    }
    return render(request, "games/play/host.html", context)


@require_safe
def screen(request, code: str):
    room = _room_or_404(code, request)
    return render(
        request,
        "games/play/screen.html",
        {"room": room, "config": page_config(request, room, services.SCREEN)},
    )


@require_safe
@cache_control(max_age=3600)
def qr(request, code: str):
    """The join link's QR code, or with ``?for=survey`` the questionnaire's (end screen)."""
    room = _room_or_404(code, request)
    target = survey_url(room.code) if request.GET.get("for") == "survey" else None
    url = request.build_absolute_uri(target or reverse("play_room", args=[room.code]))
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")
