"""core.licences: the Creative Commons family, "all rights reserved", their field and badge."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation
from django.utils.functional import Promise

from maillage.core.licences import (
    DEFAULT_LICENCE,
    Licence,
    licence_badge,
    licence_field,
    licence_for,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Assertions below read English labels; the French catalogue must not change them.
    with translation.override("en"):
        yield


DEEDS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.ALL_RIGHTS_RESERVED: None,
}
SHORT_LABELS = {
    Licence.CC0: "CC0 1.0",
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_SA: "CC BY-SA 4.0",
    Licence.CC_BY_ND: "CC BY-ND 4.0",
    Licence.CC_BY_NC: "CC BY-NC 4.0",
    Licence.CC_BY_NC_SA: "CC BY-NC-SA 4.0",
    Licence.CC_BY_NC_ND: "CC BY-NC-ND 4.0",
    Licence.ALL_RIGHTS_RESERVED: "All rights reserved",
}


def test_the_family_is_complete() -> None:
    assert set(Licence) == set(DEEDS)
    assert Licence.values == [
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC-BY-ND-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-NC-ND-4.0",
        "all-rights-reserved",
    ]


@pytest.mark.parametrize("licence", list(Licence))
def test_each_licence_has_a_deed_and_a_short_label(licence: Licence) -> None:
    assert licence.deed_url == DEEDS[licence]
    assert licence.short_label == SHORT_LABELS[licence]
    assert licence.allows_sharing == (licence != Licence.ALL_RIGHTS_RESERVED)


@pytest.mark.parametrize("licence", list(Licence))
def test_names_are_translatable(licence: Licence) -> None:
    assert isinstance(licence.label, Promise)


def test_names() -> None:
    assert Licence.CC_BY_SA.label == "Creative Commons Attribution-ShareAlike 4.0 International"
    assert Licence.ALL_RIGHTS_RESERVED.label == "All rights reserved"


def test_permissions() -> None:
    nd = Licence.CC_BY_NC_ND.details
    assert not nd.allows_derivatives and not nd.allows_commercial_use
    sa = Licence.CC_BY_SA.details
    assert sa.allows_derivatives and sa.allows_commercial_use and sa.requires_share_alike
    assert Licence.CC_BY_NC_SA.details.requires_share_alike
    assert not Licence.CC_BY.details.requires_share_alike
    assert not Licence.ALL_RIGHTS_RESERVED.details.allows_derivatives


def test_deed_in_the_readers_language() -> None:
    assert Licence.CC_BY.deed_url_in("fr") == "https://creativecommons.org/licenses/by/4.0/deed.fr"
    assert Licence.CC0.deed_url_in("en-gb") == (
        "https://creativecommons.org/publicdomain/zero/1.0/deed.en"
    )
    assert Licence.CC_BY.deed_url_in(None) == "https://creativecommons.org/licenses/by/4.0/"
    assert Licence.ALL_RIGHTS_RESERVED.deed_url_in("fr") is None


def test_licence_field() -> None:
    field = licence_field()
    assert isinstance(field, models.CharField)
    assert field.default == DEFAULT_LICENCE == Licence.CC_BY_SA
    assert field.choices == Licence.choices
    assert field.max_length is not None
    assert field.max_length >= max(len(value) for value in Licence.values)
    field.clean("CC-BY-NC-4.0", None)
    with pytest.raises(Exception, match="not a valid choice"):
        field.clean("GPL-3.0", None)


def test_licence_field_accepts_options() -> None:
    field = licence_field(default=Licence.CC0, blank=True, help_text="x")
    assert field.default == Licence.CC0
    assert field.blank
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.CharField"
    assert kwargs["default"] == "CC0-1.0"


def test_licence_for() -> None:
    assert licence_for("CC-BY-SA-4.0") is Licence.CC_BY_SA
    assert licence_for(Licence.CC0) is Licence.CC0
    assert licence_for("") is None
    assert licence_for(None) is None
    assert licence_for("WTFPL") is None


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_badge_links_to_the_deed() -> None:
    badge = _parse(licence_badge("CC-BY-SA-4.0"))
    [(tag, attrs)] = badge.elements
    assert tag == "a"
    assert attrs["class"] == "licence-badge"
    assert attrs["href"] == "https://creativecommons.org/licenses/by-sa/4.0/deed.en"
    assert attrs["rel"] == "license"
    assert attrs["title"] == (
        "Creative Commons Attribution-ShareAlike 4.0 International (read the licence)"
    )
    assert badge.text == "CC BY-SA 4.0"


def test_badge_follows_the_active_language() -> None:
    with translation.override("fr"):
        [(_tag, attrs)] = _parse(licence_badge(Licence.CC0)).elements
    assert attrs["href"] == "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"
    assert attrs["hreflang"] == "fr"


def test_badge_for_all_rights_reserved_is_not_a_link() -> None:
    badge = _parse(licence_badge(Licence.ALL_RIGHTS_RESERVED))
    [(tag, attrs)] = badge.elements
    assert tag == "span"
    assert attrs["class"] == "licence-badge"
    assert attrs["title"] == "All rights reserved"
    assert badge.text == "All rights reserved"


@pytest.mark.parametrize("code", ["", None, "unknown", "<script>"])
def test_badge_for_an_unknown_code_is_empty(code: str | None) -> None:
    assert licence_badge(code) == ""


def test_badge_uses_no_image() -> None:
    for licence in Licence:
        assert "<img" not in licence_badge(licence)


def test_badge_template_tag() -> None:
    html = Template("<footer>{% licence_badge article.licence %}</footer>").render(
        Context({"article": {"licence": "CC-BY-NC-4.0"}})
    )
    assert html == (
        '<footer><a class="licence-badge" '
        'href="https://creativecommons.org/licenses/by-nc/4.0/deed.en" rel="license" '
        'hreflang="en" title="Creative Commons Attribution-NonCommercial 4.0 International '
        '(read the licence)">CC BY-NC 4.0</a></footer>'
    )


def test_badge_template_tag_with_a_missing_value() -> None:
    assert Template("{% licence_badge nothing %}").render(Context({})) == ""
