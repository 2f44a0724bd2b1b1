"""Forms of the list: writing a new thread or a reply (Markdown), and choosing one's
subscriptions and the tags followed in the digest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from maillage.mailing import addresses
from maillage.mailing.models import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    DeliveryMode,
    MailingList,
    Subscription,
)
from maillage.mailing.services.lists import EDITABLE_FIELDS

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, [links](https://…), > quotes, - lists.")
NOT_SUBSCRIBED = "none"


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NewThreadForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class PreviewForm(forms.Form):
    body = forms.CharField(max_length=BODY_MAX_LENGTH, required=False)


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label=_("Search this list"), max_length=200, required=False)


def mode_choices() -> list[tuple[str, Any]]:
    return [
        (NOT_SUBSCRIBED, _("Not subscribed")),
        *((value, capfirst(label)) for value, label in DeliveryMode.choices),
    ]


class SubscriptionsForm(forms.Form):
    """One choice per list (how to receive it, or not at all), and the followed tags."""

    followed_tags = forms.CharField(
        label=_("Tags you follow"),
        required=False,
        max_length=600,
        help_text=_(
            "New shared bookmarks in these tags come in your digest, separated by commas. "
            "Empty: your declared expertise is used."
        ),
    )

    def __init__(
        self,
        *args: Any,
        lists: Iterable[MailingList],
        subscriptions: dict[int, Subscription],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lists = list(lists)
        for mailing_list in self.lists:
            subscription = subscriptions.get(mailing_list.pk)
            current: str
            if subscription is None and not mailing_list.is_network_list:
                # A topic list the member has never chosen for: read on the web, no email
                # until they ask (the network's list is asked for at sign-up).
                current = DeliveryMode.WEB_ONLY
            elif subscription is not None and subscription.active:
                current = subscription.mode
            else:
                current = NOT_SUBSCRIBED
            self.fields[self.field_name(mailing_list)] = forms.ChoiceField(
                label=f"{mailing_list.name} ({addresses.list_address(mailing_list)})",
                choices=mode_choices(),
                initial=current,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(mailing_list: MailingList) -> str:
        return f"list_{mailing_list.pk}"

    def list_fields(self) -> list[tuple[MailingList, forms.BoundField]]:
        return [(mailing_list, self[self.field_name(mailing_list)]) for mailing_list in self.lists]

    def chosen_modes(self) -> dict[MailingList, str | None]:
        """Each list's chosen mode; None: not subscribed."""
        chosen = {
            mailing_list: self.cleaned_data[self.field_name(mailing_list)]
            for mailing_list in self.lists
        }
        return {
            mailing_list: None if mode == NOT_SUBSCRIBED else mode
            for mailing_list, mode in chosen.items()
        }


class MailingListForm(forms.ModelForm):
    """A coordinator's settings of a list; the address must be free (no other list's, nor a
    name the mail server or another app keeps), the page address follows it when left empty."""

    class Meta:
        model = MailingList
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The list's page address on the site. Empty: taken from the email address."
        )

    def _others(self) -> Any:
        others = MailingList.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others

    def clean_local_part(self) -> str:
        value = str(self.cleaned_data["local_part"]).strip().lower()
        if self._others().filter(local_part=value).exists():
            raise forms.ValidationError(_("Another list already has this address."))
        if addresses.owned_by_another_app(value):
            raise forms.ValidationError(_("This address is already used on the site."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        slug = cleaned.get("slug") or slugify(
            str(cleaned.get("local_part") or "").replace(".", "-")
        )
        if slug and self._others().filter(slug=slug).exists():
            self.add_error("slug", _("Another list already has this page address."))
        cleaned["slug"] = slug
        return cleaned
