"""Articles and workshop reports, their links to go further, and readers' link suggestions."""

from __future__ import annotations

import math
import re
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.licences import (
    DeclaredLicence,
    Republication,
    declared_licence,
    licence_field,
    republication_right,
)
from maillage.core.tags import free_slug
from maillage.core.visibility import Visibility, levels_visible_to

COVER_MAX_BYTES = 3 * 1024 * 1024
# Silent reading of French prose runs at about 200 to 250 words a minute; the low end is kinder.
WORDS_PER_MINUTE = 200

# What a NoDerivatives licence keeps as the partner's author published it (see is_verbatim_only).
VERBATIM_FIELDS = ("title", "summary", "body", "licence")

# Paths of articles/urls.py that an article's slug must not shadow.
RESERVED_ARTICLE_SLUGS = frozenset({"nouveau", "flux", "partenaires"})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class ArticleVisibility(models.TextChoices):
    """An article is for everyone or for the network's members (never private: it is shared)."""

    PUBLIC = Visibility.PUBLIC.value, _("Public")
    MEMBERS = Visibility.MEMBERS.value, _("Members of the network")


class ArticleLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    BRETON = "br", _("Breton")
    SPANISH = "es", _("Spanish")
    GERMAN = "de", _("German")


def cover_upload_to(instance: Any, filename: str) -> str:
    """A random name: the original file name may say more than its owner meant to."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"articles/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def validate_cover_size(file: Any) -> None:
    if file and getattr(file, "size", 0) > COVER_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is 3 MB."),
            code="file_too_large",
            params={"size": f"{file.size / 1024 / 1024:.1f}"},
        )


class ArticleOrigin(models.TextChoices):
    """Whether the network wrote the article, or took it from a partner's site (syndication)."""

    OWN = "own", _("written for the network")
    REPUBLISHED = "republished", _("republished from a partner")
    EXCERPT = "excerpt", _("excerpt of a partner's article")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: Any = None) -> ArticleQuerySet:
        """Published and due: a publication scheduled for later shows only from its date."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def visible_to(self, viewer: Any) -> ArticleQuerySet:
        """By visibility level only (public, or members too): chain after published(). The pages
        use selectors.visible_articles, which also lets authors and coordinators see drafts."""
        return self.filter(visibility__in=levels_visible_to(viewer))

    def reports(self) -> ArticleQuerySet:
        return self.filter(event__isnull=False)

    def not_reports(self) -> ArticleQuerySet:
        return self.filter(event__isnull=True)


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="articles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_articles",
    )
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="articles"
    )
    licence = licence_field()
    language = models.CharField(
        _("language"), max_length=10, choices=ArticleLanguage.choices, default="fr"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event reported on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    cover_image = models.ImageField(
        _("cover image"), upload_to=cover_upload_to, blank=True, validators=[validate_cover_size]
    )
    cover_alt = models.CharField(
        _("text alternative of the image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=ArticleVisibility.choices,
        default=ArticleVisibility.PUBLIC,
    )
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Where an article taken from elsewhere comes from: the attribution line and the canonical
    # link name the original; the licence field holds the original's licence.
    origin = models.CharField(
        _("origin"), max_length=20, choices=ArticleOrigin.choices, default=ArticleOrigin.OWN
    )
    original_url = models.URLField(_("original address"), max_length=500, blank=True)
    original_author = models.CharField(_("original author"), max_length=200, blank=True)
    original_site_name = models.CharField(_("original site"), max_length=200, blank=True)
    original_site_url = models.URLField(
        _("address of the original site"), max_length=500, blank=True
    )
    original_published_at = models.DateTimeField(
        _("original publication date"), null=True, blank=True
    )
    original_licence_url = models.URLField(
        _("licence declared by the original"),
        max_length=500,
        blank=True,
        help_text=_("As the source wrote it (a version or a country may differ from ours)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt=""),
                name="articles_article_cover_has_alt",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="articles_article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(origin="own") | ~Q(original_url=""),
                name="articles_article_partner_has_original",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(
                self,
                self.title,
                fallback="article",
                max_length=200,
                reserved=RESERVED_ARTICLE_SLUGS,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": _("Describe the image for people who cannot see it.")}
            )

    @property
    def canonical_url(self) -> str:
        """The one address of the article, whatever host or query string it was read through."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    @property
    def canonical_link(self) -> str:
        """What <link rel="canonical"> names: the original of an article taken from a partner
        (search engines then credit the source), else this article's own address."""
        return self.original_url or self.canonical_url

    @property
    def is_from_partner(self) -> bool:
        return self.origin != ArticleOrigin.OWN

    @property
    def original_licence(self) -> DeclaredLicence | None:
        """The exact licence (version, port) the original of a partner's article declares, when
        its address names one of the article's licence family: what the attribution credits."""
        if not self.is_from_partner:
            return None
        declared = declared_licence(self.original_licence_url)
        if declared is None or not declared.url or declared.licence != self.licence:
            return None
        return declared

    @property
    def is_verbatim_only(self) -> bool:
        """Republished in full under a NoDerivatives licence (CC BY-ND, BY-NC-ND): changing its
        words would make a derivative the licence forbids, so VERBATIM_FIELDS stay as they are."""
        return (
            self.origin == ArticleOrigin.REPUBLISHED
            and republication_right(self.licence) is Republication.VERBATIM
        )

    @property
    def is_report(self) -> bool:
        return self.event_id is not None

    @property
    def is_public(self) -> bool:
        return self.visibility == ArticleVisibility.PUBLIC

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_live(self) -> bool:
        """Published and its date reached: what anyone allowed by its visibility may read."""
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def reading_minutes(self) -> int:
        words = len(re.findall(r"\w+", f"{self.summary} {self.body}"))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))


class FurtherLink(models.Model):
    """A link to go further, under an article; credited to the reader who suggested it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="further_links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    note = models.CharField(_("short note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    suggested_by_name = models.CharField(_("suggested by"), max_length=120, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by (member)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("link to go further")
        verbose_name_plural = _("links to go further")

    def __str__(self) -> str:
        return self.title


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class LinkSuggestion(models.Model):
    """A reader's proposal of a link to go further: a member, or a guest by name and email."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    note = models.CharField(_("short note"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="link_suggestions",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    link = models.OneToOneField(
        FurtherLink,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestion",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("link suggestion")
        verbose_name_plural = _("link suggestions")
        indexes = [models.Index(fields=["article", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"


def attachment_upload_to(instance: Any, filename: str) -> str:
    """A random folder keeps the file's own name (people download it under that name) while no
    address can be guessed from another."""
    name = PurePath(filename).name[-100:] or "fichier"
    return f"articles/attachments/{timezone.now():%Y}/{uuid.uuid4().hex[:12]}/{name}"


class ArticleAttachment(models.Model):
    """A file that goes with an article (a workshop's slides, photos of the board); it is served
    only to the article's readers, through a view that checks who may read it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    uploaded_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:attachment", kwargs={"slug": self.article.slug, "pk": self.pk})

    @property
    def file_name(self) -> str:
        return PurePath(self.file.name or "").name
