"""Public pages: the lists, the event page and registering, calendars, old report addresses."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.articles.selectors import first_report
from maillage.core.models import Tag
from maillage.core.ratelimit import RateLimit, client_ip, too_many_attempts_message
from maillage.events import forms, ical, selectors, services
from maillage.events.attendance import recorded_attendance
from maillage.events.models import (
    Event,
    EventStatus,
    RegistrationStatus,
)
from maillage.events.views.common import (
    HtmxHttpRequest,
    error_message,
    event_or_404,
    questions_of,
)
from maillage.members.models import User

LINKEDIN_SHARE_URL = "https://www.linkedin.com/sharing/share-offsite/"


def guest_limit() -> RateLimit:
    return RateLimit("event-guest", settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW)


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
        "mastodon": f"{settings.MASTODON_SHARE_URL}?" + urlencode({"text": text}),
        "linkedin": f"{LINKEDIN_SHARE_URL}?" + urlencode({"url": url}),
    }


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
        questions = questions_of(event)
        if viewer.is_authenticated:
            extra["registration_form"] = forms.MemberRegistrationForm(questions=questions)
        else:
            extra["registration_form"] = forms.GuestRegistrationForm(questions=questions)
    if can_manage:
        context["counts"] = selectors.registration_counts(event)
    context.update(extra)
    return context


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    # event_for annotates the slug of the report the viewer may read (None: no report to show).
    report = first_report(event, request.user) if getattr(event, "report_slug", None) else None
    context = _detail_context(request, event, report=report, attendance=recorded_attendance(event))
    return render(request, "events/event_detail.html", context)


@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    questions = questions_of(event)
    if not selectors.registration_open(event):
        messages.error(request, _("Registration is not open for this event."))
        return redirect(event)
    form: forms.MemberRegistrationForm | forms.GuestRegistrationForm
    if request.user.is_authenticated:
        form = forms.MemberRegistrationForm(request.POST, questions=questions)
    else:
        form = forms.GuestRegistrationForm(request.POST, questions=questions)
    status = 400
    if form.is_valid() and isinstance(form, forms.GuestRegistrationForm):
        # Each guest registration sends an email: a stranger may not flood an inbox with them.
        identities = {"ip": client_ip(request), "account": form.cleaned_data["email"]}
        wait = guest_limit().seconds_left(**identities)
        if wait:
            form.add_error(None, too_many_attempts_message(wait))
            status = 429
        else:
            guest_limit().record(**identities)
    if not form.is_valid():
        context = _detail_context(request, event, registration_form=form)
        return render(request, "events/event_detail.html", context, status=status)
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
        error_message(request, error)
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


# --- Calendars -----------------------------------------------------------------------------------


def _calendar_response(body: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
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
    # Only events where this person holds a place: their online links belong in it.
    body = ical.calendar_feed(
        events,
        name=_("%(site)s — my events") % {"site": settings.SITE_NAME},
        include_online_links=True,
    )
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


# --- Reports: articles attached to the event ---------------------------------------------------


def old_report(request: HttpRequest, slug: str, rest: str = "") -> HttpResponse:
    """Addresses of the time reports lived here (/ateliers/<event>/compte-rendu/…) lead for good
    to the report article: its page, or its editing page for …/modifier/."""
    event = event_or_404(request, slug)
    report_slug = getattr(event, "report_slug", None)
    if not report_slug:
        raise Http404(_("No report here."))
    name = "articles:edit" if rest.strip("/") == "modifier" else "articles:detail"
    return redirect(reverse(name, kwargs={"slug": report_slug}), permanent=True)
