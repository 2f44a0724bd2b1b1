"""The first steps' welcome page, the triggers (practices, tools, first steps), a step's page,
the licence chooser, the questionnaire and the personal paths, and the coordinators' counts."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.ratelimit import too_many_attempts_message
from maillage.events.selectors import can_create_events
from maillage.members.models import User
from maillage.onboarding import aggregates, forms, paths, selectors
from maillage.onboarding.destinations import Destinations
from maillage.onboarding.licence_chooser import EXPLANATIONS, choose_licence, explanations
from maillage.onboarding.models import Path, StepKind
from maillage.onboarding.views.common import (
    HtmxHttpRequest,
    client_identity,
    questionnaire_limit,
    remember_path,
    session_tokens,
)


def home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    context = {
        "my_path": selectors.path_of(viewer) or _session_path(request),
        "objections": list(selectors.questionnaire_objections()[:4]),
        "can_see_counts": selectors.is_coordinator(viewer),
    }
    return render(request, "onboarding/home.html", context)


def practices(request: HttpRequest) -> HttpResponse:
    destinations = Destinations(request.user)
    offered = list(selectors.offered_practices())
    for practice in offered:
        for link in practice.step_links.all():
            link.step.destination = destinations.url(link.step)  # type: ignore[attr-defined]
    return render(request, "onboarding/practices.html", {"practices": offered})


def step_detail(request: HttpRequest, slug: str) -> HttpResponse:
    step = selectors.step_for(slug)
    if step is None:
        raise Http404(_("No first step here."))
    destinations = Destinations(request.user)
    context = {
        "step": step,
        "destination": destinations.url(step),
        "is_own_page": step.kind == StepKind.FOLLOW_FEEDS
        or (step.kind == StepKind.LINK and not step.url),
        "external": destinations.is_external(step),
        "training": destinations.next_training() if step.kind == StepKind.NEXT_TRAINING else None,
        "feeds": list(step.feeds.all()),
        "practices": list(step.practices.all()),
        "is_member": selectors.is_member(request.user),
    }
    return render(request, "onboarding/step_detail.html", context)


def licence(request: HttpRequest) -> HttpResponse:
    form = forms.LicenceChooserForm(request.GET or None)
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = EXPLANATIONS[choose_licence(**form.answers())]
    context = {"form": form, "chosen": chosen, "explanations": explanations()}
    return render(request, "onboarding/licence.html", context, status=200)


# --- Questionnaire and paths ----------------------------------------------------------------------


def _session_path(request: HttpRequest) -> Path | None:
    for token in session_tokens(request):
        path = Path.objects.filter(token=token, owner__isnull=True).first()
        if path is not None:
            return path
    return None


@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    member = selectors.is_member(viewer)
    current = selectors.path_of(viewer) if member else _session_path(request)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "practices": list(current.practices.values_list("pk", flat=True)),
            "objections": list(current.objections.values_list("pk", flat=True)),
        }
    form = forms.QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        practices=selectors.offered_practices(),
        objections=selectors.questionnaire_objections(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not member:
            identities = client_identity(request)
            wait = questionnaire_limit().seconds_left(**identities)
            if wait:
                form.add_error(None, too_many_attempts_message(wait))
                status = 429
            else:
                questionnaire_limit().record(**identities)
    if request.method == "POST" and form.is_valid():
        path = paths.take_questionnaire(
            owner=cast(User, viewer) if member else None,
            practices=list(form.cleaned_data["practices"]),
            objections=list(form.cleaned_data["objections"]),
            replacing=current,
        )
        if not member:
            remember_path(request, path.token)
        messages.success(request, _("Here is your path. Keep its address, or share it."))
        return redirect(path)
    context = {"form": form, "current": current, "is_member": member}
    return render(request, "onboarding/questionnaire.html", context, status=status)


def _path_or_404(token: str) -> Path:
    path = selectors.path_by_token(token)
    if path is None:
        raise Http404(_("No path at this address."))
    return path


def _path_context(request: HttpRequest, path: Path) -> dict[str, Any]:
    tokens = session_tokens(request)
    destinations = Destinations(request.user)
    steps = list(path.path_steps.all())
    for item in steps:
        if item.step is not None:
            item.destination = destinations.url(item.step)  # type: ignore[attr-defined]
            item.external = destinations.is_external(item.step)  # type: ignore[attr-defined]
        elif item.objection is not None:
            item.destination = item.objection.get_absolute_url()  # type: ignore[attr-defined]
            item.external = False  # type: ignore[attr-defined]
    return {
        "path": path,
        "steps": steps,
        "done_count": sum(1 for item in steps if item.is_done),
        "can_mark": selectors.can_mark_steps(request.user, path, tokens),
        "can_keep": selectors.can_keep_path(request.user, path, tokens),
        "is_mine": selectors.can_mark_steps(request.user, path, tokens),
        "share_url": request.build_absolute_uri(path.get_absolute_url()),
    }


def path_detail(request: HttpRequest, token: str) -> HttpResponse:
    path = _path_or_404(token)
    response = render(request, "onboarding/path_detail.html", _path_context(request, path))
    # A shared link is for a colleague, not for search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def path_step_done(request: HtmxHttpRequest, token: str, pk: int) -> HttpResponse:
    path = _path_or_404(token)
    if not selectors.can_mark_steps(request.user, path, session_tokens(request)):
        raise PermissionDenied
    item = selectors.visible_path_step(path, pk)
    if item is None:
        raise Http404(_("No such step in this path."))
    paths.set_step_done(path_step=item, done=request.POST.get("done") == "1")
    if request.htmx:
        context = _path_context(request, _path_or_404(token))
        response = render(request, "onboarding/_path_steps.html", {**context, "focus_step": pk})
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect(path.get_absolute_url() + f"#etape-{pk}")


@login_required
@require_POST
def path_keep(request: HttpRequest, token: str) -> HttpResponse:
    path = _path_or_404(token)
    if not selectors.can_keep_path(request.user, path, session_tokens(request)):
        raise PermissionDenied
    paths.keep_path(path=path, owner=cast(User, request.user))
    messages.success(request, _("This path is now in your account."))
    return redirect(path)


def my_path(request: HttpRequest) -> HttpResponse:
    path = selectors.path_of(request.user) or _session_path(request)
    if path is None:
        return redirect("onboarding:questionnaire")
    return redirect(path)


# --- Coordinators ---------------------------------------------------------------------------------


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    if not selectors.is_coordinator(request.user):
        raise PermissionDenied
    context = {
        "summary": aggregates.summary(),
        "threshold": aggregates.THRESHOLD,
        "create_event_url": reverse("events:create") if can_create_events(request.user) else "",
    }
    return render(request, "onboarding/counts.html", context)
