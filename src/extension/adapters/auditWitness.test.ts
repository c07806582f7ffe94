// The global-state witness against the AuditWitness contract, over a Memento backed by a Map (the
// Memento interface is get/update; the extension host suite runs it against the real one).
import { describe, it } from 'vitest';
import type * as vscode from 'vscode';
import { auditWitnessContract } from '../../core/audit/witness.contract';
import { GlobalStateAuditWitness } from './auditWitness';

function memento(): vscode.Memento {
  const map = new Map<string, unknown>();
  return {
    keys: () => [...map.keys()],
    get: <T>(key: string, fallback?: T) => (map.has(key) ? map.get(key) as T : fallback),
    update: (key: string, value: unknown) => {
      map.set(key, structuredClone(value));
      return Promise.resolve();
    },
  } as vscode.Memento;
}

describe('AuditWitness contract: VS Code global state adapter', () => {
  auditWitnessContract((auditFile) => {
    const state = memento();
    return { a: new GlobalStateAuditWitness(state, auditFile), b: new GlobalStateAuditWitness(state, auditFile) };
  }, { test: it });
});
