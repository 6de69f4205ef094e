"""Research pages, charts and admin exports: staff see them, nobody else sees any data."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from surveys.models import Group, GroupRoom, Response

SECRET = "Only-staff-may-read-this"


@pytest.fixture
def group(aliases):
    group = Group.objects.create(name="Seminar camp")
    GroupRoom.objects.create(group=group, room_code="CAMP")
    answers = [
        ("man", {"A": "satisfied", "A_reason": SECRET, "D": 100, "F": ["Corporate value"]}),
        ("woman", {"A": "neither", "D": 60, "F": ["企業価値"], "G": "=2+3"}),
        ("no_response", {"A": "satisfied", "D": 80}),
    ]
    for i, (gender, a) in enumerate(answers):
        Response.objects.create(questionnaire=1, room_code="CAMP", respondent=f"t{i:020d}",
                                gender=gender, answers=a)  # fmt: skip
    Response.objects.create(questionnaire=2, room_code="CAMP", respondent="t" * 20,
                            gender="woman", answers={"B2": 4, "E2": ["pretty"]})  # fmt: skip
    return group


def urls(group) -> list[str]:
    base = f"/en/survey/research/group/{group.pk}"
    return [
        "/en/survey/research/",
        "/ja/survey/research/",
        f"{base}/",
        f"{base}/tables.csv",
        f"{base}/responses-wide.csv",
        f"{base}/responses-long.csv",
        f"{base}/chart/D.svg",
        f"{base}/chart/F.svg?download=1",
        "/admin/surveys/group/import/",
        "/admin/surveys/response/",
    ]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("who", ["anonymous", "player"])
def test_non_staff_get_no_research_data(client, group, who):
    if who == "player":
        client.force_login(User.objects.create_user("player", password="pw-not-staff-123"))
    for url in urls(group):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"], url
        assert SECRET.encode() not in body(response)
    post = client.post("/admin/surveys/group/", {"action": "export_wide",
                                                 "_selected_action": [group.pk]})  # fmt: skip
    assert post.status_code == 302 and SECRET.encode() not in body(post)


def test_nav_shows_research_to_staff_only(client, admin_user, group):
    assert "/survey/research/" not in client.get("/en/survey/room/X1/").content.decode()
    client.force_login(admin_user)
    assert "/en/survey/research/" in client.get("/en/survey/room/X1/").content.decode()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_staff_see_the_published_table(admin_client, group, lang):
    html = admin_client.get(f"/{lang}/survey/research/group/{group.pk}/").content.decode()
    assert SECRET in html
    if lang == "en":
        assert "Were you satisfied?" in html and "Firm value" in html
        assert "Corporate value" in html  # the original wording is kept beside the mapping
        assert "No response" in html  # someone withheld their gender
        assert "Mann-Whitney" not in html  # nothing compared yet
    else:
        assert "満足しましたか？" in html and "企業価値" in html and "無回答" in html
    assert "<svg" in html
    home = admin_client.get(f"/{lang}/survey/research/").content.decode()
    assert "Seminar camp" in home


def test_staff_compare_groups_and_genders(admin_client, group):
    other = Group.objects.create(name="Business people")
    page = admin_client.get(
        f"/en/survey/research/group/{group.pk}/?compare={other.pk}"
    ).content.decode()
    assert "Groups compared" in page and "Too few responses to say" in page
    by_gender = admin_client.get(f"/en/survey/research/group/{group.pk}/?by=gender")
    assert "Men and women compared" in by_gender.content.decode()


def test_tables_csv_download(admin_client, group):
    response = admin_client.get(f"/en/survey/research/group/{group.pk}/tables.csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["question", "option", "n", "man", "woman", "no_response"]
    assert ["F", "Firm value", "2", "1", "1", "0"] in [r[:6] for r in rows]
    assert ["A", "Dissatisfied", "0", "0", "0", "0"] in [r[:6] for r in rows]
    ja = body(admin_client.get(f"/en/survey/research/group/{group.pk}/tables.csv?lang=ja"))
    assert "企業価値" in ja.decode("utf-8")


def test_charts_are_svg_and_downloadable(admin_client, group):
    chart = admin_client.get(f"/en/survey/research/group/{group.pk}/chart/D.svg")
    assert chart["Content-Type"].startswith("image/svg+xml")
    svg = chart.content.decode()
    assert svg.startswith("<svg") and "How much did you enjoy the game?" in svg
    download = admin_client.get(f"/en/survey/research/group/{group.pk}/chart/E2.svg?download=1")
    assert "attachment" in download["Content-Disposition"]
    # A has ordered options: a diverging (Likert) chart; G is free text: no chart.
    ordered = admin_client.get(f"/en/survey/research/group/{group.pk}/chart/A.svg")
    assert 'data-total="high"' in ordered.content.decode()
    assert admin_client.get(f"/en/survey/research/group/{group.pk}/chart/G.svg").status_code == 404


def test_admin_export_actions_stream_safe_csv(admin_client, group):
    for action, marker in (("export_wide", "A_reason"), ("export_long", "question")):
        response = admin_client.post(
            "/admin/surveys/group/", {"action": action, "_selected_action": [group.pk]}
        )
        assert response.streaming, action
        text = body(response).decode("utf-8")
        assert text.startswith("\ufeff") and marker in text.splitlines()[0]
        assert "'=2+3" in text and ",=2+3" not in text
    tables = admin_client.post(
        "/admin/surveys/group/", {"action": "export_tables", "_selected_action": [group.pk]}
    )
    assert body(tables).decode("utf-8").startswith("\ufeffquestion,option,n,man,woman")
    other = Group.objects.create(name="Other")
    both = admin_client.post(
        "/admin/surveys/group/",
        {"action": "export_tables", "_selected_action": [group.pk, other.pk]},
    )
    text = body(both).decode("utf-8")
    assert text.startswith("\ufeffgroup,question,option") and "\r\nOther,N1," in text
    ids = list(Response.objects.values_list("pk", flat=True)[:2])
    selected = admin_client.post(
        "/admin/surveys/response/", {"action": "export_wide", "_selected_action": ids}
    )
    assert len(body(selected).decode("utf-8").strip().splitlines()) == 3


def test_admin_import_all_or_nothing(admin_client, aliases):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client.cookies["django_language"] = "en"  # the problems are in the admin's language
    bad = SimpleUploadedFile("bad.csv", b"respondent,A\n1,Satisfied\n2,Happy\n")
    page = admin_client.post("/admin/surveys/group/import/",
                             {"file": bad, "questionnaire": 1, "group": "Paper"})  # fmt: skip
    assert "row 3, column A: unknown option" in page.content.decode()
    assert Response.objects.count() == 0
    good = SimpleUploadedFile("good.csv", "respondent,A\n1,Satisfied\n2,満足\n".encode())
    done = admin_client.post("/admin/surveys/group/import/",
                             {"file": good, "questionnaire": 1, "group": "Paper"})  # fmt: skip
    assert done.status_code == 302
    assert Group.objects.get(name="Paper").responses().count() == 2


def test_aliases_are_editable_in_admin(admin_client, aliases):
    from games.models import ValueType

    firm = ValueType.objects.get(number=6)
    response = admin_client.post("/admin/surveys/valuealias/add/",
                                 {"value_type": firm.pk, "text": "Shareholder value",
                                  "language": "en"})  # fmt: skip
    assert response.status_code == 302
    from surveys.aliases import value_catalogue

    assert value_catalogue()[1]["shareholder value"] == 6


def test_a_full_export_names_the_group_of_linked_rooms(admin_client, group):
    ids = list(Response.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/surveys/response/", {"action": "export_long", "_selected_action": ids}
    )
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8").lstrip("\ufeff"))))
    assert rows and {r["group"] for r in rows} == {"Seminar camp"}
    assert {r["room"] for r in rows} == {"CAMP"}


def test_an_empty_group_shows_empty_tables(admin_client, deck):
    empty = Group.objects.create(name="Nobody yet")
    page = admin_client.get(f"/en/survey/research/group/{empty.pk}/")
    assert page.status_code == 200 and "Were you satisfied?" in page.content.decode()
    rows = body(admin_client.get(f"/en/survey/research/group/{empty.pk}/tables.csv"))
    assert b"\r\nA,Dissatisfied,0,0,0,0," in rows


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_lists_the_first_comments_and_points_to_the_rest(admin_client, deck, lang):
    """At 100,000 responses a row's comments were 75,000 list items (a 5 MB page): a row lists
    its first 20, says how many more there are and links the export that has them all."""
    group = Group.objects.create(name="Big lecture")
    for i in range(25):
        answers = {"A": "satisfied", "A_reason": f"reason-{i:02d}", "G": f"free-{i:02d}"}
        Response.objects.create(questionnaire=1, group=group, respondent=f"r{i}",
                                source=Response.IMPORT, gender="man", answers=answers)  # fmt: skip
    html = admin_client.get(f"/{lang}/survey/research/group/{group.pk}/").content.decode()
    for kind in ("reason", "free"):
        assert all(f"{kind}-{i:02d}" in html for i in range(20))
        assert not any(f"{kind}-{i:02d}" in html for i in range(20, 25))
    long_export = f'href="/{lang}/survey/research/group/{group.pk}/responses-long.csv"'
    more = "… and 5 more comments" if lang == "en" else "ほか5件のコメント"
    assert html.count(more) == 2
    assert html.count(long_export) == 3  # the export links at the top, and one per such row
