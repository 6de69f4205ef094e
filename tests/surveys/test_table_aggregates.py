"""The tables counted in the database equal the pandas tables, number by number, on random
answers (value aliases, "other" texts, skipped questions, every gender), and the missing-data
columns match an independent count written here."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.aggregates import group_table_db
from surveys.aliases import value_catalogue
from surveys.analysis import group_table
from surveys.frames import group_frame
from surveys.models import Group, Response, ValueAlias
from surveys.questionnaires import GENDER_CODES

pytestmark = pytest.mark.django_db

WORDS = ["Firm value", "firm  VALUE", "Corporate value", "会社価値", "my own value",
         "My own value ",
         "", "  ", "\u3000", "Use value", "useless"]  # fmt: skip
SINGLE = st.one_of(st.none(), st.just(""), st.sampled_from(["satisfied", "neither",
                   "dissatisfied", "good", "normal", "bad", "odd"]))  # fmt: skip
TEXTS = st.one_of(st.none(), st.sampled_from(["", " ", "\u3000", "fun", " fun ", "hard"]))
SCALE = st.one_of(st.none(), st.sampled_from([1, 2, 3, 5, 100, 80, 0, 3.0, "4"]))
LISTS = st.one_of(st.none(), st.lists(st.sampled_from(WORDS), max_size=4))
MULTI = st.one_of(st.none(), st.lists(st.sampled_from(["pretty", "cool", "other", "x",
                  "taking", "winner"]), max_size=3))  # fmt: skip


def answers_q1(draw):
    answers = {}
    for code, strategy in (("A", SINGLE), ("A_reason", TEXTS), ("B", SINGLE), ("C", SINGLE),
                           ("D", SCALE), ("E", SINGLE), ("F", LISTS), ("G", TEXTS)):  # fmt: skip
        value = draw(strategy)
        if value is not None:
            answers[code] = value
    return answers


def answers_q2(draw):
    answers = {}
    for code, strategy in (("A2", LISTS), ("B2", SCALE), ("C2", TEXTS), ("D2", SCALE),
                           ("E2", MULTI), ("E2_other", TEXTS), ("F2", MULTI),
                           ("F2_other", TEXTS), ("G2", TEXTS)):  # fmt: skip
        value = draw(strategy)
        if value is not None:
            answers[code] = value
    return answers


@st.composite
def people(draw):
    count = draw(st.integers(0, 25))
    rows = []
    for i in range(count):
        number = draw(st.sampled_from([1, 2]))
        answers = answers_q1(draw) if number == 1 else answers_q2(draw)
        gender = draw(st.sampled_from(GENDER_CODES))
        rows.append((i, number, gender, answers))
    return rows


def store(rows) -> Group:
    from games.models import ValueType

    Response.objects.all().delete()
    group, _ = Group.objects.get_or_create(name="random")
    if not ValueAlias.objects.filter(normalized="corporate value").exists():
        firm = ValueType.objects.filter(name_en="Firm value").first()
        if firm:
            ValueAlias.objects.create(value_type=firm, text="Corporate value")
    for i, number, gender, answers in rows:
        Response.objects.create(questionnaire=number, group=group, respondent=f"r{i}",
                                source=Response.IMPORT, gender=gender, answers=answers)  # fmt: skip
    return group


def assert_same(db: pd.DataFrame, pandas: pd.DataFrame) -> None:
    assert db.to_dict("records") == pandas.to_dict("records")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=people())
def test_it_counts_in_the_database_what_pandas_counts(deck, rows):
    group = store(rows)
    frame = group_frame(group)
    aliases = value_catalogue()[1]
    for number in (1, 2):
        assert_same(group_table_db(group.responses(), number), group_table(frame, number, aliases))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=people(), shown=st.integers(0, 3))
def test_a_page_lists_the_first_comments_and_counts_them_all(deck, rows, shown):
    group = store(rows)
    for number in (1, 2):
        every = group_table_db(group.responses(), number)
        few = group_table_db(group.responses(), number, shown=shown)
        assert few["comments_total"].tolist() == [len(c) for c in every["comments"]]
        assert few["comments"].tolist() == [c[:shown] for c in every["comments"]]
        assert few.drop(columns="comments").equals(every.drop(columns="comments"))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=people())
def test_the_statistics_frame_from_the_cube_is_the_frame_read_row_by_row(deck, rows):
    """The research page expands the tables' GROUP BY back into one row per response: the
    same rows (values and dtypes) as reading each response, but for their order."""
    from surveys.aggregates import answer_cube
    from surveys.frames import cube_frame, groups_frame
    from surveys.research import STATISTICS_CODES

    group = store(rows)
    cubes = [(group.name, n, answer_cube(group.responses(), n)) for n in (1, 2)]
    expanded = cube_frame(cubes, STATISTICS_CODES)
    read = groups_frame([group], codes=STATISTICS_CODES)
    used = ["group", "questionnaire", "gender", *STATISTICS_CODES]

    def rows_of(frame):
        return sorted(map(repr, frame[used].to_dict("records")))

    assert len(expanded) == len(read)
    assert rows_of(expanded) == rows_of(read)
    assert expanded[used].dtypes.to_dict() == read[used].dtypes.to_dict()


def test_it_maps_aliases_and_keeps_the_wordings(deck):
    rows = [
        (1, 1, "man", {"F": ["Corporate value", "Firm value", "my own value"], "A": "satisfied",
                       "A_reason": " fun ", "G": "\u3000"}),
        (2, 1, "woman", {"F": ["firm  VALUE", "My own value "], "A": "satisfied"}),
        (3, 1, "no_response", {"F": ["", "  "], "D": 3.0}),
        (4, 2, "man", {"E2": ["other", "cool"], "E2_other": "shiny", "A2": ["Use value"]}),
    ]  # fmt: skip
    group = store(rows)
    frame = group_frame(group)
    aliases = value_catalogue()[1]
    for number in (1, 2):
        db = group_table_db(group.responses(), number)
        assert_same(db, group_table(frame, number, aliases))
    table = group_table_db(group.responses(), 1).set_index(["question", "option"])
    firm = f"value:{aliases['firm value']}"
    assert table.loc[("F", firm), "n"] == 2  # the man wrote it twice: counted once
    assert table.loc[("F", firm), "originals"] == ["Corporate value", "Firm value", "firm  VALUE"]
    assert table.loc[("F", "my own value"), "originals"] == ["my own value", "My own value"]
    assert table.loc[("F", "_none"), "no_response"] == 1
    assert table.loc[("A", "satisfied"), "comments"] == ["fun"]
    assert table.loc[("G", "with comments"), "n"] == 0
    q2 = group_table_db(group.responses(), 2).set_index(["question", "option"])
    assert q2.loc[("E2", "other"), "comments"] == ["shiny"]


def page_queries(client, group) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/en/survey/research/group/{group.pk}/").status_code == 200
    return len(captured)


def test_the_research_page_counts_each_table_once(admin_client, deck):
    """The page's queries do not grow with the responses; each questionnaire's table is
    counted once (its value items read once however many sections and charts show it), and
    not at all when nothing was written since the last count (surveys/summaries.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [(i, 1 + i % 2, GENDER_CODES[i % 3], {"A": "satisfied", "B2": 3, "F": ["Use value"]})
            for i in range(12)]  # fmt: skip
    group = store(rows)
    page_queries(admin_client, group)  # the first count of this filing is kept
    store(rows[:6])
    few = page_queries(admin_client, group)  # counted again: the answers changed
    more = [(k * 100 + i, n, g, a) for k in range(5) for i, n, g, a in rows]
    store(more + [(1000 + i, 1, "man", {"D": 80}) for i in range(40)])
    with CaptureQueriesContext(connection) as captured:
        admin_client.get(f"/en/survey/research/group/{group.pk}/")
    assert len(captured) == few
    value_counts = [q for q in captured if "surveys_valueitem" in q["sql"]]
    assert len(value_counts) == 2  # F and A2, once each
    with CaptureQueriesContext(connection) as again:
        admin_client.get(f"/en/survey/research/group/{group.pk}/")
    assert not [q for q in again if "surveys_valueitem" in q["sql"]]
    assert len(again) < few


def test_missing_data_columns_number_by_number(deck):
    from surveys.tables import with_missing

    rows = [
        (1, 1, "man", {"A": "satisfied", "F": ["Use value"], "G": "nice"}),
        (2, 1, "woman", {"A": "neither"}),
        (3, 1, "woman", {"F": ["  "]}),
        (4, 1, "no_response", {"A": "satisfied", "G": " "}),
    ]
    table = with_missing(group_table_db(store(rows).responses(), 1)).set_index(
        ["question", "option"]
    )
    # Counted by hand: A answered by 3 of 4; F by 1 (a blank text is no answer); G by 1.
    assert table.loc[("A", "satisfied"), ["n", "answered", "no_answer"]].tolist() == [2, 3, 1]
    assert table.loc[("A", "satisfied"), "pct"] == 50.0
    assert table.loc[("A", "satisfied"), "pct_answered"] == pytest.approx(200 / 3)
    assert table.loc[("A", "_none"), "n"] == 1
    assert table.loc[("A", "_none"), "pct_answered"] != table.loc[("A", "_none"), "pct_answered"]
    assert table.loc[("F", "value:1"), ["answered", "no_answer", "pct_answered"]].tolist() == [
        1, 3, 100.0]  # fmt: skip
    assert table.loc[("G", "with comments"), ["answered", "no_answer"]].tolist() == [1, 3]
    nobody = table.loc[("B", "good"), ["n", "answered", "no_answer", "pct_answered"]].tolist()
    assert nobody[:3] == [0, 0, 4] and nobody[3] != nobody[3]  # no share of no one


def test_an_alias_added_later_counts_the_stored_answers(deck):
    from games.models import ValueType

    group = store([(1, 1, "man", {"F": ["Karuta value", "Use value"]}), (2, 1, "woman", {})])
    use = ValueType.objects.get(name_en="Use value")
    alias = ValueAlias.objects.create(value_type=use, text="karuta VALUE")
    table = group_table_db(group.responses(), 1).set_index(["question", "option"])
    assert table.loc[("F", f"value:{use.number}"), "n"] == 1  # one person, two wordings
    assert table.loc[("F", f"value:{use.number}"), "originals"] == ["Karuta value", "Use value"]
    alias.delete()
    table = group_table_db(group.responses(), 1).set_index(["question", "option"])
    assert table.loc[("F", "Karuta value"), "n"] == 1
    assert_same(group_table_db(group.responses(), 1),
                group_table(group_frame(group), 1, value_catalogue()[1]))  # fmt: skip
