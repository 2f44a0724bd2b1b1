"""Actions on projects: proposing one (through the review policy), editing it, and the named
transitions the moderation queue calls. Evidence has its own module (evidence.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.models import Tag
from maillage.core.review import Decision
from maillage.members.models import Institution, InstitutionKind, User
from maillage.showcase import review, selectors
from maillage.showcase.models import (
    Platform,
    Project,
    ProjectAudience,
    ProjectLink,
    ReviewState,
)


class ProjectError(Exception):
    """A change that cannot be made; str(error) is shown to the person."""


@dataclass(frozen=True)
class NewInstitution:
    """An institution named in the proposal form, found by its name or created."""

    name: str
    kind: str = InstitutionKind.OTHER
    city: str = ""


@dataclass(frozen=True)
class ProjectContent:
    name: str
    summary: str
    kind: str
    institution: Institution | None = None
    new_institution: NewInstitution | None = None
    description: str = ""
    region: str = ""
    platform_names: str = ""
    audiences: Sequence[str] = ()
    started_on: date | None = None
    ended_on: date | None = None
    url: str = ""
    links: Sequence[tuple[str, str]] = ()
    status: str = "running"
    team_size: int | None = None
    budget_band: str = "unknown"
    obstacles: str = ""
    lessons: str = ""
    accessibility: str = "not_assessed"
    accessibility_statement_url: str = ""
    contact: User | None = None
    tag_names: str = ""
    content_licence: str = ""
    licence: str = "CC-BY-SA-4.0"
    visibility: str = "public"
    is_demo: bool = False
    # The published objections (onboarding) the project answered; None leaves them as they are.
    objections: Sequence[Any] | None = None


def can_propose(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def institution_for(content: ProjectContent) -> Institution:
    """The chosen institution, or the one named: an existing one of that name (and city, when
    given) is reused, otherwise it is created."""
    if content.institution is not None:
        return content.institution
    named = content.new_institution
    if named is None or not named.name.strip():
        raise ProjectError(_("Choose the project's institution or give its name."))
    name = " ".join(named.name.split())
    existing = Institution.objects.filter(name__iexact=name)
    if named.city.strip():
        existing = existing.filter(city__iexact=named.city.strip())
    found = existing.order_by("pk").first()
    if found is not None:
        return found
    return Institution.objects.create(
        name=name, kind=named.kind or InstitutionKind.OTHER, city=named.city.strip()
    )


_PLAIN_FIELDS = (
    "name",
    "summary",
    "kind",
    "description",
    "region",
    "started_on",
    "ended_on",
    "url",
    "status",
    "team_size",
    "budget_band",
    "obstacles",
    "lessons",
    "accessibility",
    "accessibility_statement_url",
    "contact",
    "content_licence",
    "licence",
    "visibility",
    "is_demo",
)


def _apply(project: Project, content: ProjectContent) -> None:
    if content.ended_on and content.started_on and content.ended_on < content.started_on:
        raise ProjectError(_("The project cannot end before it starts."))
    for name in _PLAIN_FIELDS:
        setattr(project, name, getattr(content, name))
    project.name = " ".join(project.name.split())
    project.institution = institution_for(content)


def _set_relations(project: Project, content: ProjectContent) -> None:
    project.tags.set(Tag.objects.for_names(content.tag_names))
    project.platforms.set(Platform.objects.for_names(content.platform_names))
    wanted = set(content.audiences)
    ProjectAudience.objects.filter(project=project).exclude(audience__in=wanted).delete()
    have = set(ProjectAudience.objects.filter(project=project).values_list("audience", flat=True))
    ProjectAudience.objects.bulk_create(
        [ProjectAudience(project=project, audience=code) for code in sorted(wanted - have)]
    )
    ProjectLink.objects.filter(project=project).delete()
    ProjectLink.objects.bulk_create(
        [
            ProjectLink(project=project, title=title, url=url, position=position)
            for position, (title, url) in enumerate(content.links)
        ]
    )
    if content.objections is not None:
        _set_objections(project, content.objections)


def _set_objections(project: Project, chosen: Sequence[Any]) -> None:
    """Link the project to the chosen published objections; links a coordinator made to an
    objection the form does not offer (held, hidden) stay."""
    from maillage.onboarding.selectors import published_objections

    offered = set(published_objections().values_list("pk", flat=True))
    kept = project.objections.exclude(pk__in=offered)
    project.objections.set([*kept, *(objection for objection in chosen if objection.pk in offered)])


def _review_text(content: ProjectContent) -> str:
    return "\n".join((content.name, content.summary, content.description, content.lessons))


@transaction.atomic
def propose_project(
    *, by: User, content: ProjectContent, decision: Decision | None = None
) -> Project:
    """A member proposes a project: the review policy publishes it now, or holds it for a
    coordinator (the proposer and the institution's members see it meanwhile)."""
    if not can_propose(by):
        raise ProjectError(_("Log in to propose a project."))
    project = Project(proposed_by=by)
    _apply(project, content)
    if decision is None:
        decision = review.decide(
            author=by, text=_review_text(content), tag_names=content.tag_names.split(",")
        )
    if decision.visible_now:
        project.review_state = ReviewState.PUBLISHED
        project.published_at = timezone.now()
    elif decision.action == "reject":
        project.review_state = ReviewState.REJECTED
    else:
        project.review_state = ReviewState.HELD
    project.save()
    _set_relations(project, content)
    review.record(project=project, decision=decision)
    search.index(project)
    return project


@transaction.atomic
def update_project(*, project: Project, by: User, content: ProjectContent) -> Project:
    if not selectors.can_edit(by, project):
        raise ProjectError(_("Only the project's team and the coordinators edit it."))
    _apply(project, content)
    project.save()
    _set_relations(project, content)
    search.index(project)
    return project


# --- The moderation queue's callbacks (core.review) ------------------------------------------


def publish_project(project: Project) -> None:
    if project.review_state == ReviewState.PUBLISHED:
        return
    project.review_state = ReviewState.PUBLISHED
    project.published_at = project.published_at or timezone.now()
    project.save(update_fields=["review_state", "published_at", "updated_at"])
    search.index(project)


def reject_project(project: Project, reason: str) -> None:
    project.review_state = ReviewState.REJECTED
    project.save(update_fields=["review_state", "updated_at"])
    search.index(project)


def mark_project_as_spam(project: Project) -> None:
    project.review_state = ReviewState.SPAM
    project.save(update_fields=["review_state", "updated_at"])
    search.index(project)


def describe_project(project: Project) -> str:
    return _("Project “%(name)s” (%(institution)s): %(summary)s") % {
        "name": project.name,
        "institution": project.institution.name,
        "summary": project.summary,
    }


def project_url(project: Project) -> str:
    return project.get_absolute_url()
