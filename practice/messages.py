"""The words of solo practice that travel as data: the endpoints' errors and the page script's
strings (translated here: the JS holds no English)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ERRORS = {
    "too_big": gettext_lazy("This result is too large to be a round of the deck."),
    "bad_json": gettext_lazy("This result could not be read."),
    "bad_id": gettext_lazy("This result has no valid id."),
    "bad_mode": gettext_lazy("Unknown game mode."),
    "bad_pace": gettext_lazy("Unknown reading pace."),
    "bad_lang": gettext_lazy("Unknown card language."),
    "bad_card_set": gettext_lazy("Unknown set of cards."),
    "bad_assignment": gettext_lazy("Unknown assignment."),
    "bad_rounds": gettext_lazy("A round reads each of its cards once, at least one card."),
    "bad_round": gettext_lazy("A card of this result is not a possible take."),
    "unknown_card": gettext_lazy("This result names a card that is not in the deck."),
    "bad_time": gettext_lazy("The times of this result are not possible."),
    "no_learner": gettext_lazy("This browser is not known as a learner yet: reload the page."),
    "rate_limited": gettext_lazy("Too many results from your network: they will be sent later."),
    "code_rate_limited": gettext_lazy("Too many wrong codes from your network: try again later."),
    "bad_code": gettext_lazy("This code is not valid (or it has expired). Check it and try again."),
    "no_seat": gettext_lazy("This game is not finished, or this browser did not play in it."),
    "no_nickname": gettext_lazy("Enter your nickname on the assignment's page first."),
    "assignment_closed": gettext_lazy(
        "This assignment is closed: its deadline has passed, so this round was not counted."
    ),
    "nickname_taken": gettext_lazy(
        "Another student has this nickname (or one that looks like it)."
    ),
    "assignment_full": gettext_lazy("This assignment is full: ask your teacher."),
}


def page_strings() -> dict[str, str]:
    return {
        "start": _("Start"),
        "again": _("Play again"),
        "readAloud": _("Read aloud"),
        "progress": _("Card {n} of {total}"),
        "wrong": _("Not this one"),
        "read": _("Read"),
        "youTook": _("You took"),
        "next": _("Next card"),
        "time": _("Time"),
        "accuracy": _("Accuracy"),
        "score": _("Score (time + penalties)"),
        "missed": _("Values you missed"),
        "noneMissed": _("You missed none: every card at the first take."),
        "best": _("Personal best!"),
        "bestWas": _("Your best: {best}"),
        "bestOffline": _("Offline: the personal best is checked when the result is sent."),
        "saved": _("Result saved."),
        "queued": _(
            "Offline: the result is kept on this device and sent when the connection returns."
        ),
        "sending": _("Sending the result…"),
        "rejected": _("The result was refused: {message}"),
        "seconds": _("{s} s"),
        "percent": _("{p}%"),
        "penalties": _("{n} wrong takes × {s} s"),
        "code": _("Your code: {code} (valid for {hours} hours)"),
        "adopted": _("This device now continues your practice."),
        "importing": _("Bringing in your game…"),
        "imported": _("Your game is in your review: {n} values rated."),
        "importedBefore": _("This game was brought in before."),
        "importFailed": _("Your game could not be brought in: {message}"),
        "noSeat": _("This browser did not play in that game."),
        "offline": _("Offline"),
        "lookCard": _("Take the card read: {name}"),
        "assignmentRound": _("Round {n} of {total}"),
        "assignmentDone": _("Assignment complete: {done} of {total} rounds."),
    }
