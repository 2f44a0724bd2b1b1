from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from maillage.articles.selectors import latest_articles_for
from maillage.core.tasks import queue_is_reachable
from maillage.events.selectors import next_events_for
from maillage.members.selectors import network_summary

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "summary": network_summary(),
        "next_events": next_events_for(request.user),
        "latest_articles": latest_articles_for(request.user),
    }
    return render(request, "core/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitors: the database and the queue answer."""
    checks = {"database": True, "queue": queue_is_reachable()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        checks["database"] = False
    if not checks["queue"]:
        logger.error("healthz: task queue unreachable")
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
