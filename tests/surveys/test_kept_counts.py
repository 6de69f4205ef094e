"""Kept table counts (surveys/summaries.py) are the counts of the answers as they are now,
after every kind of write: a save, an update() no signal sees, a bulk import, a deletion, a
group deleted (its responses set free), a response moved between groups, an alias that
remaps value items. Each check compares the kept counts' table with one counted afresh."""

import random

import pytest

from surveys import summaries
from surveys.aggregates import group_table_db
from surveys.models import AnswerVersion, Group, GroupRoom, Response, TableCounts, ValueAlias
from surveys.value_items import items_of

pytestmark = pytest.mark.django_db

SINGLE = [None, "satisfied", "neither", "dissatisfied", "good", "bad"]
WORDS = ["Firm value", "Corporate value", "Use value", "karuta value", "my own value"]


def answers(rng: random.Random, number: int) -> dict:
    if number == 1:
        out = {"A": rng.choice(SINGLE), "B": rng.choice(SINGLE), "D": rng.choice([20, 80]),
               "F": rng.sample(WORDS, rng.randint(0, 2)),
               "G": rng.choice(["", "fun", " "])}  # fmt: skip
    else:
        out = {"B2": rng.randint(1, 5), "E2": rng.sample(["pretty", "cool", "other"], 2),
               "E2_other": rng.choice(["", "shiny"]), "A2": rng.sample(WORDS, 1)}  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def same_as_counted_now(groups) -> None:
    for group in groups:
        for number in (1, 2):
            kept = group_table_db(group.responses(), number,
                                  counts=summaries.group_counts(group, number))  # fmt: skip
            fresh = group_table_db(group.responses(), number)
            assert kept.to_dict("records") == fresh.to_dict("records"), (group.name, number)


def new_response(rng, i, **where) -> Response:
    number = rng.choice([1, 2])
    return Response.objects.create(questionnaire=number, respondent=f"p{i}",
                                   source=Response.IMPORT, gender=rng.choice(["man", "woman"]),
                                   answers=answers(rng, number), **where)  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_kept_counts_follow_every_writer(deck, seed):
    from games.models import ValueType

    rng = random.Random(seed)
    one, two = Group.objects.create(name="One"), Group.objects.create(name="Two")
    GroupRoom.objects.create(group=one, room_code="ROOM1")
    GroupRoom.objects.create(group=two, room_code="ROOM2")
    places = [{"group": one}, {"group": two}, {"room_code": "ROOM1"}, {"room_code": "ROOM2"}]
    for i in range(20):
        new_response(rng, i, **rng.choice(places))
    same_as_counted_now([one, two])
    assert TableCounts.objects.count() == 8  # 3 filings of each group's, 2 questionnaires
    firm = ValueType.objects.get(name_en="Firm value")

    def save_edited():
        response = Response.objects.order_by("?").first()
        response.gender = rng.choice(["man", "woman", "no_response"])
        response.answers = answers(rng, response.questionnaire)
        response.save()

    def update_unseen():  # no signal: only the trigger sees it
        picked = Response.objects.order_by("?").values_list("pk", flat=True)[:3]
        Response.objects.filter(pk__in=list(picked)).update(gender=rng.choice(["man", "woman"]))

    def bulk_import():  # as services.import_rows stores a batch
        made = Response.objects.bulk_create([
            Response(questionnaire=1, group=rng.choice([one, two]), respondent=f"b{rng.random()}",
                     source=Response.IMPORT, gender="woman", answers=answers(rng, 1))
            for _ in range(5)
        ])  # fmt: skip
        from surveys.aliases import value_catalogue
        from surveys.models import ValueItem

        aliases = value_catalogue()[1]
        ValueItem.objects.bulk_create([i for r in made for i in items_of(r.pk, r.answers, aliases)])

    def delete_some():
        Response.objects.filter(pk__in=list(Response.objects.order_by("?")[:2].values_list(
            "pk", flat=True))).delete()  # fmt: skip

    def move_between_groups():
        response = Response.objects.filter(group__isnull=False).order_by("?").first()
        if response:
            response.group = two if response.group_id == one.pk else one
            response.save()

    def alias_remaps():
        alias = ValueAlias.objects.filter(text="karuta value").first()
        if alias:
            alias.delete()
        else:
            ValueAlias.objects.create(value_type=firm, text="karuta value")

    def room_unfiled():
        response = Response.objects.filter(group__isnull=False).order_by("?").first()
        if response:
            Response.objects.filter(pk=response.pk).update(group=None, room_code="ROOM2")

    writers = [save_edited, update_unseen, bulk_import, delete_some, move_between_groups,
               alias_remaps, room_unfiled, lambda: new_response(rng, rng.random(),
                                                                **rng.choice(places))]  # fmt: skip
    for _step in range(25):
        rng.choice(writers)()
        same_as_counted_now([one, two])


def test_a_deleted_group_sets_its_responses_free_and_their_room_counts_them(deck):
    rng = random.Random(3)
    old, new = Group.objects.create(name="Old"), Group.objects.create(name="New")
    for i in range(6):
        new_response(rng, i, group=old, room_code="SHARED")
    GroupRoom.objects.create(group=new, room_code="SHARED")
    same_as_counted_now([new])  # nothing of its own yet: counted and kept, empty
    before = dict(AnswerVersion.objects.values_list("key", "version"))
    old.delete()  # SET NULL: the responses are now the room's, unfiled
    after = dict(AnswerVersion.objects.values_list("key", "version"))
    assert after["r:SHARED"] > before.get("r:SHARED", 0)
    same_as_counted_now([new])
    assert sum(row[2] for n in (1, 2) for row in summaries.group_counts(new, n)["cube"]) == 6


def test_kept_counts_are_read_not_counted_while_nothing_changes(
    deck, django_assert_max_num_queries
):
    rng = random.Random(1)
    group = Group.objects.create(name="Steady")
    for i in range(30):
        new_response(rng, i, group=group)
    first = summaries.group_counts(group, 1)
    with django_assert_max_num_queries(3):  # the rooms, the versions, the kept counts
        assert summaries.group_counts(group, 1) == first


def test_value_items_written_after_their_response_are_counted(deck):
    """A response's value items come in their own statement (after the save, or the import's
    batch): a page that counted in between must not keep counts without them."""
    from surveys.aliases import value_catalogue
    from surveys.models import ValueItem

    group = Group.objects.create(name="Late items")
    (response,) = Response.objects.bulk_create([
        Response(questionnaire=1, group=group, respondent="x", source=Response.IMPORT,
                 gender="man", answers={"F": ["Use value"]})
    ])  # fmt: skip
    assert not summaries.group_counts(group, 1)["values"]["F"]  # counted before the items
    ValueItem.objects.bulk_create(items_of(response.pk, response.answers, value_catalogue()[1]))
    assert len(summaries.group_counts(group, 1)["values"]["F"]) == 1
    ValueItem.objects.filter(response=response).update(option="elsewhere")
    assert summaries.group_counts(group, 1)["values"]["F"][0][0] == "elsewhere"
    same_as_counted_now([group])
