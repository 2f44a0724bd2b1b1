"""Announcing an event: the form with every field, its times typed in the event's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import split_tag_names
from maillage.events.models import (
    Event,
    EventKind,
    QuestionKind,
    RegistrationQuestion,
)
from maillage.members.models import User

DEFAULT_TIME_ZONE = "Europe/Paris"
# Offered first in the time-zone list: where the network's members live and meet online.
COMMON_TIME_ZONES = [
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "Europe/London",
    "America/Montreal",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "UTC",
]


def time_zone_choices() -> list[tuple[Any, Any]]:
    common = [name for name in COMMON_TIME_ZONES if name in zoneinfo.available_timezones()]
    others = sorted(zoneinfo.available_timezones() - set(common))
    return [
        (_("Common"), [(name, name.replace("_", " ")) for name in common]),
        (_("All time zones"), [(name, name.replace("_", " ")) for name in others]),
    ]


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when clocks go forward (02:30 on the last Sunday of March)."""


def to_utc(day: date, at: time, zone_name: str) -> datetime:
    """A local date and time in `zone_name` as a UTC datetime, across DST changes.

    A time repeated when clocks go back is read as the first one (fold=0); a time that does not
    exist because clocks went forward is refused rather than silently moved.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    naive = datetime.combine(day, at)
    local = naive.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(naive)
    return local.astimezone(UTC)


def to_local(value: datetime | None, zone_name: str) -> datetime | None:
    """A stored UTC datetime as the naive wall-clock time shown in the form."""
    if value is None:
        return None
    return value.astimezone(zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time with no time zone of its own: the form reads it in the event's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        # BaseTemporalField's parsing, without DateTimeField's move to the site's time zone.
        return cast(datetime, forms.fields.BaseTemporalField.to_python(self, value))

    def prepare_value(self, value: Any) -> Any:
        return value


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class HttpsURLField(forms.URLField):
    """An address typed without its scheme is taken as https://, not http://."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


# What a link to the creation page may fill in beforehand (?title=…&kind=…), and how long each
# value may be: the coordinators' counts of the first steps link there with a line's name.
PREFILLED_FIELDS = {"title": 200, "summary": 300, "tag_names": 500}


def initial_from_query(query: Mapping[str, str]) -> dict[str, str]:
    """Initial values for a new event from the page's query string; anything else is ignored,
    and an unknown kind is left for the organiser to choose."""
    initial = {
        name: " ".join(query.get(name, "").split())[:length]
        for name, length in PREFILLED_FIELDS.items()
    }
    kind = query.get("kind", "")
    if kind in EventKind.values:
        initial["kind"] = kind
    return {name: value for name, value in initial.items() if value}


class EventForm(forms.ModelForm):
    """Every field of an event, its times typed as local wall-clock times in its time zone."""

    start_date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(label=_("Start time"), widget=time_input())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=date_input(),
        help_text=_("Leave empty when the event ends on the day it starts."),
    )
    end_time = forms.TimeField(label=_("End time"), widget=time_input())
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        initial=DEFAULT_TIME_ZONE,
        help_text=_("The date and times above are read in this time zone."),
    )
    registration_opens = LocalDateTimeField(
        label=_("Registration opens"),
        required=False,
        help_text=_("Empty: as soon as the event is published."),
    )
    registration_closes = LocalDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_("Empty: until the event starts."),
    )
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (for example: wikipédia, médiation numérique)."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "facilitators",
            "outside_facilitators",
            "organisers",
            "place_name",
            "place_address",
            "online_url",
            "capacity",
            "offer_hours",
            "reminder_days_before",
            "reminder_morning_at",
            "licence",
            "visibility",
        ]
        labels = {
            "kind": _("Kind of event"),
            "title": _("Title"),
            "summary": _("Summary"),
            "description": _("Description"),
            "facilitators": _("Facilitated by (members)"),
            "outside_facilitators": _("Facilitated by (people outside the network)"),
            "organisers": _("Organisers"),
            "place_name": _("Place"),
            "place_address": _("Address"),
            "online_url": _("Online link"),
            "capacity": _("Number of places"),
            "offer_hours": _("Hours to accept a freed place"),
            "reminder_days_before": _("Reminder, days before"),
            "reminder_morning_at": _("Reminder on the day, at"),
            "licence": _("Licence of the description"),
            "visibility": _("Who can see this event"),
        }
        help_texts = {
            "summary": _("One or two sentences shown in lists and shares."),
            "description": _("Markdown: **bold**, *italics*, lists, [links](https://…)."),
            "facilitators": _("Hold Ctrl (or Cmd) to choose several."),
            "outside_facilitators": _("Names separated by commas."),
            "organisers": _(
                "They see the participants, check people in and write the report. "
                "Hold Ctrl (or Cmd) to choose several."
            ),
            "online_url": _("A video-conference link, for an online or hybrid event."),
            "capacity": _("Empty: no limit. When full, people join a waiting list."),
            "reminder_days_before": _("Empty: no reminder before the day."),
            "reminder_morning_at": _("Local time; empty: no reminder on the day."),
        }
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 12}),
            "facilitators": forms.SelectMultiple(attrs={"size": 6}),
            "organisers": forms.SelectMultiple(attrs={"size": 6}),
            "reminder_morning_at": time_input(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        members = User.objects.filter(is_active=True).order_by("display_name", "pk")
        for name in ("facilitators", "organisers"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = members
        time_zone_field = self.fields["time_zone"]
        assert isinstance(time_zone_field, forms.ChoiceField)
        time_zone_field.choices = time_zone_choices()
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(value, capfirst(label)) for value, label in EventKind.choices]
        event = self.instance
        if event.pk:
            self._initial_from(event)

    def _initial_from(self, event: Event) -> None:
        zone = event.time_zone or DEFAULT_TIME_ZONE
        starts, ends = to_local(event.starts_at, zone), to_local(event.ends_at, zone)
        assert starts is not None and ends is not None
        self.initial.update(
            {
                "start_date": starts.date(),
                "start_time": starts.time(),
                "end_date": ends.date() if ends.date() != starts.date() else None,
                "end_time": ends.time(),
                "time_zone": zone,
                "registration_opens": to_local(event.registration_opens_at, zone),
                "registration_closes": to_local(event.registration_closes_at, zone),
                "tag_names": ", ".join(tag.name for tag in event.tags.order_by("name")),
            }
        )

    def clean_organisers(self) -> Any:
        """Someone is always in charge: the person saving, when nobody is chosen."""
        organisers = self.cleaned_data.get("organisers")
        if organisers is not None and not organisers.exists():
            return User.objects.filter(pk=self.user.pk)
        return organisers

    def clean_tag_names(self) -> str:
        return ", ".join(split_tag_names(self.cleaned_data.get("tag_names") or ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone = cleaned.get("time_zone")
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        end_time = cleaned.get("end_time")
        if not zone or not start_date or not start_time or not end_time:
            return cleaned
        end_date = cleaned.get("end_date") or start_date
        starts_at = self._to_utc("start_time", start_date, start_time, zone)
        ends_at = self._to_utc("end_time", end_date, end_time, zone)
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("end_time", _("The event must end after it starts."))
            else:
                self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        self.instance.time_zone = zone
        for name, attribute in (
            ("registration_opens", "registration_opens_at"),
            ("registration_closes", "registration_closes_at"),
        ):
            local = cleaned.get(name)
            setattr(
                self.instance,
                attribute,
                self._to_utc(name, local.date(), local.time(), zone) if local else None,
            )
        opens, closes = self.instance.registration_opens_at, self.instance.registration_closes_at
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        if not (cleaned.get("place_name") or cleaned.get("online_url")):
            self.add_error("place_name", _("Give a place, an online link, or both."))
        return cleaned

    def _to_utc(self, field: str, day: date, at: time, zone: str) -> datetime | None:
        try:
            return to_utc(day, at, zone)
        except NonexistentLocalTime:
            self.add_error(
                field,
                _("This time does not exist in this time zone: the clocks go forward that night."),
            )
            return None


class QuestionForm(forms.ModelForm):
    class Meta:
        model = RegistrationQuestion
        fields = ["label", "kind", "choices", "required", "position"]
        labels = {
            "label": _("Question"),
            "kind": _("Kind of answer"),
            "choices": _("Choices"),
            "required": _("An answer is required"),
            "position": _("Position"),
        }
        help_texts = {"choices": _("One per line, for a question with one choice.")}
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(value, capfirst(label)) for value, label in QuestionKind.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == QuestionKind.CHOICE and not [
            line for line in (cleaned.get("choices") or "").splitlines() if line.strip()
        ]:
            self.add_error("choices", _("Give the choices, one per line."))
        return cleaned


QuestionFormSet = forms.inlineformset_factory(
    Event,
    RegistrationQuestion,
    form=QuestionForm,
    extra=2,
    max_num=10,
    can_delete=True,
)


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the people registered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: why the event is cancelled, what comes next."),
    )
