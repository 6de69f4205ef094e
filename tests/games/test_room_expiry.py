"""Rooms expire on a documented schedule (games/expiry.py): lobbies nobody started are deleted,
abandoned games are finished, old finished games are deleted unless a research group lists
them, and expired sessions are cleared, by `manage.py expire_rooms` and by each server."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from games import rules, services
from games.models import Room, Seat
from surveys.models import Group, GroupRoom

pytestmark = pytest.mark.django_db


def room(state: str, **ago) -> Room:
    """A room in ``state``, created (and, when finished, finished) ``ago`` in the past."""
    made = services.room_create(options={"lang": "en"})
    when = timezone.now() - timedelta(**ago)
    Seat.objects.create(room=made, nickname="Aki", token=f"t-{made.code}")
    Room.objects.filter(pk=made.pk).update(
        state=state,
        created_at=when,
        turn_started_at=when if state in (rules.READING, rules.TAKEN) else None,
        finished_at=when if state == rules.FINISHED else None,
    )
    return made


def test_it_applies_the_schedule(deck, capsys):
    old_lobby = room(rules.LOBBY, hours=25)
    new_lobby = room(rules.LOBBY, hours=23)
    abandoned = room(rules.READING, hours=25)
    playing = room(rules.TAKEN, hours=1)
    old_game = room(rules.FINISHED, days=91)
    studied = room(rules.FINISHED, days=400)
    recent_game = room(rules.FINISHED, days=89)
    GroupRoom.objects.create(
        group=Group.objects.create(name="Seminar 2026"), room_code=studied.code
    )
    stale = SessionStore()
    stale["hosted_rooms"] = {old_lobby.code: old_lobby.host_token}
    stale.create()
    Session.objects.filter(pk=stale.session_key).update(expire_date=timezone.now() - timedelta(1))
    live = SessionStore()
    live.create()

    call_command("expire_rooms")

    out = capsys.readouterr().out
    assert "lobbies deleted: 1, abandoned games finished: 1, finished games deleted: 1" in out
    assert "expired sessions cleared: 1" in out
    left = dict(Room.objects.values_list("code", "state"))
    assert left == {
        new_lobby.code: rules.LOBBY,
        abandoned.code: rules.FINISHED,
        playing.code: rules.TAKEN,
        studied.code: rules.FINISHED,
        recent_game.code: rules.FINISHED,
    }
    assert not Seat.objects.filter(room_id__in=[old_lobby.pk, old_game.pk]).exists()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]
    # Applied again, nothing more expires.
    call_command("expire_rooms")
    assert "lobbies deleted: 0, abandoned games finished: 0" in capsys.readouterr().out


def test_an_expired_room_is_gone_for_its_players(deck, client):
    old = room(rules.LOBBY, hours=30)
    call_command("expire_rooms")
    assert client.get(f"/en/play/{old.code}/").status_code == 404
