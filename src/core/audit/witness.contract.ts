// The AuditWitness contract: cases every adapter must pass (file, memory, VS Code global state).
// Framework-agnostic like workspaceFs.contract.ts: node:assert and a `test(name, fn)` registrar.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLog } from './auditLog';
import type { AuditWitness } from './witness';

/** Two witnesses over the same storage (a second window / process reading what the first wrote). */
export type WitnessFactory = (auditFile: string) => { a: AuditWitness; b: AuditWitness; dispose?(): void };

export interface WitnessRegistrar {
  test(name: string, fn: () => void | Promise<void>): void;
}

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);

export function auditWitnessContract(factory: WitnessFactory, t: WitnessRegistrar): void {
  const withLog = (fn: (file: string, w: ReturnType<WitnessFactory>) => void) => () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-witness-contract-'));
    const file = path.join(dir, 'state', 'audit.jsonl');
    const w = factory(file);
    try {
      fn(file, w);
    } finally {
      w.dispose?.();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  t.test('reads nothing before the first write, then the last record written', withLog((_file, { a, b }) => {
    assert.equal(a.read(), undefined);
    a.write({ seq: 1, hash: H1, at: '2025-01-01T00:00:00.000Z' });
    a.write({ seq: 2, hash: H2, at: '2025-01-01T00:00:01.000Z' });
    assert.deepEqual(a.read(), { seq: 2, hash: H2, at: '2025-01-01T00:00:01.000Z' });
    assert.deepEqual(b.read(), { seq: 2, hash: H2, at: '2025-01-01T00:00:01.000Z' });
    assert.ok(a.name.length > 0);
  }));

  t.test('follows every append of an audit log and catches its truncation', withLog((file, { a }) => {
    const log = new AuditLog(file, { witnesses: [a] });
    for (let i = 0; i < 3; i++) log.append({ actor: 'test', action: 'created' });
    assert.equal(a.read()?.seq, 3);
    const kept = fs.readFileSync(file, 'utf8').split('\n').slice(0, 2).map((l) => `${l}\n`).join('');
    fs.writeFileSync(file, kept);
    fs.rmSync(`${file}.head`);
    const v = log.verify();
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.message, new RegExp(`the ${a.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} records seq 3`));
  }));
}
