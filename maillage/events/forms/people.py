"""Forms for people: registering (members and guests), filtering lists, the door."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Tag
from maillage.events.models import (
    EventKind,
    QuestionKind,
    RegistrationQuestion,
)
from maillage.members.models import Profession

# --- Registering ---------------------------------------------------------------------------------


class QuestionsMixin:
    """Adds one field per registration question of the event: question_<pk>."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_question_fields(self, questions: list[RegistrationQuestion]) -> None:
        self.questions = questions
        for question in questions:
            field: forms.Field
            if question.kind == QuestionKind.CHOICE:
                options = [(choice, choice) for choice in question.choice_list]
                field = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=options,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=question.label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.fields[f"question_{question.pk}"] = field

    def question_fields(self) -> list[Any]:
        return [self[f"question_{question.pk}"] for question in self.questions]  # type: ignore[index]

    def answers(self) -> dict[int, str]:
        """{question id: answer} for the answered questions."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            if value:
                result[question.pk] = str(value)
        return result


class MemberRegistrationForm(QuestionsMixin, forms.Form):
    """A member registers in one click; only the event's questions, if any, are asked."""

    def __init__(self, *args: Any, questions: list[RegistrationQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_question_fields(questions)


class GuestRegistrationForm(QuestionsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link to confirm your registration."),
    )
    profession = forms.ChoiceField(
        label=_("Your profession"),
        choices=[("", _("(choose)")), *[(v, capfirst(label)) for v, label in Profession.choices]],
        help_text=_("It helps facilitators prepare the workshop."),
    )

    def __init__(self, *args: Any, questions: list[RegistrationQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_question_fields(questions)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


# --- Lists ---------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *[(v, capfirst(label)) for v, label in EventKind.choices]],
    )
    tag = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Tag.objects.none(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )

    def __init__(self, *args: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ModelChoiceField)
        tag_field.queryset = tags

    def values(self) -> tuple[str, str]:
        """(kind, tag slug); a stale value still filters, to nothing, rather than vanishing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        tag = data.get("tag")
        return (
            data.get("kind") or "",
            tag.slug if tag else str(self.data.get("tag") or "")[:60],
        )


# --- At the door ---------------------------------------------------------------------------------


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"id": "check-in-q", "autocomplete": "off"}),
        help_text=_("A name, an email address or a check-in code."),
    )


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("Email address"), required=False, max_length=254)
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[
            ("", _("(not given)")),
            *[(v, capfirst(label)) for v, label in Profession.choices],
        ],
    )
    institution_name = forms.CharField(label=_("Institution"), required=False, max_length=200)
