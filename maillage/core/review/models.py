"""The review policy's data: the network's settings (one row) and one record per decision."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ReviewAction", "ReviewPolicy", "ReviewRecord", "ReviewState"]


class ReviewAction(models.TextChoices):
    """What happens to a new piece of content, from the lightest to the heaviest."""

    PUBLISH = "publish", _("publish")
    PUBLISH_THEN_SAMPLE = "publish_then_sample", _("publish, review a sample afterwards")
    HOLD = "hold", _("hold for review")
    REJECT = "reject", _("reject")


# Heavier actions win when several rules apply.
ACTION_WEIGHT = {
    ReviewAction.PUBLISH: 0,
    ReviewAction.PUBLISH_THEN_SAMPLE: 1,
    ReviewAction.HOLD: 2,
    ReviewAction.REJECT: 3,
}


class ReviewState(models.TextChoices):
    AUTO_PUBLISHED = "auto_published", _("published without review")
    SAMPLED = "sampled", _("published, sampled for review")
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SPAM = "spam", _("spam")
    EXPIRED_PUBLISHED = "expired_published", _("published after the deadline")


# States in which the content is (or was made) visible and nobody removed it.
ACCEPTED_STATES = (
    ReviewState.AUTO_PUBLISHED,
    ReviewState.SAMPLED,
    ReviewState.APPROVED,
    ReviewState.EXPIRED_PUBLISHED,
)
# States a reviewer can act on.
OPEN_STATES = (ReviewState.PENDING, ReviewState.SAMPLED)
REMOVED_STATES = (ReviewState.REJECTED, ReviewState.SPAM)


# The kinds of content the settings page offers a default for; apps may submit others.
KIND_LABELS = {
    "comment": _("comment"),
    "link_suggestion": _("suggested link"),
    "post": _("post"),
    "bookmark": _("shared bookmark"),
    "question": _("question"),
    "list_message": _("list message"),
    "project": _("showcase project"),
    "objection": _("objection"),
    "objection_answer": _("answer to an objection"),
    "answer": _("answer to a public question"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


class ReviewPolicy(models.Model):
    """The network's choices, one row (`ReviewPolicy.current()`), edited by coordinators."""

    trust_level_to_publish = models.PositiveSmallIntegerField(
        _("trust level to publish directly"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text=_("Members at this level or above publish without review."),
    )
    first_contributions = models.PositiveSmallIntegerField(
        _("first contributions watched"),
        default=2,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "A member's first contributions are held (trust level 0) or sampled (others). "
            "0 turns this off."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links before holding"),
        default=2,
        validators=[MaxValueValidator(100)],
        help_text=_("A contribution with more links than this is held."),
    )
    watch_words = models.TextField(
        _("watch words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A line ending with “= reject” rejects; "
            "any other line holds."
        ),
    )
    guest_action = models.CharField(
        _("contributions from guests"),
        max_length=20,
        choices=ReviewAction.choices,
        default=ReviewAction.HOLD,
    )
    kind_defaults = models.JSONField(
        _("default action per kind"),
        default=dict,
        blank=True,
        help_text=_("The lightest action for each kind of content; unset kinds publish."),
    )
    silence_hours = models.PositiveIntegerField(
        _("silence means yes after (hours)"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Held contributions are published after this many hours. 0 turns this off."),
    )
    sample_rate = models.PositiveSmallIntegerField(
        _("sample rate (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of “publish, then sample” contributions put in the queue."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self) -> str:
        return str(_("Review policy"))

    @classmethod
    def current(cls) -> ReviewPolicy:
        """The policy row, created with the defaults the first time it is needed."""
        policy = cls.objects.order_by("pk").first()
        if policy is None:
            policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    def watch_list(self) -> list[tuple[str, ReviewAction]]:
        """(word, action) pairs from the watch words text."""
        entries: list[tuple[str, ReviewAction]] = []
        for line in self.watch_words.splitlines():
            word, _sep, action = line.partition("=")
            word = word.strip()
            if not word:
                continue
            chosen = (
                ReviewAction.REJECT
                if action.strip().lower() in {"reject", "rejeter"}
                else ReviewAction.HOLD
            )
            entries.append((word, chosen))
        return entries

    # The network weighs expertise as one trust level more, and never samples trusted members.
    @property
    def expertise_required(self) -> bool:
        return False

    @property
    def trusted_action(self) -> ReviewAction:
        return ReviewAction.PUBLISH

    def default_for(self, kind: str) -> ReviewAction:
        value = (self.kind_defaults or {}).get(kind)
        return ReviewAction(value) if value in ReviewAction.values else ReviewAction.PUBLISH


class ReviewRecordQuerySet(models.QuerySet["ReviewRecord"]):
    def open(self) -> ReviewRecordQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def accepted(self) -> ReviewRecordQuerySet:
        return self.filter(state__in=ACCEPTED_STATES)

    def for_content(self, content: models.Model) -> ReviewRecordQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(content), object_id=content.pk
        )


class ReviewRecord(models.Model):
    """One decision on one piece of content, its reasons and what reviewers did with it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=40)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_records",
    )
    guest_email = models.EmailField(_("guest's email"), blank=True)
    action = models.CharField(_("decision"), max_length=20, choices=ReviewAction.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ReviewState.choices)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.TextField(_("note"), blank=True)

    objects = ReviewRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review record")
        verbose_name_plural = _("review records")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_review_content_idx"),
            models.Index(fields=["state", "created_at"], name="core_review_state_idx"),
            models.Index(fields=["author", "state"], name="core_review_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values), name="core_review_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=ReviewAction.values),
                name="core_review_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # Named transitions live in services; these delegate so callers holding a record can use them.
    def approve(self, by: Any) -> ReviewRecord:
        from maillage.core.review import services

        return services.approve(record=self, by=by)

    def reject(self, by: Any, reason: str) -> ReviewRecord:
        from maillage.core.review import services

        return services.reject(record=self, by=by, reason=reason)

    def mark_spam(self, by: Any) -> ReviewRecord:
        from maillage.core.review import services

        return services.mark_spam(record=self, by=by)
