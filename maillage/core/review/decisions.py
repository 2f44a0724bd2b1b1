"""`decide`: what happens to a new piece of content, and why, under the network's policy.

The rules, each giving an action; the heaviest wins and its reasons are kept:
- a watch word holds or rejects ("watch_word"), whoever writes;
- more links than the policy allows holds ("too_many_links"), except from trust level 3 and up;
- a guest gets the guest action ("new_guest");
- a member's first N accepted contributions are held at trust 0, sampled above
  ("first_contributions");
- below the trust level to publish directly, content is published then sampled ("low_trust");
- the kind's default action applies to everyone ("kind_default");
- otherwise it is published ("trusted_author").
A subject within the author's declared expertise counts as one trust level more
("within_expertise").

Another space (an institution's) may pass its own `policy` (any object with ReviewPolicy's
settings, see `PolicySettings`), the author's `expertise` in that space, and the `unmet`
conditions it checked itself (each holds, with its reason code). Under a policy whose
`expertise_required` is set, a subject outside the author's expertise holds ("outside_expertise"),
and trusted authors get the policy's `trusted_action` (an institution samples direct posts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext_lazy as _

from maillage.core.review.models import (
    ACCEPTED_STATES,
    ACTION_WEIGHT,
    ReviewAction,
    ReviewPolicy,
    ReviewRecord,
)
from maillage.core.tags import tag_slug

if TYPE_CHECKING:
    from maillage.members.models import User

# Authors from this level on are trusted with as many links as they like.
LINK_LIMIT_EXEMPT_TRUST = 3

REASON_TEXTS = {
    "trusted_author": _("The author is trusted to publish directly."),
    "low_trust": _("The author has not yet reached the trust level to publish directly."),
    "first_contributions": _("This is among the author’s first contributions."),
    "too_many_links": _("It contains more links than the policy allows."),
    "watch_word": _("It contains a word on the watch list."),
    "new_guest": _("It comes from a guest without an account."),
    "kind_default": _("This is the default for this kind of content."),
    "within_expertise": _("The subject is within the author’s declared expertise."),
    "outside_expertise": _("The subject is outside the author’s declared expertise."),
}


def register_reason_texts(texts: dict[str, Any]) -> None:
    """Let an app explain the reason codes of the conditions it checks itself (`unmet`)."""
    REASON_TEXTS.update(texts)


class PolicySettings(Protocol):
    """What `decide` reads of a policy: the network's ReviewPolicy, or an institution's."""

    @property
    def trust_level_to_publish(self) -> int: ...

    @property
    def first_contributions(self) -> int: ...

    @property
    def max_links(self) -> int: ...

    @property
    def guest_action(self) -> str: ...

    @property
    def expertise_required(self) -> bool: ...

    @property
    def trusted_action(self) -> ReviewAction: ...

    def watch_list(self) -> list[tuple[str, ReviewAction]]: ...

    def default_for(self, kind: str) -> ReviewAction: ...


DECISION_TEXTS = {
    ReviewAction.PUBLISH: _("Published at once."),
    ReviewAction.PUBLISH_THEN_SAMPLE: _("Published at once; a sample is reviewed afterwards."),
    ReviewAction.HOLD: _("Held for review."),
    ReviewAction.REJECT: _("Rejected."),
}

_LINK = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    action: ReviewAction
    reasons: tuple[str, ...]

    @property
    def visible_now(self) -> bool:
        return self.action in (ReviewAction.PUBLISH, ReviewAction.PUBLISH_THEN_SAMPLE)

    def describe(self) -> str:
        """The action and its reasons, in the current language."""
        return describe_decision(self.action, self.reasons)


def describe_reasons(reasons: Iterable[str]) -> str:
    return " ".join(str(REASON_TEXTS.get(code, code)) for code in reasons)


def describe_decision(action: str, reasons: Iterable[str]) -> str:
    """The action and its reasons in the current language: "Held for review. It contains…"."""
    decided = str(DECISION_TEXTS[ReviewAction(action)])
    text = describe_reasons(reasons)
    return f"{decided} {text}" if text else decided


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def watch_word_action(text: str, policy: PolicySettings) -> ReviewAction | None:
    """The heaviest action among the watch words found (whole words, accents and case ignored)."""
    folded = _folded(text or "")
    found: ReviewAction | None = None
    for word, action in policy.watch_list():
        pattern = r"(?<!\w)" + re.escape(_folded(word)) + r"(?!\w)"
        if re.search(pattern, folded) and (
            found is None or ACTION_WEIGHT[action] > ACTION_WEIGHT[found]
        ):
            found = action
    return found


def within_expertise(
    author: User, subject_tags: Iterable[str], expertise: Iterable[str] | None = None
) -> bool:
    """True when one subject tag is among the author's expertise: `expertise` (names or slugs,
    e.g. a voice's in an institution) when given, else the profile's."""
    wanted = {tag_slug(str(tag)) for tag in subject_tags} - {""}
    if not wanted or author.pk is None:
        return False
    if expertise is not None:
        return bool(wanted & {tag_slug(str(tag)) for tag in expertise})
    return author.expertise.filter(slug__in=wanted).exists()


def accepted_contributions(author: User) -> int:
    return ReviewRecord.objects.filter(author=author, state__in=ACCEPTED_STATES).count()


def decide(
    *,
    kind: str,
    author: User | None,
    text: str,
    guest: bool = False,
    subject_tags: Iterable[str] = (),
    policy: PolicySettings | None = None,
    expertise: Iterable[str] | None = None,
    unmet: Iterable[str] = (),
) -> Decision:
    """The decision for new content of `kind` by `author` (None for a guest), see module doc."""
    if policy is None:
        policy = ReviewPolicy.current()
    triggered: list[tuple[ReviewAction, str]] = [(ReviewAction.HOLD, code) for code in unmet]
    extra: list[str] = []

    word_action = watch_word_action(text, policy)
    if word_action is not None:
        triggered.append((word_action, "watch_word"))

    kind_default = policy.default_for(kind)
    if kind_default != ReviewAction.PUBLISH:
        triggered.append((kind_default, "kind_default"))

    is_guest = guest or author is None or not author.is_authenticated
    links = count_links(text)
    if is_guest or author is None:
        triggered.append((ReviewAction(policy.guest_action), "new_guest"))
        if links > policy.max_links:
            triggered.append((ReviewAction.HOLD, "too_many_links"))
    else:
        trust = author.trust_level
        if policy.expertise_required:
            if within_expertise(author, subject_tags, expertise):
                extra.append("within_expertise")
            else:
                triggered.append((ReviewAction.HOLD, "outside_expertise"))
        elif trust < 4 and within_expertise(author, subject_tags, expertise):
            trust += 1
            extra.append("within_expertise")
        if links > policy.max_links and trust < LINK_LIMIT_EXEMPT_TRUST:
            triggered.append((ReviewAction.HOLD, "too_many_links"))
        if policy.first_contributions and (
            accepted_contributions(author) < policy.first_contributions
        ):
            action = ReviewAction.HOLD if trust == 0 else ReviewAction.PUBLISH_THEN_SAMPLE
            triggered.append((action, "first_contributions"))
        if trust < policy.trust_level_to_publish:
            triggered.append((ReviewAction.PUBLISH_THEN_SAMPLE, "low_trust"))
        else:
            triggered.append((ReviewAction(policy.trusted_action), "trusted_author"))

    heaviest = max(ACTION_WEIGHT[action] for action, _reason in triggered)
    action = next(action for action, _reason in triggered if ACTION_WEIGHT[action] == heaviest)
    reasons = [reason for candidate, reason in triggered if candidate == action]
    if extra and not is_guest:
        reasons += extra
    return Decision(action=action, reasons=tuple(reasons))
