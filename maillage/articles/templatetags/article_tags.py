"""Tags for the attribution of articles taken from a partner's site."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from maillage.articles.models import Article
from maillage.core.licences import (
    declared_licence_badge,
    licence_badge,
    licence_for,
)

register = template.Library()


@register.simple_tag
def partner_link(article: Article) -> SafeString:
    """The partner's name, linking to its site when the address is known."""
    name = article.original_site_name or article.original_site_url or article.original_url
    if not article.original_site_url:
        return format_html("{}", name)
    return format_html('<a href="{}" rel="noopener">{}</a>', article.original_site_url, name)


def _comparable(url: str) -> str:
    return url.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")


@register.simple_tag
def partner_licence_badge(article: Article) -> SafeString:
    """The badge of the licence as the original declares it (CC BY-NC-SA 3.0 FR, linking to the
    address it gave), else our badge for the licence family."""
    declared = article.original_licence
    return declared_licence_badge(declared) if declared else licence_badge(article.licence)


@register.simple_tag
def declared_licence_url(article: Article) -> str:
    """The licence address the original declared, when the badge does not already link to it
    (an address we cannot read as a licence of the article's family): readers can check it."""
    declared = article.original_licence_url
    licence = licence_for(article.licence)
    if not declared or article.original_licence is not None:
        return ""
    if licence and _comparable(declared) == _comparable(licence.deed_url or ""):
        return ""
    return declared
