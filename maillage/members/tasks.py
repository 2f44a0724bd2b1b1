"""Background jobs for members: the emails sent at sign-up. Each re-reads its row."""

from __future__ import annotations

from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.members import services
from maillage.members.models import User


@db_task(retries=3, retry_delay=60)
def send_confirmation_email(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id, email_confirmed_at__isnull=True).first()
    if user is None:  # confirmed (or gone) since the task was queued: nothing to send
        return
    with translation.override(language):
        services.send_confirmation_email(user=user)


@db_task(retries=3, retry_delay=60)
def send_already_registered_email(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    with translation.override(language):
        services.send_already_registered_email(user=user)


@db_task(retries=3, retry_delay=60)
def send_password_reset_email(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with translation.override(language):
        services.send_password_reset_email(user=user)


@db_periodic_task(crontab(hour="3", minute="17"))
def recompute_trust_levels() -> None:
    """Every night: trust levels rise with activity (members.trust)."""
    from maillage.members import trust

    trust.recompute_trust_levels()
