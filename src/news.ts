/**
 * What the sidebar says when a read of the learner's progress finds something new: a unit
 * or a placement graded, a unit unlocked, grading that failed. The panel shows the words in
 * its polite live region; the rule is here, pure (src/__tests__/news.spec.ts).
 *
 * An attempt submitted from the panel keeps its receipt until its grade has been told. A
 * fast grader can finish before the panel ever reads the attempt as "grading"; without the
 * receipt the learner would see "Unit B is now unlocked." and never hear about the attempt
 * itself. With it they read "Attempt 2 of Unit A submitted and graded: mastered.", however
 * quickly the grade came.
 */
import { IPlacementStanding, IProgress, IUnitStanding } from './documents';
import { gradingNote, IAttemptsStanding, titleList } from './words';

/** An attempt the panel submitted and has not yet told the grade of. */
export interface IReceipt {
  /** the unit's or the placement's id */
  id: string;
  attempt: number;
  /** "Attempt 2 of Unit A submitted" */
  words: string;
}

/** What changed between two reads of the progress. */
export interface INews {
  /** sentences for the learner: the receipt's attempt first, then other grades and
   * grading that failed, then unlocks, each in course order; empty: nothing to say */
  lines: string[];
  /** units and placements whose latest result changed (an open feedback tab follows) */
  changed: string[];
  /** the receipt's attempt has been told: the panel can forget it */
  receiptTold: boolean;
}

/** What identifies a unit's latest result: a change means newer feedback. */
function resultKey(item: IAttemptsStanding): string {
  return `${item.last_attempt}:${item.last_status}:${item.grading_problem?.message ?? ''}`;
}

/** The receipt's attempt, when `item` now holds it (its id, and that attempt or a later one). */
function receiptOf(receipt: IReceipt | null, item: IAttemptsStanding & { id: string }) {
  return receipt !== null && receipt.id === item.id && (item.last_attempt ?? 0) >= receipt.attempt
    ? receipt
    : null;
}

/** "… has been graded: it placed you out of Python basics." */
function placementVerdict(placement: IPlacementStanding, units: IUnitStanding[]): string {
  const titles = placement.placed.map(id => units.find(u => u.id === id)?.title ?? id);
  return titles.length
    ? `it placed you out of ${titleList(titles)}`
    : 'it did not place you out of any unit; open its feedback to see what to study';
}

/** The news from `before` to `after`, following the attempt of `receipt` if there is one. */
export function progressNews(before: IProgress, after: IProgress, receipt: IReceipt | null): INews {
  const changed: string[] = [];
  const told: string[] = [];
  const graded: string[] = [];
  const unlocked: string[] = [];
  const tell = (item: { title: string }, receipt: IReceipt | null, verdict: string) => {
    if (receipt) {
      told.push(`${receipt.words} and graded: ${verdict}.`);
    } else {
      graded.push(`${item.title} has been graded: ${verdict}.`);
    }
  };
  for (const unit of after.units) {
    const old = before.units.find(u => u.id === unit.id);
    if (!old) {
      continue;
    }
    if (resultKey(old) !== resultKey(unit)) {
      changed.push(unit.id);
    }
    const ours = receiptOf(receipt, unit);
    const note = gradingNote(unit);
    if (note?.kind === 'grader-error' && gradingNote(old)?.kind !== 'grader-error') {
      // grading failed: not a grade, and the note says what happens to the attempt
      (ours ? told : graded).push(note.text);
    } else if ((old.state === 'grading' || ours) && unit.state !== 'grading') {
      tell(
        unit,
        ours,
        unit.state === 'mastered'
          ? 'mastered'
          : 'not mastered yet; open the feedback to see what to work on'
      );
    }
    if (old.state === 'locked' && unit.state !== 'locked') {
      unlocked.push(`${unit.title} is now unlocked.`);
    }
  }
  for (const placement of after.placements ?? []) {
    const old = (before.placements ?? []).find(p => p.id === placement.id);
    if (!old) {
      continue;
    }
    if (resultKey(old) !== resultKey(placement)) {
      changed.push(placement.id);
    }
    const ours = receiptOf(receipt, placement);
    if ((old.state === 'grading' || ours) && placement.state === 'taken') {
      tell(placement, ours, placementVerdict(placement, after.units));
    }
  }
  return { lines: [...told, ...graded, ...unlocked], changed, receiptTold: told.length > 0 };
}
