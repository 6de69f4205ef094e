"""What is stored about the deck: academic fields and the 24 value types.

Each text is stored in both languages side by side (``name_en`` / ``name_ja``) so the admin
edits a card on one page; :meth:`ValueType.text` picks the active language.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from games import rules
from games.images import validate_card_image

LANGS = ("ja", "en")
CARD_TEXTS = ("name", "concept", "outline", "overview", "explanation")


def pick(obj: object, attr: str, lang: str | None = None) -> str:
    """``obj.<attr>_<lang>`` for the given or active language, falling back to the other."""
    lang = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if lang not in LANGS:
        lang = "en"
    other = "en" if lang == "ja" else "ja"
    return getattr(obj, f"{attr}_{lang}") or getattr(obj, f"{attr}_{other}")


class Field(models.Model):
    """One of the four academic fields the values come from."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    color = models.CharField(_("colour"), max_length=7, default="#1f6fb2")
    name_ja = models.CharField(_("name (Japanese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")


def card_upload_to(instance: "ValueType", filename: str) -> str:
    # ``filename`` is games.images.clean_card_image's: from the content, with the extension
    # of the type Pillow detected (never the uploader's name).
    return f"cards/{instance.number:02d}-{instance.slug}/{PurePosixPath(filename).name}"


class ValueType(models.Model):
    """A value of the deck: one torifuda (name, picture; back: concept, outline) and one
    yomifuda (name, overview, easy explanation)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="value_types", verbose_name=_("field")
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    reading = models.CharField(_("reading (hiragana)"), max_length=64, blank=True)

    name_ja = models.CharField(_("name (Japanese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    concept_ja = models.TextField(_("concept (Japanese)"))
    concept_en = models.TextField(_("concept (English)"))
    outline_ja = models.TextField(_("outline (Japanese)"))
    outline_en = models.TextField(_("outline (English)"))
    overview_ja = models.TextField(_("overview (Japanese)"))
    overview_en = models.TextField(_("overview (English)"))
    explanation_ja = models.TextField(_("easy explanation (Japanese)"))
    explanation_en = models.TextField(_("easy explanation (English)"))

    illustration = models.ImageField(
        _("illustration"),
        upload_to=card_upload_to,
        blank=True,
        validators=[validate_card_image],
        help_text=_("PNG, JPEG or WebP, at most 5 MB. Leave empty to use the built-in pictogram."),
    )
    # What load_deck last wrote, per field: a field whose value differs was edited in the
    # admin and is kept by the next load (unless --reset).
    fixture_snapshot = models.JSONField(
        _("text as last loaded"), default=dict, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "number"]
        verbose_name = _("value type")
        verbose_name_plural = _("value types")

    def __str__(self) -> str:
        return f"{self.number:02d} {self.name_en} / {self.name_ja}"

    def save(self, *args, **kwargs) -> None:
        if self.illustration and not self.illustration._committed:
            from games.images import clean_card_image

            # Only Pillow's re-encoded copy is stored, however the file came (the admin's
            # field has already made it; a shell or a script has not).
            if not getattr(self.illustration.file, "card_image_clean", False):
                self.illustration = clean_card_image(self.illustration.file)
        super().save(*args, **kwargs)
        if self.illustration:
            from django.core.files.storage import default_storage

            from games.images import make_variants, variant_name

            if not default_storage.exists(variant_name(self.illustration.name, "card")):
                make_variants(self.illustration.name)

    def text(self, part: str, lang: str | None = None) -> str:
        return pick(self, part, lang)

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def concept(self) -> str:
        return pick(self, "concept")

    @property
    def outline(self) -> str:
        return pick(self, "outline")

    @property
    def overview(self) -> str:
        return pick(self, "overview")

    @property
    def explanation(self) -> str:
        return pick(self, "explanation")

    def image_url(self, size: str = "card") -> str:
        """URL of the picture at a named size: the uploaded one if any, else the pictogram."""
        if self.illustration:
            from games.images import variant_name

            return settings.MEDIA_URL + variant_name(self.illustration.name, size)
        return reverse("pictogram", args=[self.number])

    def as_card(self, lang: str | None = None) -> dict:
        """The card's texts in one language, JSON-safe (pages and the game use it)."""
        data = {part: self.text(part, lang) for part in CARD_TEXTS}
        data.update(
            number=self.number,
            slug=self.slug,
            field=self.field.code,
            field_name=pick(self.field, "name", lang),
            color=self.field.color,
            reading=self.reading,
            source=self.source,
            image=self.image_url(),
        )
        return data


# --- Rooms: one game of karuta played over websockets (see games/services.py) ------------


ROOM_STATE_LABELS = {
    rules.LOBBY: _("lobby"),
    rules.READING: _("reading"),
    rules.TAKEN: _("taken"),
    rules.TIMEOUT: _("timed out"),
    rules.FINISHED: _("finished"),
}
SEAT_STATUS_LABELS = {
    rules.ACTIVE: _("active"),
    rules.REMOVED: _("removed"),
    rules.KICKED: _("kicked"),
}


class Room(models.Model):
    """A game room. The database row is the truth: every process reads it, none caches it."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    host_token = models.CharField(_("host token"), max_length=64, unique=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=16,
        default=rules.LOBBY,
        choices=[(s, ROOM_STATE_LABELS[s]) for s in rules.ROOM_STATES],
    )
    # Incremented with every event the room broadcasts, in the write's own transaction
    # (games/events.py): a client that sees a gap asks for a snapshot.
    version = models.PositiveBigIntegerField(_("version"), default=0, editable=False)
    options = models.JSONField(_("settings"), default=dict, blank=True)
    reader_seat = models.ForeignKey(
        "Seat", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reader"),
    )  # fmt: skip
    current_card = models.ForeignKey(
        "BoardCard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("card being read"),
    )  # fmt: skip
    turn_started_at = models.DateTimeField(_("reading started"), null=True, blank=True)
    # The host closed the room to new players (seats already in it may still come back).
    locked = models.BooleanField(_("closed to new players"), default=False)
    # When the server must act by itself: the reading's time limit, or the automatic next card.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # "Play again with the same players": the room everyone moved to (tabs that come back to
    # this room later are sent on to it).
    next_room = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("next room"),
    )  # fmt: skip
    # A fair race: the first valid take of the read card opens a short window for faster
    # reactions on slower networks; when it closes, the fastest wins (games/takes.py race_decide).
    window_closes_at = models.DateTimeField(_("decision window closes"), null=True, blank=True)
    # A reteach round (started from the debrief): the confused pairs it teaches, most-confused
    # first, as [[read number, taken number], …]; its board is their cards (rules.reteach_deal).
    # Empty for a whole game.
    reteach = models.JSONField(_("reteach pairs"), default=list, blank=True)
    # When a card's team talk ends (rules.talk_deadline): a countdown on every screen.
    talk_until = models.DateTimeField(_("team talk until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Every process looks for due deadlines (games/realtime/timers.py).
        indexes = [models.Index(fields=["deadline"], name="room_deadline_idx")]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.code


class Team(models.Model):
    """One team of a room playing in teams (rules.Settings.teams). Its score is never stored:
    it is the sum of its members' (selectors.team_totals), so it cannot drift from them."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="teams", verbose_name=_("room")
    )
    number = models.PositiveSmallIntegerField(_("number"))  # 0-based: rules.TEAM_STYLES
    name = models.CharField(_("name"), max_length=40)
    color = models.CharField(_("colour"), max_length=7)

    class Meta:
        ordering = ["number"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["room", "number"], name="one_team_number_per_room")
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A player's place in a room; the token in their browser brings them back to it."""

    ACTIVE = rules.ACTIVE
    REMOVED = rules.REMOVED
    KICKED = rules.KICKED

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="seats", verbose_name=_("room")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    nickname = models.CharField(_("nickname"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=16,
        default=rules.ACTIVE,
        choices=[(s, SEAT_STATUS_LABELS[s]) for s in rules.SEAT_STATUSES],
    )
    score = models.IntegerField(_("score"), default=0)
    cards = models.PositiveSmallIntegerField(_("cards taken"), default=0)
    wrong_takes = models.PositiveSmallIntegerField(_("wrong takes"), default=0)
    kicked_until = models.DateTimeField(_("kicked until"), null=True, blank=True)
    # Who sat down (games/limits.py): the browser's id from its signed cookie (one seat per
    # browser; a kick keeps it out whatever name it types) and a keyed hash of its network, so
    # one address cannot fill a room. Neither is a person's address.
    browser = models.CharField(_("browser"), max_length=32, blank=True, editable=False)
    network = models.CharField(_("network"), max_length=32, blank=True, editable=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # The seat's network as its tabs' latency probes measured it (games/fairness.py): kept
    # here so a reconnect (to any process) starts from it, and the decision window can wait
    # for the slowest taker.
    round_trip_ms = models.FloatField(_("round trip (ms)"), null=True, blank=True)
    jitter_ms = models.FloatField(_("jitter (ms)"), default=0)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("team"),
    )  # fmt: skip
    # The seat this one continues after "play again": its player's tab claims this seat.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("seat in the previous room"),
    )  # fmt: skip

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self) -> str:
        return self.nickname


class BoardCard(models.Model):
    """One torifuda on a room's board."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="board", verbose_name=_("room")
    )
    value_type = models.ForeignKey(
        ValueType, on_delete=models.PROTECT, related_name="+", verbose_name=_("value type")
    )
    position = models.PositiveSmallIntegerField(_("place on the board"))
    read_order = models.PositiveSmallIntegerField(_("reading order"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set by one conditional UPDATE … WHERE taken_by IS NULL: the row count names the winner.
    taken_by = models.ForeignKey(
        Seat, null=True, blank=True, on_delete=models.SET_NULL, related_name="taken_cards",
        verbose_name=_("taken by"),
    )  # fmt: skip
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # Nobody took it: the time ran out or (``skipped``) the host showed the answer.
    timed_out = models.BooleanField(_("timed out"), default=False)
    skipped = models.BooleanField(_("answer shown by the host"), default=False)
    # A fair race: how long its decision window waited for faster reactions (milliseconds).
    window_ms = models.FloatField(_("decision window (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("card on the board")
        verbose_name_plural = _("cards on the board")
        constraints = [
            models.UniqueConstraint(fields=["room", "position"], name="board_position_unique"),
            models.UniqueConstraint(fields=["room", "read_order"], name="board_read_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}:{self.value_type_id}"


class Take(models.Model):
    """Every tap on a card, right or wrong: the otetsuki lock-out and research counts."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="takes", verbose_name=_("room")
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.CASCADE, related_name="takes", verbose_name=_("player")
    )
    card = models.ForeignKey(
        BoardCard, on_delete=models.CASCADE, related_name="+", verbose_name=_("card taken")
    )
    read_card = models.ForeignKey(
        BoardCard, on_delete=models.CASCADE, related_name="+", verbose_name=_("card read")
    )
    correct = models.BooleanField(_("right card"))
    won = models.BooleanField(_("won the card"), default=False)
    # What the take changed the seat's score by: the card's point or the penalty, and the
    # set bonus it earned (a reconnecting screen shows the bonus of the card just taken).
    points = models.SmallIntegerField(_("points"), default=0)
    bonus = models.SmallIntegerField(_("set bonus"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # A fair race (games/fairness.py): the take's reaction time, from when its player could
    # know the card, less the network's part; and why it was not trusted, if it was not.
    reaction_ms = models.FloatField(_("reaction time (ms)"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=20, blank=True)
    # A fair race's wrong take waits, like a right one, for its decision window to close:
    # it counts only if it came before the winner's reaction (games/takes.py judge_wrong_takes).
    pending = models.BooleanField(_("waiting for its decision window"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["read_card", "seat"])]
        verbose_name = _("take")
        verbose_name_plural = _("takes")

    def __str__(self) -> str:
        return f"{self.seat_id}→{self.card_id} ({'right' if self.correct else 'wrong'})"
