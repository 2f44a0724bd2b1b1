"""People of the network, the institutions they work in, their roles and trust."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import free_slug
from maillage.core.visibility import Visibility, visibility_field


class Profession(models.TextChoices):
    LIBRARIAN = "librarian", _("librarian")
    DOCUMENTALIST = "documentalist", _("documentalist")
    ARCHIVIST = "archivist", _("archivist")
    CULTURAL_MEDIATION = "cultural_mediation", _("cultural mediation")
    COMMUNICATION_WEB = "communication_web", _("communication / web")
    TEACHER = "teacher", _("teacher")
    STUDENT = "student", _("student")
    OTHER = "other", _("other")


class InstitutionKind(models.TextChoices):
    LIBRARY = "library", _("library")
    MEDIA_LIBRARY = "media_library", _("media library")
    UNIVERSITY_LIBRARY = "university_library", _("university library")
    MUSEUM = "museum", _("museum")
    ARCHIVES = "archives", _("archives")
    DOCUMENTATION_CENTRE = "documentation_centre", _("documentation centre")
    SCHOOL = "school", _("school")
    ASSOCIATION = "association", _("association")
    OTHER = "other", _("other")


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    COORDINATOR = "coordinator", _("coordinator")


TRUST_LEVELS = (0, 1, 2, 3, 4)

# The profile fields that carry their own visibility (each has a `<name>_visibility` column).
PROFILE_FIELDS = ("profession", "institution", "expertise", "bio", "avatar", "links", "email")

AVATAR_MAX_BYTES = 2 * 1024 * 1024


def avatar_upload_to(instance: Any, filename: str) -> str:
    """A random name: the original file name may say more than its owner meant to."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"avatars/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def validate_avatar_size(file: Any) -> None:
    if file and getattr(file, "size", 0) > AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is 2 MB."),
            code="file_too_large",
            params={"size": f"{file.size / 1024 / 1024:.1f}"},
        )


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            # Two libraries may share a name in different cities: "mediatheque-2", no crash.
            self.slug = free_slug(self, self.name, fallback="institution")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:institution", kwargs={"slug": self.slug})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.COORDINATOR)
        extra.setdefault("trust_level", 4)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person of the network. Logs in by email; the profile lives on the same row."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    trust_level = models.PositiveSmallIntegerField(
        _("trust level"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text=_("0 (new) to 4 (fully trusted); used by the review policy."),
    )
    trust_level_locked = models.BooleanField(
        _("trust level set by hand"),
        default=False,
        help_text=_("The nightly recount leaves a trust level set by a coordinator as it is."),
    )

    # Profile: each field carries who may see it.
    profession = models.CharField(
        _("profession"), max_length=30, choices=Profession.choices, blank=True
    )
    profession_visibility = visibility_field(default=Visibility.PUBLIC)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    institution_visibility = visibility_field(default=Visibility.PUBLIC)
    expertise = models.ManyToManyField(
        "core.Tag", verbose_name=_("expertise"), blank=True, related_name="experts"
    )
    expertise_visibility = visibility_field(default=Visibility.PUBLIC)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    bio_visibility = visibility_field(default=Visibility.MEMBERS)
    avatar = models.ImageField(
        _("avatar"), upload_to=avatar_upload_to, blank=True, validators=[validate_avatar_size]
    )
    avatar_visibility = visibility_field(default=Visibility.MEMBERS)
    links_visibility = visibility_field(default=Visibility.MEMBERS)
    email_visibility = visibility_field(default=Visibility.PRIVATE)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(trust_level__gte=0, trust_level__lte=4),
                name="members_user_trust_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_absolute_url(self) -> str:
        return reverse("members:profile", kwargs={"pk": self.pk})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and (self.role == Role.COORDINATOR or self.is_superuser)


class ProfileLink(models.Model):
    """A link shown on a member's profile (their blog, their institution's page…)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=120)
    url = models.URLField(_("address"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("profile link")
        verbose_name_plural = _("profile links")

    def __str__(self) -> str:
        return self.title
