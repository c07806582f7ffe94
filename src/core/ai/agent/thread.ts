// A conversation's memory (`rusty ask --thread T`): the thread's earlier AI proposals, looked up in
// the store, with why they were rejected or could not be applied or rolled back (from the audit
// log), given to the next request so the model does not repeat a refused change.
import type { AuditEntry } from '../../audit';
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
