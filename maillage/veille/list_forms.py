"""Forms of the curated lists: the list itself, adding a page to it, an item's note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.core.visibility import Visibility
from maillage.veille.lists import DOWN, NOTE_MAX_LENGTH, UP, ListContent
from maillage.veille.models import URL_MAX_LENGTH, BookmarkList


class BookmarkListForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the list is for, who made it. Markdown: **bold**, *italics*, lists."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "Each bookmark of the list keeps its own visibility: a private bookmark is only "
            "shown to its owner, even in a public list."
        ),
    )
    is_network_list = forms.BooleanField(
        label=_("List of the network"),
        required=False,
        help_text=_("Kept by the coordinators on behalf of the whole network."),
    )

    def __init__(self, *args: Any, network_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not network_allowed:
            del self.fields["is_network_list"]

    @classmethod
    def initial_for(cls, bookmark_list: BookmarkList) -> dict[str, Any]:
        return {
            "title": bookmark_list.title,
            "description": bookmark_list.description,
            "visibility": bookmark_list.visibility,
            "is_network_list": bookmark_list.is_network_list,
        }

    def content(self) -> ListContent:
        data = self.cleaned_data
        return ListContent(
            title=data["title"],
            description=data.get("description") or "",
            visibility=data["visibility"],
            is_network_list=bool(data.get("is_network_list")),
        )


class NoteField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Note"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTE_MAX_LENGTH)
        kwargs.setdefault("help_text", _("Why it is in this list (optional, one sentence)."))
        super().__init__(**kwargs)


class ListAddressForm(forms.Form):
    """Add a page to a list from the list's page, by its address."""

    url = forms.URLField(
        label=_("Address of the page"),
        max_length=URL_MAX_LENGTH,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_(
            "A page already kept in the watch is added as it is; another one is kept in your "
            "bookmarks first."
        ),
    )
    note = NoteField()


class ItemNoteForm(forms.Form):
    note = NoteField()


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, UP), (DOWN, DOWN)])


class AddToListForm(forms.Form):
    """Add a bookmark to one of the lists the person keeps (from the bookmark's page)."""

    bookmark_list = forms.ModelChoiceField(
        label=_("List"), queryset=BookmarkList.objects.none(), empty_label=None
    )
    note = NoteField()

    def __init__(self, *args: Any, lists: QuerySet[BookmarkList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bookmark_list"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = lists
