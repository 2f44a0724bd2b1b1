"""Pages inside a space (its members only): the inbox, a question with its way through the
institution and its answers, the answers to review, the figures and the settings."""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import review as policy
from maillage.inbox import charts, figures, forms, permissions, selectors
from maillage.inbox.deadlines import inbox_settings
from maillage.inbox.models import Absence, Holiday, Question
from maillage.inbox.services import InboxError, answers, assignment
from maillage.members.models import User
from maillage.voices import permissions as space_permissions
from maillage.voices.models import Space
from maillage.voices.views.common import space_context, space_page


def _context(space: Space, user: Any, current: str, **extra: Any) -> dict[str, Any]:
    return {
        **space_context(space, user),
        "current": current,
        "can_triage": permissions.can_triage(space, user),
        "can_manage_inbox": permissions.can_manage(space, user),
        "can_review": space_permissions.can_review(space, user),
        **extra,
    }


def _question(space: Space, user: Any, pk: int) -> Question:
    question = selectors.question_for_member(space, user, pk)
    if question is None:
        raise Http404(_("No question here."))
    return question


@space_page()
def inbox(request: HttpRequest, space: Space) -> HttpResponse:
    shown = request.GET.get("voir", selectors.DEFAULT_FILTER)
    if shown not in selectors.FILTERS:
        shown = selectors.DEFAULT_FILTER
    mine = request.GET.get("moi") == "1"
    own = permissions.own_voice(space, request.user)
    page = Paginator(
        selectors.inbox(space, request.user, shown=shown, mine=mine), selectors.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = _context(
        space,
        request.user,
        "inbox",
        page=page,
        shown=shown,
        mine=mine,
        tabs=selectors.tabs(space, with_spam=permissions.can_triage(space, request.user)),
        own_voice=own,
        own_absences=(
            Absence.objects.filter(voice=own, ends_on__gte=timezone.localdate()) if own else []
        ),
        absence_form=forms.OwnAbsenceForm(),
    )
    return render(request, "inbox/inbox.html", context)


@space_page()
def question(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    found = _question(space, request.user, pk)
    kinds = answers.kinds_for(found)
    voices = selectors.voices_for(space)
    away = selectors.absent_ids(space)
    scores = {score["voice"]: score for score in found.scores}
    suggested = [
        voice
        for voice in sorted(voices, key=lambda v: -float(scores.get(v.pk, {}).get("score", 0)))
        if voice.pk in scores and voice.pk != found.assignee_id and voice.pk not in away
    ][:3]
    context = _context(
        space,
        request.user,
        "inbox",
        question=found,
        can_answer=permissions.can_answer(found, request.user),
        can_pass_on=permissions.can_pass_on(found, request.user),
        is_assignee=permissions.is_assignee(found, request.user),
        answer_form=forms.AnswerForm(kinds=kinds) if kinds else None,
        assign_form=forms.AssignForm(voices=space.voices.select_related("user")),
        suggested=suggested,
        scores=scores,
        voices={voice.pk: voice for voice in voices},
        away=away,
        review_notes={
            answer.pk: policy.describe_decision(answer.review_action, answer.review_reasons)
            for answer in found.answers.all()
            if answer.review_action
        },
    )
    return render(request, "inbox/question.html", context)


def _back(question: Question) -> HttpResponse:
    return redirect(question.get_absolute_url())


@require_POST
@space_page()
def assign(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    found = _question(space, request.user, pk)
    form = forms.AssignForm(request.POST, voices=space.voices.select_related("user"))
    if not form.is_valid():
        messages.error(request, _("Choose a voice of this institution."))
        return _back(found)
    voice = form.cleaned_data["voice"]
    try:
        assignment.assign(
            question=found, voice=voice, by=request.user, note=form.cleaned_data["note"]
        )
    except InboxError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Given to %(name)s.") % {"name": voice.name})
    return _back(found)


@require_POST
@space_page()
def release(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    found = _question(space, request.user, pk)
    try:
        assignment.release(question=found, by=request.user, note=request.POST.get("note", ""))
    except InboxError as error:
        messages.error(request, error.message)
        return _back(found)
    messages.success(request, _("Handed back to triage."))
    return redirect("inbox:inbox", space=space.slug)


@require_POST
@space_page()
def answer(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    found = _question(space, request.user, pk)
    form = forms.AnswerForm(request.POST, kinds=answers.kinds_for(found))
    if not form.is_valid():
        messages.error(request, _("Write the answer and choose how to send it."))
        return _back(found)
    try:
        written = answers.write_answer(
            question=found,
            user=request.user,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
        )
    except InboxError as error:
        messages.error(request, error.message)
        return _back(found)
    if written.state == "held":
        messages.info(request, _("Your answer waits for a reviewer; the reason is shown below."))
    elif written.state == "rejected":
        messages.error(request, _("This answer cannot be sent as it is."))
    else:
        messages.success(request, _("Your answer is on its way."))
    return redirect(written.get_absolute_url())


ACTIONS = {
    "close": assignment.close,
    "spam": assignment.mark_spam,
    "reopen": assignment.reopen,
    "unpublish": answers.unpublish,
}


@require_POST
@space_page()
def change_state(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    found = _question(space, request.user, pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    try:
        action(question=found, by=request.user)
    except InboxError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return _back(found)


@space_page(space_permissions.can_review)
def review_queue(request: HttpRequest, space: Space) -> HttpResponse:
    context = _context(space, request.user, "review", held=selectors.answers_to_review(space))
    return render(request, "inbox/review.html", context)


@require_POST
@space_page(space_permissions.can_review)
def review_decide(request: HttpRequest, space: Space, record: int) -> HttpResponse:
    found = get_object_or_404(policy.ReviewRecord, pk=record)
    held = {entry.record.pk for entry in selectors.answers_to_review(space)}
    if found.pk not in held:
        raise Http404
    try:
        if request.POST.get("action") == "reject":
            policy.reject(
                record=found, by=cast(User, request.user), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The answer is not sent; its author reads why."))
        else:
            policy.approve(
                record=found, by=cast(User, request.user), note=request.POST.get("note", "")
            )
            messages.success(request, _("Approved."))
    except policy.ReviewError as error:
        messages.error(request, str(error))
    return redirect("inbox:review", space=space.slug)


@space_page()
def figures_page(request: HttpRequest, space: Space) -> HttpResponse:
    computed = figures.figures_for(space)
    context = _context(
        space,
        request.user,
        "figures",
        figures=computed,
        charts=charts.charts_for(computed),
        hours_text=figures.hours_text,
    )
    return render(request, "inbox/figures.html", context)


@space_page()
def figures_csv(request: HttpRequest, space: Space) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="questions-{space.slug}.csv"'
    writer = csv.writer(response)
    for row in figures.csv_rows(figures.figures_for(space)):
        # Never a spreadsheet formula: a subject like "=1+1" is text.
        writer.writerow([f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return response


@space_page(permissions.can_manage)
def settings_page(request: HttpRequest, space: Space) -> HttpResponse:
    current = inbox_settings(space)
    voices = space.voices.select_related("user")
    form = forms.SettingsForm(instance=current)
    holiday_form = forms.HolidayForm()
    absence_form = forms.AbsenceForm(voices=voices)
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "settings":
            form = forms.SettingsForm(request.POST, instance=current)
            if form.is_valid():
                form.save()
                messages.success(request, _("Settings saved."))
                return redirect("inbox:settings", space=space.slug)
        elif what == "holiday":
            holiday_form = forms.HolidayForm(request.POST)
            if holiday_form.is_valid():
                Holiday.objects.get_or_create(
                    settings=current,
                    day=holiday_form.cleaned_data["day"],
                    defaults={"name": holiday_form.cleaned_data["name"]},
                )
                messages.success(request, _("Holiday added."))
                return redirect("inbox:settings", space=space.slug)
        elif what == "absence":
            absence_form = forms.AbsenceForm(request.POST, voices=voices)
            if absence_form.is_valid():
                data = absence_form.cleaned_data
                assignment.declare_absence(
                    voice=data["voice"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    note=data["note"],
                    by=request.user,
                )
                messages.success(request, _("Absence added: routing skips them on these days."))
                return redirect("inbox:settings", space=space.slug)
        elif what == "delete-holiday":
            Holiday.objects.filter(pk=request.POST.get("pk") or 0, settings=current).delete()
            messages.success(request, _("Removed."))
            return redirect("inbox:settings", space=space.slug)
        elif what == "delete-absence":
            found = Absence.objects.filter(pk=request.POST.get("pk") or 0, voice__space=space)
            for absence in found.select_related("voice__space"):
                assignment.remove_absence(absence=absence, by=request.user)
            messages.success(request, _("Removed."))
            return redirect("inbox:settings", space=space.slug)
    context = _context(
        space,
        request.user,
        "settings",
        form=form,
        holiday_form=holiday_form,
        absence_form=absence_form,
        holidays=current.holidays.all(),
        absences=selectors.absences(space),
    )
    return render(
        request, "inbox/settings.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@space_page()
def own_absence(request: HttpRequest, space: Space) -> HttpResponse:
    """A voice says they are out of the office (or back): routing skips them meanwhile."""
    voice = permissions.own_voice(space, request.user)
    if voice is None:
        raise Http404
    if request.POST.get("remove"):
        for absence in Absence.objects.filter(voice=voice, pk=request.POST.get("remove") or 0):
            assignment.remove_absence(absence=absence, by=request.user)
        messages.success(request, _("Removed."))
        return redirect("inbox:inbox", space=space.slug)
    form = forms.OwnAbsenceForm(request.POST)
    if form.is_valid():
        try:
            assignment.declare_absence(voice=voice, by=request.user, **form.cleaned_data)
        except InboxError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Noted: questions go to colleagues while you are away."))
    else:
        messages.error(request, _("Give the first and last days of your absence."))
    return redirect("inbox:inbox", space=space.slug)
