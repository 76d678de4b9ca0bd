/**
 * One clock for every time the learner sees: the server's.
 *
 * The server decides when a cooldown ends and refuses until then; the browser's clock may
 * be minutes off. So the panel measures the difference once per answer from the server
 * (its `now`, as the answer arrives) and every countdown runs on the server's clock. A
 * moment is shown as the learner's own clock will read it then (their time zone, their
 * clock's error included), to the second: the server ends a cooldown on a whole second
 * (mastery_nb/progress/standing.py, `cooldown_end`), so "Next attempt at 14:05:07" means a
 * submission at 14:05:07 is taken. Durations are worded as the server words its refusals
 * (`format_duration`): "4 s", "2 min", "1 h 30 min".
 *
 * Pure functions and a tiny class: unit-tested in src/__tests__/clock.spec.ts.
 */

/** A millisecond time source (Date.now in the browser; a fixed one in tests). */
export type TimeSource = () => number;

/** The server's clock as seen from this browser. */
export class ServerClock {
  constructor(private readonly local: TimeSource = Date.now) {}

  /** Take the server's `now` (ISO) as of the moment its answer arrived here. */
  sync(serverNow: string | null | undefined, receivedAt: number = this.local()): void {
    const server = parseTime(serverNow);
    if (server !== null) {
      this._offset = server - receivedAt;
    }
  }

  /** Milliseconds the server's clock is ahead of this browser's (negative: behind). */
  get offset(): number {
    return this._offset;
  }

  /** Now, on the server's clock (ms since the epoch). */
  now(): number {
    return this.local() + this._offset;
  }

  /** A moment on the server's clock as this browser's clock will read it then. */
  toLocal(serverMs: number): number {
    return serverMs - this._offset;
  }

  private _offset = 0;
}

/** An ISO time as ms since the epoch; null when absent or not a time. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const ms = Date.parse(iso);
  return isNaN(ms) ? null : ms;
}

/** Whole seconds from `now` until `until` (a started second counts); 0 once it has passed. */
export function secondsUntil(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** A wait in words, as the server words it: "4 s", "2 min", "1 h 1 min 5 s", "0 s". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds - 1e-6));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const parts = [
    hours ? `${hours} h` : '',
    minutes ? `${minutes} min` : '',
    secs ? `${secs} s` : ''
  ].filter(Boolean);
  return parts.join(' ') || '0 s';
}

/** Where and how a moment is shown (tests pin both; the browser's own by default). */
export interface IClockFormat {
  locale?: string;
  timeZone?: string;
}

function dayOf(ms: number, format: IClockFormat): string {
  return new Intl.DateTimeFormat(format.locale, {
    timeZone: format.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(ms);
}

/**
 * A moment as the learner's clock shows it, to the second: "14:05:07" today,
 * "tomorrow 09:00:00", else "24 Nov, 09:00:00". `ms` and `now` are both local-clock times.
 */
export function formatClock(ms: number, now: number, format: IClockFormat = {}): string {
  const time = new Intl.DateTimeFormat(format.locale, {
    timeZone: format.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).format(ms);
  const day = dayOf(ms, format);
  if (day === dayOf(now, format)) {
    return time;
  }
  if (day === dayOf(now + 24 * 3600 * 1000, format)) {
    return `tomorrow ${time}`;
  }
  const date = new Intl.DateTimeFormat(format.locale, {
    timeZone: format.timeZone,
    day: 'numeric',
    month: 'short'
  }).format(ms);
  return `${date}, ${time}`;
}

/** What a running cooldown looks like at one moment: when it ends, and how long still. */
export interface ICooldownView {
  /** the end as the learner's clock will show it ("14:05:07") */
  at: string;
  /** how long still, in words ("1 min 5 s") */
  left: string;
  /** seconds still (0: over) */
  seconds: number;
}

/** A cooldown ending at `until` (ISO, server time) seen now; null when none is running. */
export function cooldownView(
  until: string | null | undefined,
  clock: ServerClock,
  format: IClockFormat = {}
): ICooldownView | null {
  const end = parseTime(until);
  if (end === null) {
    return null;
  }
  const seconds = secondsUntil(end, clock.now());
  if (seconds <= 0) {
    return null;
  }
  return {
    at: formatClock(clock.toLocal(end), clock.toLocal(clock.now()), format),
    left: formatDuration(seconds),
    seconds
  };
}
