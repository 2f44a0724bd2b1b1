"""Writing posts, their page (state, decision and reason), review, retry, repost, reactions."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core import review as core_review
from maillage.members.models import User
from maillage.voices import permissions, selectors, targets
from maillage.voices.connectors import connector_class
from maillage.voices.forms import PostForm, RejectForm, RepostForm, ReviewForm
from maillage.voices.models import Post, PostState, Reaction, Space
from maillage.voices.services import VoicesError, posts, publishing, review_notes
from maillage.voices.services.strategy import current_version
from maillage.voices.views.common import get_space, space_context, space_page


@space_page(permissions.is_member)
def home(request: HttpRequest, space: Space) -> HttpResponse:
    """A member's page of the space: posts (all for reviewers, one's own for a voice)."""
    user = cast(User, request.user)
    state = request.GET.get("etat", "")
    mine = request.GET.get("miens") == "1"
    page = Paginator(
        selectors.posts_for_member(space, user, state=state, mine=mine), selectors.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        **space_context(space, user),
        "page": page,
        "state": state,
        "mine": mine,
        "states": PostState.choices,
        "voice": space.voices.filter(user=user).first(),
        "held_count": space.posts.filter(state=PostState.HELD).count()
        if permissions.can_review(space, user)
        else 0,
    }
    return render(request, "voices/home.html", context)


def _channel_counters(channels: list[Any]) -> list[dict[str, Any]]:
    counters = []
    for channel in channels:
        connector = connector_class(channel.kind)
        counters.append(
            {
                "channel": channel,
                "limit": channel.max_length,
                "link_weight": connector.link_weight if connector else None,
            }
        )
    return counters


@require_http_methods(["GET", "POST"])
@space_page(permissions.can_write)
def edit(request: HttpRequest, space: Space, pk: int | None = None) -> HttpResponse:
    user = cast(User, request.user)
    voice = space.voices.select_related("user").get(user=user)
    post = get_object_or_404(space.posts, pk=pk) if pk else None
    if post is not None and not permissions.can_edit_post(post, user):
        raise PermissionDenied
    channels = posts.allowed_channels(voice)
    initial: dict[str, Any] = {}
    if post is not None:
        initial = {
            "text": post.text,
            "link": post.link,
            "image_alt": post.image_alt,
            "audience": post.audience,
            "key_message": post.key_message,
            "tone": post.tone,
            "tags": ", ".join(tag.name for tag in post.tags.all()),
            "channels": list(post.channels.all()),
            "scheduled_for": post.scheduled_for,
        }
    form = PostForm(
        request.POST or None, request.FILES or None, initial=initial, space=space, channels=channels
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = posts.save_draft(
                voice=voice,
                by=user,
                text=data["text"],
                channels=data["channels"],
                audience=data["audience"],
                key_message=data["key_message"],
                tone=data["tone"],
                tags=data["tags"],
                link=data["link"] or "",
                image=data["image"],
                image_alt=data["image_alt"],
                remove_image=data["remove_image"],
                scheduled_for=data["scheduled_for"],
                post=post,
            )
            if "submit" in request.POST:
                saved = posts.submit(post=saved, by=user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except VoicesError as error:
            form.add_error(None, error.message)
        else:
            if saved.state == PostState.DRAFT:
                messages.success(request, _("Draft saved."))
            return redirect(saved.get_absolute_url())
    context = {
        **space_context(space, user),
        "form": form,
        "post": post,
        "voice": voice,
        "counters": _channel_counters(channels),
        "version": current_version(space),
    }
    return render(request, "voices/post_form.html", context)


def detail(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    found = get_space(space)
    post = selectors.post_for(found, pk)
    if post is None or not permissions.can_see_post(post, request.user):
        raise Http404
    user = request.user
    record = selectors.review_record_for(post) if permissions.is_member(found, user) else None
    reacted = user.is_authenticated and Reaction.objects.filter(post=post, user=user).exists()
    context = {
        **space_context(found, user),
        "post": post,
        "record": record,
        "decision_text": core_review.describe_decision(post.review_action, post.review_reasons)
        if post.review_action and permissions.is_member(found, user)
        else "",
        "can_edit": permissions.can_edit_post(post, user),
        "can_submit": post.author_id == getattr(user, "pk", None)
        and post.state in (PostState.DRAFT, PostState.REJECTED),
        "can_retry": post.state == PostState.FAILED
        and (post.author_id == getattr(user, "pk", None) or permissions.can_repost(found, user)),
        "repost_form": RepostForm(channels=posts.institution_channels(found))
        if permissions.can_repost(found, user)
        and post.state == PostState.PUBLISHED
        and not post.is_repost
        else None,
        "reactions": post.reactions.count(),
        "reacted": reacted,
        "takes_comments": targets.on_site(post),
    }
    return render(request, "voices/post_detail.html", context)


@require_POST
@space_page(permissions.is_member)
def submit(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    post = get_object_or_404(space.posts, pk=pk)
    try:
        posts.submit(post=post, by=cast(User, request.user))
    except (VoicesError, ValidationError) as error:
        messages.error(request, str(getattr(error, "message", error)))
    return redirect(post.get_absolute_url())


@require_POST
@space_page(permissions.is_member)
def retry(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    post = get_object_or_404(space.posts, pk=pk)
    try:
        publishing.retry(post=post, by=cast(User, request.user))
        messages.success(request, _("Trying again."))
    except VoicesError as error:
        messages.error(request, error.message)
    return redirect(post.get_absolute_url())


@require_POST
@space_page(permissions.can_repost)
def repost(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    post = get_object_or_404(space.posts, pk=pk)
    form = RepostForm(request.POST, channels=posts.institution_channels(space))
    if form.is_valid():
        try:
            shared = posts.repost(
                post=post, by=cast(User, request.user), channels=form.cleaned_data["channels"]
            )
        except (VoicesError, ValidationError) as error:
            messages.error(request, str(getattr(error, "message", error)))
        else:
            messages.success(
                request, _("Shared on the institution’s channels, crediting the voice.")
            )
            return redirect(shared.get_absolute_url())
    else:
        messages.error(request, _("Choose at least one channel."))
    return redirect(post.get_absolute_url())


@require_POST
def react(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    found = get_space(space)
    post = get_object_or_404(found.posts, pk=pk, state=PostState.PUBLISHED)
    if not request.user.is_authenticated or not permissions.can_see_post(post, request.user):
        raise Http404
    reaction, created = Reaction.objects.get_or_create(post=post, user=request.user)
    if not created:
        reaction.delete()
    return redirect(post.get_absolute_url())


@space_page(permissions.can_review)
def queue(request: HttpRequest, space: Space) -> HttpResponse:
    context = {
        **space_context(space, request.user),
        "entries": selectors.review_queue(space),
        "review_form": ReviewForm(),
        "reject_form": RejectForm(),
    }
    return render(request, "voices/queue.html", context)


def _record_of(space: Space, pk: int) -> core_review.ReviewRecord:
    record = get_object_or_404(
        core_review.ReviewRecord.objects.select_related("content_type"), pk=pk
    )
    if (
        record.content_type.model_class() is not Post
        or not space.posts.filter(pk=record.object_id).exists()
    ):
        raise Http404
    return record


@require_POST
@space_page(permissions.can_review)
def approve(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    record = _record_of(space, pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        review_notes.approve(record=record, by=cast(User, request.user), note=note)
        messages.success(request, _("Approved: the post goes out at its time."))
    except core_review.ReviewError as error:
        messages.error(request, str(error))
    return redirect("voices:queue", space=space.slug)


@require_POST
@space_page(permissions.can_review)
def reject(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
    record = _record_of(space, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why: the author will read it."))
        return redirect("voices:queue", space=space.slug)
    try:
        core_review.reject(
            record=record, by=cast(User, request.user), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Not published: the author is told why."))
    except core_review.ReviewError as error:
        messages.error(request, str(error))
    return redirect("voices:queue", space=space.slug)
