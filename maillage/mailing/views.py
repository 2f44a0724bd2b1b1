"""Pages of the list: the lists, an archive (threads by date, search), a thread with its reply
form, a new thread, one's subscriptions, and the one-click unsubscribe links of the emails."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.core import search
from maillage.core.files import file_response
from maillage.core.models import Tag
from maillage.core.search.views import given_filters
from maillage.core.tags import tag_slug
from maillage.core.text import render_markdown
from maillage.mailing import addresses, forms, selectors
from maillage.mailing.models import DeliveryMode, FollowedTag, MailingList, MessageStatus
from maillage.mailing.services import digests, posting, subscriptions
from maillage.mailing.services import lists as list_settings
from maillage.members.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _list_or_404(request: HttpRequest, slug: str) -> MailingList:
    mailing_list = selectors.list_for(request.user, slug)
    if mailing_list is None:
        if not request.user.is_authenticated and MailingList.objects.filter(slug=slug).exists():
            raise Http404(_("This list's archive is for members: log in to read it."))
        raise Http404(_("No list here."))
    return mailing_list


def index(request: HttpRequest) -> HttpResponse:
    lists = list(selectors.lists_for(request.user))
    mine = selectors.subscriptions_of(request.user)
    rows = [(mailing_list, mine.get(mailing_list.pk)) for mailing_list in lists]
    context = {
        "rows": rows,
        "domain": addresses.domain(),
        "is_coordinator": selectors.is_coordinator(request.user),
    }
    return render(request, "mailing/index.html", context)


def _month(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1)
    except ValueError:
        return None


def archive(request: HttpRequest, slug: str) -> HttpResponse:
    mailing_list = _list_or_404(request, slug)
    month = _month(request.GET.get("mois", ""))
    threads = selectors.threads_for(mailing_list, month=month)
    page = Paginator(threads, selectors.THREAD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "mailing_list": mailing_list,
        "page": page,
        "month": month,
        "months": selectors.months_of(mailing_list),
        "search_form": forms.ArchiveSearchForm(),
        "list_address": addresses.list_address(mailing_list),
        "subscription": selectors.subscriptions_of(request.user).get(mailing_list.pk),
        "may_post": posting.may_post(request.user, mailing_list),
    }
    return render(request, "mailing/archive.html", context)


def archive_search(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    mailing_list = _list_or_404(request, slug)
    form = forms.ArchiveSearchForm(request.GET)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        try:
            page_number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page_number = 1
        results = search.search(
            viewer=request.user,
            text=form.cleaned_data["q"],
            kinds=(search.Kind.MESSAGE,),
            tags=(tag_slug(mailing_list.name),),
            page=page_number,
        )
    given = given_filters(request.GET)  # the site's results partial links with these
    context = {
        "mailing_list": mailing_list,
        "form": form,
        "results": results,
        "given": given,
        "one_kind": True,
    }
    template = "core/search/_results.html" if request.htmx else "mailing/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _preview(request: HttpRequest) -> str:
    return render_markdown(request.POST.get("body", ""))


@require_http_methods(["GET", "POST"])
def thread(request: HtmxHttpRequest, slug: str, thread_id: int) -> HttpResponse:
    mailing_list = _list_or_404(request, slug)
    found = selectors.thread_for(request.user, mailing_list, thread_id)
    if found is None:
        raise Http404(_("No thread here."))
    form = forms.ReplyForm(request.POST or None)
    status = 200
    preview = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('members:login')}?next={request.path}")
        if "preview" in request.POST:
            preview = _preview(request)
        elif form.is_valid():
            parent = None
            if form.cleaned_data.get("parent"):
                parent = selectors.message_for(
                    request.user, mailing_list, form.cleaned_data["parent"]
                )
            try:
                posting.check_rate(request.user)
                message = posting.reply(
                    thread=found, author=request.user, body=form.cleaned_data["body"], parent=parent
                )
            except posting.PostingError as error:
                form.add_error(None, str(error))
                status = error.status_code
            else:
                if message.status == MessageStatus.PUBLISHED:
                    messages.success(request, _("Your reply is sent to the list."))
                else:
                    messages.success(
                        request,
                        _("Thank you: your reply will go out once a moderator has read it."),
                    )
                return redirect(message.in_thread_url())
        else:
            status = 400
    context = {
        "mailing_list": mailing_list,
        "thread": found,
        "messages_shown": selectors.messages_of(request.user, found),
        "form": form,
        "preview": preview,
        "may_post": posting.may_post(request.user, mailing_list),
        "viewer_id": request.user.pk,
        "is_coordinator": selectors.is_coordinator(request.user),
    }
    return render(request, "mailing/thread.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    mailing_list = _list_or_404(request, slug)
    if not posting.may_post(request.user, mailing_list):
        raise Http404(_("No list here."))
    form = forms.NewThreadForm(request.POST or None)
    status = 200
    preview = ""
    if request.method == "POST":
        if "preview" in request.POST:
            preview = _preview(request)
        elif form.is_valid():
            try:
                posting.check_rate(request.user)
                message = posting.start_thread(
                    mailing_list=mailing_list,
                    author=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except posting.PostingError as error:
                form.add_error(None, str(error))
                status = error.status_code
            else:
                if message.status == MessageStatus.PUBLISHED:
                    messages.success(request, _("Your message is sent to the list."))
                else:
                    messages.success(
                        request,
                        _("Thank you: your message will go out once a moderator has read it."),
                    )
                return redirect(message.in_thread_url())
        else:
            status = 400
    context = {"mailing_list": mailing_list, "form": form, "preview": preview}
    return render(request, "mailing/new_thread.html", context, status=status)


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the Markdown of the form, rendered as it will be shown."""
    return render(request, "mailing/_preview.html", {"preview": _preview(request)})


def message(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    """A message's permanent address: its place in its thread."""
    mailing_list = _list_or_404(request, slug)
    found = selectors.message_for(request.user, mailing_list, message_id)
    if found is None:
        raise Http404(_("No message here."))
    return redirect(found.in_thread_url())


def message_source(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    """The email as it was received, as plain text (for its author and coordinators)."""
    mailing_list = _list_or_404(request, slug)
    found = selectors.message_for(request.user, mailing_list, message_id)
    if found is None or not selectors.can_see_source(request.user, found):
        raise Http404(_("No message here."))
    assert found.inbound is not None
    with found.inbound.raw.open("rb") as stream:
        raw = stream.read()
    response = HttpResponse(raw, content_type="text/plain; charset=utf-8")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


def attachment(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    mailing_list = _list_or_404(request, slug)
    found = selectors.attachment_for(request.user, mailing_list, pk)
    if found is None:
        raise Http404
    return file_response(
        found.file, private=not mailing_list.is_public, download_name=found.filename
    )


# --- Coordinators: topic lists ------------------------------------------------------------------


def _coordinator_only(request: HttpRequest) -> None:
    if not selectors.is_coordinator(request.user):
        raise PermissionDenied


@login_required
def manage_lists(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    context = {"lists": selectors.lists_to_manage(request.user), "domain": addresses.domain()}
    return render(request, "mailing/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_list(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = forms.MailingListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mailing_list = list_settings.create_list(
            coordinator=request.user, settings=form.cleaned_data
        )
        messages.success(request, _("The list %(name)s is created.") % {"name": mailing_list.name})
        return redirect("mailing:manage")
    status = 400 if form.errors else 200
    context = {"form": form, "mailing_list": None, "domain": addresses.domain()}
    return render(request, "mailing/list_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_list(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    mailing_list = get_object_or_404(MailingList, pk=pk)
    form = forms.MailingListForm(request.POST or None, instance=mailing_list)
    if request.method == "POST" and form.is_valid():
        list_settings.update_list(mailing_list=mailing_list, settings=form.cleaned_data)
        messages.success(request, _("The list's settings are saved."))
        return redirect("mailing:manage")
    status = 400 if form.errors else 200
    context = {"form": form, "mailing_list": mailing_list, "domain": addresses.domain()}
    return render(request, "mailing/list_form.html", context, status=status)


@login_required
@require_POST
def close_list(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    mailing_list = get_object_or_404(MailingList, pk=pk)
    try:
        list_settings.close_list(mailing_list=mailing_list)
    except list_settings.ListError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The list %(name)s is closed; its archive stays readable.")
            % {"name": mailing_list.name},
        )
    return redirect("mailing:manage")


@login_required
@require_POST
def reopen_list(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    mailing_list = get_object_or_404(MailingList, pk=pk)
    list_settings.reopen_list(mailing_list=mailing_list)
    messages.success(request, _("The list %(name)s is open again.") % {"name": mailing_list.name})
    return redirect("mailing:manage")


# --- Subscriptions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions_page(request: HttpRequest) -> HttpResponse:
    member = cast(User, request.user)
    lists = list(selectors.lists_for(member))
    mine = selectors.subscriptions_of(member)
    followed = ", ".join(
        FollowedTag.objects.filter(member=member)
        .select_related("tag")
        .values_list("tag__name", flat=True)
    )
    form = forms.SubscriptionsForm(
        request.POST or None,
        lists=lists,
        subscriptions=mine,
        initial={"followed_tags": followed},
    )
    if request.method == "POST" and form.is_valid():
        subscriptions.save_choices(
            member=member,
            modes=form.chosen_modes(),
            followed_tags=Tag.objects.for_names(form.cleaned_data["followed_tags"]),
            resume="resume" in request.POST,
        )
        messages.success(request, _("Your subscriptions are saved."))
        return redirect("mailing:subscriptions")
    suspended = [s for s in mine.values() if s.suspended_at is not None and s.active]
    context = {"form": form, "suspended": suspended, "domain": addresses.domain()}
    return render(request, "mailing/subscriptions.html", context)


@csrf_exempt  # One-click unsubscribe (RFC 8058): mail clients POST without a form; the token is
@require_http_methods(["GET", "POST"])  # the proof, and unsubscribing twice changes nothing.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    from maillage.mailing.models import Subscription

    subscription = (
        Subscription.objects.select_related("mailing_list", "member").filter(token=token).first()
    )
    if subscription is None:
        raise Http404(_("This link is not valid."))
    if request.method == "POST":
        subscriptions.unsubscribe(subscription=subscription)
    context: dict[str, Any] = {"subscription": subscription}
    return render(request, "mailing/unsubscribe.html", context)


@csrf_exempt  # One-click, as above: the signed token names the member and the digest.
@require_http_methods(["GET", "POST"])
def stop_digest(request: HttpRequest, token: str) -> HttpResponse:
    found = digests.read_stop_digest_token(token)
    if found is None:
        raise Http404(_("This link is not valid."))
    member_id, period = found
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404(_("This link is not valid."))
    mode = DeliveryMode.DAILY if period == "daily" else DeliveryMode.WEEKLY
    stopped = request.method == "POST"
    if stopped:
        subscriptions.stop_digest(member=member, period=period)
    context = {"member": member, "mode": DeliveryMode(mode), "stopped": stopped}
    return render(request, "mailing/stop_digest.html", context)
