// The words of the "ask" prompt: which server, which tool, what the server hints, why Rusty asks,
// and the full arguments as pretty JSON. Long arguments are cut in the dialog (a modal cannot
// scroll) and offered whole in a document. Pure, so it is unit-tested in Node.
import type { AskRequest } from '../../core/mcp/types';
import { annotationWords } from './treeModel';

/** Longest argument text shown inside the dialog itself. */
export const DIALOG_ARGS_LIMIT = 1200;
const DIALOG_ARGS_LINES = 30;

export function prettyArgs(args: unknown): string {
  try {
    return JSON.stringify(args ?? {}, null, 2) ?? String(args);
  } catch {
    return String(args);
  }
}

export interface AskText {
  message: string;
  detail: string;
  /** The arguments did not fit: offer "Show Arguments". */
  truncated: boolean;
  fullArgs: string;
}

export function describeAsk(req: AskRequest): AskText {
  const fullArgs = prettyArgs(req.args);
  const lines = fullArgs.split('\n');
  const truncated = fullArgs.length > DIALOG_ARGS_LIMIT || lines.length > DIALOG_ARGS_LINES;
  let shown = fullArgs;
  if (truncated) {
    shown = lines.slice(0, DIALOG_ARGS_LINES).join('\n').slice(0, DIALOG_ARGS_LIMIT);
    shown += `\n… (${fullArgs.length.toLocaleString('en-US')} characters in all: choose "Show Arguments" to read them before deciding)`;
  }
  const hints = annotationWords(req.annotations);
  const detail = [
    `Server: ${req.server}`,
    `Tool: ${req.tool}${req.annotations?.title ? ` (${req.annotations.title})` : ''}`,
    ...(hints.length ? [`Server hints: ${hints.join(', ')}`] : []),
    `Why Rusty asks: ${req.reason}`,
    '',
    'Arguments:',
    shown,
  ].join('\n');
  return { message: `Allow the MCP tool "${req.tool}" of "${req.server}" to run?`, detail, truncated, fullArgs };
}

/** Minutes for "Allow for N minutes": a whole number from 1 to 1440 (a day), or an actionable message. */
export function parseMinutes(text: string): { ok: true; minutes: number } | { ok: false; message: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, message: 'Type a whole number of minutes, e.g. 15.' };
  const n = Number(t);
  if (n < 1 || n > 1440) return { ok: false, message: 'Choose between 1 and 1440 minutes (one day); use "Always Allow" for longer.' };
  return { ok: true, minutes: n };
}
