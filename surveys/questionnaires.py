"""The two questionnaires (A–G on the cards, A2–G2 on learning) as plain data.

Wording follows docs in ../shared/domain.md: the English msgids are the published wording and
the Japanese comes from surveys/locale. Everything else (forms, tables, CSV) is derived from
these definitions, so an option's position here is its position in every table.

Answer kinds and how each is stored in ``Response.answers``:

- ``single``  one option code (``"satisfied"``)
- ``scale``   one int (``D``: 100…0, ``B2``/``D2``: 1…5); also tabulated like ``single``
- ``multi``   a list of option codes; the text of "other" under ``<code>_other``
- ``values``  a list of the texts written or picked (deck names are picked as written)
- ``text``    free text; ``comment_for`` names the question it is listed under

A ``single`` question whose options are ordered (A, B, C, E) says so with ``ordered=True``;
each option's ``score`` (1 = lowest) is its rank, read by the ordinal statistics
(surveys/ordinal.py) and the diverging charts. Scales are ordered by their scores too.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SINGLE, SCALE, MULTI, VALUES, TEXT = "single", "scale", "multi", "values", "text"


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    score: int | None = None


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    text: str
    options: tuple[Option, ...] = ()
    comment_for: str | None = None
    other: bool = False
    hint: str = ""
    ordered: bool = False  # a single question whose options have a rank (score, 1 = lowest)

    @property
    def codes(self) -> list[str]:
        return [option.code for option in self.options]

    @property
    def ends(self) -> tuple[str, str] | None:
        """A numbered scale's end labels ("1 (difficult)", "5 (easy)"), shown beside the
        numbers instead of on them."""
        if self.kind != SCALE or self.options[0].label == self.options[0].code:
            return None
        if any(o.label != o.code for o in self.options[1:-1]):
            return None
        return self.options[0].label, self.options[-1].label

    @property
    def ordinal(self) -> bool:
        """Answers with a rank: scales, and single questions with ordered options."""
        return self.kind == SCALE or (self.kind == SINGLE and self.ordered)

    @property
    def ranked_options(self) -> list[Option]:
        """The options from the lowest rank to the highest (an ordinal question's)."""
        return sorted(self.options, key=lambda o: o.score)

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class Questionnaire:
    number: int
    title: str
    intro: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)


VISIBILITY = (
    Option("bad", pgettext_lazy("visibility", "Bad"), 1),
    Option("normal", pgettext_lazy("visibility", "Normal"), 2),
    Option("good", pgettext_lazy("visibility", "Good"), 3),
)

Q1 = Questionnaire(
    1,
    _("Questionnaire 1: the cards"),
    _("About the game and the cards you played with."),
    (
        Question(
            "A",
            SINGLE,
            _("Were you satisfied?"),
            (
                Option("satisfied", _("Satisfied"), 3),
                Option("neither", _("Neither"), 2),
                Option("dissatisfied", _("Dissatisfied"), 1),
            ),
            ordered=True,
        ),
        Question("A_reason", TEXT, _("Please tell us the reason."), comment_for="A"),
        Question(
            "B",
            SINGLE,
            _("How was the visibility of the characters on the front of the torifuda?"),
            VISIBILITY,
            ordered=True,
        ),
        Question(
            "C",
            SINGLE,
            _("How was the visibility of the characters on the back of the torifuda?"),
            VISIBILITY,
            ordered=True,
        ),
        Question(
            "D",
            SCALE,
            _("How much did you enjoy the game?"),
            tuple(Option(str(p), f"{p}%", p) for p in (100, 80, 60, 40, 20, 0)),
        ),
        Question(
            "E", SINGLE, _("How was the visibility of the picture?"), VISIBILITY, ordered=True
        ),
        Question(
            "F",
            VALUES,
            _("Please write down your favorite value."),
            hint=_("Pick one of the 24 values, or write it in your own words."),
        ),
        Question(
            "G", TEXT, _("Please write down any good points or concerns you have about this game.")
        ),
    ),
)


def _scale(low: str, high: str) -> tuple[Option, ...]:
    labels = {1: low, 5: high}
    return tuple(Option(str(n), labels.get(n, str(n)), n) for n in range(1, 6))


Q2 = Questionnaire(
    2,
    _("Questionnaire 2: learning"),
    _("About what you learned about value."),
    (
        Question(
            "A2",
            VALUES,
            _("Which types of value left an impression on you?"),
            hint=_("Pick as many as you like, or write others in your own words."),
        ),
        Question(
            "B2",
            SCALE,
            _("How well do you understand value?"),
            _scale(_("1 (do not understand)"), _("5 (understand well)")),
        ),
        Question(
            "C2",
            TEXT,
            _("Please tell us why you chose the number in Question B2."),
            comment_for="B2",
        ),
        Question(
            "D2",
            SCALE,
            _("Please tell us about the difficulty level of Value Karuta."),
            _scale(_("1 (difficult)"), _("5 (easy)")),
        ),
        Question(
            "E2",
            MULTI,
            _("Please tell us your impression of the appearance of Value Karuta."),
            (
                Option("pretty", _("pretty")),
                Option("pleasant", _("pleasant")),
                Option("bright", _("bright")),
                Option("cool", _("cool")),
                Option("sober", _("sober")),
                Option("quiet", _("quiet")),
                Option("other", _("other")),
            ),
            other=True,
            hint=_("Choose one or more."),
        ),
        Question(
            "F2",
            MULTI,
            _("Please tell us about a scene in the game that left an impression on you."),
            (
                Option("taking", _("when taking a card")),
                Option("looking", _("when looking for a card")),
                Option("winner", _("when deciding the winner")),
                Option("other", _("other")),
            ),
            other=True,
            hint=_("Choose one or more."),
        ),
        Question("G2", TEXT, _("If you have any other comments or opinions, please let us know.")),
    ),
)

QUESTIONNAIRES = {1: Q1, 2: Q2}

GENDERS = (
    Option("man", _("man")),
    Option("woman", _("woman")),
    Option("no_response", _("no response")),
)
AGE_BANDS = (
    Option("10s", _("under 20")),
    Option("20s", _("20s")),
    Option("30s", _("30s")),
    Option("40s", _("40s")),
    Option("50s", _("50s")),
    Option("60s", _("60s")),
    Option("70s", _("70 or over")),
    Option("unknown", _("unknown")),
)
GENDER_CODES = [o.code for o in GENDERS]
AGE_CODES = [o.code for o in AGE_BANDS]


def all_questions() -> list[Question]:
    return [q for qn in QUESTIONNAIRES.values() for q in qn.questions]


def question(code: str) -> Question:
    return next(q for q in all_questions() if q.code == code)


def questionnaire_of(code: str) -> int:
    return next(n for n, qn in QUESTIONNAIRES.items() if any(q.code == code for q in qn.questions))


def label_in(text: str, lang: str) -> str:
    """A lazy label rendered in one language, whatever language is active."""
    with translation.override(lang):
        return str(text)
