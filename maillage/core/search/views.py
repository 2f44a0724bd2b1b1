"""The results page (/recherche/): the whole page, or its results alone for htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

from maillage.core.search.engine import search
from maillage.core.search.forms import SearchForm


class HttpRequestWithHtmx(HttpRequest):
    htmx: HtmxDetails


def given_filters(query: QueryDict) -> QueryDict:
    """The filters a search was given, without its empty fields: what the results partial's page
    links and the pushed address carry."""
    given = QueryDict(mutable=True)
    for name, values in query.lists():
        given.setlist(name, [value for value in values if value])
    return given


def search_page(request: HttpRequestWithHtmx) -> HttpResponse:
    form = SearchForm(request.GET)
    wanted = form.values(request.GET.get("page"))
    results = None
    if wanted.text or wanted.tag:
        results = search(
            viewer=request.user,
            text=wanted.text,
            kinds=(wanted.kind,) if wanted.kind else (),
            tags=(wanted.tag,) if wanted.tag else (),
            date_from=wanted.since,
            date_to=wanted.until,
            page=wanted.page,
        )
    given = given_filters(request.GET)
    partial = bool(request.htmx and request.htmx.target == "search-results")
    context = {
        "form": form,
        "wanted": wanted,
        "results": results,
        "given": given,
        "partial": partial,
    }
    template = "core/search/_results.html" if partial else "core/search/search.html"
    response = render(request, template, context)
    if partial:
        query = given.urlencode()
        response["HX-Push-Url"] = f"{request.path}?{query}" if query else request.path
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
