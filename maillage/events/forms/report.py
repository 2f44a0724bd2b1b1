"""Closing an event: its report (an article), links to go further, attachments; who came."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.articles.forms import AttachmentForm
from maillage.core.forms import link_formset_class

MAX_ATTACHMENTS = 3

# --- Closing -------------------------------------------------------------------------------------


class CloseEventForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the report"),
        max_length=200,
        help_text=_("The report is published as an article attached to the event."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists, feeds and shares."),
    )
    body = forms.CharField(
        label=_("Report"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. What was said and done, in your words."),
    )
    outcomes = forms.CharField(
        label=_("Outcomes and ideas"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Decisions, ideas to follow up, next steps."),
    )
    attendees_count = forms.IntegerField(
        label=_("Number of attendees"),
        min_value=0,
        max_value=100_000,
        help_text=_("Prefilled from the check-ins; correct it if people were not ticked."),
    )


class AttendanceForm(forms.Form):
    """Who came to a closed event, corrected later."""

    attendees_count = forms.IntegerField(
        label=_("Number of attendees"), min_value=0, max_value=100_000
    )
    recount = forms.BooleanField(
        label=_("Count the professions and institutions present again, from the check-ins"),
        required=False,
    )


ReportLinkFormSet = link_formset_class(title_max_length=200)


class BaseReportAttachmentFormSet(forms.BaseFormSet):
    def attachments(self) -> list[tuple[str, Any]]:
        """(title, uploaded file) pairs; an untitled file is named after the file."""
        result = []
        for form in self.forms:
            upload = form.cleaned_data.get("file")
            if upload:
                result.append(((form.cleaned_data.get("title") or upload.name)[:200], upload))
        return result


ReportAttachmentFormSet = cast(
    type[BaseReportAttachmentFormSet],
    forms.formset_factory(
        AttachmentForm,
        formset=BaseReportAttachmentFormSet,
        extra=MAX_ATTACHMENTS,
        max_num=MAX_ATTACHMENTS,
        absolute_max=MAX_ATTACHMENTS,
    ),
)
