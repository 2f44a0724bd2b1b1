"""What the search index holds of projects (core.search): published ones as their visibility
says; held, rejected or private ones for the member who proposed them only."""

from __future__ import annotations

from django.db.models import QuerySet

from maillage.core import search
from maillage.core.visibility import Visibility
from maillage.showcase.models import Project, ReviewState


def project_documents(project: Project) -> search.Document | None:
    owner = project.proposed_by_id
    if project.review_state == ReviewState.PUBLISHED and project.visibility != Visibility.PRIVATE:
        audience = search.Audience(project.visibility)
    elif project.review_state == ReviewState.SPAM or owner is None:
        return None
    else:
        audience = search.Audience.PRIVATE
    people = [pk for pk in (project.proposed_by_id, project.contact_id) if pk]
    return search.Document(
        title=project.name,
        body="\n".join(
            part
            for part in (
                project.summary,
                search.plain_text(project.description),
                search.plain_text(project.lessons),
                search.plain_text(project.obstacles),
                " ".join(platform.name for platform in project.platforms.all()),
            )
            if part
        ),
        tags=[tag.name for tag in project.tags.all()],
        language="fr",
        audience=audience,
        owner_id=owner,
        members=people,
        date=project.published_at or project.created_at,
        url=project.get_absolute_url(),
        subject=project.institution.name,
        byline=project.get_kind_display(),
    )


def indexed_projects() -> QuerySet[Project]:
    return Project.objects.select_related("institution").prefetch_related("tags", "platforms")


search.register(
    Project, kind=search.Kind.PROJECT, documents=project_documents, queryset=indexed_projects
)
