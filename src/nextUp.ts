/**
 * What the learner should do next, and their practice beside their mastery (issue 12, item 6).
 *
 * "Up next" is the unit to continue (started or attempted, not mastered, attempts left),
 * else the one being graded, else the first unlocked unit to start, in course order. Pure:
 * src/__tests__/nextUp.spec.ts.
 */
import { IPracticeSummary, IUnitStanding } from './documents';
import { plural } from './words';

export type UpNextKind = 'continue' | 'grading' | 'start' | 'done' | 'blocked' | 'empty';

export interface IUpNext {
  kind: UpNextKind;
  unit: IUnitStanding | null;
}

export function upNext(units: IUnitStanding[]): IUpNext {
  if (!units.length) {
    return { kind: 'empty', unit: null };
  }
  const first = (test: (u: IUnitStanding) => boolean) => units.find(test) ?? null;
  const going = first(u => u.state === 'in_progress' && u.refusal !== 'attempt_limit');
  if (going) {
    return { kind: 'continue', unit: going };
  }
  const grading = first(u => u.state === 'grading');
  if (grading) {
    return { kind: 'grading', unit: grading };
  }
  const fresh = first(u => u.state === 'unlocked');
  if (fresh) {
    return { kind: 'start', unit: fresh };
  }
  if (units.every(u => u.state === 'mastered')) {
    return { kind: 'done', unit: null };
  }
  return { kind: 'blocked', unit: first(u => u.state === 'in_progress') };
}

/** The practice checks of one objective: how many were tried, how many pass now. */
export interface IObjectivePractice {
  tried: number;
  passing: number;
}

/** Practice checks of a unit per objective (from the learner's stored practice). */
export function practiceByObjective(
  summary: IPracticeSummary | null,
  unit: string
): Map<string, IObjectivePractice> {
  const found = new Map<string, IObjectivePractice>();
  for (const q of summary?.questions ?? []) {
    if (q.unit !== unit || q.event !== 'check' || !q.objective) {
      continue;
    }
    if (q.last_outcome === 'not_attempted' && q.correct === 0) {
      continue; // run on the stub as handed out: not tried yet
    }
    const entry = found.get(q.objective) ?? { tried: 0, passing: 0 };
    entry.tried += 1;
    entry.passing += q.last_outcome === 'correct' ? 1 : 0;
    found.set(q.objective, entry);
  }
  return found;
}

/** "Practice: 3 checks tried, 2 passing" / "Practice: no checks tried yet". */
export function practiceText(practice: IObjectivePractice | undefined): string {
  if (!practice || practice.tried === 0) {
    return 'Practice: no checks tried yet';
  }
  return `Practice: ${plural(practice.tried, 'check')} tried, ${practice.passing} passing`;
}
