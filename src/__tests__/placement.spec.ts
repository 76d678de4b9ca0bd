import { describe, expect, it } from 'vitest';

import { ServerClock } from '../clock';
import { consequences, submitBlocked, submitConfirmation } from '../confirm';
import { placementDone, placementView } from '../placement';
import { placementCoversText, placementPolicyText, testOutHint } from '../words';
import { placement, readiness, unit } from './fixtures';

const UTC = { locale: 'en-GB', timeZone: 'UTC' };
const clock = new ServerClock(() => Date.parse('2026-11-22T14:03:00Z'));

/** The sample course's shape: a and b covered, c needs both, d needs a. */
const fresh = () => [
  unit('a'),
  unit('b', { state: 'locked' }),
  unit('c', { state: 'locked' }),
  unit('d', { state: 'locked' })
];

describe('a placement before it is taken', () => {
  it('says what it tests out of, its own policy, and invites', () => {
    const view = placementView(placement(), fresh());
    expect(view.phase).toBe('offer');
    expect(view.label).toBe('Optional');
    expect(view.covers).toBe('Test out of: \u201CUnit a\u201D and \u201CUnit b\u201D');
    expect(view.policy).toBe(
      'One attempt \u00B7 no cooldown \u00B7 a unit is mastered by placement when you reach every one of its objectives'
    );
    expect(view.outcome).toBeNull();
    expect(view.done).toBeNull();
    expect(placementView(placement({ started: true }), fresh()).label).toBe('Started');
  });

  it('words other policies as the units do', () => {
    expect(placementPolicyText(placement({ max_attempts: 3, cooldown_seconds: 600 }))).toMatch(
      /^Up to 3 attempts \u00B7 10 min cooldown after each \u00B7 /
    );
    expect(placementPolicyText(placement({ max_attempts: null }))).toMatch(/^Unlimited attempts/);
    expect(testOutHint('Placement: a, b')).toBe(
      'Already know it? \u201CPlacement: a, b\u201D below can test you out of it.'
    );
    expect(placementCoversText(placement(), ['a'])).toBe(
      'Test out of: \u201CUnit b\u201D (\u201CUnit a\u201D is mastered already)'
    );
    expect(placementCoversText(placement({ unit_titles: [] }))).toBe(
      'Test out of: \u201Ca\u201D and \u201Cb\u201D'
    );
  });

  it('asks before an untouched submission with its own consequences, as units do', () => {
    const asked = submitConfirmation(
      placement({ title: 'Placement' }),
      readiness({ answers: 6, untouched: 6 }),
      clock,
      UTC
    );
    expect(asked?.title).toBe('Submit \u201cPlacement\u201d now?');
    expect(asked?.consequences).toEqual([
      'This is attempt 1 of 1: your last one.',
      'Each unit it covers whose objectives you all reach is mastered by placement; the others stay as they are.'
    ]);
    expect(submitConfirmation(placement(), readiness(), clock, UTC)).toBeNull();
    // a unit still says what counts
    expect(consequences(unit('a'), clock, UTC).pop()).toMatch(/^Your best attempt counts/);
  });

  it('blocks Submit while grading and during its cooldown, on the server clock', () => {
    expect(submitBlocked(placement({ state: 'grading' }), clock, UTC)).toBe(
      'Your attempt is being graded.'
    );
    expect(submitBlocked(placement({ cooldown_until: '2026-11-22T14:04:05Z' }), clock, UTC)).toBe(
      'Next attempt at 14:04:05 (in 1 min 5 s).'
    );
    expect(submitBlocked(placement(), clock, UTC)).toBeNull();
  });
});

describe('a placement after grading', () => {
  it('steps back with what it showed once its one attempt is used', () => {
    const units = [
      unit('a', { state: 'mastered', mastered_by: 'placement' }),
      unit('b'),
      unit('c', { state: 'locked' }),
      unit('d')
    ];
    const taken = placement({
      state: 'taken',
      placed: ['a'],
      attempts_used: 1,
      attempts_left: 0,
      refusal: 'attempt_limit',
      last_attempt: 1,
      last_status: 'graded'
    });
    expect(placementDone(taken, units)).toBe('attempts');
    const view = placementView(taken, units);
    expect(view.phase).toBe('done');
    expect(view.label).toBe('Taken');
    expect(view.done).toBe('Taken: its one attempt is used.');
    expect(view.covers).toBe('Test out of: \u201CUnit a\u201D and \u201CUnit b\u201D');
    // still on offer after unit a was mastered: it tests what is left
    const open = placementView(placement(), units);
    expect(open.covers).toBe(
      'Test out of: \u201CUnit b\u201D (\u201CUnit a\u201D is mastered already)'
    );
    expect(view.outcome).toEqual({
      placed: 'Placed you out of: \u201CUnit a\u201D (mastered by placement).',
      notPlaced: 'Not placed out of: \u201CUnit b\u201D. Its feedback says what to study.',
      startWith: 'Start with: \u201CUnit b\u201D and \u201CUnit d\u201D.'
    });
  });

  it('says when it placed the learner out of nothing', () => {
    const taken = placement({
      state: 'taken',
      attempts_used: 1,
      attempts_left: 0,
      refusal: 'attempt_limit'
    });
    const view = placementView(taken, fresh());
    expect(view.outcome).toEqual({
      placed: 'It did not place you out of any unit.',
      notPlaced:
        'Not placed out of: \u201CUnit a\u201D and \u201CUnit b\u201D. Its feedback says what to study.',
      startWith: 'Start with: \u201CUnit a\u201D.'
    });
  });

  it('keeps inviting while attempts are left, with the outcome so far', () => {
    const again = placement({
      state: 'taken',
      max_attempts: 2,
      attempts_used: 1,
      attempts_left: 1,
      last_attempt: 1,
      last_status: 'graded'
    });
    const view = placementView(again, fresh());
    expect(view.phase).toBe('offer');
    expect(view.label).toBe('Taken');
    expect(view.outcome?.placed).toBe('It did not place you out of any unit.');
  });

  it('is grading while its attempt is graded, whatever else', () => {
    const grading = placement({ state: 'grading', attempts_used: 1, attempts_left: 0 });
    const view = placementView(grading, fresh());
    expect([view.phase, view.label, view.outcome]).toEqual(['grading', 'Grading', null]);
  });

  it('steps back when every unit it covers is mastered, taken or not', () => {
    const mastered = [unit('a', { state: 'mastered' }), unit('b', { state: 'mastered' })];
    const view = placementView(placement(), mastered);
    expect([view.phase, view.label, view.done]).toEqual([
      'done',
      'Not needed',
      'Every unit it covers is mastered: nothing left to test out of.'
    ]);
    const placed = placement({
      state: 'taken',
      placed: ['a', 'b'],
      attempts_used: 1,
      attempts_left: 0
    });
    const all = placementView(placed, mastered);
    expect(all.done).toBe('Every unit it covers is mastered.');
    expect(all.outcome?.notPlaced).toBeNull();
    expect(all.outcome?.placed).toBe(
      'Placed you out of: \u201CUnit a\u201D and \u201CUnit b\u201D (mastered by placement).'
    );
  });
});
