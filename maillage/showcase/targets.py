"""Projects take comments through the comments app: one target kind, registered at start-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def register_comment_target() -> None:
    from maillage.articles.comments.targets import TargetKind, register_target
    from maillage.showcase import selectors
    from maillage.showcase.models import Project

    def visible(viewer: Any, project: Project) -> bool:
        return selectors.can_see(viewer, project)

    def public_ids() -> Iterable[int]:
        return selectors.listed_projects(None).values_list("pk", flat=True)

    def team(project: Project) -> Iterable[Any]:
        return selectors.team_of(project)

    def open_to_comments(project: Project) -> bool:
        # A held or rejected proposal is not a page to discuss yet.
        return project.is_published

    register_target(TargetKind("projet", Project, visible, public_ids, team, open_to_comments))
