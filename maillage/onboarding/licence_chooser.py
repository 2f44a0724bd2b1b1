"""The licence chooser of the "photos" first step: three plain questions lead to a Creative
Commons licence (core.licences), and each licence is explained in a few plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.core.licences import Licence

# The licences the three questions can lead to, from the most open to the most closed.
CHOOSABLE = (
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.CC_BY_ND,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.CC_BY_NC_ND,
)
# Every licence the page explains: the choosable ones, then the two ends of the range.
EXPLAINED = (*CHOOSABLE, Licence.CC0, Licence.ALL_RIGHTS_RESERVED)


def choose_licence(*, commercial: bool, modifications: bool, share_alike: bool) -> Licence:
    """The Creative Commons licence that says yes to what the author accepts, and no to the
    rest. Share-alike only matters when modifications are allowed."""
    share_alike = share_alike and modifications
    for licence in CHOOSABLE:
        details = licence.details
        if (
            details.allows_commercial_use == commercial
            and details.allows_derivatives == modifications
            and details.requires_share_alike == share_alike
        ):
            return licence
    raise LookupError("No Creative Commons licence matches these answers.")  # pragma: no cover


@dataclass(frozen=True)
class Explanation:
    licence: Licence
    in_short: str | Promise
    others_may: str | Promise
    others_must: str | Promise
    good_for: str | Promise

    @property
    def short_label(self) -> str:
        return self.licence.short_label

    @property
    def deed_url(self) -> str | None:
        return self.licence.deed_url


EXPLANATIONS: dict[Licence, Explanation] = {
    Licence.CC_BY: Explanation(
        Licence.CC_BY,
        _("Do what you like with it, as long as you name me."),
        _("Copy, share, modify and use your photos, even to earn money."),
        _("Name you as the author and link to the licence."),
        _("Photos you want to travel as far as possible: Wikipedia accepts them."),
    ),
    Licence.CC_BY_SA: Explanation(
        Licence.CC_BY_SA,
        _("Do what you like with it, name me, and share alike."),
        _("Copy, share, modify and use your photos, even to earn money."),
        _("Name you, and publish what they make from them under the same licence."),
        _("Photos meant for shared projects, like Wikipedia: improvements stay free for everyone."),
    ),
    Licence.CC_BY_ND: Explanation(
        Licence.CC_BY_ND,
        _("Share it as it is, name me, change nothing."),
        _("Copy and share your photos, even to earn money, but only unchanged."),
        _("Name you, and neither crop, retouch nor include them in a montage."),
        _("Photos of an artwork or a document that must be shown exactly as they are."),
    ),
    Licence.CC_BY_NC: Explanation(
        Licence.CC_BY_NC,
        _("Do what you like with it, name me, and earn no money from it."),
        _("Copy, share and modify your photos for uses that earn nothing."),
        _("Name you; a publisher or a company has to ask you first."),
        _("Photos a school, a library or an association may reuse freely, not a business."),
    ),
    Licence.CC_BY_NC_SA: Explanation(
        Licence.CC_BY_NC_SA,
        _("Name me, earn nothing from it, and share alike."),
        _("Copy, share and modify your photos for uses that earn nothing."),
        _("Name you, and publish what they make from them under the same licence."),
        _("Photos for the network and for teaching, whose reworkings stay just as open."),
    ),
    Licence.CC_BY_NC_ND: Explanation(
        Licence.CC_BY_NC_ND,
        _("Share it as it is, name me, earn nothing from it."),
        _("Copy and share your photos unchanged, for uses that earn nothing."),
        _("Name you; change nothing; ask you for anything else."),
        _("A first step: your photos circulate, and you keep a say on everything else."),
    ),
    Licence.CC0: Explanation(
        Licence.CC0,
        _("I give it to everyone (public domain)."),
        _("Everything, without even naming you."),
        _("Nothing: you give up your rights as far as the law allows."),
        _("Pictures of old documents already in the public domain, or data."),
    ),
    Licence.ALL_RIGHTS_RESERVED: Explanation(
        Licence.ALL_RIGHTS_RESERVED,
        _("Ask me first (no free licence)."),
        _("Look at your photos where you published them, nothing more."),
        _("Ask your permission for any reuse, even to share."),
        _("What you cannot or do not want to share (portraits without consent, loans)."),
    ),
}


def explanations() -> list[Explanation]:
    return [EXPLANATIONS[licence] for licence in EXPLAINED]
