"""Actions on the objections catalogue: proposing an objection or an answer (through the review
policy), voting "it helped me", and the coordinators' curation (feature, hide, reorder, link)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.review import Decision, ReviewAction
from maillage.core.text import french_spacing
from maillage.members.models import User
from maillage.onboarding import review, selectors
from maillage.onboarding.models import (
    Answer,
    AnswerKind,
    AnswerVisibility,
    HelpfulVote,
    Objection,
    ProposalState,
)
from maillage.onboarding.search import index_objection


class OnboardingError(Exception):
    pass


def _is_guest(by: User | None) -> bool:
    return by is None or not by.is_authenticated


def _state_for(decision: Decision) -> str:
    if decision.visible_now:
        return ProposalState.PUBLISHED
    if decision.action == ReviewAction.REJECT:
        return ProposalState.REJECTED
    return ProposalState.HELD


def can_curate(viewer: Any) -> bool:
    return selectors.is_coordinator(viewer)


def _check_guest(by: User | None, guest_name: str) -> str:
    if _is_guest(by):
        name = guest_name.strip()
        if not name:
            raise OnboardingError(_("Tell us your name, so that a coordinator knows who asks."))
        return name
    return ""


# --- Proposing ---------------------------------------------------------------------------------


@transaction.atomic
def propose_objection(
    *,
    by: User | None,
    title: str,
    explanation: str = "",
    guest_name: str = "",
    guest_email: str = "",
    decision: Decision | None = None,
) -> Objection:
    """Anyone proposes an objection they heard; the review policy publishes it now or holds it
    for a coordinator (a guest's proposal is held under the network's default policy)."""
    title = french_spacing(" ".join(title.split()))
    if not title:
        raise OnboardingError(_("Write the objection as you heard it."))
    name = _check_guest(by, guest_name)
    author = None if _is_guest(by) else by
    if decision is None:
        decision = review.decide(
            kind=review.OBJECTION_KIND, author=author, text=f"{title}\n{explanation}"
        )
    last = Objection.objects.aggregate(last=Max("position"))["last"]
    objection = Objection(
        title=title,
        explanation=explanation.strip(),
        proposed_by=author,
        guest_name=name,
        state=_state_for(decision),
        position=(last or 0) + 1,
    )
    if objection.state == ProposalState.PUBLISHED:
        objection.published_at = timezone.now()
    objection.save()
    review.record(
        content=objection,
        kind=review.OBJECTION_KIND,
        author=author,
        decision=decision,
        email=guest_email.strip() if author is None else "",
    )
    index_objection(objection)
    return objection


@transaction.atomic
def answer_objection(
    *,
    objection: Objection,
    by: User | None,
    body: str,
    kind: str = AnswerKind.ANSWER,
    title: str = "",
    visibility: str = AnswerVisibility.PUBLIC,
    guest_name: str = "",
    guest_email: str = "",
    decision: Decision | None = None,
) -> Answer:
    """Anyone answers a published objection, or tells how they overcame it (a testimony)."""
    if not objection.is_published or objection.hidden:
        raise OnboardingError(_("This objection does not take answers."))
    body = body.strip()
    if not body:
        raise OnboardingError(_("Write your answer."))
    if kind not in AnswerKind.values:
        raise OnboardingError(_("Choose an answer or a testimony."))
    name = _check_guest(by, guest_name)
    author = None if _is_guest(by) else by
    if author is None:
        # Only members read members-only answers; a guest writes for everyone.
        visibility = AnswerVisibility.PUBLIC
    if visibility not in AnswerVisibility.values:
        raise OnboardingError(_("Choose who may read your answer."))
    if decision is None:
        decision = review.decide(kind=review.ANSWER_KIND, author=author, text=f"{title}\n{body}")
    answer = Answer(
        objection=objection,
        kind=kind,
        title=french_spacing(title.strip()),
        body=body,
        author=author,
        guest_name=name,
        visibility=visibility,
        state=_state_for(decision),
    )
    if answer.state == ProposalState.PUBLISHED:
        answer.published_at = timezone.now()
    answer.save()
    review.record(
        content=answer,
        kind=review.ANSWER_KIND,
        author=author,
        decision=decision,
        email=guest_email.strip() if author is None else "",
    )
    if answer.is_published:
        index_objection(objection)
    return answer


# --- "It helped me" ----------------------------------------------------------------------------


def toggle_helpful(*, answer: Answer, member: User) -> bool:
    """Give or take back the member's "it helped me" on an answer; True when it is given now.
    One per member and answer (the database holds that line); not on one's own answer."""
    if not selectors.is_member(member):
        raise OnboardingError(_("Log in to say an answer helped you."))
    if not answer.is_published or answer.hidden:
        raise OnboardingError(_("This answer does not take votes."))
    if answer.author_id == member.pk:
        raise OnboardingError(_("Your own answer cannot get your vote."))
    with transaction.atomic():
        deleted, _rows = HelpfulVote.objects.filter(answer=answer, member=member).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                HelpfulVote.objects.create(answer=answer, member=member)
        except IntegrityError:
            # The same member voted at the same moment in another request: one vote stands.
            pass
    return True


def helpful_count(answer: Answer) -> int:
    return HelpfulVote.objects.filter(answer=answer).count()


# --- Curation by coordinators -------------------------------------------------------------------


def _require_curator(by: User) -> None:
    if not can_curate(by):
        raise OnboardingError(_("Only coordinators arrange the objections."))


@transaction.atomic
def set_objection_flags(
    *, objection: Objection, by: User, featured: bool | None = None, hidden: bool | None = None
) -> Objection:
    _require_curator(by)
    if featured is not None:
        objection.featured = featured
    if hidden is not None:
        objection.hidden = hidden
    objection.save(update_fields=["featured", "hidden", "updated_at"])
    index_objection(objection)
    return objection


@transaction.atomic
def set_answer_flags(
    *, answer: Answer, by: User, featured: bool | None = None, hidden: bool | None = None
) -> Answer:
    _require_curator(by)
    if featured is not None:
        answer.featured = featured
    if hidden is not None:
        answer.hidden = hidden
    answer.save(update_fields=["featured", "hidden", "updated_at"])
    index_objection(answer.objection)
    return answer


@transaction.atomic
def move_objection(*, objection: Objection, by: User, direction: Literal["up", "down"]) -> bool:
    """Swap the objection with its neighbour in the catalogue's order (featured ones stay among
    themselves). False when it is already first or last."""
    _require_curator(by)
    siblings = list(
        Objection.objects.filter(state=ProposalState.PUBLISHED, featured=objection.featured)
        .order_by("position", "pk")
        .only("pk", "position")
    )
    index = next((i for i, sibling in enumerate(siblings) if sibling.pk == objection.pk), None)
    if index is None:
        return False
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    changed = []
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    Objection.objects.bulk_update(changed, ["position"])
    objection.position = next(s.position for s in siblings if s.pk == objection.pk)
    return True


@transaction.atomic
def update_objection(
    *,
    objection: Objection,
    by: User,
    title: str,
    explanation: str,
    projects: Iterable[Any] = (),
    articles: Iterable[Any] = (),
    events: Iterable[Any] = (),
) -> Objection:
    """Coordinators reword an objection and link it to showcase projects, articles, events."""
    _require_curator(by)
    title = french_spacing(" ".join(title.split()))
    if not title:
        raise OnboardingError(_("Write the objection as you heard it."))
    objection.title = title
    objection.explanation = explanation.strip()
    objection.save(update_fields=["title", "explanation", "updated_at"])
    index_objection(objection)
    objection.projects.set(list(projects))
    objection.articles.set(list(articles))
    objection.events.set(list(events))
    return objection


# --- The moderation queue's callbacks (core.review) --------------------------------------------


def publish_objection(objection: Objection) -> None:
    if objection.state == ProposalState.PUBLISHED:
        return
    objection.state = ProposalState.PUBLISHED
    objection.published_at = objection.published_at or timezone.now()
    objection.save(update_fields=["state", "published_at", "updated_at"])
    index_objection(objection)


def reject_objection(objection: Objection, reason: str) -> None:
    objection.state = ProposalState.REJECTED
    objection.save(update_fields=["state", "updated_at"])
    index_objection(objection)


def mark_objection_as_spam(objection: Objection) -> None:
    objection.state = ProposalState.SPAM
    objection.save(update_fields=["state", "updated_at"])
    index_objection(objection)


def describe_objection(objection: Objection) -> str:
    text = objection.title
    if objection.explanation:
        text += f"\n\n{objection.explanation}"
    return text


def objection_url(objection: Objection) -> str:
    return objection.get_absolute_url()


def publish_answer(answer: Answer) -> None:
    if answer.state == ProposalState.PUBLISHED:
        return
    answer.state = ProposalState.PUBLISHED
    answer.published_at = answer.published_at or timezone.now()
    answer.save(update_fields=["state", "published_at", "updated_at"])
    index_objection(answer.objection)


def reject_answer(answer: Answer, reason: str) -> None:
    answer.state = ProposalState.REJECTED
    answer.save(update_fields=["state", "updated_at"])
    index_objection(answer.objection)


def mark_answer_as_spam(answer: Answer) -> None:
    answer.state = ProposalState.SPAM
    answer.save(update_fields=["state", "updated_at"])
    index_objection(answer.objection)


def describe_answer(answer: Answer) -> str:
    heading = _("On “%(objection)s”") % {"objection": answer.objection.title}
    parts = [heading, answer.title, answer.body]
    return "\n\n".join(part for part in parts if part)


def answer_url(answer: Answer) -> str:
    return answer.get_absolute_url()
