"""The coordinators' forms: the network's review policy, a rejection's reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.review.models import KIND_LABELS, ReviewAction, ReviewPolicy, kind_label

KIND_FIELD_PREFIX = "kind_"


class ReviewPolicyForm(forms.ModelForm):
    """The policy's fields, and one choice per kind of content for its default action."""

    class Meta:
        model = ReviewPolicy
        fields = [
            "trust_level_to_publish",
            "first_contributions",
            "max_links",
            "watch_words",
            "guest_action",
            "silence_hours",
            "sample_rate",
        ]
        widgets = {"watch_words": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = dict(self.instance.kind_defaults or {})
        for kind in [*KIND_LABELS, *sorted(set(defaults) - set(KIND_LABELS))]:
            self.fields[f"{KIND_FIELD_PREFIX}{kind}"] = forms.ChoiceField(
                label=kind_label(kind).capitalize(),
                choices=ReviewAction.choices,
                initial=defaults.get(kind, ReviewAction.PUBLISH),
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(KIND_FIELD_PREFIX)]

    def policy_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(KIND_FIELD_PREFIX)]

    def clean_watch_words(self) -> str:
        text = self.cleaned_data["watch_words"]
        for line in text.splitlines():
            _word, separator, action = line.partition("=")
            if separator and action.strip().lower() not in {"reject", "rejeter", "hold", "retenir"}:
                raise forms.ValidationError(
                    _("After “=”, write “reject” (or nothing, to hold): %(line)s"),
                    params={"line": line.strip()},
                    code="invalid_watch_word",
                )
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def save(self, commit: bool = True) -> ReviewPolicy:
        policy = super().save(commit=False)
        policy.kind_defaults = {
            name.removeprefix(KIND_FIELD_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(KIND_FIELD_PREFIX) and value != ReviewAction.PUBLISH
        }
        if commit:
            policy.save()
        return policy


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the author"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
