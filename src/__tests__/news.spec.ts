import { describe, expect, it } from 'vitest';

import { IPlacementStanding, IProgress, IUnitStanding } from '../documents';
import { IReceipt, progressNews } from '../news';
import { placement, unit } from './fixtures';

function progress(units: IUnitStanding[], placements: IPlacementStanding[] = []): IProgress {
  return {
    kind: 'progress',
    course: 'c',
    course_title: 'C',
    student: 'ada',
    generated_at: '2026-12-01T20:00:00Z',
    now: '2026-12-01T20:00:00Z',
    workspace: null,
    grading: { mode: 'service', in_process: false, error: null },
    units,
    placements,
    dashboard_url: null
  };
}

/** Unit a after its first attempt, not mastered; b waits for it. */
const firstGraded = () =>
  progress([
    unit('a', { state: 'in_progress', attempts_used: 1, last_attempt: 1, last_status: 'graded' }),
    unit('b', { state: 'locked' })
  ]);

const second: IReceipt = { id: 'a', attempt: 2, words: 'Attempt 2 of Unit a submitted' };

const secondGrading = () =>
  progress([
    unit('a', { state: 'grading', attempts_used: 2, last_attempt: 2, last_status: 'queued' }),
    unit('b', { state: 'locked' })
  ]);

const secondMastered = () =>
  progress([
    unit('a', { state: 'mastered', attempts_used: 2, last_attempt: 2, last_status: 'graded' }),
    unit('b', { state: 'unlocked' })
  ]);

describe('news of a submitted attempt', () => {
  it('is told in the receipt words when the grade comes before any read saw it grading', () => {
    const news = progressNews(firstGraded(), secondMastered(), second);
    expect(news.lines).toEqual([
      'Attempt 2 of Unit a submitted and graded: mastered.',
      'Unit b is now unlocked.'
    ]);
    expect(news.receiptTold).toBe(true);
    expect(news.changed).toEqual(['a']);
  });

  it('waits while the attempt is grading, and is told when the grade comes', () => {
    const waiting = progressNews(firstGraded(), secondGrading(), second);
    expect(waiting.lines).toEqual([]);
    expect(waiting.receiptTold).toBe(false);
    const graded = progressNews(secondGrading(), secondMastered(), second);
    expect(graded.lines[0]).toBe('Attempt 2 of Unit a submitted and graded: mastered.');
    expect(graded.receiptTold).toBe(true);
  });

  it('is not told from a read that does not hold the attempt yet', () => {
    const news = progressNews(firstGraded(), firstGraded(), second);
    expect(news.lines).toEqual([]);
    expect(news.receiptTold).toBe(false);
  });

  it('says not mastered yet, and where to look', () => {
    const notYet = progress([
      unit('a', { state: 'in_progress', attempts_used: 2, last_attempt: 2, last_status: 'graded' }),
      unit('b', { state: 'locked' })
    ]);
    expect(progressNews(firstGraded(), notYet, second).lines).toEqual([
      'Attempt 2 of Unit a submitted and graded: not mastered yet; open the feedback to see what to work on.'
    ]);
  });

  it('without a receipt, names the unit graded when a read saw it grading', () => {
    const news = progressNews(secondGrading(), secondMastered(), null);
    expect(news.lines).toEqual(['Unit a has been graded: mastered.', 'Unit b is now unlocked.']);
    expect(progressNews(firstGraded(), secondMastered(), null).lines).toEqual([
      'Unit b is now unlocked.'
    ]);
  });

  it('says grading failed, not that the answers were graded', () => {
    const failed = progress([
      unit('a', {
        state: 'in_progress',
        attempts_used: 1,
        last_attempt: 2,
        last_status: 'grader-error',
        grading_problem: {
          attempt: 2,
          final: true,
          message: 'grading failed, not your answers'
        }
      }),
      unit('b', { state: 'locked' })
    ]);
    const news = progressNews(secondGrading(), failed, second);
    expect(news.lines).toEqual(['Attempt 2: grading failed, not your answers.']);
    expect(news.receiptTold).toBe(true);
  });
});

describe('news of a placement', () => {
  const units = () => [unit('a'), unit('b'), unit('c', { state: 'locked' })];
  const taken = placement({
    state: 'taken',
    attempts_used: 1,
    last_attempt: 1,
    last_status: 'graded',
    placed: ['a']
  });

  it('tells what the placement placed out of, in the receipt words when submitted here', () => {
    const before = progress(units(), [placement()]);
    const after = progress(units(), [taken]);
    const receipt = { id: 'place', attempt: 1, words: 'Attempt 1 of Placement submitted' };
    expect(progressNews(before, after, receipt).lines).toEqual([
      'Attempt 1 of Placement submitted and graded: it placed you out of \u201cUnit a\u201d.'
    ]);
    // the learner's own attempt leads, before the units it unlocked
    const unlocking = progress([unit('a'), unit('b'), unit('c')], [taken]);
    expect(progressNews(before, unlocking, receipt).lines).toEqual([
      'Attempt 1 of Placement submitted and graded: it placed you out of \u201cUnit a\u201d.',
      'Unit c is now unlocked.'
    ]);
    const grading = progress(units(), [placement({ state: 'grading', last_attempt: 1 })]);
    expect(progressNews(grading, after, null).lines).toEqual([
      'Placement: units a and b has been graded: it placed you out of \u201cUnit a\u201d.'
    ]);
  });
});
