/**
 * The feedback of an attempt in a JupyterLab tab.
 *
 * The server renders the page (`/mastery/units/<unit>/feedback`); we fetch it with the
 * server's credentials and show it in a sandboxed iframe with no scripts allowed, so the
 * learner-controlled text in it (messages from their own code) can do nothing but be read.
 * The page colours itself with JupyterLab's theme variables when it has them: we copy the
 * ones it uses from this document onto the frame's root, again whenever the theme changes.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { MasteryRequestError, requestFeedbackHTML } from './request';

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
    this.frame.addEventListener('load', () => {
      this.applyTheme();
      this.routeLinks();
    });
    this.frame.setAttribute('title', 'Feedback');
    this.frame.className = 'jp-Mastery-feedbackFrame';
    this.message = document.createElement('p');
    this.message.setAttribute('role', 'alert');
    this.message.className = 'jp-Mastery-feedbackError';
    this.node.appendChild(this.message);
    this.node.appendChild(this.frame);
    // JupyterLab marks the theme on <body>: follow it while the tab is open
    this.themeWatch = new MutationObserver(() => this.applyTheme());
    this.themeWatch.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
  }

  dispose(): void {
    this.themeWatch.disconnect();
    super.dispose();
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
      // a course file: its path in the course folder, opened in JupyterLab
      this.openLink(anchor.getAttribute('data-course-path') || href);
    });
  }

  private readonly frame: HTMLIFrameElement;
  private readonly message: HTMLParagraphElement;
  private readonly themeWatch: MutationObserver;
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
