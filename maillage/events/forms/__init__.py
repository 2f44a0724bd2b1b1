"""Forms for announcing events, registering, checking people in and closing an event."""

from maillage.events.forms.announce import (
    DEFAULT_TIME_ZONE,
    CancelEventForm,
    EventForm,
    LocalDateTimeField,
    NonexistentLocalTime,
    QuestionForm,
    QuestionFormSet,
    initial_from_query,
    time_zone_choices,
    to_local,
    to_utc,
)
from maillage.events.forms.people import (
    CheckInSearchForm,
    EventFilterForm,
    GuestRegistrationForm,
    MemberRegistrationForm,
    QuestionsMixin,
    WalkInForm,
)
from maillage.events.forms.report import (
    AttendanceForm,
    BaseReportAttachmentFormSet,
    CloseEventForm,
    ReportAttachmentFormSet,
    ReportLinkFormSet,
)

__all__ = [
    "DEFAULT_TIME_ZONE",
    "AttendanceForm",
    "BaseReportAttachmentFormSet",
    "CancelEventForm",
    "CheckInSearchForm",
    "CloseEventForm",
    "EventFilterForm",
    "EventForm",
    "GuestRegistrationForm",
    "LocalDateTimeField",
    "MemberRegistrationForm",
    "NonexistentLocalTime",
    "QuestionForm",
    "QuestionFormSet",
    "QuestionsMixin",
    "ReportAttachmentFormSet",
    "ReportLinkFormSet",
    "WalkInForm",
    "initial_from_query",
    "time_zone_choices",
    "to_local",
    "to_utc",
]
