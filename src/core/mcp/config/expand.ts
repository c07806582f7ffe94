// Variable expansion in server entries. VS Code's syntax everywhere (`${env:VAR}`,
// `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${pathSeparator}`, `${/}`,
// `${input:id}`); Claude's files also use bare `${VAR}` / `${VAR:-default}` for environment variables,
// and Continue's blocks `${{ secrets.NAME }}` (taken from the environment here — Rusty has no
// Continue secret store). Anything else is an error naming the variable, never a silent empty string.
import * as path from 'node:path';

/** Which extra syntax a file's own tool understands. */
export type VariableDialect = 'vscode' | 'claude';

export interface ExpandContext {
  workspace: string;
  home: string;
  env: NodeJS.ProcessEnv;
  dialect: VariableDialect;
  /** Values of `${input:id}` already resolved; an id missing here is left as written. */
  inputs: ReadonlyMap<string, string>;
  /** Disabled servers: leave unresolvable variables as written instead of failing. */
  lenient?: boolean;
}

export type ExpandResult = { ok: true; value: string } | { ok: false; message: string };

const VARIABLE = /\$\{\{\s*([^}]*?)\s*\}\}|\$\{([^{}]*)\}/g;
const BARE_ENV = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const SUPPORTED = '${env:VAR}, ${workspaceFolder}, ${workspaceFolderBasename}, ${userHome}, ${pathSeparator}, ${input:id}';

export function expandString(text: string, ctx: ExpandContext): ExpandResult {
  let failure: string | undefined;
  const value = text.replace(VARIABLE, (match, mustache: string | undefined, inner: string | undefined) => {
    if (failure !== undefined) return match;
    const result = mustache !== undefined ? continueSecret(match, mustache, ctx) : variable(match, inner ?? '', ctx);
    if (result.ok) return result.value;
    if (ctx.lenient) return match;
    failure = result.message;
    return match;
  });
  return failure === undefined ? { ok: true, value } : { ok: false, message: failure };
}

/** Ids of every `${input:id}` in the text, in order of appearance. */
export function inputIds(text: string): string[] {
  return [...text.matchAll(/\$\{input:([^{}]+)\}/g)].map((m) => (m[1] ?? '').trim());
}

function variable(match: string, inner: string, ctx: ExpandContext): ExpandResult {
  const name = inner.trim();
  if (name.startsWith('env:')) return envValue(match, name.slice(4), undefined, ctx);
  if (name.startsWith('input:')) {
    const id = name.slice(6).trim();
    const value = ctx.inputs.get(id);
    // The loader resolves inputs before expanding; a gap here means "asked and not given".
    return value === undefined ? { ok: false, message: `${match} has no value (input "${id}" was not provided)` } : { ok: true, value };
  }
  switch (name) {
    case 'workspaceFolder': return { ok: true, value: ctx.workspace };
    case 'workspaceFolderBasename': return { ok: true, value: path.basename(ctx.workspace) };
    case 'userHome': return { ok: true, value: ctx.home };
    case 'pathSeparator':
    case '/': return { ok: true, value: path.sep };
  }
  if (ctx.dialect === 'claude') {
    const bare = BARE_ENV.exec(name);
    if (bare?.[1]) return envValue(match, bare[1], bare[2], ctx);
  }
  return { ok: false, message: `unknown variable ${match}; supported: ${SUPPORTED}` };
}

function envValue(match: string, varName: string, fallback: string | undefined, ctx: ExpandContext): ExpandResult {
  const value = ctx.env[varName];
  if (value !== undefined) return { ok: true, value };
  if (fallback !== undefined) return { ok: true, value: fallback };
  return { ok: false, message: `${match} needs the environment variable ${varName}, which is not set; set it before starting VS Code or the CLI` };
}

function continueSecret(match: string, expr: string, ctx: ExpandContext): ExpandResult {
  const secret = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
  if (secret?.[1]) return envValue(match, secret[1], undefined, ctx);
  return { ok: false, message: `unknown variable ${match}; Rusty understands \${{ secrets.NAME }} (read from the environment) and ${SUPPORTED}` };
}
