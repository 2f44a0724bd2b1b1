"""Actions that change members: sign-up and confirmation, profile, role and trust level."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from maillage.core import search
from maillage.core.confirmation import email_confirmation_token, read_confirmation_token
from maillage.core.mail import send_templated_email
from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.members.models import (
    AVATAR_MAX_BYTES,
    PROFILE_FIELDS,
    TRUST_LEVELS,
    Institution,
    Profession,
    ProfileLink,
    Role,
    User,
)

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "maillage.members.email-confirmation"
MAX_LINKS = 5
AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
AVATAR_MAX_SIDE = 512


class EmailConfirmationError(Exception):
    """A confirmation link that cannot be used; `reason` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkData:
    title: str
    url: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- Sign-up and email confirmation -------------------------------------------------------------


def sign_up(*, email: str, display_name: str, password: str) -> User | None:
    """Create an inactive account and email it a confirmation link.

    Returns None when the address already has an account: its owner gets an email instead (a
    new link if it is still unconfirmed, a reminder to log in otherwise), so that the sign-up
    form never tells a stranger who is a member.
    """
    email = normalise_email(email)
    language = translation.get_language() or settings.LANGUAGE_CODE
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    display_name=display_name.strip(),
                    is_active=False,
                )
        except IntegrityError:  # the same address signed up in a concurrent request
            existing = User.objects.get(email__iexact=email)
        else:
            _queue_confirmation_email(user, language)
            logger.info("New sign-up: member %s, waiting for email confirmation", user.pk)
            return user
    if existing.email_confirmed_at is None and not existing.is_active:
        _queue_confirmation_email(existing, language)
    else:
        from maillage.members import tasks

        transaction.on_commit(lambda: tasks.send_already_registered_email(existing.pk, language))
    return None


def resend_confirmation(*, email: str) -> None:
    """Send a new link if this address has an unconfirmed account; say nothing either way."""
    user = User.objects.filter(
        email__iexact=normalise_email(email), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        _queue_confirmation_email(user, translation.get_language() or settings.LANGUAGE_CODE)


def _queue_confirmation_email(user: User, language: str) -> None:
    from maillage.members import tasks

    user_id = user.pk
    transaction.on_commit(lambda: tasks.send_confirmation_email(user_id, language))


def confirmation_token(user: User) -> str:
    return email_confirmation_token(object_id=user.pk, email=user.email, salt=CONFIRMATION_SALT)


def confirmation_url(user: User) -> str:
    path = reverse("members:confirm_email", kwargs={"token": confirmation_token(user)})
    return f"{settings.SITE_URL}{path}"


def send_confirmation_email(*, user: User) -> None:
    """Send the confirmation link now (the task calls this; views queue the task)."""
    context = {
        "user": user,
        "confirmation_url": confirmation_url(user),
        "max_age_days": settings.EMAIL_CONFIRMATION_MAX_AGE // 86400,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    send_templated_email(
        to=user.email,
        subject_template="members/emails/confirmation_subject.txt",
        body_template="members/emails/confirmation.txt",
        context=context,
    )


def send_already_registered_email(*, user: User) -> None:
    context = {
        "user": user,
        "login_url": f"{settings.SITE_URL}{reverse('members:login')}",
        "password_reset_url": f"{settings.SITE_URL}{reverse('members:password_reset')}",
        "site_name": settings.SITE_NAME,
    }
    send_templated_email(
        to=user.email,
        subject_template="members/emails/already_registered_subject.txt",
        body_template="members/emails/already_registered.txt",
        context=context,
    )


def send_password_reset_email(*, user: User) -> None:
    """Send a password-reset link; the token is made here, in the worker, never queued."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    send_templated_email(
        to=user.email,
        subject_template="members/emails/password_reset_subject.txt",
        body_template="members/emails/password_reset.txt",
        context=context,
    )


def confirm_email(*, token: str) -> User:
    """Activate the account named by a confirmation token. Using a link twice is harmless.

    Raises EmailConfirmationError when the link has expired, was altered, or names an account
    that no longer exists.
    """
    try:
        confirmed = read_confirmation_token(token, salt=CONFIRMATION_SALT)
    except signing.SignatureExpired as error:
        raise EmailConfirmationError("expired") from error
    except signing.BadSignature as error:
        raise EmailConfirmationError("invalid") from error
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=confirmed.object_id, email__iexact=confirmed.email)
            .first()
        )
        if user is None:
            raise EmailConfirmationError("invalid")
        # An account a coordinator deactivated after confirmation stays deactivated.
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_confirmed_at", "is_active"])
            search.index(user)
            logger.info("Member %s confirmed their email address", user.pk)
    return user


# --- Profile -------------------------------------------------------------------------------------


def validate_avatar(file: UploadedFile) -> None:
    """Accept JPEG, PNG, GIF or WebP images up to 2 MB (checked before decoding)."""
    if file.size is not None and file.size > AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is 2 MB."),
            code="file_too_large",
            params={"size": f"{file.size / 1024 / 1024:.1f}"},
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except Exception as error:
        raise ValidationError(
            _("This file is not an image we can read. Use a JPEG, PNG, GIF or WebP image."),
            code="invalid_image",
        ) from error
    finally:
        file.seek(0)
    if image_format not in AVATAR_FORMATS:
        raise ValidationError(
            _("This image format is not accepted. Use a JPEG, PNG, GIF or WebP image."),
            code="invalid_image_format",
        )


def _normalised_avatar(file: UploadedFile) -> ContentFile[bytes]:
    """Re-encode the image: drops its metadata (GPS position…) and anything hidden inside."""
    file.seek(0)
    with Image.open(file) as source:
        image = ImageOps.exif_transpose(source)
        image.thumbnail((AVATAR_MAX_SIDE, AVATAR_MAX_SIDE))
        output = BytesIO()
        if image.mode in {"RGBA", "LA", "P"}:
            image.convert("RGBA").save(output, format="PNG", optimize=True)
            extension = "png"
        else:
            image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True)
            extension = "jpg"
    return ContentFile(output.getvalue(), name=f"avatar.{extension}")


def update_profile(
    *,
    user: User,
    display_name: str,
    profession: str = "",
    institution: Institution | None = None,
    expertise: str | Iterable[str] = (),
    bio: str = "",
    links: Sequence[LinkData] = (),
    visibility: Mapping[str, str] | None = None,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> User:
    """Replace a member's profile with these values (links and expertise included)."""
    display_name = display_name.strip()
    if not display_name:
        raise ValidationError({"display_name": _("A display name is required.")})
    if profession and profession not in Profession.values:
        raise ValidationError({"profession": _("Unknown profession.")})
    if len(links) > MAX_LINKS:
        raise ValidationError(_("At most %(count)s links.") % {"count": MAX_LINKS})
    for field, level in (visibility or {}).items():
        if field not in PROFILE_FIELDS:
            raise ValueError(f"{field} has no visibility setting")
        if level not in Visibility.values:
            raise ValidationError({f"{field}_visibility": _("Unknown visibility.")})
    if avatar is not None:
        validate_avatar(avatar)

    old_avatar_name = user.avatar.name if user.avatar else ""
    with transaction.atomic():
        user.display_name = display_name
        user.profession = profession
        user.institution = institution
        user.bio = bio.strip()
        for field, level in (visibility or {}).items():
            setattr(user, f"{field}_visibility", level)
        if avatar is not None:
            content = _normalised_avatar(avatar)
            user.avatar.save(content.name or "avatar.png", content, save=False)
        elif remove_avatar:
            user.avatar = None
        user.full_clean(exclude=["password", "avatar", "email"])
        user.save()
        user.expertise.set(Tag.objects.for_names(expertise))
        ProfileLink.objects.filter(user=user).delete()
        ProfileLink.objects.bulk_create(
            ProfileLink(user=user, title=link.title.strip(), url=link.url.strip(), position=index)
            for index, link in enumerate(links)
        )
        search.index(user)
    new_avatar_name = user.avatar.name if user.avatar else ""
    if old_avatar_name and old_avatar_name != new_avatar_name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    return user


# --- Roles and trust -----------------------------------------------------------------------------


def set_role(*, user: User, role: str, by: User | None = None) -> User:
    """Coordinators run the network and use the admin; members do not (superusers always can)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user.role = role
    user.is_staff = role == Role.COORDINATOR or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    logger.info("Role of member %s set to %s by %s", user.pk, role, by.pk if by else "system")
    return user


def set_trust_level(*, user: User, level: int, by: User | None = None) -> User:
    if level not in TRUST_LEVELS:
        raise ValidationError(
            {"trust_level": _("The trust level goes from 0 to 4.")}, code="invalid"
        )
    user.trust_level = level
    # A coordinator's choice sticks: the nightly recount (members.trust) no longer changes it.
    user.trust_level_locked = by is not None
    user.save(update_fields=["trust_level", "trust_level_locked"])
    logger.info(
        "Trust level of member %s set to %s by %s", user.pk, level, by.pk if by else "system"
    )
    return user
