"""Outsiders' refusals have a budget of their own that refills with time."""

from __future__ import annotations

from services.access import RefusalBudget


def test_a_spent_refusal_budget_refills_at_its_rate() -> None:
    now = [0.0]
    budget = RefusalBudget(per_second=2.0, burst=3, clock=lambda: now[0])
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]
    assert budget.dropped == 2
    now[0] += 0.5  # one refusal's worth
    assert [budget.take(), budget.take()] == [True, False]
    now[0] += 60  # refills to the burst, never beyond it
    assert sum(budget.take() for _ in range(10)) == 3
