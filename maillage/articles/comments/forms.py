"""The comment forms: members write a body; guests sign with a name and an email address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.articles.comments.models import BODY_MAX_LENGTH
from maillage.core.forms import HoneypotMixin


class MemberCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX_LENGTH,
        help_text=_("Markdown: **bold**, *italics*, [links](https://…), > quotes."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Names and ids of their own on pages with other forms (an event's registration form).
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)


class GuestCommentForm(HoneypotMixin, MemberCommentForm):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Never shown. We send you a link to confirm your comment."),
    )

    field_order = ["name", "email", "body", "parent", "website"]


class EditCommentForm(forms.Form):
    body = MemberCommentForm.base_fields["body"]
