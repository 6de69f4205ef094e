"""Creating a room when no free code can be drawn says so in the page's language (no 500)."""

import random

import pytest
from django.urls import reverse
from django.utils import translation

from games import rules, services
from games.models import Room

pytestmark = pytest.mark.django_db


def test_a_full_code_space_gets_a_clear_answer_not_a_server_error(client, deck, monkeypatch):
    services.room_create(rng=random.Random(1))
    Room.objects.update(code="ACDEF")
    monkeypatch.setattr(rules, "new_code", lambda rng: "ACDEF")  # every draw is taken
    with translation.override("ja"):  # the page's language is in its address
        response = client.post(reverse("play_create"))
    assert response.status_code == 503
    assert "空いているルームコードが見つかりませんでした" in response.content.decode()
    with pytest.raises(rules.RuleError) as refused:
        services.room_create()
    assert refused.value.code == "no_code"
