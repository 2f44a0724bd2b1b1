"""Comment pages: post (htmx swaps the section; without JS, back to the page), edit, delete,
a guest's confirmation, unsubscribing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maillage.articles.comments import forms, links, selectors, services, targets
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.core.ratelimit import client_ip


def _target_or_404(request: HttpRequest, kind: str, object_id: int) -> Any:
    target = targets.target_by_key(kind, object_id)
    if target is None or not targets.can_see(request.user, target):
        raise Http404(_("No page here."))
    return target


def _section(request: HttpRequest, target: Any, **extra: Any) -> HttpResponse:
    context = {"target": target, **extra}
    response = HttpResponse(render_to_string("comments/_section.html", context, request))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def post(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    target = _target_or_404(request, kind, object_id)
    htmx = bool(getattr(request, "htmx", False))
    if not targets.open_to_comments(target):
        # A form left open in a tab while the article was archived: the section now says so.
        if htmx:
            return _section(request, target)
        messages.error(request, services.closed_message())
        return redirect(f"{target.get_absolute_url()}#comments")
    member = request.user.is_authenticated
    form: forms.MemberCommentForm = (
        forms.MemberCommentForm(request.POST) if member else forms.GuestCommentForm(request.POST)
    )
    if isinstance(form, forms.GuestCommentForm) and form.is_spam():
        # Answer as if it worked: a robot learns nothing from the reply.
        notice = _("Almost done: open the link we sent you by email to publish your comment.")
        if htmx:
            return _section(request, target, comment_notice=notice)
        messages.success(request, notice)
        return redirect(f"{target.get_absolute_url()}#comments")
    comment = None
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data.get("parent"):
            parent = Comment.objects.on(target).filter(pk=data["parent"]).first()
        try:
            comment = services.post_comment(
                target=target,
                author=request.user if member else None,
                guest_name=data.get("name", ""),
                guest_email=data.get("email", ""),
                body=data["body"],
                parent=parent,
                ip=client_ip(request),
            )
        except services.CommentError as error:
            form.add_error(None, str(error))
            status = error.status_code
    if comment is None:
        if htmx:
            return _section(request, target, comment_form=form)
        context = {"target": target, "comment_form": form}
        return render(request, "comments/form_page.html", context, status=status)
    if comment.status == CommentStatus.PENDING_EMAIL:
        notice = _(
            "Almost done: we sent an email to %(email)s. Open the link in it to publish "
            "your comment."
        ) % {"email": comment.guest_email}
        anchor = "comments"
    elif comment.status == CommentStatus.HELD:
        notice = _("Thank you. Your comment will appear once a moderator has read it.")
        anchor = comment.anchor
    else:
        notice = _("Your comment is published.")
        anchor = comment.anchor
    if htmx:
        return _section(request, target, comment_notice=notice)
    messages.success(request, notice)
    return redirect(f"{target.get_absolute_url()}#{anchor}")


def _own_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    if not selectors.comment_visible_to(request.user, comment):
        raise Http404(_("No comment here."))
    return comment


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment_or_404(request, pk)
    target = comment.target
    if target is None or not targets.open_to_comments(target):
        messages.error(request, services.closed_message())
        return redirect(comment.get_absolute_url())
    if not services.can_edit(request.user, comment, is_open=True):
        messages.error(request, _("A comment can be edited by its author within 15 minutes."))
        return redirect(comment.get_absolute_url())
    form = forms.EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except services.CommentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(comment.get_absolute_url())
    context = {"comment": comment, "target": comment.target, "form": form}
    return render(request, "comments/edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment_or_404(request, pk)
    if not services.can_delete(request.user, comment):
        raise Http404(_("No comment here."))
    if request.method == "POST":
        services.delete_comment(comment=comment, user=request.user)
        messages.success(request, _("The comment is deleted."))
        return redirect(f"{comment.target_url()}#comments")
    context = {"comment": comment, "target": comment.target}
    return render(request, "comments/delete.html", context)


@login_required
@require_POST
def propose_link(request: HttpRequest, pk: int) -> HttpResponse:
    """An author or a coordinator turns a link of a comment into a link to go further. With htmx
    the comment is swapped in place, saying what happened; without, back to the page."""
    comment = _own_comment_or_404(request, pk)
    refusal: services.CommentError | None = None
    try:
        link = links.add_shared_link(
            comment=comment, url=request.POST.get("url", ""), by=request.user
        )
    except services.CommentError as error:
        refusal, notice = error, str(error)
    else:
        notice = _("“%(title)s” is added to the links to go further, credited to %(name)s.") % {
            "title": link.title,
            "name": link.suggested_by_name,
        }
    if getattr(request, "htmx", False):
        target = comment.target
        item = selectors.shown_comment(comment, request.user)
        links.attach_shared_links([item], target, request.user)
        is_open = target is not None and targets.open_to_comments(target)
        context = {
            "item": item,
            "section": {"view": {"is_open": is_open}, "page_url": comment.target_url()},
            "link_notice": notice,
            "link_notice_ok": refusal is None,
        }
        # htmx swaps only successful answers: the refusal is a 200 too, told in the comment.
        response = render(request, "comments/_comment.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if refusal is None:
        messages.success(request, notice)
        return redirect(f"{comment.target_url()}#further-title")
    if isinstance(refusal, links.AlreadyThere):
        messages.info(request, notice)
    else:
        messages.error(request, notice)
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a guest's email: a page with a button (mail scanners follow links, and must
    not publish anything), then the comment goes to the review policy."""
    comment = services.comment_for_token(token)
    if comment is None:
        return render(request, "comments/confirm.html", {"invalid": True}, status=404)
    if request.method == "POST" and comment.status == CommentStatus.PENDING_EMAIL:
        try:
            comment = services.confirm_guest_comment(token=token)
        except services.CommentError as error:
            messages.error(request, str(error))
            return redirect(comment.target_url())
        if comment.status == CommentStatus.PUBLISHED:
            messages.success(request, _("Thank you: your comment is published."))
            return redirect(comment.get_absolute_url())
        messages.success(
            request, _("Thank you: your comment will appear once a moderator has read it.")
        )
        return redirect(f"{comment.target_url()}#comments")
    context = {"comment": comment, "target": comment.target}
    return render(request, "comments/confirm.html", context)


@csrf_exempt  # One-click unsubscribe (RFC 8058): mail clients POST without a form; the token is
@require_http_methods(["GET", "POST"])  # the proof, and unsubscribing twice changes nothing.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    from maillage.articles.comments.models import CommentSubscription

    subscription = get_object_or_404(CommentSubscription, token=token)
    if request.method == "POST":
        services.unsubscribe(token=token)
        subscription.refresh_from_db()
    context = {"subscription": subscription, "target": subscription.target}
    return render(request, "comments/unsubscribe.html", context)
