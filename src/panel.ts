/**
 * The "Mastery" sidebar: what to do next, the course as a map, and every unit with its
 * state, a bar per objective against its threshold beside the learner's practice, the
 * resubmission policy, attempts used and left, a live countdown while a cooldown runs,
 * and the buttons to start, open, submit and read feedback.
 *
 * Plain DOM in a Lumino widget: real <button>s (keyboard operable), role=progressbar with
 * aria-valuenow on every bar, a polite live region for news and role=alert for errors, so a
 * screen reader hears what a sighted learner sees. It polls every few seconds while a unit
 * is grading, so feedback shows up on its own; every time comes from one clock, the
 * server's (src/clock.ts). When the server or the mastery service does not answer, the
 * panel keeps what it last knew, says so and tries again.
 */
import { Widget } from '@lumino/widgets';

import { formatClock, parseTime, secondsUntil, ServerClock } from './clock';
import { IConfirmation, ISubmittable, submitConfirmation } from './confirm';
import { IPracticeSummary, IProgress, ISubmitReadiness, IUnitStanding } from './documents';
import { el } from './dom';
import { courseMap } from './mapView';
import { IReceipt, progressNews } from './news';
import { practiceByObjective, upNext } from './nextUp';
import { placementDone, placementView } from './placement';
import { IPlacementActions, placementsSection } from './placementCard';
import { IStartResult, ISubmitReceipt, MasteryRequestError, requestAPI } from './request';
import { cardId, cooldownText, IUnitActions, IUnitContext, unitCard } from './unitCard';
import { upNextSection } from './upNextView';
import { IAttemptsStanding } from './words';

/** What the panel starts, opens, submits and shows feedback of: a unit or a placement
 * (test-out) notebook; both go through the same routes under their own id. */
export type IWorkItem = ISubmittable &
  IAttemptsStanding &
  Pick<IUnitStanding, 'id' | 'notebooks' | 'forms' | 'form'>;

/** What the panel asks JupyterLab to do. */
export interface IPanelActions {
  openNotebook(serverPath: string): Promise<void>;
  saveIfOpen(serverPath: string): Promise<void>;
  /** Close a notebook's tabs (before a new form moves its file aside); optional. */
  closeIfOpen?(serverPath: string): Promise<void>;
  openFeedback(unit: { id: string; title: string }): Promise<void>;
  /** ask the learner; resolves true when they choose to go ahead */
  confirm(question: IConfirmation): Promise<boolean>;
  /** a unit's latest attempt or its grading changed (an open feedback tab follows) */
  resultsChanged(unit: { id: string }): void;
}

const POLL_GRADING_MS = 2000;
const POLL_IDLE_MS = 30000;
const POLL_TROUBLE_MS = 10000;
/** The longest a redraw waits for a pressed pointer to be released. */
const PRESS_MS = 2000;

export class MasteryPanel extends Widget {
  constructor(
    private readonly actions: IPanelActions,
    readonly clock: ServerClock = new ServerClock()
  ) {
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
    this.dashboardLink = el(
      'a',
      {
        class: 'jp-Mastery-dashboard',
        target: '_blank',
        rel: 'noopener',
        'data-key': 'dashboard'
      },
      'Class dashboard'
    );
    this.dashboardLink.hidden = true;
    header.appendChild(this.dashboardLink);
    const refresh = el(
      'button',
      {
        class: 'jp-Mastery-button jp-Mastery-refresh',
        type: 'button',
        'aria-label': 'Refresh the Mastery panel',
        'data-key': 'refresh'
      },
      'Refresh'
    );
    refresh.addEventListener('click', () => {
      this._lastPractice = 0; // the learner asks for everything now, practice included
      void this.refresh();
    });
    header.appendChild(refresh);
    this.node.appendChild(header);

    this.alertNode = el('div', { class: 'jp-Mastery-error', role: 'alert' });
    this.statusNode = el('div', {
      class: 'jp-Mastery-status',
      role: 'status',
      'aria-live': 'polite'
    });
    this.node.appendChild(this.alertNode);
    this.node.appendChild(this.statusNode);
    this.bodyNode = el('div', { class: 'jp-Mastery-body' });
    this.node.appendChild(this.bodyNode);
    this.listNode = el('ul', { class: 'jp-Mastery-units', 'aria-label': 'Units' });

    // a unit's and a placement's buttons do the same: the same routes, under their own id
    const buttons = {
      start: (item: IWorkItem) => void this.startUnit(item),
      open: (item: IWorkItem) => void this.openUnit(item),
      submit: (item: IWorkItem) => void this.submitUnit(item),
      feedback: (item: IWorkItem) => void this.viewFeedback(item)
    };
    this.unitActions = buttons;
    this.placementActions = buttons;

    // a click is a press and a release on the same node: a redraw in between (a poll that
    // found news) would replace the button and lose the learner's click, so it waits
    this.node.addEventListener('pointerdown', () => this.pressed());
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
    this.stopTicker();
    this._released();
    super.dispose();
  }

  /** A pointer is down in the panel: redraws wait for its release (PRESS_MS at most). */
  private pressed(): void {
    if (this._pressTimer !== null) {
      return;
    }
    window.addEventListener('pointerup', this._released, true);
    window.addEventListener('pointercancel', this._released, true);
    this._pressTimer = window.setTimeout(this._released, PRESS_MS);
  }

  /** The press is over: a redraw that waited runs after the click it would have lost. */
  private readonly _released = (): void => {
    window.removeEventListener('pointerup', this._released, true);
    window.removeEventListener('pointercancel', this._released, true);
    if (this._pressTimer !== null) {
      window.clearTimeout(this._pressTimer);
      this._pressTimer = null;
    }
    if (this._redrawWaits) {
      this._redrawWaits = false;
      window.setTimeout(() => {
        if (!this.isDisposed) {
          this.render();
        }
      }, 0);
    }
  };

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
    let trouble = false;
    try {
      const progress = await requestAPI<IProgress>('api/progress');
      this.clock.sync(progress.now);
      this.announce(progress);
      // redraw only when something changed: focus and screen readers are left alone otherwise
      const signature = JSON.stringify({ ...progress, now: null, generated_at: null });
      const changed = signature !== this._signature || this._loadError !== null;
      this._signature = signature;
      this._progress = progress;
      this._loadError = null;
      grading =
        progress.units.some(u => u.state === 'grading') ||
        progress.placements.some(p => p.state === 'grading');
      if (changed) {
        this.render();
      }
      if (!grading) {
        void this.syncPractice();
      }
    } catch (error) {
      trouble = true;
      this._loadError = error;
      this._signature = null;
      this.render();
    }
    if (!this.isDisposed) {
      this._timer = window.setTimeout(
        () => void this.refresh(),
        trouble ? POLL_TROUBLE_MS : grading ? POLL_GRADING_MS : POLL_IDLE_MS
      );
    }
  }

  protected onAfterShow(): void {
    void this.refresh();
  }

  private describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }

  /** Why the panel cannot load, in words, and what it does about it. */
  private describeLoad(error: unknown): { words: string; detail: string } {
    const known = this._progress
      ? ` The panel shows what it knew at ${formatClock(
          this.clock.toLocal(this._loadedAt),
          Date.now()
        )} and tries again every ${POLL_TROUBLE_MS / 1000} s.`
      : ` The panel tries again every ${POLL_TROUBLE_MS / 1000} s.`;
    if (error instanceof MasteryRequestError) {
      if (error.code === 'unavailable' || [502, 503, 504].includes(error.status)) {
        if (error.code === 'no_course') {
          return { words: error.message, detail: '' };
        }
        return {
          words:
            'The mastery service is not answering right now (it may be restarting); ' +
            `your files are safe and nothing is lost.${known}`,
          detail: error.message
        };
      }
      if (error.status === 0) {
        return { words: `${error.message}${known}`, detail: '' };
      }
    }
    return { words: this.describe(error), detail: '' };
  }

  private showError(message: string): void {
    this.alertNode.textContent = message;
    this.alertNode.dataset.kind = 'action';
  }

  private showStatus(message: string): void {
    this.statusNode.textContent = message;
  }

  /** Say when a unit has been graded or unlocked; tell open feedback about newer results. */
  private announce(progress: IProgress): void {
    const before = this._progress;
    if (!before) {
      return;
    }
    const news = progressNews(before, progress, this._receipt);
    for (const id of news.changed) {
      this.actions.resultsChanged({ id });
    }
    if (news.receiptTold) {
      this._receipt = null;
    }
    if (news.lines.length) {
      this.showStatus(news.lines.join(' '));
    }
  }

  /** Send the workspace's practice to the server (every 30 s at most), then read it back. */
  private async syncPractice(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this._lastPractice < POLL_IDLE_MS) {
      return;
    }
    this._lastPractice = now;
    try {
      await requestAPI('api/practice', { method: 'POST', body: '{}' });
    } catch (error) {
      // practice is a record, not a grade: say so quietly but do say it
      console.warn('mastery-nb: practice events not recorded:', this.describe(error));
    }
    await this.readPractice();
  }

  private async readPractice(): Promise<void> {
    try {
      const practice = await requestAPI<IPracticeSummary>('api/practice');
      const before = JSON.stringify(this._practice?.questions ?? null);
      this._practice = practice;
      if (JSON.stringify(practice.questions) !== before) {
        this.render();
      }
    } catch (error) {
      console.warn('mastery-nb: practice not read:', this.describe(error));
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

  private async startUnit(unit: IWorkItem): Promise<void> {
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
      const kept = result.kept.length
        ? ` (kept ${result.kept.length} file(s) you already had)`
        : '';
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

  private async openUnit(unit: IWorkItem): Promise<void> {
    await this.runAction(`Could not open ${unit.title}`, async () => {
      for (const nb of unit.notebooks) {
        if (nb.server_path) {
          await this.actions.openNotebook(nb.server_path);
        }
      }
    });
  }

  /** The facts to decide whether to ask first; null when they cannot be had (submit then
   * says what is wrong, e.g. a server that is down). */
  private async readiness(unit: IWorkItem): Promise<ISubmitReadiness | null> {
    try {
      return await requestAPI<ISubmitReadiness>(
        `api/units/${encodeURIComponent(unit.id)}/readiness`
      );
    } catch (error) {
      console.warn('mastery-nb: no readiness before submitting:', this.describe(error));
      return null;
    }
  }

  private async submitUnit(unit: IWorkItem): Promise<void> {
    this._busy.add(unit.id);
    this.render();
    this.showError('');
    try {
      for (const nb of unit.notebooks) {
        if (nb.server_path) {
          await this.actions.saveIfOpen(nb.server_path);
        }
      }
      const ready = await this.readiness(unit);
      if (ready) {
        // the readiness route recorded the workspace's practice first: the card beside the
        // question then tells the same story as the question ("1 check tried, 0 passing")
        void this.readPractice();
      }
      const question = ready ? submitConfirmation(unit, ready, this.clock) : null;
      if (question && !(await this.actions.confirm(question))) {
        this.showStatus(`${unit.title} not submitted: you kept working.`);
        return;
      }
      const receipt = await requestAPI<ISubmitReceipt>(
        `api/units/${encodeURIComponent(unit.id)}/submit`,
        { method: 'POST', body: '{}' }
      );
      const next = cooldownText(receipt.cooldown_until, this.clock, {});
      const words = `Attempt ${receipt.attempt} of ${unit.title} submitted`;
      this._receipt = { id: unit.id, attempt: receipt.attempt, words };
      this.showStatus(`${words}; grading\u2026${next ? ` ${next}.` : ''}`);
    } catch (error) {
      const refused =
        error instanceof MasteryRequestError && (error.status === 409 || error.status === 400);
      this.showError(
        refused
          ? `Not submitted: ${this.describe(error)}.`
          : `Could not submit ${unit.title}: ${this.describe(error)}`
      );
    } finally {
      this._busy.delete(unit.id);
      this.render();
      void this.readPractice();
      await this.refresh();
    }
  }

  private async viewFeedback(unit: IWorkItem): Promise<void> {
    await this.runAction(`Could not open the feedback of ${unit.title}`, () =>
      this.actions.openFeedback(unit)
    );
  }

  /** Show a unit's card (the map's nodes lead here). */
  selectUnit(unitId: string): void {
    const card = this.node.querySelector<HTMLElement>(`#${CSS.escape(cardId(unitId))}`);
    if (!card) {
      return;
    }
    card.scrollIntoView({ block: 'nearest' });
    card.focus();
    card.classList.add('jp-Mastery-unit-selected');
    window.setTimeout(() => card.classList.remove('jp-Mastery-unit-selected'), 1500);
  }

  private renderProblem(): void {
    const error = this._loadError;
    const problem = error !== null ? this.describeLoad(error) : null;
    const graderProblem = this._progress?.grading.error ?? null;
    if (problem || graderProblem) {
      this.alertNode.textContent = problem ? problem.words : (graderProblem ?? '');
      if (problem?.detail) {
        this.alertNode.appendChild(
          el('span', { class: 'jp-Mastery-detail' }, ` (${problem.detail})`)
        );
      }
      this.alertNode.dataset.kind = 'load';
    } else if (this.alertNode.dataset.kind === 'load') {
      this.alertNode.textContent = '';
      this.alertNode.dataset.kind = '';
    }
  }

  private render(): void {
    if (this._pressTimer !== null) {
      this._redrawWaits = true;
      return;
    }
    const focused = (document.activeElement as HTMLElement | null)?.getAttribute('data-key');
    const progress = this._progress;
    if (this._loadError === null && progress) {
      this._loadedAt = this.clock.now();
    }
    this.renderProblem();
    this.node.classList.toggle('jp-Mastery-stale', this._loadError !== null && !!progress);
    if (!progress) {
      this.courseLine.textContent = this._loadError
        ? 'No course loaded.'
        : 'Loading the course\u2026';
      return;
    }
    const mastered = progress.units.filter(u => u.state === 'mastered').length;
    this.courseLine.textContent = `${progress.course_title} \u00B7 ${progress.student} \u00B7 ${mastered} of ${progress.units.length} units mastered`;
    if (progress.dashboard_url) {
      this.dashboardLink.href = progress.dashboard_url;
      this.dashboardLink.title = `The class dashboard of ${progress.course_title} (opens a new tab)`;
    }
    this.dashboardLink.hidden = !progress.dashboard_url;

    const next = upNext(progress.units);
    const context = (unitId: string): IUnitContext => ({
      clock: this.clock,
      format: {},
      practice: practiceByObjective(this._practice, unitId),
      busy: this._busy.has(unitId),
      actions: this.unitActions
    });
    this.bodyNode.textContent = '';
    const offered = (progress.placements ?? []).find(
      p =>
        next.unit !== null &&
        p.units.includes(next.unit.id) &&
        placementView(p, progress.units).phase === 'offer'
    );
    this.bodyNode.appendChild(
      upNextSection(next, context(next.unit?.id ?? ''), offered?.title ?? null)
    );
    // placements (test-out) where a learner deciding where to start looks: before the map
    const placements = placementsSection(progress.placements ?? [], progress.units, p => ({
      clock: this.clock,
      format: {},
      busy: this._busy.has(p.id),
      actions: this.placementActions
    }));
    if (placements) {
      this.bodyNode.appendChild(placements);
    }
    const mapHeading = el('h3', { class: 'jp-Mastery-sectionHeading' }, 'Course map');
    this.bodyNode.appendChild(mapHeading);
    this.bodyNode.appendChild(
      courseMap(progress.units, next.unit?.id ?? null, id => this.selectUnit(id))
    );
    this.bodyNode.appendChild(el('h3', { class: 'jp-Mastery-sectionHeading' }, 'Units'));
    this.listNode.textContent = '';
    progress.units.forEach((unit, i) => {
      this.listNode.appendChild(unitCard(unit, i + 1, context(unit.id)));
    });
    this.bodyNode.appendChild(this.listNode);
    if (focused) {
      const again = this.node.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`);
      again?.focus();
    }
    this.syncTicker();
  }

  /** While a cooldown runs, count it down every second; redraw when one ends. */
  private syncTicker(): void {
    const progress = this._progress;
    const cooling = (until: string | null) => {
      const end = parseTime(until);
      return end !== null && secondsUntil(end, this.clock.now()) > 0;
    };
    const running =
      (progress?.units ?? []).some(u => u.state !== 'mastered' && cooling(u.cooldown_until)) ||
      (progress?.placements ?? []).some(
        p => placementDone(p, progress?.units ?? []) === null && cooling(p.cooldown_until)
      );
    if (running && this._ticker === null) {
      this._ticker = window.setInterval(() => this.tick(), 1000);
    } else if (!running) {
      this.stopTicker();
    }
  }

  private stopTicker(): void {
    if (this._ticker !== null) {
      window.clearInterval(this._ticker);
      this._ticker = null;
    }
  }

  private tick(): void {
    let ended = false;
    for (const node of Array.from(this.node.querySelectorAll<HTMLElement>('[data-until]'))) {
      const text = cooldownText(node.dataset.until ?? null, this.clock, {});
      if (text) {
        node.textContent = text;
      } else {
        ended = true;
      }
    }
    if (ended) {
      this.render(); // Submit is enabled on the same second the server takes it again
      void this.refresh();
    }
  }

  private readonly courseLine: HTMLParagraphElement;
  private readonly dashboardLink: HTMLAnchorElement;
  private readonly alertNode: HTMLDivElement;
  private readonly statusNode: HTMLDivElement;
  private readonly bodyNode: HTMLDivElement;
  private readonly listNode: HTMLUListElement;
  private readonly unitActions: IUnitActions;
  private readonly placementActions: IPlacementActions;
  private _progress: IProgress | null = null;
  /** the last attempt submitted from this panel, until the panel has told its grade */
  private _receipt: IReceipt | null = null;
  private _practice: IPracticeSummary | null = null;
  private _loadError: unknown = null;
  private _loadedAt = 0;
  private _signature: string | null = null;
  private _again = false;
  private _timer: number | null = null;
  private _ticker: number | null = null;
  private _refreshing: Promise<void> | null = null;
  private _lastPractice = 0;
  /** while a pointer is pressed in the panel: its timer, and whether a redraw waits */
  private _pressTimer: number | null = null;
  private _redrawWaits = false;
  private readonly _busy = new Set<string>();
}
