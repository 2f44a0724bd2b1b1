"""Emails about link suggestions: to the authors when one arrives, to its author when answered."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from maillage.articles.models import LinkSuggestion, SuggestionStatus
from maillage.core.mail import send_templated_email

SUGGESTION_EMAILS = {
    "suggestion_received": SuggestionStatus.PENDING,
    "suggestion_accepted": SuggestionStatus.ACCEPTED,
    "suggestion_declined": SuggestionStatus.DECLINED,
}


def send_suggestion_email(suggestion: LinkSuggestion, kind: str) -> int:
    """Send `kind` if the suggestion is still in the state it speaks of; how many were sent."""
    if SUGGESTION_EMAILS.get(kind) != suggestion.status:
        return 0
    article = suggestion.article
    context = {
        "suggestion": suggestion,
        "article": article,
        "article_url": article.canonical_url,
        "site_name": settings.SITE_NAME,
    }
    if kind == "suggestion_received":
        recipients = [
            (author.display_name, author.email) for author in article.authors.filter(is_active=True)
        ]
    elif suggestion.user_id is not None and suggestion.user_id == suggestion.decided_by_id:
        # Someone who answers their own suggestion (an author adding a link from their own
        # comment) knows the answer already.
        recipients = []
    else:
        recipients = [(suggestion.name, suggestion.email)] if suggestion.email else []
    # Members have no language preference yet: everyone reads the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        for name, email in recipients:
            send_templated_email(
                to=email,
                subject_template=f"articles/emails/{kind}_subject.txt",
                body_template=f"articles/emails/{kind}.txt",
                context={**context, "name": name},
            )
    return len(recipients)
