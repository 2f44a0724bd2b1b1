"""Errors of the events services: each carries a message a person can read (str())."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RegistrationError(Exception):
    """An action on an event or a registration that cannot be done; str() says why."""

    default_message: str | Promise = _("This action is not possible.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class AlreadyRegistered(RegistrationError):
    default_message = _("This person is already registered for this event.")


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this event is closed.")


class InvalidRegistration(RegistrationError):
    default_message = _("Some information is missing or wrong.")


class UnknownRegistration(RegistrationError):
    default_message = _("This link is not valid: it may be incomplete, or the registration gone.")


class OfferNotAvailable(RegistrationError):
    default_message = _("This place is no longer offered to you.")


class OfferExpired(OfferNotAvailable):
    default_message = _(
        "Sorry, the time to accept this place has passed: it was offered to the next person."
    )


class InvalidTransition(RegistrationError):
    default_message = _("The event cannot go to that state from its current one.")


class NotAllowed(RegistrationError, PermissionDenied):
    default_message = _("Only the event's organisers and the coordinators can do this.")
