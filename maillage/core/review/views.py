"""The coordinators' pages: the moderation queue, the policy's settings, the figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.review import selectors, services
from maillage.core.review.forms import RejectForm, ReviewPolicyForm
from maillage.core.review.models import ReviewPolicy, ReviewRecord
from maillage.members.models import User

QUEUE_PAGE_SIZE = 30


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to log in; members who are not coordinators get 403."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_review(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@coordinator_required
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": selectors.queue_items(list(page.object_list)),
        "reject_form": RejectForm(),
    }
    return render(request, "core/review/queue.html", context)


def _act(
    request: HttpRequest, pk: int, action: Callable[[ReviewRecord, User], Any], done: str
) -> HttpResponse:
    """Run a transition; with htmx, answer with the item's new state (the page stays where it is,
    focus on the result), otherwise come back to the queue with a message."""
    record = get_object_or_404(ReviewRecord.objects.select_related("author", "content_type"), pk=pk)
    try:
        action(record, cast(User, request.user))
    except services.ReviewError as error:
        return _failed(request, record, str(error))
    if getattr(request, "htmx", False):
        return render(request, "core/review/_resolved.html", {"record": record, "message": done})
    messages.success(request, done)
    return redirect("core:review_queue")


def _failed(request: HttpRequest, record: ReviewRecord, error: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        record.refresh_from_db()
        if record.is_open:
            [item] = selectors.queue_items([record])
            return render(request, "core/review/_queue_item.html", {"item": item, "error": error})
        return render(request, "core/review/_resolved.html", {"record": record, "message": error})
    messages.error(request, error)
    return redirect("core:review_queue")


@require_POST
@coordinator_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda record, by: services.approve(record=record, by=by),
        _("Approved: the contribution is published."),
    )


@require_POST
@coordinator_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        record = get_object_or_404(ReviewRecord, pk=pk)
        return _failed(request, record, str(services.ReasonRequired()))
    return _act(
        request,
        pk,
        lambda record, by: services.reject(
            record=record, by=by, reason=form.cleaned_data["reason"]
        ),
        _("Rejected: the author is told why."),
    )


@require_POST
@coordinator_required
def mark_spam(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda record, by: services.mark_spam(record=record, by=by),
        _("Marked as spam."),
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def policy(request: HttpRequest) -> HttpResponse:
    form = ReviewPolicyForm(request.POST or None, instance=ReviewPolicy.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The review policy is saved."))
        return redirect("core:review_policy")
    return render(request, "core/review/policy.html", {"form": form})


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Open to every member: the network sees how little needed validating."""
    return render(request, "core/review/figures.html", {"figures": selectors.review_figures()})
