"""Forms of the watch: keeping a page (one or many), filtering a list, editing a selection."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import split_tag_names, tag_slug
from maillage.core.visibility import Visibility
from maillage.members.models import User
from maillage.veille.models import URL_MAX_LENGTH, BookmarkSource
from maillage.veille.selectors import BookmarkFilters, Sort
from maillage.veille.services import PASTE_MAX_LINES

# What the bookmarklet may send: the page's address, its title and the selected text.
PREFILL_TITLE_MAX = 300
PREFILL_TEXT_MAX = 2000


class BookmarkForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=URL_MAX_LENGTH,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("Empty: the page's own title, once it is read."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why it is worth reading. Markdown: **bold**, *italics*, > quote, lists."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (for example: réseaux sociaux, musées)."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    to_read = forms.BooleanField(label=_("To read later"), required=False)

    def clean_tags(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("tags") or ""))


class AddBookmarkForm(BookmarkForm):
    """Adding a page: by hand, or opened by the bookmarklet with the page's details filled in."""

    source = forms.ChoiceField(
        choices=[
            (BookmarkSource.MANUAL, BookmarkSource.MANUAL.label),
            (BookmarkSource.BOOKMARKLET, BookmarkSource.BOOKMARKLET.label),
        ],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or BookmarkSource.MANUAL


def prefill_from_bookmarklet(query: Any) -> dict[str, str]:
    """Initial values from the bookmarklet's GET parameters (url, title, text selected on the
    page, which becomes a quote in the notes). Anything else is ignored."""
    initial: dict[str, str] = {}
    url = (query.get("url") or "").strip()[:URL_MAX_LENGTH]
    if url:
        initial["url"] = url
    title = " ".join((query.get("title") or "").split())[:PREFILL_TITLE_MAX]
    if title:
        initial["title"] = title
    text = (query.get("text") or "").strip()[:PREFILL_TEXT_MAX]
    if text:
        initial["notes"] = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
    if query.get("source") == BookmarkSource.BOOKMARKLET:
        initial["source"] = BookmarkSource.BOOKMARKLET
    return initial


class PasteBookmarksForm(forms.Form):
    urls = forms.CharField(
        label=_("Addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=format_lazy(
            _("Up to {count} lines; blank lines are skipped."), count=PASTE_MAX_LINES
        ),
    )
    tags = forms.CharField(
        label=_("Tags for all of them"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see them"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    to_read = forms.BooleanField(label=_("To read later"), required=False)

    def clean_tags(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("tags") or ""))


class BookmarkFilterForm(forms.Form):
    """The filters of a list page, read from the query string; a value that does not make sense
    is left out rather than refused (a shared link with an old member id still works)."""

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_("In the title, the notes or the address."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Bookmarks with all of them; separated by commas."),
    )
    owner = forms.ModelChoiceField(label=_("Member"), required=False, queryset=User.objects.none())
    since = forms.DateField(
        label=_("Added from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Added until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            (Sort.NEWEST, _("Newest first")),
            (Sort.OLDEST, _("Oldest first")),
            (Sort.TITLE, _("By title")),
        ],
    )

    def __init__(self, *args: Any, owners: QuerySet[User] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        if owners is None:
            del self.fields["owner"]
        else:
            owner.queryset = owners
            owner.empty_label = _("All members")

    def filters(self, *, fixed_tags: tuple[str, ...] = ()) -> BookmarkFilters:
        """The valid filters; `fixed_tags` are the page's own (a tag page's tag)."""
        self.is_valid()
        data = self.cleaned_data
        tags = list(fixed_tags)
        for name in split_tag_names(data.get("tags") or ""):
            slug = tag_slug(name)
            if slug and slug not in tags:
                tags.append(slug)
        owner = data.get("owner")
        return BookmarkFilters(
            tags=tuple(tags),
            owner=owner.pk if owner else None,
            since=data.get("since"),
            until=data.get("until"),
            text=(data.get("q") or "").strip(),
            sort=data.get("sort") or Sort.NEWEST,
        )


class BulkAction(models.TextChoices):
    ADD_TAGS = "add_tags", _("Add these tags")
    REMOVE_TAGS = "remove_tags", _("Remove these tags")
    SET_VISIBILITY = "set_visibility", _("Change who can see them")
    DELETE = "delete", _("Delete")


class BulkEditForm(forms.Form):
    """What to do with the bookmarks ticked on a list page (the ids come as `ids`)."""

    action = forms.ChoiceField(choices=BulkAction.choices)
    bulk_tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    bulk_visibility = forms.ChoiceField(
        label=_("Visibility"), required=False, choices=[("", "—"), *Visibility.choices]
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ids: list[int] = []
        if isinstance(self.data, QueryDict):
            for value in self.data.getlist("ids"):
                try:
                    self.ids.append(int(value))
                except (TypeError, ValueError):
                    continue

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.ids:
            raise forms.ValidationError(_("Tick at least one bookmark first."))
        action = cleaned.get("action")
        if action in {BulkAction.ADD_TAGS, BulkAction.REMOVE_TAGS}:
            names = split_tag_names(cleaned.get("bulk_tags") or "")
            if not names:
                self.add_error("bulk_tags", _("Give at least one tag."))
            cleaned["tag_names"] = names
        if action == BulkAction.SET_VISIBILITY and not cleaned.get("bulk_visibility"):
            self.add_error("bulk_visibility", _("Choose who can see them."))
        return cleaned
