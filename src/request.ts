/**
 * Talking to the mastery-nb server extension (routes under `/mastery/`).
 *
 * Every failure becomes a `MasteryRequestError` whose `message` is a sentence a learner
 * can act on: the server's own reason when it gave one (a refused submission says why),
 * or what went wrong with the connection (server down, not signed in).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export interface IObjectiveStanding {
  id: string;
  description?: string;
  score: number;
  threshold: number;
  mastered: boolean;
}

export interface INotebookPath {
  path: string;
  server_path: string | null;
}

export interface IUnitStanding {
  id: string;
  title: string;
  description?: string;
  state: 'locked' | 'unlocked' | 'in_progress' | 'grading' | 'mastered' | string;
  waits_for?: string[];
  waits_for_titles?: string[];
  attempts_used: number;
  attempts_left: number | null;
  max_attempts?: number | null;
  cooldown_until: string | null;
  /** grading of the latest attempt failed in the grader (retried, or given up): never the learner's answers */
  grading_problem?: { attempt: number; final: boolean; message: string } | null;
  started: boolean;
  notebooks: INotebookPath[];
  objectives: IObjectiveStanding[];
}

export interface IProgress {
  course: string;
  course_title: string;
  student: string;
  workspace: string | null;
  grading: { in_process: boolean; error: string | null };
  now: string;
  units: IUnitStanding[];
}

export interface IStartResult {
  unit: string;
  copied: string[];
  kept: string[];
  notebooks: INotebookPath[];
}

export interface ISubmitReceipt {
  attempt: number;
  status: string;
  attempts_used?: number;
  attempts_left?: number | null;
  cooldown_until?: string | null;
}

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
      return 'The Mastery server extension is not running on this Jupyter server (404). Is mastery-nb installed in the server\'s environment?';
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
  } catch (error) {
    throw new MasteryRequestError(
      'Cannot reach the Jupyter server: it may have stopped or the network is down. ' +
        'Your files are safe; try again when it is back.',
      0,
      'network'
    );
  }
  const text = await response.text();
  let body: any = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const reason =
      body && typeof body.error === 'string'
        ? body.error
        : body && typeof body.message === 'string' && body.message
          ? body.message
          : describeStatus(response.status);
    const code = body && typeof body.code === 'string' ? body.code : `http_${response.status}`;
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
  let url = URLExt.join(settings.baseUrl, 'mastery', 'units', encodeURIComponent(unitId), 'feedback');
  if (attempt !== null) {
    url += `?attempt=${attempt}`;
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch {
    throw new MasteryRequestError('Cannot reach the Jupyter server to load the feedback.', 0, 'network');
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
