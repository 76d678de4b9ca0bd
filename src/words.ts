/**
 * The sidebar's sentences about a unit that do not depend on the page: its resubmission
 * policy, its grading state, plurals; what a placement (test-out) offers and showed. Pure
 * (unit-tested in src/__tests__/nextUp.spec.ts and placement.spec.ts).
 */
import { formatDuration } from './clock';
import { IPlacementStanding, IUnitStanding } from './documents';

/** What a unit's and a placement's standing share about their attempts and grading. */
export type IAttemptsStanding = Pick<
  IUnitStanding,
  'attempts_used' | 'attempts_left' | 'last_attempt' | 'last_status' | 'grading_problem'
>;

/** "1 attempt", "3 attempts". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** The resubmission policy, before any attempt: "Up to 10 attempts · 2 min cooldown after
 * each · your best attempt counts". */
export function policyText(unit: IUnitStanding): string {
  const scoring =
    unit.scoring === 'latest' ? 'your latest attempt counts' : 'your best attempt counts';
  return `${attemptsPolicy(unit.max_attempts)} \u00B7 ${cooldownPolicy(unit.cooldown_seconds)} \u00B7 ${scoring}`;
}

/** "Up to 10 attempts", "Unlimited attempts" ("One attempt" when `one` words it so). */
function attemptsPolicy(max: number | null, one = false): string {
  if (max === null) {
    return 'Unlimited attempts';
  }
  return one && max === 1 ? 'One attempt' : `Up to ${plural(max, 'attempt')}`;
}

/** "2 min cooldown after each", "no cooldown". */
function cooldownPolicy(seconds: number): string {
  return seconds > 0 ? `${formatDuration(seconds)} cooldown after each` : 'no cooldown';
}

/** What a learner is told about the grading of their latest attempt (null: nothing to say). */
export interface IGradingNote {
  kind: 'queued' | 'grading' | 'retrying' | 'grader-error';
  text: string;
}

export function gradingNote(unit: IAttemptsStanding): IGradingNote | null {
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
export function attemptsText(unit: IAttemptsStanding): string {
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

/** What a placement covers, in plain words: "Test out of: “Python basics” and “Functions”";
 * the units already mastered (`mastered`: their ids) are said apart, it tests what is left. */
export function placementCoversText(
  placement: IPlacementStanding,
  mastered: string[] = []
): string {
  const titles = placement.units.map((id, i) => placement.unit_titles[i] ?? id);
  const left = titles.filter((_, i) => !mastered.includes(placement.units[i]));
  const done = titles.filter((_, i) => mastered.includes(placement.units[i]));
  if (!done.length || !left.length) {
    return `Test out of: ${titleList(titles)}`;
  }
  const verb = done.length === 1 ? 'is' : 'are';
  return `Test out of: ${titleList(left)} (${titleList(done)} ${verb} mastered already)`;
}

/** A placement's own policy, before its first attempt: "One attempt · no cooldown · a unit
 * is mastered by placement when you reach every one of its objectives". */
export function placementPolicyText(placement: IPlacementStanding): string {
  const attempts = attemptsPolicy(placement.max_attempts, true);
  const cooldown = cooldownPolicy(placement.cooldown_seconds);
  return `${attempts} \u00B7 ${cooldown} \u00B7 a unit is mastered by placement when you reach every one of its objectives`;
}

/** "A, B and C". */
export function listText(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Unit titles in a sentence, each quoted: titles hold commas and "and" themselves
 * ("“Functions and for loops” and “Lists, dicts, tuples and sets”"). */
export function titleList(titles: string[]): string {
  return listText(titles.map(t => `\u201C${t}\u201D`));
}

/** What a graded placement showed, as the sidebar says it (the feedback says it per
 * objective): the units it placed the learner out of, the others, where to start. */
export interface IPlacementOutcomeWords {
  placed: string | null;
  notPlaced: string | null;
  startWith: string | null;
}

export function placementOutcomeText(
  placed: string[],
  notPlaced: string[],
  startWith: string[]
): IPlacementOutcomeWords {
  return {
    placed: placed.length
      ? `Placed you out of: ${titleList(placed)} (mastered by placement).`
      : 'It did not place you out of any unit.',
    notPlaced: notPlaced.length
      ? `Not placed out of: ${titleList(notPlaced)}. Its feedback says what to study.`
      : null,
    startWith: startWith.length ? `Start with: ${titleList(startWith)}.` : null
  };
}

/** Up next's pointer to a placement that covers the unit to start. */
export function testOutHint(placementTitle: string): string {
  return `Already know it? ${titleList([placementTitle])} below can test you out of it.`;
}

/** Why a placement no longer invites the learner (null: it still does). */
export function placementDoneText(
  reason: 'attempts' | 'mastered' | null,
  placement: IPlacementStanding
): string | null {
  if (reason === 'mastered') {
    return placement.attempts_used > 0
      ? 'Every unit it covers is mastered.'
      : 'Every unit it covers is mastered: nothing left to test out of.';
  }
  if (reason === 'attempts') {
    return placement.attempts_used === 1
      ? 'Taken: its one attempt is used.'
      : `Taken: all ${placement.attempts_used} attempts are used.`;
  }
  return null;
}
