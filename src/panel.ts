/**
 * The "Mastery" sidebar: every unit with its state, a bar per objective against its
 * threshold, attempts used and left, the cooldown end, and the buttons to start, open,
 * submit and read feedback.
 *
 * Plain DOM in a Lumino widget: real <button>s (keyboard operable), role=progressbar with
 * aria-valuenow on every bar, a polite live region for news and role=alert for errors, so a
 * screen reader hears what a sighted learner sees. It polls every few seconds while a unit
 * is grading, so feedback shows up on its own.
 */
import { Widget } from '@lumino/widgets';

import {
  IObjectiveStanding,
  IProgress,
  IUnitStanding,
  MasteryRequestError,
  requestAPI,
  IStartResult,
  ISubmitReceipt
} from './request';

/** What the panel asks JupyterLab to do. */
export interface IPanelActions {
  openNotebook(serverPath: string): Promise<void>;
  saveIfOpen(serverPath: string): Promise<void>;
  /** Close a notebook's tabs (before a new form moves its file aside); optional. */
  closeIfOpen?(serverPath: string): Promise<void>;
  openFeedback(unit: IUnitStanding): Promise<void>;
}

const POLL_GRADING_MS = 2000;
const POLL_IDLE_MS = 30000;

const STATE_LABELS: Record<string, string> = {
  locked: 'Locked',
  unlocked: 'Unlocked',
  in_progress: 'In progress',
  grading: 'Grading',
  mastered: 'Mastered'
};

const STATE_SYMBOLS: Record<string, string> = {
  locked: '\u2298',
  unlocked: '\u25CB',
  in_progress: '\u25D0',
  grading: '\u231B',
  mastered: '\u2714'
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function percent(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value * 100)));
}

function formatTime(iso: string): string {
  const when = new Date(iso);
  if (isNaN(when.getTime())) {
    return iso;
  }
  const sameDay = when.toDateString() === new Date().toDateString();
  const time = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${when.toLocaleDateString()} ${time}`;
}

export class MasteryPanel extends Widget {
  constructor(private readonly actions: IPanelActions) {
    super();
    this.id = 'jp-mastery-panel';
    this.addClass('jp-Mastery');
    this.title.caption = 'Mastery';
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Mastery: units and objectives');

    const header = el('div', { class: 'jp-Mastery-header' });
    header.appendChild(el('h2', { class: 'jp-Mastery-heading' }, 'Mastery'));
    this.courseLine = el('p', { class: 'jp-Mastery-course' }, 'Loading the course\u2026');
    header.appendChild(this.courseLine);
    // course staff (the service sets dashboard_url for them only) reach the class from here
    this.dashboardLink = el('a', {
      class: 'jp-Mastery-dashboard',
      target: '_blank',
      rel: 'noopener',
      'data-key': 'dashboard'
    }, 'Class dashboard');
    this.dashboardLink.hidden = true;
    header.appendChild(this.dashboardLink);
    const refresh = el('button', {
      class: 'jp-Mastery-button jp-Mastery-refresh',
      type: 'button',
      'aria-label': 'Refresh the Mastery panel',
      'data-key': 'refresh'
    }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    header.appendChild(refresh);
    this.node.appendChild(header);

    this.alertNode = el('div', { class: 'jp-Mastery-error', role: 'alert' });
    this.statusNode = el('div', { class: 'jp-Mastery-status', role: 'status', 'aria-live': 'polite' });
    this.node.appendChild(this.alertNode);
    this.node.appendChild(this.statusNode);

    this.listNode = el('ul', { class: 'jp-Mastery-units', 'aria-label': 'Units' });
    this.node.appendChild(this.listNode);
  }

  /** The last progress the server sent, for tests and commands. */
  get progress(): IProgress | null {
    return this._progress;
  }

  dispose(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
    super.dispose();
  }

  /** Fetch the learner's standing and redraw; schedules the next poll. */
  async refresh(): Promise<void> {
    if (this._refreshing) {
      // a fetch already in flight may predate what the caller just did (a submission):
      // fetch once more after it
      this._again = true;
      return this._refreshing;
    }
    this._refreshing = (async () => {
      do {
        this._again = false;
        await this._doRefresh();
      } while (this._again && !this.isDisposed);
    })().finally(() => {
      this._refreshing = null;
    });
    return this._refreshing;
  }

  private async _doRefresh(): Promise<void> {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
    let grading = false;
    try {
      const progress = await requestAPI<IProgress>('api/progress');
      this.announceGraded(progress);
      // redraw only when something changed: focus and screen readers are left alone otherwise
      const signature = JSON.stringify({ ...progress, now: null, generated_at: null });
      const changed = signature !== this._signature || this._loadError !== null;
      this._signature = signature;
      this._progress = progress;
      this._loadError = null;
      grading = progress.units.some(u => u.state === 'grading');
      if (changed) {
        this.render();
      }
      if (!grading) {
        void this.ingestPractice();
      }
    } catch (error) {
      this._loadError = this.describe(error);
      this._signature = null;
      this.render();
    }
    if (!this.isDisposed) {
      this._timer = window.setTimeout(
        () => void this.refresh(),
        grading ? POLL_GRADING_MS : POLL_IDLE_MS
      );
    }
  }

  protected onAfterShow(): void {
    void this.refresh();
  }

  private describe(error: unknown): string {
    if (error instanceof MasteryRequestError) {
      return error.message;
    }
    return error instanceof Error ? error.message : String(error);
  }

  private showError(message: string): void {
    this.alertNode.textContent = message;
    this.alertNode.dataset.kind = 'action';
  }

  private showStatus(message: string): void {
    this.statusNode.textContent = message;
  }

  /** Say when a unit that was grading has been graded. */
  private announceGraded(progress: IProgress): void {
    const before = this._progress;
    if (!before) {
      return;
    }
    for (const unit of progress.units) {
      const old = before.units.find(u => u.id === unit.id);
      if (old && old.state === 'grading' && unit.state !== 'grading') {
        const verdict =
          unit.state === 'mastered'
            ? 'mastered'
            : 'not mastered yet; open the feedback to see what to work on';
        this.showStatus(`${unit.title} has been graded: ${verdict}.`);
      } else if (old && old.state === 'locked' && unit.state !== 'locked') {
        this.showStatus(`${this.statusNode.textContent ?? ''} ${unit.title} is now unlocked.`.trim());
      }
    }
  }

  private async ingestPractice(): Promise<void> {
    const now = Date.now();
    if (now - this._lastPractice < POLL_IDLE_MS) {
      return;
    }
    this._lastPractice = now;
    try {
      await requestAPI('api/practice', { method: 'POST', body: '{}' });
    } catch (error) {
      // practice is a record, not a grade: say so quietly but do say it
      console.warn('mastery-nb: practice events not recorded:', this.describe(error));
    }
  }

  private async runAction(label: string, action: () => Promise<void>): Promise<void> {
    this.showError('');
    try {
      await action();
    } catch (error) {
      this.showError(`${label}: ${this.describe(error)}`);
    }
  }

  private async startUnit(unit: IUnitStanding): Promise<void> {
    await this.runAction(`Could not start ${unit.title}`, async () => {
      if (unit.forms) {
        // a new form moves the old notebook aside: save it and close its tab first, so
        // the tab cannot write the old form over the new one
        for (const nb of unit.notebooks) {
          if (nb.server_path) {
            await this.actions.saveIfOpen(nb.server_path);
            await this.actions.closeIfOpen?.(nb.server_path);
          }
        }
      }
      const result = await requestAPI<IStartResult>(
        `api/units/${encodeURIComponent(unit.id)}/start`,
        { method: 'POST', body: '{}' }
      );
      const kept = result.kept.length ? ` (kept ${result.kept.length} file(s) you already had)` : '';
      const moved = Object.values(result.moved ?? {});
      const form = result.form ? ` (form ${result.form})` : '';
      const aside = moved.length ? ` Your earlier work is kept in ${moved.join(', ')}.` : '';
      this.showStatus(`${unit.title} started${form}${kept}.${aside}`);
      await this.refresh();
      const first = result.notebooks.find(n => n.server_path);
      if (first && first.server_path) {
        await this.actions.openNotebook(first.server_path);
      } else if (result.notebooks.length) {
        throw new MasteryRequestError(
          'the unit was copied outside the folder this JupyterLab shows; ask your instructor to set c.MasteryApp.workspace_dir',
          0,
          'outside_root'
        );
      }
    });
  }

  private async openUnit(unit: IUnitStanding): Promise<void> {
    await this.runAction(`Could not open ${unit.title}`, async () => {
      for (const nb of unit.notebooks) {
        if (nb.server_path) {
          await this.actions.openNotebook(nb.server_path);
        }
      }
    });
  }

  private async submitUnit(unit: IUnitStanding): Promise<void> {
    this._busy.add(unit.id);
    this.render();
    this.showError('');
    try {
      for (const nb of unit.notebooks) {
        if (nb.server_path) {
          await this.actions.saveIfOpen(nb.server_path);
        }
      }
      const receipt = await requestAPI<ISubmitReceipt>(
        `api/units/${encodeURIComponent(unit.id)}/submit`,
        { method: 'POST', body: '{}' }
      );
      this.showStatus(`Attempt ${receipt.attempt} of ${unit.title} submitted; grading\u2026`);
    } catch (error) {
      const refused =
        error instanceof MasteryRequestError && (error.status === 409 || error.status === 400);
      this.showError(
        `${refused ? `Submission of ${unit.title} refused` : `Could not submit ${unit.title}`}: ${this.describe(error)}`
      );
    }
    this._busy.delete(unit.id);
    this.render();
    await this.refresh();
  }

  private async viewFeedback(unit: IUnitStanding): Promise<void> {
    await this.runAction(`Could not open the feedback of ${unit.title}`, () =>
      this.actions.openFeedback(unit)
    );
  }

  private render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.getAttribute('data-key');
    const progress = this._progress;
    const serverProblem = this._loadError ?? progress?.grading.error ?? null;
    if (serverProblem) {
      this.alertNode.textContent = serverProblem;
      this.alertNode.dataset.kind = 'load';
    } else if (this.alertNode.dataset.kind === 'load') {
      this.alertNode.textContent = '';
      this.alertNode.dataset.kind = '';
    }
    if (!progress) {
      this.courseLine.textContent = this._loadError ? 'No course loaded.' : 'Loading the course\u2026';
      return;
    }
    const mastered = progress.units.filter(u => u.state === 'mastered').length;
    this.courseLine.textContent = `${progress.course_title} \u00B7 ${progress.student} \u00B7 ${mastered} of ${progress.units.length} units mastered`;
    if (progress.dashboard_url) {
      this.dashboardLink.href = progress.dashboard_url;
      this.dashboardLink.title = `The class dashboard of ${progress.course_title} (opens a new tab)`;
    }
    this.dashboardLink.hidden = !progress.dashboard_url;
    this.listNode.textContent = '';
    for (const unit of progress.units) {
      this.listNode.appendChild(this.renderUnit(unit, progress));
    }
    if (focused) {
      const again = this.node.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`);
      again?.focus();
    }
  }

  private renderUnit(unit: IUnitStanding, progress: IProgress): HTMLLIElement {
    const headingId = `jp-mastery-unit-${unit.id}`;
    const item = el('li', {
      class: 'jp-Mastery-unit',
      'data-unit': unit.id,
      'data-state': unit.state,
      'aria-labelledby': headingId
    });
    const header = el('div', { class: 'jp-Mastery-unitHeader' });
    header.appendChild(
      el('span', { class: 'jp-Mastery-stateIcon', 'aria-hidden': 'true' }, STATE_SYMBOLS[unit.state] ?? '')
    );
    header.appendChild(el('h3', { class: 'jp-Mastery-unitTitle', id: headingId }, unit.title));
    header.appendChild(
      el('span', { class: 'jp-Mastery-state', 'data-state': unit.state }, STATE_LABELS[unit.state] ?? unit.state)
    );
    item.appendChild(header);

    if (unit.state === 'locked') {
      const waits = unit.waits_for_titles?.length ? unit.waits_for_titles : unit.waits_for ?? [];
      item.appendChild(
        el('p', { class: 'jp-Mastery-waits' }, `Waits for: ${waits.join(', ') || 'its prerequisites'}`)
      );
    }

    const objectives = el('ul', { class: 'jp-Mastery-objectives', 'aria-label': `Objectives of ${unit.title}` });
    for (const objective of unit.objectives) {
      objectives.appendChild(this.renderObjective(objective));
    }
    item.appendChild(objectives);

    if (unit.mastered_by === 'placement') {
      item.appendChild(el('p', { class: 'jp-Mastery-placed' }, 'Mastered by placement'));
    }
    if (unit.state !== 'locked') {
      const left =
        unit.attempts_left === null || unit.attempts_left === undefined
          ? 'unlimited left'
          : `${unit.attempts_left} left`;
      item.appendChild(
        el('p', { class: 'jp-Mastery-attempts' }, `Attempts: ${unit.attempts_used} used, ${left}`)
      );
      if (unit.forms) {
        item.appendChild(el('p', { class: 'jp-Mastery-form' }, `Your form: ${unit.form}`));
      }
    }
    if (unit.grading_problem) {
      item.appendChild(
        el(
          'p',
          { class: 'jp-Mastery-gradingProblem', role: 'status' },
          `Attempt ${unit.grading_problem.attempt}: ${unit.grading_problem.message}.`
        )
      );
    }
    const coolingDown =
      unit.state !== 'mastered' &&
      !!unit.cooldown_until &&
      new Date(unit.cooldown_until) > new Date(progress.now);
    if (coolingDown && unit.cooldown_until) {
      item.appendChild(
        el('p', { class: 'jp-Mastery-cooldown' }, `Next attempt from ${formatTime(unit.cooldown_until)}`)
      );
    }

    const actions = el('div', { class: 'jp-Mastery-actions' });
    const button = (key: string, label: string, aria: string, onClick: () => void, disabled = false) => {
      const b = el('button', {
        class: `jp-Mastery-button jp-Mastery-${key}`,
        type: 'button',
        'aria-label': aria,
        'data-key': `${key}:${unit.id}`
      }, label);
      b.disabled = disabled;
      b.addEventListener('click', onClick);
      actions.appendChild(b);
    };
    const busy = this._busy.has(unit.id);
    if (unit.state !== 'locked') {
      if (!unit.started) {
        const label = unit.forms && unit.form > 1 ? `Start form ${unit.form}` : 'Start unit';
        button('start', label, `Start unit ${unit.title}`, () => void this.startUnit(unit));
      } else {
        button('open', 'Open', `Open unit ${unit.title}`, () => void this.openUnit(unit));
        if (unit.state !== 'mastered') {
          const grading = unit.state === 'grading';
          button(
            'submit',
            grading ? 'Grading\u2026' : busy ? 'Submitting\u2026' : 'Submit',
            `Submit unit ${unit.title}`,
            () => void this.submitUnit(unit),
            grading || busy
          );
        }
      }
      if (unit.attempts_used > 0) {
        button('feedback', 'Feedback', `View feedback of unit ${unit.title}`, () => void this.viewFeedback(unit));
      }
    }
    if (actions.childElementCount) {
      item.appendChild(actions);
    }
    return item;
  }

  private renderObjective(objective: IObjectiveStanding): HTMLLIElement {
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
    return item;
  }

  private readonly courseLine: HTMLParagraphElement;
  private readonly dashboardLink: HTMLAnchorElement;
  private readonly alertNode: HTMLDivElement;
  private readonly statusNode: HTMLDivElement;
  private readonly listNode: HTMLUListElement;
  private _progress: IProgress | null = null;
  private _loadError: string | null = null;
  private _signature: string | null = null;
  private _again = false;
  private _timer: number | null = null;
  private _refreshing: Promise<void> | null = null;
  private _lastPractice = 0;
  private readonly _busy = new Set<string>();
}
