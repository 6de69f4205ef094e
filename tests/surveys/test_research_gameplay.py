"""Gameplay beside the questionnaire on the research pages, person by person: a game played over
the protocol with a known pattern of wrong takes per seat, questionnaires answered from those
seats (and one from the plain link, without a seat), then the research page, its CSV files and
the long export checked number by number. Nothing that identifies a player is shown."""

import csv
import io
import statistics
from collections import Counter
from html.parser import HTMLParser

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command
from django.test import Client
from scipy import stats

from tests.games.conftest import clients, make_room  # noqa: F401  (fixtures)
from tests.games.test_consumers import seat_room

pytestmark = pytest.mark.django_db(transaction=True)
NAMES = ("Aki", "Ben", "Chie", "Dan")
# The nicknames typed: distinctive enough that finding one in a page or file means a leak.
NICKNAMES = {"Aki": "Akizuki", "Ben": "Benedikt", "Chie": "Chiemiko", "Dan": "Danuta"}


async def play_known_game(make_room, clients):  # noqa: F811
    """Seven cards (economics), wrong takes shown for discussion (no lock-out). Per reading, in
    reading order a0…a6: Ben takes a0 and a1, Chie a2, Dan a3; at a4 Ben, Chie and Dan each
    tap the first other card left on the board (w), then Aki takes a4; at a5 Chie taps a6,
    then Aki takes a5; Aki takes a6. Every wrong take comes after the player's own takes, so
    the values a player confused are never ones they took. Figures per seat:

        Aki  3 taken, 0 wrong, 100 %       Ben  2 taken, 1 wrong, 67 %
        Chie 1 taken, 2 wrong,  33 %       Dan  1 taken, 1 wrong, 50 %

    Returns the room code, {name: seat id}, the value numbers in reading order, w's number,
    and the expected pairs."""
    host, reader, players = await seat_room(
        make_room,
        clients,
        names=tuple(NICKNAMES.values()),
        wrong_take="discuss",
        fields=["economics"],
    )
    by_name = dict(zip(NAMES, players, strict=True))
    await host.send("start")
    board = (await players[0].expect("started"))["board"]
    number_of = {c["id"]: c["number"] for c in board}
    gone: set[int] = set()
    read: list[int] = []
    pairs: Counter = Counter()
    w = None

    async def tap_wrong(name: str, answer: int) -> int:
        card = next(c["id"] for c in board if c["id"] != answer and c["id"] not in gone)
        await by_name[name].send("take", card=card)
        result = await by_name[name].expect_where("take_result", card=card)
        assert result["outcome"] == "wrong"
        pairs[(number_of[answer], number_of[card])] += 1
        return number_of[card]

    takers = ["Ben", "Ben", "Chie", "Dan", "Aki", "Aki", "Aki"]
    for turn, taker in enumerate(takers):
        answer = (await reader.expect("reading"))["answer"]["id"]
        read.append(number_of[answer])
        if turn == 4:
            for name in ("Ben", "Chie", "Dan"):
                w = await tap_wrong(name, answer)
        if turn == 5:
            await tap_wrong("Chie", answer)
        player = by_name[taker]
        await player.send("take", card=answer)
        assert (await player.expect_where("take_result", card=answer))["outcome"] == "won"
        await host.expect_where("taken", by=player.seat)
        gone.add(answer)
        await host.send("next")
    await host.expect("finished")
    seats = {name: client.seat for name, client in by_name.items()}
    return players[0].code, seats, read, w, pairs


def answer_questionnaires(code: str, seats: dict, read: list[int], group_name: str):
    """The players answer from their end screens (seat kept); someone else from the plain
    room link (no seat). B2, D2 and A2 are known per person."""
    from games.deck import read_fixture
    from games.models import ValueType
    from surveys.aliases import load_aliases
    from surveys.models import Group, GroupRoom
    from surveys.services import response_submit

    load_aliases(read_fixture())
    group = Group.objects.create(name=group_name)
    GroupRoom.objects.create(group=group, room_code=code)
    en = dict(ValueType.objects.values_list("number", "name_en"))
    ja = dict(ValueType.objects.values_list("number", "name_ja"))
    a = read
    q2 = {
        "Aki": {"B2": 4, "D2": 4, "A2": [en[a[4]], "Happiness value"]},  # taken; not the deck's
        "Ben": {"B2": 5, "D2": 3, "A2": [ja[a[4]], en[a[0]]]},  # confused; taken
        "Chie": {"B2": 2, "D2": 1, "C2": "=HYPERLINK(1)"},
        "Dan": {"B2": 2, "D2": 3, "A2": [en[a[1]]]},  # Ben took it, Dan never touched it
    }
    ids = {}
    for name, answers in q2.items():
        response, created = response_submit(
            room_code=code, questionnaire=2, respondent=f"token-{name}", gender="woman",
            age_band="20s", nationality="", answers=answers, seat_id=seats[name],
        )  # fmt: skip
        assert created
        ids[name] = response.export_id
    q1, _ = response_submit(
        room_code=code, questionnaire=1, respondent="token-Aki", gender="woman",
        age_band="20s", nationality="", answers={"A": "satisfied"}, seat_id=seats["Aki"],
    )  # fmt: skip
    ids["Aki Q1"] = q1.export_id
    plain, _ = response_submit(
        room_code=code, questionnaire=2, respondent="token-plain", gender="man",
        age_band="30s", nationality="", answers={"B2": 1, "D2": 5, "A2": [en[a[0]]]},
    )  # fmt: skip
    ids["no seat"] = plain.export_id
    return group, ids, en, ja


def staff() -> Client:
    from django.contrib.auth.models import User

    user = User.objects.filter(username="staff").first() or User.objects.create_superuser(
        "staff", "staff@example.org", "pw-staff-123456"
    )
    client = Client()
    client.force_login(user)
    return client


class Tables(HTMLParser):
    """The text of each cell of each table with an id: {id: [[cell, ...], ...]}."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = None
        self.row = None
        self.cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self.current = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def report(*args: str) -> bytes:
    out = io.StringIO()
    call_command("game_report", *args, stdout=out)
    return out.getvalue().encode("utf-8")


def medians(code: str) -> dict[int, int]:
    """Each seat's median reading-to-take time, from the cards as game_report lists them."""
    from games.models import BoardCard

    cards = list(csv.reader(io.StringIO(report(code, "--cards", "--format", "csv").decode()[1:])))
    by_number = {int(r[0]): int(r[4]) for r in cards[1:] if r[4]}
    taken = BoardCard.objects.filter(room__code=code).values_list(
        "taken_by_id", "value_type__number"
    )
    times: dict[int, list[int]] = {}
    for seat, number in taken:
        times.setdefault(seat, []).append(by_number[number])
    return {seat: round(statistics.median(ms)) for seat, ms in times.items()}


async def test_each_seat_s_game_is_shown_beside_its_answers(make_room, clients):  # noqa: F811
    code, seats, a, w, pairs = await play_known_game(make_room, clients)
    # The three wrong takes at a4 all tapped w; Chie's at a5 tapped a6.
    assert pairs == Counter({(a[4], w): 3, (a[5], a[6]): 1})
    assert w in (a[5], a[6])

    def check():
        group, ids, en, ja = answer_questionnaires(code, seats, a, "Camp 2026")
        took = medians(code)
        page = staff().get(f"/en/survey/research/group/{group.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        tables = Tables(html).tables

        # Person by person: figures beside answers, no nickname anywhere.
        rows = {r[0]: r for r in tables["gameplay-seats"][1:]}
        assert set(rows) == {f"{ids['Aki Q1']}, {ids['Aki']}", ids["Ben"], ids["Chie"], ids["Dan"]}
        aki = rows[f"{ids['Aki Q1']}, {ids['Aki']}"]
        ben, chie, dan = rows[ids["Ben"]], rows[ids["Chie"]], rows[ids["Dan"]]
        header = tables["gameplay-seats"][0]
        assert header == [
            "Respondent", "Room", "Cards taken", "Wrong takes", "Accuracy", "Values confused",
            "Median reading to take", "B2", "D2", "A2: values named",
        ]  # fmt: skip
        assert aki[1:5] == [code, "3", "0", "100%"] and aki[5] == "0"
        assert ben[1:5] == [code, "2", "1", "67%"]
        assert chie[1:5] == [code, "1", "2", "33%"]
        assert dan[1:5] == [code, "1", "1", "50%"]
        names = lambda *numbers: ", ".join(en[n] for n in sorted(numbers))  # noqa: E731
        assert ben[5] == f"2 ({names(a[4], w)})"
        assert dan[5] == f"2 ({names(a[4], w)})"
        assert chie[5] == f"3 ({names(a[4], a[5], a[6])})"
        for row, name in ((aki, "Aki"), (ben, "Ben"), (chie, "Chie"), (dan, "Dan")):
            assert row[6] == f"{took[seats[name]]} ms", name
        assert [r[7:9] for r in (aki, ben, chie, dan)] == [["4", "4"], ["5", "3"], ["2", "1"],
                                                           ["2", "3"]]  # fmt: skip
        assert aki[9] == f"{en[a[4]]} (taken) Happiness value (not a deck value)"
        assert ben[9] == f"{ja[a[4]]} (confused) {en[a[0]]} (taken)"
        assert chie[9] == "—"
        assert dan[9] == f"{en[a[1]]} (neither)"
        for nickname in NICKNAMES.values():
            assert nickname not in html

        # B2 by accuracy band, and the rank correlation with scipy's numbers.
        assert "below 50%" in html and "80% and above" in html
        assert tables["gameplay-bands"][1:] == [
            ["below 50%", "1", "2.00", "1", "1.00"],
            ["50% to under 80%", "2", "3.50", "2", "3.00"],
            ["80% and above", "1", "4.00", "1", "4.00"],
        ]
        accuracy = [1.0, 2 / 3, 1 / 3, 1 / 2]
        b2 = stats.spearmanr(accuracy, [4, 5, 2, 2])
        d2 = stats.spearmanr(accuracy, [4, 3, 1, 3])
        assert tables["gameplay-correlation"][1:] == [
            ["B2 How well do you understand value?", "4", f"{b2.statistic:.3f}",
             f"{b2.pvalue:.3f}"],
            ["D2 Please tell us about the difficulty level of Value Karuta.", "4",
             f"{d2.statistic:.3f}", f"{d2.pvalue:.3f}"],
        ]  # fmt: skip
        assert tables["gameplay-correlation"][1][2:] == ["0.738", "0.262"]
        assert tables["gameplay-correlation"][2][2:] == ["0.949", "0.051"]

        # A2: how many values named were taken, confused, neither, or not in the deck.
        assert tables["gameplay-a2"][1:] == [["5", "2", "1", "1", "1"]]

        # The group's confusion map, most frequent first, names in the page's language.
        assert tables["group-confusion"][1:] == [
            [f"{a[4]} {en[a[4]]}", f"{w} {en[w]}", "3"],
            [f"{a[5]} {en[a[5]]}", f"{a[6]} {en[a[6]]}", "1"],
        ]

        # The CSV files: the same bytes as game_report.
        base = f"/en/survey/research/group/{group.pk}"
        assert f'href="{base}/confusion.csv"' in html
        assert f'href="{base}/room/{code}/cards.csv"' in html
        pairs_csv = staff().get(f"{base}/confusion.csv")
        assert pairs_csv["Content-Type"].startswith("text/csv")
        pairs_bytes = body(pairs_csv)
        assert pairs_bytes == report("--group", "Camp 2026", "--format", "csv")
        assert pairs_bytes.startswith("\ufeffread_number,".encode()) and b"\r\n" in pairs_bytes
        cards_csv = staff().get(f"{base}/room/{code}/cards.csv")
        assert body(cards_csv) == report(code, "--cards", "--format", "csv")
        assert staff().get(f"{base}/room/NOTOURS/cards.csv").status_code == 404

        # The long export: the seat's game figures on each of its rows, empty without a seat.
        long = body(staff().get(f"{base}/responses-long.csv")).decode("utf-8")
        assert long.startswith("\ufeff")
        for nickname in NICKNAMES.values():
            assert nickname not in long
        rows = list(csv.DictReader(io.StringIO(long[1:])))
        assert list(rows[0])[-6:] == [
            "game_cards_taken", "game_wrong_takes", "game_accuracy", "game_values_confused",
            "game_median_take_ms", "value_in_game",
        ]  # fmt: skip

        def figures(respondent):
            found = {
                tuple(r[k] for k in list(rows[0])[-6:-1]) for r in rows
                if r["respondent"] == respondent
            }  # fmt: skip
            assert len(found) == 1, found
            return found.pop()

        ms = {name: str(took[seats[name]]) for name in NAMES}
        assert figures(ids["Aki"]) == ("3", "0", "1.0", "0", ms["Aki"])
        assert figures(ids["Aki Q1"]) == ("3", "0", "1.0", "0", ms["Aki"])
        assert figures(ids["Ben"]) == ("2", "1", "0.6667", "2", ms["Ben"])
        assert figures(ids["Chie"]) == ("1", "2", "0.3333", "3", ms["Chie"])
        assert figures(ids["Dan"]) == ("1", "1", "0.5", "2", ms["Dan"])
        assert figures(ids["no seat"]) == ("", "", "", "", "")
        a2 = [(r["respondent"], r["answer"], r["value_in_game"]) for r in rows
              if r["question"] == "A2"]  # fmt: skip
        assert a2 == [
            (ids["Aki"], en[a[4]], "taken"),
            (ids["Aki"], "Happiness value", ""),
            (ids["Ben"], ja[a[4]], "confused"),
            (ids["Ben"], en[a[0]], "taken"),
            (ids["Dan"], en[a[1]], "neither"),
            (ids["no seat"], en[a[0]], ""),
        ]
        assert {r["value_in_game"] for r in rows if r["question"] != "A2"} == {""}
        chie_c2 = next(r for r in rows if r["respondent"] == ids["Chie"] and r["question"] == "C2")
        assert chie_c2["answer"] == "'=HYPERLINK(1)"  # formula-safe as ever

        # In Japanese: the labels and the value names.
        ja_html = staff().get(f"/ja/survey/research/group/{group.pk}/").content.decode()
        ja_tables = Tables(ja_html).tables
        assert ja_tables["gameplay-seats"][0][2:5] == ["取った札", "お手つきの数", "正答率"]
        assert "50% 未満" in ja_html and "スピアマン" in ja_html
        assert "区分：50% 未満、50% 以上 80% 未満、80% 以上" in ja_html  # the bands, said
        assert "Bands: below 50%, 50% to under 80%, 80% and above" in html
        assert ja_tables["group-confusion"][1][0] == f"{a[4]} {ja[a[4]]}"
        assert ja_tables["gameplay-a2"][0][0] == "挙げられた価値"

    await database_sync_to_async(check)()


async def test_a_group_sums_the_confusion_maps_of_its_rooms(make_room, clients, monkeypatch):  # noqa: F811
    first, _seats, _a, _w, pairs = await play_known_game(make_room, clients)
    second, _seats, _a, _w, more = await play_known_game(make_room, clients)

    def check():
        from surveys.models import Group, GroupRoom

        group = Group.objects.create(name="Two rooms")
        GroupRoom.objects.create(group=group, room_code=first)
        GroupRoom.objects.create(group=group, room_code=second)
        GroupRoom.objects.create(group=group, room_code="GONE99")  # expired: no room left
        html = staff().get(f"/en/survey/research/group/{group.pk}/").content.decode()
        shown = [
            (int(r[0].split()[0]), int(r[1].split()[0]), int(r[2]))
            for r in Tables(html).tables["group-confusion"][1:]
        ]
        summed = pairs + more
        assert shown == [
            (r, t, n) for (r, t), n in sorted(summed.items(), key=lambda i: (-i[1], i[0]))
        ]
        # Nobody answered from a seat: the page says so instead of an empty table.
        assert "No questionnaire was answered from a player's end screen" in html
        assert "gameplay-seats" not in html
        csv_bytes = body(staff().get(f"/en/survey/research/group/{group.pk}/confusion.csv"))
        assert csv_bytes == report("--group", "Two rooms", "--format", "csv")
        # Seats are read a thousand at a time; in batches of three the figures are the same.
        from games.models import Seat
        from surveys import gameplay

        ids = list(Seat.objects.values_list("pk", flat=True))
        whole = gameplay.figures_for_seats(ids)
        assert len(whole) == len(ids) == 10 and sum(f.wrong for f in whole.values()) == 8
        monkeypatch.setattr(gameplay, "SEATS_PER_QUERY", 3)
        assert gameplay.figures_for_seats(ids) == whole

    await database_sync_to_async(check)()


def test_too_few_players_for_a_rank_correlation_say_so():
    from surveys.analysis import rank_correlation

    assert rank_correlation([0.5, 1.0], [3, 4])["verdict"] == "too_few"
    assert rank_correlation([0.5, 1.0, 0.2], [3, 3, 3])["verdict"] == "constant"
    assert rank_correlation([1.0, 1.0, 1.0], [1, 2, 3])["verdict"] == "constant"
    result = rank_correlation([0.2, 0.5, 1.0], [1, 2, 3])
    assert (result["verdict"], result["n"], round(result["rho"], 3)) == ("ok", 3, 1.0)


def test_a_research_page_without_games_says_so(admin_client, deck):
    from surveys.models import Group, GroupRoom

    group = Group.objects.create(name="Paper only")
    GroupRoom.objects.create(group=group, room_code="PAPER1")
    html = admin_client.get(f"/en/survey/research/group/{group.pk}/").content.decode()
    assert "No wrong takes in this group's rooms" in html
    assert "No questionnaire was answered from a player's end screen" in html


@pytest.mark.parametrize("who", ["anonymous", "staff without the research permissions"])
def test_only_research_staff_get_the_game_csv_files(client, deck, who):
    from django.contrib.auth.models import User

    from surveys.models import Group, GroupRoom
    from tests.surveys.conftest import make_room as seated_room

    seated_room("GAME01", seats=2)
    group = Group.objects.create(name="Locked")
    GroupRoom.objects.create(group=group, room_code="GAME01")
    if who != "anonymous":
        client.force_login(User.objects.create_user("s", password="pw-s-123456", is_staff=True))
    base = f"/en/survey/research/group/{group.pk}"
    for url in (f"{base}/confusion.csv", f"{base}/room/GAME01/cards.csv", f"{base}/"):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403, url
        assert b"read_number" not in response.content and b"number,value" not in response.content
