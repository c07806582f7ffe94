// A debug report as people read it in VS Code: a markdown document (your frames first, with code
// excerpts and TypeScript's diagnostics, then dependency and runtime frames; the fix or why there is
// none) and the labels of the "Go to Frame" pick. Trace text is untrusted: every piece is escaped
// (markdown punctuation, hidden characters as <U+XXXX>), excerpts sit in fences longer than any
// backtick run they hold. Pure: no 'vscode' import.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DebugReport, ResolvedFrame } from '../../core/debug/analyze';
import type { TestRunRecord } from '../../core/testgen/run';
import { visiblePlain } from '../../shared/hiddenChars';

export const KIND_LABEL: Record<DebugReport['kind'], string> = {
  'null-access': 'undefined/null access', 'not-a-function': 'not a function', 'unhandled-rejection': 'unhandled promise rejection',
  'missing-await': 'missing await', 'module-not-found': 'module not found', assertion: 'assertion failure', 'ts-diagnostic': 'an error TypeScript reports at the failing line', other: 'unclassified error',
};

/** Untrusted text as inert markdown: one line, hidden characters visible, punctuation escaped. */
export function mdText(text: string, max = 500): string {
  const one = visiblePlain(text.length > max ? `${text.slice(0, max)}…` : text);
  return one.replace(/[\\`*_{}[\]()#+\-.!|~<>&"':]/g, (c) => `\\${c}`);
}

function fence(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  return '`'.repeat(longest + 1);
}

/** `src/a.ts:7:29`, or the location as printed for frames outside the workspace. */
export function frameWhere(f: ResolvedFrame): string {
  return `${f.file ?? f.location}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}`;
}

/** Workspace frames first (trace order kept inside each group). */
export function orderedFrames(report: DebugReport): ResolvedFrame[] {
  return [...report.frames.filter((f) => f.origin === 'workspace'), ...report.frames.filter((f) => f.origin !== 'workspace')];
}

export function errorTitle(report: DebugReport): string {
  return `${report.errorName ?? 'Error'}${report.message ? `: ${report.message}` : ''}`;
}

export interface ReportFixState {
  /** The queued fix proposal. */
  proposalId?: string;
  existing?: boolean;
  /** Where the trace came from ("the clipboard", "the debug session 'crash'", …). */
  from: string;
  /** The failing test run on copies without and with the fix. */
  testRun?: TestRunRecord;
  /** The model asked when TypeScript had no fix: its proposal is `proposalId`, or why it made none. */
  ai?: { model: string; title?: string; error?: string };
}

function runText(r: TestRunRecord): string {
  return r.status === 'not-run' ? `not run (${r.reason ?? 'unknown reason'})` : `${r.status} (${r.passed} passed, ${r.failed} failed)`;
}

/** One line: the failing test without and with the fix. */
export function testRunSummary(r: TestRunRecord): string {
  const name = r.test !== undefined ? `"${r.test.slice(0, 80)}"` : 'the failing test';
  if (!r.before || !r.after) return `${name}: ${runText(r)}`;
  return `${name}: without the fix ${runText(r.before)}, with the fix ${runText(r.after)}`;
}

export function reportMarkdown(report: DebugReport, root: string, state: ReportFixState): string {
  const out: string[] = [`# ${mdText(errorTitle(report), 300)}`, '', `**Kind:** ${KIND_LABEL[report.kind]} · from ${mdText(state.from, 120)}`, ''];
  const runLines = (): void => {
    const run = state.testRun;
    if (!run) return;
    out.push('### Failing test', '', `${run.test !== undefined ? `${mdText(run.test, 200)} · ` : ''}run with ${mdText(run.framework)} on copies of the workspace:`, '');
    if (run.before && run.after) out.push(`- without the fix: ${mdText(runText(run.before), 400)}`, `- with the fix: ${mdText(runText(run.after), 400)}`, '');
    else out.push(`- ${mdText(runText(run), 400)}`, '');
  };
  const queuedLine = () => `${state.existing ? 'Already queued' : 'Queued'} as proposal ${mdText(state.proposalId!)}: review it in the Rusty review panel; nothing is written until you approve.`;
  if (report.fix && state.proposalId) {
    out.push('## Fix proposed', '', `TypeScript's code fix \\(${mdText(report.fix.fixName, 80)}\\): ${mdText(report.fix.description)} — for TS${report.fix.diagnostic.code} at ${mdText(report.focus ? frameWhere(report.focus) : '')}.`,
      '', queuedLine(), '');
    runLines();
  } else if (state.ai && state.proposalId) {
    out.push('## Fix proposed by a model', '', `TypeScript offers no fix here; ${mdText(state.ai.model, 120)} proposed: ${mdText(state.ai.title ?? '', 200)} — checked like "Rusty: Ask…" before it was queued.`, '', queuedLine(), '');
    runLines();
  } else {
    out.push('## No fix proposed', '', mdText(report.noFix ?? 'No fix was found.', 600), '');
    if (state.ai) out.push(`${mdText(state.ai.model, 120)} was asked and proposed no fix: ${mdText(state.ai.error ?? 'no reason given', 400)}`, '');
  }
  const mine = report.frames.filter((f) => f.origin === 'workspace');
  const rest = report.frames.filter((f) => f.origin !== 'workspace');
  out.push(`## Your code \\(${mine.length} frame${mine.length === 1 ? '' : 's'}\\)`, '');
  if (!mine.length) out.push('No frame of the trace is in this workspace.', '');
  mine.forEach((f, i) => {
    const where = mdText(frameWhere(f), 200);
    const link = f.file && f.line ? `[${where}](<${pathToFileURL(path.join(root, ...f.file.split('/'))).href}#L${f.line}${f.column ? `,${f.column}` : ''}>)` : where;
    out.push(`### ${i + 1}. ${f.fn ? `${mdText(f.fn, 100)} — ` : ''}${link}${f === report.focus ? ' · where it fails' : ''}`, '');
    if (f.excerpt?.length) {
      const width = String(f.excerpt[f.excerpt.length - 1]!.line).length;
      const lines = f.excerpt.map((e) => `${e.line === f.line ? '>' : ' '} ${String(e.line).padStart(width)} | ${visiblePlain(e.text)}`);
      const ticks = fence(lines);
      out.push(ticks, ...lines, ticks, '');
    }
    for (const d of f.diagnostics ?? []) out.push(`- TS${d.code}: ${mdText(d.message)}`);
    if (f.diagnostics?.length) out.push('');
  });
  if (rest.length) {
    out.push(`## Dependencies and runtime \\(${rest.length}\\)`, '');
    for (const f of rest) out.push(`- ${f.fn ? `${mdText(f.fn, 100)} · ` : ''}${mdText(frameWhere(f), 200)} \\(${f.origin}\\)`);
    out.push('');
  }
  return out.join('\n');
}
