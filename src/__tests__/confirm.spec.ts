import { describe, expect, it } from 'vitest';

import { ServerClock } from '../clock';
import { consequences, submitBlocked, submitConfirmation } from '../confirm';
import { readiness, unit } from './fixtures';

const UTC = { locale: 'en-GB', timeZone: 'UTC' };
const clock = new ServerClock(() => Date.parse('2026-11-22T14:03:00Z'));

describe('when a submission asks first', () => {
  it('does not ask when something is answered and no practice fails', () => {
    expect(submitConfirmation(unit('a'), readiness(), clock, UTC)).toBeNull();
    expect(
      submitConfirmation(unit('a'), readiness({ answers: 0, untouched: 0 }), clock)
    ).toBeNull();
  });

  it('asks when every answer is still as handed out, and says what happens', () => {
    const asked = submitConfirmation(
      unit('a', { title: 'Values', attempts_used: 2, attempts_left: 8 }),
      readiness({ answers: 12, untouched: 12 }),
      clock,
      UTC
    );
    expect(asked?.title).toBe('Submit \u201cValues\u201d now?');
    expect(asked?.reasons).toEqual([
      'All 12 answers are still as they were handed out: nothing has been written yet.'
    ]);
    expect(asked?.consequences).toEqual([
      'This is attempt 3 of 10; 7 will be left.',
      'It starts a 2 min cooldown: you could submit again from 14:05:00.',
      'Your best attempt counts: a weaker attempt does not lower your standing.'
    ]);
    expect(asked?.cancel).toBe('Keep working');
    expect(asked?.accept).toBe('Submit anyway');
  });

  it('asks when practice checks fail, naming them as the notebook does', () => {
    const failing = [
      {
        question: 'receipt-total',
        label: 'Exercise 1.1: a café receipt',
        objective: 'x',
        event: 'check' as const,
        outcome: 'incorrect' as const
      },
      {
        question: 'rain',
        label: '',
        objective: 'x',
        event: 'check' as const,
        outcome: 'error' as const
      }
    ];
    const asked = submitConfirmation(unit('a'), readiness({ failing }), clock, UTC);
    expect(asked?.reasons).toEqual([
      '2 practice checks did not pass the last time you tried: \u201cExercise 1.1: a café receipt\u201d, rain.'
    ]);
    const one = submitConfirmation(
      unit('a'),
      readiness({ failing: failing.slice(0, 1) }),
      clock,
      UTC
    );
    expect(one?.reasons[0]).toMatch(/^1 practice check did not pass/);
    const quiz = submitConfirmation(
      unit('a'),
      readiness({ failing: [{ ...failing[0], event: 'quiz' }] }),
      clock,
      UTC
    );
    expect(quiz?.reasons[0]).toMatch(/^1 quiz answer did not pass/);
  });

  it('names at most four checks', () => {
    const failing = 'abcdef'.split('').map(q => ({
      question: q,
      label: `Exercise ${q}`,
      objective: null,
      event: 'check' as const,
      outcome: 'incorrect' as const
    }));
    const asked = submitConfirmation(unit('a'), readiness({ failing }), clock, UTC);
    expect(asked?.reasons[0]).toContain('\u201cExercise d\u201d and 2 more.');
  });
});

describe('what a submission does', () => {
  it('says the last attempt, unlimited attempts, no cooldown, latest counts', () => {
    expect(consequences(unit('a', { attempts_used: 9, attempts_left: 1 }), clock, UTC)[0]).toBe(
      'This is attempt 10 of 10: your last one.'
    );
    const open = consequences(
      unit('a', {
        max_attempts: null,
        attempts_left: null,
        cooldown_seconds: 0,
        scoring: 'latest'
      }),
      clock,
      UTC
    );
    expect(open).toEqual([
      'This is attempt 1 (attempts are unlimited).',
      'Your latest attempt counts: a weaker attempt lowers your standing.'
    ]);
  });
});

describe('why Submit is disabled', () => {
  it("while grading, without attempts, until the cooldown ends on the server's clock", () => {
    expect(submitBlocked(unit('a', { state: 'grading' }), clock)).toBe(
      'Your attempt is being graded.'
    );
    expect(submitBlocked(unit('a', { refusal: 'attempt_limit', attempts_left: 0 }), clock)).toMatch(
      /^No attempts left/
    );
    const cooling = unit('a', { state: 'in_progress', cooldown_until: '2026-11-22T14:04:05Z' });
    expect(submitBlocked(cooling, clock, UTC)).toBe('Next attempt at 14:04:05 (in 1 min 5 s).');
    const over = unit('a', { state: 'in_progress', cooldown_until: '2026-11-22T14:03:00Z' });
    expect(submitBlocked(over, clock, UTC)).toBeNull();
    expect(submitBlocked(unit('a'), clock)).toBeNull();
  });
});
