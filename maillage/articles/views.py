"""Pages for articles. Views stay thin: selectors read (and decide who sees what), services change
state, and a service's ArticleError is shown to the person as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.articles import forms, selectors, services
from maillage.articles.models import Article, ArticleStatus
from maillage.core.files import file_response
from maillage.core.ratelimit import RateLimit, client_ip, too_many_attempts_message
from maillage.events.attendance import recorded_attendance
from maillage.members.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def suggestion_limit() -> RateLimit:
    return RateLimit("link-suggestion", settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW)


def _article_or_404(request: HttpRequest, slug: str) -> Article:
    article = selectors.article_for(request.user, slug)
    if article is None:
        raise Http404(_("No article here."))
    return article


def _editable_or_404(request: HttpRequest, slug: str) -> Article:
    article = _article_or_404(request, slug)
    if not services.can_edit(request.user, article):
        raise PermissionDenied
    return article


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- The list ------------------------------------------------------------------------------------


def article_list(request: HtmxHttpRequest) -> HttpResponse:
    viewer = request.user
    form = forms.ArticleFilterForm(
        request.GET,
        tags=selectors.tags_in_use_for(viewer),
        authors=selectors.authors_in_use_for(viewer),
    )
    tag, author, kind = form.values()
    filters = selectors.ArticleFilters(tag=tag, author=author, kind=kind)
    articles = selectors.articles_for(viewer, filters)
    page = Paginator(articles, selectors.ARTICLE_PAGE_SIZE).get_page(request.GET.get("page"))
    cleaned = getattr(form, "cleaned_data", {})
    context = {
        "form": form,
        "page": page,
        "articles": list(page),
        "filtered": bool(tag or author or kind),
        "current_tag": cleaned.get("tag"),
        "current_author": cleaned.get("author"),
        "can_write": services.can_write(viewer),
        "drafts": list(selectors.drafts_of(viewer)[:10]) if not request.htmx else [],
    }
    template = (
        "articles/_article_list_results.html" if request.htmx else "articles/article_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The article page ----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, article: Article, **extra: Any) -> dict[str, Any]:
    viewer = request.user
    can_edit = services.can_edit(viewer, article)
    context: dict[str, Any] = {
        "article": article,
        "authors": list(article.authors.all()),
        "can_edit": can_edit,
        "can_publish": services.can_publish(viewer),
        "pending_suggestions": list(selectors.pending_suggestions(article)) if can_edit else [],
        "publish_form": forms.PublishForm(),
        "link_form": forms.FurtherLinkForm() if can_edit else None,
    }
    if "suggestion_form" not in extra:
        extra["suggestion_form"] = forms.LinkSuggestionForm(guest=not viewer.is_authenticated)
    if can_edit and "attachment_form" not in extra:
        extra["attachment_form"] = forms.NewAttachmentForm()
    if article.event is not None:
        context["attendance"] = recorded_attendance(article.event)
        context["can_correct_attendance"] = services.can_report_on(viewer, article.event)
    context.update(extra)
    return context


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    response = render(request, "articles/article_detail.html", _detail_context(request, article))
    if not selectors.open_to_everyone(article):
        response["X-Robots-Tag"] = "noindex"
    return response


def cover_image(request: HttpRequest, slug: str) -> FileResponse:
    """The cover image, for those who may read the article."""
    article = _article_or_404(request, slug)
    if not article.cover_image:
        raise Http404(_("No image here."))
    return file_response(article.cover_image, private=not selectors.open_to_everyone(article))


def attachment(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A file attached to the article, for those who may read the article."""
    article = _article_or_404(request, slug)
    found = next((item for item in article.attachments.all() if item.pk == pk), None)
    if found is None:
        raise Http404(_("No file here."))
    return file_response(
        found.file, private=not selectors.open_to_everyone(article), download_name=found.file_name
    )


# --- Writing -------------------------------------------------------------------------------------


def _content(form: forms.ArticleForm) -> services.ArticleContent:
    data = form.cleaned_data
    # Without a new upload the field gives back the stored file: only a new one replaces it.
    upload = data.get("cover_image")
    return services.ArticleContent(
        title=data["title"],
        summary=data.get("summary") or "",
        body=data["body"],
        tag_names=data.get("tag_names") or "",
        licence=data["licence"],
        language=data["language"],
        visibility=data["visibility"],
        event=data.get("event"),
        cover_image=upload if isinstance(upload, UploadedFile) else None,
        cover_alt=data.get("cover_alt") or "",
        remove_cover=bool(data.get("remove_cover")),
        authors=tuple(data.get("authors") or ()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not services.can_write(user):
        raise PermissionDenied
    events = selectors.events_to_report_on(user)
    form = forms.ArticleForm(request.POST or None, request.FILES or None, events=events)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.create_article(by=user, content=_content(form))
        except services.ArticleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect(article)
    form.initial.setdefault("authors", [user.pk])
    return render(request, "articles/article_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _editable_or_404(request, slug)
    user = _member(request)
    events = selectors.events_to_report_on(user)
    form = forms.ArticleForm(
        request.POST or None, request.FILES or None, instance=article, events=events
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_article(article=article, by=user, content=_content(form))
        except services.ArticleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The article is saved."))
            return redirect(article)
    return render(
        request, "articles/article_form.html", {"form": form, "article": article, "creating": False}
    )


# --- Transitions ---------------------------------------------------------------------------------


@login_required
@require_POST
def article_publish(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This date is not valid."))
        return redirect(article)
    try:
        services.publish_article(
            article=article, by=_member(request), at=form.cleaned_data.get("publish_at")
        )
    except services.ArticleError as error:
        messages.error(request, str(error))
    else:
        if article.is_scheduled:
            messages.success(request, _("The article is scheduled."))
        else:
            messages.success(request, _("The article is published."))
    return redirect(article)


def _transition(
    request: HttpRequest, slug: str, service: Callable[..., object], done: str
) -> HttpResponse:
    """Run a named transition of the article; its refusal or success is told on the page."""
    article = _article_or_404(request, slug)
    try:
        service(article=article, by=_member(request))
    except services.ArticleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(article)


@login_required
@require_POST
def article_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(
        request, slug, services.unpublish_article, _("The article is back to draft.")
    )


@login_required
@require_POST
def article_archive(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, services.archive_article, _("The article is archived."))


# --- Links to go further -------------------------------------------------------------------------


@login_required
@require_POST
def link_add(request: HttpRequest, slug: str) -> HttpResponse:
    article = _editable_or_404(request, slug)
    form = forms.FurtherLinkForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, article, link_form=form)
        return render(request, "articles/article_detail.html", context, status=400)
    services.add_further_link(article=article, by=_member(request), **form.cleaned_data)
    messages.success(request, _("The link is added."))
    return redirect(article)


@login_required
@require_POST
def link_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _editable_or_404(request, slug)
    link = get_object_or_404(article.further_links, pk=pk)
    services.remove_further_link(link=link, by=_member(request))
    messages.success(request, _("The link is removed."))
    return redirect(article)


# --- Attachments ---------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article = _editable_or_404(request, slug)
    form = forms.NewAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _detail_context(request, article, attachment_form=form)
        return render(request, "articles/article_detail.html", context, status=400)
    services.add_attachment(
        article=article,
        by=_member(request),
        title=form.cleaned_data.get("title") or "",
        file=form.cleaned_data["file"],
    )
    messages.success(request, _("The file is attached."))
    return redirect(article)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _editable_or_404(request, slug)
    found = get_object_or_404(article.attachments, pk=pk)
    services.remove_attachment(attachment=found, by=_member(request))
    messages.success(request, _("The file is removed."))
    return redirect(article)


@require_POST
def suggest_link(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    if article.status != ArticleStatus.PUBLISHED or not article.is_live:
        raise Http404(_("No article here."))
    guest = not request.user.is_authenticated
    form = forms.LinkSuggestionForm(request.POST, guest=guest)
    status = 400
    if form.is_valid():
        # Each suggestion sends an email to the authors: nobody may flood their inbox.
        identities = {"ip": client_ip(request)}
        identities["account"] = form.cleaned_data["email"] if guest else str(request.user.pk)
        wait = suggestion_limit().seconds_left(**identities)
        if wait:
            form.add_error(None, too_many_attempts_message(wait))
            status = 429
        else:
            suggestion_limit().record(**identities)
    if not form.is_valid():
        context = _detail_context(request, article, suggestion_form=form)
        return render(request, "articles/article_detail.html", context, status=status)
    data = form.cleaned_data
    services.suggest_link(
        article=article,
        url=data["url"],
        title=data.get("title") or "",
        note=data.get("note") or "",
        user=None if guest else _member(request),
        name=data.get("name") or "",
        email=data.get("email") or "",
    )
    messages.success(
        request, _("Thank you! The authors will read your suggestion and answer by email.")
    )
    return redirect(article)


@login_required
@require_POST
def suggestion_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _editable_or_404(request, slug)
    suggestion = get_object_or_404(article.suggestions, pk=pk)
    try:
        services.accept_suggestion(suggestion=suggestion, by=_member(request))
    except services.ArticleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The suggested link is added, with its author's name."))
    return redirect(article)


@login_required
@require_POST
def suggestion_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _editable_or_404(request, slug)
    suggestion = get_object_or_404(article.suggestions, pk=pk)
    form = forms.DeclineForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.decline_suggestion(suggestion=suggestion, by=_member(request), reason=reason)
    except services.ArticleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The suggestion is declined."))
    return redirect(article)
