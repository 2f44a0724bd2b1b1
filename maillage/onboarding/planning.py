"""From the questionnaire's answers to a personal path of a few first steps: a plain function on
plain data, so that the rule can be read and tested as a table.

The rule:
- practice steps are taken in turns: the first step of each practice chosen, then the second
  of each, and so on (a step two practices share is taken once);
- each objection felt adds a step "read what colleagues answer", at most `max_objections`;
- the path starts with something to do, then alternates doing and reading;
- when fewer than `min_steps` come out, steps for everyone fill it up, in their order;
- never more than `max_steps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal

MIN_STEPS = 3
MAX_STEPS = 5
MAX_OBJECTION_STEPS = 2


@dataclass(frozen=True)
class PlannedStep:
    """A first step to do (`kind` "step", its id) or an objection to read about ("objection")."""

    kind: Literal["step", "objection"]
    id: int

    @classmethod
    def step(cls, step_id: int) -> PlannedStep:
        return cls("step", step_id)

    @classmethod
    def objection(cls, objection_id: int) -> PlannedStep:
        return cls("objection", objection_id)


def _practice_steps_in_turns(practices: Sequence[Sequence[int]]) -> list[int]:
    taken: list[int] = []
    for turn in zip_longest(*practices):
        for step_id in turn:
            if step_id is not None and step_id not in taken:
                taken.append(step_id)
    return taken


def plan_path(
    *,
    practices: Sequence[Sequence[int]],
    objections: Sequence[int],
    for_everyone: Sequence[int],
    min_steps: int = MIN_STEPS,
    max_steps: int = MAX_STEPS,
    max_objections: int = MAX_OBJECTION_STEPS,
) -> list[PlannedStep]:
    """The path for these answers: `practices` gives, for each practice chosen (in the order
    shown), the ids of its steps in order; `objections` the ids of the objections felt;
    `for_everyone` the ids of the steps that may fill a short path."""
    doing = _practice_steps_in_turns(practices)
    reading = list(dict.fromkeys(objections))[: max(0, max_objections)]
    reading = reading[:max_steps]
    room_for_doing = max_steps - len(reading)
    doing = doing[:room_for_doing]

    planned: list[PlannedStep] = []
    for step_id, objection_id in zip_longest(doing, reading):
        if step_id is not None:
            planned.append(PlannedStep.step(step_id))
        if objection_id is not None:
            planned.append(PlannedStep.objection(objection_id))

    for step_id in for_everyone:
        if len(planned) >= min(min_steps, max_steps):
            break
        candidate = PlannedStep.step(step_id)
        if candidate not in planned:
            planned.append(candidate)
    return planned[:max_steps]
