/**
 * The sidebar's "Test out" section: each placement (test-out) notebook of the course, drawn
 * just below "Up next", before the map and the units it covers, where a learner deciding
 * where to start looks. A card says what it is in plain words ("Test out of: Python
 * basics, Functions"), its own policy, attempts and cooldown, and has the buttons a unit
 * has (Start, Open, Submit, Feedback: the same panel actions, routes and question before
 * submitting). After grading it says what it showed; once it has nothing more to offer it
 * steps back to a compact, greyed card with its outcome (src/placement.ts decides).
 */
import { submitBlocked } from './confirm';
import { IPlacementStanding, IUnitStanding } from './documents';
import { button, domId, el } from './dom';
import { IPlacementView, placementView } from './placement';
import { cooldownText, IUnitContext } from './unitCard';
import { attemptsText, gradingNote } from './words';

/** What a placement's buttons do (the panel's unit actions take placements alike). */
export interface IPlacementActions {
  start(placement: IPlacementStanding): void;
  open(placement: IPlacementStanding): void;
  submit(placement: IPlacementStanding): void;
  feedback(placement: IPlacementStanding): void;
}

export interface IPlacementContext extends Omit<IUnitContext, 'actions' | 'practice'> {
  actions: IPlacementActions;
}

export function placementCardId(id: string): string {
  return domId('jp-mastery-placement', id);
}

function outcomeLines(view: IPlacementView): HTMLElement | null {
  const said = view.outcome;
  if (!said) {
    return null;
  }
  const box = el('div', { class: 'jp-Mastery-placementOutcome', role: 'status' });
  box.appendChild(el('p', { class: 'jp-Mastery-placementPlaced' }, said.placed ?? ''));
  if (said.notPlaced) {
    box.appendChild(el('p', { class: 'jp-Mastery-placementNotPlaced' }, said.notPlaced));
  }
  if (said.startWith) {
    box.appendChild(el('p', { class: 'jp-Mastery-placementStart' }, said.startWith));
  }
  return box;
}

function buttons(
  placement: IPlacementStanding,
  view: IPlacementView,
  context: IPlacementContext
): HTMLElement {
  const row = el('div', { class: 'jp-Mastery-actions' });
  const a = context.actions;
  const name = placement.title;
  if (view.phase !== 'done') {
    if (!placement.started) {
      const label =
        placement.forms && placement.form > 1 ? `Start form ${placement.form}` : 'Start test-out';
      row.appendChild(
        button(`start:${placement.id}`, label, `Start placement ${name}`, () => a.start(placement))
      );
    } else {
      row.appendChild(
        button(`open:${placement.id}`, 'Open', `Open placement ${name}`, () => a.open(placement))
      );
      const blocked = submitBlocked(placement, context.clock, context.format);
      const label =
        placement.state === 'grading'
          ? 'Grading\u2026'
          : context.busy
            ? 'Submitting\u2026'
            : 'Submit';
      const submit = button(
        `submit:${placement.id}`,
        label,
        `Submit placement ${name}`,
        () => a.submit(placement),
        blocked !== null || context.busy
      );
      if (blocked) {
        submit.title = blocked;
      }
      row.appendChild(submit);
    }
  }
  if (placement.attempts_used > 0 || placement.last_attempt !== null) {
    row.appendChild(
      button(`feedback:${placement.id}`, 'Feedback', `View feedback of placement ${name}`, () =>
        a.feedback(placement)
      )
    );
  }
  return row;
}

/** One placement's card. */
export function placementCard(
  placement: IPlacementStanding,
  units: IUnitStanding[],
  context: IPlacementContext
): HTMLElement {
  const view = placementView(placement, units);
  const headingId = domId('jp-mastery-placement-title', placement.id);
  const item = el('li', {
    class: 'jp-Mastery-placement',
    id: placementCardId(placement.id),
    'data-placement': placement.id,
    'data-phase': view.phase,
    'aria-labelledby': headingId
  });
  const header = el('div', { class: 'jp-Mastery-unitHeader' });
  header.appendChild(el('h4', { class: 'jp-Mastery-unitTitle', id: headingId }, placement.title));
  header.appendChild(
    el('span', { class: 'jp-Mastery-state', 'data-state': view.phase }, view.label)
  );
  item.appendChild(header);
  item.appendChild(el('p', { class: 'jp-Mastery-placementCovers' }, view.covers));
  if (view.phase === 'done') {
    // stepped back: why, what it showed, its feedback; no invitation
    item.classList.add('jp-Mastery-placement-done');
    item.appendChild(el('p', { class: 'jp-Mastery-placementDone' }, view.done ?? ''));
    const outcome = outcomeLines(view);
    if (outcome) {
      item.appendChild(outcome);
    }
    item.appendChild(buttons(placement, view, context));
    return item;
  }
  if (placement.description && placement.state === 'available') {
    item.appendChild(el('p', { class: 'jp-Mastery-description' }, placement.description));
  }
  item.appendChild(el('p', { class: 'jp-Mastery-policy' }, view.policy));
  item.appendChild(el('p', { class: 'jp-Mastery-attempts' }, attemptsText(placement)));
  if (placement.forms) {
    item.appendChild(el('p', { class: 'jp-Mastery-form' }, `Your form: ${placement.form}`));
  }
  const outcome = outcomeLines(view);
  if (outcome) {
    item.appendChild(outcome);
  }
  const cooling = cooldownText(placement.cooldown_until, context.clock, context.format);
  if (cooling && placement.cooldown_until) {
    item.appendChild(
      el(
        'p',
        { class: 'jp-Mastery-cooldown', role: 'timer', 'data-until': placement.cooldown_until },
        cooling
      )
    );
  }
  const note = gradingNote(placement);
  if (note) {
    item.appendChild(el('p', { class: 'jp-Mastery-grading', 'data-kind': note.kind }, note.text));
  }
  item.appendChild(buttons(placement, view, context));
  return item;
}

/** The "Test out" section (null: the course has no placement). */
export function placementsSection(
  placements: IPlacementStanding[],
  units: IUnitStanding[],
  context: (placement: IPlacementStanding) => IPlacementContext
): HTMLElement | null {
  if (!placements.length) {
    return null;
  }
  const section = el('section', {
    class: 'jp-Mastery-placements',
    'aria-labelledby': 'jp-mastery-placements-heading'
  });
  section.appendChild(
    el(
      'h3',
      { class: 'jp-Mastery-sectionHeading', id: 'jp-mastery-placements-heading' },
      'Test out'
    )
  );
  const list = el('ul', { class: 'jp-Mastery-placementList', 'aria-label': 'Placements' });
  for (const placement of placements) {
    list.appendChild(placementCard(placement, units, context(placement)));
  }
  section.appendChild(list);
  return section;
}
