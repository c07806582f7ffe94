// Audit log view ⇄ extension host.

export interface AuditEntryView {
  seq: number;
  time: string;
  actor: string;
  action: string;
  proposalId?: string;
  details: Record<string, unknown>;
}

export interface AuditSnapshot {
  entries: AuditEntryView[];
  /** Only this proposal's entries, when set. */
  proposalId?: string;
  verify?: { ok: true; entries: number } | { ok: false; line: number; problem: string; message: string; entries: number };
  error?: string;
}

export interface AuditProtocol {
  requests: {
    setFilter: { params: { proposalId?: string }; result: void };
    verify: { params: Record<string, never>; result: AuditSnapshot['verify'] };
    openProposal: { params: { id: string }; result: void };
  };
  notifications: {
    snapshot: AuditSnapshot;
  };
}

export const AUDIT_REQUESTS = ['setFilter', 'verify', 'openProposal'] as const satisfies readonly (keyof AuditProtocol['requests'])[];
