// Public API of the audit log; everything else in this folder is an implementation detail.
export { AuditLog, AUDIT_ACTIONS, GENESIS_HASH } from './auditLog';
export type { AuditAction, AuditEntry, AuditAppendInput, AuditReadFilter, VerifyProblem, VerifyResult, WitnessStatus } from './auditLog';
export { redactSecrets, redactString, isSecretKey, REDACTED } from './redact';
export { canonicalJson } from './canonicalJson';
export { FileAuditWitness, MemoryAuditWitness, witnessFileFor, CHAIN_LIMITS, type AuditWitness, type WitnessRecord } from './witness';
