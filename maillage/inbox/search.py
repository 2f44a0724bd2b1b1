"""What the search index holds of questions (core.search): only questions published with their
answer, with the asker's consent, for everyone — never the asker's name or address, never a
question still in the inbox or a private answer."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from maillage.core import search
from maillage.inbox.models import Answer, AnswerKind, AnswerState, Question, QuestionState


def question_documents(question: Question) -> search.Document | None:
    if (
        not question.consent_public
        or question.published_at is None
        or question.state == QuestionState.SPAM
    ):
        return None
    public = [
        answer
        for answer in question.answers.all()
        if answer.kind == AnswerKind.PUBLIC and answer.state == AnswerState.SENT
    ]
    if not public:
        return None
    voices = ", ".join(dict.fromkeys(answer.voice.name for answer in public))
    return search.Document(
        title=question.subject,
        body="\n".join([question.body, *(search.plain_text(answer.body) for answer in public)]),
        tags=[question.topic.name] if question.topic is not None else [],
        language="fr",
        audience=search.Audience.PUBLIC,
        members=sorted({answer.voice.user_id for answer in public}),
        date=question.published_at,
        url=question.get_public_url(),
        subject=question.space.name,
        byline=voices,
    )


def indexed_questions() -> QuerySet[Question]:
    return Question.objects.select_related("space__institution", "topic").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("voice__user").order_by("pk"))
    )


search.register(
    Question, kind=search.Kind.QUESTION, documents=question_documents, queryset=indexed_questions
)


def index_question(question: Question) -> None:
    """Index the question as it is now in the database (its answers read afresh)."""
    fresh = indexed_questions().filter(pk=question.pk).first()
    if fresh is not None:
        search.index(fresh)
