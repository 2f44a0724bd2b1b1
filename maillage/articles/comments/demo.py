"""Demo comments on the report of the 26 March 2014 workshop: a thread with an answer, one
suggesting a link to go further, and a guest's comment held for review (it waits in the queue)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils.translation import gettext as _

from maillage.articles.comments.models import Comment, CommentStatus
from maillage.core.demo import register_demo_loader
from maillage.members import demo as members_demo
from maillage.members.models import User

PARIS = ZoneInfo("Europe/Paris")
REPORT_SLUG = "compte-rendu-atelier-26-mars-2014"


def _at(day: int, hour: int, minute: int) -> datetime:
    """In the days after the report was published (2 April 2014)."""
    return datetime(2014, 4, day, hour, minute, tzinfo=PARIS)


def load_comments() -> str | None:
    try:
        article_model = apps.get_model("articles", "Article")
    except LookupError:
        return None
    report = article_model._default_manager.filter(slug=REPORT_SLUG).first()
    if report is None:
        return None
    existing = Comment.objects.on(report)
    if existing.exists():
        return _("%(count)d comments") % {"count": existing.count()}
    emails = [member.email for member in members_demo.MEMBERS[1:3]]
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    first_author, second_author = (people.get(email) for email in emails)
    if first_author is None or second_author is None:
        return None

    first = Comment.objects.create(
        target=report,
        author=second_author,
        body=(
            "Merci pour ce compte-rendu fidèle. Ce qui m’a le plus marqué : l’idée que "
            "chaque agent peut devenir une *voix* de l’établissement, sans tout faire valider."
        ),
        status=CommentStatus.PUBLISHED,
        created_at=_at(2, 12, 10),
        published_at=_at(2, 12, 10),
    )
    Comment.objects.create(
        target=report,
        author=first_author,
        parent=first,
        thread=first,
        body=(
            "> chaque agent peut devenir une *voix* de l’établissement\n\n"
            "Pour aller plus loin, la charte d’usage des réseaux sociaux de la BnF montre "
            "comment poser un cadre : https://www.bnf.fr/"
        ),
        status=CommentStatus.PUBLISHED,
        created_at=_at(2, 14, 35),
        published_at=_at(2, 14, 35),
    )
    held = Comment.objects.create(
        target=report,
        guest_name="Élodie, bibliothécaire",
        guest_email="elodie.invitee@example.org",
        body="Est-ce que les supports de l’atelier seront mis en ligne ?",
        status=CommentStatus.HELD,
        created_at=_at(3, 18, 5),
    )
    try:
        from maillage.core import review

        decision = review.decide(kind="comment", author=None, text=held.body, guest=True)
        review.submit(
            content=held,
            kind="comment",
            author=None,
            decision=decision,
            guest_email=held.guest_email,
        )
    except ImportError:  # pragma: no cover - the review policy is part of core
        pass
    return _("%(count)d comments (one held for review)") % {"count": 3}


register_demo_loader("comments", load_comments, order=50)
