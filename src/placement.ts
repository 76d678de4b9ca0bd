/**
 * What the sidebar says of a placement (test-out) notebook, decided from the progress
 * document alone: whether it still invites the learner, how far it has got, and what a
 * graded attempt showed (the units it placed the learner out of, the others, where to
 * start). Pure: src/__tests__/placement.spec.ts; drawn by src/placementCard.ts.
 *
 * It steps back (a compact, greyed card with its outcome) once its attempts are used up or
 * every unit it covers is mastered, however: it no longer invites a learner who cannot use
 * it or does not need it. "Start with" lists the units open to start or continue now, as
 * the placement's feedback does (mastery_nb/feedback/report.py).
 */
import { IPlacementStanding, IUnitStanding } from './documents';
import {
  IPlacementOutcomeWords,
  placementCoversText,
  placementDoneText,
  placementOutcomeText,
  placementPolicyText
} from './words';

/** offer: it invites (not taken, or attempts left); grading; done: it steps back. */
export type PlacementPhase = 'offer' | 'grading' | 'done';

export interface IPlacementView {
  phase: PlacementPhase;
  /** the state's badge: "Optional", "Started", "Grading", "Taken", "Not needed" */
  label: string;
  covers: string;
  policy: string;
  /** why it steps back (null while it invites) */
  done: string | null;
  /** after a graded attempt: what it showed (null before) */
  outcome: IPlacementOutcomeWords | null;
}

/** Why a placement no longer invites: no attempts left, or nothing left to test out of. */
export function placementDone(
  placement: IPlacementStanding,
  units: IUnitStanding[]
): 'attempts' | 'mastered' | null {
  if (placement.state === 'grading') {
    return null;
  }
  const covered = units.filter(u => placement.units.includes(u.id));
  if (covered.length > 0 && covered.every(u => u.state === 'mastered')) {
    return 'mastered';
  }
  return placement.refusal === 'attempt_limit' ? 'attempts' : null;
}

export function placementView(
  placement: IPlacementStanding,
  units: IUnitStanding[]
): IPlacementView {
  const reason = placementDone(placement, units);
  const phase: PlacementPhase =
    placement.state === 'grading' ? 'grading' : reason !== null ? 'done' : 'offer';
  const titles = new Map(units.map(u => [u.id, u.title]));
  const title = (id: string) => titles.get(id) ?? id;
  let outcome: IPlacementOutcomeWords | null = null;
  if (placement.state === 'taken') {
    const notPlaced = placement.units.filter(
      id => !placement.placed.includes(id) && units.find(u => u.id === id)?.state !== 'mastered'
    );
    const startWith = units
      .filter(u => u.state === 'unlocked' || u.state === 'in_progress')
      .map(u => u.title);
    outcome = placementOutcomeText(placement.placed.map(title), notPlaced.map(title), startWith);
  }
  const label =
    phase === 'grading'
      ? 'Grading'
      : reason === 'mastered' && placement.attempts_used === 0
        ? 'Not needed'
        : phase === 'done' || placement.state === 'taken'
          ? 'Taken'
          : placement.started
            ? 'Started'
            : 'Optional';
  return {
    phase,
    label,
    // while it invites, it tests what is left; once done, what it covered
    covers: placementCoversText(
      placement,
      phase === 'done' ? [] : units.filter(u => u.state === 'mastered').map(u => u.id)
    ),
    policy: placementPolicyText(placement),
    done: placementDoneText(reason, placement),
    outcome
  };
}
