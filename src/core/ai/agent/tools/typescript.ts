// diagnostics, find_definition, find_references: the TypeScript language service over the
// workspace project (loaded once per run, through the EngineContext's reader).
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { collectDiagnostics } from '../../../impact/typeCheck';
import type { WorkspaceProject } from '../../../ts/workspaceProject';
import { toolPath } from './paths';
import { intArg, stringArg, ToolError, type AgentTool, type ToolEnv } from './types';

const MAX_DIAGNOSTICS = 100;
const MAX_LOCATIONS = 100;

async function program(env: ToolEnv): Promise<{ wp: WorkspaceProject; ls: TsNamespace.LanguageService; program: TsNamespace.Program }> {
  const wp = await env.project();
  const ls = wp.project.getLanguageService().compilerObject;
  const p = ls.getProgram();
  if (!p) throw new ToolError('The TypeScript language service produced no program.');
  return { wp, ls, program: p };
}

export const diagnosticsTool: AgentTool = {
  spec: {
    name: 'diagnostics',
    description: 'TypeScript errors and warnings (file:line TScode message) of the given files, or of every file in the project when none are given.',
    inputSchema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } },
  },
  async run(args, env) {
    const raw = args['files'];
    if (raw !== undefined && (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string'))) throw new ToolError('Argument "files" must be an array of paths.');
    const { wp, program: p } = await program(env);
    const files = raw ? (raw as string[]).map((f) => toolPath(wp.root, f)) : wp.files();
    const missing = files.filter((f) => !p.getSourceFile(wp.abs(f)));
    const { diagnostics, checked } = await collectDiagnostics({ ts: wp.ts, program: p, root: wp.root, files, ...(env.ctx.signal ? { signal: env.ctx.signal } : {}) });
    const lines = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => `${d.file}:${d.line} TS${d.code} ${d.message.split('\n')[0]}`);
    if (diagnostics.length > MAX_DIAGNOSTICS) lines.push(`… ${diagnostics.length - MAX_DIAGNOSTICS} more`);
    if (missing.length) lines.push(`Not in the TypeScript project: ${missing.join(', ')}`);
    return lines.length ? lines.join('\n') : `No errors in ${checked} file${checked === 1 ? '' : 's'}.`;
  },
};

/** The position of `name` in `file` (on `line` when given): the language service's input. */
function position(wp: WorkspaceProject, p: TsNamespace.Program, args: Record<string, unknown>): { abs: string; pos: number } {
  const rel = toolPath(wp.root, stringArg(args, 'file', true));
  const name = stringArg(args, 'name', true);
  const line = intArg(args, 'line');
  const abs = wp.abs(rel);
  const sf = p.getSourceFile(abs);
  if (!sf) throw new ToolError(`${rel} is not part of the TypeScript project.`);
  const word = new RegExp(`(?<![\\w$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
  const text = sf.getFullText();
  if (line !== undefined) {
    const lines = sf.getLineStarts();
    if (line < 1 || line > lines.length) throw new ToolError(`${rel} has ${lines.length} lines; line ${line} does not exist.`);
    const start = lines[line - 1]!;
    const end = line < lines.length ? lines[line]! : text.length;
    const m = word.exec(text.slice(start, end));
    if (!m) throw new ToolError(`"${name}" does not occur on ${rel}:${line}.`);
    return { abs, pos: start + m.index };
  }
  const m = word.exec(text);
  if (!m) throw new ToolError(`"${name}" does not occur in ${rel}.`);
  return { abs, pos: m.index };
}

function where(wp: WorkspaceProject, p: TsNamespace.Program, fileName: string, start: number): string {
  const rel = path.relative(wp.root, fileName).split(path.sep).join('/');
  const sf = p.getSourceFile(fileName);
  if (!sf) return rel;
  const { line } = sf.getLineAndCharacterOfPosition(start);
  const text = sf.getFullText().slice(sf.getLineStarts()[line], sf.getLineStarts()[line + 1] ?? undefined).trim().slice(0, 160);
  return `${rel.startsWith('..') ? fileName : rel}:${line + 1}: ${text}`;
}

const positionSchema = {
  type: 'object',
  properties: {
    file: { type: 'string', description: 'workspace-relative file where the name occurs' },
    name: { type: 'string', description: 'the identifier' },
    line: { type: 'integer', minimum: 1, description: '1-based line of the occurrence (default: the first in the file)' },
  },
  required: ['file', 'name'],
};

export const findDefinitionTool: AgentTool = {
  spec: { name: 'find_definition', description: 'Where the identifier at file (line) is defined (TypeScript language service).', inputSchema: positionSchema },
  async run(args, env) {
    const { wp, ls, program: p } = await program(env);
    const { abs, pos } = position(wp, p, args);
    const defs = ls.getDefinitionAtPosition(abs, pos) ?? [];
    if (!defs.length) return 'No definition found.';
    return defs.slice(0, MAX_LOCATIONS).map((d) => where(wp, p, d.fileName, d.textSpan.start)).join('\n');
  },
};

export const findReferencesTool: AgentTool = {
  spec: { name: 'find_references', description: `Every reference to the identifier at file (line), as file:line: text (at most ${MAX_LOCATIONS}).`, inputSchema: positionSchema },
  async run(args, env) {
    const { wp, ls, program: p } = await program(env);
    const { abs, pos } = position(wp, p, args);
    const out: string[] = [];
    let total = 0;
    for (const group of ls.findReferences(abs, pos) ?? []) {
      for (const ref of group.references) {
        if (ref.fileName.split(path.sep).includes('node_modules')) continue;
        total++;
        if (out.length < MAX_LOCATIONS) out.push(`${where(wp, p, ref.fileName, ref.textSpan.start)}${ref.isDefinition ? '  (definition)' : ''}`);
      }
    }
    if (!total) return 'No references found.';
    return total > out.length ? `${out.join('\n')}\n… ${total - out.length} more` : out.join('\n');
  },
};
