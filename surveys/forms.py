"""The questionnaire form a player fills in after a game, built from surveys/questionnaires.py."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.questionnaires import (
    AGE_BANDS,
    GENDERS,
    MULTI,
    QUESTIONNAIRES,
    SCALE,
    SINGLE,
    TEXT,
    VALUES,
)
from surveys.text import normalize_text

FREE_TEXT_SEPARATORS = re.compile(r"[;；、,，\n]")
MAX_TEXT = 2000


class QuestionnaireForm(forms.Form):
    """Both questionnaires (or one) plus gender, age band and optional nationality.

    Every question is optional: a player may skip any. A questionnaire left entirely blank
    is not stored; at least one answer is needed overall. Who answers is not a field: the
    server keeps it in the room's respondent cookie (surveys/respondents.py).
    """

    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[(o.code, o.label) for o in GENDERS],
        widget=forms.RadioSelect,
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=[(o.code, o.label) for o in AGE_BANDS],
        widget=forms.RadioSelect,
        required=False,
    )
    nationality = forms.CharField(label=_("Nationality (optional)"), max_length=64, required=False)

    def __init__(self, *args, questionnaires=(1, 2), values=(), **kwargs):
        """``values``: (number, name in the page's language) of the 24 deck values."""
        super().__init__(*args, **kwargs)
        self.questionnaires = [QUESTIONNAIRES[n] for n in questionnaires]
        self.value_names = {str(number): name for number, name in values}
        value_choices = list(self.value_names.items())
        for qn in self.questionnaires:
            for question in qn.questions:
                self.fields.update(self._fields_for(question, value_choices))

    @staticmethod
    def _fields_for(question, value_choices) -> dict:
        code, label = question.code, question.text
        choices = [(o.code, o.label) for o in question.options]
        if question.kind in (SINGLE, SCALE):
            return {
                code: forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.RadioSelect
                )
            }
        if question.kind == MULTI:
            return {
                code: forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                ),
                f"{code}_other": forms.CharField(label=_("Other"), max_length=200, required=False),
            }
        if question.kind == VALUES:
            single = question.code == "F"
            pick = (
                forms.ChoiceField(choices=value_choices, required=False, widget=forms.RadioSelect)
                if single
                else forms.MultipleChoiceField(
                    choices=value_choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            )
            pick.label = label
            return {
                code: pick,
                f"{code}_other": forms.CharField(
                    label=_("In your own words") if single else _("Others, in your own words"),
                    max_length=300,
                    required=False,
                ),
            }
        assert question.kind == TEXT
        return {
            code: forms.CharField(
                label=label,
                max_length=MAX_TEXT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not any(self.answers_for(qn.number) for qn in self.questionnaires):
            raise forms.ValidationError(_("Please answer at least one question."))
        return data

    def answers_for(self, number: int) -> dict:
        """The stored form of one questionnaire's answers (only the questions answered)."""
        data = self.cleaned_data
        answers: dict = {}
        for question in QUESTIONNAIRES[number].questions:
            code = question.code
            raw = data.get(code)
            if question.kind == SINGLE and raw:
                answers[code] = raw
            elif question.kind == SCALE and raw:
                answers[code] = int(raw)
            elif question.kind == MULTI:
                chosen = list(raw or [])
                other = (data.get(f"{code}_other") or "").strip()
                if other and "other" not in chosen:
                    chosen.append("other")
                if chosen:
                    answers[code] = chosen
                if other:
                    answers[f"{code}_other"] = other
            elif question.kind == VALUES:
                picked = [raw] if isinstance(raw, str) and raw else list(raw or [])
                texts = [self.value_names[n] for n in picked if n in self.value_names]
                other = data.get(f"{code}_other") or ""
                texts += [t.strip() for t in FREE_TEXT_SEPARATORS.split(other) if t.strip()]
                if texts:
                    answers[code] = list(dict.fromkeys(texts))
            elif question.kind == TEXT and (raw or "").strip():
                answers[code] = raw.strip()
        return answers


def initial_from(responses, value_numbers: dict[str, str]) -> dict:
    """The form's initial data showing answers already sent (``responses``: the player's
    stored responses for this game), so a reopened questionnaire shows them, ready to change.

    ``value_numbers``: normalized deck value name (either language) → value number. Values are
    stored as the names written; a name of the deck is ticked again, any other text goes back
    to the "in your own words" box.
    """
    initial: dict = {}
    for response in responses:
        # "no response" and "unknown" are also what a blank choice is stored as: shown blank,
        # and stored the same again.
        if response.gender != "no_response":
            initial["gender"] = response.gender
        if response.age_band != "unknown":
            initial["age_band"] = response.age_band
        initial["nationality"] = response.nationality
        answers = response.answers or {}
        for question in QUESTIONNAIRES[response.questionnaire].questions:
            code = question.code
            if code not in answers:
                continue
            stored = answers[code]
            if question.kind in (SINGLE, SCALE):
                initial[code] = str(stored)
            elif question.kind == MULTI:
                initial[code] = list(stored)
                if answers.get(f"{code}_other"):
                    initial[f"{code}_other"] = answers[f"{code}_other"]
            elif question.kind == VALUES:
                picked, written = [], []
                for text in stored:
                    number = value_numbers.get(normalize_text(text))
                    single_taken = code == "F" and picked
                    if number and number not in picked and not single_taken:
                        picked.append(number)
                    else:
                        written.append(text)
                initial[code] = (picked[0] if picked else "") if code == "F" else picked
                if written:
                    initial[f"{code}_other"] = "; ".join(written)
            else:
                initial[code] = stored
    return initial


def is_answered(form: QuestionnaireForm, question) -> bool:
    """Whether the form (as shown: posted data, else initial) holds an answer to ``question``."""
    names = [question.code] + ([f"{question.code}_other"] if question.kind in (MULTI, VALUES)
                               else [])  # fmt: skip
    for name in names:
        value = form[name].value()
        if isinstance(value, list | tuple) and any(str(v).strip() for v in value):
            return True
        if isinstance(value, str | int) and str(value).strip():
            return True
    return False
