"""The end screen's questionnaire QR code points at the room's questionnaire."""

import pytest

from games import services

pytestmark = pytest.mark.django_db


def test_the_survey_qr_encodes_the_questionnaire_link(client, deck):
    room = services.room_create()
    join = client.get(f"/en/play/{room.code}/qr.svg")
    survey = client.get(f"/en/play/{room.code}/qr.svg?for=survey")
    assert join.status_code == survey.status_code == 200
    assert survey["Content-Type"] == "image/svg+xml"
    assert f"http://testserver/en/survey/room/{room.code}/" in survey.content.decode()
    assert f"http://testserver/en/play/{room.code}/" in join.content.decode()
    assert "/survey/" not in join.content.decode()
