"""Personal paths: taking the questionnaire draws a path (planning.plan_path), a step is marked
done or not, and a path taken before logging in can be kept in the member's account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.db import lock_for_update
from maillage.members.models import User
from maillage.onboarding import selectors
from maillage.onboarding.models import Objection, Path, PathStep, Practice, PracticeStep
from maillage.onboarding.planning import PlannedStep, plan_path


class PathError(Exception):
    pass


def _steps_of(practices: Sequence[Practice]) -> list[list[int]]:
    """Each practice's step ids in order, read in one query."""
    by_practice: dict[int, list[int]] = {practice.pk: [] for practice in practices}
    links = PracticeStep.objects.filter(practice__in=list(by_practice)).order_by("position", "pk")
    for practice_id, step_id in links.values_list("practice_id", "step_id"):
        by_practice[practice_id].append(step_id)
    return [by_practice[practice.pk] for practice in practices]


def plan_for(
    *, practices: Sequence[Practice], objections: Sequence[Objection]
) -> list[PlannedStep]:
    ordered_practices = sorted(practices, key=lambda practice: (practice.position, practice.pk))
    ordered_objections = sorted(
        objections, key=lambda item: (-item.featured, item.position, item.pk)
    )
    return plan_path(
        practices=_steps_of(ordered_practices),
        objections=[objection.pk for objection in ordered_objections],
        for_everyone=list(selectors.steps_for_everyone().values_list("pk", flat=True)),
    )


def _key(step: PathStep) -> tuple[str, int]:
    if step.step_id is not None:
        return ("step", step.step_id)
    return ("objection", step.objection_id or 0)


@transaction.atomic
def take_questionnaire(
    *,
    owner: User | None,
    practices: Sequence[Practice],
    objections: Sequence[Objection],
    replacing: Path | None = None,
) -> Path:
    """Draw the path for these answers. A member has one path, drawn again when they answer
    again; a visitor's path is new, or the one they took earlier in this browser
    (`replacing`). Steps already done stay done."""
    if owner is not None and not owner.is_authenticated:
        owner = None
    path: Path | None = None
    if owner is not None:
        path = lock_for_update(Path.objects.filter(owner=owner)).first()
        if path is None and replacing is not None and replacing.owner_id is None:
            path = replacing
            path.owner = owner
    elif replacing is not None and replacing.owner_id is None:
        path = replacing
    if path is None:
        path = Path(owner=owner)
    path.save()

    done: dict[tuple[str, int], datetime] = {
        _key(step): step.done_at for step in path.path_steps.all() if step.done_at is not None
    }
    path.path_steps.all().delete()
    planned = plan_for(practices=practices, objections=objections)
    PathStep.objects.bulk_create(
        [
            PathStep(
                path=path,
                position=position,
                step_id=item.id if item.kind == "step" else None,
                objection_id=item.id if item.kind == "objection" else None,
                done_at=done.get((item.kind, item.id)),
            )
            for position, item in enumerate(planned, start=1)
        ]
    )
    path.practices.set(list(practices))
    path.objections.set(list(objections))
    return path


@transaction.atomic
def set_step_done(*, path_step: PathStep, done: bool) -> PathStep:
    if done and path_step.done_at is None:
        path_step.done_at = timezone.now()
    elif not done:
        path_step.done_at = None
    path_step.save(update_fields=["done_at"])
    return path_step


@transaction.atomic
def keep_path(*, path: Path, owner: User) -> Path:
    """A path taken before logging in becomes the member's (their older one, if any, goes)."""
    if path.owner_id is not None:
        if path.owner_id == owner.pk:
            return path
        raise PathError(_("This path already belongs to someone."))
    Path.objects.filter(owner=owner).exclude(pk=path.pk).delete()
    path.owner = owner
    path.save(update_fields=["owner", "updated_at"])
    return path
