"""Whole games through the websocket consumer: host, reader, three players."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def seat_room(make_room, clients, names=("Aki", "Ben", "Chie"), **options):
    """A room with a host, a reader seat and players; returns (host, reader, players)."""
    code, token = await make_room(**options)
    host = await clients(code)
    snap = await host.hello("host", token)
    assert snap["room"]["state"] == "lobby"
    reader = await clients(code)
    await reader.join("Reader")
    players = []
    for name in names:
        client = await clients(code)
        await client.join(name)
        players.append(client)
    await host.send("reader", seat=reader.seat)
    assert (await host.expect("reader"))["seat"] == reader.seat
    return host, reader, players


async def test_it_plays_a_whole_game_to_the_ranking(make_room, clients):
    """Every card taken, scores and ranking right, the answer only for host and reader."""
    host, reader, players = await seat_room(make_room, clients, lang="en")
    await host.send("start")
    started = await players[0].expect("started")
    assert len(started["board"]) == 24
    assert len({c["number"] for c in started["board"]}) == 24
    # Everybody sees the same layout.
    other = await players[2].expect("started")
    assert [c["id"] for c in other["board"]] == [c["id"] for c in started["board"]]
    names = {c["id"]: c["name"]["en"] for c in started["board"]}

    taken_by: dict[int, list[str]] = {p.seat: [] for p in players}
    winners = [0, 0, 1, 2]  # Aki takes half the cards, Ben and Chie a quarter each
    for turn in range(24):
        reading = await reader.expect("reading")
        host_view = await host.expect("reading")
        seen_by_player = await players[1].expect("reading")
        # The reader and the host get the answer; takers only the text.
        assert reading["answer"]["id"] == host_view["answer"]["id"]
        assert "answer" not in seen_by_player
        assert seen_by_player["text"]["en"].startswith("This value")
        assert names[reading["answer"]["id"]] not in seen_by_player["text"]["en"]
        assert seen_by_player["index"] == turn + 1 and seen_by_player["total"] == 24
        answer = reading["answer"]["id"]
        winner = players[winners[turn % 4]]
        await winner.send("take", card=answer)
        assert (await winner.expect("take_result"))["outcome"] == "won"
        for client in (host, reader, *players):
            taken = await client.expect("taken")
            assert taken["card"] == answer and taken["by"] == winner.seat
            assert taken["back"]["concept"]["en"] and taken["back"]["outline"]["en"]
            # No set bonus: a point a card, so score and cards are both the cards taken.
            cards = len(taken_by[winner.seat]) + 1
            assert taken["scores"] == [{"id": winner.seat, "score": cards, "cards": cards}]
        taken_by[winner.seat].append(names[answer])
        await reader.send("next")

    finished = await players[0].expect("finished")
    ranking = finished["ranking"]
    assert [(r["nickname"], r["score"], r["cards"], r["rank"]) for r in ranking] == [
        ("Aki", 12, 12, 1),
        ("Ben", 6, 6, 2),
        ("Chie", 6, 6, 2),
        ("Reader", 0, 0, 4),
    ]
    for row in ranking[:3]:
        assert sorted(c["name"]["en"] for c in row["hand"]) == sorted(taken_by[row["id"]])
    # A screen opened afterwards sees the same final ranking.
    screen = await clients(host.code)
    snap = await screen.hello("screen")
    assert snap["room"]["state"] == "finished"
    assert snap["ranking"] == ranking


@pytest.mark.parametrize("mode", ["penalty", "discuss", "off"])
async def test_it_applies_the_wrong_take_rule(make_room, clients, mode):
    host, reader, (aki, ben, chie) = await seat_room(
        make_room, clients, wrong_take=mode, fields=["sociology"]
    )
    await host.send("start")
    board = (await aki.expect("started"))["board"]
    answer = (await reader.expect("reading"))["answer"]["id"]
    wrong = next(c["id"] for c in board if c["id"] != answer)
    await ben.expect("reading")

    await aki.send("take", card=wrong)
    result = await aki.expect("take_result")
    assert result["outcome"] == "wrong"
    # Every screen hears of it so its counts stay true; in mode "off" none shows it.
    shown = await ben.expect("otetsuki")
    assert (shown["nickname"], shown["card"], shown["mode"]) == ("Aki", wrong, mode)
    assert shown["points"] == (-1 if mode == "penalty" else 0)
    assert shown["wrong"] == 1 and shown["locked"] == (mode == "penalty")

    await aki.send("take", card=answer)
    if mode == "penalty":
        error = await aki.expect("error")
        assert error["code"] == "locked_out"
        await ben.send("take", card=answer)
        taken = await chie.expect("taken")
        assert taken["by"] == ben.seat
    else:
        taken = await chie.expect("taken")
        assert taken["by"] == aki.seat
    await host.send("next")
    await aki.send("sync")
    snap = await aki.expect("snapshot")
    score = {p["nickname"]: p["score"] for p in snap["players"]}
    if mode == "penalty":
        assert score["Aki"] == -1 and score["Ben"] == 1
    else:
        assert score["Aki"] == 1 and score["Ben"] == 0
    assert {p["nickname"]: p["wrong"] for p in snap["players"]}["Aki"] == 1


async def test_it_times_out_a_card_nobody_takes(make_room, clients, monkeypatch):
    from games import rules

    monkeypatch.setattr(rules, "TIME_LIMITS", (0, 1))
    code, token = await make_room(fields=["psychology"], time_limit=1)
    host = await clients(code)
    await host.hello("host", token)
    player = await clients(code)
    await player.join("Aki")
    await host.send("start")
    first = await player.expect("reading")
    assert first["remaining_ms"] <= 1000
    timeout = await player.expect("timeout", timeout=3)
    assert timeout["back"]["name"] and not timeout["skipped"]
    await host.send("next")
    await player.expect("reading")
    # Nobody finds it: the host shows the answer.
    await host.send("skip")
    skipped = await player.expect("timeout")
    assert skipped["skipped"] and skipped["back"]["concept"]
    await host.send("next")
    finished = await player.expect("finished")
    assert finished["ranking"][0]["cards"] == 0


async def test_a_visitor_watches_first_then_joins(make_room, clients):
    code, token = await make_room()
    visitor = await clients(code)
    snap = await visitor.hello("screen")
    assert snap["you"]["role"] == "screen" and snap["room"]["state"] == "lobby"
    snap = await visitor.join("Aki")
    assert snap["you"]["role"] == "player" and snap["you"]["seat"]["nickname"] == "Aki"
    await visitor.send("join", nickname="Aki again")
    assert (await visitor.expect("error"))["code"] == "out_of_turn"


async def test_it_moves_on_by_itself_in_automatic_mode(make_room, clients):
    code, token = await make_room(fields=["psychology"], reader_mode="auto", pause=1)
    host = await clients(code)
    await host.hello("host", token)
    player = await clients(code)
    await player.join("Aki")
    await host.send("start")
    for _ in range(2):
        answer = (await host.expect("reading"))["answer"]["id"]
        await player.send("take", card=answer)
        taken = await player.expect("taken")
        assert 0 < taken["next_in_ms"] <= 1000
    finished = await player.expect("finished", timeout=3)
    assert finished["ranking"][0]["cards"] == 2


async def test_it_gives_set_bonus_for_a_whole_field(make_room, clients):
    code, token = await make_room(fields=["psychology"], set_bonus=True)
    host = await clients(code)
    await host.hello("host", token)
    player = await clients(code)
    await player.join("Aki")
    await host.send("start")
    bonuses = []
    for _ in range(2):
        answer = (await host.expect("reading"))["answer"]["id"]
        await player.send("take", card=answer)
        bonuses.append((await player.expect("taken"))["bonus"])
        await host.send("next")
    assert bonuses == [0, 3]
    assert (await player.expect("finished"))["ranking"][0]["score"] == 5


async def test_the_host_can_hand_the_reader_role_over(make_room, clients):
    host, reader, (aki, ben, chie) = await seat_room(make_room, clients, fields=["sociology"])
    await host.send("start")
    assert "answer" in await reader.expect("reading")
    await host.send("reader", seat=aki.seat)
    handed = await aki.expect_where("reader", seat=aki.seat)
    assert handed["answer"]["id"]
    # Everybody else hears of the hand-over, without the answer.
    assert "answer" not in await ben.expect_where("reader", seat=aki.seat)
    await aki.send("take", card=handed["answer"]["id"])
    assert (await aki.expect("error"))["code"] == "reader_cannot_take"
    await ben.send("take", card=handed["answer"]["id"])
    await ben.expect("taken")
    await reader.send("next")
    assert (await reader.expect("error"))["code"] == "not_reader"
    await aki.send("next")
    reading = await aki.expect("reading")
    assert "answer" in reading
