"""The showcase: successful projects of the network's institutions, and the evidence of their
success (testimonials, press, figures, awards, mentions — some received by Webmention)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.licences import Licence, licence_field
from maillage.core.models import entries_for_names
from maillage.core.tags import free_slug, tag_slug
from maillage.core.visibility import Visibility, visibility_field

URL_MAX_LENGTH = 500
# Paths of showcase/urls.py that a project's slug must not shadow.
RESERVED_PROJECT_SLUGS = frozenset({"proposer", "webmention", "donnees", "flux"})


class ProjectKind(models.TextChoices):
    BLOG = "blog", _("blog")
    SOCIAL_MEDIA = "social_media", _("social media account")
    ONLINE_EXHIBITION = "online_exhibition", _("online exhibition")
    PODCAST = "podcast", _("podcast")
    WIKI = "wiki", _("wiki or Wikipedia partnership")
    OPEN_COLLECTIONS = "open_collections", _("open collections, images under a free licence")
    APP = "app", _("app")
    EVENT_SERIES = "event_series", _("event series")
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    """The publics a project reached."""

    GENERAL_PUBLIC = "general_public", _("general public")
    CHILDREN = "children", _("children and families")
    TEENAGERS = "teenagers", _("teenagers")
    STUDENTS = "students", _("students")
    RESEARCHERS = "researchers", _("researchers")
    TEACHERS = "teachers", _("teachers")
    PROFESSIONALS = "professionals", _("professionals")
    SENIORS = "seniors", _("seniors")
    LOCAL_RESIDENTS = "local_residents", _("local residents")
    DISTANT_VISITORS = "distant_visitors", _("distant visitors and tourists")


class Region(models.TextChoices):
    """France's regions (2016), and elsewhere."""

    AUVERGNE_RHONE_ALPES = "ara", "Auvergne-Rhône-Alpes"
    BOURGOGNE_FRANCHE_COMTE = "bfc", "Bourgogne-Franche-Comté"
    BRETAGNE = "bre", "Bretagne"
    CENTRE_VAL_DE_LOIRE = "cvl", "Centre-Val de Loire"
    CORSE = "cor", "Corse"
    GRAND_EST = "ges", "Grand Est"
    HAUTS_DE_FRANCE = "hdf", "Hauts-de-France"
    ILE_DE_FRANCE = "idf", "Île-de-France"
    NORMANDIE = "nor", "Normandie"
    NOUVELLE_AQUITAINE = "naq", "Nouvelle-Aquitaine"
    OCCITANIE = "occ", "Occitanie"
    PAYS_DE_LA_LOIRE = "pdl", "Pays de la Loire"
    PROVENCE_ALPES_COTE_D_AZUR = "pac", "Provence-Alpes-Côte d’Azur"
    OVERSEAS = "outre_mer", _("Overseas France")
    ABROAD = "abroad", _("Outside France")


class ProjectStatus(models.TextChoices):
    RUNNING = "running", _("running")
    ENDED = "ended", _("ended")


class BudgetBand(models.TextChoices):
    NONE = "none", _("no budget (time only)")
    UNDER_1K = "under_1k", _("under 1,000 €")
    FROM_1K_TO_5K = "1k_5k", _("1,000 to 5,000 €")
    FROM_5K_TO_20K = "5k_20k", _("5,000 to 20,000 €")
    OVER_20K = "over_20k", _("over 20,000 €")
    UNKNOWN = "unknown", _("not said")


class AccessibilityStatus(models.TextChoices):
    """Compliance with the RGAA (France's accessibility rules), as the site's statement says."""

    NOT_ASSESSED = "not_assessed", _("not assessed")
    PARTIAL = "partial", _("partially compliant")
    TOTAL = "total", _("fully compliant")


class ReviewState(models.TextChoices):
    """Where a proposed project stands with the review policy (core.review)."""

    HELD = "held", _("awaiting review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    SPAM = "spam", _("spam")


class PlatformQuerySet(models.QuerySet["Platform"]):
    def for_names(self, names: str | Iterable[str]) -> list[Platform]:
        """Existing or new platforms for these names, matched on their folded slug."""
        return entries_for_names(self, names)


class Platform(models.Model):
    """A platform or tool a project uses (Facebook, WordPress, Flickr, Omeka…)."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("platform or tool")
        verbose_name_plural = _("platforms and tools")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = tag_slug(self.name)
        super().save(*args, **kwargs)


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences: what it is, for whom.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    institution = models.ForeignKey(
        "members.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    platforms = models.ManyToManyField(
        Platform, verbose_name=_("platforms and tools"), blank=True, related_name="projects"
    )
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING
    )
    team_size = models.PositiveSmallIntegerField(_("team size"), null=True, blank=True)
    budget_band = models.CharField(
        _("budget"), max_length=10, choices=BudgetBand.choices, default=BudgetBand.UNKNOWN
    )
    obstacles = models.TextField(
        _("obstacles met and how they were overcome"), blank=True, help_text=_("Markdown.")
    )
    lessons = models.TextField(_("lessons learned"), blank=True, help_text=_("Markdown."))
    accessibility = models.CharField(
        _("accessibility of the site (RGAA)"),
        max_length=15,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NOT_ASSESSED,
    )
    accessibility_statement_url = models.URLField(
        _("accessibility statement"), max_length=URL_MAX_LENGTH, blank=True
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_projects",
    )
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="projects"
    )
    # The licence of what the project itself publishes (its texts and images), as it says.
    content_licence = models.CharField(
        _("licence of the project's texts and images"),
        max_length=20,
        choices=Licence.choices,
        blank=True,
    )
    # The licence of this description (the page and its dossier).
    licence = licence_field()
    visibility = visibility_field(default=Visibility.PUBLIC)
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.HELD
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_projects",
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["review_state", "visibility", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="showcase_project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="published") | Q(published_at__isnull=False),
                name="showcase_project_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(
                self, self.name, fallback="projet", max_length=200, reserved=RESERVED_PROJECT_SLUGS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("showcase:project", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.review_state == ReviewState.PUBLISHED


class ProjectAudience(models.Model):
    """One public a project reached (a project reaches several)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audience_rows")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        ordering = ["audience"]
        verbose_name = _("audience reached")
        verbose_name_plural = _("audiences reached")
        constraints = [
            models.UniqueConstraint(fields=["project", "audience"], name="showcase_audience_once")
        ]

    def __str__(self) -> str:
        return self.get_audience_display()


class ProjectLink(models.Model):
    """Another address of the project (its accounts on other platforms, an article about it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("project address")
        verbose_name_plural = _("project addresses")

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    TESTIMONIAL = "testimonial", _("public comment or testimonial")
    PRESS = "press", _("press article")
    FIGURE = "figure", _("figure")
    AWARD = "award", _("award")
    MENTION = "mention", _("mention on another site")


class EvidenceStatus(models.TextChoices):
    """Evidence the team adds is accepted; what arrives by Webmention waits for the team."""

    PENDING = "pending", _("waiting for the team")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("refused")


class EvidenceOrigin(models.TextChoices):
    MANUAL = "manual", _("added by hand")
    ADDRESS = "address", _("read from an address")
    WEBMENTION = "webmention", _("received by Webmention")


class ReadingState(models.TextChoices):
    """For evidence read from an address: the page is read in the background."""

    NONE = "", _("nothing to read")
    PENDING = "pending", _("being read")
    DONE = "done", _("read")
    FAILED = "failed", _("could not be read")


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def accepted(self) -> EvidenceQuerySet:
        return self.filter(status=EvidenceStatus.ACCEPTED)

    def figures(self) -> EvidenceQuerySet:
        return self.filter(kind=EvidenceKind.FIGURE).exclude(value__isnull=True)


class Evidence(models.Model):
    """One return showing a project's success: what someone said, wrote, counted or awarded."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=URL_MAX_LENGTH, blank=True)
    publication = models.CharField(
        _("publication or site"), max_length=200, blank=True, help_text=_("Ouest-France, a blog…")
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    quote = models.TextField(_("quote or summary"), max_length=4000, blank=True)
    # Figures: "Facebook subscribers: 1,240 in March 2014".
    metric = models.CharField(_("metric"), max_length=120, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    period = models.CharField(
        _("period"), max_length=60, blank=True, help_text=_("“March 2014”, “2013”…")
    )
    highlighted = models.BooleanField(
        _("chosen for the dossier"),
        default=False,
        help_text=_("Chosen quotes appear first in the dossier."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.ACCEPTED
    )
    origin = models.CharField(
        _("origin"), max_length=12, choices=EvidenceOrigin.choices, default=EvidenceOrigin.MANUAL
    )
    reading_state = models.CharField(
        _("reading"), max_length=10, choices=ReadingState.choices, default="", blank=True
    )
    reading_error = models.CharField(_("why it could not be read"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["project", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="figure") | ~Q(metric=""),
                name="showcase_evidence_figure_has_metric",
            )
        ]

    def __str__(self) -> str:
        if self.kind == EvidenceKind.FIGURE and self.value is not None:
            return f"{self.metric}: {Decimal(self.value).normalize():f} {self.unit}".strip()
        return self.title or self.publication or self.source_url or self.get_kind_display()

    def get_absolute_url(self) -> str:
        return f"{self.project.get_absolute_url()}#evidence-{self.pk}"


class WebmentionStatus(models.TextChoices):
    QUEUED = "queued", _("being verified")
    VERIFIED = "verified", _("verified")
    REFUSED = "refused", _("refused")
    DELETED = "deleted", _("deleted by its source")


class Webmention(models.Model):
    """A notification that `source` links to one of our project pages (W3C Webmention).

    One row per (source, target); a new notification for the same pair is an update, verified
    again: the evidence it made is updated, or removed when the source is gone or no longer
    links to the target.
    """

    source = models.URLField(_("source"), max_length=URL_MAX_LENGTH)
    target = models.URLField(_("target"), max_length=URL_MAX_LENGTH)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="webmentions")
    evidence = models.OneToOneField(
        Evidence,
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webmention",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WebmentionStatus.choices,
        default=WebmentionStatus.QUEUED,
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    sender_ip = models.GenericIPAddressField(_("sender's address"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("webmention")
        verbose_name_plural = _("webmentions")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="showcase_webmention_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
