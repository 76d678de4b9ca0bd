/**
 * The documents that cross HTTP between the sidebar, the learner's Jupyter server and the
 * mastery service. GENERATED from mastery_nb/documents.py: do not edit by hand; run
 *
 *     python -m mastery_nb.documents --typescript > src/documents.ts
 *
 * (a test fails when this file differs from what the Python models say).
 */

/** A cell of the learner's answer, as they wrote it (hostile: render it escaped). */
export interface IAnswerPart {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string;
  outputs: string[];
}

export interface IAttemptDetail {
  unit: string;
  number: number;
  status: 'queued' | 'grading' | 'graded' | 'grader-error';
  submitted_at: string;
  graded_at: string | null;
  points: number | null;
  max_points: number | null;
  mastered: boolean | null;
  awaiting_review: boolean;
  error: string | null;
  checks: ICheckResult[];
}

export interface IAttemptHistory {
  kind: 'attempts';
  course: string;
  unit: string;
  student: string;
  attempts: IAttemptSummary[];
}

export interface IAttemptSummary {
  number: number;
  status: 'queued' | 'grading' | 'graded' | 'grader-error';
  submitted_at: string;
  graded_at: string | null;
  points: number | null;
  max_points: number | null;
  mastered: boolean | null;
  error: string | null;
  form: number;
}

export interface IBin {
  label: string;
  count: number;
}

export interface ICheckResult {
  notebook: string;
  grade_id: string;
  label: string;
  status: string;
  points: number;
  max_points: number;
  message: string;
  part: 'visible' | 'hidden' | '';
}

/** One page of the learners x objectives heatmap (course staff only). */
export interface IClassPage {
  kind: 'class';
  course: string;
  course_title: string;
  generated_at: string;
  learners: number;
  matching: number;
  offset: number;
  limit: number;
  sort: string;
  unit: string | null;
  group: string | null;
  state: 'mastered' | 'awaiting_review' | 'in_progress' | 'struggling' | 'not_started' | 'excused' | null;
  search: string;
  units: IUnitTitle[];
  groups: string[];
  columns: IObjectiveColumn[];
  totals: Record<string, number>;
  rows: IClassRow[];
}

/** One learner in the heatmap: a state and a score per column of the page. */
export interface IClassRow {
  learner: string;
  groups: string[];
  states: ('mastered' | 'awaiting_review' | 'in_progress' | 'struggling' | 'not_started' | 'excused')[];
  scores: number[];
  mastered: number;
  struggling: number;
  awaiting_review: number;
  last_active: string | null;
}

export interface ICourseEntry {
  id: string;
  title: string;
  roles: ('learner' | 'teach' | 'grade')[];
}

export interface ICourseList {
  kind: 'courses';
  user: string;
  courses: ICourseEntry[];
}

/** Every refusal: a sentence the learner can act on and a machine-readable code. */
export interface IErrorDocument {
  kind: 'error';
  error: string;
  code: string;
}

export interface IFailureCount {
  message: string;
  count: number;
}

/** Feedback on one attempt (never the source of a hidden test). */
export interface IFeedback {
  kind: 'feedback';
  course: string;
  course_title: string;
  unit: string;
  unit_title: string;
  student: string;
  attempt: number;
  status: 'queued' | 'grading' | 'graded' | 'grader-error';
  submitted_at: string;
  graded_at: string | null;
  duration_seconds: number | null;
  points: number | null;
  max_points: number | null;
  mastered: boolean;
  unit_mastered: boolean;
  scoring: 'best' | 'latest';
  objectives: IFeedbackObjective[];
  checks: IFeedbackCheck[];
  failed_checks: IFeedbackCheck[];
  unlocked: IUnlockedUnit[];
  messages: string[];
  tampering: string[];
  error: string | null;
  grading_problem: IGradingProblem | null;
  attempts_used: number;
  attempts_left: number | null;
  max_attempts: number | null;
  cooldown_until: string | null;
  state: 'locked' | 'unlocked' | 'in_progress' | 'grading' | 'mastered' | 'available' | 'grading' | 'taken';
  can_submit: boolean;
  refusal_reason: string | null;
  latest_attempt: number | null;
  learner_errors: ILearnerErrorDocument[];
  form: number | null;
  current_form: number | null;
  placement: IPlacementOutcome | null;
  awaiting_review: boolean;
}

export interface IFeedbackCheck {
  notebook: string;
  grade_id: string;
  objectives: string[];
  points: number;
  max_points: number;
  status: string;
  passed: boolean;
  message: string;
  label: string;
  part: 'visible' | 'hidden' | '';
  explanation: string;
  learner_errors: ILearnerErrorDocument[];
  graded_by_hand: boolean;
  awaiting_review: boolean;
  comment: string;
  rubric: IRubricScore[];
}

export interface IFeedbackObjective {
  id: string;
  description: string;
  points: number;
  max_points: number;
  score: number;
  threshold: number;
  mastered: boolean;
  mastered_overall: boolean;
  standing_score: number;
  failed_checks: string[];
  remediation: IResourceLink[];
  enrichment: IResourceLink[];
  awaiting_review: boolean;
  excused: boolean;
}

/** One released file of a unit: a path relative to the course folder and its bytes. */
export interface IFileDocument {
  path: string;
  data: string;
}

/** One row per learner x objective (``mastery-nb gradebook``, the service, the dashboard). */
export interface IGradebook {
  kind: 'gradebook';
  course: string;
  generated_at: string;
  rows: IGradebookRow[];
}

export interface IGradebookRow {
  learner: string;
  unit: string;
  objective: string;
  mastered: boolean;
  score: number;
  threshold: number;
  attempts: number;
  mastered_at: string | null;
  awaiting_review: boolean;
  excused: boolean;
}

/** One row per learner, a column per objective (``<unit>/<objective>``: 1 mastered, 0 not, ``EX`` excused), for an LMS's gradebook import. */
export interface IGradebookWide {
  kind: 'gradebook_wide';
  course: string;
  generated_at: string;
  columns: string[];
  rows: ((string | number)[])[];
}

/** Who grades this learner's submissions, and why it cannot when it cannot. */
export interface IGraderInfo {
  mode: 'in_process' | 'service' | 'external';
  in_process: boolean;
  error: string | null;
}

/** Grading of an attempt failed in the grader: never the learner's answers. */
export interface IGradingProblem {
  attempt: number;
  final: boolean;
  message: string;
  cause: string;
}

export interface IGradingStatus {
  kind: 'grading_status';
  course: string;
  grading: string[];
  queue: IQueueCounts;
  grader: IGraderInfo;
}

export interface IHealth {
  kind: 'health';
  status: 'ok';
  version: string;
}

export interface IItemReport {
  kind: 'items';
  course: string;
  generated_at: string;
  unit: string;
  unit_title: string;
  units: IUnitTitle[];
  items: IItemStat[];
  practice: IPracticeStat[];
  objectives: IObjectivePractice[];
}

/** One check (an autograded test cell, hidden tests included) or answer graded by hand, across the class. Never the source of a hidden test. */
export interface IItemStat {
  notebook: string;
  grade_id: string;
  label: string;
  objectives: string[];
  item: 'test' | 'manual';
  hidden: boolean;
  points: number;
  learners: number;
  first_failed: number;
  first_failed_hidden: number;
  passed: number;
  attempts_to_pass: IBin[];
  failures: IFailureCount[];
}

/** An error the learner's own code raised while graded, said where it happened. */
export interface ILearnerErrorDocument {
  notebook: string;
  cell: string | null;
  where: string;
  message: string;
  line: number | null;
  before: string | null;
}

/** The learners with any record in a course (course staff only). */
export interface ILearnerList {
  kind: 'learners';
  course: string;
  learners: string[];
}

/** Everything about one learner in a course, for the course's staff. */
export interface ILearnerRecord {
  kind: 'learner_record';
  course: string;
  course_title: string;
  learner: string;
  groups: string[];
  generated_at: string;
  units: IUnitStanding[];
  attempts: IAttemptDetail[];
  practice: IPracticeSummary;
  overrides: IOverrideEntry[];
  manual_grades: IManualGradeEntry[];
}

/** A grade given by hand, as the audit trail keeps it. */
export interface IManualGradeEntry {
  unit: string;
  attempt: number;
  notebook: string;
  grade_id: string;
  points: number;
  max_points: number;
  comment: string;
  rubric: IRubricScore[];
  grader: string;
  graded_at: string;
}

export interface IManualGradeReceipt {
  kind: 'manual_grade_receipt';
  grade: IManualGradeEntry;
  standing: IUnitStanding;
}

/** A grade by hand for one answer: points (or the sum of the rubric), a comment. */
export interface IManualGradeRequest {
  kind: 'manual_grade';
  notebook: string;
  grade_id: string;
  points: number | null;
  comment: string;
  rubric: IRubricScore[];
}

/** A learner who needs the instructor now, and why, in words. */
export interface INeed {
  learner: string;
  reason: 'awaiting_review' | 'grader_error' | 'out_of_attempts' | 'stuck' | 'repeating' | 'idle';
  unit: string | null;
  detail: string;
  since: string | null;
}

export interface INeedsReport {
  kind: 'needs';
  course: string;
  generated_at: string;
  learners: number;
  rules: Record<string, number>;
  counts: Record<string, number>;
  needs: INeed[];
}

export interface INotebookPath {
  path: string;
  server_path: string | null;
}

export interface IObjectiveColumn {
  unit: string;
  id: string;
  description: string;
  threshold: number;
}

export interface IObjectivePractice {
  objective: string;
  practised: number;
  submitted: number;
  practised_and_submitted: number;
}

export interface IObjectiveStanding {
  id: string;
  description: string;
  score: number;
  threshold: number;
  mastered: boolean;
  best_score: number;
  latest_score: number | null;
  awaiting_review: boolean;
  excused: boolean;
  overridden: boolean;
  mastered_at: string | null;
}

export interface IObjectiveSummary {
  id: string;
  description: string;
  mastered: number;
  awaiting_review: number;
  struggling: number;
}

/** An override, as the audit trail keeps it (who, when, why; who revoked it). */
export interface IOverrideEntry {
  id: number;
  action: 'extra_attempts' | 'lift_cooldown' | 'excuse' | 'mark_mastered' | 'reopen';
  unit: string;
  objective: string | null;
  amount: number | null;
  reason: string;
  author: string;
  created_at: string;
  active: boolean;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface IOverrideReceipt {
  kind: 'override';
  override: IOverrideEntry;
  standing: IUnitStanding;
}

export interface IOverrideRequest {
  kind: 'override_request';
  action: 'extra_attempts' | 'lift_cooldown' | 'excuse' | 'mark_mastered' | 'reopen';
  unit: string;
  objective: string | null;
  amount: number | null;
  reason: string;
}

/** A placement attempt's verdict per unit it covers, and where the learner starts. */
export interface IPlacementOutcome {
  units: IPlacementUnit[];
  start_with: IUnlockedUnit[];
}

/** A placement (test-out) notebook: the units it may place the learner out of, and how far it has. */
export interface IPlacementStanding {
  attempts_used: number;
  attempts_left: number | null;
  max_attempts: number | null;
  cooldown_until: string | null;
  last_attempt: number | null;
  last_status: string | null;
  pending_attempts: number[];
  can_submit: boolean;
  refusal: 'locked' | 'cooldown' | 'attempt_limit' | null;
  refusal_reason: string | null;
  id: string;
  title: string;
  description: string;
  units: string[];
  unit_titles: string[];
  state: 'available' | 'grading' | 'taken';
  placed: string[];
  notebooks: INotebookPath[];
  started: boolean;
  forms: boolean;
  form: number;
  cooldown_seconds: number;
  grading_problem: IGradingProblem | null;
}

/** What a placement attempt showed about one unit it covers. */
export interface IPlacementUnit {
  id: string;
  title: string;
  placed: boolean;
  mastered: boolean;
  to_study: string[];
}

/** Practice events sent to be stored; each is checked on its own (a bad one is named and skipped, the others stored). */
export interface IPracticeBatch {
  kind: 'practice_batch';
  events: (Record<string, unknown>)[];
}

/** One check, hint, solution view or quiz answer, as the learner's kernel logged it. */
export interface IPracticeEvent {
  time: string;
  course: string;
  unit: string;
  question: string;
  objective: string | null;
  event: 'check' | 'hint' | 'solution' | 'quiz';
  outcome: 'correct' | 'incorrect' | 'not_attempted' | 'error' | null;
}

/** What became of posted practice events: stored, already on record, or rejected. */
export interface IPracticeIngest {
  kind: 'practice_ingest';
  stored: number;
  duplicates: number;
  rejected: number;
  deferred: number;
  problems: string[];
}

export interface IPracticeStat {
  question: string;
  objective: string | null;
  learners: number;
  correct: number;
  events: number;
}

/** A learner's practice in a course: counts per objective and the latest events. */
export interface IPracticeSummary {
  kind: 'practice_summary';
  course: string;
  student: string;
  events: number;
  objectives: Record<string, Record<string, number>>;
  latest: IPracticeEvent[];
  questions: IQuestionPractice[];
}

/** A learner's standing in every unit of a course (the sidebar's one request). */
export interface IProgress {
  kind: 'progress';
  course: string;
  course_title: string;
  student: string;
  generated_at: string;
  now: string;
  workspace: string | null;
  grading: IGraderInfo;
  units: IUnitStanding[];
  placements: IPlacementStanding[];
  dashboard_url: string | null;
}

/** One practice check or quiz of a unit, as the learner has tried it so far. */
export interface IQuestionPractice {
  unit: string;
  question: string;
  objective: string | null;
  event: 'check' | 'quiz';
  tries: number;
  correct: number;
  last_outcome: 'correct' | 'incorrect' | 'not_attempted' | 'error' | null;
  last_time: string;
}

export interface IQueueCounts {
  queued: number;
  grading: number;
  graded: number;
  grader_errors: number;
}

/** A practice check or quiz of the unit whose latest try did not pass. */
export interface IReadinessCheck {
  question: string;
  label: string;
  objective: string | null;
  event: 'check' | 'quiz';
  outcome: 'correct' | 'incorrect' | 'not_attempted' | 'error';
}

export interface IResourceLink {
  title: string;
  href: string;
}

export interface IReviewCell {
  notebook: string;
  grade_id: string;
  label: string;
  task: boolean;
  prompt: string;
  objectives: string[];
  max_points: number;
  status: string;
  answer: IAnswerPart[];
  answer_problem: string | null;
  grade: IManualGradeEntry | null;
  history: IManualGradeEntry[];
  rubric_template: IRubricScore[];
}

/** An answer or task waiting to be graded by hand. */
export interface IReviewItem {
  learner: string;
  unit: string;
  unit_title: string;
  attempt: number;
  notebook: string;
  grade_id: string;
  label: string;
  max_points: number;
  submitted_at: string;
}

export interface IReviewQueue {
  kind: 'reviews';
  course: string;
  generated_at: string;
  total: number;
  items: IReviewItem[];
}

/** The answers graded by hand of one attempt, for grading them. */
export interface IReviewSheet {
  kind: 'review_sheet';
  course: string;
  learner: string;
  unit: string;
  unit_title: string;
  attempt: number;
  submitted_at: string;
  status: 'queued' | 'grading' | 'graded' | 'grader-error';
  cells: IReviewCell[];
  standing: IUnitStanding;
}

export interface IRevokeRequest {
  kind: 'revoke_request';
  reason: string;
}

/** One criterion of a grade given by hand: what it asks and the points it got. */
export interface IRubricScore {
  criterion: string;
  points: number;
  max_points: number;
}

/** May an ``after_mastery`` solution be shown to this learner (is the unit mastered)? */
export interface ISolutionGate {
  kind: 'solution_gate';
  course: string;
  unit: string;
  question: string;
  unit_mastered: boolean;
  allowed: boolean;
  message: string;
}

/** What the backend hands over when a learner starts a unit: the files to work in. */
export interface IStartReceipt {
  kind: 'start';
  course: string;
  unit: string;
  student: string;
  notebooks: string[];
  files: IFileDocument[];
  form: number | null;
}

/** What the learner's server did with a start receipt (never overwriting their work). */
export interface IStartedUnit {
  kind: 'started';
  unit: string;
  copied: string[];
  kept: string[];
  notebooks: INotebookPath[];
  form: number | null;
  moved: Record<string, string>;
}

/** What the learner's server sees before a submission (the sidebar asks before it submits): answers still as released, practice that fails. Facts only; the sidebar decides whether to ask for confirmation (src/confirm.ts). */
export interface ISubmitReadiness {
  kind: 'readiness';
  unit: string;
  answers: number;
  untouched: number;
  missing: string[];
  failing: IReadinessCheck[];
  practice_problem: string | null;
}

/** The attempt a submission queued (stored durably before this is sent). */
export interface ISubmitReceipt {
  kind: 'submit';
  course: string;
  unit: string;
  student: string;
  attempt: number;
  status: 'queued' | 'grading' | 'graded' | 'grader-error';
  submitted_at: string;
  attempts_used: number;
  attempts_left: number | null;
  cooldown_until: string | null;
  notebooks: Record<string, string>;
  notes: string[];
  form: number;
}

/** The body of a submission to the service: the unit's notebooks as the learner saved them. */
export interface ISubmitRequest {
  kind: 'submit_request';
  files: IFileDocument[];
}

export interface IUnitReport {
  kind: 'units';
  course: string;
  course_title: string;
  generated_at: string;
  learners: number;
  units: IUnitSummary[];
}

export interface IUnitStanding {
  attempts_used: number;
  attempts_left: number | null;
  max_attempts: number | null;
  cooldown_until: string | null;
  last_attempt: number | null;
  last_status: string | null;
  pending_attempts: number[];
  can_submit: boolean;
  refusal: 'locked' | 'cooldown' | 'attempt_limit' | null;
  refusal_reason: string | null;
  id: string;
  title: string;
  description: string;
  state: 'locked' | 'unlocked' | 'in_progress' | 'grading' | 'mastered';
  mastered: boolean;
  requires: string[];
  waits_for: string[];
  waits_for_titles: string[];
  waits_for_objectives: IWaitingObjective[];
  cooldown_seconds: number;
  scoring: 'best' | 'latest';
  grading_problem: IGradingProblem | null;
  objectives: IObjectiveStanding[];
  notebooks: INotebookPath[];
  started: boolean;
  forms: boolean;
  form: number;
  mastered_by: 'attempts' | 'placement' | null;
  placement: string | null;
  awaiting_review: boolean;
  mastered_at: string | null;
  notes: string[];
}

export interface IUnitSummary {
  id: string;
  title: string;
  locked: number;
  unlocked: number;
  attempted: number;
  awaiting_review: number;
  mastered: number;
  attempts_to_mastery: IBin[];
  days_to_mastery: IBin[];
  median_attempts: number | null;
  median_days: number | null;
  objectives: IObjectiveSummary[];
}

export interface IUnitTitle {
  id: string;
  title: string;
}

export interface IUnlockedUnit {
  id: string;
  title: string;
}

export interface IWaitingObjective {
  unit: string;
  objective: string;
}
