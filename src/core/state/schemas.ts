// Schemas of the files in a state folder, checked on every read: a truncated, hand-edited or
// half-migrated file is named with what is wrong instead of failing later with a raw JSON or
// property error. Objects are loose (unknown fields pass) so a newer Rusty's files still read.
import * as fs from 'node:fs';
import { z } from 'zod';
import { PROPOSAL_STATUSES } from '../proposals/model';
import { PRIORITIES } from '../proposals/changeSet';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex string');
const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO date');
const count = z.number().int().min(0);

const hunkSchema = z.looseObject({
  id: z.string(), oldStart: count, oldLines: count, newStart: count, newLines: count, lines: z.array(z.string()),
});

const proposalFileSchema = z.looseObject({
  path: z.string().min(1),
  kind: z.enum(['modify', 'create', 'delete', 'rename']),
  to: z.string().min(1).optional(),
  baseHash: hex64.optional(),
  newHash: hex64.optional(),
  binary: z.boolean(),
  added: count,
  removed: count,
  hunks: z.array(hunkSchema),
});

const rollbackSchema = z.looseObject({ at: z.string(), actor: z.string(), checkpointId: z.string().min(1), forced: z.boolean() });
const testRunSchema = z.looseObject({
  framework: z.string(), status: z.enum(['passed', 'failed', 'not-run']), passed: count, failed: count, todo: count, skipped: count, ms: z.number().min(0), at: z.string(),
});

export const proposalSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, "must contain only letters, digits, '-' and '_'"),
  title: z.string(),
  rationale: z.string().optional(),
  source: z.string(),
  priority: z.enum(PRIORITIES),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  status: z.enum(PROPOSAL_STATUSES),
  statusReason: z.string().optional(),
  fingerprint: z.string(),
  files: z.array(proposalFileSchema),
  history: z.array(z.looseObject({ status: z.enum(PROPOSAL_STATUSES), at: z.string(), actor: z.string(), note: z.string().optional() })),
  applied: z.looseObject({
    at: z.string(), actor: z.string(), checkpointId: z.string().min(1),
    files: z.array(z.string()), hunks: z.array(z.string()), merged: z.array(z.string()),
  }).optional(),
  rollback: rollbackSchema.optional(),
  parts: z.array(z.looseObject({
    at: z.string(), actor: z.string(), checkpointId: z.string().min(1),
    files: z.array(z.string()), hunks: z.array(z.string()), merged: z.array(z.string()), paths: z.array(z.string()),
    rollback: rollbackSchema.optional(),
  })).optional(),
  pullRequest: z.looseObject({
    repo: z.string(), number: z.number().int().min(1), url: z.string(), branch: z.string(), base: z.string(),
    commitSha: z.string(), draft: z.boolean(), openedAt: z.string(), openedBy: z.string(),
  }).optional(),
  testRun: testRunSchema.extend({ before: testRunSchema.optional(), after: testRunSchema.optional() }).optional(),
});

export const checkpointSchema = z.looseObject({
  id: z.string().min(1),
  createdAt: isoDate,
  proposalId: z.string(),
  kind: z.enum(['apply', 'rollback', 'force-rollback', 'redo', 'recovery']),
  files: z.array(z.looseObject({
    path: z.string().min(1),
    before: hex64.nullable(),
    after: hex64.nullable(),
    mode: z.number().int().optional(),
    createdDirs: z.array(z.string()).optional(),
    renamedFrom: z.string().optional(),
    removeDirs: z.array(z.string()).optional(),
  })),
  bytesStored: count,
});

export const journalRecordSchema = z.looseObject({
  txid: z.string().min(1),
  state: z.enum(['intent', 'committed']),
  kind: z.enum(['apply', 'rollback', 'force-rollback', 'redo', 'recovery']),
  checkpointId: z.string().min(1),
  proposalBefore: proposalSchema,
  proposalAfter: proposalSchema,
  audit: z.looseObject({ actor: z.string(), action: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const workspaceInfoSchema = z.looseObject({ workspace: z.string(), createdAt: z.string() });

export type StateRead<T> =
  | { status: 'ok'; value: T }
  | { status: 'missing' }
  | { status: 'corrupt'; reason: string };

function fieldPath(path: PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out || '(root)';
}

/** What is wrong with a parsed value, in one line (the first three issues), or undefined. */
export function schemaProblem(schema: z.ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  const issues = r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.code === 'invalid_type' && /received undefined/.test(i.message) ? `missing (expected ${i.expected})` : i.message}`);
  return issues.slice(0, 3).join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
}

/** Read and check one JSON state file. I/O errors other than "missing" are thrown. */
export function readStateFile<T>(file: string, schema: z.ZodType, check?: (value: T) => string | undefined): StateRead<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
    throw err;
  }
  if (text.trim() === '') return { status: 'corrupt', reason: 'the file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { status: 'corrupt', reason: `not valid JSON (${(err as Error).message}): the file is truncated or garbled` };
  }
  const problem = schemaProblem(schema, value) ?? check?.(value as T);
  return problem ? { status: 'corrupt', reason: `missing or invalid fields — ${problem}` } : { status: 'ok', value: value as T };
}
