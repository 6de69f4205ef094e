"""Who may see the answer is decided from data that travels with the event.

Found in a real run with two processes: a ``sync`` in flight while the host took the reader
role away overwrote the socket's cached reader seat with the stale one, and later ``reading``
events still carried the answer to the ex-reader.
"""

import pytest

from games import selectors, services
from games.events import collect
from games.realtime.publish import publish_blocking

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_ex_reader_whose_sync_raced_the_hand_over_never_gets_the_answer(
    host_and, monkeypatch
):
    code, host, (aki, ben) = await host_and("Aki", "Ben", fields=["sociology"])
    await host.send("reader", seat=aki.seat)
    await aki.expect_where("reader", seat=aki.seat)
    await host.send("start")
    answer = (await aki.expect("reading"))["answer"]["id"]
    await ben.send("take", card=answer)
    await aki.expect("taken")

    # Aki's sync reads the room (Aki still the reader); before its answer is sent, the host
    # hands the role to Ben on another process (here: committed and published in between).
    real_snapshot = selectors.snapshot

    def snapshot_racing_the_hand_over(*, code, actor):
        data = real_snapshot(code=code, actor=actor)
        if actor.seat_id == aki.seat:
            with collect() as box:
                services.reader_set(code=code, actor=services.Actor("host"), seat_id=ben.seat)
            publish_blocking(box)
        return data

    monkeypatch.setattr(selectors, "snapshot", snapshot_racing_the_hand_over)
    await aki.send("sync")
    stale = await aki.expect("snapshot")
    assert stale["room"]["reader"] == aki.seat  # what Aki's sync read
    monkeypatch.setattr(selectors, "snapshot", real_snapshot)
    assert (await aki.expect("reader"))["seat"] == ben.seat

    await ben.send("next")  # Ben reads now
    assert "answer" in await ben.expect_where("reading", index=2)
    assert "answer" not in await aki.expect_where("reading", index=2)
    assert "answer" in await host.expect_where("reading", index=2)
