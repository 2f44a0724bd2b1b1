"""Pages for events. Views stay thin: selectors read (and decide who sees what), services change
state, and a service's RegistrationError is shown to the person as a message."""

from maillage.events.views.organisers import (
    attendance_edit,
    attendance_sheet,
    check_in,
    close,
    event_cancel,
    event_create,
    event_edit,
    event_publish,
    participants,
    participants_csv,
    participants_ods,
)
from maillage.events.views.public import (
    event_detail,
    event_ics,
    event_list,
    feed,
    member_feed,
    my_calendar,
    old_report,
    past_events,
    register,
    tag_feed,
)
from maillage.events.views.registrations import (
    accept_offer,
    cancel_registration,
    confirm_guest,
    decline_offer,
    registration_page,
)

__all__ = [
    "accept_offer",
    "attendance_edit",
    "attendance_sheet",
    "cancel_registration",
    "check_in",
    "close",
    "confirm_guest",
    "decline_offer",
    "event_cancel",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_publish",
    "feed",
    "member_feed",
    "my_calendar",
    "old_report",
    "participants",
    "participants_csv",
    "participants_ods",
    "past_events",
    "register",
    "registration_page",
    "tag_feed",
]
