"""Forms of the first steps: proposing an objection or an answer, the coordinators' edit, the
questionnaire and the licence chooser."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import HoneypotMixin
from maillage.onboarding.models import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    AnswerKind,
    AnswerVisibility,
    Objection,
    Practice,
)

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, [links](https://…), lists with -.")


class GuestFieldsMixin(HoneypotMixin, forms.Form):
    """A visitor without an account signs with a name; the address is only for the answer."""

    guest_name = forms.CharField(label=_("Your name"), max_length=120)
    guest_email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_("Never shown. Only to tell you if a coordinator does not publish it."),
    )


class ObjectionForm(forms.Form):
    title = forms.CharField(
        label=_("The objection, in the words you heard"),
        max_length=160,
        help_text=_("For example: “I’m afraid of saying something wrong in public”."),
    )
    explanation = forms.CharField(
        label=_("What lies behind it (optional)"),
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )


class GuestObjectionForm(GuestFieldsMixin, ObjectionForm):
    field_order = ["title", "explanation", "guest_name", "guest_email", "website"]


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("You write"),
        choices=[
            (AnswerKind.ANSWER, _("an answer: what to say or do, in a few lines")),
            (
                AnswerKind.TESTIMONY,
                _("a testimony: how you convinced your director or a colleague"),
            ),
        ],
        initial=AnswerKind.ANSWER,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title (optional)"),
        required=False,
        max_length=160,
        help_text=_("A testimony reads better with one: “How I convinced my director”."),
    )
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            "{} {}", _("Short and practical: what helped you, what you would say."), MARKDOWN_HELP
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=AnswerVisibility.choices,
        initial=AnswerVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)


class GuestAnswerForm(GuestFieldsMixin, AnswerForm):
    field_order = ["kind", "title", "body", "guest_name", "guest_email", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A guest writes for everyone: only members read members-only answers.
        del self.fields["visibility"]


class ObjectionEditForm(forms.ModelForm):
    """The coordinators' form: the wording, and the links to go further."""

    class Meta:
        model = Objection
        fields = ["title", "explanation", "projects", "articles", "events"]
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 5}),
            "projects": forms.CheckboxSelectMultiple,
            "articles": forms.CheckboxSelectMultiple,
            "events": forms.CheckboxSelectMultiple,
        }
        help_texts = {"explanation": MARKDOWN_HELP}

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        from maillage.articles.selectors import listed_articles
        from maillage.events.selectors import visible_events
        from maillage.showcase.selectors import listed_projects

        super().__init__(*args, **kwargs)
        choices: dict[str, QuerySet[Any]] = {
            "projects": listed_projects(viewer).order_by("name"),
            "articles": listed_articles(viewer).order_by("-published_at"),
            "events": visible_events(viewer).exclude(status="draft").order_by("-starts_at"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
            field.required = False


class QuestionnaireForm(forms.Form):
    practices = forms.ModelMultipleChoiceField(
        label=_("Every week, I…"),
        queryset=Practice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that apply."),
    )
    objections = forms.ModelMultipleChoiceField(
        label=_("What holds me back (optional: nobody will know it was you)"),
        queryset=Objection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        practices: QuerySet[Practice],
        objections: QuerySet[Objection],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        practice_field = self.fields["practices"]
        objection_field = self.fields["objections"]
        assert isinstance(practice_field, forms.ModelMultipleChoiceField)
        assert isinstance(objection_field, forms.ModelMultipleChoiceField)
        practice_field.queryset = practices
        objection_field.queryset = objections

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("practices") and not cleaned.get("objections") and not self.errors:
            raise forms.ValidationError(
                _("Tick at least one thing you do, or one thing that holds you back."),
                code="empty",
            )
        return cleaned


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class LicenceChooserForm(forms.Form):
    commercial = forms.ChoiceField(
        label=_(
            "May a newspaper, a publisher or a company use your photos to earn money, "
            "without asking you?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    modifications = forms.ChoiceField(
        label=_("May people change them: crop, retouch, put them in a montage?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    share_alike = forms.ChoiceField(
        label=_("If they change them, must they share the result under the same licence?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only counts if you answered yes just above."),
    )

    def answers(self) -> dict[str, bool]:
        data = self.cleaned_data
        return {
            "commercial": data["commercial"] == "yes",
            "modifications": data["modifications"] == "yes",
            "share_alike": data.get("share_alike") == "yes",
        }
