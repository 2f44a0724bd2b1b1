"""The search index: one row per indexed document, whatever its kind and the database.

The text the engine matches lives beside these rows: on SQLite in the FTS5 table
`core_search_fts` (stemmed terms; its row id packs the day, kind and audience of the document, so
that ranking, filtering and counting never leave the full-text index), on PostgreSQL in this
table's `search_vector` column (tsvector, GIN index). Both are created by the migration for their
database only, and are not Django fields. The original title and text are kept here to show
results with the searched words highlighted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.search.registry import Audience


class SearchDocument(models.Model):
    id = models.BigAutoField(primary_key=True)
    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object"))
    variant = models.CharField(max_length=20, blank=True)
    # No choices here: the kinds are the registry's (Kind), and a new kind of content must not
    # need a migration of core to join the index.
    kind = models.CharField(_("kind"), max_length=20)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    owner_id = models.PositiveBigIntegerField(_("owner"), null=True, blank=True)
    date = models.DateTimeField(_("date"))
    day = models.IntegerField(editable=False)  # days since 1970-01-01, for ranking by recency
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    title = models.TextField(_("title"), blank=True)
    subject = models.TextField(_("subject"), blank=True)
    byline = models.CharField(_("by"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    url = models.CharField(_("address"), max_length=2000)
    fts_rowid = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id", "variant"], name="core_searchdocument_once"
            )
        ]
        indexes = [
            models.Index(fields=["owner_id", "audience"], name="core_search_owner"),
            models.Index(
                fields=["visible_from"],
                name="core_search_scheduled",
                condition=models.Q(visible_from__isnull=False),
            ),
            models.Index(fields=["fts_rowid"], name="core_search_fts_rowid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.model}:{self.object_id} {self.title or self.subject}"[:200]
