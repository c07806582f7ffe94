// VS Code's `.vscode/mcp.json`: `servers` (name → { type: "stdio"|"http"|"sse", command, args, env,
// envFile, cwd } or { type, url, headers }) and `inputs` (`${input:id}` prompts; the answers are kept in
// SecretStorage by secretInputResolver, never in a file).
import type { McpConfigSource, McpInputSpec } from '../types';
import { workspaceLocations } from './locations';
import {
  configError, describeType, emptyResult, isPlainObject, joinPath, readJsonFile, readServerMap,
  type ReaderContext, type SourceResult,
} from './files';

export async function readVscodeMcpJson(ctx: ReaderContext): Promise<SourceResult> {
  const file = workspaceLocations(ctx.workspace).vscodeMcpJson;
  const source: McpConfigSource = { kind: 'vscode-mcp-json', file };
  const read = await readJsonFile(file, source);
  if (read.kind === 'missing') return emptyResult();
  if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
  return readVscodeDocument(read.value, source);
}

export function readVscodeDocument(doc: unknown, source: McpConfigSource): SourceResult {
  if (!isPlainObject(doc)) {
    return { ...emptyResult(), errors: [configError(source, '', `expected an object with "servers" (and optionally "inputs"), found ${describeType(doc)}`)] };
  }
  const result = readServerMap(doc.servers, 'servers', source, { dialect: 'vscode' });
  const inputs = readInputs(doc.inputs, source);
  return { entries: result.entries, errors: [...result.errors, ...inputs.errors], inputs: inputs.inputs };
}

function readInputs(value: unknown, source: McpConfigSource): Pick<SourceResult, 'inputs' | 'errors'> {
  const out: Pick<SourceResult, 'inputs' | 'errors'> = { inputs: [], errors: [] };
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) {
    out.errors.push(configError(source, 'inputs', `"inputs" must be an array of { "type": "promptString", "id": …, "description": … }, found ${describeType(value)}`));
    return out;
  }
  value.forEach((item: unknown, i) => {
    const at = joinPath('inputs', i);
    const bad = (field: string, message: string) => out.errors.push(configError(source, joinPath(at, field), message));
    if (!isPlainObject(item)) return bad('', `input ${i + 1} must be an object, found ${describeType(item)}`);
    const { id, type, description, password, options } = item;
    const dflt = item.default;
    if (typeof id !== 'string' || id === '') return bad('id', `input ${i + 1} needs an "id" (the name used in \${input:id})`);
    if (type !== 'promptString' && type !== 'pickString') {
      return bad('type', `input "${id}" has type ${JSON.stringify(type)}; Rusty supports "promptString" and "pickString"`);
    }
    if (type === 'pickString' && (!Array.isArray(options) || !options.every((o) => typeof o === 'string' || isPlainObject(o)))) {
      return bad('options', `input "${id}" is a pickString and needs "options": an array of strings`);
    }
    const spec: McpInputSpec = { id, type };
    if (typeof description === 'string') spec.description = description;
    if (typeof password === 'boolean') spec.password = password;
    if (typeof dflt === 'string') spec.default = dflt;
    if (type === 'pickString' && Array.isArray(options)) {
      // VS Code also allows { label, value } options; the value is what gets substituted.
      spec.options = options.map((o) => (typeof o === 'string' ? o : String((o as Record<string, unknown>).value ?? (o as Record<string, unknown>).label ?? '')));
    }
    out.inputs.push(spec);
  });
  return out;
}
