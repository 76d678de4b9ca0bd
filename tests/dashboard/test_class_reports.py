"""The class dashboard's documents against what the seed made the class do.

The seed (:mod:`mastery_nb.dashboard.seed`) keeps what it intended: which learners it made
stuck, repeating a failure, out of attempts, idle or hit by a grader error, and how many
learners failed each check on their first attempt. These tests read the dashboard's
documents and compare them with that record, not with the dashboard's own arithmetic.
"""

from __future__ import annotations

from collections import Counter

import pytest
from class_kit import COURSE, NOW, SeededClass, seeded_class

from mastery_nb.backend.local import started_files
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.dashboard.course import CourseDashboard
from mastery_nb.dashboard.seed import _mastered
from mastery_nb.documents import ManualGradeRequest, OverrideRequest
from mastery_nb.gradebook import class_gradebook
from mastery_nb.store import open_store
from mastery_nb.store.practice import ingest_practice
from mastery_nb.submit import submit_attempt

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def dashboard(seeded: SeededClass) -> CourseDashboard:
    return CourseDashboard(seeded.root, COURSE)


def test_needs_you_now_lists_every_learner_the_seed_troubled(
    seeded: SeededClass, dashboard: CourseDashboard
) -> None:
    report = dashboard.needs(now=NOW)
    reasons: dict[str, set[str]] = {}
    for need in report.needs:
        reasons.setdefault(need.learner, set()).add(need.reason)
    for story, learners in seeded.plan.stories.items():
        assert learners, story
        for learner in learners:
            assert story in reasons.get(learner, set()), (story, learner, reasons.get(learner))
    assert report.counts["stuck"] >= len(seeded.plan.stories["stuck"])
    order = [n.reason for n in report.needs]
    assert order.index("grader_error") < order.index("idle"), "the most urgent first"
    for need in report.needs:
        assert need.detail and (need.unit or need.reason == "idle")


def test_item_statistics_match_the_seeded_failures(
    seeded: SeededClass, dashboard: CourseDashboard
) -> None:
    course = ReleasedCourse.of(seeded.root, COURSE).course()
    compared = 0
    for unit in course.units:
        report = dashboard.items(unit.id)
        assert report.unit == unit.id
        for item in report.items:
            key = (unit.id, item.notebook, item.grade_id)
            assert item.learners == seeded.plan.first_seen[key], key
            if item.item == "test":
                assert item.first_failed == seeded.plan.first_failed[key], key
                assert item.first_failed_hidden <= item.first_failed
                assert sum(b.count for b in item.attempts_to_pass) == item.passed
                compared += 1
            for failure in item.failures:
                assert failure.count > 0 and "BEGIN HIDDEN TESTS" not in failure.message
    assert compared > 50


def test_units_count_every_learner_once_and_mastery_as_the_seed_made_it(
    seeded: SeededClass, dashboard: CourseDashboard
) -> None:
    course = ReleasedCourse.of(seeded.root, COURSE).course()
    report = dashboard.units()
    assert report.learners == len(seeded.plan.learners)
    expected: Counter[str] = Counter()
    by_learner_unit: dict[tuple[str, str], list[bool]] = {}
    for attempt in seeded.plan.attempts:
        if attempt.result is not None:
            by_learner_unit.setdefault((attempt.learner, attempt.unit), []).append(
                _mastered(attempt.result)
            )
    for (_, unit_id), verdicts in by_learner_unit.items():
        unit = course.unit(unit_id)
        assert unit is not None
        mastered = verdicts[-1] if unit.policy.scoring == "latest" else any(verdicts)
        expected[unit_id] += int(mastered)
    for summary in report.units:
        total = summary.locked + summary.unlocked + summary.attempted + summary.mastered
        assert total == report.learners, summary.id
        assert summary.mastered == expected[summary.id], summary.id
        assert sum(b.count for b in summary.attempts_to_mastery) == summary.mastered
    assert report.units[0].locked == 0, "the first unit requires nothing"


def test_the_heatmap_filters_sorts_and_pages(dashboard: CourseDashboard) -> None:
    everyone = dashboard.class_page(limit=500)
    assert everyone.matching == everyone.learners == 200 == len(everyone.rows)
    assert sum(everyone.totals.values()) == 200 * len(everyone.columns)
    struggling = dashboard.class_page(state="struggling", limit=500)
    assert 0 < struggling.matching < 200
    assert all("struggling" in row.states for row in struggling.rows)
    unit = dashboard.class_page(unit="functions", limit=5)
    assert {c.unit for c in unit.columns} == {"functions"} and len(unit.rows[0].states) == 3
    ranked = dashboard.class_page(sort="-mastered", limit=500)
    counts = [row.mastered for row in ranked.rows]
    assert counts == sorted(counts, reverse=True)
    pages = [dashboard.class_page(offset=o, limit=60) for o in (0, 60, 120, 180)]
    names = [row.learner for p in pages for row in p.rows]
    assert names == sorted(names) and len(set(names)) == 200
    found = dashboard.class_page(search="00042")
    assert [row.learner for row in found.rows] == ["learner-00042"]


def test_the_gradebook_of_the_dashboard_is_the_gradebook_of_the_cli(
    seeded: SeededClass, dashboard: CourseDashboard
) -> None:
    ours = dashboard.gradebook().rows
    theirs = class_gradebook(seeded.root, COURSE).rows
    assert [r.model_dump() for r in ours] == [r.model_dump() for r in theirs]
    assert len(ours) == 200 * sum(
        len(u.objectives) for u in ReleasedCourse.of(seeded.root, COURSE).course().units
    )


def test_a_refresh_reads_only_what_changed_and_agrees_with_a_full_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Submissions, grades by hand, overrides and practice after the first read: the
    incremental snapshot and a fresh full read say the same, and only changed learners
    were read again."""
    small = seeded_class(tmp_path, 30, seed=3)
    root = small.root
    live = CourseDashboard(root, COURSE)
    before = live.class_page(limit=500)
    assert live.snapshot.full_reads == 1
    released = ReleasedCourse.of(root, COURSE)
    course = released.course()
    first = course.units[0]
    newcomer_files = {  # the newcomer's own form, as the panel's Start gives it
        f.path: f.content()
        for f in started_files(root, course, first, "newcomer", 1)
        if f.path in first.notebooks
    }
    submit_attempt(root, COURSE, course.units[0].id, "newcomer", newcomer_files)
    learner = small.plan.stories["out_of_attempts"][0]
    stuck_unit = next(a.unit for a in reversed(small.plan.attempts) if a.learner == learner)
    live.override(
        learner,
        OverrideRequest(action="extra_attempts", unit=stuck_unit, amount=2, reason="illness"),
        "prof",
    )
    waiting = live.reviews().items
    if waiting:
        item = waiting[0]
        live.grade(
            item.learner,
            item.unit,
            item.attempt,
            ManualGradeRequest(
                notebook=item.notebook, grade_id=item.grade_id, points=item.max_points
            ),
            "ta",
        )
    ingest_practice(
        open_store(root),
        course,
        "learner-00001",
        [
            {
                "time": "2026-12-01T10:00:00Z",
                "course": COURSE,
                "unit": course.units[0].id,
                "question": "late-practice",
                "objective": course.units[0].objectives[0].id,
                "event": "check",
                "outcome": "correct",
            }
        ],
    )
    live.snapshot.refresh(force=True)
    after = live.class_page(limit=500)
    assert after.learners == before.learners + 1, "the newcomer"
    assert live.snapshot.full_reads == 1, "never read in full again"
    fresh = CourseDashboard(root, COURSE)
    assert after.model_dump(exclude={"generated_at"}) == fresh.class_page(limit=500).model_dump(
        exclude={"generated_at"}
    )
    for report in ("units", "reviews", "gradebook"):
        assert getattr(live, report)().model_dump(exclude={"generated_at"}) == getattr(
            fresh, report
        )().model_dump(exclude={"generated_at"}), report
    for unit in course.units:
        assert live.items(unit.id).model_dump(exclude={"generated_at"}) == fresh.items(
            unit.id
        ).model_dump(exclude={"generated_at"}), unit.id
    needs = {(n.learner, n.reason) for n in live.needs(now=NOW).needs}
    assert (learner, "out_of_attempts") not in needs, "two more attempts were granted"
    assert needs == {(n.learner, n.reason) for n in fresh.needs(now=NOW).needs}
