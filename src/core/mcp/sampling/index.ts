// MCP sampling: a server's `sampling/createMessage` → the policy (`.rusty/policy.json`
// `"sampling": {"allow": ["server"]}`) or the front end's approval prompt → the front end's model
// (the AI runtime: router and budgets) → a CreateMessageResult. Every request is audited as
// `mcp.sampling` (decision, model, tokens, cost; the message text redacted and truncated).
import * as fs from 'node:fs';
import { parse, type ParseError } from 'jsonc-parser';
import { ErrorCode, McpError as SdkMcpError, type CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import { redactString } from '../../audit/redact';
import { policyFilePath } from '../policy/load';
import type { SamplingHandler } from '../client/connection';
import { describeModelPreferences, messageText, type SamplingParams } from './text';

export { describeModelPreferences, messageText, type SamplingParams } from './text';
export type SamplingDecision = 'once' | 'always' | 'deny';

/** What an approval prompt shows (text redacted and truncated). */
export interface SamplingSummary {
  server: string;
  messages: number;
  /** The last user message. */
  preview: string;
  /** Each message's role and first line, oldest first (at most 10; redacted, truncated). */
  outline: string[];
  systemPrompt?: string;
  /** The server's model preferences in one line (hints, priorities), when it gave any. */
  modelPreferences?: string;
  maxTokens: number;
}

export interface SamplingAnswer {
  text: string;
  /** `provider/model` that answered. */
  model: string;
  stopReason: 'endTurn' | 'maxTokens' | 'stopSequence' | string;
  tokensIn: number;
  tokensOut: number;
  costUsd?: number;
}

/** What a front end supplies: its model (required) and its approval prompt (none: refused unless the policy allows). */
export interface McpSamplingHooks {
  approve?: (summary: SamplingSummary) => Promise<SamplingDecision>;
  complete: (params: SamplingParams, signal: AbortSignal) => Promise<SamplingAnswer>;
}

const PREVIEW_CHARS = 300;
const OUTLINE_MESSAGES = 10;
const OUTLINE_CHARS = 120;

const clip = (text: string) => {
  const r = redactString(text);
  return r.length > PREVIEW_CHARS ? `${r.slice(0, PREVIEW_CHARS)}…` : r;
};

export function summarize(server: string, params: SamplingParams): SamplingSummary {
  const lastUser = [...params.messages].reverse().find((m) => m.role === 'user');
  const outline = params.messages.slice(-OUTLINE_MESSAGES).map((m) => {
    const first = redactString(messageText(m.content)).split('\n').find((l) => l.trim()) ?? '';
    return `${m.role}: ${first.length > OUTLINE_CHARS ? `${first.slice(0, OUTLINE_CHARS)}…` : first}`;
  });
  const prefs = describeModelPreferences(params.modelPreferences);
  return {
    server, messages: params.messages.length, preview: clip(lastUser ? messageText(lastUser.content) : ''), outline,
    ...(params.systemPrompt ? { systemPrompt: clip(params.systemPrompt) } : {}),
    ...(prefs ? { modelPreferences: clip(prefs) } : {}),
    maxTokens: params.maxTokens,
  };
}

/** Servers `.rusty/policy.json` lets sample without asking; bad entries are reported. */
export function loadSamplingAllow(workspace: string): { allow: Set<string>; errors: string[] } {
  const file = policyFilePath(workspace);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { allow: new Set(), errors: [] };
  }
  const errs: ParseError[] = [];
  const json = parse(text, errs, { allowTrailingComma: true }) as { sampling?: { allow?: unknown } } | undefined;
  if (errs.length || !json || typeof json !== 'object') return { allow: new Set(), errors: [`${file}: not valid JSON; no server may sample without asking.`] };
  const allow = json.sampling?.allow;
  if (allow === undefined) return { allow: new Set(), errors: [] };
  if (!Array.isArray(allow) || allow.some((s) => typeof s !== 'string')) return { allow: new Set(), errors: [`${file}: "sampling.allow" must be an array of server names.`] };
  return { allow: new Set(allow as string[]), errors: [] };
}

export interface SamplingHandlerOptions {
  workspace: string;
  hooks: McpSamplingHooks;
  audit: (details: Record<string, unknown>) => void;
}

/** The client's handler: approval, model, audit; a refusal or failure is a JSON-RPC error for the server. */
export function createSamplingHandler(opts: SamplingHandlerOptions): SamplingHandler {
  const always = new Set<string>();
  return async (server, params, signal) => {
    const summary = summarize(server, params);
    // (Field names without "token": the audit's redaction treats such keys as secrets.)
    const base = { server, messages: summary.messages, preview: summary.preview, maxOutput: params.maxTokens };
    let decision: SamplingDecision | 'policy' = 'deny';
    let by: 'policy' | 'user' | 'session' | 'no-prompt' = 'no-prompt';
    if (loadSamplingAllow(opts.workspace).allow.has(server)) { decision = 'policy'; by = 'policy'; }
    else if (always.has(server)) { decision = 'always'; by = 'session'; }
    else if (opts.hooks.approve) {
      by = 'user';
      try {
        decision = await opts.hooks.approve(summary);
      } catch {
        decision = 'deny';
      }
      if (decision === 'always') always.add(server);
    }
    if (decision === 'deny') {
      opts.audit({ ...base, decision: 'deny', by });
      const how = by === 'no-prompt'
        ? `there is no one to approve it here; allow it in ${policyFilePath(opts.workspace)} with "sampling": {"allow": [${JSON.stringify(server)}]}`
        : 'the user declined it';
      throw new SdkMcpError(ErrorCode.InvalidRequest, `Sampling request refused: ${how}.`);
    }
    try {
      const a = await opts.hooks.complete(params, signal);
      opts.audit({ ...base, decision: 'allow', by, model: a.model, usage: { input: a.tokensIn, output: a.tokensOut }, ...(a.costUsd !== undefined ? { costUsd: a.costUsd } : {}), ok: true });
      const result: CreateMessageResult = { role: 'assistant', content: { type: 'text', text: a.text }, model: a.model, stopReason: a.stopReason };
      return result;
    } catch (err) {
      const message = redactString((err as Error).message ?? String(err));
      opts.audit({ ...base, decision: 'allow', by, ok: false, error: message });
      throw new SdkMcpError(ErrorCode.InternalError, `Sampling failed: ${message}`);
    }
  };
}
