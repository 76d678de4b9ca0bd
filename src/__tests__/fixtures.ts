/** Documents as the server sends them, for the unit tests of the pure parts. */
import {
  IPlacementStanding,
  IPracticeSummary,
  IQuestionPractice,
  ISubmitReadiness,
  IUnitStanding
} from '../documents';

/** What a unit's and a placement's standing share before any attempt. */
const NO_ATTEMPT = {
  attempts_used: 0,
  cooldown_until: null,
  last_attempt: null,
  last_status: null,
  pending_attempts: [],
  grading_problem: null,
  can_submit: true,
  refusal: null,
  refusal_reason: null
};

export function unit(id: string, overrides: Partial<IUnitStanding> = {}): IUnitStanding {
  return {
    id,
    title: `Unit ${id}`,
    description: '',
    state: 'unlocked',
    mastered: false,
    requires: [],
    waits_for: [],
    waits_for_titles: [],
    waits_for_objectives: [],
    ...NO_ATTEMPT,
    attempts_left: 10,
    max_attempts: 10,
    cooldown_seconds: 120,
    scoring: 'best',
    objectives: [],
    notebooks: [],
    started: false,
    ...overrides
  };
}

export function readiness(overrides: Partial<ISubmitReadiness> = {}): ISubmitReadiness {
  return {
    kind: 'readiness',
    unit: 'a',
    answers: 5,
    untouched: 2,
    missing: [],
    failing: [],
    practice_problem: null,
    ...overrides
  };
}

export function question(overrides: Partial<IQuestionPractice>): IQuestionPractice {
  return {
    unit: 'a',
    question: 'q',
    objective: 'x',
    event: 'check',
    tries: 1,
    correct: 0,
    last_outcome: 'incorrect',
    last_time: '2026-11-22T09:00:00.000Z',
    ...overrides
  };
}

export function practice(questions: IQuestionPractice[]): IPracticeSummary {
  return {
    kind: 'practice_summary',
    course: 'c',
    student: 'ada',
    events: questions.length,
    objectives: {},
    latest: [],
    questions
  };
}

/** The sample course's placement: units a and b, one attempt, no cooldown, not taken. */
export function placement(overrides: Partial<IPlacementStanding> = {}): IPlacementStanding {
  return {
    id: 'place',
    title: 'Placement: units a and b',
    description: 'Already at home with a and b?',
    units: ['a', 'b'],
    unit_titles: ['Unit a', 'Unit b'],
    state: 'available',
    placed: [],
    ...NO_ATTEMPT,
    attempts_left: 1,
    max_attempts: 1,
    cooldown_seconds: 0,
    notebooks: [],
    started: false,
    forms: true,
    form: 1,
    ...overrides
  };
}
