"""Background jobs for articles: the emails about link suggestions.

Tasks take ids and re-read their rows; an email that no longer applies is not sent.
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from maillage.articles import notifications
from maillage.articles.models import LinkSuggestion


@db_task(retries=3, retry_delay=60)
def send_suggestion_email(suggestion_id: int, kind: str) -> None:
    suggestion = (
        LinkSuggestion.objects.select_related("article", "user").filter(pk=suggestion_id).first()
    )
    if suggestion is not None:
        notifications.send_suggestion_email(suggestion, kind)
