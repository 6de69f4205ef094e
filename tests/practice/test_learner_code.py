"""'Continue on another device': a short code adopts the same learner; wrong codes are
throttled per address; a code expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from practice.models import Device, Memory
from practice.models import Learner as LearnerRow
from tests.practice.conftest import Learner, a_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_other_device_continues_the_same_learner(deck):
    phone, laptop = Learner(), Learner()
    phone.post("results/", a_round())
    shown = phone.post("code/", {}).json()
    code = shown["code"]
    assert len(code.replace("-", "")) == 8 and shown["hours"] == 24
    adopted = laptop.post("adopt/", {"code": code.lower().replace("-", " ")})
    assert adopted.status_code == 200
    # the laptop is now the phone's learner: its results go into the same memory
    laptop.post("results/", a_round(rounds=[{"read": 5, "wrong": [], "ms": 1000}], elapsed_ms=2000))
    assert LearnerRow.objects.filter(memories__isnull=False).distinct().count() == 1
    assert Memory.objects.count() == 4
    assert Device.objects.filter(learner__memories__value_type__number=5).distinct().count() == 2


def test_no_token_is_stored_in_the_clear(deck):
    phone = Learner()
    assert not Device.objects.filter(token_hash=phone.token).exists()


def test_a_wrong_or_expired_code_adopts_nothing(deck):
    phone, laptop = Learner(), Learner()
    code = phone.post("code/", {}).json()["code"]
    wrong = laptop.post("adopt/", {"code": "2222-2222"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "bad_code"
    LearnerRow.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
    assert laptop.post("adopt/", {"code": code}).status_code == 400


def test_wrong_codes_are_throttled_per_address(deck, settings):
    settings.PRACTICE_CODE_FAILURES = "3/h"
    phone, guesser = Learner(), Learner()
    code = phone.post("code/", {}).json()["code"]
    for _ in range(3):
        assert guesser.post("adopt/", {"code": "2345-6789"}).status_code == 400
    refused = guesser.post("adopt/", {"code": code})  # even the right code, while it waits
    assert refused.status_code == 429 and refused.json()["error"] == "code_rate_limited"
    assert Device.objects.filter(learner__devices__isnull=False).count() >= 2
    other_address = guesser.post("adopt/", {"code": code}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
