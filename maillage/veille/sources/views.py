"""Pages of the sources: the list (subscribe, OPML in and out), a site's feeds to choose from,
editing a subscription, and the reader. Views stay thin: selectors read, services act."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.members.models import User
from maillage.veille.sources import forms, selectors, services
from maillage.veille.sources.models import DiscoveryStatus, Entry, Subscription
from maillage.veille.sources.opml import OpmlError, export_opml, import_opml


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- The sources page -----------------------------------------------------------------------


def _sources_page(
    request: HttpRequest,
    *,
    subscribe_form: forms.SubscribeForm | None = None,
    opml_form: forms.OpmlImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = _member(request)
    manager = services.can_manage_network(viewer)
    mine = selectors.member_subscriptions(viewer)
    network = selectors.network_subscriptions(viewer)
    unread = selectors.unread_counts(viewer)
    for subscription in [*mine, *network]:
        subscription.unread = unread.get(subscription.feed_id, 0)  # type: ignore[attr-defined]
        subscription.can_change = manager or not subscription.for_network  # type: ignore[attr-defined]
    context = {
        "mine": mine,
        "network": network,
        "can_manage_network": manager,
        "subscribe_form": subscribe_form or forms.SubscribeForm(can_manage_network=manager),
        "opml_form": opml_form or forms.OpmlImportForm(can_manage_network=manager),
    }
    return render(request, "sources/sources.html", context, status=status)


@login_required
def sources_page(request: HttpRequest) -> HttpResponse:
    return _sources_page(request)


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    form = forms.SubscribeForm(request.POST, can_manage_network=services.can_manage_network(viewer))
    if not form.is_valid():
        return _sources_page(request, subscribe_form=form, status=400)
    data = form.cleaned_data
    try:
        discovery = services.start_discovery(
            user=viewer,
            url=data["url"],
            for_network=bool(data.get("for_network")),
            title=data.get("title") or "",
            tags=data.get("tags") or "",
        )
    except services.SourceError as error:
        form.add_error(None, str(error))
        return _sources_page(request, subscribe_form=form, status=400)
    return redirect("sources:discovery", pk=discovery.pk)


def _subscribed_message(request: HttpRequest, subscriptions: list[Subscription]) -> None:
    names = ", ".join(
        f"«\u00a0{subscription.display_title}\u00a0»" for subscription in subscriptions
    )
    messages.success(
        request,
        ngettext(
            "Subscribed to %(names)s. Its entries are in the reader.",
            "Subscribed to %(names)s. Their entries are in the reader.",
            len(subscriptions),
        )
        % {"names": names},
    )


@login_required
@require_http_methods(["GET", "POST"])
def discovery(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    viewer = _member(request)
    search = selectors.discovery_for(viewer, pk)
    if search is None:
        raise Http404(_("No search here."))
    if search.status == DiscoveryStatus.DONE:
        _subscribed_message(request, list(search.subscriptions.select_related("feed")))
        target = reverse("sources:list")
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    if request.htmx and not search.is_pending:
        # The search ended while the page waited: show the whole page again.
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    choose_form = None
    if search.status == DiscoveryStatus.CHOOSE:
        choose_form = forms.ChooseFeedsForm(
            request.POST if request.method == "POST" else None, offered=search.feeds
        )
        if request.method == "POST" and choose_form.is_valid():
            try:
                results = services.choose_discovered(
                    discovery=search, user=viewer, urls=choose_form.cleaned_data["feeds"]
                )
            except services.SourceError as error:
                choose_form.add_error(None, str(error))
            else:
                _subscribed_message(request, [result.subscription for result in results])
                return redirect("sources:list")
    retry_form = None
    if search.status == DiscoveryStatus.FAILED:
        retry_form = forms.SubscribeForm(
            initial={
                "url": search.url,
                "title": search.title,
                "tags": search.tags,
                "for_network": search.for_network,
            },
            can_manage_network=services.can_manage_network(viewer),
        )
    context = {"search": search, "choose_form": choose_form, "retry_form": retry_form}
    template = "sources/_discovery_status.html" if request.htmx else "sources/discovery.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- One subscription -----------------------------------------------------------------------


def _changeable_or_404(request: HttpRequest, pk: int) -> Subscription:
    subscription = selectors.subscription_for(request.user, pk)
    if subscription is None or not services.can_change(request.user, subscription):
        raise Http404(_("No source here."))
    return subscription


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _changeable_or_404(request, pk)
    if request.method == "POST":
        form = forms.SubscriptionForm(request.POST)
        if form.is_valid():
            services.update_subscription(
                subscription=subscription,
                user=request.user,
                title=form.cleaned_data.get("title") or "",
                tags=form.cleaned_data.get("tags") or "",
            )
            messages.success(request, _("The source is saved."))
            return redirect("sources:list")
    else:
        form = forms.SubscriptionForm.for_subscription(subscription)
    return render(
        request, "sources/subscription_form.html", {"subscription": subscription, "form": form}
    )


@login_required
@require_POST
def unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _changeable_or_404(request, pk)
    title = subscription.display_title
    services.unsubscribe(subscription=subscription, user=request.user)
    messages.success(request, _("You no longer follow « %(title)s ».") % {"title": title})
    return redirect("sources:list")


# --- OPML -----------------------------------------------------------------------------------


@login_required
@require_POST
def opml_import(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    manager = services.can_manage_network(viewer)
    form = forms.OpmlImportForm(request.POST, request.FILES, can_manage_network=manager)
    if not form.is_valid():
        return _sources_page(request, opml_form=form, status=400)
    for_network = bool(form.cleaned_data.get("for_network"))
    try:
        result = import_opml(
            user=viewer, content=form.cleaned_data["file"].read(), for_network=for_network
        )
    except (OpmlError, services.SourceError) as error:
        form.add_error("file", str(error))
        return _sources_page(request, opml_form=form, status=400)
    return render(
        request, "sources/opml_result.html", {"result": result, "for_network": for_network}
    )


def _opml_response(subscriptions: list[Subscription], *, title: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        export_opml(subscriptions, title=title), content_type="text/x-opml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def opml_export(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    return _opml_response(
        selectors.member_subscriptions(viewer),
        title=_("Sources of %(name)s") % {"name": viewer.display_name},
        filename="mes-sources.opml",
    )


@login_required
def opml_export_network(request: HttpRequest) -> HttpResponse:
    return _opml_response(
        selectors.network_subscriptions(request.user),
        title=_("Sources of the network"),
        filename="sources-du-reseau.opml",
    )


# --- The reader -----------------------------------------------------------------------------


def _name_entries(entries: list[Entry], subscriptions: list[Subscription]) -> list[Entry]:
    by_feed = selectors.source_titles(subscriptions)
    for entry in entries:
        entry.source = by_feed.get(entry.feed_id)  # type: ignore[attr-defined]
    return entries


@login_required
def reader(request: HtmxHttpRequest) -> HttpResponse:
    viewer = _member(request)
    subscriptions = selectors.readable_subscriptions(viewer)
    form = forms.ReaderFilterForm(request.GET, subscriptions=subscriptions)
    cleaned = form.cleaned_data if form.is_valid() else {}
    by_id = {subscription.pk: subscription for subscription in subscriptions}
    current = by_id.get(cleaned.get("source") or 0)
    filters = selectors.ReaderFilters(subscription=current, unread_only=bool(cleaned.get("unread")))
    page = Paginator(
        selectors.reader_entries(viewer, filters), selectors.READER_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "next": request.get_full_path(),
        "entries": _name_entries(list(page), subscriptions),
        "current": current,
        "filters": filters,
        "has_sources": bool(subscriptions),
        "shown_at": timezone.now().isoformat(),
    }
    template = "sources/_reader_results.html" if request.htmx else "sources/reader.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _entry_or_404(request: HttpRequest, pk: int) -> Entry:
    entry = selectors.entry_for(request.user, pk)
    if entry is None:
        raise Http404(_("No entry here."))
    return entry


def _entry_response(
    request: HtmxHttpRequest, entry_id: int, *, note: str = "", error: bool = False
) -> HttpResponse:
    """With htmx, the entry alone (its new state, and what happened said beside it); without,
    back to the reader where it was, with the note as a message."""
    if request.htmx:
        entry = _entry_or_404(request, entry_id)
        _name_entries([entry], selectors.readable_subscriptions(request.user))
        context = {"entry": entry, "next": _next_or(request, ""), "note": note, "error": error}
        return render(request, "sources/_entry.html", context)
    if note:
        (messages.error if error else messages.success)(request, note)
    return HttpResponseRedirect(_next_or(request, reverse("sources:reader")))


@login_required
@require_POST
def entry_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    services.mark_read(user=request.user, entry=entry)
    return _entry_response(request, entry.pk)


@login_required
@require_POST
def entry_keep(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    try:
        kept = services.keep_entry(
            user=request.user, entry=entry, tags=selectors.tags_for_keeping(request.user, entry)
        )
    except services.SourceError as error:
        return _entry_response(request, entry.pk, note=str(error), error=True)
    if kept.saved.created:
        note = _("Kept in your bookmarks.")
    else:
        note = _("Already in your bookmarks: kept there.")
    return _entry_response(request, entry.pk, note=note)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    viewer = _member(request)
    if request.POST.get("source"):
        subscription = selectors.subscription_for(viewer, request.POST["source"])
        if subscription is None:
            raise Http404(_("No source here."))
        feed_ids = [subscription.feed_id]
    else:
        feed_ids = [s.feed_id for s in selectors.readable_subscriptions(viewer)]
    shown_at: Any = parse_datetime(request.POST.get("shown_at") or "")
    up_to = shown_at if isinstance(shown_at, datetime) and shown_at.tzinfo else None
    services.mark_all_read(user=viewer, feed_ids=feed_ids, up_to=up_to)
    messages.success(request, _("Everything shown is marked as read."))
    return HttpResponseRedirect(_next_or(request, reverse("sources:reader")))
