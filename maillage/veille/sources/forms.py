"""Forms of the sources pages: subscribe, choose among a site's feeds, rename and tag, OPML,
and the reader's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from maillage.veille.sources.models import Subscription
from maillage.veille.sources.opml import MAX_OPML_BYTES

TAGS_HELP = _("Separated by commas (for example: musées, médiation numérique).")


class SubscribeForm(forms.Form):
    url = forms.URLField(
        label=_("Address of the feed or of the site"),
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A site's address will do: its feeds are looked for."),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Optional: the feed's own title is used otherwise."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500, help_text=TAGS_HELP)
    for_network = forms.BooleanField(
        label=_("Source of the network (every member reads it)"), required=False
    )

    def __init__(self, *args: Any, can_manage_network: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_manage_network:
            del self.fields["for_network"]


class ChooseFeedsForm(forms.Form):
    feeds = forms.MultipleChoiceField(
        label=_("Feeds to follow"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, offered: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["feeds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (feed["url"], f"{feed['title']} — {feed['url']}" if feed.get("title") else feed["url"])
            for feed in offered
        ]


class SubscriptionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the feed's."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500, help_text=TAGS_HELP)

    @classmethod
    def for_subscription(cls, subscription: Subscription) -> SubscriptionForm:
        return cls(
            initial={
                "title": subscription.title,
                "tags": ", ".join(tag.name for tag in subscription.tags.all()),
            }
        )


class OpmlImportForm(forms.Form):
    file = forms.FileField(
        label=_("OPML file"),
        help_text=_("Exported from another reader (Feedly, Inoreader, Thunderbird…)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".opml,.xml,text/x-opml,text/xml"}),
    )
    for_network = forms.BooleanField(label=_("Sources of the network"), required=False)

    def __init__(self, *args: Any, can_manage_network: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_manage_network:
            del self.fields["for_network"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(_("This file is too large for an OPML file."))
        return upload


class ReaderFilterForm(forms.Form):
    source = forms.TypedChoiceField(label=_("Source"), required=False, coerce=int, empty_value=None)
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def __init__(self, *args: Any, subscriptions: list[Subscription], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.TypedChoiceField)
        mine = [(s.pk, s.display_title) for s in subscriptions if not s.for_network]
        network = [(s.pk, s.display_title) for s in subscriptions if s.for_network]
        choices: list[Any] = [("", _("All my sources and the network's"))]
        if mine:
            choices.append((_("My sources"), mine))
        if network:
            choices.append((_("The network's sources"), network))
        field.choices = choices
