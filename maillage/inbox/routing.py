"""Who knows best: a question's words against each voice's expertise tags and the questions they
answered before, with core.search's French analysis (accents folded, stopwords dropped, Snowball
stems: « squelettes » meets « squelette »).

Plain functions on plain data, so that a fixed set of questions and voices pins the behaviour:

- each expertise tag fully present in the question counts TAG_WEIGHT (a tag of several words
  counts the share of its words present);
- the questions a voice answered count up to HISTORY_WEIGHT: the cosine similarity between the
  question's terms and those of the nearest question they answered (idf over all of them);
- the best voice is assigned when its score reaches MIN_SCORE and leads the next one by
  LEAD_RATIO; otherwise the best few go to triage as a short list.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from maillage.core.search.analysis import terms

TAG_WEIGHT = 3.0
HISTORY_WEIGHT = 3.0
MIN_SCORE = 2.0
LEAD_RATIO = 1.5
SHORTLIST_SIZE = 3


@dataclass(frozen=True)
class Candidate:
    """A voice as routing sees it: its expertise tag names and the texts it answered."""

    voice_id: int
    expertise: tuple[str, ...] = ()
    answered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    voice_id: int
    score: float
    tags: tuple[str, ...] = ()
    history: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "voice": self.voice_id,
            "score": round(self.score, 2),
            "tags": list(self.tags),
            "history": round(self.history, 2),
        }


@dataclass(frozen=True)
class Proposal:
    """`winner` when the match is clear, else `shortlist` (best first) for triage."""

    scores: list[Score]
    winner: int | None = None
    shortlist: list[int] = field(default_factory=list)

    @property
    def matched_tags(self) -> tuple[str, ...]:
        best = next((s for s in self.scores if s.voice_id == self.winner), None)
        return best.tags if best is not None else ()


def tag_match(question_terms: set[str], tag: str) -> float:
    """Share of the tag's words found in the question (0 to 1)."""
    wanted = set(terms(tag))
    if not wanted:
        return 0.0
    return len(wanted & question_terms) / len(wanted)


def _vector(texts: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text))
    return {term: count * idf.get(term, 0.0) for term, count in counts.items()}


def _cosine(left: dict[str, float], right: dict[str, float]) -> float:
    dot = sum(value * right.get(term, 0.0) for term, value in left.items())
    if not dot:
        return 0.0
    norm = math.sqrt(sum(v * v for v in left.values())) * math.sqrt(
        sum(v * v for v in right.values())
    )
    return dot / norm if norm else 0.0


def _idf(candidates: Sequence[Candidate]) -> dict[str, float]:
    documents = [set(terms(text)) for c in candidates for text in c.answered]
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document)
    total = len(documents)
    return {term: math.log(1 + total / count) for term, count in frequency.items()}


def score_candidates(text: str, candidates: Sequence[Candidate]) -> list[Score]:
    """Every candidate's score for `text`, best first (ties: the lower voice id first)."""
    question_terms = set(terms(text))
    idf = _idf(candidates)
    question_vector = _vector([text], idf)
    scores = []
    for candidate in candidates:
        matched = []
        tag_score = 0.0
        for tag in candidate.expertise:
            share = tag_match(question_terms, tag)
            if share:
                tag_score += TAG_WEIGHT * share
                if share == 1:
                    matched.append(tag)
        history = 0.0
        if candidate.answered:
            nearest = max(_cosine(question_vector, _vector([t], idf)) for t in candidate.answered)
            history = HISTORY_WEIGHT * nearest
        scores.append(
            Score(
                voice_id=candidate.voice_id,
                score=tag_score + history,
                tags=tuple(matched),
                history=history,
            )
        )
    return sorted(scores, key=lambda s: (-s.score, s.voice_id))


def propose(text: str, candidates: Sequence[Candidate]) -> Proposal:
    """Assign when one voice clearly knows best, else propose a short list to triage."""
    scores = score_candidates(text, candidates)
    positive = [s for s in scores if s.score > 0]
    if positive:
        best = positive[0]
        runner_up = positive[1].score if len(positive) > 1 else 0.0
        if best.score >= MIN_SCORE and best.score >= LEAD_RATIO * runner_up:
            return Proposal(scores=scores, winner=best.voice_id)
    return Proposal(scores=scores, shortlist=[s.voice_id for s in positive[:SHORTLIST_SIZE]])
