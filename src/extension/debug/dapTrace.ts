// A stopped debug session's exception as stack-trace text the core reads: the error line from the
// adapter's `exceptionInfo`, the frames from its `stackTrace` (already source-mapped by the
// adapter, e.g. js-debug maps compiled JS back to TypeScript). Label frames ("--- await ---") are
// skipped; js-debug's `<node_internals>/…` become `node:…` so they count as runtime frames.
// Pure: the shapes are the Debug Adapter Protocol's.

export interface DapExceptionInfo {
  exceptionId?: string;
  description?: string;
  breakMode?: string;
  details?: { message?: string; typeName?: string; fullTypeName?: string; stackTrace?: string };
}

export interface DapStackFrame {
  id?: number;
  name?: string;
  source?: { name?: string; path?: string; sourceReference?: number; origin?: string };
  line?: number;
  column?: number;
  presentationHint?: string;
}

const ERROR_LINE = /^(?:Uncaught (?:\(in promise\) )?)?((?:[A-Z][A-Za-z]*)?(?:Error|Exception))(?::\s*(.*))?$/;

/**
 * `TypeError: message` from the exception info: the first of description, exceptionId (js-debug puts
 * the whole error line there) and the stack text's first line that reads as an error line.
 */
export function errorLineOf(info: DapExceptionInfo | undefined): string {
  const candidates = [info?.description, info?.exceptionId, info?.details?.stackTrace].map((t) => (t ?? '').split(/\r?\n/)[0]!.trim());
  const line = candidates.find((t) => ERROR_LINE.test(t));
  if (line) return line.replace(/^Uncaught (?:\(in promise\) )?/, '');
  const name = info?.details?.typeName ?? info?.exceptionId ?? 'Error';
  const message = info?.details?.message ?? info?.description?.split(/\r?\n/)[0]?.trim() ?? '';
  return `${/^[A-Z]\w*$/.test(name) ? name : 'Error'}${message ? `: ${message}` : ''}`;
}

/**
 * In a remote window (code-server, Remote SSH/WSL/containers) VS Code hands an extension's
 * `customRequest` answers back with source paths turned into `vscode-remote://authority/path` URIs
 * (seen in the host suite; the adapter itself sent a plain path). The extension host runs on that
 * side, so the path is local to it.
 */
export function localPath(p: string): string {
  const m = /^vscode-remote:\/\/[^/]*(\/[^?#]*)/i.exec(p);
  if (!m) return p;
  let local: string;
  try { local = decodeURIComponent(m[1]!); } catch { return p; }
  return /^\/[A-Za-z]:/.test(local) ? local.slice(1) : local;
}

function location(frame: DapStackFrame): string | undefined {
  const p = frame.source?.path;
  if (p) return p.startsWith('<node_internals>/') ? `node:${p.slice('<node_internals>/'.length)}` : localPath(p);
  // A source without a path (its text only by `sourceReference`): js-debug names a workspace
  // source by its workspace-relative path, which the core resolves; anything else stays a label.
  const name = frame.source?.name;
  if (!name) return undefined;
  return /^[^\s<>()]+\.[cm]?[jt]sx?$/.test(name) ? name : `<${name.replace(/[\r\n]+/g, ' ')}>`;
}

export function traceFromDap(info: DapExceptionInfo | undefined, frames: readonly DapStackFrame[]): string {
  const lines = [errorLineOf(info)];
  for (const f of frames) {
    if (f.presentationHint === 'label' || !f.line) continue;
    const loc = location(f);
    if (!loc) continue;
    const where = `${loc}:${f.line}${f.column ? `:${f.column}` : ''}`;
    const name = (f.name ?? '').replace(/\s+/g, ' ').trim();
    lines.push(name && name !== '<anonymous>' ? `    at ${name} (${where})` : `    at ${where}`);
  }
  // No frames from the adapter: the error's own stack text, when the adapter gave one.
  if (lines.length === 1 && info?.details?.stackTrace) return info.details.stackTrace;
  return lines.join('\n');
}
