"""The search page's form: what was typed and the filters (kind, tag, dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.search.query import MAX_QUERY_LENGTH
from maillage.core.search.registry import Kind


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    kind: str = ""
    tag: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_(
            'Every word counts; "an exact phrase" between quotes, -word to leave out, '
            "#tag, @member."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def values(self, page: Any = 1) -> SearchRequest:
        """What to search; an invalid filter is left out rather than failing the search."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        try:
            number = max(1, int(page or 1))
        except (TypeError, ValueError):
            number = 1
        return SearchRequest(
            text=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            tag=(data.get("tag") or "").strip(),
            since=data.get("since"),
            until=data.get("until"),
            page=number,
        )
