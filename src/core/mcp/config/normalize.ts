// The one validator every source goes through: a raw entry from any tool's file → a checked
// ParsedEntry (shape and transport), then → McpServerConfig (variables expanded, paths resolved,
// URL checked). Errors name the file, the JSON path and what to write instead; values are never
// echoed (env and headers hold secrets).
import * as path from 'node:path';
import { z } from 'zod';
import type { McpConfigError, McpConfigSourceKind, McpServerConfig, McpTransportKind } from '../types';
import { expandString, inputIds, type ExpandContext } from './expand';
import { configError, describeType, isPlainObject, joinPath, readText, type RawServerEntry } from './files';

// Config files are hand-written: numbers and booleans in args/env/headers are taken as text.
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const positive = z.number().positive();

const entrySchema = z.looseObject({
  type: z.string().optional(),
  transportType: z.string().optional(),          // Cline before `type` existed
  command: z.string().min(1).optional(),
  args: z.array(text).optional(),
  env: z.record(z.string(), z.union([text, z.null()])).optional(),   // null = "not set" (VS Code)
  envFile: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  headers: z.record(z.string(), text).optional(),
  requestOptions: z.looseObject({ headers: z.record(z.string(), text).optional() }).optional(),  // Continue
  disabled: z.boolean().optional(),
  trusted: z.boolean().optional(),
  timeout: positive.optional(),
  timeoutMs: positive.optional(),
  maxTotalTimeoutMs: positive.optional(),
  oauth: z.strictObject({
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).optional(),
    clientMetadataUrl: z.string().min(1).optional(),
  }).optional(),
  // autoApprove / alwaysAllow (Cline, Roo) are ignored on purpose: Rusty's permission gate decides.
});

const TRUST_SOURCES = new Set<McpConfigSourceKind>(['rusty-settings', 'cli-config']);

const EXPECTED: Record<string, string> = {
  type: 'a string: "stdio", "http" or "sse"',
  transportType: 'a string: "stdio", "http" or "sse"',
  command: 'a non-empty string: the program to start, e.g. "npx" or "node"',
  args: 'an array of strings',
  env: 'an object of NAME: "value" pairs',
  envFile: 'a non-empty string: the path of a .env file',
  cwd: 'a non-empty string: the folder to start the server in',
  url: 'a non-empty string: the server\'s http(s) URL',
  headers: 'an object of Header-Name: "value" pairs',
  requestOptions: 'an object with "headers"',
  disabled: 'true or false',
  trusted: 'true or false',
  timeout: 'a positive number of seconds',
  timeoutMs: 'a positive number of milliseconds',
  maxTotalTimeoutMs: 'a positive number of milliseconds',
  oauth: 'an object with "clientId", "clientSecret" (may be ${input:…} or ${env:…}), "scopes" (an array of strings) and "clientMetadataUrl" (all optional)',
};

/** One string of the entry with where it sits, so expansion errors can point at it. */
interface Located { value: string; path: string }

export interface ParsedEntry {
  raw: RawServerEntry;
  transport: McpTransportKind;
  command?: Located;
  args?: Located[];
  env?: (Located & { key: string })[];
  envFile?: Located;
  cwd?: Located;
  url?: Located;
  headers?: (Located & { key: string })[];
  trusted?: boolean;
  timeoutMs?: number;
  maxTotalTimeoutMs?: number;
  disabled?: boolean;
  oauth?: { clientId?: Located; clientSecret?: Located; scopes?: string[]; clientMetadataUrl?: Located };
}

export function parseEntry(raw: RawServerEntry): { entry?: ParsedEntry; errors: McpConfigError[] } {
  const fail = (at: string, message: string) => ({ errors: [configError(raw.source, at, message, raw.name)] });
  if (raw.name.trim() === '') return fail(raw.path, 'a server needs a non-empty name');
  if (!isPlainObject(raw.value)) {
    return fail(raw.path, `server "${raw.name}" must be an object with "command" (stdio) or "url" (HTTP), found ${describeType(raw.value)}`);
  }
  const parsed = entrySchema.safeParse(raw.value);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((issue) => schemaError(raw, issue)) };
  }
  const v = parsed.data;
  const at = (...keys: (string | number)[]) => keys.reduce<string>((p, k) => joinPath(p, k), raw.path);

  const typeKey = v.type !== undefined ? 'type' : 'transportType';
  const declared = v.type ?? v.transportType;
  const kind = declared === undefined ? undefined : transportOf(declared);
  if (declared !== undefined && kind === undefined) {
    return fail(at(typeKey), `unknown transport type "${declared}"; use "stdio" (with "command"), "http" (Streamable HTTP, with "url") or "sse" (with "url")`);
  }
  if (v.command !== undefined && v.url !== undefined) {
    return fail(raw.path, `server "${raw.name}" has both "command" and "url"; keep "command" for a local stdio server or "url" for a remote one`);
  }
  if (v.command === undefined && v.url === undefined) {
    return fail(raw.path, `server "${raw.name}" needs "command" (a local stdio server, e.g. "command": "npx") or "url" (a remote HTTP server)`);
  }
  if (v.command !== undefined && kind !== undefined && kind !== 'stdio') {
    return fail(at(typeKey), `"${typeKey}" is "${declared}" but the entry has "command"; a command runs over stdio — use "type": "stdio" or replace "command" with "url"`);
  }
  if (v.url !== undefined && kind === 'stdio') {
    return fail(at(typeKey), `"${typeKey}" is "stdio" but the entry has "url" instead of "command"; use "type": "http" (or "sse") for a URL`);
  }

  const entry: ParsedEntry = { raw, transport: v.command !== undefined ? 'stdio' : kind === 'sse' ? 'sse' : 'http' };
  if (v.command !== undefined) entry.command = { value: v.command, path: at('command') };
  if (v.args) entry.args = v.args.map((value, i) => ({ value, path: at('args', i) }));
  if (v.env) {
    entry.env = Object.entries(v.env).flatMap(([key, value]) => (value === null ? [] : [{ key, value, path: at('env', key) }]));
  }
  if (v.envFile !== undefined) entry.envFile = { value: v.envFile, path: at('envFile') };
  if (v.cwd !== undefined) entry.cwd = { value: v.cwd, path: at('cwd') };
  if (v.url !== undefined) entry.url = { value: v.url, path: at('url') };
  const headers = [
    ...Object.entries(v.requestOptions?.headers ?? {}).map(([key, value]) => ({ key, value, path: at('requestOptions', 'headers', key) })),
    ...Object.entries(v.headers ?? {}).map(([key, value]) => ({ key, value, path: at('headers', key) })),
  ];
  if (headers.length > 0) entry.headers = headers;
  // Trust is Rusty's own notion: a repo's .mcp.json or another tool's file cannot grant it.
  if (v.trusted !== undefined && TRUST_SOURCES.has(raw.source.kind)) entry.trusted = v.trusted;
  if (v.disabled !== undefined) entry.disabled = v.disabled;
  const timeoutMs = v.timeoutMs ?? (raw.timeoutInSeconds && v.timeout !== undefined ? v.timeout * 1000 : undefined);
  if (timeoutMs !== undefined) entry.timeoutMs = timeoutMs;
  if (v.maxTotalTimeoutMs !== undefined) entry.maxTotalTimeoutMs = v.maxTotalTimeoutMs;
  if (v.oauth) {
    const o: NonNullable<ParsedEntry['oauth']> = {};
    if (v.oauth.clientId !== undefined) o.clientId = { value: v.oauth.clientId, path: at('oauth', 'clientId') };
    if (v.oauth.clientSecret !== undefined) o.clientSecret = { value: v.oauth.clientSecret, path: at('oauth', 'clientSecret') };
    if (v.oauth.clientMetadataUrl !== undefined) o.clientMetadataUrl = { value: v.oauth.clientMetadataUrl, path: at('oauth', 'clientMetadataUrl') };
    if (v.oauth.scopes !== undefined) o.scopes = v.oauth.scopes;
    entry.oauth = o;
  }
  return { entry, errors: [] };
}

/** `streamableHttp`, `streamable-http`, `http` … → the transport; undefined when unknown. */
export function transportOf(declared: string): McpTransportKind | undefined {
  const key = declared.toLowerCase().replace(/[-_ ]/g, '');
  if (key === 'stdio') return 'stdio';
  if (key === 'sse') return 'sse';
  if (key === 'http' || key === 'streamablehttp' || key === 'https') return 'http';
  return undefined;
}

/** Every `${input:id}` the entry uses, with the first place it appears. */
export function inputsNeeded(entry: ParsedEntry): { id: string; path: string }[] {
  const seen = new Map<string, string>();
  for (const located of strings(entry)) {
    for (const id of inputIds(located.value)) if (!seen.has(id)) seen.set(id, located.path);
  }
  return [...seen].map(([id, at]) => ({ id, path: at }));
}

export type FinalizeContext = Omit<ExpandContext, 'dialect' | 'lenient'>;

/** Expands variables, resolves cwd/envFile against the workspace and checks the URL. */
export async function finalizeEntry(entry: ParsedEntry, ctx: FinalizeContext): Promise<{ config?: McpServerConfig; errors: McpConfigError[] }> {
  const { raw } = entry;
  const lenient = entry.disabled === true;
  const expandCtx: ExpandContext = { ...ctx, dialect: raw.dialect, lenient };
  const errors: McpConfigError[] = [];
  const expand = (located: Located): string => {
    const result = expandString(located.value, expandCtx);
    if (result.ok) return result.value;
    errors.push(configError(raw.source, located.path, `${result.message} (server "${raw.name}")`, raw.name));
    return located.value;
  };

  const command = entry.command && expand(entry.command);
  const args = entry.args?.map(expand);
  const explicitEnv = entry.env?.map((e) => [e.key, expand(e)] as const);
  const cwd = entry.cwd && path.resolve(ctx.workspace, expand(entry.cwd));
  const url = entry.url && expand(entry.url);
  const headers = entry.headers?.map((h) => [h.key, expand(h)] as const);
  const oauth = entry.oauth && {
    ...(entry.oauth.clientId ? { clientId: expand(entry.oauth.clientId) } : {}),
    ...(entry.oauth.clientSecret ? { clientSecret: expand(entry.oauth.clientSecret) } : {}),
    ...(entry.oauth.clientMetadataUrl ? { clientMetadataUrl: expand(entry.oauth.clientMetadataUrl) } : {}),
    ...(entry.oauth.scopes ? { scopes: entry.oauth.scopes } : {}),
  };
  const envFile = entry.envFile && !lenient ? path.resolve(ctx.workspace, expand(entry.envFile)) : undefined;
  if (errors.length > 0) return { errors };

  let env: Record<string, string> | undefined;
  if (envFile !== undefined && entry.envFile) {
    const fileText = await readText(envFile);
    if (typeof fileText !== 'string') {
      const why = fileText === undefined ? 'does not exist' : fileText.problem;
      return { errors: [configError(raw.source, entry.envFile.path, `envFile ${envFile} ${why}; create it or remove "envFile" (server "${raw.name}")`, raw.name)] };
    }
    env = parseDotEnv(fileText);
  }
  if (explicitEnv) env = { ...env, ...Object.fromEntries(explicitEnv) };

  if (url !== undefined && entry.url && !(lenient && url.includes('${'))) {
    const problem = urlProblem(url);
    if (problem) {
      // Show the URL as written, not expanded: an expanded URL may carry a token.
      return { errors: [configError(raw.source, entry.url.path, `"url" ${JSON.stringify(entry.url.value)} ${problem} (server "${raw.name}")`, raw.name)] };
    }
  }

  // Built in a fixed order, without undefined members, so configs compare and print cleanly.
  const config: McpServerConfig = { name: raw.name, transport: entry.transport } as McpServerConfig;
  if (command !== undefined) config.command = command;
  if (args !== undefined) config.args = args;
  if (env !== undefined) config.env = env;
  if (cwd !== undefined) config.cwd = cwd;
  if (url !== undefined) config.url = url;
  if (headers !== undefined) config.headers = Object.fromEntries(headers);
  if (entry.trusted !== undefined) config.trusted = entry.trusted;
  if (entry.timeoutMs !== undefined) config.timeoutMs = entry.timeoutMs;
  if (entry.maxTotalTimeoutMs !== undefined) config.maxTotalTimeoutMs = entry.maxTotalTimeoutMs;
  if (entry.disabled !== undefined) config.disabled = entry.disabled;
  if (oauth) config.oauth = oauth;
  config.source = raw.source;
  return { config, errors: [] };
}

function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL; write the full address, e.g. "https://example.com/mcp"';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `uses ${parsed.protocol.replace(/:$/, '')}:, but MCP servers are reached over http or https`;
  }
  return undefined;
}

function* strings(entry: ParsedEntry): Generator<Located> {
  if (entry.command) yield entry.command;
  yield* entry.args ?? [];
  yield* entry.env ?? [];
  if (entry.envFile) yield entry.envFile;
  if (entry.cwd) yield entry.cwd;
  if (entry.url) yield entry.url;
  yield* entry.headers ?? [];
  if (entry.oauth?.clientId) yield entry.oauth.clientId;
  if (entry.oauth?.clientSecret) yield entry.oauth.clientSecret;
  if (entry.oauth?.clientMetadataUrl) yield entry.oauth.clientMetadataUrl;
}

function schemaError(raw: RawServerEntry, issue: z.core.$ZodIssue): McpConfigError {
  const keys = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const at = keys.reduce<string>((p, k) => joinPath(p, k), raw.path);
  const field = String(keys[0] ?? '');
  const nested = keys.length > 1;
  const expected = nested ? (keys[0] === 'requestOptions' && keys.length === 2 ? EXPECTED.headers : 'a string') : EXPECTED[field];
  const found = describeFound(valueAt(raw.value, keys));
  const label = keys.reduce<string>((p, k) => joinPath(p, k), '');
  const message = expected
    ? `"${label}" must be ${expected}, found ${found} (server "${raw.name}")`
    : `"${label}": ${issue.message} (server "${raw.name}")`;
  return configError(raw.source, at, message, raw.name);
}

function describeFound(value: unknown): string {
  if (value === '') return 'an empty string';
  if (typeof value === 'number') return `the number ${value}`;
  return describeType(value);
}

function valueAt(value: unknown, keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** KEY=VALUE lines (optional `export`, quotes, # comments) — the subset VS Code's envFile reads. */
export function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    env[m[1]] = value;
  }
  return env;
}
