"""Links shared in comments on an article, turned into links to go further by its authors or a
coordinator and credited to the person who shared them.

The one who turns a link is the one who would answer a suggestion of it, so it is recorded as a
suggestion from the comment's author and accepted at once: the link appears with their name,
they hear of it by the usual email, and the authors' list of suggestions keeps the trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from maillage.articles import services as articles
from maillage.articles.comments import targets
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.articles.comments.services import CommentError, DiscussionClosed, closed_message
from maillage.articles.models import Article, FurtherLink, LinkSuggestion, SuggestionStatus
from maillage.core.db import lock_for_update, write_transaction
from maillage.core.text import render_markdown

NOTE_LENGTH = 200


class AlreadyThere(CommentError):
    """The address is among the links to go further, or waits as a suggestion: nothing to do."""

    status_code = 409


class LinkState:
    NEW = ""
    ADDED = "added"
    SUGGESTED = "suggested"


@dataclass(frozen=True)
class SharedLink:
    url: str
    # The link's own text, or its address when it is written bare.
    title: str
    state: str = LinkState.NEW


class _CommentReader(HTMLParser):
    """Reads a comment's rendered (sanitised) HTML: its web links with their text, and its own
    words for an excerpt. Quoted passages are someone else's words and links: both are left."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}
        self.words: list[str] = []
        self._quote_depth = 0
        self._href: str | None = None
        self._anchor_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self._quote_depth += 1
        elif tag == "a" and not self._quote_depth:
            href = (dict(attrs).get("href") or "").strip()
            self._href = href if href.startswith(("http://", "https://")) else None
            self._anchor_text = []
        elif tag in {"p", "br", "li"}:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag == "a" and self._href is not None:
            text = " ".join("".join(self._anchor_text).split())
            if text and text != self._href:
                self.words.append(text)
            self.links.setdefault(self._href, text or self._href)
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._quote_depth:
            return
        if self._href is not None:
            self._anchor_text.append(data)
        else:
            self.words.append(data)


def _read(comment: Comment) -> _CommentReader:
    reader = _CommentReader()
    reader.feed(render_markdown(comment.body))
    reader.close()
    return reader


def links_in(comment: Comment) -> list[SharedLink]:
    """The web addresses the comment itself gives (not those it quotes), first mention first."""
    return [SharedLink(url=url, title=title[:200]) for url, title in _read(comment).links.items()]


def excerpt_of(comment: Comment) -> str:
    """The comment's own words, without bare addresses, short enough for a link's note."""
    text = " ".join("".join(_read(comment).words).split())
    return Truncator(text).chars(NOTE_LENGTH)


def can_turn_links(viewer: Any, target: Any) -> bool:
    """Authors and coordinators turn links of an article's comments while it is open."""
    return (
        isinstance(target, Article)
        and targets.open_to_comments(target)
        and articles.can_edit(viewer, target)
    )


def _known_urls(article: Article) -> tuple[set[str], set[str]]:
    added = set(FurtherLink.objects.filter(article=article).values_list("url", flat=True))
    waiting = set(
        LinkSuggestion.objects.filter(article=article, status=SuggestionStatus.PENDING).values_list(
            "url", flat=True
        )
    )
    return added, waiting


def _state(url: str, added: set[str], waiting: set[str]) -> str:
    if url in added:
        return LinkState.ADDED
    if url in waiting:
        return LinkState.SUGGESTED
    return LinkState.NEW


def shared_links_for(article: Article, comments: Iterable[Comment]) -> dict[int, list[SharedLink]]:
    """For each published comment with links, its links and where each already is (two queries,
    whatever the number of comments)."""
    found = {
        comment.pk: links_in(comment)
        for comment in comments
        if comment.status == CommentStatus.PUBLISHED
    }
    found = {pk: links for pk, links in found.items() if links}
    if not found:
        return {}
    added, waiting = _known_urls(article)
    return {
        pk: [
            SharedLink(url=link.url, title=link.title, state=_state(link.url, added, waiting))
            for link in links
        ]
        for pk, links in found.items()
    }


def _already_there_message(state: str) -> str:
    if state == LinkState.ADDED:
        return _("This link is already among the links to go further.")
    return _("This link is already suggested: it waits for an answer among the suggestions.")


def add_shared_link(*, comment: Comment, url: str, by: Any) -> FurtherLink:
    """Turn a link of a published comment into a link to go further of its article, credited to
    the comment's author (a member, or a guest by the name they signed with).

    Raises articles.NotAllowed for anyone but the article's authors and the coordinators,
    AlreadyThere when the address is already listed or waiting, CommentError otherwise.
    """
    article = comment.target
    if not isinstance(article, Article):
        raise CommentError(_("Only links in comments on an article can go further."))
    if not articles.can_edit(by, article):
        raise articles.NotAllowed()
    if comment.status != CommentStatus.PUBLISHED:
        raise CommentError(_("Only the links of a published comment can go further."))
    if not targets.open_to_comments(article):
        raise DiscussionClosed(closed_message())
    shared = {link.url: link for link in links_in(comment)}
    link = shared.get(url.strip())
    if link is None:
        raise CommentError(_("This address is not in the comment."))
    guest = comment.author is None
    with write_transaction():
        # Two clicks at once (or two authors) wait for each other here, then see the first one.
        lock_for_update(Article.objects.filter(pk=article.pk)).get()
        state = _state(link.url, *_known_urls(article))
        if state != LinkState.NEW:
            raise AlreadyThere(_already_there_message(state))
        # suggest_link queues the authors' "a link is suggested" email; it is not sent, because
        # by then the suggestion is accepted. The comment's author gets the "added" email.
        suggestion = articles.suggest_link(
            article=article,
            url=link.url,
            title=link.title,
            note=excerpt_of(comment),
            user=comment.author,
            name=comment.guest_name if guest else "",
            email=comment.guest_email if guest else "",
        )
        return articles.accept_suggestion(suggestion=suggestion, by=by)


def attach_shared_links(view: Any, target: Any, viewer: Any) -> bool:
    """Give each shown comment of `view` its links when the viewer may turn them (a selectors
    CommentsView, or a list of ShownComment); tells whether the viewer may."""
    if not can_turn_links(viewer, target):
        return False
    items = (
        [item for thread in view.threads for item in (thread.first, *thread.replies)]
        if hasattr(view, "threads")
        else list(view)
    )
    shared = shared_links_for(target, [item.comment for item in items if not item.deleted])
    for item in items:
        item.shared_links = shared.get(item.comment.pk, [])
    return True
