// `debug`: a stack trace read against the workspace. Frames are resolved to workspace files (the
// rest are dependencies or runtime internals), each workspace frame gets a code excerpt and the
// TypeScript diagnostics on its line, the failure is classified, and where TypeScript offers a
// code fix at the innermost workspace frame it becomes a change set. No fix is invented otherwise.
// A frame in generated JavaScript is first mapped through its source map (sourceMap.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineContext } from '../engine/context';
import type { ChangeSet } from '../proposals/changeSet';
import { WorkspaceProject } from '../ts/workspaceProject';
import { classify, type FailureKind } from './classify';
import { SourceMaps } from './sourceMap';
import { parseStack, type StackFrame } from './stack';

export interface FrameDiagnostic { code: number; message: string }

export interface ResolvedFrame extends StackFrame {
  /** Workspace-relative file when the frame is in the workspace (outside node_modules). */
  file?: string;
  origin: 'workspace' | 'dependency' | 'runtime' | 'unknown';
  /** A few lines around the frame's line, numbered (workspace frames only). */
  excerpt?: { line: number; text: string }[];
  diagnostics?: FrameDiagnostic[];
  /** Where the frame was before its source map moved it (workspace-relative generated file). */
  generated?: { file: string; line: number; column?: number };
}

export interface DebugReport {
  errorName?: string;
  message?: string;
  kind: FailureKind;
  frames: ResolvedFrame[];
  /** The innermost workspace frame, where a fix is looked for. */
  focus?: ResolvedFrame;
  fix?: { description: string; fixName: string; diagnostic: FrameDiagnostic; changeSet: ChangeSet };
  /** Why there is no fix (shown instead of one). */
  noFix?: string;
}

export interface AnalyzeOptions {
  /**
   * Other absolute paths of the workspace folder (e.g. VS Code's folder path when it goes through
   * a symbolic link: a debugger reports paths in that form, while `ctx.fs.root` is the real path).
   */
  roots?: readonly string[];
}

function toPath(location: string): string | undefined {
  if (/^file:/i.test(location)) { try { return fileURLToPath(location); } catch { return undefined; } }
  // A remote window's URI (VS Code gives debugger source paths as `vscode-remote://authority/path`
  // in code-server and Remote SSH/WSL/containers; the path is on the side the extension host runs).
  const remote = /^vscode-remote:\/\/[^/]*(\/[^?#]*)/i.exec(location);
  if (remote) {
    let p: string;
    try { p = decodeURIComponent(remote[1]!); } catch { return undefined; }
    return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
  }
  if (path.isAbsolute(location)) return location;
  return undefined;
}

function under(root: string, abs: string): string | undefined {
  const r = path.relative(root, abs);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r.split(path.sep).join('/') : undefined;
}

/**
 * The workspace-relative path of an absolute path: under the root or one of its other forms, else
 * under its real path (a symlinked folder such as macOS's /tmp), else — for a workspace file only —
 * the part after the last segment named like the root folder (the same project at another mount:
 * a container, a remote host, a copy).
 */
function workspaceRel(abs: string, roots: readonly string[], files: ReadonlySet<string>, onDisk: boolean): string | undefined {
  for (const root of roots) { const r = under(root, abs); if (r) return r; }
  if (onDisk) {
    let real: string | undefined;
    try { real = fs.realpathSync.native(abs); } catch { real = undefined; }
    if (real && real !== abs) for (const root of roots) { const r = under(root, real); if (r) return r; }
  }
  const parts = abs.split(/[\\/]+/);
  const names = new Set(roots.map((r) => path.basename(r)));
  for (let i = parts.length - 2; i >= 0; i--) {
    if (!names.has(parts[i]!)) continue;
    const rel = parts.slice(i + 1).join('/');
    if (files.has(rel)) return rel;
  }
  return undefined;
}

/** A location that is a workspace-relative path (`src/a.js`, `./src/a.js`, a debugger's source name). */
function relLocation(location: string, files: ReadonlySet<string>): string | undefined {
  // webpack's `webpack:///./src/a.js` and `webpack-internal:///./src/a.js` name files by their path from the project.
  const rel = location.replace(/^<(.*)>$/, '$1').replace(/^webpack(?:-internal)?:\/\/[^/]*\/(?:\.\/)?/, '').replace(/\\/g, '/').replace(/^\.\//, '');
  return files.has(rel) ? rel : undefined;
}

async function resolve(frame: StackFrame, roots: readonly string[], files: Set<string>, maps: SourceMaps, onDisk: boolean): Promise<ResolvedFrame> {
  if (/^(node:|internal\/|native|<anonymous>|\[native code\])/.test(frame.location) || frame.location === 'native') return { ...frame, origin: 'runtime' };
  const abs = toPath(frame.location);
  let rel: string | undefined;
  if (abs) rel = workspaceRel(abs, roots, files, onDisk);
  else if (/^https?:\/\//.test(frame.location)) {
    // A browser frame: the URL's path matched against workspace files (served from the root or a folder of it).
    const pathname = (() => { try { return decodeURIComponent(new URL(frame.location).pathname).replace(/^\/+/, ''); } catch { return ''; } })();
    rel = [...files].find((f) => f === pathname || pathname.endsWith(`/${f}`) || f.endsWith(`/${pathname}`));
  } else rel = relLocation(frame.location, files);
  if (!rel) return { ...frame, origin: abs ? 'dependency' : 'unknown' };
  if (rel.split('/').includes('node_modules')) return { ...frame, origin: 'dependency' };
  // Generated JavaScript (often in an ignored build folder): its source map, before the workspace lookup.
  if (frame.line) {
    const mapped = await maps.map(rel, frame.line, frame.column);
    if (mapped) {
      const { column: _c, ...rest } = frame;
      return { ...rest, file: mapped.file, line: mapped.line, ...(mapped.column ? { column: mapped.column } : {}), origin: files.has(mapped.file) ? 'workspace' : 'unknown', generated: { file: rel, line: frame.line, ...(frame.column ? { column: frame.column } : {}) } };
    }
  }
  return { ...frame, file: rel, origin: files.has(rel) ? 'workspace' : 'unknown' };
}

function excerpt(text: string, line: number, around = 2): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  for (let n = Math.max(1, line - around); n <= Math.min(lines.length, line + around); n++) out.push({ line: n, text: lines[n - 1]! });
  return out;
}

export async function analyzeTrace(ctx: EngineContext, text: string, opts: AnalyzeOptions = {}): Promise<DebugReport> {
  const trace = parseStack(text);
  const files = new Set(await ctx.fs.list());
  const maps = new SourceMaps(ctx.fs);
  const frames: ResolvedFrame[] = [];
  const roots = [ctx.fs.root, ...(opts.roots ?? []).filter((r) => path.isAbsolute(r))];
  for (const f of trace.frames) frames.push(await resolve(f, roots, files, maps, ctx.fs.onDisk !== false));
  const kind = classify(trace, text);
  const report: DebugReport = { ...(trace.errorName ? { errorName: trace.errorName } : {}), ...(trace.message ? { message: trace.message } : {}), kind, frames };
  if (!frames.length) return { ...report, noFix: 'No stack frames were found in the text (paste the whole error with its "at …" lines).' };
  for (const f of frames) {
    if (f.origin !== 'workspace' || !f.file || !f.line) continue;
    const bytes = await ctx.fs.read(f.file);
    if (bytes) f.excerpt = excerpt(new TextDecoder().decode(bytes), f.line);
  }
  const focus = frames.find((f) => f.origin === 'workspace' && f.file && f.line);
  if (!focus) {
    const top = frames[0]!;
    const where = `${top.location}${top.line ? `:${top.line}` : ''}`.slice(0, 300);
    const what = top.origin === 'runtime' ? 'in the runtime' : top.origin === 'dependency' ? 'in a dependency or outside the workspace folder' : 'in code Rusty cannot find in the workspace';
    return { ...report, noFix: `No frame is in the workspace (${ctx.fs.root}): the failure is raised ${what}, at ${where}; the frames show how the code reached it.` };
  }
  report.focus = focus;
  if (!/\.[cm]?[jt]sx?$/.test(focus.file!)) return { ...report, noFix: `${focus.file} is not a JavaScript or TypeScript file.` };
  await ctx.tick();
  const wp = await WorkspaceProject.load({ fs: ctx.fs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const sf = wp.project.getSourceFile(wp.abs(focus.file!));
  if (!sf) return { ...report, noFix: `${focus.file} is not part of the TypeScript project (tsconfig include), so no TypeScript diagnostics or code fixes are available there.` };
  const ts = wp.ts;
  const ls = wp.project.getLanguageService().compilerObject;
  const abs = sf.getFilePath();
  const program = ls.getProgram();
  const tsSf = program?.getSourceFile(abs);
  if (!program || !tsSf) return { ...report, noFix: 'The TypeScript program could not be built.' };
  const lineStart = tsSf.getPositionOfLineAndCharacter(focus.line! - 1, 0);
  const lineEnd = focus.line! < tsSf.getLineStarts().length ? tsSf.getPositionOfLineAndCharacter(focus.line!, 0) : tsSf.getEnd();
  const diags = [...program.getSyntacticDiagnostics(tsSf), ...program.getSemanticDiagnostics(tsSf)]
    .filter((d) => d.start !== undefined && d.start >= lineStart && d.start < lineEnd);
  focus.diagnostics = diags.map((d) => ({ code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') }));
  // A member read on a Promise at the frame: the value was used before it was awaited.
  if (focus.diagnostics.some((d) => /forget to use 'await'|does not exist on type 'Promise</.test(d.message))) report.kind = 'missing-await';
  else if (report.kind === 'other' && focus.diagnostics.length) report.kind = 'ts-diagnostic';
  const base = wp.base(focus.file!);
  for (const d of diags) {
    const fixes = ls.getCodeFixesAtPosition(abs, d.start!, d.start! + (d.length ?? 0), [d.code], {}, {})
      .filter((f) => f.fixName !== 'disableJsDiagnostics' && f.changes.length === 1 && f.changes[0]!.fileName === abs);
    const fix = fixes[0];
    if (!fix || !base) continue;
    if (fix.fixName.startsWith('addMissingAwait')) report.kind = 'missing-await';
    const before = tsSf.getFullText();
    const after = [...fix.changes[0]!.textChanges].sort((a, b) => b.span.start - a.span.start)
      .reduce((t, c) => t.slice(0, c.span.start) + c.newText + t.slice(c.span.start + c.span.length), before);
    const diagnostic = { code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
    return {
      ...report,
      fix: {
        description: fix.description, fixName: fix.fixName, diagnostic,
        changeSet: {
          title: `${fix.description} in ${focus.file}:${focus.line}`,
          rationale: `${report.errorName ?? 'The error'}${report.message ? `: ${report.message}` : ''} is raised at ${focus.file}:${focus.line}, where TypeScript reports TS${d.code} (${diagnostic.message}); this is TypeScript's own code fix for it (${fix.fixName}).`,
          source: 'debug:ts-codefix',
          edits: (sf.replaceWithText(after), wp.changedEdits()),
        },
      },
    };
  }
  return { ...report, noFix: diags.length ? `TypeScript reports ${diags.map((d) => `TS${d.code}`).join(', ')} at ${focus.file}:${focus.line} but offers no code fix for it.` : `TypeScript reports nothing at ${focus.file}:${focus.line}, so there is no deterministic fix; the frames above show where it fails.` };
}
