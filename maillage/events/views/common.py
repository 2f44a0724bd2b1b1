"""What every events page shares: finding the event for the viewer, showing errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from maillage.events import selectors
from maillage.events.models import (
    Event,
    RegistrationQuestion,
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def event_or_404(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_for(request.user, slug)
    if event is None:
        raise Http404(_("No event here."))
    return event


def managed_event_or_404(request: HttpRequest, slug: str) -> Event:
    """The event for its organisers and coordinators; others get 403 (404 if they cannot see it)."""
    event = event_or_404(request, slug)
    if not selectors.can_manage(request.user, event):
        raise PermissionDenied
    return event


def error_message(request: HttpRequest, error: Exception) -> None:
    messages.error(request, str(error))


def questions_of(event: Event) -> list[RegistrationQuestion]:
    return list(event.questions.all())
