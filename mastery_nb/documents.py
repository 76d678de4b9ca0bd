"""Every document that crosses HTTP, as pydantic models: one module, dumped only at the edge.

The mastery service answers with these, the backends (:mod:`mastery_nb.backend`) return
them, the student's server extension passes them on to the sidebar, and the sidebar's
TypeScript types (``src/documents.ts``) are generated from them::

    python -m mastery_nb.documents --typescript > src/documents.ts

(``tests/test_documents.py`` fails when the committed file differs). Each top-level
document carries a ``kind`` tag (a ``Literal``), so a reader can tell an error from a
progress document without guessing; states and statuses are ``Literal`` unions too.

Times are ISO-8601 strings in UTC ending in ``Z`` (``mastery_nb.progress.standing.format_time``).
Learner-claimed data (practice events) is validated here for shape and size only: it is a
record of practice, never evidence of mastery.
"""

from __future__ import annotations

import argparse
import base64
import sys
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mastery_nb.identity import ID_RE

if __name__ == "__main__":  # `python -m mastery_nb.documents`: the module as imported, whose
    # instructor's documents (documents_staff) import it back
    import importlib

    raise SystemExit(importlib.import_module("mastery_nb.documents").main())

__all__ = [
    "DOCUMENTS",
    "AnswerPart",
    "AttemptDetail",
    "AttemptHistory",
    "AttemptStatus",
    "AttemptSummary",
    "Bin",
    "CellState",
    "CheckResult",
    "ClassPage",
    "ClassRow",
    "CourseEntry",
    "CourseList",
    "ErrorDocument",
    "FailureCount",
    "Feedback",
    "FeedbackCheck",
    "FeedbackObjective",
    "FileDocument",
    "Gradebook",
    "GradebookRow",
    "GradebookWide",
    "GraderInfo",
    "GradingProblem",
    "GradingStatus",
    "Health",
    "ItemReport",
    "ItemStat",
    "LearnerList",
    "LearnerRecord",
    "ManualGradeEntry",
    "ManualGradeReceipt",
    "ManualGradeRequest",
    "Need",
    "NeedReason",
    "NeedsReport",
    "NotebookPath",
    "ObjectiveColumn",
    "ObjectivePractice",
    "ObjectiveStanding",
    "ObjectiveSummary",
    "OverrideAction",
    "OverrideEntry",
    "OverrideReceipt",
    "OverrideRequest",
    "PlacementOutcome",
    "PlacementStanding",
    "PlacementUnit",
    "PracticeBatch",
    "PracticeEvent",
    "PracticeIngest",
    "PracticeStat",
    "PracticeSummary",
    "Progress",
    "QuestionPractice",
    "QueueCounts",
    "ReadinessCheck",
    "ResourceLink",
    "ReviewCell",
    "ReviewItem",
    "ReviewQueue",
    "ReviewSheet",
    "RevokeRequest",
    "RubricScore",
    "SolutionGate",
    "StartReceipt",
    "StartedUnit",
    "SubmitReadiness",
    "SubmitReceipt",
    "SubmitRequest",
    "UnitReport",
    "UnitStanding",
    "UnitState",
    "UnitSummary",
    "UnitTitle",
    "UnlockedUnit",
    "WaitingObjective",
    "typescript",
]

UnitState = Literal["locked", "unlocked", "in_progress", "grading", "mastered"]
#: queued (again, after a grader fault, while retries are left), being graded, graded;
#: grader-error: grading failed in the grader or its environment (uses no attempt)
AttemptStatus = Literal["queued", "grading", "graded", "grader-error"]
RefusalCode = Literal["locked", "cooldown", "attempt_limit"]
MasteredBy = Literal["attempts", "placement"]
PlacementState = Literal["available", "grading", "taken"]
Scoring = Literal["best", "latest"]
PracticeKind = Literal["check", "hint", "solution", "quiz"]
PracticeOutcome = Literal["correct", "incorrect", "not_attempted", "error"]
Role = Literal["learner", "teach", "grade"]

#: a practice event's text fields (ids, times) are at most this long
PRACTICE_TEXT_MAX = 200


class _Document(BaseModel):
    """Plain data: unknown keys are refused (a typo is an error, not silently dropped)."""

    model_config = ConfigDict(extra="forbid")

    def dump(self) -> dict[str, Any]:
        """The JSON-ready dict sent over HTTP (the one place a document becomes JSON)."""
        return self.model_dump(mode="json")


# ---------------------------------------------------------------- errors, health, courses
class ErrorDocument(_Document):
    """Every refusal: a sentence the learner can act on and a machine-readable code."""

    kind: Literal["error"] = "error"
    error: str
    code: str


class Health(_Document):
    kind: Literal["health"] = "health"
    status: Literal["ok"] = "ok"
    version: str


class CourseEntry(_Document):
    id: str
    title: str
    #: what the caller may do in this course
    roles: list[Role]


class CourseList(_Document):
    kind: Literal["courses"] = "courses"
    #: the caller's hub name
    user: str
    courses: list[CourseEntry]


class LearnerList(_Document):
    """The learners with any record in a course (course staff only)."""

    kind: Literal["learners"] = "learners"
    course: str
    learners: list[str]


# ---------------------------------------------------------------- progress
class ObjectiveStanding(_Document):
    id: str
    description: str = ""
    #: the score that counts under the unit's policy (0.0 before any grading)
    score: float
    threshold: float
    mastered: bool
    best_score: float = 0.0
    latest_score: float | None = None
    #: not mastered yet: answers graded by hand await review and could still master it
    awaiting_review: bool = False
    #: an instructor excused it: it does not block the unit
    excused: bool = False
    #: mastered because an instructor marked it so
    overridden: bool = False
    #: when the attempt that mastered it was submitted (or the instructor marked it)
    mastered_at: str | None = None


class WaitingObjective(_Document):
    unit: str
    objective: str


class NotebookPath(_Document):
    #: relative to the course folder (as in the manifest)
    path: str
    #: as the learner's file browser names it; None when not under the server's root
    server_path: str | None = None


class GradingProblem(_Document):
    """Grading of an attempt failed in the grader: never the learner's answers."""

    attempt: int
    #: given up (``grader-error``; the attempt does not count); else it will be retried
    final: bool
    #: for the learner: "grading failed, not your answers; ..."
    message: str
    #: for the instructor: what failed and the fix (learner-facing pages show ``message``)
    cause: str


class _AttemptsStanding(_Document):
    """What a unit's and a placement's standing share: attempts, cooldown, refusal."""

    attempts_used: int
    attempts_left: int | None
    max_attempts: int | None
    cooldown_until: str | None
    last_attempt: int | None
    last_status: str | None
    pending_attempts: list[int]
    can_submit: bool
    refusal: RefusalCode | None
    refusal_reason: str | None


class UnitStanding(_AttemptsStanding):
    id: str
    title: str
    description: str = ""
    state: UnitState
    mastered: bool
    requires: list[str]
    waits_for: list[str]
    waits_for_titles: list[str]
    waits_for_objectives: list[WaitingObjective]
    cooldown_seconds: int
    scoring: Scoring
    #: the latest attempt's grading failed in the grader (retried or given up), else None
    grading_problem: GradingProblem | None = None
    objectives: list[ObjectiveStanding]
    notebooks: list[NotebookPath]
    #: every notebook of the unit is in the learner's workspace, on the learner's current
    #: form (filled in by their server)
    started: bool = False
    #: the unit has parallel forms: each learner gets their own numbers and data
    forms: bool = False
    #: the learner's current form of the unit (a new one after a graded attempt that did
    #: not master it)
    form: int = 1
    #: how the unit was mastered: by its own attempts or by a placement (None: not mastered)
    mastered_by: MasteredBy | None = None
    #: the placement that mastered it, when ``mastered_by`` is "placement"
    placement: str | None = None
    #: an objective not yet mastered awaits grading by hand
    awaiting_review: bool = False
    #: when the unit was mastered (its last objective mastered or excused)
    mastered_at: str | None = None
    #: what an instructor changed for this learner, in words ("2 more attempts granted")
    notes: list[str] = []


class PlacementStanding(_AttemptsStanding):
    """A placement (test-out) notebook: the units it may place the learner out of, and how
    far it has."""

    id: str
    title: str
    description: str = ""
    #: the units it covers, and their titles
    units: list[str]
    unit_titles: list[str]
    state: PlacementState
    #: the units it has placed the learner out of (mastered by placement)
    placed: list[str]
    notebooks: list[NotebookPath]
    started: bool = False
    forms: bool = False
    form: int = 1
    #: its cooldown after each attempt (its own policy: the sidebar says it before the first)
    cooldown_seconds: int = 0
    #: the latest attempt's grading failed in the grader (retried or given up), else None
    grading_problem: GradingProblem | None = None


class GraderInfo(_Document):
    """Who grades this learner's submissions, and why it cannot when it cannot."""

    mode: Literal["in_process", "service", "external"]
    #: grading runs inside this Jupyter server (the single-machine demo)
    in_process: bool
    error: str | None = None


class Progress(_Document):
    """A learner's standing in every unit of a course (the sidebar's one request)."""

    kind: Literal["progress"] = "progress"
    course: str
    course_title: str
    student: str
    generated_at: str
    now: str
    #: the course folder as the learner's file browser names it (filled in by their server)
    workspace: str | None = None
    grading: GraderInfo
    units: list[UnitStanding]
    #: the course's placement (test-out) notebooks
    placements: list[PlacementStanding] = []
    #: the class dashboard, for the course's staff (None for learners)
    dashboard_url: str | None = None


# ---------------------------------------------------------------- start, submit
class FileDocument(_Document):
    """One released file of a unit: a path relative to the course folder and its bytes."""

    path: str
    #: the bytes, base64-encoded
    data: str

    @classmethod
    def of(cls, path: str, data: bytes) -> FileDocument:
        return cls(path=path, data=base64.b64encode(data).decode("ascii"))

    def content(self) -> bytes:
        return base64.b64decode(self.data.encode("ascii"), validate=True)


class StartReceipt(_Document):
    """What the backend hands over when a learner starts a unit: the files to work in."""

    kind: Literal["start"] = "start"
    course: str
    unit: str
    student: str
    notebooks: list[str]
    files: list[FileDocument]
    #: the learner's form these files are (None: the unit has no parallel forms)
    form: int | None = None


class StartedUnit(_Document):
    """What the learner's server did with a start receipt (never overwriting their work)."""

    kind: Literal["started"] = "started"
    unit: str
    copied: list[str]
    kept: list[str]
    notebooks: list[NotebookPath]
    #: the learner's form now in the workspace (None: the unit has no parallel forms)
    form: int | None = None
    #: notebooks of an earlier form moved aside to make room for this one: old path -> new
    moved: dict[str, str] = {}


class SubmitReceipt(_Document):
    """The attempt a submission queued (stored durably before this is sent)."""

    kind: Literal["submit"] = "submit"
    course: str
    unit: str
    student: str
    attempt: int
    status: AttemptStatus
    submitted_at: str
    attempts_used: int
    attempts_left: int | None
    cooldown_until: str | None
    #: notebook path -> sha256 of the stored bytes
    notebooks: dict[str, str]
    #: files ignored and notebooks missing, in words (neither refuses the attempt)
    notes: list[str] = []
    #: the learner's form the attempt was made on (it is graded as that form)
    form: int = 1


class SubmitRequest(_Document):
    """The body of a submission to the service: the unit's notebooks as the learner saved them."""

    kind: Literal["submit_request"] = "submit_request"
    files: list[FileDocument]


# ---------------------------------------------------------------- attempts, feedback
class AttemptSummary(_Document):
    number: int
    status: AttemptStatus
    submitted_at: str
    graded_at: str | None
    points: float | None
    max_points: float | None
    mastered: bool | None
    error: str | None
    form: int = 1


class AttemptHistory(_Document):
    kind: Literal["attempts"] = "attempts"
    course: str
    unit: str
    student: str
    attempts: list[AttemptSummary]


class ResourceLink(_Document):
    title: str
    href: str


class UnlockedUnit(_Document):
    id: str
    title: str


class RubricScore(_Document):
    """One criterion of a grade given by hand: what it asks and the points it got."""

    criterion: str = Field(min_length=1, max_length=300)
    points: float = Field(ge=0)
    max_points: float = Field(gt=0)


class LearnerErrorDocument(_Document):
    """An error the learner's own code raised while graded, said where it happened."""

    notebook: str
    cell: str | None
    #: where, in the learner's words ("your answer to Exercise 1.2", "a cell of the notebook")
    where: str
    message: str
    line: int | None
    #: the grade id of the check that ran after it (the check it may have broken)
    before: str | None


class PlacementUnit(_Document):
    """What a placement attempt showed about one unit it covers."""

    id: str
    title: str
    #: every objective of the unit reached its threshold in this attempt
    placed: bool
    #: mastered now (by this placement or otherwise)
    mastered: bool
    #: the unit's objectives this attempt did not reach: what to study
    to_study: list[str]


class PlacementOutcome(_Document):
    """A placement attempt's verdict per unit it covers, and where the learner starts."""

    units: list[PlacementUnit]
    #: the first units the learner can work on now (unlocked, not mastered)
    start_with: list[UnlockedUnit]


class FeedbackCheck(_Document):
    notebook: str
    grade_id: str
    objectives: list[str]
    points: float
    max_points: float
    status: str
    passed: bool
    #: the grader's message, with any line that would show a hidden test withheld
    message: str
    #: the check as the learner sees it: the exercise's heading (never the grade id alone)
    label: str = ""
    #: where a failing check failed: its visible part, a hidden test, or "" (unknown)
    part: Literal["visible", "hidden", ""] = ""
    #: what a failure means, in the learner's words (e.g. a bare ``assert`` that failed)
    explanation: str = ""
    #: the learner's own errors that ran before this check and may have broken it
    learner_errors: list[LearnerErrorDocument] = []
    #: an answer or task graded by hand (``status`` ``manual`` until it is, then ``reviewed``)
    graded_by_hand: bool = False
    #: graded by hand, not graded yet
    awaiting_review: bool = False
    #: the grader's comment (Markdown) and rubric, once graded by hand
    comment: str = ""
    rubric: list[RubricScore] = []


class FeedbackObjective(_Document):
    id: str
    description: str
    points: float
    max_points: float
    score: float
    threshold: float
    mastered: bool
    mastered_overall: bool
    standing_score: float
    failed_checks: list[str]
    remediation: list[ResourceLink]
    enrichment: list[ResourceLink]
    #: not decided yet: answers graded by hand await review
    awaiting_review: bool = False
    #: an instructor excused it
    excused: bool = False


class Feedback(_Document):
    """Feedback on one attempt (never the source of a hidden test)."""

    kind: Literal["feedback"] = "feedback"
    course: str
    course_title: str
    unit: str
    unit_title: str
    student: str
    attempt: int
    status: AttemptStatus
    submitted_at: str
    graded_at: str | None
    duration_seconds: float | None
    points: float | None
    max_points: float | None
    mastered: bool
    unit_mastered: bool
    scoring: Scoring
    objectives: list[FeedbackObjective]
    checks: list[FeedbackCheck]
    failed_checks: list[FeedbackCheck]
    unlocked: list[UnlockedUnit]
    messages: list[str]
    tampering: list[str]
    error: str | None
    #: grading of this attempt failed in the grader (retried or given up), else None
    grading_problem: GradingProblem | None = None
    attempts_used: int
    attempts_left: int | None
    max_attempts: int | None
    cooldown_until: str | None
    state: UnitState | PlacementState
    can_submit: bool
    refusal_reason: str | None
    latest_attempt: int | None
    #: every error the learner's own cells raised while graded
    learner_errors: list[LearnerErrorDocument] = []
    #: the form this attempt was made on, and the learner's form now (None: no forms)
    form: int | None = None
    current_form: int | None = None
    #: for a placement attempt: what it showed per unit, and where to start
    placement: PlacementOutcome | None = None
    #: answers graded by hand await review: mastery is decided once they are graded
    awaiting_review: bool = False


# ---------------------------------------------------------------- practice
class PracticeEvent(_Document):
    """One check, hint, solution view or quiz answer, as the learner's kernel logged it."""

    time: str = Field(min_length=1, max_length=PRACTICE_TEXT_MAX)
    course: str = Field(min_length=1, max_length=PRACTICE_TEXT_MAX)
    unit: str = Field(min_length=1, max_length=PRACTICE_TEXT_MAX)
    question: str = Field(min_length=1, max_length=PRACTICE_TEXT_MAX)
    objective: str | None = Field(default=None, max_length=PRACTICE_TEXT_MAX)
    event: PracticeKind
    outcome: PracticeOutcome | None = None

    @field_validator("unit", "question")
    @classmethod
    def _an_id(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(f"{value!r} is not a valid id")
        return value

    @field_validator("objective")
    @classmethod
    def _an_objective(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not ID_RE.match(value):
            raise ValueError(f"{value!r} is not a valid id")
        return value


class PracticeBatch(_Document):
    """Practice events sent to be stored; each is checked on its own (a bad one is named
    and skipped, the others stored)."""

    kind: Literal["practice_batch"] = "practice_batch"
    events: list[dict[str, Any]] = Field(max_length=10_000)


class PracticeIngest(_Document):
    """What became of posted practice events: stored, already on record, or rejected."""

    kind: Literal["practice_ingest"] = "practice_ingest"
    stored: int
    duplicates: int
    rejected: int
    #: over the rate limit, not stored now: send them again later
    deferred: int = 0
    #: why events were rejected (the first 20 reasons)
    problems: list[str]


class QuestionPractice(_Document):
    """One practice check or quiz of a unit, as the learner has tried it so far."""

    unit: str
    question: str
    objective: str | None
    event: Literal["check", "quiz"]
    tries: int
    #: tries that were correct
    correct: int
    #: the latest try's outcome (it says whether the check passes now)
    last_outcome: PracticeOutcome | None
    last_time: str


class PracticeSummary(_Document):
    """A learner's practice in a course: counts per objective and the latest events."""

    kind: Literal["practice_summary"] = "practice_summary"
    course: str
    student: str
    events: int
    #: objective id ("(none)" when the event named none) -> event kind or "correct" -> count
    objectives: dict[str, dict[str, int]]
    #: the most recent events, newest first (at most 100)
    latest: list[PracticeEvent]
    #: every check and quiz tried, by unit then question (the sidebar's practice per objective)
    questions: list[QuestionPractice] = []


class ReadinessCheck(_Document):
    """A practice check or quiz of the unit whose latest try did not pass."""

    question: str
    #: as the learner sees it in the notebook (the exercise's heading); "" when unknown
    label: str
    objective: str | None
    event: Literal["check", "quiz"]
    outcome: PracticeOutcome


class SubmitReadiness(_Document):
    """What the learner's server sees before a submission (the sidebar asks before it submits):
    answers still as released, practice that fails. Facts only; the sidebar decides whether
    to ask for confirmation (src/confirm.ts)."""

    kind: Literal["readiness"] = "readiness"
    unit: str
    #: answer cells and quizzes in the unit's notebooks, as saved in the workspace
    answers: int
    #: of those: answer cells still as released (nbgrader's checksum) and quizzes not answered
    untouched: int
    #: the unit's notebooks that are not in the workspace
    missing: list[str]
    #: checks and quizzes of the unit whose latest practice try failed
    failing: list[ReadinessCheck]
    #: why practice could not be read (the backend did not answer), else None
    practice_problem: str | None = None


# ---------------------------------------------------------------- grading, solutions
class QueueCounts(_Document):
    queued: int
    grading: int
    graded: int
    #: attempts whose grading failed in the grader for good (status ``grader-error``)
    grader_errors: int


class GradingStatus(_Document):
    kind: Literal["grading_status"] = "grading_status"
    course: str
    #: units of the asking learner with an attempt queued or being graded
    grading: list[str]
    queue: QueueCounts
    grader: GraderInfo


class SolutionGate(_Document):
    """May an ``after_mastery`` solution be shown to this learner (is the unit mastered)?"""

    kind: Literal["solution_gate"] = "solution_gate"
    course: str
    unit: str
    question: str
    unit_mastered: bool
    allowed: bool
    message: str


# ---------------------------------------------------------------- the instructor's side
# (mastery_nb/documents_staff.py: defined there on the models above, re-exported here)
from mastery_nb.documents_staff import (  # noqa: E402
    AnswerPart,
    AttemptDetail,
    Bin,
    CellState,
    CheckResult,
    ClassPage,
    ClassRow,
    FailureCount,
    Gradebook,
    GradebookRow,
    GradebookWide,
    ItemReport,
    ItemStat,
    LearnerRecord,
    ManualGradeEntry,
    ManualGradeReceipt,
    ManualGradeRequest,
    Need,
    NeedReason,
    NeedsReport,
    ObjectiveColumn,
    ObjectivePractice,
    ObjectiveSummary,
    OverrideAction,
    OverrideEntry,
    OverrideReceipt,
    OverrideRequest,
    PracticeStat,
    ReviewCell,
    ReviewItem,
    ReviewQueue,
    ReviewSheet,
    RevokeRequest,
    UnitReport,
    UnitSummary,
    UnitTitle,
)

#: every document type, in the order src/documents.ts lists them
DOCUMENTS: tuple[type[BaseModel], ...] = (
    ErrorDocument,
    Health,
    CourseList,
    LearnerList,
    Progress,
    StartReceipt,
    StartedUnit,
    SubmitRequest,
    SubmitReceipt,
    AttemptHistory,
    Feedback,
    PracticeEvent,
    PracticeBatch,
    PracticeIngest,
    PracticeSummary,
    SubmitReadiness,
    GradingStatus,
    SolutionGate,
    ClassPage,
    UnitReport,
    NeedsReport,
    ItemReport,
    LearnerRecord,
    Gradebook,
    GradebookWide,
    ReviewQueue,
    ReviewSheet,
    ManualGradeRequest,
    ManualGradeReceipt,
    OverrideRequest,
    RevokeRequest,
    OverrideReceipt,
)


# ---------------------------------------------------------------- TypeScript
def typescript(models: Iterable[type[BaseModel]] = DOCUMENTS) -> str:
    """TypeScript interfaces (``I<Model>``) for the documents and every model they use
    (:mod:`mastery_nb.documents_typescript`)."""
    from mastery_nb.documents_typescript import typescript as interfaces

    return interfaces(models)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mastery_nb.documents",
        description="Print the TypeScript types of the documents (src/documents.ts).",
    )
    parser.add_argument("--typescript", action="store_true", help="print src/documents.ts")
    args = parser.parse_args(argv)
    if not args.typescript:
        parser.print_help()
        return 2
    sys.stdout.write(typescript())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
