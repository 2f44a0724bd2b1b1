"""Questions from the public to an institution: where they came from, who they were routed to
(and how many hops it took), their deadline in working time, and the answers that went out."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillage.voices.models import Role

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 10000


class InboxSettings(models.Model):
    """An institution's promise to the public: a first answer within so many working hours.

    Working hours and days are the space's own (voices.Space); the inbox adds its holidays."""

    space = models.OneToOneField(
        "voices.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="inbox"
    )
    response_hours = models.PositiveSmallIntegerField(
        _("first answer within (working hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder before the deadline (working hours)"),
        default=4,
        validators=[MaxValueValidator(100)],
        help_text=_("0: no reminder."),
    )
    email_address = models.EmailField(
        _("questions address"),
        blank=True,
        help_text=_(
            "Email sent to this address becomes a question (the mail server hands it to "
            "Maillage). Leave empty if you take no questions by email."
        ),
    )
    triage_role = models.CharField(
        _("who triages"),
        max_length=10,
        choices=Role.choices,
        default=Role.EDITOR,
        help_text=_("Administrators and this role share out the questions no expert clearly fits."),
    )
    accepts_questions = models.BooleanField(_("the public may ask questions"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("inbox settings")
        verbose_name_plural = _("inbox settings")
        constraints = [
            models.UniqueConstraint(
                fields=["email_address"],
                condition=~Q(email_address=""),
                name="inbox_settings_address_once",
            ),
            models.CheckConstraint(
                condition=Q(reminder_hours__lt=models.F("response_hours")),
                name="inbox_settings_reminder_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return str(self.space)

    def clean(self) -> None:
        super().clean()
        if self.reminder_hours >= self.response_hours:
            raise ValidationError(
                {"reminder_hours": _("The reminder must come before the deadline.")}
            )
        self.email_address = self.email_address.strip().lower()


class Holiday(models.Model):
    """A day the institution is closed: not counted in response deadlines."""

    settings = models.ForeignKey(InboxSettings, on_delete=models.CASCADE, related_name="holidays")
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["settings", "day"], name="inbox_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}".strip()


class Absence(models.Model):
    """A voice out of the office: routing skips them on these days."""

    voice = models.ForeignKey(
        "voices.Voice",
        verbose_name=_("voice"),
        on_delete=models.CASCADE,
        related_name="inbox_absences",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inbox_absence_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voice} — {self.starts_on:%Y-%m-%d} → {self.ends_on:%Y-%m-%d}"


class QuestionChannel(models.TextChoices):
    FORM = "form", _("form on our pages")
    EMAIL = "email", _("email")
    CONNECTOR = "connector", _("reply or mention on a network")
    COMMENT = "comment", _("comment on a post")


class QuestionState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("waiting for the asker’s confirmation")
    NEW = "new", pgettext_lazy("question state", "new")
    ASSIGNED = "assigned", pgettext_lazy("question state", "assigned")
    ANSWERED = "answered", pgettext_lazy("question state", "answered")
    CLOSED = "closed", pgettext_lazy("question state", "closed")
    SPAM = "spam", pgettext_lazy("question state", "spam")


# Waiting for someone of the institution: the deadline runs.
OPEN_STATES = (QuestionState.NEW, QuestionState.ASSIGNED)


class Routing(models.TextChoices):
    ADDRESSED = "addressed", _("asked to a voice")
    DIRECT = "direct", _("routed directly to an expert")
    TRIAGE = "triage", _("through triage")


class QuestionQuerySet(models.QuerySet["Question"]):
    def received(self) -> QuestionQuerySet:
        """In the inbox: confirmed (or needing no confirmation), whatever became of them."""
        return self.exclude(state=QuestionState.UNCONFIRMED)

    def open(self) -> QuestionQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def public_qa(self) -> QuestionQuerySet:
        """Published as a question and answer: the asker consented and an answer is public."""
        return self.filter(consent_public=True, published_at__isnull=False).exclude(
            state=QuestionState.SPAM
        )


class Question(models.Model):
    space = models.ForeignKey(
        "voices.Space", verbose_name=_("space"), on_delete=models.CASCADE, related_name="questions"
    )
    channel = models.CharField(
        _("came by"), max_length=12, choices=QuestionChannel.choices, default=QuestionChannel.FORM
    )
    asker_name = models.CharField(_("name"), max_length=120, blank=True)
    asker_email = models.EmailField(_("email address"), blank=True)
    asker_handle = models.CharField(
        _("account on the network"), max_length=300, blank=True, help_text=_("@name@server")
    )
    email_confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("question"), max_length=BODY_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, default="fr")
    state = models.CharField(
        _("state"), max_length=12, choices=QuestionState.choices, default=QuestionState.NEW
    )
    addressed_to = models.ForeignKey(
        "voices.Voice",
        verbose_name=_("asked to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_addressed",
    )
    assignee = models.ForeignKey(
        "voices.Voice",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_assigned",
    )
    routing = models.CharField(
        _("first routed"), max_length=10, choices=Routing.choices, blank=True
    )
    # Routing's scores: [{"voice": id, "score": 4.5, "tags": ["insectes"]}], best first.
    scores = models.JSONField(_("routing scores"), default=list, blank=True)
    shortlist = models.JSONField(_("proposed to triage"), default=list, blank=True)
    topic = models.ForeignKey(
        "core.Tag",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_questions",
    )
    hops = models.PositiveSmallIntegerField(_("hops"), default=0)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    deadline = models.DateTimeField(_("answer due"), null=True, blank=True)
    reminder_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    consent_public = models.BooleanField(
        _("may be published with its answer"),
        default=False,
        help_text=_("Without your name or address."),
    )
    published_at = models.DateTimeField(
        _("published as a question and answer"), null=True, blank=True
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follows"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    # Where it came from on a network: the channel, the remote post and its address.
    source_channel = models.ForeignKey(
        "voices.Channel",
        verbose_name=_("network channel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    remote_id = models.CharField(_("identifier on the network"), max_length=300, blank=True)
    remote_url = models.URLField(_("address on the network"), max_length=500, blank=True)
    comment = models.ForeignKey(
        "comments.Comment",
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["space", "state", "received_at"]),
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["space", "published_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=QuestionState.values), name="inbox_question_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="assigned") | Q(assignee__isnull=False),
                name="inbox_question_assigned_has_assignee",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(consent_public=True),
                name="inbox_question_published_with_consent",
            ),
            models.UniqueConstraint(
                fields=["source_channel", "remote_id"],
                condition=~Q(remote_id=""),
                name="inbox_question_remote_once",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        """Inside the space (its staff only)."""
        return reverse("inbox:question", kwargs={"space": self.space.slug, "pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("inbox:public_question", kwargs={"space": self.space.slug, "pk": self.pk})

    @property
    def asker(self) -> str:
        return self.asker_name or self.asker_handle or self.asker_email or str(_("someone"))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_late(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.now()

    @property
    def answered_in_time(self) -> bool | None:
        if self.first_answered_at is None or self.deadline is None:
            return None
        return self.first_answered_at <= self.deadline


class AssignmentKind(models.TextChoices):
    ROUTING = "routing", _("routed by expertise")
    ADDRESSED = "addressed", _("asked to this voice")
    TRIAGE = "triage", _("given out by triage")
    REASSIGN = "reassign", _("passed on")
    RELEASE = "release", _("handed back to triage")


class Assignment(models.Model):
    """One step of a question's way through the institution."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="assignments")
    # None: handed back to triage by the voice it was given to.
    voice = models.ForeignKey(
        "voices.Voice",
        verbose_name=_("voice"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_assignments",
    )
    kind = models.CharField(_("how"), max_length=10, choices=AssignmentKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_hop = models.BooleanField(_("counts as a hop"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.question} → {self.voice or '—'} ({self.get_kind_display()})"


class AnswerKind(models.TextChoices):
    EMAIL = "email", _("privately, by email")
    PUBLIC = "public", _("by email, and published as a question and answer")
    CHANNEL = "channel", _("as a reply where it was asked")


class AnswerState(models.TextChoices):
    HELD = "held", pgettext_lazy("answer state", "held for review")
    REJECTED = "rejected", pgettext_lazy("answer state", "not sent")
    SENDING = "sending", pgettext_lazy("answer state", "being sent")
    SENT = "sent", pgettext_lazy("answer state", "sent")
    FAILED = "failed", pgettext_lazy("answer state", "failed")


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    voice = models.ForeignKey(
        "voices.Voice",
        verbose_name=_("voice"),
        on_delete=models.CASCADE,
        related_name="inbox_answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.CASCADE,
        related_name="inbox_answers",
    )
    kind = models.CharField(
        _("answer"), max_length=10, choices=AnswerKind.choices, default=AnswerKind.EMAIL
    )
    body = models.TextField(_("text"), max_length=ANSWER_MAX_LENGTH, help_text=_("Markdown."))
    state = models.CharField(
        _("state"), max_length=10, choices=AnswerState.choices, default=AnswerState.SENDING
    )
    review_action = models.CharField(_("review decision"), max_length=20, blank=True)
    review_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reviewer's note"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    remote_id = models.CharField(_("identifier on the network"), max_length=300, blank=True)
    remote_url = models.URLField(_("address on the network"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AnswerState.values), name="inbox_answer_state_valid"
            ),
        ]

    def __str__(self) -> str:
        text = self.body.strip().replace("\n", " ")
        return text[:60] + ("…" if len(text) > 60 else "")

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class ChannelReading(models.Model):
    """How far the mentions of a network channel were read (the last one taken in)."""

    channel = models.OneToOneField(
        "voices.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="inbox_reading",
    )
    last_remote_id = models.CharField(_("last mention read"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    error = models.TextField(_("channel's error"), blank=True)

    class Meta:
        verbose_name = _("reading of a channel")
        verbose_name_plural = _("readings of channels")

    def __str__(self) -> str:
        return f"{self.channel} — {self.last_remote_id or '—'}"
