"""Pages of the catalogue and of a project: the list with its facets, a project's page (its
evidence, charts, similar projects, comments), proposing and editing a project."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.members.models import User
from maillage.showcase import charts, forms, selectors, services
from maillage.showcase.dossier import Chart
from maillage.showcase.models import Project, ReviewState


def project_or_404(request: HttpRequest, slug: str) -> Project:
    project = selectors.project_for(request.user, slug)
    if project is None:
        raise Http404(_("No project here."))
    return project


def editable_or_404(request: HttpRequest, slug: str) -> Project:
    project = project_or_404(request, slug)
    if not selectors.can_edit(request.user, project):
        raise PermissionDenied
    return project


def webmention_endpoint(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("showcase:webmention"))


def catalogue(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    filters = selectors.CatalogueFilters.from_query(request.GET)
    page = Paginator(selectors.catalogue(viewer, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    found = selectors.facets(viewer, filters)
    context = {
        "filters": filters,
        "facets": found,
        "page": page,
        "projects": list(page),
        "sorts": [
            (selectors.Sort.RECENT, _("latest published")),
            (selectors.Sort.NAME, _("name")),
            (selectors.Sort.STARTED, _("latest started")),
            (selectors.Sort.EVIDENCE, _("most evidence")),
        ],
        "platform_names": selectors.platform_names(found),
        "proposals": list(selectors.proposals_of(viewer)[:10]),
        "can_propose": services.can_propose(viewer),
    }
    template = (
        "showcase/_catalogue_results.html"
        if getattr(request, "htmx", False)
        else "showcase/catalogue.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_or_404(request, slug)
    viewer = request.user
    can_edit = selectors.can_edit(viewer, project)
    evidence = list(selectors.evidence_for(project, include_pending=can_edit))
    accepted = [item for item in evidence if item.status == "accepted"]
    series = selectors.figure_series(accepted)
    context = {
        "project": project,
        "can_edit": can_edit,
        "evidence": accepted,
        "pending": [item for item in evidence if item.status == "pending"] if can_edit else [],
        "refused": [item for item in evidence if item.status == "rejected"] if can_edit else [],
        "timeline": selectors.timeline(accepted),
        "charts": [
            Chart(one, charts.line_chart(one, chart_id=f"chart-{n}"), charts.describe(one))
            for n, one in enumerate(series, start=1)
        ],
        "similar": selectors.similar_projects(viewer, project),
        "open_to_everyone": selectors.open_to_everyone(project),
        "webmention_endpoint": webmention_endpoint(request),
        "address_form": forms.EvidenceAddressForm() if can_edit else None,
    }
    response = render(request, "showcase/project_detail.html", context)
    if context["open_to_everyone"]:
        # Webmention discovery (W3C Webmention 3.1.2): the HTTP header, and <link> in the page.
        response["Link"] = f'<{context["webmention_endpoint"]}>; rel="webmention"'
    else:
        response["X-Robots-Tag"] = "noindex"
    return response


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


def _save(
    request: HttpRequest, form: forms.ProjectForm, links: Any, project: Project | None
) -> Project | None:
    if not (form.is_valid() and links.is_valid()):
        return None
    try:
        content = form.content(links.links())
        if project is None:
            return services.propose_project(by=_member(request), content=content)
        return services.update_project(project=project, by=_member(request), content=content)
    except services.ProjectError as error:
        form.add_error(None, str(error))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def project_propose(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not services.can_propose(user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, proposer=user)
    links = forms.link_formset(data)
    if request.method == "POST":
        project = _save(request, form, links, None)
        if project is not None:
            if project.review_state == ReviewState.PUBLISHED:
                messages.success(request, _("Thank you: the project is in the showcase."))
            else:
                messages.success(
                    request,
                    _("Thank you: a coordinator will read it before it joins the showcase."),
                )
            return redirect(project)
    context: dict[str, Any] = {"form": form, "links": links, "creating": True}
    return render(request, "showcase/project_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = editable_or_404(request, slug)
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, instance=project)
    links = forms.link_formset(data, project)
    if request.method == "POST":
        saved = _save(request, form, links, project)
        if saved is not None:
            messages.success(request, _("The project is saved."))
            return redirect(saved)
    context = {"form": form, "links": links, "creating": False, "project": project}
    return render(request, "showcase/project_form.html", context)
