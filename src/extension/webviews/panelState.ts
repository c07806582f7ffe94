// Reading what a webview saved with vscode.setState, when VS Code restores its panel after a
// reload. The state is the webview's (untrusted) data: only well-formed ids are taken from it, and
// a saved "asking" view only field by field, with its sizes capped.
import type { AskEventView, AskingView } from '../../shared/proposalView';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

function idOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && ID.test(v) ? v : undefined;
}

/**
 * The review webview keeps its view state under `review` (webview-ui usePersistentState), with the
 * proposal's id; a top-level `proposalId` or a saved snapshot are accepted too.
 */
export function proposalIdFromState(state: unknown): string | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as { review?: { proposalId?: unknown }; proposalId?: unknown; proposal?: { id?: unknown }; snapshot?: { proposal?: { id?: unknown } } };
  return idOrUndefined(s.review?.proposalId) ?? idOrUndefined(s.proposalId) ?? idOrUndefined(s.proposal?.id) ?? idOrUndefined(s.snapshot?.proposal?.id);
}

/** The audit webview may keep its filter (`proposalId`, or `filter.proposalId`). */
export function auditFilterFromState(state: unknown): string | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as { proposalId?: unknown; filter?: { proposalId?: unknown }; snapshot?: { proposalId?: unknown } };
  return idOrUndefined(s.proposalId) ?? idOrUndefined(s.filter?.proposalId) ?? idOrUndefined(s.snapshot?.proposalId);
}

const ASK_STATES: readonly AskingView['state'][] = ['running', 'cancelling', 'cancelled', 'failed', 'answered', 'no-change', 'interrupted'];
const EVENT_KINDS: readonly AskEventView['kind'][] = ['route', 'turn', 'tool', 'validating', 'repair', 'accepted', 'retry', 'fallback', 'refused', 'warning'];
const MAX_TEXT = 20_000;
const MAX_LINE = 2_000;
const MAX_EVENTS = 300;
const MAX_CANDIDATES = 5;

export const INTERRUPTED_MESSAGE = 'The window was reloaded while the model was working, which stopped it: nothing was proposed. Ask again with "Rusty: Ask…".';

const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const rec = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * The "Rusty: Ask…" view the review webview saved under `asking`, for a panel restored after a
 * reload: a finished ask comes back as it ended; one still running was stopped by the reload and
 * comes back as `interrupted`. Undefined when there is none or it is not well-formed.
 */
export function askingFromState(state: unknown): AskingView | undefined {
  const a = rec(rec(state)?.asking);
  if (!a) return undefined;
  const task = str(a.task, MAX_LINE);
  const scope = str(a.scope, MAX_LINE);
  const saved = ASK_STATES.find((x) => x === a.state);
  if (task === undefined || scope === undefined || !saved || !Array.isArray(a.candidates) || !Array.isArray(a.events)) return undefined;
  const candidates = a.candidates.slice(0, MAX_CANDIDATES).flatMap((c) => {
    const r = rec(c);
    const index = r?.index;
    return r && typeof index === 'number' && Number.isInteger(index) && index > 0
      ? [{ index, model: str(r.model, MAX_LINE) ?? '', text: (str(r.text, MAX_TEXT * 2) ?? '').slice(-MAX_TEXT) }] : [];
  });
  const events = a.events.slice(-MAX_EVENTS).flatMap((e) => {
    const r = rec(e);
    const kind = EVENT_KINDS.find((k) => k === r?.kind);
    const candidate = r?.candidate;
    return r && kind && typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 0
      ? [{ candidate, kind, message: str(r.message, MAX_LINE) ?? '', at: str(r.at, 40) ?? '' }] : [];
  });
  const interrupted = saved === 'running' || saved === 'cancelling';
  const route = str(a.route, MAX_LINE);
  const answer = str(a.answer, MAX_TEXT);
  const error = str(a.error, MAX_LINE);
  return {
    task, scope, state: interrupted ? 'interrupted' : saved, startedAt: str(a.startedAt, 40) ?? '', candidates, events,
    ...(route !== undefined ? { route } : {}),
    ...(answer !== undefined ? { answer } : {}),
    ...(interrupted ? { error: INTERRUPTED_MESSAGE } : error !== undefined ? { error } : {}),
  };
}
