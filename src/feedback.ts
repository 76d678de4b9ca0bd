/**
 * The feedback of a unit's attempts in a JupyterLab tab.
 *
 * The server renders the page (`/mastery/units/<unit>/feedback?attempt=N`); we fetch it with
 * the server's credentials and show it in a sandboxed iframe with no scripts allowed, so the
 * learner-controlled text in it (messages from their own code) can do nothing but be read.
 *
 * - Every attempt is reachable: a labelled list of the unit's attempts (newest first) above
 *   the page. Choosing the newest follows the latest attempt; choosing an older one stays
 *   on it.
 * - When a newer result lands (the sidebar sees it), a tab that follows the latest attempt
 *   loads it; one kept on an older attempt says a newer one is in the list.
 * - Restored after a page reload (src/index.ts registers the tab with JupyterLab's layout
 *   restorer; `stateChanged` tells it the attempt shown).
 * - Times on the page (`<time datetime>`) are shown as the sidebar shows them: the learner's
 *   local clock, to the second, the cooldown with a live countdown (src/clock.ts).
 * - The page colours itself with JupyterLab's theme variables: we copy the ones it uses from
 *   this document onto the frame's root, again whenever the theme changes; the bar above it
 *   uses them directly.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { cooldownView, formatClock, parseTime, ServerClock } from './clock';
import { IAttemptHistory, IAttemptSummary } from './documents';
import { domId, el } from './dom';
import { requestAPI, requestFeedbackHTML } from './request';

/** Opens a link of the feedback page: a course resource in JupyterLab, a URL in a new tab. */
export type LinkOpener = (href: string) => void;

/** The JupyterLab theme variables the feedback page reads (mastery_nb/feedback/html.py). */
const THEME_VARIABLES = [
  '--jp-ui-font-color1',
  '--jp-ui-font-color2',
  '--jp-layout-color0',
  '--jp-layout-color3',
  '--jp-border-color1',
  '--jp-success-color1',
  '--jp-success-color3',
  '--jp-error-color1',
  '--jp-error-color3',
  '--jp-warn-color1',
  '--jp-warn-color3',
  '--jp-content-link-color',
  '--jp-cell-editor-background',
  '--jp-ui-font-family',
  '--jp-code-font-family'
];

const STATUS_WORDS: Record<string, string> = {
  queued: 'waiting to be graded',
  grading: 'being graded',
  failed: 'grading failed (not your answers)',
  'grader-error': 'grading failed (not your answers)'
};

/** "Attempt 2 · graded, not mastered · submitted 14:02:11" */
export function attemptLabel(attempt: IAttemptSummary, clock: ServerClock): string {
  const status =
    attempt.status === 'graded'
      ? attempt.mastered
        ? 'graded, mastered'
        : 'graded, not mastered'
      : (STATUS_WORDS[attempt.status] ?? attempt.status);
  const at = parseTime(attempt.submitted_at);
  const when =
    at === null
      ? ''
      : ` \u00B7 submitted ${formatClock(clock.toLocal(at), clock.toLocal(clock.now()))}`;
  return `Attempt ${attempt.number} \u00B7 ${status}${when}`;
}

export class FeedbackView extends Widget {
  constructor(
    readonly unitId: string,
    readonly unitTitle: string,
    private readonly openLink: LinkOpener,
    private readonly clock: ServerClock,
    attempt: number | null = null
  ) {
    super();
    this._attempt = attempt;
    this.addClass('jp-Mastery-feedback');
    const bar = el('div', { class: 'jp-Mastery-feedbackBar' });
    const selectId = domId('jp-mastery-attempts', unitId);
    bar.appendChild(el('label', { for: selectId }, 'Attempt'));
    this.select = el('select', { id: selectId, class: 'jp-Mastery-attemptSelect' });
    this.select.addEventListener('change', () => {
      const chosen = Number(this.select.value);
      const newest = this._attempts.length
        ? this._attempts[this._attempts.length - 1].number
        : null;
      void this.load(chosen === newest ? null : chosen);
    });
    bar.appendChild(this.select);
    this.note = el('span', {
      class: 'jp-Mastery-feedbackNote',
      role: 'status',
      'aria-live': 'polite'
    });
    bar.appendChild(this.note);
    this.node.appendChild(bar);

    this.frame = document.createElement('iframe');
    // same origin so we can route its links and show its times; no scripts ever run in it
    this.frame.setAttribute('sandbox', 'allow-same-origin');
    this.frame.addEventListener('load', () => {
      this.applyTheme();
      this.routeLinks();
      this.showTimes();
    });
    this.frame.setAttribute('title', `Feedback on ${unitTitle}`);
    this.frame.className = 'jp-Mastery-feedbackFrame';
    this.message = el('p', { role: 'alert', class: 'jp-Mastery-feedbackError' });
    this.node.appendChild(this.message);
    this.node.appendChild(this.frame);
    // JupyterLab marks the theme on <body>: follow it while the tab is open
    this.themeWatch = new MutationObserver(() => this.applyTheme());
    this.themeWatch.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
  }

  /** The attempt shown when the learner chose one; null when the tab follows the latest. */
  get attempt(): number | null {
    return this._attempt;
  }

  /** The attempt shown changed (the layout restorer saves it). */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  dispose(): void {
    this.themeWatch.disconnect();
    this.stopTicker();
    super.dispose();
  }

  /** Show an attempt's feedback (null: the latest) and the list of every attempt. */
  async load(attempt: number | null = this._attempt): Promise<void> {
    const changed = attempt !== this._attempt;
    this._attempt = attempt;
    if (changed) {
      this._stateChanged.emit(undefined);
    }
    this.message.textContent = 'Loading the feedback\u2026';
    this.note.textContent = '';
    try {
      const [history, page] = await Promise.all([
        requestAPI<IAttemptHistory>(`api/units/${encodeURIComponent(this.unitId)}/attempts`),
        requestFeedbackHTML(this.unitId, attempt)
      ]);
      this.showAttempts(history.attempts);
      this.frame.srcdoc = page;
      this.message.textContent = '';
    } catch (error) {
      this.message.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  /** A newer result landed: follow it, or say it is there when an older attempt is shown. */
  async refresh(): Promise<void> {
    if (this._attempt === null) {
      return this.load(null);
    }
    try {
      const history = await requestAPI<IAttemptHistory>(
        `api/units/${encodeURIComponent(this.unitId)}/attempts`
      );
      this.showAttempts(history.attempts);
      const newest = history.attempts[history.attempts.length - 1];
      if (newest && newest.number !== this._attempt) {
        this.note.textContent = `Attempt ${newest.number} is ${
          STATUS_WORDS[newest.status] ?? newest.status
        }: choose it in the list to read it.`;
      }
    } catch (error) {
      this.note.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  private showAttempts(attempts: IAttemptSummary[]): void {
    this._attempts = attempts;
    this.select.textContent = '';
    for (const attempt of [...attempts].reverse()) {
      this.select.appendChild(
        el('option', { value: String(attempt.number) }, attemptLabel(attempt, this.clock))
      );
    }
    const newest = attempts.length ? attempts[attempts.length - 1].number : null;
    const shown = this._attempt ?? newest;
    if (shown !== null) {
      this.select.value = String(shown);
    }
  }

  /** Copy JupyterLab's theme variables onto the page, so it reads as the rest of JupyterLab. */
  private applyTheme(): void {
    const root = this.frame.contentDocument?.documentElement;
    if (!root) {
      return;
    }
    const style = getComputedStyle(document.body);
    for (const name of THEME_VARIABLES) {
      const value = style.getPropertyValue(name).trim();
      if (value) {
        root.style.setProperty(name, value);
      } else {
        root.style.removeProperty(name);
      }
    }
    const light = document.body.dataset.jpThemeLight;
    if (light !== undefined) {
      root.style.setProperty('color-scheme', light === 'false' ? 'dark' : 'light');
    }
  }

  /** The page's times in the learner's local time; a cooldown counts down every second. */
  private showTimes(): void {
    this.stopTicker();
    const times = Array.from(this.frame.contentDocument?.querySelectorAll('time[datetime]') ?? []);
    const update = (): boolean => {
      let running = false;
      for (const node of times) {
        const iso = node.getAttribute('datetime');
        const at = parseTime(iso);
        if (at === null) {
          continue;
        }
        const shown = formatClock(this.clock.toLocal(at), this.clock.toLocal(this.clock.now()));
        if (node.getAttribute('data-kind') === 'cooldown') {
          const view = cooldownView(iso, this.clock);
          node.textContent = view ? `${view.at} (in ${view.left})` : `${shown} (now)`;
          running = running || view !== null;
        } else {
          node.textContent = shown;
        }
        node.setAttribute('title', new Date(at).toString());
      }
      return running;
    };
    if (update()) {
      this._ticker = window.setInterval(() => {
        if (!update()) {
          this.stopTicker();
        }
      }, 1000);
    }
  }

  private stopTicker(): void {
    if (this._ticker !== null) {
      window.clearInterval(this._ticker);
      this._ticker = null;
    }
  }

  /** Correctives are course notebooks: open them in JupyterLab, not inside the frame. */
  private routeLinks(): void {
    const doc = this.frame.contentDocument;
    if (!doc) {
      return;
    }
    doc.addEventListener('click', (event: MouseEvent) => {
      const anchor = (event.target as Element | null)?.closest?.('a');
      const href = anchor?.getAttribute('href');
      if (!anchor || !href || href.startsWith('#')) {
        return;
      }
      event.preventDefault();
      // a course file: its path in the course folder, opened in JupyterLab
      this.openLink(anchor.getAttribute('data-course-path') || href);
    });
  }

  private readonly frame: HTMLIFrameElement;
  private readonly message: HTMLParagraphElement;
  private readonly select: HTMLSelectElement;
  private readonly note: HTMLSpanElement;
  private readonly themeWatch: MutationObserver;
  private readonly _stateChanged = new Signal<this, void>(this);
  private _attempt: number | null;
  private _attempts: IAttemptSummary[] = [];
  private _ticker: number | null = null;
}

export function createFeedbackWidget(
  unitId: string,
  title: string,
  openLink: LinkOpener,
  clock: ServerClock,
  attempt: number | null = null
): MainAreaWidget<FeedbackView> {
  const content = new FeedbackView(unitId, title, openLink, clock, attempt);
  const widget = new MainAreaWidget({ content });
  widget.id = `jp-mastery-feedback-${unitId}`;
  widget.title.label = `Feedback: ${title}`;
  widget.title.caption = `Feedback on the attempts of ${title}`;
  widget.title.closable = true;
  return widget;
}
