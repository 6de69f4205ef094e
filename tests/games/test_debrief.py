"""The debrief of a game played over the protocol with a scripted pattern of wrong takes: the
confusion pairs and the cards, exactly, from ``game_report`` as CSV and as text (ja, en)."""

import csv
import io
from collections import Counter

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command

from tests.games.test_consumers import seat_room

pytestmark = pytest.mark.django_db(transaction=True)


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("game_report", *args, stdout=out)
    return out.getvalue()


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # UTF-8 with BOM: a spreadsheet reads the Japanese right
    return list(csv.reader(io.StringIO(text[1:])))


async def play_scripted_game(make_room, clients):
    """Seven cards (economics), the wrong-take rule "discuss" (no lock-out). Per reading, in
    reading order: 0) Aki taps one wrong card twice, Ben another once, then Ben takes it;
    1) Ben taps a wrong card, Aki takes it; 2) nobody is wrong, Aki takes it; 3) the host shows
    the answer after a wrong tap by Aki; 4) to 6) Aki taps the same wrong card as in 0 (while it
    lies on the board), Ben takes it. Returns the room's code, the expected pairs and the
    expected cards as (number, outcome, wrong takes before it) in reading order."""
    host, reader, (aki, ben) = await seat_room(
        make_room, clients, names=("Aki", "Ben"), wrong_take="discuss", fields=["economics"]
    )
    code = aki.code
    await host.send("start")
    board = (await aki.expect("started"))["board"]
    number_of = {c["id"]: c["number"] for c in board}
    gone: set[int] = set()
    pairs: Counter = Counter()
    cards: list[tuple[int, str, int]] = []
    first_wrong = None

    async def wrong(player, answer: int, avoid: int | None = None) -> int:
        choices = [i for i in number_of if i != answer and i not in gone and i != avoid]
        card = choices[0]
        await player.send("take", card=card)
        assert (await player.expect_where("take_result", card=card))["outcome"] == "wrong"
        pairs[(number_of[answer], number_of[card])] += 1
        return card

    for turn in range(len(board)):
        answer = (await reader.expect("reading"))["answer"]["id"]
        before = 0
        if turn == 0:
            first_wrong = await wrong(aki, answer)
            await aki.send("take", card=first_wrong)  # the same wrong card again: counts twice
            assert (await aki.expect_where("take_result", card=first_wrong))["outcome"] == "wrong"
            pairs[(number_of[answer], number_of[first_wrong])] += 1
            await wrong(ben, answer, avoid=first_wrong)
            before, taker = 3, ben
        elif turn == 1:
            await wrong(ben, answer)
            before, taker = 1, aki
        elif turn == 2:
            taker = aki
        elif turn == 3:
            await wrong(aki, answer)
            await host.send("skip")
            await host.expect("timeout")
            cards.append((number_of[answer], "skipped", 1))
            gone.add(answer)
            await host.send("next")
            continue
        else:
            if first_wrong not in gone and first_wrong != answer:
                await aki.send("take", card=first_wrong)
                assert (await aki.expect_where("take_result", card=first_wrong))[
                    "outcome"
                ] == "wrong"
                pairs[(number_of[answer], number_of[first_wrong])] += 1
                before = 1
            taker = ben
        await taker.send("take", card=answer)
        assert (await taker.expect_where("take_result", card=answer))["outcome"] == "won"
        await host.expect_where("taken", by=taker.seat)
        cards.append((number_of[answer], "taken", before))
        gone.add(answer)
        await host.send("next")
    await host.expect("finished")
    return code, pairs, cards


async def test_the_confusion_map_of_a_scripted_game_is_exact(make_room, clients):
    code, pairs, cards = await play_scripted_game(make_room, clients)
    from games.models import ValueType

    names = await database_sync_to_async(
        lambda: {v.number: (v.name_en, v.name_ja) for v in ValueType.objects.all()}
    )()

    rows = rows_of(await database_sync_to_async(report)(code, "--format", "csv"))
    assert rows[0] == ["read_number", "read_value", "taken_number", "taken_value", "count"]
    expected = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    assert rows[1:] == [
        [str(r), names[r][0], str(t), names[t][0], str(n)] for (r, t), n in expected
    ]
    assert sum(int(row[4]) for row in rows[1:]) == sum(pairs.values())

    card_rows = rows_of(await database_sync_to_async(report)(code, "--cards", "--format", "csv"))
    assert card_rows[0] == ["number", "value", "outcome", "takes_before", "reading_to_take_ms"]
    assert [(int(r[0]), r[2], int(r[3])) for r in card_rows[1:]] == cards
    for row in card_rows[1:]:
        assert row[1] == names[int(row[0])][0]
        if row[2] == "taken":
            assert 0 <= int(row[4]) < 60_000
        else:
            assert row[4] == ""

    text = await database_sync_to_async(report)(code)
    (top_read, top_taken), top_count = expected[0]
    assert (
        f"{top_count:>3}  {top_read:>2} {names[top_read][0]} → {top_taken:>2} {names[top_taken][0]}"
        in text
    )
    ja = await database_sync_to_async(report)(code, "--lang", "ja")
    assert f"{top_read:>2} {names[top_read][1]} → {top_taken:>2} {names[top_taken][1]}" in ja
    assert "取り違え" in ja
    ja_cards = await database_sync_to_async(report)(code, "--cards", "--lang", "ja")
    assert "答えを表示" in ja_cards and "取られた" in ja_cards


async def test_a_game_without_wrong_takes_says_so(make_room, clients):
    host, reader, (aki,) = await seat_room(make_room, clients, names=("Aki",), fields=["sociology"])
    await host.send("start")
    board = (await aki.expect("started"))["board"]
    for _ in board:
        answer = (await reader.expect("reading"))["answer"]["id"]
        await aki.send("take", card=answer)
        await host.expect_where("taken", by=aki.seat)
        await host.send("next")
    await host.expect("finished")
    rows = rows_of(await database_sync_to_async(report)(aki.code, "--format", "csv"))
    assert rows == [["read_number", "read_value", "taken_number", "taken_value", "count"]]
    assert "No wrong takes" in await database_sync_to_async(report)(aki.code)


async def test_a_research_group_sums_its_rooms(make_room, clients):
    first, pairs, _ = await play_scripted_game(make_room, clients)
    second, more, _ = await play_scripted_game(make_room, clients)
    from surveys.models import Group, GroupRoom

    def file_rooms():
        group = Group.objects.create(name="Seminar 3")
        GroupRoom.objects.create(group=group, room_code=first)
        GroupRoom.objects.create(group=group, room_code=second)

    await database_sync_to_async(file_rooms)()
    rows = rows_of(await database_sync_to_async(report)("--group", "Seminar 3", "--format", "csv"))
    summed = pairs + more
    expected = sorted(summed.items(), key=lambda item: (-item[1], item[0]))
    assert [(int(r[0]), int(r[2]), int(r[4])) for r in rows[1:]] == [
        (read, taken, count) for (read, taken), count in expected
    ]
