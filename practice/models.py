"""What solo practice stores: anonymous learners and their devices, a memory per value, each
finished round's result (once, by its client id), confusions, and the class games imported.

A learner has no account: each browser holds a device token (its SHA-256 is stored, never the
token), and a short code lets another device join the same learner (practice/learners.py).
Only practice/services.py writes these rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from games.models import ValueType
from practice import scoring


class Learner(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # "Continue on another device": a keyed hash of the code shown, and when it stops working.
    code_hash = models.CharField(
        _("device code (hashed)"), max_length=64, blank=True, db_index=True, editable=False
    )
    code_expires_at = models.DateTimeField(_("device code expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self) -> str:
        return f"learner {self.pk}"


class Device(models.Model):
    """One browser of a learner: the SHA-256 of the token in its cookie and localStorage."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="devices")
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return f"device {self.pk} of learner {self.learner_id}"


class Memory(models.Model):
    """A learner's memory of one value: fsrs' Card as a dict, and when it is due."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="memories")
    value_type = models.ForeignKey(ValueType, on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(_("fsrs card"))
    due = models.DateTimeField(_("due"))
    reviews = models.PositiveIntegerField(_("reviews"), default=0)
    lapses = models.PositiveIntegerField(_("rated again"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("memory")
        verbose_name_plural = _("memories")
        constraints = [
            models.UniqueConstraint(fields=["learner", "value_type"], name="one_memory_per_value")
        ]
        indexes = [models.Index(fields=["learner", "due"])]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.value_type_id} due {self.due:%Y-%m-%d %H:%M}"


class Result(models.Model):
    """One finished solo round, stored once: the browser makes ``client_id`` (a UUID) when the
    round ends and sends it with every retry."""

    MODES = [(scoring.NORMAL, _("normal")), (scoring.TIME_ATTACK, _("time attack"))]

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="results")
    client_id = models.UUIDField(_("client id"))
    mode = models.CharField(_("mode"), max_length=16, choices=MODES)
    # What was played: "all", "field:<code>", "confused", "cards:1,5,9" or "review".
    card_set = models.CharField(_("card set"), max_length=100)
    pace = models.CharField(_("pace"), max_length=8)
    lang = models.CharField(_("language"), max_length=4)
    rounds = models.PositiveSmallIntegerField(_("cards read"))
    wrong = models.PositiveSmallIntegerField(_("wrong takes"))
    elapsed_ms = models.PositiveIntegerField(_("time (ms)"))
    score_ms = models.PositiveIntegerField(_("score (ms)"))
    # The learner's best (wrong, score) of this mode and card set before this round, so the
    # answer to a resend says the same "personal best" as the first answer did.
    previous_best = models.JSONField(_("best before"), null=True, blank=True)
    # Reserved for practice assignments (a teacher's link carries its code; the result keeps
    # it). Blank for free practice.
    assignment_code = models.CharField(_("assignment"), max_length=16, blank=True, db_index=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("practice result")
        verbose_name_plural = _("practice results")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "client_id"], name="one_result_per_client_id"
            )
        ]
        indexes = [models.Index(fields=["learner", "mode", "card_set"])]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.client_id}"

    @property
    def seconds(self) -> float:
        return self.elapsed_ms / 1000


class Answer(models.Model):
    """One yomifuda of a result: the value read, the values wrongly taken first, the time."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(_("reading order"))
    read = models.ForeignKey(ValueType, on_delete=models.PROTECT, related_name="+")
    wrong = models.JSONField(_("wrong takes"), default=list)  # value numbers, in order
    ms = models.PositiveIntegerField(_("time to the right take (ms)"))
    rating = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        ordering = ["result", "position"]
        constraints = [
            models.UniqueConstraint(fields=["result", "position"], name="one_answer_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.result_id}#{self.position}"


class Confusion(models.Model):
    """How often this learner took ``taken`` when ``read`` was read (solo and in class)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="confusions")
    read = models.ForeignKey(ValueType, on_delete=models.CASCADE, related_name="+")
    taken = models.ForeignKey(ValueType, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "read", "taken"], name="one_confusion_row")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}: {self.read_id}→{self.taken_id} ×{self.count}"


class ClassImport(models.Model):
    """A finished room's takes fed into a learner's memory: once per learner and room."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="imports")
    room_code = models.CharField(_("room"), max_length=8)
    seat_id = models.PositiveBigIntegerField(_("seat"))
    rated = models.PositiveSmallIntegerField(_("values rated"), default=0)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "room_code"], name="one_import_per_room")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.room_code}"


class Assignment(models.Model):
    """A teacher's practice assignment: the cards, how many rounds each student should play,
    until when. Students open /<lang>/practice/a/<code>/ with no account; their results carry
    the code (Result.assignment_code). The creator's session holds ``owner_token``'s secret
    (practice/assignment_views.py); staff need practice.view_assignment."""

    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=80)
    # The card set key its rounds post: "all", "field:<code>" or "cards:1,5,9".
    card_set = models.CharField(_("card set"), max_length=100)
    cards = models.JSONField(_("cards"), default=list)  # value numbers, in deck order
    rounds = models.PositiveSmallIntegerField(_("rounds to complete"))
    deadline = models.DateTimeField(_("deadline"))
    owner_hash = models.CharField(_("owner (hashed)"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    room_code = models.CharField(_("from room"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("practice assignment")
        verbose_name_plural = _("practice assignments")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Enrolment(models.Model):
    """A learner's nickname in one assignment (one per learner; checked as room nicknames)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="students")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="enrolments")
    nickname = models.CharField(_("nickname"), max_length=40)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("assignment student")
        verbose_name_plural = _("assignment students")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "learner"], name="one_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.nickname}"
