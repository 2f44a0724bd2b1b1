"""Closing an event: the report, its links to go further and its attachments."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import link_formset_class
from maillage.events.models import EventReport, ReportAttachment

MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

# --- Closing -------------------------------------------------------------------------------------


class CloseEventForm(forms.Form):
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


class ReportEditForm(CloseEventForm):
    """The report of a closed event, corrected later; attachments can be removed."""

    attendees_count = forms.IntegerField(label=_("Number of attendees"), min_value=0)
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove these attachments"),
        required=False,
        queryset=ReportAttachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    refresh_attendance = forms.BooleanField(
        label=_("Count the professions and institutions present again, from the check-ins"),
        required=False,
    )

    def __init__(self, *args: Any, report: EventReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remove_attachments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = report.attachments.all()
        if not report.attachments.exists():
            del self.fields["remove_attachments"]


ReportLinkFormSet = link_formset_class(title_max_length=200)


class ReportAttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, image, slides; 10 MB at most.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 10 MB."))
        return upload


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
        ReportAttachmentForm,
        formset=BaseReportAttachmentFormSet,
        extra=MAX_ATTACHMENTS,
        max_num=MAX_ATTACHMENTS,
        absolute_max=MAX_ATTACHMENTS,
    ),
)
