/**
 * What the notebook's check and quiz widgets need from JupyterLab.
 *
 * - A quiz cell's output carries the learner's answer as an
 *   `application/vnd.mastery-nb.answer+json` bundle (the grader reads it from the saved
 *   notebook). Its `text/plain` twin is for nbconvert and other frontends; here it would be a
 *   second "saved answer" line under the widget's own, so the bundle renders as nothing.
 * - ipywidgets has no ARIA attributes: a quiz's choices arrive as a plain box with the
 *   classes `mastery-quiz-choices` and `mastery-labelledby-<id>` (the id of the question's
 *   prompt). We make that box a labelled group (`role=radiogroup` for one answer, `group`
 *   for several) so a screen reader announces the question with its options; and areas
 *   marked `mastery-live` (verdict, hints, solution) become polite live regions.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

export const ANSWER_MIME = 'application/vnd.mastery-nb.answer+json';

/** Renders the answer bundle as an empty, hidden node. */
class HiddenAnswer extends Widget implements IRenderMime.IRenderer {
  constructor() {
    super();
    this.addClass('jp-Mastery-answerBundle');
    this.node.hidden = true;
  }

  async renderModel(): Promise<void> {
    // nothing to show: the quiz widget above says which answer is saved
  }
}

export const answerRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [ANSWER_MIME],
  defaultRank: 10,
  createRenderer: () => new HiddenAnswer()
};

const LABELLED_BY = 'mastery-labelledby-';

/** Give the quiz groups and live areas under `root` their roles (idempotent). */
export function labelQuizWidgets(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('.mastery-quiz-choices:not([role])').forEach(group => {
    const single = group.classList.contains('mastery-quiz-single');
    group.setAttribute('role', single ? 'radiogroup' : 'group');
    const label = Array.from(group.classList).find(name => name.startsWith(LABELLED_BY));
    if (label) {
      group.setAttribute('aria-labelledby', label.slice(LABELLED_BY.length));
    }
  });
  root.querySelectorAll<HTMLElement>('.mastery-live:not([aria-live])').forEach(area => {
    area.setAttribute('aria-live', 'polite');
  });
}

/** Watch the page for quiz widgets as notebooks render them. */
export function watchQuizWidgets(root: HTMLElement): MutationObserver {
  labelQuizWidgets(root);
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) {
      return;
    }
    scheduled = true;
    window.setTimeout(() => {
      scheduled = false;
      labelQuizWidgets(root);
    }, 0);
  });
  // ipywidgets may add a view's classes after inserting it: watch class changes too
  observer.observe(root, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['class']
  });
  return observer;
}
