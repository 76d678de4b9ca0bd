/**
 * mastery-nb's JupyterLab extension: the "Mastery" sidebar on the left, the feedback tabs
 * (restored after a page reload) and the quiz widgets' helpers.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  MainAreaWidget,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { ServerClock } from './clock';
import { IConfirmation } from './confirm';
import { el } from './dom';
import { createFeedbackWidget, FeedbackView } from './feedback';
import { MasteryPanel } from './panel';
import { answerRendererFactory, watchQuizWidgets } from './quiz';

const masteryIcon = new LabIcon({
  name: 'mastery-nb:icon',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16">' +
    '<path class="jp-icon3" fill="#616161" d="M12 2l2.9 6.1 6.6.8-4.9 4.5 1.3 6.6L12 16.8 6.1 20l1.3-6.6L2.5 8.9l6.6-.8z"/>' +
    '</svg>'
});

namespace CommandIDs {
  export const show = 'mastery-nb:show';
  export const refresh = 'mastery-nb:refresh';
  export const openFeedback = 'mastery-nb:open-feedback';
}

/** The question before a submission, as a JupyterLab dialog ("Keep working" is the default). */
async function confirmSubmission(question: IConfirmation): Promise<boolean> {
  const body = el('div', { class: 'jp-Mastery-confirm' });
  for (const reason of question.reasons) {
    body.appendChild(el('p', { class: 'jp-Mastery-confirmReason' }, reason));
  }
  const list = el('ul', { class: 'jp-Mastery-confirmConsequences' });
  for (const line of question.consequences) {
    list.appendChild(el('li', {}, line));
  }
  body.appendChild(list);
  const result = await showDialog({
    title: question.title,
    body: new Widget({ node: body }),
    buttons: [
      Dialog.cancelButton({ label: question.cancel }),
      Dialog.warnButton({ label: question.accept })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'mastery-nb:plugin',
  description: 'The Mastery sidebar: units, objectives, submissions and feedback.',
  autoStart: true,
  requires: [IDocumentManager],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    docManager: IDocumentManager,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const clock = new ServerClock();
    const feedbackTabs = new WidgetTracker<MainAreaWidget<FeedbackView>>({
      namespace: 'mastery-nb-feedback'
    });
    let starting = true;
    void app.restored.then(() => {
      starting = false;
    });

    /** A feedback link: a web page in a new browser tab, a course file in JupyterLab. */
    const openLink = (href: string): void => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
        if (/^https?:/i.test(href)) {
          window.open(href, '_blank', 'noopener');
        }
        return;
      }
      const workspace = panel.progress?.workspace;
      if (!workspace) {
        return;
      }
      const clean = href.split(/[?#]/)[0].replace(/^\.\//, '');
      if (clean.split('/').includes('..')) {
        return;
      }
      const path = workspace === '.' ? clean : `${workspace}/${clean}`;
      void app.commands.execute('docmanager:open', { path });
    };

    app.commands.addCommand(CommandIDs.openFeedback, {
      label: args => `Open the feedback of ${String(args.title ?? args.unit ?? 'a unit')}`,
      execute: async args => {
        const unit = String(args.unit ?? '');
        if (!unit) {
          return;
        }
        const title = String(args.title ?? unit);
        const attempt = typeof args.attempt === 'number' ? args.attempt : null;
        let tab = feedbackTabs.find(w => w.content.unitId === unit);
        if (!tab) {
          const created = createFeedbackWidget(unit, title, openLink, clock, attempt);
          tab = created;
          created.content.stateChanged.connect(() => void feedbackTabs.save(created));
          await feedbackTabs.add(created);
          app.shell.add(created, 'main');
        }
        if (!starting) {
          app.shell.activateById(tab.id);
        }
        await tab.content.load(attempt);
        return tab;
      }
    });
    if (restorer) {
      void restorer.restore(feedbackTabs, {
        command: CommandIDs.openFeedback,
        args: w => ({
          unit: w.content.unitId,
          title: w.content.unitTitle,
          attempt: w.content.attempt
        }),
        name: w => w.content.unitId
      });
    }

    const panel = new MasteryPanel(
      {
        openNotebook: async (path: string) => {
          const widget = docManager.openOrReveal(path);
          if (!widget) {
            throw new Error(`JupyterLab could not open ${path}`);
          }
        },
        saveIfOpen: async (path: string) => {
          const widget = docManager.findWidget(path);
          const context = widget ? docManager.contextForWidget(widget) : undefined;
          if (context && context.model.dirty) {
            await context.save();
          }
        },
        closeIfOpen: async (path: string) => {
          if (docManager.findWidget(path)) {
            await docManager.closeFile(path);
          }
        },
        openFeedback: async unit => {
          await app.commands.execute(CommandIDs.openFeedback, {
            unit: unit.id,
            title: unit.title,
            attempt: null
          });
        },
        confirm: confirmSubmission,
        resultsChanged: unit => {
          const tab = feedbackTabs.find(w => w.content.unitId === unit.id);
          if (tab) {
            void tab.content.refresh();
          }
        }
      },
      clock
    );
    panel.title.icon = masteryIcon;
    app.shell.add(panel, 'left', { rank: 600 });
    if (restorer) {
      restorer.add(panel, 'mastery-nb-panel');
    }

    app.commands.addCommand(CommandIDs.show, {
      label: 'Show the Mastery panel',
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh the Mastery panel',
      execute: () => panel.refresh()
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.show, category: 'Mastery' });
      palette.addItem({ command: CommandIDs.refresh, category: 'Mastery' });
    }
    void app.restored.then(() => panel.refresh());
  }
};

/** The notebook's quiz widgets: a hidden answer bundle, labelled groups of choices. */
const quizPlugin: JupyterFrontEndPlugin<void> = {
  id: 'mastery-nb:quiz-widgets',
  description: 'Hides the quiz answer bundle and labels quiz choices for screen readers.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry) => {
    rendermime.addFactory(answerRendererFactory, answerRendererFactory.defaultRank);
    watchQuizWidgets(document.body);
  }
};

export default [plugin, quizPlugin];
