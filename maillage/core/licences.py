"""The licences content can carry: the Creative Commons family and "all rights reserved"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    """Stored as SPDX identifiers, so exports and feeds can name the licence as others do."""

    CC0 = "CC0-1.0", _("Creative Commons Zero 1.0 Universal (public domain dedication)")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 International")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 International")
    CC_BY_ND = "CC-BY-ND-4.0", _("Creative Commons Attribution-NoDerivatives 4.0 International")
    CC_BY_NC = "CC-BY-NC-4.0", _("Creative Commons Attribution-NonCommercial 4.0 International")
    CC_BY_NC_SA = (
        "CC-BY-NC-SA-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International"),
    )
    CC_BY_NC_ND = (
        "CC-BY-NC-ND-4.0",
        _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International"),
    )
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")

    @property
    def details(self) -> LicenceDetails:
        return LICENCE_DETAILS[self]

    @property
    def short_label(self) -> str:
        return str(self.details.short_label)

    @property
    def deed_url(self) -> str | None:
        return self.details.deed_url

    @property
    def allows_sharing(self) -> bool:
        """True when others may copy and share the work without asking (every CC licence)."""
        return self.details.deed_url is not None

    def deed_url_in(self, language: str | None) -> str | None:
        """The deed in the reader's language: Creative Commons translates it (deed.fr…)."""
        if self.deed_url is None or not language:
            return self.deed_url
        return f"{self.deed_url}deed.{language.split('-')[0].lower()}"


@dataclass(frozen=True)
class LicenceDetails:
    # str for "CC BY-SA 4.0" (a name, the same in every language); a lazy string otherwise.
    short_label: str | Promise
    deed_url: str | None
    allows_derivatives: bool
    allows_commercial_use: bool
    requires_share_alike: bool


def _cc(path: str, *, derivatives: bool, commercial: bool, share_alike: bool) -> LicenceDetails:
    label = "CC " + path.split("/")[0].upper() + " 4.0"
    return LicenceDetails(
        short_label=label,
        deed_url=f"https://creativecommons.org/licenses/{path}",
        allows_derivatives=derivatives,
        allows_commercial_use=commercial,
        requires_share_alike=share_alike,
    )


LICENCE_DETAILS: dict[Licence, LicenceDetails] = {
    Licence.CC0: LicenceDetails(
        short_label="CC0 1.0",
        deed_url="https://creativecommons.org/publicdomain/zero/1.0/",
        allows_derivatives=True,
        allows_commercial_use=True,
        requires_share_alike=False,
    ),
    Licence.CC_BY: _cc("by/4.0/", derivatives=True, commercial=True, share_alike=False),
    Licence.CC_BY_SA: _cc("by-sa/4.0/", derivatives=True, commercial=True, share_alike=True),
    Licence.CC_BY_ND: _cc("by-nd/4.0/", derivatives=False, commercial=True, share_alike=False),
    Licence.CC_BY_NC: _cc("by-nc/4.0/", derivatives=True, commercial=False, share_alike=False),
    Licence.CC_BY_NC_SA: _cc("by-nc-sa/4.0/", derivatives=True, commercial=False, share_alike=True),
    Licence.CC_BY_NC_ND: _cc(
        "by-nc-nd/4.0/", derivatives=False, commercial=False, share_alike=False
    ),
    Licence.ALL_RIGHTS_RESERVED: LicenceDetails(
        short_label=_("All rights reserved"),
        deed_url=None,
        allows_derivatives=False,
        allows_commercial_use=False,
        requires_share_alike=False,
    ),
}

DEFAULT_LICENCE = Licence.CC_BY_SA


def licence_field(default: str = DEFAULT_LICENCE, **kwargs: Any) -> models.CharField:
    """The model field for a piece of content's licence (CC BY-SA unless the author chooses)."""
    kwargs.setdefault("verbose_name", _("licence"))
    return models.CharField(max_length=20, choices=Licence.choices, default=default, **kwargs)


def licence_for(code: str | Licence | None) -> Licence | None:
    """The Licence for a stored code, or None for an empty or unknown one."""
    if not code:
        return None
    try:
        return Licence(code)
    except ValueError:
        return None


def licence_badge(code: str | Licence | None) -> SafeString:
    """A small accessible badge: the short label linking to the official deed (no image)."""
    licence = licence_for(code)
    if licence is None:
        return SafeString("")
    if licence.deed_url is None:
        return format_html(
            '<span class="licence-badge" title="{}">{}</span>',
            licence.label,
            licence.short_label,
        )
    # rel="license" lets machines (and search engines) recognise the licence of the page.
    language = get_language()
    return format_html(
        '<a class="licence-badge" href="{}" rel="license" hreflang="{}" title="{}">{}</a>',
        licence.deed_url_in(language),
        (language or "en").split("-")[0],
        gettext("%(name)s (read the licence)") % {"name": licence.label},
        licence.short_label,
    )
