/**
 * The feedback of an attempt in a JupyterLab tab.
 *
 * The server renders the page (`/mastery/units/<unit>/feedback`); we fetch it with the
 * server's credentials and show it in a sandboxed iframe with no scripts allowed, so the
 * learner-controlled text in it (messages from their own code) can do nothing but be read.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { MasteryRequestError, requestFeedbackHTML } from './request';

/** Opens a link of the feedback page: a course resource in JupyterLab, a URL in a new tab. */
export type LinkOpener = (href: string) => void;

export class FeedbackView extends Widget {
  constructor(
    readonly unitId: string,
    private readonly openLink: LinkOpener
  ) {
    super();
    this.addClass('jp-Mastery-feedback');
    this.frame = document.createElement('iframe');
    // same origin so we can route its links; no scripts ever run in it
    this.frame.setAttribute('sandbox', 'allow-same-origin');
    this.frame.addEventListener('load', () => this.routeLinks());
    this.frame.setAttribute('title', 'Feedback');
    this.frame.className = 'jp-Mastery-feedbackFrame';
    this.message = document.createElement('p');
    this.message.setAttribute('role', 'alert');
    this.message.className = 'jp-Mastery-feedbackError';
    this.node.appendChild(this.message);
    this.node.appendChild(this.frame);
  }

  async load(attempt: number | null = null): Promise<void> {
    this.message.textContent = 'Loading the feedback\u2026';
    try {
      this.frame.srcdoc = await requestFeedbackHTML(this.unitId, attempt);
      this.message.textContent = '';
    } catch (error) {
      this.message.textContent =
        error instanceof MasteryRequestError || error instanceof Error ? error.message : String(error);
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
      this.openLink(href);
    });
  }

  private readonly frame: HTMLIFrameElement;
  private readonly message: HTMLParagraphElement;
}

export function createFeedbackWidget(
  unitId: string,
  title: string,
  openLink: LinkOpener
): MainAreaWidget<FeedbackView> {
  const content = new FeedbackView(unitId, openLink);
  const widget = new MainAreaWidget({ content });
  widget.id = `jp-mastery-feedback-${unitId}`;
  widget.title.label = `Feedback: ${title}`;
  widget.title.caption = `Feedback on your latest attempt of ${title}`;
  widget.title.closable = true;
  return widget;
}
