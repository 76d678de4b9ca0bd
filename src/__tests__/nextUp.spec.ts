import { describe, expect, it } from 'vitest';

import { practiceByObjective, practiceText, upNext } from '../nextUp';
import { gradingNote, overrideNotes, policyText, reviewText } from '../words';
import { practice, question, unit } from './fixtures';

describe('up next', () => {
  it('continues a unit in progress before starting another', () => {
    const units = [
      unit('a', { state: 'mastered' }),
      unit('b', { state: 'unlocked' }),
      unit('c', { state: 'in_progress' })
    ];
    expect(upNext(units)).toEqual({ kind: 'continue', unit: units[2] });
  });
  it('starts the first unlocked unit, in course order', () => {
    const units = [
      unit('a', { state: 'mastered' }),
      unit('b'),
      unit('c'),
      unit('d', { state: 'locked' })
    ];
    expect(upNext(units).kind).toBe('start');
    expect(upNext(units).unit?.id).toBe('b');
  });
  it('waits for grading when nothing else can be done', () => {
    const units = [unit('a', { state: 'grading' }), unit('b', { state: 'locked' })];
    expect(upNext(units)).toEqual({ kind: 'grading', unit: units[0] });
  });
  it('skips a unit without attempts left, and says when all is mastered', () => {
    const spent = unit('a', { state: 'in_progress', refusal: 'attempt_limit', attempts_left: 0 });
    expect(upNext([spent, unit('b')]).unit?.id).toBe('b');
    expect(upNext([spent, unit('b', { state: 'locked' })])).toEqual({
      kind: 'blocked',
      unit: spent
    });
    expect(upNext([unit('a', { state: 'mastered' })]).kind).toBe('done');
    expect(upNext([]).kind).toBe('empty');
  });
});

describe('practice beside mastery', () => {
  it('counts checks tried and passing now, per objective of the unit', () => {
    const summary = practice([
      question({ question: 'q1', objective: 'x', last_outcome: 'correct', correct: 1 }),
      question({ question: 'q2', objective: 'x', last_outcome: 'incorrect', correct: 1, tries: 3 }),
      question({ question: 'q3', objective: 'y', last_outcome: 'error' }),
      question({ question: 'q4', objective: 'y', last_outcome: 'not_attempted' }),
      question({ question: 'q5', objective: 'x', event: 'quiz', last_outcome: 'correct' }),
      question({ question: 'q6', objective: 'x', unit: 'other', last_outcome: 'correct' })
    ]);
    const found = practiceByObjective(summary, 'a');
    expect(found.get('x')).toEqual({ tried: 2, passing: 1 });
    expect(found.get('y')).toEqual({ tried: 1, passing: 0 });
    expect(practiceText(found.get('x'))).toBe('Practice: 2 checks tried, 1 passing');
    expect(practiceText(found.get('y'))).toBe('Practice: 1 check tried, 0 passing');
    expect(practiceText(undefined)).toBe('Practice: no checks tried yet');
    expect(practiceByObjective(null, 'a').size).toBe(0);
  });
});

describe('a unit in words', () => {
  it('states the policy before the first attempt', () => {
    expect(policyText(unit('a'))).toBe(
      'Up to 10 attempts \u00B7 2 min cooldown after each \u00B7 your best attempt counts'
    );
    expect(
      policyText(unit('a', { max_attempts: null, cooldown_seconds: 0, scoring: 'latest' }))
    ).toBe('Unlimited attempts \u00B7 no cooldown \u00B7 your latest attempt counts');
    expect(policyText(unit('a', { max_attempts: 1, cooldown_seconds: 5400 }))).toBe(
      'Up to 1 attempt \u00B7 1 h 30 min cooldown after each \u00B7 your best attempt counts'
    );
  });
  it("says where grading stands, and that a grader fault is not the learner's", () => {
    expect(gradingNote(unit('a'))).toBeNull();
    expect(gradingNote(unit('a', { last_attempt: 2, last_status: 'queued' }))?.text).toBe(
      'Attempt 2 is waiting for the grader.'
    );
    expect(gradingNote(unit('a', { last_attempt: 2, last_status: 'grading' }))?.kind).toBe(
      'grading'
    );
    expect(gradingNote(unit('a', { last_attempt: 2, last_status: 'graded' }))).toBeNull();
    const error = gradingNote(unit('a', { last_attempt: 3, last_status: 'grader-error' }));
    expect(error?.kind).toBe('grader-error');
    expect(error?.text).toBe(
      'Attempt 3: grading failed, not your answers; it does not count against your attempts.'
    );
    const told = gradingNote(
      unit('a', {
        last_attempt: 3,
        last_status: 'queued',
        grading_problem: {
          attempt: 3,
          final: false,
          message: 'grading failed, not your answers; it will be retried',
          cause: 'x'
        }
      })
    );
    expect(told).toEqual({
      kind: 'retrying',
      text: 'Attempt 3: grading failed, not your answers; it will be retried.'
    });
  });
});

describe('what the card says about review and overrides', () => {
  it('says written answers await the instructor, until the unit is mastered', () => {
    expect(reviewText(unit('a', { awaiting_review: true, state: 'in_progress' }))).toMatch(
      /waiting for your instructor to grade them/
    );
    expect(reviewText(unit('a', { awaiting_review: false }))).toBeNull();
    expect(reviewText(unit('a', { awaiting_review: true, state: 'mastered' }))).toBeNull();
  });
  it("lists the instructor's overrides in the service's words", () => {
    const notes = ['Your instructor granted 2 more attempts on this unit.'];
    expect(overrideNotes(unit('a', { notes }))).toEqual(notes);
    expect(overrideNotes(unit('a'))).toEqual([]);
  });
});
