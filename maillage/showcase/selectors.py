"""Queries that read the showcase, always on behalf of a viewer.

Who sees what: a published project follows its visibility (public, members of the network); a
private one, a held proposal or a rejected one is seen by its team only (the member who proposed
it and the members of its institution) and by coordinators. Lists prefetch what their cards
show, so a page costs the same few queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from maillage.core.models import Tag
from maillage.core.visibility import Visibility, levels_visible_to
from maillage.members.models import InstitutionKind, User
from maillage.onboarding.selectors import published_objections
from maillage.showcase.models import (
    Audience,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    Platform,
    Project,
    ProjectAudience,
    ProjectKind,
    Region,
    ReviewState,
)

PAGE_SIZE = 12
FEED_ITEM_COUNT = 30
SIMILAR_COUNT = 4
FACET_TAG_COUNT = 25
# How much each shared trait weighs when looking for similar projects.
SAME_KIND_SCORE = 3
SHARED_AUDIENCE_SCORE = 2
SHARED_TAG_SCORE = 1


def _member(viewer: Any) -> bool:
    return bool(
        viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active
    )


def is_coordinator(viewer: Any) -> bool:
    return _member(viewer) and bool(getattr(viewer, "is_coordinator", False))


def _team_q(viewer: Any, prefix: str = "") -> Q:
    """Projects the viewer belongs to: proposed by them, or of their institution."""
    if not _member(viewer):
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}proposed_by": viewer.pk})
    if getattr(viewer, "institution_id", None):
        condition |= Q(**{f"{prefix}institution_id": viewer.institution_id})
    return condition


def is_team_member(viewer: Any, project: Project) -> bool:
    if not _member(viewer):
        return False
    return viewer.pk == project.proposed_by_id or (
        viewer.institution_id is not None and viewer.institution_id == project.institution_id
    )


def can_edit(viewer: Any, project: Project) -> bool:
    """The project's team and the coordinators edit a project and its evidence."""
    return is_coordinator(viewer) or is_team_member(viewer, project)


def can_see(viewer: Any, project: Project) -> bool:
    if can_edit(viewer, project):
        return True
    return project.is_published and project.visibility in levels_visible_to(viewer)


def open_to_everyone(project: Project) -> bool:
    return project.is_published and project.visibility == Visibility.PUBLIC


def visible_projects(viewer: Any) -> QuerySet[Project]:
    """Every project the viewer may open (held proposals for their team and coordinators)."""
    projects = Project.objects.all()
    if is_coordinator(viewer):
        return projects
    readable = Q(review_state=ReviewState.PUBLISHED, visibility__in=levels_visible_to(viewer))
    return projects.filter(readable | _team_q(viewer))


def listed_projects(viewer: Any) -> QuerySet[Project]:
    """What lists, feeds and exports show: published, and visible to the viewer."""
    published = Project.objects.filter(review_state=ReviewState.PUBLISHED)
    return published.filter(Q(visibility__in=levels_visible_to(viewer)) | _team_q(viewer))


def with_card_data(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related("institution").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("platforms", queryset=Platform.objects.order_by("name")),
        "audience_rows",
    )


def project_for(viewer: Any, slug: str) -> Project | None:
    """The project, with what its page shows: `lifted_objections` are the published objections
    (onboarding) it answered."""
    return (
        with_card_data(visible_projects(viewer))
        .select_related("contact", "proposed_by")
        .prefetch_related(
            "links",
            Prefetch("objections", queryset=published_objections(), to_attr="lifted_objections"),
        )
        .filter(slug=slug)
        .first()
    )


def proposals_of(viewer: Any) -> QuerySet[Project]:
    """The viewer's team's projects that are not published (held or rejected)."""
    if not _member(viewer):
        return Project.objects.none()
    return (
        Project.objects.filter(_team_q(viewer))
        .exclude(review_state=ReviewState.PUBLISHED)
        .select_related("institution")
        .order_by("-created_at")
    )


def team_of(project: Project) -> QuerySet[User]:
    """The people who answer for a project: its proposer and its institution's members."""
    condition = Q(pk=project.proposed_by_id) if project.proposed_by_id else Q(pk__in=[])
    condition |= Q(institution_id=project.institution_id)
    return User.objects.filter(condition, is_active=True)


# --- The catalogue: filters, facets, sorting -------------------------------------------------


class Sort:
    RECENT = "recent"
    NAME = "name"
    STARTED = "started"
    EVIDENCE = "evidence"
    CHOICES = (RECENT, NAME, STARTED, EVIDENCE)


@dataclass(frozen=True)
class CatalogueFilters:
    kind: str = ""
    audience: str = ""
    platform: str = ""  # a platform's slug
    institution_kind: str = ""
    region: str = ""
    city: str = ""
    tag: str = ""  # a tag's slug
    sort: str = Sort.RECENT

    @classmethod
    def from_query(cls, query: Any) -> CatalogueFilters:
        """Read the filters from a QueryDict, dropping values that are not choices."""

        def choice(name: str, values: Any) -> str:
            value = str(query.get(name, "") or "").strip()
            return value if value in values else ""

        sort = str(query.get("tri", "") or "")
        return cls(
            kind=choice("type", ProjectKind.values),
            audience=choice("public", Audience.values),
            platform=str(query.get("outil", "") or "").strip()[:60],
            institution_kind=choice("institution", InstitutionKind.values),
            region=choice("region", Region.values),
            city=str(query.get("ville", "") or "").strip()[:120],
            tag=str(query.get("mot-cle", "") or "").strip()[:60],
            sort=sort if sort in Sort.CHOICES else Sort.RECENT,
        )

    @property
    def active(self) -> bool:
        return any(
            (
                self.kind,
                self.audience,
                self.platform,
                self.institution_kind,
                self.region,
                self.city,
                self.tag,
            )
        )


def _filtered(projects: QuerySet[Project], filters: CatalogueFilters) -> QuerySet[Project]:
    if filters.kind:
        projects = projects.filter(kind=filters.kind)
    if filters.audience:
        projects = projects.filter(
            Exists(
                ProjectAudience.objects.filter(project=OuterRef("pk"), audience=filters.audience)
            )
        )
    if filters.platform:
        projects = projects.filter(
            Exists(
                Project.platforms.through.objects.filter(
                    project=OuterRef("pk"), platform__slug=filters.platform
                )
            )
        )
    if filters.institution_kind:
        projects = projects.filter(institution__kind=filters.institution_kind)
    if filters.region:
        projects = projects.filter(region=filters.region)
    if filters.city:
        projects = projects.filter(institution__city__iexact=filters.city)
    if filters.tag:
        projects = projects.filter(
            Exists(
                Project.tags.through.objects.filter(project=OuterRef("pk"), tag__slug=filters.tag)
            )
        )
    return projects


def _accepted_evidence_count() -> Coalesce:
    counted = (
        Evidence.objects.filter(project=OuterRef("pk"), status=EvidenceStatus.ACCEPTED)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def catalogue(viewer: Any, filters: CatalogueFilters) -> QuerySet[Project]:
    projects = _filtered(listed_projects(viewer), filters).annotate(
        evidence_count=_accepted_evidence_count()
    )
    ordering = {
        Sort.RECENT: ["-published_at", "-pk"],
        Sort.NAME: ["name", "pk"],
        Sort.STARTED: ["-started_on", "-pk"],
        Sort.EVIDENCE: ["-evidence_count", "-published_at", "-pk"],
    }[filters.sort]
    return with_card_data(projects).order_by(*ordering)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    kinds: list[FacetValue] = field(default_factory=list)
    audiences: list[FacetValue] = field(default_factory=list)
    platforms: list[FacetValue] = field(default_factory=list)
    institution_kinds: list[FacetValue] = field(default_factory=list)
    regions: list[FacetValue] = field(default_factory=list)
    cities: list[FacetValue] = field(default_factory=list)
    tags: list[FacetValue] = field(default_factory=list)


def _choice_facet(rows: Any, key: str, labels: dict[str, Any]) -> list[FacetValue]:
    values = [
        FacetValue(row[key], str(labels.get(row[key], row[key])), row["n"])
        for row in rows
        if row[key]
    ]
    return sorted(values, key=lambda facet: (-facet.count, facet.label))


def facets(viewer: Any, filters: CatalogueFilters) -> Facets:
    """How many of the filtered projects have each kind, audience, platform…: seven grouped
    queries, whatever the number of projects."""
    projects = _filtered(listed_projects(viewer), filters).order_by()
    ids = projects.values("pk")
    counted = {"n": Count("pk", distinct=True)}
    return Facets(
        kinds=_choice_facet(
            projects.values("kind").annotate(**counted), "kind", dict(ProjectKind.choices)
        ),
        audiences=_choice_facet(
            ProjectAudience.objects.filter(project__in=ids)
            .order_by()
            .values("audience")
            .annotate(n=Count("project", distinct=True)),
            "audience",
            dict(Audience.choices),
        ),
        platforms=sorted(
            (
                FacetValue(row["slug"], row["name"], row["n"])
                for row in Platform.objects.filter(projects__in=ids)
                .order_by()
                .values("slug", "name")
                .annotate(n=Count("projects", distinct=True))
            ),
            key=lambda facet: (-facet.count, facet.label.casefold()),
        ),
        institution_kinds=_choice_facet(
            projects.values("institution__kind").annotate(**counted),
            "institution__kind",
            dict(InstitutionKind.choices),
        ),
        regions=_choice_facet(
            projects.values("region").annotate(**counted), "region", dict(Region.choices)
        ),
        cities=_choice_facet(
            projects.values("institution__city").annotate(**counted), "institution__city", {}
        ),
        tags=sorted(
            (
                FacetValue(row["slug"], row["name"], row["n"])
                for row in Tag.objects.filter(projects__in=ids)
                .order_by()
                .values("slug", "name")
                .annotate(n=Count("projects", distinct=True))
                .order_by("-n", "name")[:FACET_TAG_COUNT]
            ),
            key=lambda facet: (-facet.count, facet.label),
        ),
    )


def platform_names(facets_: Facets) -> dict[str, str]:
    return {facet.value: facet.label for facet in facets_.platforms}


# --- Similar projects ------------------------------------------------------------------------


def similar_projects(viewer: Any, project: Project, *, count: int = SIMILAR_COUNT) -> list[Project]:
    """Projects elsewhere like this one, best first: the same kind weighs 3, each audience in
    common 2, each tag in common 1. Two queries for the candidates plus the cards' prefetches,
    whatever the catalogue's size (the project's own audiences and tags come from its
    prefetch when it has one)."""
    audiences = [row.audience for row in project.audience_rows.all()]
    tag_ids = [tag.pk for tag in project.tags.all()]
    shared_audiences = (
        ProjectAudience.objects.filter(project=OuterRef("pk"), audience__in=audiences)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    shared_tags = (
        Project.tags.through.objects.filter(project=OuterRef("pk"), tag_id__in=tag_ids)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]
    )
    same_kind = Case(
        When(kind=project.kind, then=Value(SAME_KIND_SCORE)),
        default=Value(0),
        output_field=IntegerField(),
    )
    candidates = (
        listed_projects(viewer)
        .exclude(pk=project.pk)
        .annotate(
            similarity=same_kind
            + Coalesce(Subquery(shared_audiences, output_field=IntegerField()), Value(0))
            * SHARED_AUDIENCE_SCORE
            + Coalesce(Subquery(shared_tags, output_field=IntegerField()), Value(0))
            * SHARED_TAG_SCORE
        )
        .filter(similarity__gt=0)
        # Another institution's project shows "what is done elsewhere" better.
        .annotate(
            elsewhere=Case(
                When(institution_id=project.institution_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-similarity", "-elsewhere", "-published_at", "pk")
    )
    return list(with_card_data(candidates)[:count])


# --- Evidence, figures and the timeline ------------------------------------------------------


def evidence_for(project: Project, *, include_pending: bool = False) -> QuerySet[Evidence]:
    evidence = Evidence.objects.filter(project=project)
    if not include_pending:
        evidence = evidence.filter(status=EvidenceStatus.ACCEPTED)
    return evidence.select_related("webmention").order_by("-date", "-pk")


def pending_evidence(project: Project) -> QuerySet[Evidence]:
    return Evidence.objects.filter(project=project, status=EvidenceStatus.PENDING).select_related(
        "webmention"
    )


@dataclass(frozen=True)
class Point:
    when: date
    value: Decimal
    period: str


@dataclass(frozen=True)
class Series:
    """The values of one metric over time (one chart)."""

    metric: str
    unit: str
    points: tuple[Point, ...]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def first(self) -> Point:
        return self.points[0]


def figure_series(evidence: list[Evidence]) -> list[Series]:
    """Accepted figures grouped by metric and unit, each in date order (the undated last by
    the day they were added)."""
    grouped: dict[tuple[str, str], list[Point]] = {}
    for item in evidence:
        if (
            item.kind != EvidenceKind.FIGURE
            or item.value is None
            or item.status != EvidenceStatus.ACCEPTED
        ):
            continue
        when = item.date or item.created_at.date()
        key = (item.metric.strip(), item.unit.strip())
        grouped.setdefault(key, []).append(Point(when, item.value, item.period))
    series = [
        Series(metric, unit, tuple(sorted(points, key=lambda point: point.when)))
        for (metric, unit), points in grouped.items()
    ]
    return sorted(series, key=lambda one: (-len(one.points), one.metric.casefold()))


def timeline(evidence: list[Evidence]) -> list[tuple[int, list[Evidence]]]:
    """Accepted evidence by year, latest first; undated items under the year they were added."""
    years: dict[int, list[Evidence]] = {}
    for item in evidence:
        if item.status != EvidenceStatus.ACCEPTED:
            continue
        year = (item.date or item.created_at.date()).year
        years.setdefault(year, []).append(item)
    return sorted(years.items(), key=lambda pair: -pair[0])


def chosen_quotes(evidence: list[Evidence], *, count: int = 4) -> list[Evidence]:
    """Quotes for the dossier: the chosen ones first, then the latest testimonials."""
    quotes = [
        item
        for item in evidence
        if item.quote
        and item.status == EvidenceStatus.ACCEPTED
        and item.kind in (EvidenceKind.TESTIMONIAL, EvidenceKind.MENTION, EvidenceKind.AWARD)
    ]
    quotes.sort(key=lambda item: (not item.highlighted, -(item.date or date.min).toordinal()))
    return quotes[:count]


def press_coverage(evidence: list[Evidence]) -> list[Evidence]:
    return [
        item
        for item in evidence
        if item.kind == EvidenceKind.PRESS and item.status == EvidenceStatus.ACCEPTED
    ]


def latest_projects_for_feed() -> QuerySet[Project]:
    """The feed of new projects: public ones only, whoever reads the feed."""
    return with_card_data(listed_projects(None)).order_by("-published_at", "-pk")[:FEED_ITEM_COUNT]
