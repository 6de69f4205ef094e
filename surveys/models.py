"""What is stored: groups (cohorts), their rooms, anonymous responses and value aliases.

A response holds no nickname and no IP address: a random respondent token that the player's
browser keeps for that one room (surveys/respondents.py), the room code, the seat it was
answered from while the room exists, and the answers.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.questionnaires import AGE_BANDS, GENDERS
from surveys.text import normalize_text


class Group(models.Model):
    """A cohort of respondents, such as "college students, seminar camp"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name

    def responses(self):
        """Responses filed under this group, plus unfiled ones from the group's rooms."""
        codes = list(self.rooms.values_list("room_code", flat=True))
        return Response.objects.filter(
            Q(group=self) | Q(group__isnull=True, room_code__in=codes, room_code__gt="")
        )


class GroupRoom(models.Model):
    """A game room a group played in: its responses count for the group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("group")
    )
    room_code = models.CharField(_("room code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.room_code

    def save(self, *args, **kwargs) -> None:
        self.room_code = self.room_code.strip().upper()
        super().save(*args, **kwargs)


def _link_token() -> str:
    return secrets.token_urlsafe(18)


class OpenLink(models.Model):
    """A link a researcher opens for a group that played on paper: it takes up to
    ``capacity`` answers per questionnaire into the group, until it expires."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="open_links", verbose_name=_("group")
    )
    token = models.CharField(
        _("token"), max_length=32, unique=True, default=_link_token, editable=False
    )
    capacity = models.PositiveIntegerField(
        _("places"), help_text=_("How many people may answer through this link.")
    )
    expires_at = models.DateTimeField(_("open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("open questionnaire link")
        verbose_name_plural = _("open questionnaire links")

    def __str__(self) -> str:
        return f"{self.group} ({self.capacity})"


class Response(models.Model):
    """One respondent's answers to one questionnaire (1 or 2)."""

    WEB, IMPORT = "web", "import"
    SOURCES = [(WEB, _("browser")), (IMPORT, _("CSV import"))]

    questionnaire = models.PositiveSmallIntegerField(
        _("questionnaire"), choices=[(1, "1 (A–G)"), (2, "2 (A2–G2)")]
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filed_responses",
        verbose_name=_("group"),
    )
    room_code = models.CharField(_("room code"), max_length=32, blank=True, db_index=True)
    # Answered from a player's end screen: the seat (one response per seat and questionnaire).
    # Gone with the room when it expires; the answers stay.
    seat = models.ForeignKey(
        "games.Seat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("seat"),
    )
    # Answered through a researcher's open link (no room).
    open_link = models.ForeignKey(
        OpenLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="responses",
        verbose_name=_("open link"),
    )
    # Web: a random token the browser keeps for this room. Import: the sheet's respondent id.
    respondent = models.CharField(_("respondent"), max_length=64)
    source = models.CharField(_("source"), max_length=8, choices=SOURCES, default=WEB)
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=[(o.code, o.label) for o in GENDERS],
        default="no_response",
    )
    age_band = models.CharField(
        _("age band"),
        max_length=16,
        choices=[(o.code, o.label) for o in AGE_BANDS],
        default="unknown",
    )
    nationality = models.CharField(_("nationality"), max_length=64, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            # One response per player per game: the database refuses a second one even when
            # two submissions race (double click, two tabs).
            models.UniqueConstraint(
                fields=["room_code", "questionnaire", "respondent"],
                condition=Q(source="web"),
                name="one_web_response_per_player_per_room",
            ),
            models.UniqueConstraint(
                fields=["seat", "questionnaire"],
                condition=Q(seat__isnull=False),
                name="one_response_per_seat",
            ),
            models.UniqueConstraint(
                fields=["group", "questionnaire", "respondent"],
                condition=Q(source="import"),
                name="one_imported_response_per_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.questionnaire} {self.room_code or self.group or ''} #{self.pk}"

    @property
    def export_id(self) -> str:
        """The respondent id written to exports: the sheet id, or a stand-in for the token."""
        return self.respondent if self.source == self.IMPORT else f"web-{self.pk}"


class ValueAlias(models.Model):
    """Another name people write for a deck value ("Corporate value" → Firm value)."""

    value_type = models.ForeignKey(
        "games.ValueType",
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("value type"),
    )
    text = models.CharField(_("alias"), max_length=120)
    normalized = models.CharField(_("normalized"), max_length=120, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=[("en", "English"), ("ja", "日本語")], blank=True
    )

    class Meta:
        ordering = ["value_type__number", "text"]
        verbose_name = _("value alias")
        verbose_name_plural = _("value aliases")

    def __str__(self) -> str:
        return f"{self.text} → {self.value_type.name_en}"

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_text(self.text)
        super().save(*args, **kwargs)


class ValueItem(models.Model):
    """One text named in answer to a value question (F, A2), normalized once when the
    response is stored (surveys/value_items.py), so that the tables count values in the
    database. Derived from ``Response.answers``: rewritten whenever those or the value
    aliases change, never edited on its own."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="value_items")
    question = models.CharField(max_length=8)
    position = models.PositiveIntegerField()  # the text's place in the answer's list
    text = models.TextField()  # as written (surrounding spaces stripped)
    normalized = models.TextField(db_index=True)  # surveys.text.normalize_text(text)
    # "value:N" when the text names deck value N (directly or by an alias), else normalized:
    # what the table counts by.
    option = models.TextField()
    # A person counts once per value, however often they named it (two aliases, a repeat).
    first_for_option = models.BooleanField()
    first_for_question = models.BooleanField()  # the person named something

    class Meta:
        ordering = ["response_id", "position"]
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return f"{self.question}: {self.text} → {self.option}"


class AnswerVersion(models.Model):
    """How often one filing's answers were written: a group's own responses ("g:<id>") or a
    room's unfiled ones ("r:<code>"). Counted by the database itself (the triggers of
    surveys/counting_triggers.py) on every insert, update and delete of a response or a value
    item, whichever code wrote it; surveys/summaries.py trusts a filing's kept counts only at
    the version they were counted at."""

    key = models.CharField(max_length=40, unique=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} @ {self.version}"


class TableCounts(models.Model):
    """One filing's counts for one questionnaire's table (surveys.aggregates.counts_of), as
    they were at ``version`` of its answers: a cache, rebuilt when the version moves on."""

    key = models.CharField(max_length=40)
    questionnaire = models.PositiveSmallIntegerField()
    version = models.BigIntegerField()
    counts = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "questionnaire"], name="one_count_per_filing")
        ]

    def __str__(self) -> str:
        return f"{self.key} Q{self.questionnaire} @ {self.version}"
