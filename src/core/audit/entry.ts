// The shape of one audit line and how its hash is computed. Kept apart from the file I/O so
// verify, append and tests all agree on exactly one definition of "a valid entry".

import { sha256 } from '../util/hash';
import { canonicalJson } from './canonicalJson';

export const AUDIT_ACTIONS = [
  'created', 'validated', 'shown', 'approved', 'rejected', 'applied', 'conflicted', 'stale',
  'rolled-back', 'redone', 'recovered', 'failed', 'refused', 'gc', 'quarantined', 'doctor',
  // MCP later:
  'mcp.decision', 'mcp.call', 'mcp.grant', 'mcp.revoke', 'mcp.sampling',
  'pr.opened',
] as const;
/** Known actions autocomplete, but any string is accepted so new sources need no schema change. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: AuditAction;
  proposalId?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** prevHash of seq 1: the chain has to start somewhere everybody agrees on. */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

/** hash = sha256(prevHash + "\n" + canonicalJson(entry without hash)). */
export function computeEntryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return sha256(`${entry.prevHash}\n${canonicalJson(rest)}`);
}

export type ParsedLine =
  | { ok: true; entry: AuditEntry }
  | { ok: false; notJson: boolean; reason: string };

/** Parse one line (without its '\n') and check it has every field an entry must have. */
export function parseEntryLine(text: string): ParsedLine {
  if (text.trim() === '') return { ok: false, notJson: true, reason: 'the line is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, notJson: true, reason: `not valid JSON (${(err as Error).message})` };
  }
  const problem = shapeProblem(value);
  if (problem) return { ok: false, notJson: false, reason: problem };
  return { ok: true, entry: value as AuditEntry };
}

function shapeProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) return 'missing or invalid "seq"';
  if (typeof v.time !== 'string') return 'missing or invalid "time"';
  if (typeof v.actor !== 'string') return 'missing or invalid "actor"';
  if (typeof v.action !== 'string') return 'missing or invalid "action"';
  if (v.proposalId !== undefined && typeof v.proposalId !== 'string') return 'invalid "proposalId"';
  if (!isPlainObject(v.details)) return 'missing or invalid "details"';
  if (typeof v.prevHash !== 'string' || !HEX64.test(v.prevHash)) return 'missing or invalid "prevHash"';
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash)) return 'missing or invalid "hash"';
  return undefined;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
