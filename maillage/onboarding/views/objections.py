"""The objections catalogue: the list, an objection with its answers and testimonies, proposing
an objection or an answer, "it helped me", and the coordinators' curation."""

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
from maillage.members.models import User
from maillage.onboarding import forms, selectors, services
from maillage.onboarding.models import Answer, Objection, ProposalState
from maillage.onboarding.views.common import (
    HtmxHttpRequest,
    client_identity,
    guest_limit,
    next_or,
)


def _objection_or_404(request: HttpRequest, slug: str) -> Objection:
    objection = selectors.objection_for(request.user, slug)
    if objection is None:
        raise Http404(_("No objection here."))
    return objection


def _answer_or_404(request: HttpRequest, pk: int) -> Answer:
    answer = selectors.answer_for(request.user, pk)
    if answer is None:
        raise Http404(_("No answer here."))
    return answer


def _is_member(request: HttpRequest) -> bool:
    return selectors.is_member(request.user)


def _guest_allowed(request: HttpRequest, form: Any) -> int:
    """For a visitor's proposal: 0 when it may go on, else the HTTP status to answer with
    (the honeypot was filled, or too many proposals came from this address)."""
    if not isinstance(form, forms.GuestFieldsMixin):
        return 0
    if form.is_spam():
        form.add_error(None, _("This proposal looks automatic; it was not sent."))
        return 400
    identities = client_identity(request)
    wait = guest_limit().seconds_left(**identities)
    if wait:
        form.add_error(None, too_many_attempts_message(wait))
        return 429
    guest_limit().record(**identities)
    return 0


def _proposal_message(request: HttpRequest, state: str, *, answer: bool) -> None:
    if state == ProposalState.PUBLISHED:
        text = (
            _("Thank you! Your answer is published.")
            if answer
            else _("Thank you! Your objection is published.")
        )
        messages.success(request, text)
    elif state == ProposalState.HELD:
        text = (
            _(
                "Thank you! A coordinator reads your answer before publishing it; "
                "it usually takes a day or two."
            )
            if answer
            else _(
                "Thank you! A coordinator reads your objection before publishing it; "
                "it usually takes a day or two."
            )
        )
        messages.success(request, text)
    else:
        messages.error(request, _("This could not be published as it is."))


# --- The catalogue ---------------------------------------------------------------------------


def objection_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    context = {
        "objections": list(selectors.listed_objections(viewer)),
        "proposals": list(selectors.proposals_of(viewer)),
        "can_curate": services.can_curate(viewer),
    }
    return render(request, "onboarding/objection_list.html", context)


def _detail_context(
    request: HttpRequest, objection: Objection, answer_form: Any = None
) -> dict[str, Any]:
    viewer = request.user
    answers, testimonies = selectors.split_answers(selectors.answers_for(viewer, objection))
    if answer_form is None and objection.is_published and not objection.hidden:
        answer_form = forms.AnswerForm() if _is_member(request) else forms.GuestAnswerForm()
    return {
        "objection": objection,
        "answers": answers,
        "testimonies": testimonies,
        "further": selectors.further_reading(viewer, objection),
        "answer_form": answer_form,
        "can_curate": services.can_curate(viewer),
        "can_vote": _is_member(request),
    }


def objection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    objection = _objection_or_404(request, slug)
    response = render(
        request, "onboarding/objection_detail.html", _detail_context(request, objection)
    )
    if not (objection.is_published and not objection.hidden):
        response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def objection_propose(request: HttpRequest) -> HttpResponse:
    member = _is_member(request)
    form_class = forms.ObjectionForm if member else forms.GuestObjectionForm
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status = _guest_allowed(request, form) or 400
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objection = services.propose_objection(
                by=cast(User, request.user) if member else None,
                title=data["title"],
                explanation=data.get("explanation") or "",
                guest_name=data.get("guest_name") or "",
                guest_email=data.get("guest_email") or "",
            )
        except services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            _proposal_message(request, objection.state, answer=False)
            if selectors.can_see_objection(request.user, objection):
                return redirect(objection)
            return redirect("onboarding:objections")
    return render(request, "onboarding/objection_form.html", {"form": form}, status=status)


@require_POST
def objection_answer(request: HttpRequest, slug: str) -> HttpResponse:
    objection = _objection_or_404(request, slug)
    member = _is_member(request)
    form = forms.AnswerForm(request.POST) if member else forms.GuestAnswerForm(request.POST)
    status = 400
    if form.is_valid():
        status = _guest_allowed(request, form) or 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.answer_objection(
                objection=objection,
                by=cast(User, request.user) if member else None,
                kind=data["kind"],
                title=data.get("title") or "",
                body=data["body"],
                visibility=data.get("visibility") or "public",
                guest_name=data.get("guest_name") or "",
                guest_email=data.get("guest_email") or "",
            )
        except services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            _proposal_message(request, answer.state, answer=True)
            return redirect(objection.get_absolute_url() + f"#reponse-{answer.pk}")
    context = _detail_context(request, objection, answer_form=form)
    return render(request, "onboarding/objection_detail.html", context, status=status)


# --- "It helped me" ---------------------------------------------------------------------------


@login_required
@require_POST
def answer_helpful(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    error = ""
    try:
        services.toggle_helpful(answer=answer, member=cast(User, request.user))
    except services.OnboardingError as failure:
        error = str(failure)
    if request.htmx:
        fresh = _answer_or_404(request, pk)
        response = render(
            request,
            "onboarding/_helpful.html",
            {"answer": fresh, "can_vote": True, "helpful_error": error},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    return redirect(next_or(request, answer.get_absolute_url()))


# --- Curation ----------------------------------------------------------------------------------


def _require_curator(request: HttpRequest) -> User:
    if not services.can_curate(request.user):
        raise PermissionDenied
    return cast(User, request.user)


OBJECTION_ACTIONS = {
    "feature": {"featured": True},
    "unfeature": {"featured": False},
    "hide": {"hidden": True},
    "show": {"hidden": False},
}


@login_required
@require_POST
def objection_curate(request: HttpRequest, slug: str) -> HttpResponse:
    by = _require_curator(request)
    objection = _objection_or_404(request, slug)
    action = request.POST.get("action", "")
    if action in OBJECTION_ACTIONS:
        services.set_objection_flags(objection=objection, by=by, **OBJECTION_ACTIONS[action])
        messages.success(request, _("The catalogue is updated."))
    elif action in ("up", "down"):
        if not services.move_objection(objection=objection, by=by, direction=action):  # type: ignore[arg-type]
            messages.info(request, _("It is already at the end of the list."))
    else:
        messages.error(request, _("Unknown action."))
    target = next_or(request, reverse("onboarding:objections"))
    return redirect(target + f"#frein-{objection.pk}" if "#" not in target else target)


@login_required
@require_POST
def answer_curate(request: HttpRequest, pk: int) -> HttpResponse:
    by = _require_curator(request)
    answer = _answer_or_404(request, pk)
    action = request.POST.get("action", "")
    if action not in OBJECTION_ACTIONS:
        messages.error(request, _("Unknown action."))
    else:
        services.set_answer_flags(answer=answer, by=by, **OBJECTION_ACTIONS[action])
        messages.success(request, _("The answers are updated."))
    return redirect(answer.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def objection_edit(request: HttpRequest, slug: str) -> HttpResponse:
    by = _require_curator(request)
    objection = _objection_or_404(request, slug)
    form = forms.ObjectionEditForm(
        request.POST if request.method == "POST" else None, instance=objection, viewer=by
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_objection(
                objection=objection,
                by=by,
                title=data["title"],
                explanation=data.get("explanation") or "",
                projects=data.get("projects") or [],
                articles=data.get("articles") or [],
                events=data.get("events") or [],
            )
        except services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The objection is saved."))
            return redirect(objection)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "onboarding/objection_edit.html",
        {"form": form, "objection": objection},
        status=status,
    )
