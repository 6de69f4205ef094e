"""A practice assignment from its host's creation to the teacher's view: three students with
no account complete it (one sends a round twice, one misses a round) through the results
endpoint exactly as the page posts them, and the teacher's page shows each student's rounds and
accuracy, each value's accuracy and the class's confusion map, number by number against the
test's own count. Others get 403; results after the deadline are refused."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from practice.models import Assignment, Result
from tests.practice.conftest import Learner, a_round

pytestmark = pytest.mark.django_db

CARDS = [1, 2, 3]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def hosted_room():
    from games import services
    from games.play_views import SESSION_KEY

    room = services.room_create(options={})
    teacher = Client()
    session = teacher.session
    session[SESSION_KEY] = {room.code: room.host_token}
    session.save()
    return room, teacher


def deadline(days: int = 7) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def create(teacher: Client, room_code: str, **changes):
    form = {
        "title": "Week 2 <values>",
        "cards": "list",
        "values": CARDS,
        "field": "",
        "rounds": 3,
        "deadline": deadline(),
        "room": room_code,
    }
    form.update(changes)
    return teacher.post("/en/practice/assignments/new/", form)


def join(student: Learner, code: str, nickname: str):
    return student.client.post(f"/{student.lang}/practice/a/{code}/join/", {"nickname": nickname})


def round_body(code: str, rounds: list[dict]) -> dict:
    elapsed = sum(r["ms"] for r in rounds)
    return a_round(card_set="cards:1,2,3", assignment=code, rounds=rounds, elapsed_ms=elapsed)


R = lambda read, wrong=(), ms=2000: {"read": read, "wrong": list(wrong), "ms": ms}  # noqa: E731

# What each student plays: rounds of the three cards; a wrong list is the values taken first.
PLAYS = {
    "Aki": [
        [R(1), R(2, [3]), R(3)],
        [R(2), R(1), R(3)],
        [R(3), R(1), R(2)],
    ],
    "Ben": [
        [R(1, [2, 3]), R(2), R(3, [2])],
        [R(3), R(2, [1]), R(1)],
    ],  # one round missing
    "Chi": [
        [R(1), R(2), R(3)],
        [R(1, [2]), R(2, [1]), R(3, [1])],
        [R(2), R(3), R(1)],
    ],
}


@pytest.fixture
def assignment(deck):
    room, teacher = hosted_room()
    made = create(teacher, room.code)
    assert made.status_code == 302, made.content.decode()[:2000]
    found = Assignment.objects.get()
    assert made["Location"] == f"/en/practice/assignments/{found.code}/"
    return found, teacher


def play(code: str) -> dict[str, Learner]:
    students = {}
    for name, rounds in PLAYS.items():
        student = Learner()
        assert join(student, code, name).status_code == 302
        for played in rounds:
            body = round_body(code, played)
            answer = student.post("results/", body)
            assert answer.status_code == 200, answer.json()
            assert answer.json()["stored"] is True
            if name == "Aki" and played is rounds[0]:  # the page sent it again (reconnect)
                again = student.post("results/", body)
                assert again.status_code == 200 and again.json()["stored"] is False
        students[name] = student
    return students


def expected() -> dict:
    per_student, reads, rights, pairs = {}, Counter(), Counter(), Counter()
    for name, rounds in PLAYS.items():
        right = wrong = 0
        for played in rounds:
            for r in played:
                reads[r["read"]] += 1
                if r["wrong"]:
                    wrong += len(r["wrong"])
                    for taken in r["wrong"]:
                        pairs[(r["read"], taken)] += 1
                else:
                    right += 1
                    rights[r["read"]] += 1
        per_student[name] = (len(rounds), right, wrong)
    return {"students": per_student, "reads": reads, "rights": rights, "pairs": pairs}


def test_three_students_complete_it_and_the_teacher_sees_it_exactly(assignment):
    found, teacher = assignment
    assert found.card_set == "cards:1,2,3" and found.rounds == 3
    play(found.code)
    assert Result.objects.filter(assignment_code=found.code).count() == 8  # Aki's resend once
    want = expected()
    page = teacher.get(f"/en/practice/assignments/{found.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Week 2 &lt;values&gt;" in html  # escaped
    for name, (done, right, wrong) in want["students"].items():
        row = re.search(rf'<tr data-student="{name}">(.*?)</tr>', html, re.S)
        assert row, name
        cells = text_of(row.group(1))
        assert f"{done} / 3" in cells, cells
        assert f"{round(100 * right / (right + wrong))} %" in cells, cells
        assert ("Complete" in cells) is (done >= 3), cells
    for number in CARDS:
        row = re.search(rf'<tr data-value="{number}">(.*?)</tr>', html, re.S)
        assert row, number
        cells = text_of(row.group(1))
        read, right = want["reads"][number], want["rights"][number]
        assert f"{right} / {read}" in cells and f"{round(100 * right / read)} %" in cells, cells
    # The confusion map, most-confused first, in the debrief's look (pair blocks).
    blocks = [text_of(b) for b in html.split('<li class="pair">')[1:]]
    shown = {}
    for block in blocks:
        count = int(re.match(r"(\d+) times?", block).group(1))
        numbers = re.findall(r"\b(\d{1,2}) [A-Z]", block)
        shown[(int(numbers[0]), int(numbers[1]))] = count
    assert shown == dict(want["pairs"])
    counts = [c for c in (int(re.match(r"(\d+)", b).group(1)) for b in blocks)]
    assert counts == sorted(counts, reverse=True)
    # The CSVs say the same.
    students_csv = teacher.get(f"/en/practice/assignments/{found.code}/?download=students")
    assert students_csv["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(students_csv.streaming_content).decode("utf-8-sig")))
    )
    assert {
        r["nickname"]: (int(r["rounds_done"]), int(r["right"]), int(r["wrong"])) for r in rows
    } == want["students"]
    pairs_csv = teacher.get(f"/en/practice/assignments/{found.code}/?download=pairs")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(pairs_csv.streaming_content).decode("utf-8-sig")))
    )
    assert {(int(r["read_number"]), int(r["taken_number"])): int(r["count"]) for r in rows} == dict(
        want["pairs"]
    )
    values_csv = teacher.get(f"/en/practice/assignments/{found.code}/?download=values")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(values_csv.streaming_content).decode("utf-8-sig")))
    )
    assert {int(r["number"]): (int(r["right"]), int(r["read"])) for r in rows} == {
        n: (want["rights"][n], want["reads"][n]) for n in CARDS
    }
    # Japanese
    ja = teacher.get(f"/ja/practice/assignments/{found.code}/").content.decode()
    assert "取り違えられた価値" in ja and "完了" in ja


def test_the_student_page_counts_rounds_and_says_when_it_is_complete(assignment):
    found, _teacher = assignment
    student = Learner()
    page = student.client.get(f"/en/practice/a/{found.code}/")
    assert page.status_code == 200 and 'name="nickname"' in page.content.decode()
    assert join(student, found.code, "Dee").status_code == 302
    page = text_of(student.client.get(f"/en/practice/a/{found.code}/").content.decode())
    assert "Round 1 of 3" in page and "Week 2 <values>" in page
    student.post("results/", round_body(found.code, PLAYS["Chi"][0]))
    assert "Round 2 of 3" in text_of(
        student.client.get(f"/en/practice/a/{found.code}/").content.decode()
    )
    answer = student.post("results/", round_body(found.code, PLAYS["Chi"][1])).json()
    assert answer["assignment"] == {"done": 2, "required": 3, "complete": False}
    answer = student.post("results/", round_body(found.code, PLAYS["Chi"][2])).json()
    assert answer["assignment"]["complete"] is True
    page = text_of(student.client.get(f"/en/practice/a/{found.code}/").content.decode())
    assert "Assignment complete" in page
    ja = Learner("ja")
    join(ja, found.code, "えみ")
    assert "3 回中 1 回目" in text_of(
        ja.client.get(f"/ja/practice/a/{found.code}/").content.decode()
    )


def test_someone_else_gets_403_and_staff_need_the_permission(assignment):
    found, _teacher = assignment
    url = f"/en/practice/assignments/{found.code}/"
    assert Client().get(url).status_code == 403
    other_room, other_teacher = hosted_room()
    assert other_teacher.get(url).status_code == 403
    assert other_teacher.get("/en/practice/assignments/ZZZZZZZZZZ/").status_code == 404
    staff = User.objects.create_user("ta", password="pw", is_staff=True)
    viewer = Client()
    viewer.force_login(staff)
    assert viewer.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_assignment"))
    viewer.force_login(User.objects.get(pk=staff.pk))
    assert viewer.get(url).status_code == 200


def test_results_after_the_deadline_are_refused_and_the_page_says_closed(assignment):
    found, _teacher = assignment
    student = Learner()
    join(student, found.code, "Eri")
    first = round_body(found.code, PLAYS["Chi"][0])
    assert student.post("results/", first).json()["stored"] is True
    Assignment.objects.filter(pk=found.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    late = student.post("results/", round_body(found.code, PLAYS["Chi"][1]))
    assert late.status_code == 410 and late.json()["error"] == "assignment_closed"
    assert "closed" in late.json()["message"]
    student.lang = "ja"
    late_ja = student.post("results/", round_body(found.code, PLAYS["Chi"][2]))
    assert late_ja.status_code == 410 and "締め切" in late_ja.json()["message"]
    # A resend of a round stored in time is still answered as stored (once-only protocol).
    assert student.post("results/", first).json()["stored"] is False
    assert Result.objects.filter(assignment_code=found.code).count() == 1
    page = text_of(student.client.get(f"/en/practice/a/{found.code}/").content.decode())
    assert "This assignment is closed" in page and "Your rounds" in page
    assert (
        'id="practice-setup"'
        not in student.client.get(f"/en/practice/a/{found.code}/").content.decode()
    )


def test_a_result_needs_a_nickname_and_the_assignments_cards(assignment):
    found, _teacher = assignment
    student = Learner()
    refused = student.post("results/", round_body(found.code, PLAYS["Chi"][0]))
    assert refused.status_code == 400 and refused.json()["error"] == "no_nickname"
    join(student, found.code, "Fay")
    other = a_round(assignment=found.code)  # field:economics, not the assignment's cards
    assert student.post("results/", other).json()["error"] == "bad_assignment"
    unknown = round_body("NOSUCHCODE2", PLAYS["Chi"][0])
    assert student.post("results/", unknown).json()["error"] == "bad_assignment"
    assert Result.objects.count() == 0
