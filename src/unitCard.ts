/**
 * One unit in the sidebar's list: a card of lines, each drawn by one function of
 * `UNIT_LINES` (add a line there: e.g. the form a learner works on). A locked unit is one
 * line: its title and what it waits for.
 */
import { cooldownView, IClockFormat, ServerClock } from './clock';
import { submitBlocked } from './confirm';
import { IObjectiveStanding, IUnitStanding } from './documents';
import { button, domId, el } from './dom';
import { IObjectivePractice, practiceText } from './nextUp';
import { attemptsText, gradingNote, overrideNotes, policyText, reviewText } from './words';

export const STATE_LABELS: Record<string, string> = {
  locked: 'Locked',
  unlocked: 'Unlocked',
  in_progress: 'In progress',
  grading: 'Grading',
  mastered: 'Mastered'
};

export const STATE_SYMBOLS: Record<string, string> = {
  locked: '\u2298',
  unlocked: '\u25CB',
  in_progress: '\u25D0',
  grading: '\u25F7',
  mastered: '\u2714'
};

/** What a unit's buttons do (the panel's actions). */
export interface IUnitActions {
  start(unit: IUnitStanding): void;
  open(unit: IUnitStanding): void;
  submit(unit: IUnitStanding): void;
  feedback(unit: IUnitStanding): void;
}

/** Everything a line of a card may need besides the unit. */
export interface IUnitContext {
  clock: ServerClock;
  format: IClockFormat;
  /** the unit's practice checks per objective */
  practice: Map<string, IObjectivePractice>;
  /** a submission of this unit is under way */
  busy: boolean;
  actions: IUnitActions;
}

/** Draws one line of a card (null: nothing to show for this unit). */
export type UnitLine = (unit: IUnitStanding, context: IUnitContext) => HTMLElement | null;

export function cardId(unit: string): string {
  return domId('jp-mastery-card', unit);
}

function percent(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value * 100)));
}

function objectiveItem(objective: IObjectiveStanding, practice?: IObjectivePractice): HTMLElement {
  const item = el('li', {
    class: 'jp-Mastery-objective',
    'data-objective': objective.id,
    'data-mastered': String(objective.mastered)
  });
  const name = objective.description || objective.id;
  const score = percent(objective.score);
  const threshold = percent(objective.threshold);
  const label = el('div', { class: 'jp-Mastery-objectiveLabel' });
  label.appendChild(el('span', { class: 'jp-Mastery-objectiveName', title: objective.id }, name));
  label.appendChild(
    el(
      'span',
      { class: 'jp-Mastery-objectiveScore' },
      `${score}% / ${threshold}%${objective.mastered ? ' \u2714' : ''}`
    )
  );
  item.appendChild(label);
  const bar = el('div', {
    class: 'jp-Mastery-bar',
    role: 'progressbar',
    'aria-label': name,
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-valuenow': String(score),
    'aria-valuetext': `${score} percent, ${threshold} percent needed, ${objective.mastered ? 'mastered' : 'not mastered'}`
  });
  const fill = el('div', { class: 'jp-Mastery-barFill' });
  fill.style.width = `${score}%`;
  const mark = el('div', { class: 'jp-Mastery-barThreshold', 'aria-hidden': 'true' });
  mark.style.left = `${threshold}%`;
  bar.appendChild(fill);
  bar.appendChild(mark);
  item.appendChild(bar);
  item.appendChild(el('p', { class: 'jp-Mastery-practice' }, practiceText(practice)));
  return item;
}

/** "Next attempt at 14:05:07 (in 1 min 5 s)", kept current by the panel's ticker. */
export function cooldownText(
  until: string | null,
  clock: ServerClock,
  format: IClockFormat
): string | null {
  const view = cooldownView(until, clock, format);
  return view ? `Next attempt at ${view.at} (in ${view.left})` : null;
}

const description: UnitLine = unit =>
  unit.description ? el('p', { class: 'jp-Mastery-description' }, unit.description) : null;

const policy: UnitLine = unit => el('p', { class: 'jp-Mastery-policy' }, policyText(unit));

const objectives: UnitLine = (unit, context) => {
  const list = el('ul', {
    class: 'jp-Mastery-objectives',
    'aria-label': `Objectives of ${unit.title}`
  });
  for (const objective of unit.objectives) {
    list.appendChild(objectiveItem(objective, context.practice.get(objective.id)));
  }
  return list;
};

const attempts: UnitLine = unit => el('p', { class: 'jp-Mastery-attempts' }, attemptsText(unit));

/** A unit with parallel forms (issue 13): the learner's form now. */
const form: UnitLine = unit =>
  unit.forms ? el('p', { class: 'jp-Mastery-form' }, `Your form: ${unit.form}`) : null;

const placed: UnitLine = unit =>
  unit.mastered_by === 'placement'
    ? el('p', { class: 'jp-Mastery-placed' }, 'Mastered by placement')
    : null;

/** Answers graded by hand await review (issue 9): not failed, decided once graded. */
const review: UnitLine = unit => {
  const text = reviewText(unit);
  return text ? el('p', { class: 'jp-Mastery-review', role: 'status' }, text) : null;
};

/** What an instructor changed for this learner (extra attempts, an excused objective...). */
const notes: UnitLine = unit => {
  const said = overrideNotes(unit);
  if (said.length === 0) {
    return null;
  }
  const list = el('ul', { class: 'jp-Mastery-notes', 'aria-label': 'From your instructor' });
  for (const note of said) {
    list.appendChild(el('li', {}, note));
  }
  return list;
};

const cooldown: UnitLine = (unit, context) => {
  if (unit.state === 'mastered' || !unit.cooldown_until) {
    return null;
  }
  const text = cooldownText(unit.cooldown_until, context.clock, context.format);
  if (!text) {
    return null;
  }
  return el(
    'p',
    {
      class: 'jp-Mastery-cooldown',
      id: domId('jp-mastery-cooldown', unit.id),
      role: 'timer',
      'data-until': unit.cooldown_until
    },
    text
  );
};

const grading: UnitLine = unit => {
  const note = gradingNote(unit);
  if (!note) {
    return null;
  }
  return el('p', { class: 'jp-Mastery-grading', 'data-kind': note.kind }, note.text);
};

const refusal: UnitLine = unit =>
  unit.refusal === 'attempt_limit' && unit.state !== 'mastered'
    ? el(
        'p',
        { class: 'jp-Mastery-limit', id: domId('jp-mastery-limit', unit.id) },
        'No attempts left: ask your instructor if you need another.'
      )
    : null;

const actions: UnitLine = (unit, context) => {
  const row = el('div', { class: 'jp-Mastery-actions' });
  const a = context.actions;
  if (!unit.started) {
    // a new form after an attempt that did not master the unit is started afresh
    const label = unit.forms && unit.form > 1 ? `Start form ${unit.form}` : 'Start unit';
    row.appendChild(
      button(`start:${unit.id}`, label, `Start unit ${unit.title}`, () => a.start(unit))
    );
  } else {
    row.appendChild(
      button(`open:${unit.id}`, 'Open', `Open unit ${unit.title}`, () => a.open(unit))
    );
    if (unit.state !== 'mastered') {
      const blocked = submitBlocked(unit, context.clock, context.format);
      const label =
        unit.state === 'grading' ? 'Grading\u2026' : context.busy ? 'Submitting\u2026' : 'Submit';
      const submit = button(
        `submit:${unit.id}`,
        label,
        `Submit unit ${unit.title}`,
        () => a.submit(unit),
        blocked !== null || context.busy
      );
      if (blocked) {
        submit.title = blocked;
        const why =
          unit.refusal === 'attempt_limit'
            ? domId('jp-mastery-limit', unit.id)
            : domId('jp-mastery-cooldown', unit.id);
        submit.setAttribute('aria-describedby', why);
      }
      row.appendChild(submit);
    }
  }
  if (unit.attempts_used > 0 || unit.last_attempt !== null) {
    row.appendChild(
      button(`feedback:${unit.id}`, 'Feedback', `View feedback of unit ${unit.title}`, () =>
        a.feedback(unit)
      )
    );
  }
  return row;
};

/** The lines of an open card, top to bottom. */
export const UNIT_LINES: UnitLine[] = [
  description,
  policy,
  objectives,
  placed,
  review,
  notes,
  attempts,
  form,
  cooldown,
  grading,
  refusal,
  actions
];

function header(unit: IUnitStanding, number: number): HTMLElement {
  const row = el('div', { class: 'jp-Mastery-unitHeader' });
  row.appendChild(
    el('span', { class: 'jp-Mastery-unitNumber', 'aria-hidden': 'true' }, `${number}`)
  );
  row.appendChild(
    el(
      'span',
      { class: 'jp-Mastery-stateIcon', 'aria-hidden': 'true' },
      STATE_SYMBOLS[unit.state] ?? ''
    )
  );
  row.appendChild(
    el('h3', { class: 'jp-Mastery-unitTitle', id: domId('jp-mastery-unit', unit.id) }, unit.title)
  );
  row.appendChild(
    el(
      'span',
      { class: 'jp-Mastery-state', 'data-state': unit.state },
      STATE_LABELS[unit.state] ?? unit.state
    )
  );
  return row;
}

/** A unit's card; `number` is its place in the course (1-based), as on the map. */
export function unitCard(
  unit: IUnitStanding,
  number: number,
  context: IUnitContext
): HTMLLIElement {
  const item = el('li', {
    class: 'jp-Mastery-unit',
    id: cardId(unit.id),
    tabindex: '-1',
    'data-unit': unit.id,
    'data-state': unit.state,
    'aria-labelledby': domId('jp-mastery-unit', unit.id)
  });
  item.appendChild(header(unit, number));
  if (unit.state === 'locked') {
    // one line: what it waits for (its objectives show once it opens)
    item.classList.add('jp-Mastery-unit-collapsed');
    const waits = unit.waits_for_titles?.length ? unit.waits_for_titles : (unit.waits_for ?? []);
    const text = `Waits for: ${waits.join(', ') || 'its prerequisites'}`;
    item.appendChild(el('p', { class: 'jp-Mastery-waits' }, text));
    // the narrow sidebar cuts the line short: the whole of it on hover
    item.title = `${unit.title}. ${text}`;
    return item;
  }
  for (const line of UNIT_LINES) {
    const node = line(unit, context);
    if (node) {
      item.appendChild(node);
    }
  }
  return item;
}
