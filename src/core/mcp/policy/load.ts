// Reads `.rusty/policy.json` (JSONC) and the user's settings into one CompiledPolicy.
//
// Failure handling, from the issue: a malformed rule (or trusted-server entry) gets a precise
// error — file:line:col, `rules[i].field`, what was expected — and only that entry is ignored.
// A file that cannot be read as a policy at all (syntax error, not an object, `rules` not an
// array, unreadable) FAILS CLOSED: the workspace contributes nothing, no rule or annotation can
// allow a call (everything asks; user deny rules still deny) until the file is fixed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { McpPolicyFile, PolicyRule } from '../types';
import { compileRule, NameSet, RuleSet, type CompiledRule, type RuleOrigin } from './rules';

/** From settings `rusty.mcp.trustedServers` / `rusty.mcp.rules` (validated like the file). */
export interface McpUserPolicy {
  trustedServers?: string[];
  rules?: PolicyRule[];
}

export interface PolicyFileStamp { ino: number; mtimeMs: number; size: number }

export interface CompiledPolicy {
  readonly workspace: string;
  /** `<workspace>/.rusty/policy.json` */
  readonly file: string;
  /** What the file looked like when read (undefined: it did not exist), to notice edits. */
  readonly stamp: PolicyFileStamp | undefined;
  /** The user part, kept so the policy can be re-read after an edit or an "always" answer. */
  readonly user: McpUserPolicy | undefined;
  /** Set when the workspace file could not be read as a policy: nothing may be allowed by rules. */
  readonly failClosed?: string;
  readonly errors: readonly string[];
  readonly rules: RuleSet;
  readonly trusted: NameSet;
}

export const POLICY_RELATIVE_PATH = path.join('.rusty', 'policy.json');

export function policyFilePath(workspace: string): string {
  return path.join(workspace, POLICY_RELATIVE_PATH);
}

// ─── validation ────────────────────────────────────────────────────────────────────────────

const DECISIONS = ['allow', 'ask', 'deny'] as const;

const namePattern = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `is required: a glob over ${what} names such as "*" or "github-*"` : `must be a string glob over ${what} names (got ${describe(iss.input)})`) })
    .refine((s) => s.trim().length > 0, { message: `must not be empty; use "*" for every ${what}` })
    .refine((s) => s === s.trim(), { message: `must not start or end with spaces` })
    .refine((s) => !s.startsWith('!'), { message: `negated globs ("!…") are not supported; write a separate rule with the opposite decision` })
    .refine((s) => s.length <= 200, { message: `is longer than 200 characters` });

const RuleSchema = z.object({
  server: namePattern('server'),
  tool: namePattern('tool'),
  decision: z.enum(DECISIONS, {
    error: (iss) => (iss.input === undefined ? `is required: "allow", "ask" or "deny"` : `must be "allow", "ask" or "deny" (got ${describe(iss.input)})`),
  }),
});

const TrustedSchema = namePattern('server');

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Where errors point: a file (with line:col from the JSONC tree) or the settings. */
interface Locator {
  label(jsonPath: (string | number)[]): string;
}

function fileLocator(file: string, text: string, root: Node | undefined): Locator {
  return {
    label(jsonPath) {
      // A missing field has no node: point at the nearest enclosing one (the rule object).
      let node: Node | undefined;
      for (let n = jsonPath.length; root && !node && n > 0; n--) node = findNodeAtLocation(root, jsonPath.slice(0, n));
      return `${file}${node ? `:${lineCol(text, node.offset)}` : ''}: ${formatPath(jsonPath)}`;
    },
  };
}

const settingsLocator = (key: string): Locator => ({
  label: (jsonPath) => `settings ${key}${formatPath(jsonPath.slice(1))}`,
});

function formatPath(p: (string | number)[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

interface Collected {
  rules: CompiledRule[];
  trusted: string[];
  errors: string[];
}

function collect(value: McpPolicyFile, origin: RuleOrigin, loc: Locator, ruleKey: string, trustedKey: string, out: Collected): void {
  const trusted: unknown = value.trustedServers;
  if (trusted !== undefined) {
    if (!Array.isArray(trusted)) out.errors.push(`${loc.label([trustedKey])} must be an array of server-name globs (got ${describe(trusted)}); no server is trusted from here`);
    else
      trusted.forEach((entry: unknown, i) => {
        const r = TrustedSchema.safeParse(entry);
        if (r.success) out.trusted.push(r.data);
        else out.errors.push(`${loc.label([trustedKey, i])} ${r.error.issues[0]?.message ?? 'is invalid'}; entry ignored`);
      });
  }
  const rules: unknown = value.rules;
  if (rules === undefined) return;
  (rules as unknown[]).forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      out.errors.push(`${loc.label([ruleKey, i])} must be an object like {"server": "*", "tool": "delete_*", "decision": "deny"} (got ${describe(entry)}); rule ignored`);
      return;
    }
    const r = RuleSchema.safeParse(entry);
    if (!r.success) {
      for (const iss of r.error.issues) out.errors.push(`${loc.label([ruleKey, i, ...iss.path.map((k) => (typeof k === 'number' ? k : String(k)))])} ${iss.message}; rule ignored`);
      return;
    }
    let compiled: CompiledRule;
    try {
      compiled = compileRule(r.data, origin, loc.label([ruleKey, i]));
    } catch (err) {
      out.errors.push(`${loc.label([ruleKey, i])} has an unusable glob: ${(err as Error).message}; rule ignored`);
      return;
    }
    out.rules.push(compiled);
  });
}

// ─── the workspace file ───────────────────────────────────────────────────────────────────

function stampOf(file: string): PolicyFileStamp | undefined {
  try {
    const st = fs.statSync(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}

export function sameStamp(a: PolicyFileStamp | undefined, b: PolicyFileStamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

export function currentStamp(file: string): PolicyFileStamp | undefined {
  return stampOf(file);
}

/** Reads the workspace file into `out`; returns the fail-closed reason when it is unusable. */
function readWorkspaceFile(file: string, out: Collected): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const reason = `${file}: cannot be read (${code ?? (err as Error).message})`;
    out.errors.push(`${reason}; every MCP call will ask until it is fixed`);
    return reason;
  }
  if (text.trim() === '') return undefined;
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    const first = parseErrors[0];
    const where = first ? `:${lineCol(text, first.offset)}` : '';
    const reason = `${file}${where}: ${first ? printParseErrorCode(first.error) : 'not JSON'} — the policy cannot be parsed`;
    out.errors.push(`${reason}; every MCP call will ask until it is fixed`);
    return reason;
  }
  const loc = fileLocator(file, text, root);
  if (root.type !== 'object') {
    const reason = `${file}: must be a JSON object like {"trustedServers": [...], "rules": [...]} (got ${root.type === 'array' ? 'an array' : `a ${root.type}`})`;
    out.errors.push(`${reason}; every MCP call will ask until it is fixed`);
    return reason;
  }
  const value = parseValue(text) as McpPolicyFile;
  if (value.rules !== undefined && !Array.isArray(value.rules)) {
    const reason = `${loc.label(['rules'])} must be an array of rules (got ${describe(value.rules)})`;
    out.errors.push(`${reason}; every MCP call will ask until it is fixed`);
    return reason;
  }
  collect(value, 'workspace', loc, 'rules', 'trustedServers', out);
  return undefined;
}

/** parseTree already succeeded; `parse` gives the plain value with the same options. */
function parseValue(text: string): unknown {
  return parse(text, [], { allowTrailingComma: true });
}

// ─── entry point ──────────────────────────────────────────────────────────────────────────

/**
 * Reads `<workspace>/.rusty/policy.json` and merges the user's settings. Never throws: every
 * problem is in `errors` (and in `policy.errors`), each naming the file or setting and the entry.
 */
export function loadPolicy(workspace: string, user?: McpUserPolicy): { policy: CompiledPolicy; errors: string[] } {
  const file = policyFilePath(workspace);
  const out: Collected = { rules: [], trusted: [], errors: [] };
  const stamp = stampOf(file);
  const failClosed = readWorkspaceFile(file, out);
  if (user !== undefined) collectUser(user, out);
  const policy: CompiledPolicy = {
    workspace,
    file,
    stamp,
    user,
    ...(failClosed !== undefined ? { failClosed } : {}),
    errors: out.errors,
    rules: new RuleSet(out.rules),
    trusted: new NameSet(out.trusted),
  };
  return { policy, errors: [...out.errors] };
}

function collectUser(user: unknown, out: Collected): void {
  if (user === null || typeof user !== 'object' || Array.isArray(user)) {
    out.errors.push(`settings rusty.mcp: expected { trustedServers?: string[], rules?: [...] } (got ${describe(user)}); user policy ignored`);
    return;
  }
  const u = user as Record<string, unknown>;
  const trusted = u['trustedServers'];
  if (trusted !== undefined) collect({ trustedServers: trusted as string[] }, 'user', settingsLocator('rusty.mcp.trustedServers'), 'rules', 'trustedServers', out);
  const rules = u['rules'];
  if (rules === undefined) return;
  if (!Array.isArray(rules)) {
    out.errors.push(`settings rusty.mcp.rules must be an array of {"server", "tool", "decision"} rules (got ${describe(rules)}); user rules ignored`);
    return;
  }
  collect({ rules: rules as PolicyRule[] }, 'user', settingsLocator('rusty.mcp.rules'), 'rules', 'trustedServers', out);
}

// ─── the AI agent's command allowlist ─────────────────────────────────────────────────────

export interface AiCommandPolicy {
  /** Exact command lines (argv joined by single spaces) the agent's run_command may run. */
  commands: string[];
  timeoutMs: number;
  errors: string[];
}

export const DEFAULT_AI_COMMAND_TIMEOUT_MS = 60_000;

/**
 * `"ai": {"commands": ["npm test", …], "commandTimeoutMs": 60000}` of `.rusty/policy.json`.
 * Fails closed like the rules: a file that cannot be parsed, or a malformed section, allows no
 * command; one malformed entry is ignored with a precise error.
 */
export function loadAiCommandPolicy(workspace: string): AiCommandPolicy {
  const file = policyFilePath(workspace);
  const none = (errors: string[]): AiCommandPolicy => ({ commands: [], timeoutMs: DEFAULT_AI_COMMAND_TIMEOUT_MS, errors });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? none([]) : none([`${file}: cannot be read; no command is allowed`]);
  }
  if (text.trim() === '') return none([]);
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || !root || root.type !== 'object') return none([`${file}: not a JSON object; no command is allowed until it is fixed`]);
  const loc = fileLocator(file, text, root);
  const ai = (parseValue(text) as McpPolicyFile).ai as unknown;
  if (ai === undefined) return none([]);
  if (ai === null || typeof ai !== 'object' || Array.isArray(ai)) return none([`${loc.label(['ai'])} must be an object like {"commands": ["npm test"]} (got ${describe(ai)}); no command is allowed`]);
  const section = ai as Record<string, unknown>;
  const errors: string[] = [];
  const commands: string[] = [];
  const list = section['commands'];
  if (list !== undefined && !Array.isArray(list)) errors.push(`${loc.label(['ai', 'commands'])} must be an array of command lines (got ${describe(list)}); no command is allowed`);
  else (list as unknown[] | undefined)?.forEach((c, i) => {
    if (typeof c !== 'string' || !c.trim()) errors.push(`${loc.label(['ai', 'commands', i])} must be a non-empty command line such as "npm test" (got ${describe(c)}); entry ignored`);
    else commands.push(c.trim().split(/\s+/).join(' '));
  });
  let timeoutMs = DEFAULT_AI_COMMAND_TIMEOUT_MS;
  const t = section['commandTimeoutMs'];
  if (t !== undefined) {
    if (typeof t === 'number' && Number.isFinite(t) && t > 0) timeoutMs = t;
    else errors.push(`${loc.label(['ai', 'commandTimeoutMs'])} must be a number of milliseconds > 0 (got ${describe(t)}); using ${DEFAULT_AI_COMMAND_TIMEOUT_MS}`);
  }
  return { commands, timeoutMs, errors };
}
