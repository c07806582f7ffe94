// Reading what a webview saved with vscode.setState, when VS Code restores its panel after a
// reload. The state is the webview's (untrusted) data: only well-formed ids are taken from it.

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
