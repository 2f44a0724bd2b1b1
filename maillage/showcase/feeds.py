"""The Atom feed of new projects in the showcase: public, published projects only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from maillage.core.licences import licence_for
from maillage.showcase import selectors
from maillage.showcase.models import Project


class LicensedAtomFeed(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("licence_url"):
            handler.addQuickElement("link", "", {"rel": "license", "href": item["licence_url"]})


class NewProjectsFeed(Feed):
    feed_type: type[SyndicationFeed] = LicensedAtomFeed

    def title(self) -> str:
        return _("%(site)s — new projects in the showcase") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("Successful projects of libraries, museums and archives, with their evidence.")

    def link(self) -> str:
        return reverse("showcase:catalogue")

    def feed_url(self) -> str:
        return reverse("showcase:feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> list[Project]:
        return list(selectors.latest_projects_for_feed())

    def item_title(self, item: Project) -> str:
        return item.name

    def item_description(self, item: Project) -> str:
        return escape(
            _("%(kind)s — %(institution)s. %(summary)s")
            % {
                "kind": item.get_kind_display().capitalize(),
                "institution": item.institution.name,
                "summary": item.summary,
            }
        )

    def item_link(self, item: Project) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Project) -> str:
        return item.institution.name

    def item_pubdate(self, item: Project) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Project) -> datetime | None:
        return item.updated_at

    def item_categories(self, item: Project) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_copyright(self, item: Project) -> str:
        licence = licence_for(item.licence)
        return str(licence.label) if licence is not None else ""

    def item_extra_kwargs(self, item: Project) -> dict[str, Any]:
        licence = licence_for(item.licence)
        return {"licence_url": licence.deed_url if licence is not None else None}
