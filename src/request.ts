/**
 * Talking to the mastery-nb server extension (routes under `/mastery/`).
 *
 * Every failure becomes a `MasteryRequestError` whose `message` is a sentence a learner
 * can act on: the server's own reason when it gave one (a refused submission says why),
 * or what went wrong with the connection (server down, not signed in).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IErrorDocument, IStartedUnit } from './documents';

// The documents are generated from mastery_nb/documents.py (src/documents.ts); the names
// the sidebar has always used are kept as aliases.
export type {
  IAttemptHistory,
  IErrorDocument,
  IFeedback,
  IGradingStatus,
  INotebookPath,
  IObjectiveStanding,
  IPracticeIngest,
  IPracticeSummary,
  IProgress,
  ISolutionGate,
  ISubmitReadiness,
  ISubmitReceipt,
  IUnitStanding
} from './documents';
export type IStartResult = IStartedUnit;

/** A request that failed, with the reason in words and the server's code when it gave one. */
export class MasteryRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string
  ) {
    super(message);
  }
}

function describeStatus(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return 'You are not signed in to this Jupyter server any more; reload the page.';
    case 404:
      return "The Mastery server extension is not running on this Jupyter server (404). Is mastery-nb installed in the server's environment?";
    case 503:
      return 'The Mastery server extension has no course to serve.';
    default:
      return `The Jupyter server answered with an error (HTTP ${status}).`;
  }
}

/** Call a `/mastery/` route; resolve with its JSON body, or reject with a MasteryRequestError. */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'mastery', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch {
    throw new MasteryRequestError(
      'Cannot reach the Jupyter server: it may have stopped or the network is down. ' +
        'Your files are safe; try again when it is back.',
      0,
      'network'
    );
  }
  const text = await response.text();
  let body: unknown = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    // our routes answer with an IErrorDocument; Jupyter's own errors carry `message`
    const error = (body ?? {}) as Partial<IErrorDocument> & { message?: unknown };
    const reason =
      typeof error.error === 'string'
        ? error.error
        : typeof error.message === 'string' && error.message
          ? error.message
          : describeStatus(response.status);
    const code = typeof error.code === 'string' ? error.code : `http_${response.status}`;
    throw new MasteryRequestError(reason, response.status, code);
  }
  return body as T;
}

/** The feedback page of an attempt as HTML text (fetched with the server's credentials). */
export async function requestFeedbackHTML(
  unitId: string,
  attempt: number | null,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<string> {
  let url = URLExt.join(
    settings.baseUrl,
    'mastery',
    'units',
    encodeURIComponent(unitId),
    'feedback'
  );
  if (attempt !== null) {
    url += `?attempt=${attempt}`;
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch {
    throw new MasteryRequestError(
      'Cannot reach the Jupyter server to load the feedback.',
      0,
      'network'
    );
  }
  if (!response.ok) {
    throw new MasteryRequestError(
      `The feedback could not be loaded: ${response.statusText || describeStatus(response.status)}`,
      response.status,
      `http_${response.status}`
    );
  }
  return response.text();
}
