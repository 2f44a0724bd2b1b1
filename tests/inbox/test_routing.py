"""Routing on a fixed set of questions and expertise: who each question goes to, or that it goes
to triage with a short list; what earlier answers teach; out-of-office voices skipped; passing a
question on counts a hop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.inbox import routing
from maillage.inbox.models import Assignment, Question, QuestionState, Routing
from maillage.inbox.services import NotAllowed, assignment
from maillage.inbox.services import questions as services
from tests.factories import AbsenceFactory, QuestionFactory
from tests.inbox.conftest import EXPERTISE, Museum

IDS = {"camille": 1, "lucie": 2, "yannick": 3, "thomas": 4}
CANDIDATES = [
    routing.Candidate(voice_id=IDS[key], expertise=tags)
    for key, (_n, _t, tags) in EXPERTISE.items()
]
NAMES = {number: key for key, number in IDS.items()}

# (question, who gets it, or None for triage with these in the short list)
FIXED_SET: list[tuple[str, str | None, list[str]]] = [
    ("J’ai trouvé un insecte bizarre dans mon jardin, pouvez-vous l’identifier ?", "camille", []),
    ("Vos INSECTES viennent-ils tous de Bretagne ?", "camille", []),
    ("Comment est monté le squelette de la baleine ?", "lucie", []),
    ("Qui restaure les os abîmés ? La restauration prend combien de temps ?", "lucie", []),
    ("Je voudrais numériser des herbiers comme bénévole", "yannick", []),
    ("Les sciences participatives, c’est quoi au muséum ?", "yannick", []),
    ("Proposez-vous des ateliers pour les familles pendant les vacances ?", "thomas", []),
    ("Peut-on organiser des visites guidées en anglais ?", "thomas", []),
    ("Quels sont vos horaires le dimanche ?", None, []),
    ("Peut-on réserver une visite pour une classe de CE2 ?", None, ["camille", "thomas"]),
    ("Un insecte a été retrouvé dans un squelette, que faire ?", None, ["camille", "lucie"]),
    ("Où se garer près du muséum ?", None, []),
]


@pytest.mark.parametrize(("text", "expected", "shortlist"), FIXED_SET)
def test_fixed_questions_go_to_the_expected_voice(
    text: str, expected: str | None, shortlist: list[str]
) -> None:
    proposal = routing.propose(text, CANDIDATES)
    winner = NAMES.get(proposal.winner) if proposal.winner else None
    assert winner == expected, [(NAMES[s.voice_id], s.score, s.tags) for s in proposal.scores]
    if expected is None:
        assert [NAMES[number] for number in proposal.shortlist] == shortlist
    else:
        assert proposal.shortlist == []
        assert proposal.matched_tags


def test_accents_plurals_and_case_are_folded_by_the_french_analyser() -> None:
    question_terms = set(routing.terms("Les SQUELETTES, l’ostéologie"))
    assert routing.tag_match(question_terms, "squelette") == 1
    assert routing.tag_match(question_terms, "Ostéologie") == 1
    assert routing.tag_match(question_terms, "sciences participatives") == 0
    assert routing.tag_match(set(routing.terms("des sciences")), "sciences participatives") == 0.5


def taught_to(key: str, answered: tuple[str, ...]) -> list[routing.Candidate]:
    return [
        routing.Candidate(c.voice_id, c.expertise, answered if c.voice_id == IDS[key] else ())
        for c in CANDIDATES
    ]


def test_questions_answered_before_settle_what_tags_leave_open() -> None:
    # « réserver une visite » touches Camille's « réserves » and Thomas' « visites »: a tie.
    text = "Peut-on réserver une visite pour une classe de CE2 ?"
    assert routing.propose(text, CANDIDATES).winner is None
    answered = (
        "Visite scolaire pour une classe de CM1 : comment réserver ?",
        "Réserver une visite de classe en juin",
        "Une classe de maternelle peut-elle venir en visite ?",
    )
    proposal = routing.propose(text, taught_to("thomas", answered))
    assert proposal.winner == IDS["thomas"]
    best = proposal.scores[0]
    assert best.history > 0 and best.tags == ("visites",)


def test_the_same_question_answered_before_routes_without_a_tag() -> None:
    answered = ("Quels sont vos horaires d’ouverture le dimanche ?", "Faut-il réserver ?")
    proposal = routing.propose(
        "Quels sont vos horaires le dimanche ?", taught_to("lucie", answered)
    )
    assert proposal.winner == IDS["lucie"]
    assert proposal.matched_tags == ()


def test_a_loosely_similar_answer_only_puts_its_voice_on_the_short_list() -> None:
    answered = (
        "Horaires d’ouverture les jours fériés et le dimanche",
        "Le muséum ouvre-t-il tôt ?",
    )
    proposal = routing.propose(
        "Quels sont vos horaires le dimanche ?", taught_to("lucie", answered)
    )
    assert proposal.winner is None
    assert proposal.shortlist == [IDS["lucie"]]


def test_no_candidate_means_triage_with_an_empty_list() -> None:
    proposal = routing.propose("Un insecte ?", [])
    assert proposal.winner is None and proposal.shortlist == [] and proposal.scores == []


# --- In the database: routing a question as it enters the inbox ------------------------------


def enter(museum: Museum, text: str, **fields: object) -> Question:
    question = QuestionFactory(
        space=museum.space, subject="", body=text, state=QuestionState.UNCONFIRMED, **fields
    )
    question.subject = text[:80]
    services._enter(question)
    question.refresh_from_db()
    return question


def test_a_clear_match_is_assigned_at_once_with_its_subject(museum: Museum) -> None:
    question = enter(museum, "Comment est monté le squelette de la baleine ?")
    assert question.state == QuestionState.ASSIGNED
    assert question.assignee == museum.lucie
    assert question.routing == Routing.DIRECT
    assert question.topic is not None and question.topic.name == "squelettes"
    step = Assignment.objects.get(question=question)
    assert step.kind == "routing" and step.by is None and not step.is_hop
    assert question.hops == 0
    assert question.deadline is not None and question.deadline > question.received_at


def test_an_unclear_question_waits_for_triage_with_its_short_list(museum: Museum) -> None:
    question = enter(museum, "Peut-on réserver une visite pour une classe de CE2 ?")
    assert question.state == QuestionState.NEW
    assert question.assignee is None and question.routing == ""
    assert question.shortlist == [museum.camille.pk, museum.thomas.pk]
    assert not Assignment.objects.filter(question=question).exists()


def test_an_out_of_office_voice_is_skipped(museum: Museum) -> None:
    AbsenceFactory(voice=museum.camille)
    question = enter(museum, "J’ai trouvé un insecte bizarre, pouvez-vous l’identifier ?")
    assert question.assignee is None and question.state == QuestionState.NEW
    assert all(score["voice"] != museum.camille.pk for score in question.scores)
    # Back in the office (the absence ended yesterday): she gets the next one.
    absence = museum.camille.inbox_absences.get()
    absence.starts_on = absence.ends_on = timezone.localdate() - timedelta(days=1)
    absence.save()
    assert enter(museum, "Encore un insecte dans ma cuisine").assignee == museum.camille


def test_a_question_asked_to_a_voice_goes_to_them_unless_they_are_away(museum: Museum) -> None:
    question = enter(museum, "Une question sur les herbiers", addressed_to=museum.thomas)
    assert question.assignee == museum.thomas and question.routing == Routing.ADDRESSED
    AbsenceFactory(voice=museum.thomas)
    question = enter(museum, "Une question sur les herbiers", addressed_to=museum.thomas)
    assert question.assignee == museum.yannick and question.routing == Routing.DIRECT


def test_passing_on_counts_a_hop_and_triage_giving_out_does_not(
    museum: Museum, committed: object
) -> None:
    question = enter(museum, "Peut-on réserver une visite pour une classe de CE2 ?")
    assignment.assign(question=question, voice=museum.camille, by=museum.editor)
    question.refresh_from_db()
    assert question.assignee == museum.camille and question.hops == 0
    assert question.routing == Routing.TRIAGE
    # Camille passes it to Thomas in one click: a hop.
    assignment.assign(
        question=question, voice=museum.thomas, by=museum.camille.user, note="Pour toi"
    )
    question.refresh_from_db()
    assert question.assignee == museum.thomas and question.hops == 1
    # Thomas hands it back to triage: another hop.
    assignment.release(question=question, by=museum.thomas.user)
    question.refresh_from_db()
    assert question.state == QuestionState.NEW and question.assignee is None
    assert question.hops == 2
    kinds = list(question.assignments.values_list("kind", "is_hop"))
    assert kinds == [("triage", False), ("reassign", True), ("release", True)]
    # Giving it to the same voice again changes nothing.
    assignment.assign(question=question, voice=museum.thomas, by=museum.editor)
    assignment.assign(question=question, voice=museum.thomas, by=museum.editor)
    question.refresh_from_db()
    assert question.hops == 2 and question.assignments.count() == 4


def test_who_may_give_out_and_pass_on(museum: Museum) -> None:
    question = enter(museum, "Quels sont vos horaires le dimanche ?")
    with pytest.raises(NotAllowed):  # a voice who does not hold it
        assignment.assign(question=question, voice=museum.lucie, by=museum.camille.user)
    with pytest.raises(NotAllowed):  # a reviewer is not triage
        assignment.assign(question=question, voice=museum.lucie, by=museum.reviewer)
    assignment.assign(question=question, voice=museum.lucie, by=museum.admin)
    question.refresh_from_db()
    with pytest.raises(NotAllowed):
        assignment.assign(question=question, voice=museum.thomas, by=museum.camille.user)
    assignment.assign(question=question, voice=museum.thomas, by=museum.lucie.user)
