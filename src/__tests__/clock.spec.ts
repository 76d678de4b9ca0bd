import { describe, expect, it } from 'vitest';

import {
  cooldownView,
  formatClock,
  formatDuration,
  parseTime,
  secondsUntil,
  ServerClock
} from '../clock';

const UTC = { locale: 'en-GB', timeZone: 'UTC' };
const T = Date.parse('2026-11-22T04:30:00Z');

describe('durations, worded as the server words its refusals', () => {
  it('counts a started second and joins hours, minutes and seconds', () => {
    expect(formatDuration(4)).toBe('4 s');
    expect(formatDuration(3.2)).toBe('4 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(3665)).toBe('1 h 1 min 5 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-3)).toBe('0 s');
  });
  it('counts whole seconds until a moment, none once it has passed', () => {
    expect(secondsUntil(T + 4000, T)).toBe(4);
    expect(secondsUntil(T + 4001, T)).toBe(5);
    expect(secondsUntil(T, T)).toBe(0);
    expect(secondsUntil(T - 10, T)).toBe(0);
  });
});

describe('the clock shown to the learner', () => {
  it('shows seconds: 04:35:05 is not 04:35 (the bug: "from 04:35", refused at 04:35:01)', () => {
    expect(formatClock(Date.parse('2026-11-22T04:35:05Z'), T, UTC)).toBe('04:35:05');
  });
  it('names another day', () => {
    expect(formatClock(Date.parse('2026-11-23T09:00:00Z'), T, UTC)).toBe('tomorrow 09:00:00');
    expect(formatClock(Date.parse('2026-11-25T09:00:00Z'), T, UTC)).toBe('25 Nov, 09:00:00');
  });
  it("is the learner's own time zone", () => {
    const kolkata = { locale: 'en-GB', timeZone: 'Asia/Kolkata' };
    expect(formatClock(Date.parse('2026-11-22T04:35:05Z'), T, kolkata)).toBe('10:05:05');
  });
  it('parses ISO times from the server, including microseconds', () => {
    expect(parseTime('2026-11-22T04:35:05Z')).toBe(Date.parse('2026-11-22T04:35:05Z'));
    expect(parseTime('2026-11-22T04:35:05.250000Z')).toBe(Date.parse('2026-11-22T04:35:05.250Z'));
    expect(parseTime(null)).toBeNull();
    expect(parseTime('soon')).toBeNull();
  });
});

describe("the server's clock, not the browser's", () => {
  it("measures the offset when an answer arrives and counts down on the server's clock", () => {
    let local = T - 90_000; // this browser's clock is 90 s behind the server's
    const clock = new ServerClock(() => local);
    clock.sync('2026-11-22T04:30:00Z');
    expect(clock.offset).toBe(90_000);
    expect(clock.now()).toBe(T);
    const until = '2026-11-22T04:32:00Z';
    const view = cooldownView(until, clock, UTC);
    expect(view).toEqual({ at: '04:30:30', left: '2 min', seconds: 120 });
    // at 04:30:30 on this browser's clock, the server's reads 04:32:00: over
    local = Date.parse('2026-11-22T04:30:30Z') - 1;
    expect(cooldownView(until, clock, UTC)?.left).toBe('1 s');
    local += 1;
    expect(cooldownView(until, clock, UTC)).toBeNull();
  });
  it('keeps the last offset when the server sends no time', () => {
    const clock = new ServerClock(() => T);
    clock.sync('2026-11-22T04:31:00Z');
    clock.sync(undefined);
    expect(clock.offset).toBe(60_000);
    expect(cooldownView(null, clock)).toBeNull();
  });
});
