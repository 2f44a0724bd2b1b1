"""Forms for partner feeds: subscribing (or changing a subscription), and sharing an item."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.articles.forms import HttpURLField
from maillage.articles.syndication.models import Subscription
from maillage.articles.syndication.services import SubscriptionData
from maillage.core.licences import Licence


class SubscriptionForm(forms.ModelForm):
    feed_url = HttpURLField(
        label=_("Feed address"),
        help_text=_(
            "The RSS or Atom feed, or the blog's home page: its feed is then found in the page."
        ),
    )
    site_url = HttpURLField(label=_("Site address"), required=False)

    class Meta:
        model = Subscription
        fields = ["name", "feed_url", "site_url", "default_licence", "is_active"]
        labels = {
            "name": _("Partner"),
            "default_licence": _("Licence when the feed names none"),
            "is_active": _("Fetch this feed regularly"),
        }
        help_texts = {"name": _("As the attribution line names it, for example Doc@Rennes.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "subscription")
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["default_licence"])
        field.choices = [
            ("", _("None: the feed's items without a licence can only be quoted")),
            *Licence.choices,
        ]

    def data_for_service(self) -> SubscriptionData:
        data = self.cleaned_data
        return SubscriptionData(
            name=data["name"],
            feed_url=data["feed_url"],
            site_url=data.get("site_url") or "",
            default_licence=data.get("default_licence") or "",
            is_active=bool(data.get("is_active")),
        )


class ShareForm(forms.Form):
    """How an item becomes an article: a draft to look over first, or published at once."""

    publish = forms.TypedChoiceField(
        label=_("As"),
        choices=[("0", _("a draft")), ("1", _("an article published now"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
