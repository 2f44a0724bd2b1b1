"""One registration, from the token in its emails: its page, and the one-click actions.

An emailed link opens a page; only its button (POST) changes the registration, so that mail
scanners and link previews, which open links, change nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.events import selectors, services
from maillage.events.models import (
    Registration,
    RegistrationStatus,
)
from maillage.events.views.common import (
    error_message,
)


def _registration_or_404(token: str) -> Registration:
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404(_("This link is not valid (any more)."))
    return registration


def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "place_in_line": selectors.place_in_line(registration),
        "answers": list(registration.answers.all()),
        "show_online_link": registration.status == RegistrationStatus.CONFIRMED,
    }
    return render(request, "events/registration_detail.html", context)


def _token_action(
    request: HttpRequest,
    token: str,
    *,
    allowed: tuple[str, ...],
    action: Any,
    template_context: dict[str, str],
    done: str,
) -> HttpResponse:
    """One click from an email opens a page; its button (POST) changes the registration."""
    registration = _registration_or_404(token)
    if registration.status not in allowed:
        messages.info(request, _("Nothing to do: see the state of your registration below."))
        return redirect("events:registration", token=token)
    if request.method == "POST":
        try:
            action(registration=registration)
        except services.RegistrationError as error:
            error_message(request, error)
        else:
            messages.success(request, done)
        return redirect("events:registration", token=token)
    context = {
        "registration": registration,
        "event": registration.event,
        "action_url": request.path,
        **template_context,
    }
    return render(request, "events/registration_action.html", context)


@require_http_methods(["GET", "POST"])
def confirm_guest(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    if registration.status != RegistrationStatus.PENDING:
        return redirect("events:registration", token=token)
    if request.method == "POST":
        try:
            registration = services.confirm_guest(token=token)
        except services.RegistrationError as error:
            error_message(request, error)
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.success(
                    request, _("Your email address is confirmed. You are on the waiting list.")
                )
            else:
                messages.success(request, _("Your registration is confirmed. See you there!"))
        return redirect("events:registration", token=token)
    context = {
        "registration": registration,
        "event": registration.event,
        "title": _("Confirm your registration"),
        "question": _("Confirm your registration for this event?"),
        "button": _("Confirm my registration"),
        "action_url": request.path,
    }
    return render(request, "events/registration_action.html", context)


@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        token,
        allowed=(
            RegistrationStatus.PENDING,
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITING,
            RegistrationStatus.OFFERED,
        ),
        action=services.cancel_registration,
        template_context={
            "title": _("Cancel your registration"),
            "question": _("Cancel your registration? Your place goes to the next person waiting."),
            "button": _("Yes, cancel my registration"),
        },
        done=_("Your registration is cancelled."),
    )


@require_http_methods(["GET", "POST"])
def accept_offer(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        token,
        allowed=(RegistrationStatus.OFFERED,),
        action=services.accept_offer,
        template_context={
            "title": _("Accept the place offered"),
            "question": _("A place has freed up for you. Do you take it?"),
            "button": _("Yes, I take the place"),
        },
        done=_("The place is yours: your registration is confirmed."),
    )


@require_http_methods(["GET", "POST"])
def decline_offer(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        token,
        allowed=(RegistrationStatus.OFFERED,),
        action=services.decline_offer,
        template_context={
            "title": _("Decline the place offered"),
            "question": _("Let the place go to the next person waiting?"),
            "button": _("Yes, let the place go"),
        },
        done=_("The place goes to the next person. Thank you for saying so."),
    )
