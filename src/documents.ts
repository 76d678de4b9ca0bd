/**
 * The documents that cross HTTP between the sidebar, the learner's Jupyter server and the
 * mastery service. GENERATED from mastery_nb/documents.py: do not edit by hand; run
 *
 *     python -m mastery_nb.documents --typescript > src/documents.ts
 *
 * (a test fails when this file differs from what the Python models say).
 */

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
  state: 'locked' | 'unlocked' | 'in_progress' | 'grading' | 'mastered';
  can_submit: boolean;
  refusal_reason: string | null;
  latest_attempt: number | null;
  learner_errors: ILearnerErrorDocument[];
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
}

/** One released file of a unit: a path relative to the course folder and its bytes. */
export interface IFileDocument {
  path: string;
  data: string;
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

export interface INotebookPath {
  path: string;
  server_path: string | null;
}

export interface IObjectiveStanding {
  id: string;
  description: string;
  score: number;
  threshold: number;
  mastered: boolean;
  best_score: number;
  latest_score: number | null;
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

/** A learner's practice in a course: counts per objective and the latest events. */
export interface IPracticeSummary {
  kind: 'practice_summary';
  course: string;
  student: string;
  events: number;
  objectives: Record<string, Record<string, number>>;
  latest: IPracticeEvent[];
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
}

export interface IQueueCounts {
  queued: number;
  grading: number;
  graded: number;
  grader_errors: number;
}

export interface IResourceLink {
  title: string;
  href: string;
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
}

/** What the learner's server did with a start receipt (never overwriting their work). */
export interface IStartedUnit {
  kind: 'started';
  unit: string;
  copied: string[];
  kept: string[];
  notebooks: INotebookPath[];
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
}

/** The body of a submission to the service: the unit's notebooks as the learner saved them. */
export interface ISubmitRequest {
  kind: 'submit_request';
  files: IFileDocument[];
}

export interface IUnitStanding {
  id: string;
  title: string;
  description: string;
  state: 'locked' | 'unlocked' | 'in_progress' | 'grading' | 'mastered';
  mastered: boolean;
  requires: string[];
  waits_for: string[];
  waits_for_titles: string[];
  waits_for_objectives: IWaitingObjective[];
  attempts_used: number;
  attempts_left: number | null;
  max_attempts: number | null;
  cooldown_seconds: number;
  cooldown_until: string | null;
  scoring: 'best' | 'latest';
  last_attempt: number | null;
  last_status: string | null;
  pending_attempts: number[];
  grading_problem: IGradingProblem | null;
  can_submit: boolean;
  refusal: 'locked' | 'cooldown' | 'attempt_limit' | null;
  refusal_reason: string | null;
  objectives: IObjectiveStanding[];
  notebooks: INotebookPath[];
  started: boolean;
}

export interface IUnlockedUnit {
  id: string;
  title: string;
}

export interface IWaitingObjective {
  unit: string;
  objective: string;
}
