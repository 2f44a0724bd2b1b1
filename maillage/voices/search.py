"""What the search index holds of posts (core.search): published posts on the institution's
pages, for everyone; nothing else (drafts and held posts are never found)."""

from __future__ import annotations

from django.db.models import QuerySet

from maillage.core import search
from maillage.voices.models import ChannelKind, DeliveryState, Post, PostState


def post_documents(post: Post) -> search.Document | None:
    if post.state != PostState.PUBLISHED:
        return None
    on_site = any(
        delivery.channel.kind == ChannelKind.SITE and delivery.state == DeliveryState.PUBLISHED
        for delivery in post.deliveries.all()
    )
    if not on_site:
        return None
    voice = post.voice
    return search.Document(
        title=str(post),
        body="\n".join(part for part in (post.text, post.image_alt) if part),
        tags=[tag.name for tag in post.tags.all()],
        language="fr",
        audience=search.Audience.PUBLIC,
        owner_id=post.author_id,
        members=[voice.user_id],
        date=post.published_at or post.created_at,
        visible_from=post.published_at,
        url=post.get_absolute_url(),
        subject=post.space.name,
        byline=f"{voice.name}, {voice.title}",
    )


def indexed_posts() -> QuerySet[Post]:
    return Post.objects.select_related("space__institution", "voice__user").prefetch_related(
        "tags", "deliveries__channel"
    )


def index_post(post: Post) -> None:
    fresh = indexed_posts().filter(pk=post.pk).first()
    if fresh is not None:
        search.index(fresh)


search.register(Post, kind=search.Kind.POST, documents=post_documents, queryset=indexed_posts)
