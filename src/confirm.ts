/**
 * When a submission asks for confirmation, and what the question says (issue 12, item 2).
 *
 * An attempt is not lost to an accidental click: a unit whose answers are all still as
 * handed out, or whose practice checks fail, is submitted only after the learner confirms,
 * and the question says what will happen (the attempt it uses and how many are left, the
 * cooldown it starts and when it would end, whether the best or the latest attempt
 * counts). The facts come from the learner's server (`SubmitReadiness`: their saved
 * notebooks and practice record); the rule is here. Pure: src/__tests__/confirm.spec.ts.
 */
import { cooldownView, formatClock, formatDuration, IClockFormat, ServerClock } from './clock';
import { ISubmitReadiness, IUnitStanding } from './documents';
import { plural } from './words';

/** What a submission needs to know of a unit or a placement (both documents fit; a
 * placement has no `scoring`: what it places stays placed). */
export type ISubmittable = Pick<
  IUnitStanding,
  | 'title'
  | 'attempts_used'
  | 'attempts_left'
  | 'max_attempts'
  | 'cooldown_seconds'
  | 'cooldown_until'
  | 'refusal'
> & { state: string; scoring?: IUnitStanding['scoring'] };

/** The question before a submission. */
export interface IConfirmation {
  title: string;
  /** why we ask */
  reasons: string[];
  /** what submitting now does */
  consequences: string[];
  /** the button that submits, and the one (the default) that does not */
  accept: string;
  cancel: string;
}

/** How many failing checks are named before "and N more". */
const NAMED = 4;

function failingText(readiness: ISubmitReadiness): string | null {
  const failing = readiness.failing;
  if (!failing.length) {
    return null;
  }
  const names = failing.map(c => (c.label ? `\u201c${c.label}\u201d` : c.question));
  const unique = names.filter((name, i) => names.indexOf(name) === i);
  const shown = unique.slice(0, NAMED).join(', ');
  const more = unique.length > NAMED ? ` and ${unique.length - NAMED} more` : '';
  const what = failing.every(c => c.event === 'quiz')
    ? plural(failing.length, 'quiz answer')
    : failing.some(c => c.event === 'quiz')
      ? plural(failing.length, 'practice check or quiz', 'practice checks and quizzes')
      : plural(failing.length, 'practice check');
  return `${what} did not pass the last time you tried: ${shown}${more}.`;
}

/** What submitting now does: the attempt it uses, the cooldown it starts, what counts. */
export function consequences(
  unit: ISubmittable,
  clock: ServerClock,
  format: IClockFormat = {}
): string[] {
  const number = unit.attempts_used + 1;
  const lines: string[] = [];
  if (unit.max_attempts === null || unit.attempts_left === null) {
    lines.push(`This is attempt ${number} (attempts are unlimited).`);
  } else {
    const after = Math.max(0, unit.attempts_left - 1);
    lines.push(
      after === 0
        ? `This is attempt ${number} of ${unit.max_attempts}: your last one.`
        : `This is attempt ${number} of ${unit.max_attempts}; ${after} will be left.`
    );
  }
  if (unit.cooldown_seconds > 0) {
    const now = clock.now();
    const end = clock.toLocal(now + unit.cooldown_seconds * 1000);
    lines.push(
      `It starts a ${formatDuration(unit.cooldown_seconds)} cooldown: you could submit again ` +
        `from ${formatClock(end, clock.toLocal(now), format)}.`
    );
  }
  lines.push(
    unit.scoring === undefined
      ? 'Each unit it covers whose objectives you all reach is mastered by placement; ' +
          'the others stay as they are.'
      : unit.scoring === 'latest'
        ? 'Your latest attempt counts: a weaker attempt lowers your standing.'
        : 'Your best attempt counts: a weaker attempt does not lower your standing.'
  );
  return lines;
}

/** The question to ask before submitting `unit`, or null to submit at once. */
export function submitConfirmation(
  unit: ISubmittable,
  readiness: ISubmitReadiness,
  clock: ServerClock,
  format: IClockFormat = {}
): IConfirmation | null {
  const reasons: string[] = [];
  if (readiness.answers > 0 && readiness.untouched === readiness.answers) {
    reasons.push(
      readiness.answers === 1
        ? 'Your answer is still as it was handed out: nothing has been written yet.'
        : `All ${readiness.answers} answers are still as they were handed out: nothing has been written yet.`
    );
  }
  const failing = failingText(readiness);
  if (failing) {
    reasons.push(failing.charAt(0).toUpperCase() + failing.slice(1));
  }
  if (!reasons.length) {
    return null;
  }
  return {
    title: `Submit \u201c${unit.title}\u201d now?`,
    reasons,
    consequences: consequences(unit, clock, format),
    accept: 'Submit anyway',
    cancel: 'Keep working'
  };
}

/** Why the Submit button is disabled now, in words (null: it is not). */
export function submitBlocked(
  unit: ISubmittable,
  clock: ServerClock,
  format: IClockFormat = {}
): string | null {
  if (unit.state === 'grading') {
    return 'Your attempt is being graded.';
  }
  if (unit.refusal === 'attempt_limit') {
    return 'No attempts left: ask your instructor if you need another.';
  }
  const cooldown =
    unit.state === 'mastered' ? null : cooldownView(unit.cooldown_until, clock, format);
  if (cooldown) {
    return `Next attempt at ${cooldown.at} (in ${cooldown.left}).`;
  }
  return null;
}
