"""The path drawn from the questionnaire's answers: the rule as a table."""

from __future__ import annotations

import pytest

from maillage.onboarding.planning import PlannedStep, plan_path

S = PlannedStep.step
O = PlannedStep.objection  # noqa: E741 - reads like the table's "O" column

CASES = [
    # (practices' steps, objections, steps for everyone) → path
    pytest.param([], [], [90, 91, 92, 93], [S(90), S(91), S(92)], id="nothing-chosen"),
    pytest.param([[1, 2]], [], [90], [S(1), S(2), S(90)], id="one-practice-filled-up"),
    pytest.param([[1, 2], [3, 4]], [], [90], [S(1), S(3), S(2), S(4)], id="practices-in-turns"),
    pytest.param(
        [[1, 2, 3], [4, 5, 6]],
        [],
        [90],
        [S(1), S(4), S(2), S(5), S(3)],
        id="never-more-than-five",
    ),
    pytest.param([[1, 2], [1, 3]], [], [90], [S(1), S(2), S(3)], id="a-shared-step-taken-once"),
    pytest.param(
        [[1, 2], [3]], [50], [90], [S(1), O(50), S(3), S(2)], id="doing-first-then-reading"
    ),
    pytest.param(
        [[1, 2, 3], [4, 5]],
        [50, 51, 52],
        [90],
        [S(1), O(50), S(4), O(51), S(2)],
        id="at-most-two-objections-and-room-kept-for-them",
    ),
    pytest.param([], [50], [90, 91], [O(50), S(90), S(91)], id="only-an-objection"),
    pytest.param([], [50, 50], [], [O(50)], id="no-filler-available"),
    pytest.param([[1]], [], [1, 90, 91], [S(1), S(90), S(91)], id="filler-not-repeated"),
    pytest.param([[]], [], [90, 91, 92], [S(90), S(91), S(92)], id="a-practice-without-steps"),
]


@pytest.mark.parametrize(("practices", "objections", "everyone", "expected"), CASES)
def test_plan_path(
    practices: list[list[int]], objections: list[int], everyone: list[int], expected: list
) -> None:
    assert plan_path(practices=practices, objections=objections, for_everyone=everyone) == expected


def test_limits_can_be_chosen() -> None:
    planned = plan_path(
        practices=[[1, 2, 3, 4]],
        objections=[50],
        for_everyone=[],
        max_steps=3,
        max_objections=1,
    )
    assert planned == [S(1), O(50), S(2)]
    assert plan_path(practices=[], objections=[], for_everyone=[9, 8], min_steps=1) == [S(9)]
