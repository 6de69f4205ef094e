"""Helpers for the practice tests: a learner's browser and a posted round."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from tests.games.conftest import clients, make_room  # noqa: F401 - the room fixtures, for imports


def a_round(**changes) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "mode": "normal",
        "card_set": "field:economics",
        "pace": "normal",
        "lang": "en",
        "elapsed_ms": 40_000,
        "rounds": [
            {"read": 1, "wrong": [], "ms": 3_000},
            {"read": 2, "wrong": [3], "ms": 9_000},
            {"read": 3, "wrong": [], "ms": 12_000},
        ],
    }
    body.update(changes)
    return body


class Learner:
    """A browser that is a learner: the cookie set by the learner endpoint."""

    def __init__(self, lang: str = "en") -> None:
        self.client = Client(enforce_csrf_checks=False)
        self.lang = lang
        answer = self.post("learner/", {})
        assert answer.status_code == 200
        self.token = answer.json()["token"]

    def post(self, path: str, body, **extra):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.client.post(
            f"/{self.lang}/practice/{path}", data, content_type="application/json", **extra
        )


@pytest.fixture
def learner(deck):
    return Learner()
