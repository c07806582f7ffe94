import { describe, it } from 'vitest';
import { auditWitnessContract } from './witness.contract';
import { FileAuditWitness, MemoryAuditWitness, witnessFileFor } from './witness';
import * as path from 'node:path';

describe('AuditWitness contract: file adapter', () => {
  auditWitnessContract((auditFile) => {
    const file = witnessFileFor(auditFile, { RUSTY_STATE_DIR: path.dirname(path.dirname(auditFile)) });
    return { a: new FileAuditWitness(file), b: new FileAuditWitness(file) };
  }, { test: it });
});

describe('AuditWitness contract: memory adapter', () => {
  auditWitnessContract(() => {
    const a = new MemoryAuditWitness();
    return { a, b: a };
  }, { test: it });
});
