// The per-session scratch store scripts reach through state.get/set: JSON values by key, kept in
// memory (agents) or in one file per session under the state folder (the CLI).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../util/errors';

export interface ScratchStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const MAX_STATE_BYTES = 1024 * 1024;

export function checkStateKey(key: unknown): string {
  if (typeof key !== 'string' || !key || key.length > 200) throw new RustyError('usage', 'state keys are non-empty strings of at most 200 characters.');
  return key;
}

export class MemoryScratchStore implements ScratchStore {
  private readonly values = new Map<string, string>();
  get(key: string): unknown {
    const v = this.values.get(checkStateKey(key));
    return v === undefined ? undefined : JSON.parse(v);
  }
  set(key: string, value: unknown): void {
    const json = JSON.stringify(value ?? null);
    if (json.length > MAX_STATE_BYTES) throw new RustyError('too-large', `state.set(${JSON.stringify(key)}): the value is over 1 MB.`);
    this.values.set(checkStateKey(key), json);
  }
}

/** `<stateDir>/codemode/sessions/<session>.json`, rewritten atomically on set. */
export class FileScratchStore implements ScratchStore {
  private values: Record<string, unknown>;
  readonly file: string;

  constructor(stateDir: string, session: string) {
    if (!/^[\w.-]{1,64}$/.test(session) || session.startsWith('.')) throw new RustyError('usage', `Session name ${JSON.stringify(session)} must be 1–64 letters, digits, '.', '_' or '-'.`);
    this.file = path.join(stateDir, 'codemode', 'sessions', `${session}.json`);
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      this.values = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.assign(Object.create(null) as Record<string, unknown>, parsed) : Object.create(null);
    } catch {
      this.values = Object.create(null) as Record<string, unknown>;
    }
  }

  get(key: string): unknown {
    return this.values[checkStateKey(key)];
  }

  set(key: string, value: unknown): void {
    this.values[checkStateKey(key)] = value ?? null;
    const json = JSON.stringify(this.values);
    if (json.length > MAX_STATE_BYTES) {
      delete this.values[key];
      throw new RustyError('too-large', `state.set(${JSON.stringify(key)}): the session store would be over 1 MB.`);
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, this.file);
  }
}
