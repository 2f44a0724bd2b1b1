"""Forms for writing an article, publishing it, filtering the list, and suggesting links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.articles.models import (
    VERBATIM_FIELDS,
    Article,
    ArticleVisibility,
    validate_cover_size,
)
from maillage.articles.selectors import Kind
from maillage.core.models import Tag
from maillage.core.tags import split_tag_names
from maillage.events.models import Event
from maillage.members.models import User


class HttpURLField(forms.URLField):
    """An http(s) address; one typed without its scheme is taken as https://."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


VERBATIM_NOTICE = _("NoDerivatives licence: the republished text stays as its author published it.")


class ArticleForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (for example: wikipédia, médiation numérique)."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "authors",
            "event",
            "language",
            "licence",
            "visibility",
            "cover_image",
            "cover_alt",
        ]
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "body": _("Text"),
            "authors": _("Authors"),
            "event": _("Report of the event"),
            "language": _("Language of the article"),
            "licence": _("Licence"),
            "visibility": _("Who can read this article"),
            "cover_image": _("Cover image"),
            "cover_alt": _("Text alternative of the image"),
        }
        help_texts = {
            "summary": _("One or two sentences shown in lists, feeds and shares."),
            "body": _("Markdown: **bold**, *italics*, ## headings, lists, [links](https://…)."),
            "authors": _("Hold Ctrl (or Cmd) to choose several."),
            "event": _("Choose the workshop when this article is its report."),
            "licence": _("Creative Commons BY-SA lets others share and adapt it, crediting you."),
            "cover_image": _("JPEG, PNG or WebP; 3 MB at most."),
            "cover_alt": _("Required with an image: what it shows, for people who cannot see it."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 18}),
            "authors": forms.SelectMultiple(attrs={"size": 6}),
            "cover_image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }

    def __init__(self, *args: Any, events: QuerySet[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authors = self.fields["authors"]
        assert isinstance(authors, forms.ModelMultipleChoiceField)
        authors.queryset = User.objects.filter(is_active=True).order_by("display_name", "pk")
        authors.required = False
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = events
        event.empty_label = _("None (an article)")
        cover = self.fields["cover_image"]
        cover.widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())
        if not (self.instance.pk and self.instance.cover_image):
            del self.fields["remove_cover"]
        # A NoDerivatives republication: its words are shown, not editable (the service refuses
        # a change too); a disabled field keeps the stored value whatever is posted.
        self.verbatim_notice = VERBATIM_NOTICE if self.instance.is_verbatim_only else None
        if self.verbatim_notice:
            for name in VERBATIM_FIELDS:
                self.fields[name].disabled = True

    def clean_tag_names(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("tag_names") or ""))

    def clean_cover_image(self) -> Any:
        upload = self.cleaned_data.get("cover_image")
        if isinstance(upload, UploadedFile):
            validate_cover_size(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Without a new upload the field gives back the stored file (then "remove" may apply).
        new_upload = isinstance(cleaned.get("cover_image"), UploadedFile)
        has_image = new_upload or (
            bool(self.instance.cover_image) and not cleaned.get("remove_cover")
        )
        if has_image and not (cleaned.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the image for people who cannot see it."))
        return cleaned

    def _post_clean(self) -> None:
        # The service applies the values (and checks them); the form only validates its fields.
        pass


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Empty: now. A later date schedules the publication (Paris time)."),
    )


class ArticleFilterForm(forms.Form):
    tag = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Tag.objects.none(), to_field_name="slug"
    )
    author = forms.ModelChoiceField(label=_("Author"), required=False, queryset=User.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Articles and reports")),
            (Kind.ARTICLE, _("Articles")),
            (Kind.REPORT, _("Workshop reports")),
        ],
    )

    def __init__(self, *args: Any, tags: QuerySet[Tag], authors: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        tag = self.fields["tag"]
        assert isinstance(tag, forms.ModelChoiceField)
        tag.queryset = tags
        tag.empty_label = _("All topics")
        author = self.fields["author"]
        assert isinstance(author, forms.ModelChoiceField)
        author.queryset = authors
        author.empty_label = _("All authors")

    def values(self) -> tuple[str, int | None, str]:
        """(tag slug, author id, kind); an unknown value is ignored rather than refused."""
        if not self.is_valid():
            return "", None, ""
        tag, author = self.cleaned_data.get("tag"), self.cleaned_data.get("author")
        return (
            tag.slug if tag else "",
            author.pk if author else None,
            self.cleaned_data.get("kind") or "",
        )


class FurtherLinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = HttpURLField(label=_("Address"))
    note = forms.CharField(label=_("Short note"), required=False, max_length=300)


class LinkSuggestionForm(FurtherLinkForm):
    """Members suggest as themselves; guests give a name and an address (for the answer)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("To tell you the answer; never shown."),
    )

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["name"]
            del self.fields["email"]


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class AttachmentForm(forms.Form):
    """A file for the article's readers; the file may be left out (a blank row of a formset)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, image, slides; 10 MB at most.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 10 MB."))
        return upload


class NewAttachmentForm(AttachmentForm):
    """One file added on the article's page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Note to the person (optional)"), required=False, max_length=500
    )


VISIBILITY_CHOICES = ArticleVisibility.choices
