// What each MCP audit entry says. Builders return thunks: the hot call path only captures
// immutable inputs (the arguments' JSON text), and parsing, redaction and scrubbing happen when
// the sink writes, off the call's latency.
import { redactSecrets, redactString, isSecretKey, REDACTED } from '../../audit';
import type { AskAnswer, GateDecision, McpCallResult, McpGrant, McpServerConfig } from '../types';
import { McpError } from '../types';

/** Arguments bigger than this are audited as a truncated preview (sizes are always exact). */
export const MAX_AUDITED_ARGS_BYTES = 64 * 1024;

/**
 * Values from a server's `headers` and `env` are secrets more often than not (tokens, API keys)
 * and may come back inside arguments or error messages; they are replaced wherever they appear.
 */
export class ServerSecrets {
  private readonly values: string[];

  constructor(config?: Pick<McpServerConfig, 'env' | 'headers' | 'oauth'>) {
    const found = new Set<string>();
    if (config?.oauth?.clientSecret) found.add(config.oauth.clientSecret);
    for (const [key, value] of Object.entries(config?.headers ?? {})) if (looksSecret(key, value, true)) found.add(value);
    for (const [key, value] of Object.entries(config?.env ?? {})) if (looksSecret(key, value, false)) found.add(value);
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...found].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.length;
  }

  /** A redacted deep copy: known token shapes, secret-named keys, and this server's values. */
  scrub<T>(value: T): T {
    const redacted = redactSecrets(value) as T;
    return this.values.length ? this.replaceIn(redacted) as T : redacted;
  }

  scrubText(text: string): string {
    let out = redactString(text);
    for (const v of this.values) out = out.split(v).join(REDACTED);
    return out;
  }

  private replaceIn(value: unknown): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (Array.isArray(value)) return value.map((v) => this.replaceIn(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.scrubText(k), this.replaceIn(v)]));
    }
    return value;
  }
}

function looksSecret(key: string, value: string, header: boolean): boolean {
  if (typeof value !== 'string' || value.length < 6) return false;
  if (isSecretKey(key) || redactString(value) !== value) return true;
  // Headers are mostly credentials; env values only when they look like a random token.
  if (header) return !/^(?:application|text)\//i.test(value) && !/^\d+$/.test(value);
  return value.length >= 20 && /^[A-Za-z0-9._~+/=-]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value) && !value.includes('/');
}

/** Arguments as captured on the call path: their JSON text (exact size) and nothing else. */
export interface CapturedArgs {
  json: string;
  bytes: number;
}

export function captureArgs(args: unknown): CapturedArgs {
  const json = JSON.stringify(args ?? {}) ?? '{}';
  return { json, bytes: Buffer.byteLength(json, 'utf8') };
}

// A call's decision and call entries audit the same arguments: parse and scrub them once. The
// result is shared read-only (AuditLog copies details before hashing).
const auditedCache = new WeakMap<CapturedArgs, { secrets: ServerSecrets; value: unknown }>();

function auditedArgs(args: CapturedArgs, secrets: ServerSecrets): unknown {
  const cached = auditedCache.get(args);
  if (cached && cached.secrets === secrets) return cached.value;
  const value = args.bytes > MAX_AUDITED_ARGS_BYTES
    ? { truncated: true, preview: secrets.scrubText(args.json.slice(0, 2048)) }
    : secrets.scrub(JSON.parse(args.json) as unknown);
  auditedCache.set(args, { secrets, value });
  return value;
}

function ruleOf(d: GateDecision): Record<string, unknown> {
  return {
    decision: d.decision,
    reason: d.reason,
    ...(d.rule ? { rule: { server: d.rule.server, tool: d.rule.tool, decision: d.rule.decision, origin: d.rule.origin } } : {}),
    ...(d.grantId ? { grantId: d.grantId } : {}),
  };
}

export type DecisionSource = 'policy' | 'user' | 'no-prompt';

/** `mcp.decision`: what the gate (or the user answering "ask") decided about one call. */
export function decisionDetails(
  server: string, tool: string, decision: GateDecision, args: CapturedArgs, secrets: ServerSecrets,
  source: DecisionSource, answer?: AskAnswer,
): () => Record<string, unknown> {
  return () => ({
    server, tool, ...ruleOf(decision), source,
    ...(source === 'user' ? { answer: answer ?? { kind: 'dismissed' } } : {}),
    args: auditedArgs(args, secrets), argBytes: args.bytes,
  });
}

export type CallOutcome = 'ok' | 'tool-error' | 'error';

/** `mcp.call`: one call that the gate allowed, with its sizes, duration and outcome. */
export function callDetails(
  server: string, tool: string, decision: GateDecision, args: CapturedArgs, secrets: ServerSecrets,
  durationMs: number, result: McpCallResult | undefined, error: unknown,
): () => Record<string, unknown> {
  return () => {
    const outcome: CallOutcome = error !== undefined ? 'error' : result?.isError ? 'tool-error' : 'ok';
    const err = error instanceof McpError ? error : undefined;
    return {
      server, tool, outcome,
      ...(error !== undefined ? {
        errorKind: err?.kind ?? 'internal',
        error: secrets.scrubText(error instanceof Error ? error.message : String(error)),
      } : {}),
      args: auditedArgs(args, secrets), argBytes: args.bytes,
      ...(result ? { resultBytes: result.bytes, attempts: result.attempts, ...(result.savedTo ? { savedTo: result.savedTo } : {}) } : {}),
      ...(!result && err?.details && typeof err.details.attempts === 'number' ? { attempts: err.details.attempts } : {}),
      durationMs: Math.round(durationMs * 1000) / 1000,
      ...ruleOf(decision),
    };
  };
}

/** `mcp.grant`: a grant the user's answer created (or an "always" rule written to the policy). */
export function grantDetails(
  grant: McpGrant | undefined, answer: AskAnswer | undefined, server: string, tool: string, extra: { ruleFile?: string; warning?: string } = {},
): () => Record<string, unknown> {
  return () => ({
    server, tool,
    answer: answer ?? { kind: 'dismissed' },
    ...(extra.ruleFile ? { ruleFile: extra.ruleFile } : {}),
    ...(extra.warning ? { warning: extra.warning } : {}),
    ...(grant ? { grant: { id: grant.id, scope: grant.scope, createdAt: grant.createdAt, ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}) } } : {}),
  });
}

/** `mcp.revoke`: a grant removed by the user. */
export function revokeDetails(id: string, grant: McpGrant | undefined, found: boolean): () => Record<string, unknown> {
  return () => ({
    grantId: id, found,
    ...(grant ? { server: grant.server, tool: grant.tool, scope: grant.scope, ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}) } : {}),
  });
}

export { REDACTED };
