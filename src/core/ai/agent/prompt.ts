// What the model is told: its role, the tools, the exact edit format, and the task with its
// context (named files, earlier proposals of the thread). Feedback messages for refused changes.
import type { ImpactDiagnostic } from '../../impact/types';
import type { ThreadNote, ThreadTurn } from './thread';

export const EDIT_FORMAT = `Edit format. When you change code, answer with a short explanation and edit blocks. Each block names its file on a line of its own, then quotes the exact current lines and their replacement:

FILE: src/path/to/file.ts
<<<<<<< SEARCH
exact lines copied from the current file (enough of them to match exactly one place)
=======
the lines that replace them
>>>>>>> REPLACE

Rules:
- SEARCH must match the current file exactly once (whitespace included); read the file first.
- Several blocks for one file are applied in order; each SEARCH must match the text left by the previous ones.
- A new file: FILE: with an empty SEARCH section and the whole file in the replacement.
- Delete a file: a line "DELETE: path/to/file.ts".
- Paths are relative to the workspace root, with '/'. Never edit outside the workspace or inside .git.
- Begin the answer with "TITLE: <what the change does, under 80 characters>".
- Send edit blocks in an answer without tool calls (an answer that calls tools is not applied).
Nothing is written to disk: your edits become a proposal a person reviews. If the change is refused (a SEARCH that does not match, new type errors, a refused path) you are told why; send corrected blocks for the files concerned (the earlier attempt was discarded, so send every block again).
When the task asks only for an explanation, answer in prose without edit blocks.`;

export function systemPrompt(opts: { tools: string[]; commands: readonly string[]; root: string }): string {
  return [
    'You are Rusty, a careful coding assistant working on a TypeScript/JavaScript workspace. You can read the workspace with tools (read-only); every change you make is reviewed by a person before anything is written.',
    `Tools: ${opts.tools.join(', ')}. Use them to read what you need before editing; do not guess file contents.`,
    opts.commands.length ? `run_command may run exactly these commands: ${opts.commands.join('; ')}.` : 'run_command is not available in this workspace (no command is allowed).',
    EDIT_FORMAT,
    'Keep changes minimal and in the style of the surrounding code. Do not introduce type errors.',
  ].join('\n\n');
}

export function firstMessage(opts: { task: string; files: { path: string; text?: string; problem?: string }[]; thread: ThreadNote[]; history?: ThreadTurn[] }): string {
  const parts: string[] = [];
  if (opts.history?.length) {
    parts.push(['This continues a conversation. Earlier questions and what came of them, oldest first:',
      ...opts.history.map((t) => `- Question: ${t.task}${t.answer !== undefined ? `\n  Your answer: ${t.answer}` : ''}${t.proposals?.length ? `\n  Proposed: ${t.proposals.join(', ')}` : ''}`)].join('\n'));
  }
  parts.push(`Task: ${opts.task}`);
  for (const f of opts.files) {
    if (f.text !== undefined) parts.push(`File ${f.path}:\n\`\`\`\n${f.text}\n\`\`\``);
    else parts.push(`File ${f.path}: ${f.problem ?? 'not available'}`);
  }
  if (opts.thread.length) {
    parts.push(['Earlier proposals in this conversation and what happened to them (take this into account):',
      ...opts.thread.map((t) => `- ${t.id} "${t.title}": ${t.status}${t.reason ? ` — ${t.reason}` : ''}`)].join('\n'));
  }
  return parts.join('\n\n');
}

export function diagnosticLine(d: ImpactDiagnostic): string {
  return `${d.file}:${d.line} TS${d.code} ${d.message.split('\n')[0]}`;
}

export function feedbackMessage(problems: string[], round: number, left: number): string {
  return [
    `Your change (turn ${round}) was refused and nothing was proposed:`,
    ...problems.map((p) => `- ${p}`),
    left > 0 ? `Fix these and send the corrected edit blocks (${left} more attempt${left === 1 ? '' : 's'}).` : 'This was the last attempt.',
  ].join('\n');
}
