"""Forms several apps share: the links to go further of a profile or of an event's report, and
the honeypot of the forms visitors fill in without an account."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

MAX_LINKS = 5
HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    """A field people leave empty (the template hides it: `<div class="honeypot" hidden>`);
    robots that fill every field reveal themselves."""

    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD)))


class LinkForm(forms.Form):
    """One link: an http(s) address and an optional title, a field that `link_formset_class` adds
    as long as the model allows."""

    url = forms.URLField(
        label=_("Address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("title") and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the address of this link."))
        return cleaned


class BaseLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[tuple[str, str]]:
        """(title, url) pairs; an untitled link is named after its address."""
        title_max_length = cast(forms.CharField, self.form.base_fields["title"]).max_length
        result = []
        for form in self.forms:
            url = form.cleaned_data.get("url")
            if url:
                title = form.cleaned_data.get("title") or url.split("://", 1)[-1].rstrip("/")
                result.append((title[:title_max_length], url))
        return result


def link_formset_class(*, title_max_length: int) -> type[BaseLinkFormSet]:
    """Always MAX_LINKS rows in all, the existing links first (no JavaScript needed to add one)."""
    form_class = type(
        "LinkForm",
        (LinkForm,),
        {"title": forms.CharField(label=_("Title"), required=False, max_length=title_max_length)},
    )
    formset_class = forms.formset_factory(
        form_class,
        formset=BaseLinkFormSet,
        extra=MAX_LINKS,
        max_num=MAX_LINKS,
        validate_max=True,
        absolute_max=MAX_LINKS,
    )
    return cast(type[BaseLinkFormSet], formset_class)
