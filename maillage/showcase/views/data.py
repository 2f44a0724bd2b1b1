"""The dossier (printable page and PDF), the open data (JSON-LD, CSV) and the Webmention
endpoint."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from maillage.core.ratelimit import client_ip, too_many_attempts_message
from maillage.showcase import dossier, opendata, selectors, webmentions
from maillage.showcase.views.projects import project_or_404

logger = logging.getLogger(__name__)


@require_GET
def dossier_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable dossier, in the language asked for (?langue=en), the site's otherwise."""
    project = project_or_404(request, slug)
    language = dossier.language_of(request.GET.get("langue"))
    context = dossier.dossier_context(project=project, viewer=request.user, language=language)
    with translation.override(language):
        response = render(request, "showcase/dossier.html", context)
    if not selectors.open_to_everyone(project):
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def dossier_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The same dossier as PDF, made in the request (a typical dossier takes well under a
    second; see the tests)."""
    project = project_or_404(request, slug)
    language = dossier.language_of(request.GET.get("langue"))
    context = dossier.dossier_context(project=project, viewer=request.user, language=language)
    rendered = dossier.render_pdf(context)
    logger.info("dossier of %s (%s) made in %.2f s", project.slug, language, rendered.seconds)
    response = HttpResponse(rendered.content, content_type="application/pdf")
    name = dossier.pdf_file_name(project, language, context["generated_at"])
    response["Content-Disposition"] = f'inline; filename="{name}"'
    if not selectors.open_to_everyone(project):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def catalogue_json_ld(request: HttpRequest) -> HttpResponse:
    projects = selectors.with_card_data(selectors.listed_projects(request.user)).order_by("name")
    document = opendata.catalogue_json_ld(projects)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Vary"] = "Cookie"
    return response


@require_GET
def catalogue_csv(request: HttpRequest) -> HttpResponse:
    projects = selectors.with_card_data(selectors.listed_projects(request.user)).order_by("name")
    response = HttpResponse(
        opendata.catalogue_csv(projects), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="projets-{stamp}.csv"'
    response["Vary"] = "Cookie"
    return response


@csrf_exempt  # senders are other sites, and nothing here acts on the visitor's session
@require_http_methods(["GET", "POST"])
def webmention_endpoint(request: HttpRequest) -> HttpResponse:
    """POST source and target (form-encoded): 202 when queued, 400 when invalid, 429 when the
    sender has sent too many. GET shows a page explaining the endpoint."""
    if request.method == "GET":
        return render(
            request, "showcase/webmention.html", {"endpoint": request.build_absolute_uri()}
        )
    limit = webmentions.rate_limit()
    ip = client_ip(request)
    waiting = limit.seconds_left(ip=ip)
    if waiting:
        response = HttpResponse(
            too_many_attempts_message(waiting), status=429, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(waiting)
        return response
    limit.record(ip=ip)
    try:
        received = webmentions.receive(
            source=request.POST.get("source", ""),
            target=request.POST.get("target", ""),
            sender_ip=ip if ip != "unknown" else None,
            request_host=request.get_host(),
        )
    except webmentions.WebmentionRefused as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    message = (
        _("Update received: the source will be checked again.")
        if received.update
        else _("Webmention received: the source will be checked, then shown to the project's team.")
    )
    return JsonResponse({"status": "accepted", "message": message}, status=202)
