"""Coordinators' topic lists: creating one, changing its settings, closing it (its archive stays
readable, nothing is deleted) and opening it again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from maillage.core import search
from maillage.mailing.models import MailingList


class ListError(Exception):
    pass


# The settings a coordinator chooses on the list's page (the network flag is not one of them).
EDITABLE_FIELDS = (
    "name",
    "slug",
    "local_part",
    "description",
    "posting_policy",
    "min_trust_level",
    "archive_access",
    "reply_policy",
    "subject_prefix",
)


@transaction.atomic
def create_list(*, coordinator: Any, settings: dict[str, Any]) -> MailingList:
    """A new topic list. Nobody is subscribed: members see it on their subscriptions page,
    offered on the web only, and choose email themselves."""
    mailing_list = MailingList(created_by=coordinator, is_network_list=False)
    for name in EDITABLE_FIELDS:
        if name in settings:
            setattr(mailing_list, name, settings[name])
    mailing_list.full_clean()
    mailing_list.save()
    return mailing_list


@transaction.atomic
def update_list(*, mailing_list: MailingList, settings: dict[str, Any]) -> MailingList:
    for name in EDITABLE_FIELDS:
        if name in settings:
            setattr(mailing_list, name, settings[name])
    mailing_list.full_clean()
    mailing_list.save()
    # Its name tags its messages in the search index, its archive's audience finds them.
    search.index(mailing_list)
    return mailing_list


@transaction.atomic
def close_list(*, mailing_list: MailingList) -> MailingList:
    """No more posts, deliveries nor digests; the archive stays where it was."""
    if mailing_list.is_network_list:
        raise ListError(_("The network's list cannot be closed."))
    if mailing_list.is_active:
        mailing_list.is_active = False
        mailing_list.save(update_fields=["is_active"])
    return mailing_list


@transaction.atomic
def reopen_list(*, mailing_list: MailingList) -> MailingList:
    if not mailing_list.is_active:
        mailing_list.is_active = True
        mailing_list.save(update_fields=["is_active"])
    return mailing_list
