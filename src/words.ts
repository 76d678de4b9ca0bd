/**
 * The sidebar's sentences about a unit that do not depend on the page: its resubmission
 * policy, its grading state, plurals. Pure (unit-tested in src/__tests__/nextUp.spec.ts).
 */
import { formatDuration } from './clock';
import { IUnitStanding } from './documents';

/** "1 attempt", "3 attempts". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** The resubmission policy, before any attempt: "Up to 10 attempts · 2 min cooldown after
 * each · your best attempt counts". */
export function policyText(unit: IUnitStanding): string {
  const attempts =
    unit.max_attempts === null
      ? 'Unlimited attempts'
      : `Up to ${plural(unit.max_attempts, 'attempt')}`;
  const cooldown =
    unit.cooldown_seconds > 0
      ? `${formatDuration(unit.cooldown_seconds)} cooldown after each`
      : 'no cooldown';
  const scoring =
    unit.scoring === 'latest' ? 'your latest attempt counts' : 'your best attempt counts';
  return `${attempts} \u00B7 ${cooldown} \u00B7 ${scoring}`;
}

/** What a learner is told about the grading of their latest attempt (null: nothing to say). */
export interface IGradingNote {
  kind: 'queued' | 'grading' | 'retrying' | 'grader-error';
  text: string;
}

export function gradingNote(unit: IUnitStanding): IGradingNote | null {
  const attempt = unit.last_attempt;
  if (attempt === null) {
    return null;
  }
  const problem = unit.grading_problem;
  if (problem && problem.message) {
    return {
      kind: problem.final ? 'grader-error' : 'retrying',
      text: `Attempt ${problem.attempt}: ${problem.message}.`
    };
  }
  switch (unit.last_status) {
    case 'queued':
      return { kind: 'queued', text: `Attempt ${attempt} is waiting for the grader.` };
    case 'grading':
      return { kind: 'grading', text: `Attempt ${attempt} is being graded\u2026` };
    case 'grader-error':
      return {
        kind: 'grader-error',
        text:
          `Attempt ${attempt}: grading failed, not your answers; ` +
          'it does not count against your attempts.'
      };
    default:
      return null;
  }
}

/** "Attempts: 1 used, 9 left" (the sidebar's line since its first version). */
export function attemptsText(unit: IUnitStanding): string {
  const left =
    unit.attempts_left === null || unit.attempts_left === undefined
      ? 'unlimited left'
      : `${unit.attempts_left} left`;
  return `Attempts: ${unit.attempts_used} used, ${left}`;
}

/** What the learner is told while written answers wait for a person (null: they do not):
 * the unit is not failed, and another attempt would not hurry it. */
export function reviewText(unit: IUnitStanding): string | null {
  if (!unit.awaiting_review || unit.state === 'mastered') {
    return null;
  }
  return (
    'Your written answers are waiting for your instructor to grade them: ' +
    'mastery is decided once they are graded.'
  );
}

/** What an instructor changed for this learner on the unit, in the service's words. */
export function overrideNotes(unit: IUnitStanding): string[] {
  return unit.notes ?? [];
}
