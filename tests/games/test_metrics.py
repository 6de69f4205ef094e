"""/metrics: what an operator scrapes (Prometheus text), from this machine or by staff only."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def sample(text: str, name: str, *, default: float | None = None, **labels) -> float:
    label = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}{re.escape('{' + label + '}') if label else ''} (\S+)$"
    found = re.search(pattern, text, re.M)
    if found is None and default is not None:
        return default  # a labelled counter appears once it was first counted
    assert found, f"{name} {labels} not in the metrics"
    return float(found.group(1))


async def test_it_counts_sockets_relays_rooms_and_takes(host_and, async_client):
    async def scrape() -> str:
        response = await async_client.get("/metrics", REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    before = await scrape()
    code, host, (aki,) = await host_and("Aki", fields=["psychology"])
    await host.send("start")
    answer = (await host.expect("reading"))["answer"]["id"]
    await aki.send("take", card=answer)
    await aki.expect("take_result")
    await aki.send("take", card=answer)
    await aki.expect("error")

    now = await scrape()
    assert sample(now, "karuta_websockets_open") == sample(before, "karuta_websockets_open") + 2
    assert sample(now, "karuta_relays") == sample(before, "karuta_relays") + 1
    assert sample(now, "karuta_rooms", state="taken") == 1
    assert sample(now, "karuta_rooms", state="lobby") == 0
    for outcome in ("won", "card_taken"):
        was = sample(before, "karuta_takes_total", outcome=outcome, default=0)
        assert sample(now, "karuta_takes_total", outcome=outcome) == was + 1
    taken = sample(now, "karuta_take_seconds_count") - sample(before, "karuta_take_seconds_count")
    assert taken == 2 and sample(now, "karuta_take_seconds_sum") > 0


def test_it_is_for_this_machine_or_staff_only(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    # force_login: client.login() passes no request, which the login throttle (axes) refuses.
    client.force_login(User.objects.create_user("someone", password="pw-for-tests-only"))
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    client.force_login(
        User.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    )
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
