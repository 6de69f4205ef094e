import pytest


@pytest.fixture
def aliases(deck):
    """The deck plus its value aliases, as `load_deck` loads them."""
    from games.deck import read_fixture
    from surveys.aliases import load_aliases

    load_aliases(read_fixture())
    return deck


def make_room(code: str, seats: int = 40, *, finished_days_ago: float | None = None):
    """A game room with ``seats`` players (as the game stores them), finished that long ago."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from games.models import Room, Seat

    room = Room.objects.create(code=code, host_token=secrets.token_urlsafe(24))
    if finished_days_ago is not None:
        room.state = "finished"
        room.finished_at = timezone.now() - timedelta(days=finished_days_ago)
        room.save(update_fields=["state", "finished_at"])
    Seat.objects.bulk_create(
        Seat(room=room, token=secrets.token_urlsafe(24), nickname=f"P{n}") for n in range(seats)
    )
    return room


@pytest.fixture
def rooms(db):
    """``rooms("ABCD", seats=3)``: a room of the game to answer for."""
    return make_room


def seed_room(server, code: str, seats: int = 40, finished_days_ago: float | None = None) -> None:
    """``make_room`` in a live server's own database."""
    server.manage(
        "shell",
        "-c",
        "from tests.surveys.conftest import make_room; "
        f"make_room({code!r}, {seats!r}, finished_days_ago={finished_days_ago!r})",
    )


def respondent_in(jar, code: str) -> str:
    """The respondent token a browser's cookie jar holds for room ``code`` (signed value:
    ``token|seat:signature``)."""
    value = next(c.value for c in jar if c.name == f"vk_survey_{code}")
    return value.strip('"').split("|", 1)[0]
