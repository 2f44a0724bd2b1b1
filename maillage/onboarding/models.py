"""Helping colleagues start: the objections they raise and the answers members give, the daily
practices that lead to a first step of ten minutes, and the personal paths the questionnaire
draws from them."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillage.core.tags import free_slug
from maillage.core.visibility import Visibility

URL_MAX_LENGTH = 500
ANSWER_MAX_LENGTH = 2500
EXPLANATION_MAX_LENGTH = 4000
# Paths of onboarding/urls.py under freins/ that an objection's slug must not shadow.
RESERVED_OBJECTION_SLUGS = frozenset({"proposer"})


class ProposalState(models.TextChoices):
    """Where a proposed objection or answer stands with the review policy (core.review)."""

    HELD = "held", pgettext_lazy("proposal", "awaiting review")
    PUBLISHED = "published", pgettext_lazy("proposal", "published")
    REJECTED = "rejected", pgettext_lazy("proposal", "rejected")
    SPAM = "spam", pgettext_lazy("proposal", "spam")


class AnswerVisibility(models.TextChoices):
    """An answer is for everyone or for the network's members (a testimony may name a
    director); never private: it is written to be shared."""

    PUBLIC = Visibility.PUBLIC.value, _("Public")
    MEMBERS = Visibility.MEMBERS.value, _("Members of the network")


class Objection(models.Model):
    """What a colleague says to turn down the social web ("I'm scared", "I have no time")."""

    title = models.CharField(
        _("objection"),
        max_length=160,
        help_text=_("In the colleague’s own words, as you heard it."),
    )
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    explanation = models.TextField(
        _("what lies behind it"),
        max_length=EXPLANATION_MAX_LENGTH,
        blank=True,
        help_text=_("Markdown. What the colleague fears or lacks, without judging."),
    )
    state = models.CharField(
        _("review"), max_length=10, choices=ProposalState.choices, default=ProposalState.HELD
    )
    featured = models.BooleanField(_("featured"), default=False)
    hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden objections are seen by coordinators only.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_objections",
    )
    guest_name = models.CharField(_("guest's name"), max_length=120, blank=True)
    # Links to go further, chosen by coordinators; each is shown only to who may see it.
    projects = models.ManyToManyField(
        "showcase.Project",
        verbose_name=_("showcase projects"),
        blank=True,
        related_name="objections",
    )
    articles = models.ManyToManyField(
        "articles.Article", verbose_name=_("articles"), blank=True, related_name="objections"
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("events"), blank=True, related_name="objections"
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-featured", "position", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["state", "hidden", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="onboarding_objection_state"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="onboarding_objection_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(
                self,
                self.title,
                fallback="frein",
                max_length=170,
                reserved=RESERVED_OBJECTION_SLUGS,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("onboarding:objection", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == ProposalState.PUBLISHED

    @property
    def author_name(self) -> str:
        if self.proposed_by is not None:
            return self.proposed_by.display_name
        return self.guest_name


class AnswerKind(models.TextChoices):
    ANSWER = "answer", _("answer")
    TESTIMONY = "testimony", _("testimony")


class Answer(models.Model):
    """A member's short, practical answer to an objection, or the story of how they overcame it
    ("how I convinced my director")."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("objection"), on_delete=models.CASCADE, related_name="answers"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AnswerKind.choices, default=AnswerKind.ANSWER
    )
    title = models.CharField(
        _("title"),
        max_length=160,
        blank=True,
        help_text=_("Optional; a testimony reads better with one."),
    )
    body = models.TextField(_("text"), max_length=ANSWER_MAX_LENGTH, help_text=_("Markdown."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objection_answers",
    )
    guest_name = models.CharField(_("guest's name"), max_length=120, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=AnswerVisibility.choices,
        default=AnswerVisibility.PUBLIC,
    )
    state = models.CharField(
        _("review"), max_length=10, choices=ProposalState.choices, default=ProposalState.HELD
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Featured answers come first.")
    )
    hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden answers are seen by coordinators only.")
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-featured", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["objection", "state", "hidden"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="onboarding_answer_state"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AnswerKind.values), name="onboarding_answer_kind"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=AnswerVisibility.values),
                name="onboarding_answer_visibility",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="onboarding_answer_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.objection.get_absolute_url()}#reponse-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.state == ProposalState.PUBLISHED

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return self.author.display_name
        return self.guest_name


class HelpfulVote(models.Model):
    """A member found an answer helpful ("ça m'a aidé"): one vote per member and answer."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="helpful_votes",
    )
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("“it helped me” vote")
        verbose_name_plural = _("“it helped me” votes")
        constraints = [
            models.UniqueConstraint(fields=["answer", "member"], name="onboarding_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.answer}"


# --- Triggers: practices, tools, first steps --------------------------------------------------


class Tool(models.Model):
    """A tool a practice leads to (social bookmarking, Flickr, a blog…)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=90, unique=True)
    description = models.CharField(
        _("what it does"), max_length=300, blank=True, help_text=_("One plain sentence.")
    )
    url = models.URLField(_("web address"), max_length=URL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(self, self.name, fallback="outil", max_length=80)
        super().save(*args, **kwargs)


class StepKind(models.TextChoices):
    """Where a first step leads: a page of Maillage chosen when it is shown, or an address."""

    SPREADSHEET_IMPORT = "spreadsheet_import", _("import a spreadsheet watch")
    LICENCE_CHOOSER = "licence_chooser", _("choose a Creative Commons licence")
    FOLLOW_FEEDS = "follow_feeds", _("follow a few feeds")
    NEXT_TRAINING = "next_training", _("register for the next training")
    LINK = "link", _("an address")


def validate_step_address(value: str) -> None:
    """A page of this site ("/vitrine/…") or an http(s) address elsewhere."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith(("http://", "https://")):
        return
    raise ValidationError(
        _("Give an address starting with https:// or a path of this site starting with /."),
        code="invalid_address",
    )


class FirstStep(models.Model):
    """Something a colleague can do in about ten minutes, inside Maillage or outside it."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One sentence: what you will have done.")
    )
    instructions = models.TextField(
        _("how to do it"), blank=True, help_text=_("Markdown. A few short steps.")
    )
    url = models.CharField(
        _("web address"),
        max_length=URL_MAX_LENGTH,
        blank=True,
        validators=[validate_step_address],
        help_text=_("For an address step: https://… or a path of this site such as /vitrine/."),
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    for_everyone = models.BooleanField(
        _("for everyone"),
        default=False,
        help_text=_("Offered to complete a path when the answers give too few steps."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("first step")
        verbose_name_plural = _("first steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="onboarding_step_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="onboarding_link_step_has_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(self, self.title, fallback="etape", max_length=170)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("onboarding:step", kwargs={"slug": self.slug})


class StepFeed(models.Model):
    """One of the feeds a "follow these feeds" step suggests."""

    step = models.ForeignKey(FirstStep, on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(_("title"), max_length=160)
    url = models.URLField(_("feed or site address"), max_length=URL_MAX_LENGTH)
    description = models.CharField(_("why follow it"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("suggested feed")
        verbose_name_plural = _("suggested feeds")
        constraints = [
            models.UniqueConstraint(fields=["step", "url"], name="onboarding_step_feed_once")
        ]

    def __str__(self) -> str:
        return self.title


class Practice(models.Model):
    """Something colleagues do every week (keep a watch in a spreadsheet, take photos…): the
    trigger from which a tool and a first step make sense."""

    label = models.CharField(
        _("practice"),
        max_length=160,
        help_text=_("As the questionnaire asks it: “I keep a watch in a spreadsheet”."),
    )
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.CharField(
        _("why it is a good start"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences."),
    )
    tools = models.ManyToManyField(Tool, verbose_name=_("tools"), blank=True, related_name="+")
    steps: models.ManyToManyField[FirstStep, PracticeStep] = models.ManyToManyField(
        FirstStep,
        verbose_name=_("first steps"),
        through="PracticeStep",
        blank=True,
        related_name="practices",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("offered in the questionnaire"),
        default=True,
        help_text=_("Only offered practices are in the questionnaire."),
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Invented for the demonstration.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(self, self.label, fallback="pratique", max_length=170)
        super().save(*args, **kwargs)


class PracticeStep(models.Model):
    """A first step suggested for a practice, in the order the path takes them."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="step_links")
    step = models.ForeignKey(FirstStep, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("first step of a practice")
        verbose_name_plural = _("first steps of a practice")
        constraints = [
            models.UniqueConstraint(fields=["practice", "step"], name="onboarding_practice_step")
        ]

    def __str__(self) -> str:
        return f"{self.practice} → {self.step}"


# --- Personal paths ---------------------------------------------------------------------------


def new_path_token() -> str:
    return secrets.token_urlsafe(24)


class Path(models.Model):
    """The first steps drawn from one questionnaire. Its token is the link to share it: whoever
    holds the link reads it, without an account."""

    token = models.CharField(max_length=64, unique=True, default=new_path_token, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="onboarding_paths",
    )
    # The answers, kept for the coordinators' anonymous counts.
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices chosen"), blank=True, related_name="+"
    )
    objections = models.ManyToManyField(
        Objection, verbose_name=_("objections felt"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal path")
        verbose_name_plural = _("personal paths")
        constraints = [
            # A member has one path; answering again redraws it.
            models.UniqueConstraint(
                fields=["owner"], condition=Q(owner__isnull=False), name="onboarding_path_per_owner"
            )
        ]

    def __str__(self) -> str:
        return str(_("Path of %(date)s") % {"date": f"{self.created_at:%Y-%m-%d}"})

    def get_absolute_url(self) -> str:
        return reverse("onboarding:path", kwargs={"token": self.token})


class PathStep(models.Model):
    """One step of a path: a first step to do, or an objection's answers to read."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="path_steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    step = models.ForeignKey(
        FirstStep, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("step of a path")
        verbose_name_plural = _("steps of a path")
        constraints = [
            models.CheckConstraint(
                condition=(Q(step__isnull=False) & Q(objection__isnull=True))
                | (Q(step__isnull=True) & Q(objection__isnull=False)),
                name="onboarding_path_step_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.step or self.objection)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
