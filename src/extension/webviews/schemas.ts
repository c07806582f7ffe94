// Runtime validation of every request a webview sends: one zod schema per method of each
// protocol. `ParamSchemas<P>` makes the compiler insist on a schema for every method, and that
// what it accepts is exactly the params type the protocol declares.
import { z } from 'zod';
import type { ApprovalsProtocol } from '../../shared/approvalsProtocol';
import type { AuditProtocol } from '../../shared/auditProtocol';
import type { Protocol } from '../../shared/messages';
import type { ReviewProtocol } from '../../shared/reviewProtocol';

export type ParamSchemas<P extends Protocol> = { [M in keyof P['requests']]: z.ZodType<P['requests'][M]['params']> };

/** Proposal ids as the core makes them (and as its store accepts them). */
const proposalId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a proposal id (letters, digits, "-" and "_")');
/** Workspace-relative path as a FileView shows it; the host checks it against the proposal too. */
const relPath = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'must not contain NUL');
const hunkId = z.string().regex(/^[0-9a-f]{8}(?:-\d{1,6})?$/, 'must be a hunk id');
/** Methods without params accept `{}` or no params at all. */
const noParams = z.preprocess((v) => v ?? {}, z.strictObject({}));

export const approvalsSchemas: ParamSchemas<ApprovalsProtocol> = {
  review: z.strictObject({ id: proposalId }),
  approve: z.strictObject({ id: proposalId }),
  reject: z.strictObject({ id: proposalId, reason: z.string().trim().min(1, 'a reason is required').max(10_000) }),
  rollback: z.strictObject({ id: proposalId }),
  redo: z.strictObject({ id: proposalId }),
  reviewWorkspace: noParams,
  openAuditLog: noParams,
  openPullRequest: z.strictObject({ id: proposalId }),
  dismissDeadLetter: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a gateway ticket') }),
  clearDeadLetters: noParams,
};

export const reviewSchemas: ParamSchemas<ReviewProtocol> = {
  // An empty selection would mean "everything" to the core: a webview must say what it approves.
  approve: z.strictObject({ files: z.array(relPath).max(100_000), hunks: z.array(hunkId).max(100_000) })
    .refine((s) => s.files.length + s.hunks.length > 0, 'select at least one file or hunk to approve'),
  reject: z.strictObject({ reason: z.string().trim().min(1, 'a reason is required').max(10_000) }),
  rollback: z.strictObject({ force: z.boolean() }),
  redo: noParams,
  openDiff: z.strictObject({ path: relPath }),
  openFile: z.strictObject({ path: relPath, line: z.number().int().min(1).max(10_000_000).optional() }),
  cancelAsk: noParams,
  openTranscript: noParams,
  openProposal: z.strictObject({ id: proposalId }),
  openPullRequest: z.strictObject({ draft: z.boolean() }),
  checkNow: noParams,
};

export const auditSchemas: ParamSchemas<AuditProtocol> = {
  setFilter: z.strictObject({ proposalId: proposalId.optional() }),
  verify: noParams,
  openProposal: z.strictObject({ id: proposalId }),
};

/** "field: reason; field: reason" — short enough for a log line and an error reply. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`).join('; ');
}
