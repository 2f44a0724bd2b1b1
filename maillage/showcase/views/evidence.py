"""Evidence pages for a project's team: add by hand, add by address (read in the background),
edit, delete, accept or refuse what came by Webmention. Every change is a POST."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.members.models import User
from maillage.showcase import evidence as services
from maillage.showcase import forms
from maillage.showcase.models import Evidence, Project
from maillage.showcase.views.projects import editable_or_404


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


def _item_or_404(project: Project, pk: int) -> Evidence:
    item = Evidence.objects.filter(project=project, pk=pk).select_related("project").first()
    if item is None:
        raise Http404(_("No evidence here."))
    return item


def _back(project: Project, anchor: str = "evidence") -> HttpResponse:
    return redirect(f"{project.get_absolute_url()}#{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = editable_or_404(request, slug)
    form = forms.EvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_evidence(
                project=project, by=_member(request), content=form.content()
            )
        except services.EvidenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evidence is added."))
            return _back(project, f"evidence-{item.pk}")
    return render(
        request, "showcase/evidence_form.html", {"form": form, "project": project, "creating": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = editable_or_404(request, slug)
    item = _item_or_404(project, pk)
    form = forms.EvidenceForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_evidence(evidence=item, by=_member(request), content=form.content())
        except services.EvidenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evidence is saved."))
            return _back(project, f"evidence-{item.pk}")
    context = {"form": form, "project": project, "creating": False, "item": item}
    return render(request, "showcase/evidence_form.html", context)


@login_required
@require_POST
def evidence_add_address(request: HttpRequest, slug: str) -> HttpResponse:
    project = editable_or_404(request, slug)
    form = forms.EvidenceAddressForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_evidence_from_address(
                project=project,
                by=_member(request),
                url=form.cleaned_data["url"],
                kind=form.cleaned_data["kind"],
            )
        except services.EvidenceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The address is kept; its page is read in the background."))
            return _back(project, f"evidence-{item.pk}")
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return _back(project, "add-evidence")


def _transition(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    project = editable_or_404(request, slug)
    item = _item_or_404(project, pk)
    user = _member(request)
    if action == "accept":
        services.accept_evidence(evidence=item, by=user)
        messages.success(request, _("The evidence is accepted: it shows on the project's page."))
    elif action == "refuse":
        services.refuse_evidence(evidence=item, by=user)
        messages.success(request, _("The evidence is refused: it stays hidden."))
    elif action == "read":
        try:
            services.read_again(evidence=item, by=user)
        except services.EvidenceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The page is read again in the background."))
    else:
        services.delete_evidence(evidence=item, by=user)
        messages.success(request, _("The evidence is deleted."))
        return _back(project)
    return _back(project, f"evidence-{item.pk}")


@login_required
@require_POST
def evidence_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, "accept")


@login_required
@require_POST
def evidence_refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, "refuse")


@login_required
@require_POST
def evidence_read_again(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, "read")


@login_required
@require_POST
def evidence_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, "delete")
