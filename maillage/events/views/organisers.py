"""Organisers' pages: announcing, participants, the door, exports, closing and who came."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.forms import BaseLinkFormSet
from maillage.events import attendance, exports, forms, selectors, services
from maillage.events.models import (
    Event,
    EventStatus,
    Registration,
)
from maillage.events.views.common import (
    HtmxHttpRequest,
    error_message,
    managed_event_or_404,
    questions_of,
)
from maillage.members.models import User

# --- Announcing ----------------------------------------------------------------------------------


def _save_event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    creating = event is None
    user = cast(User, request.user)
    if creating:
        # A link may name the event beforehand (?title=…&kind=…), as the first steps' counts do.
        initial: dict[str, Any] = {**forms.initial_from_query(request.GET), "organisers": [user.pk]}
        form = forms.EventForm(request.POST or None, initial=initial, user=user)
    else:
        form = forms.EventForm(request.POST or None, instance=event, user=user)
    questions = forms.QuestionFormSet(
        request.POST or None, instance=form.instance, prefix="questions"
    )
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        try:
            saved = services.save_event(
                event=form.save(commit=False),
                by=cast(User, request.user),
                tag_names=form.cleaned_data["tag_names"],
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            form.instance = saved
            form.save_m2m()
            questions.instance = saved
            questions.save()
            if creating:
                messages.success(
                    request, _("The event is saved as a draft. Publish it when it is ready.")
                )
            else:
                messages.success(request, _("The event is saved."))
            return redirect(saved)
    context = {"form": form, "questions": questions, "event": event, "creating": creating}
    return render(request, "events/event_form.html", context)


def _add_model_errors(form: forms.EventForm, error: ValidationError) -> None:
    """The model's own checks (run by the service) beside the fields they concern."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_create_events(request.user):
        raise PermissionDenied
    return _save_event_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    if event.status in (EventStatus.CANCELLED, EventStatus.CLOSED):
        messages.error(request, _("A cancelled or closed event can no longer be changed."))
        return redirect(event)
    return _save_event_form(request, event)


@login_required
@require_POST
def event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    try:
        services.publish_event(event=event, by=cast(User, request.user))
    except services.RegistrationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("The event is published: people can now register."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    form = forms.CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(
                event=event, by=cast(User, request.user), message=form.cleaned_data["message"]
            )
        except services.RegistrationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The event is cancelled; the people registered are told."))
        return redirect(event)
    counts = selectors.registration_counts(event)
    return render(
        request, "events/event_cancel.html", {"event": event, "form": form, "counts": counts}
    )


# --- Organisers: participants, the door, exports ------------------------------------------------


@login_required
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    context = {
        "event": event,
        "registrations": list(selectors.participants(event)),
        "questions": questions_of(event),
        "counts": selectors.registration_counts(event),
        "places_left": selectors.places_left(event),
    }
    return render(request, "events/participants.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    user = cast(User, request.user)
    walk_in_form = forms.WalkInForm(prefix="walk_in")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "walk_in":
            walk_in_form = forms.WalkInForm(request.POST, prefix="walk_in")
            if walk_in_form.is_valid():
                try:
                    added = services.add_walk_in(event=event, by=user, **walk_in_form.cleaned_data)
                except services.RegistrationError as error:
                    error_message(request, error)
                else:
                    messages.success(
                        request, _("%(name)s is added and checked in.") % {"name": added.name}
                    )
                    return redirect("events:check_in", slug=event.slug)
        else:
            return _tick(request, event, user, action=action)
    search = forms.CheckInSearchForm(request.GET)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    people = list(selectors.expected_attendees(event, query))
    counts = selectors.registration_counts(event)
    context = {
        "event": event,
        "search": search,
        "query": query,
        "people": people,
        "counts": counts,
        "walk_in_form": walk_in_form,
    }
    template = "events/_check_in_results.html" if request.htmx else "events/check_in.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _tick(
    request: HtmxHttpRequest, event: Event, user: User, *, action: str | None
) -> HttpResponse:
    """Tick or untick one person; with htmx, only their row (and the count) come back."""
    registration_id = str(request.POST.get("registration", ""))
    if not registration_id.isdigit():
        raise Http404
    registration = get_object_or_404(Registration, pk=int(registration_id), event=event)
    error = ""
    try:
        if action == "undo":
            services.undo_check_in(registration=registration, by=user)
        else:
            services.check_in(registration=registration, by=user)
    except services.RegistrationError as failure:
        error = str(failure)
    if request.htmx:
        registration.refresh_from_db()
        context = {
            "event": event,
            "person": registration,
            "error": error,
            "counts": selectors.registration_counts(event),
            "out_of_band": True,
        }
        return render(request, "events/_check_in_row.html", context)
    if error:
        messages.error(request, error)
    query = str(request.POST.get("q", ""))
    url = reverse("events:check_in", kwargs={"slug": event.slug})
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
def attendance_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    people = list(selectors.expected_attendees(event))
    context = {"event": event, "people": people, "blank_rows": range(max(3, len(people) // 5))}
    return render(request, "events/attendance_sheet.html", context)


def _export_rows(event: Event) -> tuple[list[str], list[list[str]]]:
    registrations = selectors.participants(event)
    return exports.participant_rows(event, registrations, questions_of(event))


@login_required
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    header, rows = _export_rows(event)
    response = HttpResponse(
        exports.participants_csv(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="participants-{event.slug[:80]}.csv"'
    return response


@login_required
def participants_ods(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    header, rows = _export_rows(event)
    body = exports.participants_ods(header, rows, sheet_name=_("Participants"))
    response = HttpResponse(body, content_type=exports.ODS_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="participants-{event.slug[:80]}.ods"'
    return response


# --- Closing: the report and who came ------------------------------------------------------------


def _report_formsets(
    request: HttpRequest,
) -> tuple[BaseLinkFormSet, forms.BaseReportAttachmentFormSet]:
    """The report's links and attachments, bound to what was posted."""
    links = forms.ReportLinkFormSet(request.POST or None, prefix="links")
    attachments = forms.ReportAttachmentFormSet(
        request.POST or None, request.FILES or None, prefix="attachments"
    )
    return links, attachments


def _to_report(event: Event, viewer: Any) -> HttpResponse:
    """The event's report article, or the event's page when there is none to read."""
    report_slug = selectors.report_slug_of(event, viewer)
    if report_slug:
        return redirect("articles:detail", slug=report_slug)
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, slug: str) -> HttpResponse:
    event = managed_event_or_404(request, slug)
    if event.status == EventStatus.CLOSED:
        messages.info(request, _("This event is already closed: here is its report."))
        return _to_report(event, request.user)
    if event.status != EventStatus.PUBLISHED or event.starts_at > timezone.now():
        messages.error(request, _("An event can be closed once it has taken place."))
        return redirect(event)
    summary = attendance.attendance_summary(event)
    checked_in = selectors.registration_counts(event).get("checked_in", 0)
    initial = {"attendees_count": summary.count, "title": services.default_report_title(event)}
    form = forms.CloseEventForm(request.POST or None, initial=initial)
    links, attachments = _report_formsets(request)
    if request.method == "POST" and form.is_valid() and links.is_valid() and attachments.is_valid():
        data = form.cleaned_data
        try:
            report = services.close_event(
                event=event,
                by=cast(User, request.user),
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                outcomes=data["outcomes"],
                attendees_count=data["attendees_count"],
                links=links.links(),
                attachments=attachments.attachments(),
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event is closed and its report is published."))
            return redirect(report)
    context = {
        "event": event,
        "form": form,
        "links": links,
        "attachments": attachments,
        "attendance": attendance.describe_attendance(summary),
        "checked_in": checked_in,
    }
    return render(request, "events/close_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Who came to a closed event, corrected after closing (people not ticked at the door)."""
    event = managed_event_or_404(request, slug)
    recorded = attendance.recorded_attendance(event)
    if event.status != EventStatus.CLOSED or recorded is None:
        messages.error(request, _("Who came is recorded when the event is closed."))
        return redirect(event)
    form = forms.AttendanceForm(request.POST or None, initial={"attendees_count": recorded.count})
    if request.method == "POST" and form.is_valid():
        services.correct_attendance(
            event=event,
            by=cast(User, request.user),
            attendees_count=form.cleaned_data["attendees_count"],
            recount=form.cleaned_data["recount"],
        )
        messages.success(request, _("Who came is corrected."))
        return _to_report(event, request.user)
    context = {
        "event": event,
        "form": form,
        "attendance": attendance.describe_attendance(recorded),
        "report_slug": selectors.report_slug_of(event, request.user),
    }
    return render(request, "events/attendance_form.html", context)
