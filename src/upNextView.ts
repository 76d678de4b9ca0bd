/**
 * "Up next": what the sidebar opens on (issue 12, item 6): the unit to continue or start,
 * its description, where it stands and one button to get on with it.
 */
import { IUnitStanding } from './documents';
import { button, el } from './dom';
import { IUpNext } from './nextUp';
import { cooldownText, IUnitContext } from './unitCard';
import { gradingNote, plural, testOutHint } from './words';

/** Where the unit stands: objectives still to master, and a running cooldown (kept current
 * by the panel's ticker through `data-until`). */
function standing(unit: IUnitStanding, context: IUnitContext): HTMLElement {
  const line = el('p', { class: 'jp-Mastery-upNextWhy' });
  const grading = gradingNote(unit);
  if (unit.state === 'grading' && grading) {
    line.textContent = grading.text;
    return line;
  }
  const left = unit.objectives.filter(o => !o.mastered).length;
  line.textContent =
    left === unit.objectives.length
      ? `${plural(left, 'objective')} to master.`
      : `${left} of ${plural(unit.objectives.length, 'objective')} still to master.`;
  const cooling = cooldownText(unit.cooldown_until, context.clock, context.format);
  if (cooling && unit.cooldown_until) {
    line.appendChild(document.createTextNode(' '));
    line.appendChild(
      el('span', { class: 'jp-Mastery-countdown', 'data-until': unit.cooldown_until }, cooling)
    );
  }
  return line;
}

/** `testOut`: the title of a placement still on offer that covers the unit to start. */
export function upNextSection(
  next: IUpNext,
  context: IUnitContext,
  testOut: string | null = null
): HTMLElement {
  const section = el('section', {
    class: 'jp-Mastery-upNext',
    'aria-labelledby': 'jp-mastery-upnext-heading',
    'data-kind': next.kind
  });
  section.appendChild(el('h3', { id: 'jp-mastery-upnext-heading' }, 'Up next'));
  const unit = next.unit;
  if (!unit) {
    const words =
      next.kind === 'done'
        ? 'You have mastered every unit of this course.'
        : next.kind === 'empty'
          ? 'This course has no units yet.'
          : 'Nothing to do until your instructor gives you more attempts.';
    section.appendChild(el('p', { class: 'jp-Mastery-upNextTitle' }, words));
    return section;
  }
  const verb =
    next.kind === 'start' ? 'Start' : next.kind === 'grading' ? 'Being graded' : 'Continue';
  const title = el('p', { class: 'jp-Mastery-upNextTitle', 'data-unit': unit.id });
  title.appendChild(document.createTextNode(`${verb}: `));
  title.appendChild(el('strong', {}, unit.title));
  section.appendChild(title);
  if (unit.description) {
    section.appendChild(el('p', { class: 'jp-Mastery-description' }, unit.description));
  }
  section.appendChild(standing(unit, context));
  if (testOut && next.kind === 'start') {
    section.appendChild(el('p', { class: 'jp-Mastery-upNextTestOut' }, testOutHint(testOut)));
  }
  const a = context.actions;
  if (!unit.started && unit.state !== 'grading') {
    // after an attempt on a unit with parallel forms, the next one is on a new form
    const label = unit.forms && unit.form > 1 ? `Start form ${unit.form}` : 'Start';
    section.appendChild(
      button(`upnext-start:${unit.id}`, label, `Begin ${unit.title}`, () => a.start(unit))
    );
  } else if (unit.started) {
    section.appendChild(
      button(`upnext-open:${unit.id}`, 'Continue', `Continue ${unit.title}`, () => a.open(unit))
    );
  }
  return section;
}
