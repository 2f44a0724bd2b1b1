"""Pages anyone may read: the spaces, a space's voices and published posts, feeds, images."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from maillage.core.files import file_response
from maillage.voices import permissions, selectors
from maillage.voices.models import Post
from maillage.voices.views.common import get_space, space_context


def space_list(request: HttpRequest) -> HttpResponse:
    return render(request, "voices/space_list.html", {"spaces": selectors.spaces()})


def space_detail(request: HttpRequest, space: str) -> HttpResponse:
    found = get_space(space)
    page = Paginator(selectors.public_posts(found), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        **space_context(found, request.user),
        "page": page,
        "voices": selectors.public_voices(found),
    }
    return render(request, "voices/space_detail.html", context)


def voice_detail(request: HttpRequest, space: str, voice: str) -> HttpResponse:
    found = get_space(space)
    person = get_object_or_404(
        found.voices.select_related("user").prefetch_related("expertise", "channels"), slug=voice
    )
    if not person.public and not permissions.is_member(found, request.user):
        raise Http404
    page = Paginator(selectors.public_posts(found, voice=person), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {**space_context(found, request.user), "voice": person, "page": page}
    return render(request, "voices/voice_detail.html", context)


def post_image(request: HttpRequest, space: str, pk: int) -> FileResponse:
    found = get_space(space)
    post = get_object_or_404(Post.objects.select_related("space"), space=found, pk=pk)
    if not post.image or not permissions.can_see_post(post, request.user):
        raise Http404
    public = post.state == "published"
    return file_response(post.image, private=not public)
