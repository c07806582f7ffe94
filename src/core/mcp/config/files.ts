// Shared plumbing for the source readers: reading JSON/JSONC/YAML files into plain values, JSON
// paths for error messages, and the raw entry every reader hands to normalize.ts.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import type { McpConfigError, McpConfigSource, McpInputSpec } from '../types';
import type { VariableDialect } from './expand';
import type { LocationContext } from './locations';

/** One server entry as found in a file, before validation. */
export interface RawServerEntry {
  name: string;
  value: unknown;
  source: McpConfigSource;
  /** JSON path of the entry inside its file, e.g. `servers.github`. */
  path: string;
  dialect: VariableDialect;
  /** Cline and Roo write `timeout` in seconds; elsewhere `timeout` is not ours to interpret. */
  timeoutInSeconds?: boolean;
}

export interface SourceResult {
  entries: RawServerEntry[];
  errors: McpConfigError[];
  inputs: McpInputSpec[];
}

export const emptyResult = (): SourceResult => ({ entries: [], errors: [], inputs: [] });

export function mergeResults(results: SourceResult[]): SourceResult {
  return {
    entries: results.flatMap((r) => r.entries),
    errors: results.flatMap((r) => r.errors),
    inputs: results.flatMap((r) => r.inputs),
  };
}

export function configError(source: McpConfigSource, jsonPath: string, message: string, server?: string): McpConfigError {
  return server === undefined ? { source, path: jsonPath, message } : { source, server, path: jsonPath, message };
}

/** `servers` + `github` → `servers.github`; keys that would be ambiguous get brackets. */
export function joinPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  const plain = /^[A-Za-z0-9_$@-]+$/.test(key);
  const part = plain ? key : `[${JSON.stringify(key)}]`;
  if (prefix === '') return plain ? key : part;
  return plain ? `${prefix}.${part}` : `${prefix}${part}`;
}

/** Human name of a source for messages: the file, or the setting. */
export function describeSource(source: McpConfigSource): string {
  if (source.file) return source.file;
  return source.kind === 'rusty-settings' ? 'the rusty.mcp.servers setting' : source.kind;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type FileRead =
  | { kind: 'missing' }
  | { kind: 'error'; error: McpConfigError }
  | { kind: 'ok'; value: unknown };

/** Reads a JSON file (comments and trailing commas tolerated). A syntax error rejects the whole file. */
export async function readJsonFile(file: string, source: McpConfigSource): Promise<FileRead> {
  const text = await readText(file);
  if (text === undefined) return { kind: 'missing' };
  if (typeof text !== 'string') return { kind: 'error', error: configError(source, '', text.problem) };
  return parseJsonText(text, source);
}

export function parseJsonText(text: string, source: McpConfigSource): FileRead {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    return {
      kind: 'error',
      error: configError(source, '', `JSON syntax error at ${line}:${column} (${printParseErrorCode(first.error)}); fix the file — none of its servers are loaded until then`),
    };
  }
  if (text.trim() === '') return { kind: 'ok', value: {} };
  return { kind: 'ok', value };
}

export async function readYamlFile(file: string, source: McpConfigSource): Promise<FileRead> {
  const text = await readText(file);
  if (text === undefined) return { kind: 'missing' };
  if (typeof text !== 'string') return { kind: 'error', error: configError(source, '', text.problem) };
  return parseYamlText(text, source);
}

export function parseYamlText(text: string, source: McpConfigSource): FileRead {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? ` at ${pos.line}:${pos.col}` : '';
    const reason = (first.message.split('\n')[0] ?? first.code).replace(/ at line \d+, column \d+:?$/, '');
    return {
      kind: 'error',
      error: configError(source, '', `YAML syntax error${where} (${reason}); fix the file — none of its servers are loaded until then`),
    };
  }
  return { kind: 'ok', value: doc.toJS() ?? {} };
}

/** undefined when the file does not exist (missing config files are not an error). */
export async function readText(file: string): Promise<string | undefined | { problem: string }> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { problem: `cannot read the file (${code ?? (err as Error).message}); check that it is a readable file` };
  }
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(path.basename(file));
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

/** What every reader needs: the workspace plus where the user's files live. */
export interface ReaderContext extends LocationContext {
  workspace: string;
}

export interface MapOptions {
  dialect: VariableDialect;
  timeoutInSeconds?: boolean;
}

/** `{ name: entry, … }` — the shape of VS Code's `servers` and everyone's `mcpServers`. */
export function readServerMap(value: unknown, prefix: string, source: McpConfigSource, opts: MapOptions): SourceResult {
  const result = emptyResult();
  if (value === undefined || value === null) return result;
  if (!isPlainObject(value)) {
    result.errors.push(configError(source, prefix, `"${prefix}" must be an object mapping server names to entries, found ${describeType(value)}`));
    return result;
  }
  for (const [name, entry] of Object.entries(value)) {
    result.entries.push({ name, value: entry, source, path: joinPath(prefix, name), dialect: opts.dialect, ...(opts.timeoutInSeconds ? { timeoutInSeconds: true } : {}) });
  }
  return result;
}
