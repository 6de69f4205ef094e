"""The only writers of solo practice: learners and devices, results (once each), memories,
confusions and class imports. Each operation is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from games import nicknames
from games.models import ValueType
from practice import assignments, learners, memory, scoring, selectors
from practice.models import (
    Answer,
    Assignment,
    ClassImport,
    Confusion,
    Device,
    Enrolment,
    Learner,
    Memory,
    Result,
)
from practice.results import Posted


def learner_create() -> tuple[Learner, str]:
    """A new learner with this browser as its first device: (learner, device token)."""
    token = learners.new_token()
    with transaction.atomic():
        learner = Learner.objects.create()
        Device.objects.create(learner=learner, token_hash=learners.token_hash(token))
    return learner, token


def code_issue(*, learner: Learner, now: datetime | None = None) -> str:
    """A fresh code for another device (the one shown before stops working)."""
    now = now or timezone.now()
    code = learners.new_code()
    Learner.objects.filter(pk=learner.pk).update(
        code_hash=learners.code_hash(code),
        code_expires_at=now + timedelta(hours=settings.PRACTICE_CODE_HOURS),
    )
    return code


def code_adopt(*, typed: str, now: datetime | None = None) -> tuple[Learner, str] | None:
    """The learner whose live code this is, with a new device token for this browser; None
    for a code that is malformed, unknown or expired (the view counts it as a failure)."""
    now = now or timezone.now()
    code = learners.normalize_code(typed)
    if not learners.valid_code(code):
        return None
    learner = Learner.objects.filter(
        code_hash=learners.code_hash(code), code_expires_at__gt=now
    ).first()
    if learner is None:
        return None
    token = learners.new_token()
    Device.objects.create(learner=learner, token_hash=learners.token_hash(token))
    return learner, token


def _rate(learner: Learner, value_id: int, number: int, rating: int, at: datetime) -> None:
    # Read-modify-write of one learner's card: two results of one learner at once would race;
    # select_for_update locks the row on PostgreSQL, SQLite's IMMEDIATE transactions (settings)
    # serialise the writers.
    row = Memory.objects.select_for_update().filter(learner=learner, value_type_id=value_id).first()
    state, due = memory.review(row.card if row else None, number, rating, at)
    lapse = 1 if rating == scoring.AGAIN else 0
    if row is None:
        Memory.objects.create(
            learner=learner, value_type_id=value_id, card=state, due=due, reviews=1, lapses=lapse
        )
    else:
        Memory.objects.filter(pk=row.pk).update(
            card=state, due=due, reviews=F("reviews") + 1, lapses=F("lapses") + lapse
        )


def _confuse(learner: Learner, read_id: int, taken_id: int, count: int = 1) -> None:
    row, created = Confusion.objects.get_or_create(
        learner=learner, read_id=read_id, taken_id=taken_id, defaults={"count": count}
    )
    if not created:
        Confusion.objects.filter(pk=row.pk).update(count=F("count") + count)


@dataclass(frozen=True)
class Recorded:
    result: Result
    created: bool  # False: this client id was stored before (a resend): nothing changed


def result_record(*, learner: Learner, posted: Posted, now: datetime | None = None) -> Recorded:
    """Store a finished round once and feed its ratings and confusions into the memory.

    The client id is unique per learner: a resend (the page lost the answer, or sent the
    offline queue twice) meets the constraint and gets the stored result back unchanged."""
    now = now or timezone.now()
    ids = dict(ValueType.objects.values_list("number", "id"))
    try:
        with transaction.atomic():
            result = Result.objects.create(
                learner=learner,
                client_id=posted.client_id,
                mode=posted.mode,
                card_set=posted.card_set,
                pace=posted.pace,
                lang=posted.lang,
                rounds=len(posted.rounds),
                wrong=posted.wrong,
                elapsed_ms=posted.elapsed_ms,
                score_ms=scoring.score_ms(posted.mode, posted.elapsed_ms, posted.wrong),
                previous_best=selectors.best(learner, posted.mode, posted.card_set),
                assignment_code=posted.assignment,
            )
            for position, round_ in enumerate(posted.rounds):
                rating = scoring.rating(round_, posted.pace)
                Answer.objects.create(
                    result=result, position=position, read_id=ids[round_.read],
                    wrong=list(round_.wrong), ms=round_.ms, rating=rating,
                )  # fmt: skip
                _rate(learner, ids[round_.read], round_.read, rating, now)
                for taken in round_.wrong:
                    _confuse(learner, ids[round_.read], ids[taken])
    except IntegrityError:
        found = Result.objects.filter(learner=learner, client_id=posted.client_id).first()
        if found is None:
            raise
        return Recorded(found, created=False)
    return Recorded(result, created=True)


def class_import(*, learner: Learner, takes: selectors.ClassTakes) -> tuple[ClassImport, bool]:
    """Feed a finished room's takes by one seat into the learner's memory, once per room:
    Good for a card won with no wrong take on it, Again for a card with a wrong take (and the
    pair counted as a confusion); cards the seat never touched are not rated."""
    found = selectors.imported(learner, takes.room_code)
    if found is not None:
        return found, False
    ids = dict(ValueType.objects.values_list("number", "id"))
    by_read: dict[int, dict] = {}
    for read, taken, correct, _won, at in takes.takes:
        entry = by_read.setdefault(read, {"right": False, "wrong": [], "at": at})
        entry["at"] = at
        if correct:  # won, or a right take that lost a fair race: the value was known
            entry["right"] = True
        elif not correct:
            entry["wrong"].append(taken)
    try:
        with transaction.atomic():
            record = ClassImport.objects.create(
                learner=learner, room_code=takes.room_code, seat_id=takes.seat_id
            )
            rated = 0
            for read, entry in by_read.items():
                rating = scoring.class_rating(won=entry["right"], wrong=len(entry["wrong"]))
                if rating is None:
                    continue
                _rate(learner, ids[read], read, rating, entry["at"])
                rated += 1
                for taken in entry["wrong"]:
                    _confuse(learner, ids[read], ids[taken])
            record.rated = rated
            record.save(update_fields=["rated"])
    except IntegrityError:  # the same import from two tabs at once: the other one stored it
        return selectors.imported(learner, takes.room_code), False
    return record, True


# --- practice assignments ---------------------------------------------------------------


def assignment_create(
    *, title: str, card_set: str, cards: list[int], rounds: int, deadline: datetime,
    room_code: str = "", user=None,
) -> tuple[Assignment, str]:  # fmt: skip
    """A new assignment and the owner's secret (kept in the creator's session, only its
    SHA-256 stored). A code drawn twice (29^10 codes) meets the unique constraint: draw again."""
    token = learners.new_token()
    creator = user if user is not None and user.is_authenticated else None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    code=assignments.new_code(), title=title, card_set=card_set, cards=cards,
                    rounds=rounds, deadline=deadline, owner_hash=learners.token_hash(token),
                    room_code=room_code, created_by=creator,
                )  # fmt: skip
            return assignment, token
        except IntegrityError:
            continue
    raise RuntimeError("no free assignment code")


class JoinRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def enrolment_join(*, assignment: Assignment, learner: Learner, nickname: str) -> Enrolment:
    """This learner's nickname in the assignment (a second call renames it). ``nickname`` is
    already clean (games.rules.clean_nickname); one that looks like another student's is refused
    (games/nicknames.py), as in a room. Two look-alike names sent at the same instant can both
    pass, as can one student over the cap: the cap keeps a class-sized bound, not an exact one."""
    others = Enrolment.objects.filter(assignment=assignment).exclude(learner=learner)
    if nicknames.clash(nickname, others.values_list("nickname", flat=True)):
        raise JoinRefused("nickname_taken")
    found = Enrolment.objects.filter(assignment=assignment, learner=learner).first()
    if found is not None:
        Enrolment.objects.filter(pk=found.pk).update(nickname=nickname)
        found.nickname = nickname
        return found
    if others.count() >= settings.PRACTICE_ASSIGNMENT_STUDENTS_MAX:
        raise JoinRefused("assignment_full")
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                assignment=assignment, learner=learner, nickname=nickname
            )
    except IntegrityError:  # the same learner from two tabs at once
        return Enrolment.objects.get(assignment=assignment, learner=learner)
