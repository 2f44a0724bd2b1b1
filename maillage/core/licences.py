"""The licences content can carry: the Creative Commons family and "all rights reserved"."""

from __future__ import annotations

import enum
import re
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


# --- Reading the licence someone else declared (feeds, imported pages) ------------------------

_CC_DEED_URL = re.compile(r"creativecommons\.org/licen[cs]es/([a-z]+(?:-[a-z]+)*)", re.IGNORECASE)
_CC_PUBLIC_DOMAIN_URL = re.compile(r"creativecommons\.org/publicdomain/", re.IGNORECASE)
# "CC BY-SA 3.0", "CC-BY-NC-ND-4.0" (SPDX), "Creative Commons BY-NC": the elements after "CC".
_CC_SHORT_NAME = re.compile(
    r"(?:\bcc|creative[\s_-]*commons?)[\s_-]*((?:by|nc|sa|nd)\b(?:[\s_-]+(?:by|nc|sa|nd)\b)*)",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(r"\bcc[\s_-]*0\b|\bcc[\s_-]*zero\b|creative\s+commons\s+zero", re.I)
_CREATIVE_COMMONS = re.compile(r"creative[\s_-]*commons?", re.IGNORECASE)
_PUBLIC_DOMAIN = re.compile(r"public\s+domain|domaine\s+public", re.IGNORECASE)
_ALL_RIGHTS_RESERVED = re.compile(
    r"all\s+rights\s+reserved|tous\s+droits\s+r[ée]serv[ée]s|©|\(c\)|\bcopyright\b", re.IGNORECASE
)
# The long names of the elements, in English and French, as licence names spell them out.
_ELEMENT_NAMES = {
    "nc": re.compile(
        r"non[\s-]*commercial|pas\s+d.utilisation\s+commerciale|commerciale?\s+interdite", re.I
    ),
    "sa": re.compile(
        r"share[\s-]*alike|partage\s+(?:dans\s+les\s+m[êe]mes|des)\s+conditions|[àa]\s+l.identique",
        re.I,
    ),
    "nd": re.compile(
        r"no[\s-]*deriv|pas\s+de\s+modification|pas\s+d.(?:œ|oe)uvres?\s+d[ée]riv[ée]es?", re.I
    ),
}

_CC_BY_ELEMENTS: dict[frozenset[str], Licence] = {
    frozenset(): Licence.CC_BY,
    frozenset({"sa"}): Licence.CC_BY_SA,
    frozenset({"nd"}): Licence.CC_BY_ND,
    frozenset({"nc"}): Licence.CC_BY_NC,
    frozenset({"nc", "sa"}): Licence.CC_BY_NC_SA,
    frozenset({"nc", "nd"}): Licence.CC_BY_NC_ND,
}


def _cc_from_elements(elements: str) -> Licence | None:
    parts = {part for part in re.split(r"[\s_-]+", elements.lower()) if part}
    if "by" not in parts:
        return None
    return _CC_BY_ELEMENTS.get(frozenset(parts - {"by"}))


def licence_from_declaration(declaration: str | None) -> Licence | None:
    """The Licence that a licence URL, an SPDX identifier or a rights statement declares.

    Any version of a Creative Commons licence maps to its family (CC BY-SA 3.0 FR → CC BY-SA);
    "Creative Commons" with no elements named maps to the strictest one (BY-NC-ND), which every
    CC licence allows at least; "©", "copyright", "all rights reserved" → ALL_RIGHTS_RESERVED.
    None when nothing is recognised: an unknown licence is not a permission.
    """
    text = (declaration or "").strip()
    if not text:
        return None
    match = _CC_DEED_URL.search(text)
    if match:
        return _cc_from_elements(match.group(1))
    if _CC_PUBLIC_DOMAIN_URL.search(text) or _CC_ZERO.search(text):
        return Licence.CC0
    match = _CC_SHORT_NAME.search(text)
    if match:
        return _cc_from_elements(match.group(1))
    if _CREATIVE_COMMONS.search(text):
        named = {element for element, pattern in _ELEMENT_NAMES.items() if pattern.search(text)}
        if named or re.search(r"attribution|paternit[ée]", text, re.IGNORECASE):
            return _CC_BY_ELEMENTS.get(frozenset(named))
        return Licence.CC_BY_NC_ND
    if _PUBLIC_DOMAIN.search(text):
        return Licence.CC0
    if _ALL_RIGHTS_RESERVED.search(text):
        return Licence.ALL_RIGHTS_RESERVED
    return None


class Republication(enum.Enum):
    """What a licence lets the network do with someone else's article."""

    ADAPT = "adapt"
    """Republish it in full, and edit it (every CC licence without "ND")."""
    VERBATIM = "verbatim"
    """Republish it in full, word for word only (the "ND" licences)."""
    EXCERPT = "excerpt"
    """Only quote a short excerpt with a link to the original (all rights reserved, unknown)."""

    @property
    def allows_republication(self) -> bool:
        return self is not Republication.EXCERPT


def republication_right(licence: str | Licence | None) -> Republication:
    """May the network republish a work under `licence`? The one rule for syndication.

    Every Creative Commons licence allows copying with attribution; the network publishes
    without commercial use, so the "NC" licences allow it too. "ND" forbids changes: verbatim
    only. All rights reserved, or no licence we recognise: a short excerpt and a link, nothing
    more.
    """
    known = licence_for(licence)
    if known is None or not known.allows_sharing:
        return Republication.EXCERPT
    if not known.details.allows_derivatives:
        return Republication.VERBATIM
    return Republication.ADAPT
