"""Pages of the curated lists: the index, a list's page, making and editing a list, adding a page
to it (from the list or from a bookmark's page), ordering its items and noting them.

Every action is a plain form post that comes back to the list's page; with htmx, moving an item
replaces the list of items in place. `maillage.veille.lists` decides who sees and edits what.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.core.visibility import Visibility
from maillage.members.models import User
from maillage.veille import feeds, list_forms, lists
from maillage.veille.models import Bookmark, BookmarkList
from maillage.veille.urls_normalise import InvalidBookmarkURL


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


def _list_or_404(request: HttpRequest, slug: str) -> BookmarkList:
    bookmark_list = lists.list_for(request.user, slug)
    if bookmark_list is None:
        raise Http404(_("No list here."))
    return bookmark_list


def _editable_or_404(request: HttpRequest, slug: str) -> BookmarkList:
    bookmark_list = _list_or_404(request, slug)
    if not lists.can_edit_list(request.user, bookmark_list):
        raise PermissionDenied
    return bookmark_list


def _back_to(bookmark_list: BookmarkList, item_id: int | None = None) -> HttpResponse:
    url = bookmark_list.get_absolute_url()
    return redirect(f"{url}#item-{item_id}" if item_id else url)


# --- Reading ------------------------------------------------------------------------------------


def lists_index(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    all_lists = list(lists.lists_for(viewer))
    context = {
        "network_lists": [item for item in all_lists if item.is_network_list],
        "member_lists": [item for item in all_lists if not item.is_network_list],
        "can_create": lists.can_create_list(viewer),
        "feed_links": feeds.watch_feed_links(),
    }
    return render(request, "veille/list_index.html", context)


def _detail_context(
    request: HttpRequest, bookmark_list: BookmarkList, **extra: Any
) -> dict[str, Any]:
    can_edit = lists.can_edit_list(request.user, bookmark_list)
    context: dict[str, Any] = {
        "bookmark_list": bookmark_list,
        "items": list(lists.items_for(request.user, bookmark_list)),
        "can_edit": can_edit,
        "address_form": list_forms.ListAddressForm() if can_edit else None,
        "feed_links": feeds.list_feed_links(bookmark_list),
    }
    context.update(extra)
    return context


def list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bookmark_list = _list_or_404(request, slug)
    response = render(request, "veille/list_detail.html", _detail_context(request, bookmark_list))
    if bookmark_list.visibility != Visibility.PUBLIC:
        response["X-Robots-Tag"] = "noindex"
    return response


# --- Making, editing, deleting a list -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    if not lists.can_create_list(user):
        raise PermissionDenied
    form = list_forms.BookmarkListForm(
        request.POST or None, network_allowed=lists.can_keep_network_lists(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            bookmark_list = lists.create_list(by=user, content=form.content())
        except lists.ListError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The list is made: add pages to it."))
            return redirect(bookmark_list)
    return render(request, "veille/list_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def list_edit(request: HttpRequest, slug: str) -> HttpResponse:
    bookmark_list = _editable_or_404(request, slug)
    user = _member(request)
    form = list_forms.BookmarkListForm(
        request.POST or None,
        initial=list_forms.BookmarkListForm.initial_for(bookmark_list),
        network_allowed=lists.can_keep_network_lists(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lists.update_list(bookmark_list=bookmark_list, by=user, content=form.content())
        except lists.ListError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The list is saved."))
            return redirect(bookmark_list)
    context = {"form": form, "bookmark_list": bookmark_list, "creating": False}
    return render(request, "veille/list_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def list_delete(request: HttpRequest, slug: str) -> HttpResponse:
    bookmark_list = _editable_or_404(request, slug)
    if request.method == "POST":
        lists.delete_list(bookmark_list=bookmark_list, by=_member(request))
        messages.success(
            request,
            _("The list “%(title)s” is deleted; its bookmarks are still there.")
            % {"title": bookmark_list.title},
        )
        return redirect("veille:lists")
    return render(request, "veille/list_confirm_delete.html", {"bookmark_list": bookmark_list})


# --- Items --------------------------------------------------------------------------------------


@login_required
@require_POST
def list_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a page to the list by its address (the form on the list's page)."""
    bookmark_list = _editable_or_404(request, slug)
    form = list_forms.ListAddressForm(request.POST)
    if form.is_valid():
        try:
            added = lists.add_address_to_list(
                bookmark_list=bookmark_list,
                url=form.cleaned_data["url"],
                note=form.cleaned_data.get("note") or "",
                by=_member(request),
            )
        except (lists.ListError, InvalidBookmarkURL) as error:
            form.add_error("url", str(error))
        else:
            if added.created:
                messages.success(request, _("The page is added at the end of the list."))
            else:
                messages.info(request, _("This page was already in the list."))
            return _back_to(bookmark_list, added.item.pk)
    context = _detail_context(request, bookmark_list, address_form=form)
    return render(request, "veille/list_detail.html", context, status=400)


@login_required
@require_POST
def bookmark_add_to_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a bookmark to one of the viewer's lists (the form on the bookmark's page)."""
    user = _member(request)
    bookmark = Bookmark.objects.visible_to(user).filter(pk=pk).first()
    if bookmark is None:
        raise Http404(_("No bookmark here."))
    form = list_forms.AddToListForm(request.POST, lists=lists.editable_lists_for(user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your lists."))
        return redirect(bookmark)
    bookmark_list = form.cleaned_data["bookmark_list"]
    try:
        added = lists.add_to_list(
            bookmark_list=bookmark_list,
            bookmark=bookmark,
            by=user,
            note=form.cleaned_data.get("note") or "",
        )
    except lists.ListError as error:
        messages.error(request, str(error))
        return redirect(bookmark)
    link = {"title": bookmark_list.title}
    if added.created:
        messages.success(request, _("Added to the list “%(title)s”.") % link)
    else:
        messages.info(request, _("It was already in the list “%(title)s”.") % link)
    return redirect(bookmark)


def _items_response(
    request: HtmxHttpRequest, bookmark_list: BookmarkList, item_id: int, direction: str
) -> HttpResponse:
    if request.htmx:
        context = _detail_context(
            request, bookmark_list, focus_item=item_id, focus_direction=direction
        )
        response = render(request, "veille/_list_items.html", context)
    else:
        response = _back_to(bookmark_list, item_id)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def item_move(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    bookmark_list = _editable_or_404(request, slug)
    form = list_forms.MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        lists.move_item(
            bookmark_list=bookmark_list,
            item_id=pk,
            by=_member(request),
            direction=form.cleaned_data["direction"],
        )
    except lists.ListError as error:
        messages.error(request, str(error))
        return _back_to(bookmark_list)
    return _items_response(request, bookmark_list, pk, form.cleaned_data["direction"])


@login_required
@require_POST
def item_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bookmark_list = _editable_or_404(request, slug)
    try:
        lists.remove_from_list(bookmark_list=bookmark_list, item_id=pk, by=_member(request))
    except lists.ListError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed from the list (the bookmark itself is kept)."))
    return _back_to(bookmark_list)


@login_required
@require_POST
def item_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bookmark_list = _editable_or_404(request, slug)
    form = list_forms.ItemNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A note is one sentence: 300 characters at most."))
        return _back_to(bookmark_list, pk)
    try:
        lists.set_item_note(
            bookmark_list=bookmark_list,
            item_id=pk,
            by=_member(request),
            note=form.cleaned_data.get("note") or "",
        )
    except lists.ListError as error:
        messages.error(request, str(error))
        return _back_to(bookmark_list)
    messages.success(request, _("The note is saved."))
    return _back_to(bookmark_list, pk)
