// A conversation's memory (`rusty ask --thread T`, follow-ups in VS Code): the thread's earlier AI
// proposals, looked up in the store, with why they were rejected or could not be applied or rolled
// back (from the audit log), and the earlier questions with the answers given (kept redacted in
// <state>/ai/threads/<thread>.json), given to the next request so the model continues the
// conversation and does not repeat a refused change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { AuditEntry } from '../../audit';
import { redactString } from '../../audit/redact';
import { RustyError } from '../../util/errors';
import { writeJsonDurable } from '../../util/fsx';
import { describeConflicts, type FileConflict } from '../../checkpoints/revert';
import type { Proposal } from '../../proposals/model';

export interface ThreadNote {
  id: string;
  title: string;
  status: string;
  reason?: string;
}

export interface ThreadSource {
  list(): Proposal[];
  auditEntries(filter: { proposalId?: string }): AuditEntry[];
}

const MAX_NOTES = 10;

export function threadNotes(source: ThreadSource, thread: string): ThreadNote[] {
  const earlier = source.list().filter((p) => p.ai?.thread === thread).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(-MAX_NOTES);
  return earlier.map((p) => {
    const reasons: string[] = [];
    if (p.statusReason) reasons.push(p.statusReason);
    for (const e of source.auditEntries({ proposalId: p.id })) {
      if (e.action !== 'conflicted') continue;
      const conflicts = (e.details['conflicts'] as FileConflict[] | undefined) ?? [];
      const op = typeof e.details['operation'] === 'string' ? e.details['operation'] : 'apply';
      const text = `${op} refused by conflicts: ${describeConflicts(conflicts)}`;
      if (conflicts.length && !reasons.includes(text)) reasons.push(text);
    }
    return { id: p.id, title: p.title, status: p.status, ...(reasons.length ? { reason: reasons.join('; ') } : {}) };
  });
}

/** Thread ids: what `rusty ask --thread` accepts (they name a file in the state folder). */
export const THREAD_ID = /^[\w-][\w.-]{0,79}$/;

export function checkThreadId(thread: string): void {
  if (!THREAD_ID.test(thread)) throw new RustyError('usage', `A thread id is 1–80 letters, digits, '.', '_' or '-' (not starting with '.'), got ${JSON.stringify(thread.slice(0, 100))}.`);
}

/** One earlier question of the thread and what came of it. */
export interface ThreadTurn {
  at: string;
  task: string;
  /** The model's answer when it proposed no change. */
  answer?: string;
  /** Proposals it queued. */
  proposals?: string[];
}

/** Questions kept per thread, and the characters kept of each task and answer. */
export const MAX_TURNS = 6;
const TASK_CHARS = 1000;
const ANSWER_CHARS = 4000;

const TurnSchema = z.object({ at: z.string(), task: z.string(), answer: z.string().optional(), proposals: z.array(z.string()).optional() });
const ThreadFileSchema = z.object({ version: z.literal(1), turns: z.array(TurnSchema) });

export function threadFile(stateDir: string, thread: string): string {
  checkThreadId(thread);
  return path.join(stateDir, 'ai', 'threads', `${thread}.json`);
}

/** The thread's earlier questions, oldest first; none when the file is missing or unreadable. */
export function readThreadTurns(stateDir: string, thread: string): ThreadTurn[] {
  try {
    const parsed = ThreadFileSchema.safeParse(JSON.parse(fs.readFileSync(threadFile(stateDir, thread), 'utf8')));
    return parsed.success ? parsed.data.turns.slice(-MAX_TURNS) : [];
  } catch {
    return [];
  }
}

const cap = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Adds a question (redacted, capped) to the thread; the oldest beyond MAX_TURNS are dropped. */
export function appendThreadTurn(stateDir: string, thread: string, turn: ThreadTurn): void {
  const clean: ThreadTurn = {
    at: turn.at, task: cap(redactString(turn.task), TASK_CHARS),
    ...(turn.answer !== undefined ? { answer: cap(redactString(turn.answer), ANSWER_CHARS) } : {}),
    ...(turn.proposals?.length ? { proposals: turn.proposals } : {}),
  };
  const turns = [...readThreadTurns(stateDir, thread), clean].slice(-MAX_TURNS);
  writeJsonDurable(threadFile(stateDir, thread), { version: 1, turns }, false);
}
