"""Actions on events: announce, register, waiting list and offers, check-in, closing (the report
is an article attached to the event, published through the articles services).

One module per topic (announce, registration, waiting_list, door, report; errors and shared
helpers); everything a view calls is imported here: `from maillage.events import services`.

Every action that touches places runs in one transaction holding the event row's lock
(`shared._locked_event`), so that places are counted and taken by one request at a time: capacity is
never exceeded, whatever the concurrency. Emails leave through tasks, once the transaction commits.

The rules for freed places (see `offer_deadline`):
- a freed place goes to the first person waiting (by `waiting_since`, then id), by email;
- the offer runs for `event.offer_hours` (24 h by default), but never more than a quarter of the
  time left before the start, and never less than one hour;
- within two hours of the start there is no time to answer an offer: the next person waiting is
  confirmed at once (and told so by email, with a one-click cancel link);
- once the event has started, freed places go to no one (the door decides);
- an offer that is declined or expires cancels that registration (the person is told, and may
  register again at the end of the list); the place is offered to the next person at once.
"""

from __future__ import annotations

from maillage.events.ical import feed_token_for, regenerate_feed_token
from maillage.events.services.announce import cancel_event, publish_event, save_event
from maillage.events.services.door import add_walk_in, check_in, undo_check_in
from maillage.events.services.errors import (
    AlreadyRegistered,
    InvalidRegistration,
    InvalidTransition,
    NotAllowed,
    OfferExpired,
    OfferNotAvailable,
    RegistrationClosed,
    RegistrationError,
    UnknownRegistration,
)
from maillage.events.services.registration import (
    confirm_guest,
    register_guest,
    register_member,
    registration_for_token,
)
from maillage.events.services.report import (
    close_event,
    correct_attendance,
    default_report_title,
)
from maillage.events.services.shared import can_manage_event, place_counts, places_left
from maillage.events.services.waiting_list import (
    accept_offer,
    cancel_registration,
    decline_offer,
    expire_offers,
    offer_deadline,
)

__all__ = [
    "AlreadyRegistered",
    "InvalidRegistration",
    "InvalidTransition",
    "NotAllowed",
    "OfferExpired",
    "OfferNotAvailable",
    "RegistrationClosed",
    "RegistrationError",
    "UnknownRegistration",
    "accept_offer",
    "add_walk_in",
    "can_manage_event",
    "cancel_event",
    "cancel_registration",
    "check_in",
    "close_event",
    "confirm_guest",
    "correct_attendance",
    "decline_offer",
    "default_report_title",
    "expire_offers",
    "feed_token_for",
    "offer_deadline",
    "place_counts",
    "places_left",
    "publish_event",
    "regenerate_feed_token",
    "register_guest",
    "register_member",
    "registration_for_token",
    "save_event",
    "undo_check_in",
]
