"""Pages for events: lists, the event page, registering, the door, exports, closing, the report.

Views stay thin: selectors read (and decide who sees what), services change state; a service's
RegistrationError is shown to the person as a message.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.core.models import Tag
from maillage.events import attendance, exports, forms, ical, selectors, services
from maillage.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from maillage.members.models import User

MASTODON_SHARE_URL = getattr(settings, "MASTODON_SHARE_URL", "https://mastodon.social/share")
LINKEDIN_SHARE_URL = "https://www.linkedin.com/sharing/share-offsite/"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_for(request.user, slug)
    if event is None:
        raise Http404(_("No event here."))
    return event


def _managed_event_or_404(request: HttpRequest, slug: str) -> Event:
    """The event for its organisers and coordinators; others get 403 (404 if they cannot see it)."""
    event = _event_or_404(request, slug)
    if not selectors.can_manage(request.user, event):
        raise PermissionDenied
    return event


def _error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, str(error))


# --- Lists ---------------------------------------------------------------------------------------


def _event_list(request: HtmxHttpRequest, *, past: bool) -> HttpResponse:
    form = forms.EventFilterForm(request.GET, tags=selectors.tags_in_use_for(request.user))
    kind, tag = form.values()
    filters = selectors.EventFilters(kind=kind, tag=tag)
    select = selectors.past_events_for if past else selectors.upcoming_events_for
    events = select(request.user, filters)
    page = Paginator(events, selectors.EVENT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "events": list(page),
        "past": past,
        "filtered": bool(kind or tag),
        "current_tag": getattr(form, "cleaned_data", {}).get("tag"),
        "can_create": selectors.can_create_events(request.user),
        "list_url": request.path,
    }
    template = "events/_event_list_results.html" if request.htmx else "events/event_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def event_list(request: HtmxHttpRequest) -> HttpResponse:
    return _event_list(request, past=False)


def past_events(request: HtmxHttpRequest) -> HttpResponse:
    return _event_list(request, past=True)


# --- The event page ------------------------------------------------------------------------------


def _share_links(request: HttpRequest, event: Event) -> dict[str, str]:
    url = request.build_absolute_uri(event.get_absolute_url())
    text = f"{event.title} — {url}"
    return {
        "url": url,
        # mailto wants %20 for spaces, not urlencode's "+".
        "email": f"mailto:?subject={quote(event.title)}&body={quote(text)}",
        "mastodon": f"{MASTODON_SHARE_URL}?" + urlencode({"text": text}),
        "linkedin": f"{LINKEDIN_SHARE_URL}?" + urlencode({"url": url}),
    }


def _questions(event: Event) -> list[RegistrationQuestion]:
    return list(event.questions.all())


def _detail_context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    viewer = request.user
    registration = selectors.registration_of(viewer, event)
    can_register = selectors.registration_open(event) and registration is None
    can_manage = selectors.can_manage(viewer, event)
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    context: dict[str, Any] = {
        "event": event,
        "registration": registration,
        "place_in_line": selectors.place_in_line(registration) if registration else None,
        "places_left": selectors.places_left(event),
        "registration_open": selectors.registration_open(event),
        "can_register": can_register,
        "can_manage": can_manage,
        "show_online_link": can_manage or confirmed,
        "share": _share_links(request, event),
        "is_past": event.ends_at < timezone.now(),
        "now": timezone.now(),
    }
    if can_register and "registration_form" not in extra:
        questions = _questions(event)
        if viewer.is_authenticated:
            extra["registration_form"] = forms.MemberRegistrationForm(questions=questions)
        else:
            extra["registration_form"] = forms.GuestRegistrationForm(questions=questions)
    if can_manage:
        context["counts"] = selectors.registration_counts(event)
    context.update(extra)
    return context


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    questions = _questions(event)
    if not selectors.registration_open(event):
        messages.error(request, _("Registration is not open for this event."))
        return redirect(event)
    form: forms.MemberRegistrationForm | forms.GuestRegistrationForm
    if request.user.is_authenticated:
        form = forms.MemberRegistrationForm(request.POST, questions=questions)
    else:
        form = forms.GuestRegistrationForm(request.POST, questions=questions)
    if not form.is_valid():
        context = _detail_context(request, event, registration_form=form)
        return render(request, "events/event_detail.html", context, status=400)
    try:
        if isinstance(form, forms.GuestRegistrationForm):
            data = form.cleaned_data
            services.register_guest(
                event=event,
                name=data["name"],
                email=data["email"],
                profession=data["profession"],
                answers=form.answers(),
                language=(get_language() or "fr").split("-")[0],
            )
        else:
            registration = services.register_member(
                event=event, user=cast(User, request.user), answers=form.answers()
            )
    except services.RegistrationError as error:
        _error(request, error)
        return redirect(event)
    if isinstance(form, forms.GuestRegistrationForm):
        messages.success(
            request,
            _(
                "Almost done: we sent an email to %(email)s. Open the link in it to confirm "
                "your registration."
            )
            % {"email": form.cleaned_data["email"]},
        )
    elif registration.status == RegistrationStatus.WAITING:
        messages.success(
            request,
            _(
                "The event is full: you are on the waiting list. "
                "We will email you if a place frees up."
            ),
        )
    else:
        messages.success(request, _("You are registered. A confirmation email is on its way."))
    return redirect(event)


# --- One registration, from its token (emails link here) -----------------------------------------


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
            _error(request, error)
        else:
            messages.success(request, done)
        return redirect("events:registration", token=token)
    context = {"registration": registration, "event": registration.event, **template_context}
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
            _error(request, error)
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
            "action_url": request.path,
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
            "action_url": request.path,
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
            "action_url": request.path,
        },
        done=_("The place goes to the next person. Thank you for saying so."),
    )


# --- Calendars -----------------------------------------------------------------------------------


def _calendar_response(body: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    if event.status == EventStatus.DRAFT:
        raise Http404(_("No event here."))
    return _calendar_response(ical.event_ics(event), f"{event.slug[:80]}.ics", download=True)


def feed(request: HttpRequest) -> HttpResponse:
    body = ical.calendar_feed(selectors.feed_events(), name=settings.SITE_NAME)
    return _calendar_response(body, "evenements.ics", download=False)


def tag_feed(request: HttpRequest, tag: str) -> HttpResponse:
    topic = get_object_or_404(Tag, slug=tag)
    body = ical.calendar_feed(
        selectors.feed_events(tag=topic.slug), name=f"{settings.SITE_NAME} — {topic.name}"
    )
    return _calendar_response(body, f"evenements-{topic.slug}.ics", download=False)


def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.member_feed_events(token)
    if found is None:
        raise Http404(_("This link is not valid (any more)."))
    _user, events = found
    body = ical.calendar_feed(events, name=_("%(site)s — my events") % {"site": settings.SITE_NAME})
    return _calendar_response(body, "mes-evenements.ics", download=False)


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The member's private feed address, and a button to make a new one (revoking the old)."""
    user = cast(User, request.user)
    if request.method == "POST":
        ical.regenerate_feed_token(user)
        messages.success(request, _("Your calendar address is new; the old one no longer works."))
        return redirect("events:my_calendar")
    token = ical.feed_token_for(user)
    feed_url = request.build_absolute_uri(
        reverse("events:member_feed", kwargs={"token": str(getattr(token, "token", token))})
    )
    return render(request, "events/my_calendar.html", {"feed_url": feed_url})


# --- Announcing ----------------------------------------------------------------------------------


def _save_event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    creating = event is None
    user = cast(User, request.user)
    if creating:
        initial = {"organisers": [user.pk]}
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
    event = _managed_event_or_404(request, slug)
    if event.status in (EventStatus.CANCELLED, EventStatus.CLOSED):
        messages.error(request, _("A cancelled or closed event can no longer be changed."))
        return redirect(event)
    return _save_event_form(request, event)


@login_required
@require_POST
def event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    try:
        services.publish_event(event=event, by=cast(User, request.user))
    except services.RegistrationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The event is published: people can now register."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    form = forms.CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(
                event=event, by=cast(User, request.user), message=form.cleaned_data["message"]
            )
        except services.RegistrationError as error:
            _error(request, error)
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
    event = _managed_event_or_404(request, slug)
    context = {
        "event": event,
        "registrations": list(selectors.participants(event)),
        "questions": _questions(event),
        "counts": selectors.registration_counts(event),
        "places_left": selectors.places_left(event),
    }
    return render(request, "events/participants.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
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
                    _error(request, error)
                else:
                    messages.success(
                        request, _("%(name)s is added and checked in.") % {"name": added.name}
                    )
                    return redirect("events:check_in", slug=event.slug)
        else:
            registration = get_object_or_404(
                Registration, pk=request.POST.get("registration"), event=event
            )
            try:
                if action == "undo":
                    services.undo_check_in(registration=registration, by=user)
                else:
                    services.check_in(registration=registration, by=user)
            except services.RegistrationError as error:
                _error(request, error)
            registration.refresh_from_db()
            if request.htmx:
                return render(
                    request, "events/_check_in_row.html", {"event": event, "person": registration}
                )
            query = request.POST.get("q", "")
            url = reverse("events:check_in", kwargs={"slug": event.slug})
            return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
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


@login_required
def attendance_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    people = list(selectors.expected_attendees(event))
    context = {"event": event, "people": people, "blank_rows": range(max(3, len(people) // 5))}
    return render(request, "events/attendance_sheet.html", context)


def _export_rows(event: Event) -> tuple[list[str], list[list[str]]]:
    registrations = selectors.participants(event)
    return exports.participant_rows(event, registrations, _questions(event))


@login_required
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    header, rows = _export_rows(event)
    response = HttpResponse(
        exports.participants_csv(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="participants-{event.slug[:80]}.csv"'
    return response


@login_required
def participants_ods(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    header, rows = _export_rows(event)
    body = exports.participants_ods(header, rows, sheet_name=_("Participants"))
    response = HttpResponse(body, content_type=exports.ODS_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="participants-{event.slug[:80]}.ods"'
    return response


# --- Closing and the report ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event_or_404(request, slug)
    if event.status == EventStatus.CLOSED:
        messages.info(request, _("This event is already closed: here is its report."))
        return redirect("events:report", slug=event.slug)
    if event.status != EventStatus.PUBLISHED or event.starts_at > timezone.now():
        messages.error(request, _("An event can be closed once it has taken place."))
        return redirect(event)
    summary = attendance.attendance_summary(event)
    checked_in = selectors.registration_counts(event).get("checked_in", 0)
    form = forms.CloseEventForm(request.POST or None, initial={"attendees_count": checked_in})
    links = cast(
        forms.BaseReportLinkFormSet, forms.ReportLinkFormSet(request.POST or None, prefix="links")
    )
    attachments = cast(
        forms.BaseReportAttachmentFormSet,
        forms.ReportAttachmentFormSet(
            request.POST or None, request.FILES or None, prefix="attachments"
        ),
    )
    if request.method == "POST" and form.is_valid() and links.is_valid() and attachments.is_valid():
        data = form.cleaned_data
        try:
            services.close_event(
                event=event,
                by=cast(User, request.user),
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
            return redirect("events:report", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "links": links,
        "attachments": attachments,
        "attendance": attendance.describe_attendance(summary),
        "checked_in": checked_in,
    }
    return render(request, "events/close_form.html", context)


def report(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.report_for(request.user, slug)
    if found is None:
        raise Http404(_("No report here."))
    summary = attendance.report_attendance(found)
    context = {
        "report": found,
        "event": found.event,
        "attendance": attendance.describe_attendance(summary),
        "institutions": list(summary.institutions.items()),
    }
    return render(request, "events/report_detail.html", context)
