"""Bookmark pages: the lists (mine, the network's, a member's, a tag's, to read) with their
filters and bulk edit, one bookmark's page, adding (by hand, by the bookmarklet, several at once),
editing and deleting. Selectors decide who sees what; services change things."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from maillage.core.files import file_response
from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.members.models import User
from maillage.veille import feeds, forms, selectors, services
from maillage.veille.models import Bookmark, BookmarkQuerySet, BookmarkSource
from maillage.veille.urls_normalise import InvalidBookmarkURL


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Messages ------------------------------------------------------------------------------------


def saved_message(saved: services.SavedBookmark) -> str:
    """What saving did, said to the person: kept, or merged into the bookmark already there."""
    if saved.created:
        return _("The page is kept in your bookmarks.")
    tags = ", ".join(saved.added_tags)
    if tags and saved.notes_added:
        return _(
            "You had already kept this page: the tags %(tags)s and your new notes were added to it."
        ) % {"tags": tags}
    if tags:
        return _("You had already kept this page: the tags %(tags)s were added to it.") % {
            "tags": tags
        }
    if saved.notes_added:
        return _("You had already kept this page: your new notes were added to it.")
    return _("You had already kept this page, with these tags and notes: nothing changed.")


def _bulk_message(action: str, result: services.BulkResult, form: forms.BulkEditForm) -> str:
    count = result.changed
    if action == forms.BulkAction.ADD_TAGS:
        return ngettext(
            "Tags added to %(count)s bookmark.", "Tags added to %(count)s bookmarks.", count
        ) % {"count": count}
    if action == forms.BulkAction.REMOVE_TAGS:
        return ngettext(
            "Tags removed from %(count)s bookmark.", "Tags removed from %(count)s bookmarks.", count
        ) % {"count": count}
    if action == forms.BulkAction.SET_VISIBILITY:
        level = Visibility(form.cleaned_data["bulk_visibility"]).label
        return ngettext(
            "%(count)s bookmark is now visible to: %(level)s.",
            "%(count)s bookmarks are now visible to: %(level)s.",
            count,
        ) % {"count": count, "level": str(level).lower()}
    return ngettext("%(count)s bookmark deleted.", "%(count)s bookmarks deleted.", count) % {
        "count": count
    }


def _refused_message(refused: int) -> str:
    return ngettext(
        "%(count)s ticked bookmark is not yours: it was left as it was.",
        "%(count)s ticked bookmarks are not yours: they were left as they were.",
        refused,
    ) % {"count": refused}


# --- The lists -----------------------------------------------------------------------------------


@dataclass
class ListPage:
    """What differs from one list page to another; the rest (filters, sort, pages, bulk edit)
    is shared."""

    name: str  # the URL's name, for the sub-navigation
    title: str
    lead: str
    empty: str
    bookmarks: BookmarkQuerySet
    owners: QuerySet[User] | None = None  # the member filter's choices; None: no such filter
    tag: Tag | None = None
    member: User | None = None


def _list_context(
    request: HttpRequest,
    page: ListPage,
    *,
    bulk_form: forms.BulkEditForm | None = None,
    notices: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    form = forms.BookmarkFilterForm(request.GET, owners=page.owners)
    filters = form.filters(fixed_tags=(page.tag.slug,) if page.tag else ())
    rows = selectors.filtered(page.bookmarks, filters)
    paginated = Paginator(rows, selectors.BOOKMARK_PAGE_SIZE).get_page(request.GET.get("page"))
    bookmarks = list(paginated)
    viewer = request.user
    chosen = filters.tags
    # The tags a person chose in the filters (a tag page's own tag is not one of them).
    extra_tags = tuple(slug for slug in chosen if not page.tag or slug != page.tag.slug)
    related = selectors.related_tags(rows, chosen=chosen, keep=extra_tags) if page.tag else []
    own_on_page = viewer.is_authenticated and any(b.owner_id == viewer.pk for b in bookmarks)
    return {
        "list_page": page,
        "form": form,
        "filters": filters,
        "page": paginated,
        "bookmarks": bookmarks,
        "filtered": bool(
            extra_tags or filters.owner or filters.since or filters.until or filters.text
        ),
        "related_tags": related,
        "can_bulk": own_on_page,
        "bulk_form": bulk_form or forms.BulkEditForm(),
        "selected_ids": set(bulk_form.ids) if bulk_form is not None else set(),
        "notices": notices,
        "list_url": request.path,
        "feed_links": _feed_links(page),
    }


def _feed_links(page: ListPage) -> list[feeds.FeedLink]:
    """The page's own feed (a tag's, a member's who shares publicly), then the shared watch's."""
    links: list[feeds.FeedLink] = []
    if page.tag is not None:
        links += feeds.tag_feed_links(page.tag)
    if page.member is not None and feeds.public_bookmarks().filter(owner=page.member).exists():
        links += feeds.member_feed_links(page.member)
    return links + feeds.watch_feed_links()


def _render_list(request: HtmxHttpRequest, page: ListPage, **extra: Any) -> HttpResponse:
    context = _list_context(request, page, **extra)
    template = "veille/_bookmark_list.html" if request.htmx else "veille/bookmark_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_page(request: HtmxHttpRequest, page: ListPage) -> HttpResponse:
    if request.method == "POST":
        return _bulk_edit(request, page)
    return _render_list(request, page)


def _bulk_edit(request: HtmxHttpRequest, page: ListPage) -> HttpResponse:
    """Apply a bulk action to the ticked bookmarks of the list, the viewer's own only. Without
    JavaScript the form posts here and comes back to the list; with htmx the list is swapped."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    owner = _member(request)
    form = forms.BulkEditForm(request.POST)
    if not form.is_valid():
        return _render_list(request, page, bulk_form=form)
    action = form.cleaned_data["action"]
    if action == forms.BulkAction.DELETE and not form.cleaned_data.get("confirm"):
        return _confirm_bulk_delete(request, page, form)
    if action == forms.BulkAction.ADD_TAGS:
        result = services.bulk_add_tags(
            owner=owner, ids=form.ids, tags=form.cleaned_data["tag_names"]
        )
    elif action == forms.BulkAction.REMOVE_TAGS:
        result = services.bulk_remove_tags(
            owner=owner, ids=form.ids, tags=form.cleaned_data["tag_names"]
        )
    elif action == forms.BulkAction.SET_VISIBILITY:
        result = services.bulk_set_visibility(
            owner=owner, ids=form.ids, visibility=form.cleaned_data["bulk_visibility"]
        )
    else:
        result = services.bulk_delete(owner=owner, ids=form.ids)
    notices: list[tuple[str, str]] = []
    if result.changed:
        notices.append(("success", _bulk_message(action, result, form)))
    if result.refused:
        notices.append(("error", _refused_message(result.refused)))
    if request.htmx:
        return _render_list(request, page, notices=tuple(notices))
    for level, text in notices:
        (messages.success if level == "success" else messages.error)(request, text)
    return redirect(request.get_full_path())


def _confirm_bulk_delete(
    request: HtmxHttpRequest, page: ListPage, form: forms.BulkEditForm
) -> HttpResponse:
    owner = _member(request)
    selected = list(selectors.own_bookmarks_among(owner, form.ids).order_by("-created_at", "-pk"))
    refused = len(set(form.ids)) - len(selected)
    if not selected:
        notices = (("error", _refused_message(refused)),)
        if request.htmx:
            return _render_list(request, page, notices=notices)
        messages.error(request, notices[0][1])
        return redirect(request.get_full_path())
    context = {
        "list_page": page,
        "selected": selected,
        "refused": refused,
        "refused_message": _refused_message(refused) if refused else "",
        "action_url": request.get_full_path(),
    }
    template = (
        "veille/_bulk_delete_confirm.html" if request.htmx else "veille/bulk_delete_confirm.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def shared_watch(request: HtmxHttpRequest) -> HttpResponse:
    bookmarks = selectors.shared_watch(request.user)
    page = ListPage(
        name="shared",
        title=_("Shared watch"),
        lead=_(
            "What members of the network keep and share: articles, tools, resources, with their "
            "notes and tags."
        ),
        empty=_("No bookmark matches these filters."),
        bookmarks=bookmarks,
        owners=selectors.owners_among(bookmarks),
    )
    return _list_page(request, page)


@login_required
@require_http_methods(["GET", "POST"])
def my_bookmarks(request: HtmxHttpRequest) -> HttpResponse:
    page = ListPage(
        name="mine",
        title=_("My bookmarks"),
        lead=_("Every page you kept, private ones included."),
        empty=_("No bookmark here yet: add one, or paste several addresses at once."),
        bookmarks=selectors.my_bookmarks(request.user),
    )
    return _list_page(request, page)


@login_required
@require_http_methods(["GET", "POST"])
def to_read(request: HtmxHttpRequest) -> HttpResponse:
    page = ListPage(
        name="to_read",
        title=_("To read"),
        lead=_("The pages you marked to read later."),
        empty=_("Nothing left to read."),
        bookmarks=selectors.to_read_bookmarks(request.user),
    )
    return _list_page(request, page)


@require_http_methods(["GET", "POST"])
def member(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk, is_active=True)
    page = ListPage(
        name="member",
        title=_("Bookmarks of %(name)s") % {"name": person.display_name},
        lead=_("What %(name)s keeps and shares.") % {"name": person.display_name},
        empty=_("No bookmark to show here."),
        bookmarks=selectors.member_bookmarks(request.user, person),
        member=person,
    )
    return _list_page(request, page)


@require_http_methods(["GET", "POST"])
def tag(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Tag, slug=slug)
    bookmarks = selectors.tag_bookmarks(request.user, topic)
    page = ListPage(
        name="tag",
        title=_("Tag: %(name)s") % {"name": topic.name},
        lead=_("Bookmarks tagged “%(name)s”, with the tags found beside it.")
        % {"name": topic.name},
        empty=_("No bookmark to show with this tag."),
        bookmarks=bookmarks,
        owners=selectors.owners_among(bookmarks),
        tag=topic,
    )
    return _list_page(request, page)


# --- One bookmark --------------------------------------------------------------------------------


def _bookmark_or_404(request: HttpRequest, pk: int) -> Bookmark:
    bookmark = selectors.bookmark_for(request.user, pk)
    if bookmark is None:
        raise Http404(_("No bookmark here."))
    return bookmark


def _own_or_404(request: HttpRequest, pk: int) -> Bookmark:
    """The bookmark for its owner; others get 403 (404 if they cannot see it)."""
    bookmark = _bookmark_or_404(request, pk)
    if bookmark.owner_id != request.user.pk:
        raise PermissionDenied
    return bookmark


def bookmark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bookmark = _bookmark_or_404(request, pk)
    is_owner = request.user.is_authenticated and bookmark.owner_id == request.user.pk
    context = {
        "bookmark": bookmark,
        "is_owner": is_owner,
        "others": selectors.others_who_kept(request.user, bookmark),
    }
    response = render(request, "veille/bookmark_detail.html", context)
    if bookmark.visibility != Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


def favicon(request: HttpRequest, pk: int) -> FileResponse:
    """The site's icon, stored when the page was read: never from a third-party service."""
    bookmark = _bookmark_or_404(request, pk)
    if not bookmark.favicon:
        raise Http404(_("No icon here."))
    return file_response(bookmark.favicon, private=bookmark.visibility != Visibility.PUBLIC)


@login_required
@require_http_methods(["GET", "POST"])
def bookmark_add(request: HttpRequest) -> HttpResponse:
    """The add form; the bookmarklet opens it with the page's address, title and selection."""
    if request.method == "POST":
        form = forms.AddBookmarkForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_bookmark(
                    owner=_member(request),
                    url=data["url"],
                    title=data["title"],
                    notes=data["notes"],
                    tags=data["tags"],
                    visibility=data["visibility"],
                    to_read=data["to_read"],
                    source=data["source"],
                )
            except InvalidBookmarkURL:
                form.add_error("url", _("Give a web address (http:// or https://)."))
            else:
                messages.success(request, saved_message(saved))
                return redirect(saved.bookmark)
    else:
        initial = {"visibility": Visibility.MEMBERS, **forms.prefill_from_bookmarklet(request.GET)}
        form = forms.AddBookmarkForm(initial=initial)
    from_bookmarklet = form["source"].value() == BookmarkSource.BOOKMARKLET
    return render(
        request, "veille/bookmark_form.html", {"form": form, "from_bookmarklet": from_bookmarklet}
    )


@login_required
@require_http_methods(["GET", "POST"])
def bookmark_paste(request: HttpRequest) -> HttpResponse:
    summary = None
    if request.method == "POST":
        form = forms.PasteBookmarksForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            summary = services.save_pasted_bookmarks(
                owner=_member(request),
                text=data["urls"],
                tags=data["tags"],
                visibility=data["visibility"],
                to_read=data["to_read"],
            )
            form = forms.PasteBookmarksForm(
                initial={"visibility": data["visibility"], "tags": data["tags"]}
            )
    else:
        form = forms.PasteBookmarksForm()
    return render(request, "veille/bookmark_paste.html", {"form": form, "summary": summary})


@login_required
@require_http_methods(["GET", "POST"])
def bookmark_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bookmark = _own_or_404(request, pk)
    if request.method == "POST":
        form = forms.BookmarkForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_bookmark(
                    bookmark=bookmark,
                    url=data["url"],
                    title=data["title"],
                    notes=data["notes"],
                    tags=data["tags"],
                    visibility=data["visibility"],
                    to_read=data["to_read"],
                )
            except InvalidBookmarkURL:
                form.add_error("url", _("Give a web address (http:// or https://)."))
            except services.BookmarkError as error:
                form.add_error("url", str(error))
            else:
                messages.success(request, _("The bookmark is saved."))
                return redirect(bookmark)
    else:
        form = forms.BookmarkForm(
            initial={
                "url": bookmark.url,
                "title": bookmark.title,
                "notes": bookmark.notes,
                "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
                "visibility": bookmark.visibility,
                "to_read": bookmark.to_read,
            }
        )
    return render(request, "veille/bookmark_form.html", {"form": form, "bookmark": bookmark})


@login_required
@require_http_methods(["GET", "POST"])
def bookmark_delete(request: HttpRequest, pk: int) -> HttpResponse:
    bookmark = _own_or_404(request, pk)
    if request.method == "POST":
        services.delete_bookmark(bookmark=bookmark, by=_member(request))
        messages.success(request, _("The bookmark is deleted."))
        return redirect("veille:mine")
    return render(request, "veille/bookmark_delete.html", {"bookmark": bookmark})


# --- The bookmarklet -----------------------------------------------------------------------------


def bookmarklet_code(add_url: str) -> str:
    """A javascript: link that opens our add page with the current page's address, title and
    selected text. It runs on the other site (our CSP does not apply there); our own pages need
    no inline script. Each value is cut (whole characters) so that the address stays within what
    servers accept in a request line (gunicorn: 4 KB)."""
    return (
        "javascript:(function(){"
        "var e=function(v,n){var a=Array.from(String(v||'')),r=encodeURIComponent(a.join(''));"
        "while(r.length>n){a=a.slice(0,Math.floor(a.length*0.8));r=encodeURIComponent(a.join(''));}"
        "return r;};"
        f"var u={json.dumps(add_url + '?source=bookmarklet')}"
        "+'&url='+e(location.href,2000)"
        "+'&title='+e(document.title,500)"
        "+'&text='+e(window.getSelection?window.getSelection():'',1000);"
        "if(!window.open(u,'maillage','width=720,height=800,resizable=yes,scrollbars=yes'))"
        "{location.href=u;}"
        "})();"
    )


def bookmarklet(request: HttpRequest) -> HttpResponse:
    add_url = request.build_absolute_uri(reverse("veille:add"))
    return render(
        request,
        "veille/bookmarklet.html",
        {"bookmarklet": bookmarklet_code(add_url), "add_url": add_url},
    )
