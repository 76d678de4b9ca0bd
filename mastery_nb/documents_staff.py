"""The instructor's documents: the class dashboard, the gradebook, grades by hand, overrides.

Part of :mod:`mastery_nb.documents` (which re-exports every name here and lists them in
``DOCUMENTS``, so ``src/documents.ts`` has them too); kept in their own module so each
stays small. Course staff only: the mastery service's staff routes and pages answer them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mastery_nb.documents import (
    PRACTICE_TEXT_MAX,
    AttemptStatus,
    PracticeSummary,
    RubricScore,
    UnitStanding,
    _Document,
)

#: a learner's standing on one objective, as the class dashboard colours it
CellState = Literal[
    "mastered", "awaiting_review", "in_progress", "struggling", "not_started", "excused"
]
OverrideAction = Literal["extra_attempts", "lift_cooldown", "excuse", "mark_mastered", "reopen"]
NeedReason = Literal[
    "awaiting_review", "grader_error", "out_of_attempts", "stuck", "repeating", "idle"
]


class UnitTitle(_Document):
    id: str
    title: str


class ObjectiveColumn(_Document):
    unit: str
    id: str
    description: str
    threshold: float


class ClassRow(_Document):
    """One learner in the heatmap: a state and a score per column of the page."""

    learner: str
    groups: list[str]
    states: list[CellState]
    scores: list[float]
    mastered: int
    struggling: int
    awaiting_review: int
    last_active: str | None


class ClassPage(_Document):
    """One page of the learners x objectives heatmap (course staff only)."""

    kind: Literal["class"] = "class"
    course: str
    course_title: str
    generated_at: str
    #: learners in the class, and those matching the filters
    learners: int
    matching: int
    offset: int
    limit: int
    sort: str
    unit: str | None
    group: str | None
    state: CellState | None
    search: str
    units: list[UnitTitle]
    groups: list[str]
    columns: list[ObjectiveColumn]
    #: cells per state over the matching learners and the columns shown
    totals: dict[str, int]
    rows: list[ClassRow]


class Bin(_Document):
    label: str
    count: int


class ObjectiveSummary(_Document):
    id: str
    description: str
    mastered: int
    awaiting_review: int
    struggling: int


class UnitSummary(_Document):
    id: str
    title: str
    locked: int
    unlocked: int
    #: attempted and not mastered (grading and awaiting review included)
    attempted: int
    awaiting_review: int
    mastered: int
    attempts_to_mastery: list[Bin]
    days_to_mastery: list[Bin]
    median_attempts: float | None
    median_days: float | None
    objectives: list[ObjectiveSummary]


class UnitReport(_Document):
    kind: Literal["units"] = "units"
    course: str
    course_title: str
    generated_at: str
    learners: int
    units: list[UnitSummary]


class Need(_Document):
    """A learner who needs the instructor now, and why, in words."""

    learner: str
    reason: NeedReason
    unit: str | None
    detail: str
    #: since when (the latest submission, the last activity), if it matters
    since: str | None


class NeedsReport(_Document):
    kind: Literal["needs"] = "needs"
    course: str
    generated_at: str
    learners: int
    #: the rules' numbers: attempts for "stuck", repeats, idle days
    rules: dict[str, int]
    counts: dict[str, int]
    needs: list[Need]


class FailureCount(_Document):
    message: str
    count: int


class ItemStat(_Document):
    """One check (an autograded test cell, hidden tests included) or answer graded by hand,
    across the class. Never the source of a hidden test."""

    notebook: str
    grade_id: str
    label: str
    objectives: list[str]
    item: Literal["test", "manual"]
    #: the test cell has hidden tests
    hidden: bool
    points: float
    #: learners with a graded attempt of the unit
    learners: int
    #: of them, failing it on their first graded attempt, and of those in a hidden test
    first_failed: int
    first_failed_hidden: int
    #: learners who passed it on some attempt, and on which of their graded attempts
    passed: int
    attempts_to_pass: list[Bin]
    failures: list[FailureCount]


class PracticeStat(_Document):
    question: str
    objective: str | None
    #: learners who tried it, and who got it right at least once
    learners: int
    correct: int
    events: int


class ObjectivePractice(_Document):
    objective: str
    #: learners who practised this objective, who submitted its unit, and both
    practised: int
    submitted: int
    practised_and_submitted: int


class ItemReport(_Document):
    kind: Literal["items"] = "items"
    course: str
    generated_at: str
    unit: str
    unit_title: str
    units: list[UnitTitle]
    items: list[ItemStat]
    practice: list[PracticeStat]
    objectives: list[ObjectivePractice]


class CheckResult(_Document):
    notebook: str
    grade_id: str
    label: str
    status: str
    points: float
    max_points: float
    #: the grader's message, hidden test lines withheld
    message: str
    part: Literal["visible", "hidden", ""] = ""


class AttemptDetail(_Document):
    unit: str
    number: int
    status: AttemptStatus
    submitted_at: str
    graded_at: str | None
    points: float | None
    max_points: float | None
    mastered: bool | None
    awaiting_review: bool
    error: str | None
    checks: list[CheckResult]


class ManualGradeEntry(_Document):
    """A grade given by hand, as the audit trail keeps it."""

    unit: str
    attempt: int
    notebook: str
    grade_id: str
    points: float
    max_points: float
    comment: str
    rubric: list[RubricScore]
    grader: str
    graded_at: str


class OverrideEntry(_Document):
    """An override, as the audit trail keeps it (who, when, why; who revoked it)."""

    id: int
    action: OverrideAction
    unit: str
    objective: str | None
    amount: int | None
    reason: str
    author: str
    created_at: str
    active: bool
    revoked_at: str | None
    revoked_by: str | None
    revoke_reason: str | None


class LearnerRecord(_Document):
    """Everything about one learner in a course, for the course's staff."""

    kind: Literal["learner_record"] = "learner_record"
    course: str
    course_title: str
    learner: str
    groups: list[str]
    generated_at: str
    units: list[UnitStanding]
    attempts: list[AttemptDetail]
    practice: PracticeSummary
    overrides: list[OverrideEntry]
    manual_grades: list[ManualGradeEntry]


class GradebookRow(_Document):
    learner: str
    unit: str
    objective: str
    mastered: bool
    score: float
    threshold: float
    #: attempts used on the unit
    attempts: int
    mastered_at: str | None
    awaiting_review: bool
    excused: bool


class Gradebook(_Document):
    """One row per learner x objective (``mastery-nb gradebook``, the service, the dashboard)."""

    kind: Literal["gradebook"] = "gradebook"
    course: str
    generated_at: str
    rows: list[GradebookRow]


class GradebookWide(_Document):
    """One row per learner, a column per objective (``<unit>/<objective>``: 1 mastered, 0
    not, ``EX`` excused), for an LMS's gradebook import."""

    kind: Literal["gradebook_wide"] = "gradebook_wide"
    course: str
    generated_at: str
    columns: list[str]
    rows: list[list[str | int]]


class ReviewItem(_Document):
    """An answer or task waiting to be graded by hand."""

    learner: str
    unit: str
    unit_title: str
    attempt: int
    notebook: str
    grade_id: str
    label: str
    max_points: float
    submitted_at: str


class ReviewQueue(_Document):
    kind: Literal["reviews"] = "reviews"
    course: str
    generated_at: str
    total: int
    items: list[ReviewItem]


class AnswerPart(_Document):
    """A cell of the learner's answer, as they wrote it (hostile: render it escaped)."""

    cell_type: Literal["code", "markdown", "raw"]
    source: str
    #: text outputs of a code cell (stream and text/plain), shortened
    outputs: list[str]


class ReviewCell(_Document):
    notebook: str
    grade_id: str
    label: str
    task: bool
    #: the question as released (Markdown): a task's text, or the cells above an answer
    prompt: str
    objectives: list[str]
    max_points: float
    status: str
    answer: list[AnswerPart]
    #: why the answer cannot be shown (the stored notebook is missing), else None
    answer_problem: str | None
    grade: ManualGradeEntry | None
    history: list[ManualGradeEntry]
    #: the criteria last used for this cell in this course (a rubric to start from)
    rubric_template: list[RubricScore]


class ReviewSheet(_Document):
    """The answers graded by hand of one attempt, for grading them."""

    kind: Literal["review_sheet"] = "review_sheet"
    course: str
    learner: str
    unit: str
    unit_title: str
    attempt: int
    submitted_at: str
    status: AttemptStatus
    cells: list[ReviewCell]
    standing: UnitStanding


class ManualGradeRequest(_Document):
    """A grade by hand for one answer: points (or the sum of the rubric), a comment."""

    kind: Literal["manual_grade"] = "manual_grade"
    notebook: str = Field(min_length=1, max_length=512)
    grade_id: str = Field(min_length=1, max_length=255)
    points: float | None = Field(default=None, ge=0)
    comment: str = Field(default="", max_length=20_000)
    rubric: list[RubricScore] = Field(default=[], max_length=30)


class ManualGradeReceipt(_Document):
    kind: Literal["manual_grade_receipt"] = "manual_grade_receipt"
    grade: ManualGradeEntry
    #: the learner's standing on the unit now
    standing: UnitStanding


class OverrideRequest(_Document):
    kind: Literal["override_request"] = "override_request"
    action: OverrideAction
    unit: str = Field(min_length=1, max_length=PRACTICE_TEXT_MAX)
    objective: str | None = Field(default=None, max_length=PRACTICE_TEXT_MAX)
    amount: int | None = Field(default=None, ge=1, le=100)
    reason: str = Field(min_length=1, max_length=2_000)


class RevokeRequest(_Document):
    kind: Literal["revoke_request"] = "revoke_request"
    reason: str = Field(min_length=1, max_length=2_000)


class OverrideReceipt(_Document):
    kind: Literal["override"] = "override"
    override: OverrideEntry
    standing: UnitStanding
