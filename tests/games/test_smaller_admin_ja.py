"""The admin in Japanese (issue 9, "Smaller"): every model, field, inline, action and message
of the game and the questionnaires is translated, CSV import problems included."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from games import services, takes
from surveys.models import Group, GroupRoom

pytestmark = pytest.mark.django_db

# Seen in the Japanese admin before: none of these may appear in any page's text.
ENGLISH = (
    "Board card", "Takes", "Seats", "Value types", "Value aliases", "Group rooms",
    "Export responses", "Export selected", "Export the tables", "players", "unknown option",
    "unknown column", "already on row", "row 2", "column", "Correct", "Won", "Read order",
    "Position", "Nickname", "Score", "Created", "Imported", "response(s)",
)  # fmt: skip
# Words that stay Latin in Japanese too.
ALLOWED = {"CSV", "UTF", "PNG", "JPEG", "Web", "Django", "Karuta", "Value", "A–G", "A2–G2"}
WORD = re.compile(r"[A-Za-z][a-z]{2,}")


class Labels(HTMLParser):
    """The text of the parts of an admin page that are the admin's own words, not data:
    headings, column titles, table captions, model names on the index, form labels, help
    texts, the actions menu, filters, breadcrumbs, messages and error notes."""

    TAGS = {"h1", "h2", "h3", "caption", "label", "legend"}
    CLASSES = {"breadcrumbs", "help", "errornote", "messagelist", "errorlist", "paginator"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []
        self.in_action_select = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        keep = (
            tag in self.TAGS
            or bool(classes & self.CLASSES)
            or (tag == "th" and attrs.get("scope") == "col")
            or (tag == "th" and attrs.get("scope") == "row" and "model-" in (
                self._parent_class or ""))
        )  # fmt: skip
        if tag == "select" and attrs.get("name") == "action":
            self.in_action_select = True
        if tag == "tr":
            self._parent_class = attrs.get("class")
        if tag in ("input", "img", "br", "hr", "meta", "link"):
            if tag == "input" and attrs.get("type") == "submit":
                self.texts.append(attrs.get("value") or "")
            return
        self.stack.append(keep or (self.stack[-1] if self.stack else False))

    _parent_class: str | None = None

    def handle_endtag(self, tag):
        if tag == "select":
            self.in_action_select = False
        if tag in ("input", "img", "br", "hr", "meta", "link"):
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if (self.stack and self.stack[-1]) or self.in_action_select:
            self.texts.append(data)


class Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.texts.append(data)


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.texts).split())


def english_words(html: str) -> list[str]:
    parser = Labels()
    parser.feed(html)
    text = " ".join(parser.texts)
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


@pytest.fixture
def ja_admin(admin_client):
    admin_client.cookies["django_language"] = "ja"
    return admin_client


@pytest.fixture
def room_with_takes(deck):
    """A room with seats, a board, a wrong take and a right one, made by the game's services."""
    from games import rules
    from games.models import BoardCard

    room = services.room_create(options={"fields": ["psychology"]})
    host = services.Actor(rules.HOST)
    aiko = services.seat_join(code=room.code, nickname="Aiko").seat
    ken = services.seat_join(code=room.code, nickname="Ken").seat
    services.room_start(code=room.code, actor=host)
    room.refresh_from_db()
    wrong = BoardCard.objects.filter(room=room).exclude(pk=room.current_card_id).first()
    takes.card_take_and_wait(code=room.code, actor=services.Actor(rules.PLAYER, aiko.pk),
                       card_id=wrong.pk)  # fmt: skip
    takes.card_take_and_wait(code=room.code, actor=services.Actor(rules.PLAYER, ken.pk),
                       card_id=room.current_card_id)  # fmt: skip
    return room


def admin_pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ("games", "surveys"):
            continue
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
    return sorted(set(urls))


def test_the_japanese_admin_pages_have_no_english_labels(ja_admin, deck):
    group = Group.objects.create(name="ゼミ合宿")
    GroupRoom.objects.create(group=group, room_code="CAMP1")
    pages = admin_pages() + [
        reverse("admin:surveys_group_change", args=[group.pk]),
        reverse("admin:surveys_group_import"),
    ]
    found = {}
    for url in pages:
        response = ja_admin.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="ja"' in html, url
        words = english_words(html)
        text = visible_text(html)
        listed = [s for s in ENGLISH if s in text]
        if words or listed:
            found[url] = words + listed
    assert not found, found


def test_a_room_and_its_seats_and_takes_in_the_japanese_admin(ja_admin, room_with_takes):
    room = room_with_takes
    found = {}
    for url in (
        reverse("admin:games_room_change", args=[room.pk]),
        reverse("admin:games_take_changelist"),
        reverse("admin:games_boardcard_changelist"),
        reverse("admin:games_seat_changelist") if _registered("seat") else None,
    ):
        if url is None:
            continue
        html = ja_admin.get(url).content.decode()
        text = visible_text(html)
        words = english_words(html) + [s for s in ENGLISH if s in text]
        if words:
            found[url] = words
    assert not found, found


def _registered(model_name: str) -> bool:
    return any(m._meta.model_name == model_name for m in admin.site._registry)


def test_csv_import_problems_are_in_japanese(ja_admin, deck):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"respondent,A,Colour\n1,Happy,x\n"
    response = ja_admin.post(
        reverse("admin:surveys_group_import"),
        {"file": SimpleUploadedFile("a.csv", bad), "questionnaire": "1", "group": "ゼミ"},
    )
    html = response.content.decode()
    problems = re.findall(r"<li>(.*?)</li>", html.split('class="errornote"', 1)[1], re.S)
    assert problems
    for problem in problems:
        # The file's own words (a column named "Colour", a cell 'Happy') stay as written.
        words = re.sub(r"'[^']*'|&#x27;.*?&#x27;|Colour", "", problem)
        assert not WORD.findall(words), problem
    table = b"question,option,n,man,woman\nA,Satisfied,9,4,4\n"
    response = ja_admin.post(
        reverse("admin:surveys_group_import"),
        {"file": SimpleUploadedFile("t.csv", table), "questionnaire": "1", "group": "ゼミ"},
    )
    slips = re.findall(r"<li>(.*?)</li>", response.content.decode().split("errornote", 1)[1])
    assert slips and all("men" not in s and "women" not in s for s in slips), slips


def test_a_csv_import_says_how_many_in_japanese(ja_admin, deck):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = "respondent,A\n1,満足\n".encode()
    response = ja_admin.post(
        reverse("admin:surveys_group_import"),
        {"file": SimpleUploadedFile("a.csv", good), "questionnaire": "1", "group": "ゼミ"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "1" in messages[0] and "ゼミ" in messages[0]
    assert not WORD.findall(messages[0]), messages


@pytest.mark.parametrize(
    ("rows", "said"), [(1, "Imported 1 response into"), (2, "Imported 2 responses into")]
)
def test_the_english_import_message_agrees_with_its_count(admin_client, deck, rows, said):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client.cookies["django_language"] = "en"
    data = "respondent,A\n" + "".join(f"{n},Satisfied\n" for n in range(1, rows + 1))
    response = admin_client.post(
        reverse("admin:surveys_group_import"),
        {"file": SimpleUploadedFile("a.csv", data.encode()), "questionnaire": "1", "group": "G"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages and said in messages[0] and "(s)" not in messages[0], messages
