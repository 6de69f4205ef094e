"""Who may create an assignment and how much: the room's host or staff with the permission,
rate-limited per address, CSRF-checked; nicknames validated as in rooms and capped per
assignment; the debrief's button pre-fills the room's confused values."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.test import Client

from practice.models import Assignment, Enrolment
from tests.practice.conftest import Learner
from tests.practice.test_assignments import create, hosted_room, join

pytestmark = pytest.mark.django_db


def test_only_a_host_or_staff_with_the_permission_may_create(deck):
    room, teacher = hosted_room()
    stranger = Client()
    assert stranger.get(f"/en/practice/assignments/new/?room={room.code}").status_code == 403
    assert create(stranger, room.code).status_code == 403
    assert create(stranger, "").status_code == 403
    staff = User.objects.create_user("ta", password="pw", is_staff=True)
    stranger.force_login(staff)
    assert create(stranger, "").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_assignment"))
    stranger.force_login(User.objects.get(pk=staff.pk))
    made = create(stranger, "", cards="field", field="psychology", values=[])
    assert made.status_code == 302
    assert Assignment.objects.get().card_set == "field:psychology"
    # the creator's session sees it; the staff user has no view permission, but created it
    assert stranger.get(made["Location"]).status_code == 200


def test_the_form_refuses_a_past_deadline_and_no_cards(deck):
    room, teacher = hosted_room()
    past = create(teacher, room.code, deadline="2000-01-01T10:00")
    assert past.status_code == 400 and not Assignment.objects.exists()
    none = create(teacher, room.code, values=[])
    assert none.status_code == 400 and not Assignment.objects.exists()
    assert create(teacher, room.code, rounds=0).status_code == 400


def test_creation_is_rate_limited_per_address(deck, settings):
    settings.PRACTICE_ASSIGNMENTS_PER_ADDRESS = "2/h"
    cache.clear()
    room, teacher = hosted_room()
    assert create(teacher, room.code).status_code == 302
    assert create(teacher, room.code).status_code == 302
    limited = create(teacher, room.code)
    assert limited.status_code == 429
    assert Assignment.objects.count() == 2
    cache.clear()


def test_csrf_is_checked(deck):
    room, _teacher = hosted_room()
    from games.play_views import SESSION_KEY

    strict = Client(enforce_csrf_checks=True)
    session = strict.session
    session[SESSION_KEY] = {room.code: room.host_token}
    session.save()
    assert create(strict, room.code).status_code == 403
    page = strict.get(f"/en/practice/assignments/new/?room={room.code}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert create(strict, room.code, csrfmiddlewaretoken=token).status_code == 302


@pytest.fixture
def code(deck):
    room, teacher = hosted_room()
    create(teacher, room.code)
    return Assignment.objects.get().code


def test_nicknames_are_checked_as_in_rooms(code):
    aki = Learner()
    assert join(aki, code, "Aki").status_code == 302
    bad = join(Learner(), code, "fuck")
    assert bad.status_code == 400 and "not allowed" in bad.content.decode()
    alike = join(Learner(), code, "Аki")  # a Cyrillic А
    assert (
        alike.status_code == 400 and "Another student has this nickname" in alike.content.decode()
    )
    assert join(Learner(), code, "  ").status_code == 400
    # the same learner renames itself: one enrolment
    assert join(aki, code, "Aki K").status_code == 302
    assert list(Enrolment.objects.values_list("nickname", flat=True)) == ["Aki K"]


def test_the_number_of_students_is_capped(code, settings):
    settings.PRACTICE_ASSIGNMENT_STUDENTS_MAX = 2
    assert join(Learner(), code, "One").status_code == 302
    assert join(Learner(), code, "Two").status_code == 302
    full = join(Learner(), code, "Three")
    assert full.status_code == 400 and "full" in full.content.decode()
    assert Enrolment.objects.count() == 2


def test_the_debrief_button_prefills_the_rooms_confused_values(deck):
    from games import services
    from games.models import BoardCard, Seat, Take
    from games.rules import HOST
    from games.selectors import Actor

    room, teacher = hosted_room()
    services.seat_join(code=room.code, nickname="Aki")
    services.room_start(code=room.code, actor=Actor(HOST))
    cards = list(BoardCard.objects.filter(room=room).order_by("read_order"))
    seat = Seat.objects.get(room=room)
    for read, taken in ((0, 1), (0, 2), (3, 0)):
        Take.objects.create(room=room, seat=seat, card=cards[taken], read_card=cards[read],
                            correct=False)  # fmt: skip
    confused = sorted({cards[i].value_type.number for i in (0, 1, 2, 3)})
    debrief = teacher.get(f"/en/play/{room.code}/debrief/").content.decode()
    link = re.search(r'href="([^"]*assignments/new/[^"]*)"', debrief)
    assert link, "the debrief links to a new assignment"
    form = teacher.get(unescape_url(link.group(1))).content.decode()
    checked = sorted(int(n) for n in re.findall(r'name="values" value="(\d+)"[^>]*checked', form))
    assert checked == confused
    assert re.search(r'value="list"[^>]*checked', form)
    # a stranger's debrief (403) shows no button, and the form refuses them
    assert Client().get(unescape_url(link.group(1))).status_code == 403


def unescape_url(url: str) -> str:
    return url.replace("&amp;", "&")
