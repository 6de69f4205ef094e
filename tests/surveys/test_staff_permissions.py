"""Staff need the surveys permissions the admin asks for: viewing responses (and groups) for the
research pages, charts and CSV files, adding responses for imports. Being staff is not enough
(before: a staff user with no surveys permission read every page and CSV and imported data)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import Group, Response
from tests.surveys.test_research_pages import SECRET, body, group  # noqa: F401 (fixture)

VIEW = ("view_response", "view_group")
ADD = ("add_response",)


def staff(name: str, *codenames: str) -> User:
    user = User.objects.create_user(name, password="pw-staff-12345", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames)
    )
    return user


def research_urls(group) -> list[str]:  # noqa: F811
    base = f"/en/survey/research/group/{group.pk}"
    return [
        "/en/survey/research/",
        f"{base}/",
        f"{base}/?compare={group.pk}&by=gender",
        f"{base}/tables.csv",
        f"{base}/tables.csv?lang=ja",
        f"{base}/responses-wide.csv",
        f"{base}/responses-long.csv",
        f"{base}/chart/D.svg",
        f"{base}/chart/F.svg?download=1",
    ]


def import_file(client, name="Paper"):
    sheet = SimpleUploadedFile("a.csv", "respondent,A\n1,Satisfied\n2,満足\n".encode())
    return client.post(
        "/admin/surveys/group/import/", {"file": sheet, "questionnaire": 1, "group": name}
    )


def test_staff_without_surveys_permissions_get_403_and_no_data(client, group):  # noqa: F811
    client.force_login(staff("bare"))
    for url in research_urls(group):
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET.encode() not in body(response), url
    assert client.get("/admin/surveys/group/import/").status_code == 403
    assert import_file(client).status_code == 403
    assert not Group.objects.filter(name="Paper").exists()
    for action in ("export_wide", "export_long", "export_tables"):
        post = client.post(
            "/admin/surveys/group/", {"action": action, "_selected_action": [group.pk]}
        )
        assert SECRET.encode() not in body(post), action
        assert not post.streaming, action


def test_staff_who_may_view_read_everything_but_cannot_import(client, group):  # noqa: F811
    client.force_login(staff("viewer", *VIEW))
    for url in research_urls(group):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/en/survey/research/group/{group.pk}/").content.decode()
    assert SECRET in page
    home = client.get("/en/survey/research/").content.decode()
    assert "/admin/surveys/group/import/" not in home  # no button that would only say 403
    assert client.get("/admin/surveys/group/import/").status_code == 403
    assert import_file(client).status_code == 403
    assert not Group.objects.filter(name="Paper").exists()
    export = client.post(
        "/admin/surveys/group/", {"action": "export_wide", "_selected_action": [group.pk]}
    )
    assert export.streaming and SECRET.encode() in body(export)


def test_groups_alone_do_not_open_the_responses(client, group):  # noqa: F811
    """The admin shows a user with only "view group" the group list, not the answers: neither
    do the research pages, nor the group list's export actions."""
    client.force_login(staff("groups-only", "view_group"))
    for url in research_urls(group):
        assert client.get(url).status_code == 403, url
    for action in ("export_wide", "export_long", "export_tables"):
        post = client.post(
            "/admin/surveys/group/", {"action": action, "_selected_action": [group.pk]}
        )
        assert not post.streaming and SECRET.encode() not in body(post), action


def test_staff_who_may_add_responses_import_but_do_not_read(client, aliases):
    client.force_login(staff("importer", *ADD))
    assert client.get("/admin/surveys/group/import/").status_code == 200
    done = import_file(client)
    assert done.status_code == 302
    assert Group.objects.get(name="Paper").responses().count() == 2
    assert Response.objects.filter(source=Response.IMPORT).count() == 2
    assert client.get("/en/survey/research/").status_code == 403


@pytest.mark.parametrize(
    ("codenames", "shown"),
    [((), False), (ADD, False), (("view_response",), False), (VIEW, True)],
)
def test_the_research_link_shows_only_to_who_may_open_it(client, deck, codenames, shown):
    client.force_login(staff("someone", *codenames))
    page = client.get("/en/rules/").content.decode()
    assert ("/en/survey/research/" in page) is shown
