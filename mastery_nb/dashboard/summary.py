"""Each learner's part of the class pages, computed once per refresh, and the class's sums.

A :class:`LearnerSummary` holds everything the class pages need about one learner, already
decided (the state of every objective, per unit where they stand and what mastery took,
the needs that do not depend on the clock, the answers waiting for a grade, their part in
every item's statistics). :class:`Totals` adds those parts up for the class and is kept
up to date by taking a changed learner's old part out and the new one in, so a class of
10,000 learners is summed once, then only what changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from mastery_nb.course.model import Course
from mastery_nb.dashboard.facts import LearnerFacts
from mastery_nb.dashboard.rules import cell_state, standing_needs
from mastery_nb.documents import Need

__all__ = ["ItemPart", "ItemTotals", "LearnerSummary", "Totals", "UnitMark", "summarise"]

#: (notebook, grade id)
CellKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class UnitMark:
    category: str  #: locked, unlocked, attempted or mastered
    awaiting: bool
    mastered_attempt: int | None
    days: int | None  #: from unlocked to mastered
    objective_states: tuple[str, ...]
    submitted: bool  #: has a graded attempt


@dataclass(frozen=True, slots=True)
class ItemPart:
    """One learner's part in one item's statistics."""

    first_failed: bool
    first_hidden: bool
    passed_on: int | None
    failures: tuple[str, ...]


@dataclass(slots=True)
class LearnerSummary:
    states: tuple[str, ...]  #: per objective of the course, in course order
    scores: tuple[float, ...]
    units: dict[str, UnitMark]
    needs: list[Need]  #: the needs that do not depend on the clock
    open_units: tuple[str, ...]  #: unlocked or in progress (for "idle")
    #: (unit, attempt, notebook, grade id, points, submitted at) waiting for a grade by hand
    reviews: list[tuple[str, int, str, str, float, datetime]]
    items: dict[str, dict[CellKey, ItemPart]]  #: unit -> its cells
    #: (unit, question) -> (objective, events, correct)
    practice: dict[tuple[str, str], tuple[str | None, int, bool]]
    #: unit (None: the whole course) -> objectives (mastered, struggling, awaiting review),
    #: for sorting the heatmap
    counts: dict[str | None, tuple[int, int, int]]

    @property
    def mastered(self) -> int:
        return self.states.count("mastered")


def _available_at(facts: LearnerFacts, course: Course, unit_id: str) -> datetime | None:
    """When a unit opened for the learner: its prerequisites' mastery, or their start."""
    unit = course.unit(unit_id)
    assert unit is not None
    if not unit.requires:
        return facts.first_active
    times = [facts.standing[r].mastered_at for r in unit.requires if r in facts.standing]
    known = [t for t in times if t is not None]
    return max(known) if len(known) == len(unit.requires) else None


def summarise(facts: LearnerFacts, course: Course) -> LearnerSummary:
    states: list[str] = []
    scores: list[float] = []
    units: dict[str, UnitMark] = {}
    reviews = []
    items: dict[str, dict[CellKey, ItemPart]] = {}
    for unit in course.units:
        standing = facts.standing[unit.id]
        unit_states = tuple(cell_state(standing, o) for o in standing.objectives)
        states.extend(unit_states)
        scores.extend(round(o.score, 4) for o in standing.objectives)
        unit_facts = facts.units.get(unit.id)
        days = None
        if standing.mastered and standing.mastered_at is not None:
            opened = _available_at(facts, course, unit.id)
            days = max(0, (standing.mastered_at - opened).days) if opened else None
        category = (
            "mastered"
            if standing.mastered
            else "locked"
            if standing.state == "locked"
            else "unlocked"
            if standing.last_attempt is None
            else "attempted"
        )
        units[unit.id] = UnitMark(
            category=category,
            awaiting=standing.awaiting_review and not standing.mastered,
            mastered_attempt=standing.mastered_attempt if standing.mastered else None,
            days=days,
            objective_states=unit_states,
            submitted=bool(unit_facts and unit_facts.failures),
        )
        if unit_facts is None:
            continue
        graded = [a for a in unit_facts.attempts if a.status == "graded"]
        if graded:
            latest = graded[-1]
            reviews += [
                (unit.id, number, notebook, grade_id, points, latest.submitted_at)
                for number, notebook, grade_id, points in unit_facts.to_review
                if number == latest.number
            ]
        if unit_facts.cells:
            items[unit.id] = {
                key: ItemPart(
                    first_failed=cell.first_status not in ("passed", "manual", "reviewed"),
                    first_hidden=cell.first_part == "hidden"
                    and cell.first_status not in ("passed", "manual", "reviewed"),
                    passed_on=cell.passed_on,
                    failures=tuple(cell.failures),
                )
                for key, cell in unit_facts.cells.items()
            }
    return LearnerSummary(
        states=tuple(states),
        scores=tuple(scores),
        units=units,
        needs=standing_needs(facts, course),
        open_units=tuple(
            u.id
            for u in course.units
            if facts.standing[u.id].state in ("unlocked", "in_progress")
            and not facts.standing[u.id].mastered
        ),
        reviews=reviews,
        items=items,
        practice={k: (p.objective, p.events, p.correct) for k, p in facts.practice.items()},
        counts={
            **{u: _counts(m.objective_states) for u, m in units.items()},
            None: _counts(tuple(states)),
        },
    )


def _counts(states: tuple[str, ...]) -> tuple[int, int, int]:
    return (
        states.count("mastered"),
        states.count("struggling"),
        states.count("awaiting_review"),
    )


@dataclass
class ItemTotals:
    learners: int = 0
    first_failed: int = 0
    first_hidden: int = 0
    passed: int = 0
    attempts: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class Totals:
    """The class's sums of every learner's summary (see the module docstring)."""

    units: dict[str, Counter[str]] = field(default_factory=dict)
    attempts: dict[str, Counter[int]] = field(default_factory=dict)
    days: dict[str, Counter[int]] = field(default_factory=dict)
    objectives: dict[tuple[str, int], Counter[str]] = field(default_factory=dict)
    items: dict[tuple[str, str, str], ItemTotals] = field(default_factory=dict)
    #: (unit, question) -> [learners, correct, events]; objective of each question
    questions: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    question_objective: dict[tuple[str, str], str | None] = field(default_factory=dict)
    #: (unit, objective) -> learners who practised it, and of those who submitted the unit
    practised: Counter[tuple[str, str]] = field(default_factory=Counter)
    practised_submitted: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, summary: LearnerSummary, sign: int = 1) -> None:
        """Add a learner's part (``sign=-1``: take it out again)."""
        for unit_id, mark in summary.units.items():
            counts = self.units.setdefault(unit_id, Counter())
            counts[mark.category] += sign
            counts["awaiting_review"] += sign * int(mark.awaiting)
            counts["submitted"] += sign * int(mark.submitted)
            if mark.mastered_attempt is not None:
                self.attempts.setdefault(unit_id, Counter())[mark.mastered_attempt] += sign
            if mark.days is not None:
                self.days.setdefault(unit_id, Counter())[mark.days] += sign
            for index, state in enumerate(mark.objective_states):
                self.objectives.setdefault((unit_id, index), Counter())[state] += sign
        for unit_id, cells in summary.items.items():
            for (notebook, grade_id), part in cells.items():
                total = self.items.setdefault((unit_id, notebook, grade_id), ItemTotals())
                total.learners += sign
                total.first_failed += sign * int(part.first_failed)
                total.first_hidden += sign * int(part.first_hidden)
                if part.passed_on is not None:
                    total.passed += sign
                    total.attempts[part.passed_on] += sign
                for message in part.failures:
                    total.failures[message] += sign
        practised: set[tuple[str, str]] = set()
        for key, (objective, events, correct) in summary.practice.items():
            entry = self.questions.setdefault(key, [0, 0, 0])
            entry[0] += sign
            entry[1] += sign * int(correct)
            entry[2] += sign * events
            self.question_objective[key] = objective
            if objective:
                practised.add((key[0], objective))
        for unit_id, objective in practised:
            self.practised[(unit_id, objective)] += sign
            unit_mark = summary.units.get(unit_id)
            if unit_mark is not None and unit_mark.submitted:
                self.practised_submitted[(unit_id, objective)] += sign
