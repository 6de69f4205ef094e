"""The tables counted by PostgreSQL's SQL (jsonb, btrim) equal the pandas tables, number by
number, as SQLite's do (tests/surveys/test_table_aggregates.py): the research pages run on
either database, and each has its own SQL for "has a comment" and for reading JSON keys, and
its own triggers that tell when kept counts are out of date (tests/surveys/test_kept_counts.py).

The check runs in a process whose DATABASE_URL is a PostgreSQL database made from the migrated
template: :func:`check` is that process's work, importable by it."""

import random
import subprocess
import sys

import pytest

from tests.conftest import POSTGRES_TEMPLATE, ROOT, createdb, server_env

pytestmark = pytest.mark.live

TEXTS = [None, "", " ", "\u3000", "\n", "fun", " fun ", "hard", "=1+2"]
SINGLE = [None, "", "satisfied", "neither", "dissatisfied", "good", "normal", "bad", "odd"]
SCALE = [None, 1, 2, 3, 5, 100, 80, 0, 3.0, "4", True]
WORDS = ["Firm value", "firm  VALUE", "会社価値", "my own value", "", "  ", "Use value", "x"]
MULTI = ["pretty", "cool", "other", "x", "taking", "winner"]


def answers(rng: random.Random, number: int) -> dict:
    def some(options):
        return rng.sample(options, rng.randint(0, 3)) if rng.random() > 0.2 else None

    codes = (
        {"A": SINGLE, "A_reason": TEXTS, "B": SINGLE, "C": SINGLE, "D": SCALE, "E": SINGLE,
         "G": TEXTS, "F": WORDS}
        if number == 1
        else {"B2": SCALE, "C2": TEXTS, "D2": SCALE, "E2": MULTI, "E2_other": TEXTS,
              "F2": MULTI, "F2_other": TEXTS, "G2": TEXTS, "A2": WORDS}
    )  # fmt: skip
    out = {}
    for code, options in codes.items():
        listed = options in (WORDS, MULTI)
        value = some(options) if listed else rng.choice(options)
        if value is not None:
            out[code] = value
    return out


def check() -> None:
    """Store random answers, then compare each way of counting them; raises if one differs."""
    from django.db import connection

    from surveys import summaries
    from surveys.aggregates import answer_cube, group_table_db
    from surveys.aliases import value_catalogue
    from surveys.analysis import group_table
    from surveys.frames import cube_frame, group_frame, groups_frame
    from surveys.models import AnswerVersion, Group, Response
    from surveys.research import STATISTICS_CODES

    assert connection.vendor == "postgresql", connection.vendor
    rng = random.Random(5)
    genders = ["man", "woman", "no_response"]
    for seed in range(6):
        Response.objects.all().delete()
        group, _ = Group.objects.get_or_create(name=f"pg-{seed}")
        for i in range(rng.randint(0, 40)):
            number = rng.choice([1, 2])
            Response.objects.create(questionnaire=number, group=group, respondent=f"r{i}",
                                    source=Response.IMPORT, gender=rng.choice(genders),
                                    answers=answers(rng, number))  # fmt: skip
        frame = group_frame(group)
        aliases = value_catalogue()[1]
        for number in (1, 2):
            db = group_table_db(group.responses(), number)
            pandas = group_table(frame, number, aliases)
            assert db.to_dict("records") == pandas.to_dict("records"), (seed, number)
            few = group_table_db(group.responses(), number, shown=1)
            assert few["comments"].tolist() == [c[:1] for c in pandas["comments"]], seed
        cubes = [(group.name, n, answer_cube(group.responses(), n)) for n in (1, 2)]
        expanded = cube_frame(cubes, STATISTICS_CODES)
        read = groups_frame([group], codes=STATISTICS_CODES)
        used = ["group", "questionnaire", "gender", *STATISTICS_CODES]
        assert sorted(map(repr, expanded[used].to_dict("records"))) == sorted(
            map(repr, read[used].to_dict("records"))
        ), seed
        # The kept counts follow writes PostgreSQL's triggers see (surveys/counting_triggers.py).
        for write in range(3):
            if write == 1:
                Response.objects.filter(pk__in=Response.objects.values("pk")[:5]).update(
                    gender="woman", answers={"A": "neither", "F": ["Use value"]}
                )
            elif write == 2:
                Response.objects.filter(pk__in=Response.objects.values("pk")[:3]).delete()
            for number in (1, 2):
                kept = group_table_db(group.responses(), number,
                                      counts=summaries.group_counts(group, number))  # fmt: skip
                fresh = group_table_db(group.responses(), number)
                assert kept.to_dict("records") == fresh.to_dict("records"), (seed, write)
    group.delete()  # SET NULL on its responses: a trigger on an update no signal sees
    assert AnswerVersion.objects.filter(key__startswith="r:").exists()
    print("same on postgresql")


def test_postgresql_counts_what_pandas_counts(postgres_url, tmp_path):
    url = createdb(postgres_url, "karuta_aggregates", template=POSTGRES_TEMPLATE)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from tests.surveys.test_aggregates_postgresql import check; check()"],
        cwd=ROOT, env=server_env(tmp_path, {"DATABASE_URL": url}), capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "same on postgresql"
