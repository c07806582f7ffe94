// The audit chain's head witnessed in VS Code's global state (outside the state folder and the
// witness file), one key per audit log. Reads are in memory; writes are persisted by VS Code.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { isWitnessRecord, type AuditWitness, type WitnessRecord } from '../../core/audit/witness';
import { sha256 } from '../../core/util/hash';

export class GlobalStateAuditWitness implements AuditWitness {
  readonly name: string;
  private readonly key: string;

  constructor(private readonly state: vscode.Memento, auditFile: string) {
    this.key = `rusty.auditWitness.${sha256(path.resolve(auditFile)).slice(0, 16)}`;
    this.name = `VS Code global state (${this.key})`;
  }

  read(): WitnessRecord | undefined {
    const v: unknown = this.state.get(this.key);
    return isWitnessRecord(v) ? v : undefined;
  }

  write(record: WitnessRecord): void {
    void this.state.update(this.key, record);
  }
}
