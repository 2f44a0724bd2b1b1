"""The inbox's forms: the public's question (no account), an answer, passing a question on,
the settings, holidays and absences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import HoneypotMixin
from maillage.inbox.models import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Absence,
    AnswerKind,
    Holiday,
    InboxSettings,
)
from maillage.voices.models import Voice


class AskForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Never shown. We send you a link to confirm your question, then the answer."),
    )
    subject = forms.CharField(
        label=_("Subject (optional)"), max_length=SUBJECT_MAX_LENGTH, required=False
    )
    body = forms.CharField(
        label=_("Your question"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent_public = forms.BooleanField(
        label=_("The answer may be published with my question on this page, without my name."),
        required=False,
        help_text=_("Others may have the same question. You can change your mind later."),
    )

    field_order = ["name", "email", "subject", "body", "consent_public", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "question")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Send it"), widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italics*, [links](https://…), lists with -."),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(AnswerKind.choices)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind, labels[kind]) for kind in kinds]
        if kinds:
            field.initial = AnswerKind.PUBLIC if AnswerKind.PUBLIC in kinds else kinds[0]


class AssignForm(forms.Form):
    voice = forms.ModelChoiceField(label=_("Give it to"), queryset=Voice.objects.none())
    note = forms.CharField(label=_("A word for them (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, voices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["voice"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = voices


class SettingsForm(forms.ModelForm):
    class Meta:
        model = InboxSettings
        fields = [
            "accepts_questions",
            "response_hours",
            "reminder_hours",
            "email_address",
            "triage_role",
        ]

    def clean_email_address(self) -> str:
        address = (self.cleaned_data.get("email_address") or "").strip().lower()
        if address:
            others = InboxSettings.objects.filter(email_address__iexact=address).exclude(
                pk=self.instance.pk
            )
            if others.exists():
                raise forms.ValidationError(_("Another institution uses this address."))
        return address


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["day", "name"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"})}


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["voice", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, voices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["voice"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = voices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The absence must end on or after its first day."))
        return cleaned


class OwnAbsenceForm(forms.Form):
    """A voice's own absence (the administrators' form names the voice)."""

    starts_on = forms.DateField(
        label=_("Away from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("to (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "absence")
        super().__init__(*args, **kwargs)
