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

# Versions Creative Commons published (1.0 to 4.0), and a port: "fr", "de", "igo"… (a country
# word such as "France" is read from long names below).
_VERSION = r"([1-4]\.[0-9])"
_CC_DEED_URL = re.compile(
    r"creativecommons\.org/licen[cs]es/([a-z]+(?:-[a-z]+)*)"
    rf"(?:/{_VERSION}(?:/(?!deed\b|legalcode\b)([a-z]{{2,3}})(?![\w.]))?)?",
    re.IGNORECASE,
)
_CC_PUBLIC_DOMAIN_URL = re.compile(
    rf"creativecommons\.org/publicdomain/(?:([a-z]+)(?:/{_VERSION})?)?", re.IGNORECASE
)
# "CC BY-SA 3.0 FR", "CC-BY-NC-ND-4.0" (SPDX), "Creative Commons BY-NC": the elements after "CC",
# then the version and the port when they are written.
_CC_SHORT_NAME = re.compile(
    r"(?:\bcc|creative[\s_-]*commons?)[\s_-]*((?:by|nc|sa|nd)\b(?:[\s_-]+(?:by|nc|sa|nd)\b)*)"
    rf"(?:[\s_-]+{_VERSION}\b(?:[\s_-]+([a-z]{{2}}|igo)\b(?![.-]\d))?)?",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(r"\bcc[\s_-]*0\b|\bcc[\s_-]*zero\b|creative\s+commons\s+zero", re.I)
_CREATIVE_COMMONS = re.compile(r"creative[\s_-]*commons?", re.IGNORECASE)
_LONG_NAME_VERSION = re.compile(rf"\b{_VERSION}\b")
_LONG_NAME_PORTS = {"fr": re.compile(r"\bfrance\b", re.IGNORECASE)}
_PUBLIC_DOMAIN = re.compile(r"public\s+domain|domaine\s+public", re.IGNORECASE)
_ALL_RIGHTS_RESERVED = re.compile(
    r"all\s+rights\s+reserved|tous\s+droits\s+r[ée]serv[ée]s|©|\(c\)|\bcopyright\b", re.IGNORECASE
)
_SINGLE_URL = re.compile(r"https?://\S+", re.IGNORECASE)
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
# How Creative Commons writes the elements in a licence's name and address.
_ELEMENT_ORDER = ("by", "nc", "nd", "sa")


@dataclass(frozen=True)
class DeclaredLicence:
    """A licence as someone else declared it: the family that decides what it allows (every
    version and port of CC BY-SA allows what CC BY-SA 4.0 does), and the exact licence to credit.
    """

    licence: Licence
    # "CC BY-NC-SA 3.0 FR", "CC0 1.0", "CC BY-SA" (no version declared): a name, as written.
    label: str
    # The licence's address: as declared, else the official one for a declared version; "" when
    # neither is known (a name without a version, a rights sentence).
    url: str = ""


def _cc_elements(elements: str) -> tuple[Licence, list[str]] | None:
    parts = {part for part in re.split(r"[\s_-]+", elements.lower()) if part}
    if "by" not in parts:
        return None
    licence = _CC_BY_ELEMENTS.get(frozenset(parts - {"by"}))
    if licence is None:
        return None
    return licence, [element for element in _ELEMENT_ORDER if element in parts]


def _cc_declared(
    licence: Licence, elements: list[str], version: str | None, port: str | None, url: str
) -> DeclaredLicence:
    label = " ".join(
        filter(None, ["CC", "-".join(elements).upper(), version, (port or "").upper()])
    )
    if not url and version:
        port_path = f"{port.lower()}/" if port else ""
        url = f"https://creativecommons.org/licenses/{'-'.join(elements)}/{version}/{port_path}"
    return DeclaredLicence(licence, label, url)


def _public_domain(kind: str | None, version: str | None, url: str) -> DeclaredLicence:
    # The Public Domain Mark says a work has no known copyright left: free as CC0 makes it.
    name = "Public Domain Mark" if (kind or "").lower() == "mark" else "CC0"
    label = " ".join(filter(None, [name, version or ("1.0" if name == "CC0" else "")]))
    if not url and name == "CC0":
        url = "https://creativecommons.org/publicdomain/zero/1.0/"
    return DeclaredLicence(Licence.CC0, label, url)


def _as_written(text: str) -> str:
    """A rights sentence names no exact licence: it is credited as it was written."""
    return " ".join(text.split())[:200]


def declared_licence(declaration: str | None) -> DeclaredLicence | None:
    """What a licence URL, an SPDX identifier or a rights statement declares: the family and the
    exact licence (version, port). See licence_from_declaration for the rules; None when nothing
    is recognised."""
    text = (declaration or "").strip()
    if not text:
        return None
    # The address as declared, when the declaration is one (a feed's <link rel="license">).
    url = text if _SINGLE_URL.fullmatch(text) else ""
    match = _CC_DEED_URL.search(text)
    if match:
        found = _cc_elements(match.group(1))
        if found is None:
            return None
        return _cc_declared(*found, match.group(2), match.group(3), url)
    match = _CC_PUBLIC_DOMAIN_URL.search(text)
    if match:
        return _public_domain(match.group(1), match.group(2), url)
    if _CC_ZERO.search(text):
        return _public_domain("zero", None, url)
    match = _CC_SHORT_NAME.search(text)
    if match:
        found = _cc_elements(match.group(1))
        if found is None:
            return None
        return _cc_declared(*found, match.group(2), match.group(3), url)
    if _CREATIVE_COMMONS.search(text):
        named = {element for element, pattern in _ELEMENT_NAMES.items() if pattern.search(text)}
        if not named and not re.search(r"attribution|paternit[ée]", text, re.IGNORECASE):
            return DeclaredLicence(Licence.CC_BY_NC_ND, _as_written(text), url)
        licence = _CC_BY_ELEMENTS.get(frozenset(named))
        if licence is None:
            return None
        version = _LONG_NAME_VERSION.search(text)
        port = next((code for code, word in _LONG_NAME_PORTS.items() if word.search(text)), None)
        elements = ["by", *(element for element in _ELEMENT_ORDER if element in named)]
        return _cc_declared(
            licence, elements, version.group(1) if version else None, port if version else None, url
        )
    if _PUBLIC_DOMAIN.search(text):
        return DeclaredLicence(Licence.CC0, _as_written(text), url)
    if _ALL_RIGHTS_RESERVED.search(text):
        return DeclaredLicence(Licence.ALL_RIGHTS_RESERVED, _as_written(text), url)
    return None


def declared_licence_badge(declared: DeclaredLicence) -> SafeString:
    """licence_badge for a licence someone else declared: its exact name, linking to its address
    as declared (CC BY-NC-SA 3.0 FR and its French deed, not our 4.0)."""
    if not declared.url:
        return licence_badge(declared.licence)
    return format_html(
        '<a class="licence-badge" href="{}" rel="license" title="{}">{}</a>',
        declared.url,
        gettext("%(name)s (read the licence)") % {"name": declared.label},
        declared.label,
    )


def licence_from_declaration(declaration: str | None) -> Licence | None:
    """The Licence that a licence URL, an SPDX identifier or a rights statement declares.

    Any version (1.0 to 4.0) and port of a Creative Commons licence maps to its family, which
    allows the same things (CC BY-SA 3.0 FR → CC BY-SA); the Public Domain Mark and CC0 → CC0;
    "Creative Commons" with no elements named maps to the strictest one (BY-NC-ND), which every
    CC licence allows at least; "©", "copyright", "all rights reserved" → ALL_RIGHTS_RESERVED.
    None when nothing is recognised: an unknown licence is not a permission.
    """
    declared = declared_licence(declaration)
    return declared.licence if declared else None


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
