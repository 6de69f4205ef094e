"""The teacher's form for a new practice assignment and the student's nickname form."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from games import rules as game_rules
from practice import assignments


class AssignmentForm(forms.Form):
    CARDS = [("all", _("All 24 values")), ("field", _("One field")), ("list", _("These values"))]

    title = forms.CharField(label=_("Title"), max_length=assignments.TITLE_MAX)
    cards = forms.ChoiceField(label=_("Cards"), choices=CARDS, widget=forms.RadioSelect)
    field = forms.ChoiceField(label=_("Field"), required=False)
    values = forms.TypedMultipleChoiceField(
        label=_("Values"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    rounds = forms.IntegerField(
        label=_("Rounds each student plays"), min_value=1, max_value=assignments.ROUNDS_MAX
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                        format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    room = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def __init__(self, *args, fields, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—"), *fields]
        self.fields["values"].choices = values

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        now = timezone.now()
        if deadline <= now:
            raise forms.ValidationError(_("The deadline must be in the future."))
        if deadline > now + timedelta(days=settings.PRACTICE_ASSIGNMENT_DAYS_MAX):
            raise forms.ValidationError(
                _("The deadline can be at most %(days)s days ahead.")
                % {"days": settings.PRACTICE_ASSIGNMENT_DAYS_MAX}
            )
        return deadline

    def clean(self):
        data = super().clean()
        kind = data.get("cards")
        if kind == "field" and not data.get("field"):
            self.add_error("field", _("Choose a field."))
        if kind == "list" and len(data.get("values") or []) < 2:
            self.add_error("values", _("Choose at least two values."))
        return data

    def card_set(self) -> str:
        data = self.cleaned_data
        return assignments.card_set(data["cards"], data.get("field", ""), data.get("values", []))


class NicknameForm(forms.Form):
    nickname = forms.CharField(label=_("Your nickname"), max_length=60)

    def clean_nickname(self):
        try:
            return game_rules.clean_nickname(self.cleaned_data["nickname"])
        except game_rules.RuleError as err:
            raise forms.ValidationError(
                NICKNAME_ERRORS.get(err.detail, NICKNAME_ERRORS[""])
            ) from None


NICKNAME_ERRORS = {
    "nickname is not allowed": _("This nickname is not allowed: choose another one."),
    "": _("Type a nickname of 1 to 20 characters, with at least one letter."),
}
