"""An institution's space on the social web: its people and their roles, its strategy (goals,
audiences, key messages, tone, targets, charter, versioned), its channels, its voices and posts."""

from __future__ import annotations

import uuid
from datetime import time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import free_slug

IMAGE_MAX_BYTES = 5 * 1024 * 1024

# Paths under a space that a voice's slug must not shadow.
RESERVED_VOICE_SLUGS = frozenset(
    {
        "flux",
        "equipe",
        "strategie",
        "canaux",
        "publications",
        "relecture",
        "reglages",
        "formation",
        "calendrier",
        "chiffres",
        "p",
        "voix",
    }
)


# Paths of voices/urls.py beside the spaces.
RESERVED_SPACE_SLUGS = frozenset({"mes-espaces", "invitation"})


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    EDITOR = "editor", _("editor")
    REVIEWER = "reviewer", _("reviewer")
    VOICE = "voice", _("voice")


class OnSilence(models.TextChoices):
    PUBLISH = "publish", _("silence means yes: publish")
    ESCALATE = "escalate", _("escalate to the administrators")


class Tone(models.TextChoices):
    INFORMATIVE = "informative", _("informative")
    WARM = "warm", _("warm")
    HUMOROUS = "humorous", _("humorous")
    BEHIND_THE_SCENES = "behind_the_scenes", _("behind the scenes")
    QUESTION = "question", _("asking the public")


class Space(models.Model):
    """An institution's space: its settings for review and working hours, its charter."""

    institution = models.OneToOneField(
        "members.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="voices_space",
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    charter = models.TextField(
        _("charter"),
        blank=True,
        help_text=_("What staff may say, the duty of discretion, what to do in a crisis."),
    )
    charter_revision = models.PositiveIntegerField(_("charter revision"), default=0)
    tone_guidelines = models.TextField(_("tone guidelines"), blank=True)
    watch_words = models.TextField(
        _("watch words"),
        blank=True,
        help_text=_("One word or phrase per line: a post containing one is held for review."),
    )
    sample_rate = models.PositiveSmallIntegerField(
        _("share of direct posts sampled (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_("Looked at afterwards, with a word for the voice: not a punishment."),
    )
    review_hours = models.PositiveSmallIntegerField(
        _("review deadline (working hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    on_silence = models.CharField(
        _("when nobody reviewed in time"),
        max_length=10,
        choices=OnSilence.choices,
        default=OnSilence.PUBLISH,
    )
    working_day_start = models.TimeField(_("working day starts"), default=time(9, 0))
    working_day_end = models.TimeField(_("working day ends"), default=time(17, 0))
    working_days = models.CharField(
        _("working days"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Days of the week, 0 for Monday to 6 for Sunday, separated by commas."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("institution space")
        verbose_name_plural = _("institution spaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_day_start__lt=models.F("working_day_end")),
                name="voices_space_working_day_order",
            )
        ]

    def __str__(self) -> str:
        return self.institution.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(
                self, self.institution.slug, fallback="institution", reserved=RESERVED_SPACE_SLUGS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("voices:space", kwargs={"space": self.slug})

    @property
    def name(self) -> str:
        return self.institution.name

    def working_weekdays(self) -> set[int]:
        days = set()
        for part in self.working_days.split(","):
            part = part.strip()
            if part.isdigit() and 0 <= int(part) <= 6:
                days.add(int(part))
        return days or {0, 1, 2, 3, 4}

    def clean(self) -> None:
        super().clean()
        if self.working_day_start >= self.working_day_end:
            raise ValidationError(
                {"working_day_end": _("The working day must end after it starts.")}
            )


class Membership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="voices_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        ordering = ["space", "role", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="voices_membership_once"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="voices_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.space}"


class Invitation(models.Model):
    """An invitation by email; the link carries a token whose digest only is stored."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    title = models.CharField(
        _("title of the voice"),
        max_length=160,
        blank=True,
        help_text=_("For a voice: what they do, e.g. “in charge of the insect collections”."),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.space}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# --- strategy ---------------------------------------------------------------------------------


class Goal(models.Model):
    """A goal on the social web, tied to a line of the institution's own strategy."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    strategy_line = models.CharField(
        _("line of the institution's strategy"),
        max_length=300,
        help_text=_("The line of your institution's own plan this goal serves."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class Audience(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="audiences")
    name = models.CharField(_("name"), max_length=120)
    who = models.TextField(_("who they are"), blank=True)
    cares_about = models.TextField(_("what they care about"), blank=True)
    where_online = models.CharField(_("where they are online"), max_length=300, blank=True)
    rough_size = models.CharField(_("rough size"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class KeyMessage(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="key_messages")
    audience = models.ForeignKey(
        Audience, verbose_name=_("audience"), on_delete=models.CASCADE, related_name="messages"
    )
    text = models.CharField(_("key message"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["audience__position", "position", "id"]
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")

    def __str__(self) -> str:
        return self.text


class StrategyVersion(models.Model):
    """What the strategy said after one save: every save makes a new version."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("strategy"), default=dict)
    change = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["space", "-number"]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(fields=["space", "number"], name="voices_version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.space} — v{self.number}"


# --- channels ---------------------------------------------------------------------------------


class ChannelKind(models.TextChoices):
    SITE = "site", _("our pages and their RSS/Atom feeds")
    NEWSLETTER = "newsletter", _("newsletter (mailing list)")
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")


class Channel(models.Model):
    """Where posts go. Credentials are stored encrypted (see voices.crypto)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("audiences served"), related_name="channels"
    )
    target_per_week = models.PositiveSmallIntegerField(
        _("posts per week (target)"), default=3, validators=[MaxValueValidator(100)]
    )
    max_length = models.PositiveIntegerField(_("longest post (characters)"), default=500)
    base_url = models.URLField(
        _("server address"),
        blank=True,
        help_text=_("Mastodon: the instance (https://…). Bluesky: the PDS (https://bsky.social)."),
    )
    account = models.CharField(
        _("account"), max_length=200, blank=True, help_text=_("Handle or login of the account.")
    )
    credentials = models.TextField(_("credentials (encrypted)"), blank=True, editable=False)
    voice = models.ForeignKey(
        "Voice",
        verbose_name=_("personal account of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_channels",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["space", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)


# --- voices -----------------------------------------------------------------------------------


class Voice(models.Model):
    """A staff member who speaks for their part of the institution, under their own name."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="voices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="voices",
    )
    slug = models.SlugField(_("slug"), max_length=200)
    title = models.CharField(
        _("title"), max_length=160, help_text=_("e.g. “in charge of the insect collections”.")
    )
    bio = models.TextField(_("about"), blank=True, max_length=2000)
    expertise = models.ManyToManyField(
        "core.Tag", verbose_name=_("expertise"), blank=True, related_name="voices"
    )
    channels = models.ManyToManyField(
        Channel, verbose_name=_("channels they may use"), blank=True, related_name="voices"
    )
    charter_accepted_at = models.DateTimeField(_("charter accepted"), null=True, blank=True)
    charter_revision_accepted = models.PositiveIntegerField(
        _("charter revision accepted"), default=0
    )
    training_done_at = models.DateTimeField(_("training done"), null=True, blank=True)
    training_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("training attended"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public = models.BooleanField(_("public page"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["space", "user__display_name"]
        verbose_name = _("voice")
        verbose_name_plural = _("voices")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="voices_voice_once"),
            models.UniqueConstraint(fields=["space", "slug"], name="voices_voice_slug_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name}, {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = _free_voice_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("voices:voice", kwargs={"space": self.space.slug, "voice": self.slug})

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def charter_accepted(self) -> bool:
        return (
            self.charter_accepted_at is not None
            and self.charter_revision_accepted >= self.space.charter_revision
        )

    @property
    def trained(self) -> bool:
        return self.training_done_at is not None


def _free_voice_slug(voice: Voice) -> str:
    from maillage.core.tags import tag_slug

    base = tag_slug(voice.user.display_name) or "voix"
    others = Voice.objects.filter(space_id=voice.space_id).exclude(pk=voice.pk)
    slug, number = base, 1
    while slug in RESERVED_VOICE_SLUGS or others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


# --- posts ------------------------------------------------------------------------------------


class PostState(models.TextChoices):
    DRAFT = "draft", _("draft")
    HELD = "held", _("held for review")
    REJECTED = "rejected", _("not published")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")
    FAILED = "failed", _("failed")


def image_upload_to(instance: Any, filename: str) -> str:
    """A random name: the original file name may say more than its owner meant to."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"voices/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def validate_image_size(file: Any) -> None:
    if file and getattr(file, "size", 0) > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is 5 MB."),
            code="file_too_large",
            params={"size": f"{file.size / 1024 / 1024:.1f}"},
        )


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        return self.filter(state=PostState.PUBLISHED)

    def on_site(self) -> PostQuerySet:
        """Published and delivered to the space's own pages (the public ones)."""
        return self.published().filter(
            deliveries__channel__kind=ChannelKind.SITE,
            deliveries__state=DeliveryState.PUBLISHED,
        )


class Post(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="posts")
    voice = models.ForeignKey(
        Voice, verbose_name=_("voice"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.CASCADE,
        related_name="voices_posts",
    )
    text = models.TextField(_("text"), max_length=5000)
    image = models.ImageField(
        _("image"), upload_to=image_upload_to, blank=True, validators=[validate_image_size]
    )
    image_alt = models.CharField(
        _("text alternative of the image"),
        max_length=1000,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    audience = models.ForeignKey(
        Audience,
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    key_message = models.ForeignKey(
        KeyMessage,
        verbose_name=_("key message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    tone = models.CharField(_("tone"), max_length=20, choices=Tone.choices, default=Tone.WARM)
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("topics"), blank=True, related_name="voices_posts"
    )
    channels: models.ManyToManyField[Channel, Delivery] = models.ManyToManyField(
        Channel,
        verbose_name=_("channels"),
        through="Delivery",
        related_name="posts",
        blank=True,
    )
    scheduled_for = models.DateTimeField(_("publish at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PostState.choices, default=PostState.DRAFT
    )
    strategy_version = models.ForeignKey(
        StrategyVersion,
        verbose_name=_("strategy version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_action = models.CharField(_("review decision"), max_length=20, blank=True)
    review_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reviewer's note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    repost_of = models.ForeignKey(
        "self",
        verbose_name=_("repost of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reposts",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["space", "state", "scheduled_for"]),
            models.Index(fields=["state", "review_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="voices_post_image_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(state__in=PostState.values), name="voices_post_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "rejected"]) | Q(scheduled_for__isnull=False),
                name="voices_post_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        text = self.text.strip().replace("\n", " ")
        return text[:60] + ("…" if len(text) > 60 else "")

    def get_absolute_url(self) -> str:
        return reverse("voices:post", kwargs={"space": self.space.slug, "pk": self.pk})

    @property
    def is_repost(self) -> bool:
        return self.repost_of_id is not None


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    PUBLISHED = "published", _("published")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One post on one channel: what the channel answered, and the engagement it reports."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    remote_id = models.CharField(_("identifier on the channel"), max_length=300, blank=True)
    remote_url = models.URLField(_("address on the channel"), max_length=500, blank=True)
    error = models.TextField(_("channel's error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    replies = models.PositiveIntegerField(_("replies"), default=0)
    reposts = models.PositiveIntegerField(_("reposts"), default=0)
    favourites = models.PositiveIntegerField(_("favourites"), default=0)
    engagement_fetched_at = models.DateTimeField(_("engagement read"), null=True, blank=True)

    class Meta:
        ordering = ["post", "channel__name"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="voices_delivery_once")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel} ({self.get_state_display()})"


class Reaction(models.Model):
    """A member of the network found a post useful (the local engagement)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voices_reactions"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="voices_reaction_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.post}"
