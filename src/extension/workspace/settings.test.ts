import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, resolveStateDir } from './settings';

const folder = path.resolve('/work/ws');

describe('extension settings', () => {
  it('defaults match the contributed defaults and the core', () => {
    expect(readSettings(() => undefined, folder)).toEqual({ core: { maxFileSizeMB: 5, retentionDays: 30 }, codeLensEnabled: true, saveAfterApply: true });
  });

  it('maps rusty.* values to the core and ignores nonsense', () => {
    const values: Record<string, unknown> = { maxFileSizeMB: 2, 'checkpoints.retentionDays': 0, stateDir: 'state', 'codeLens.enabled': false, saveAfterApply: false };
    expect(readSettings((k) => values[k], folder)).toEqual({
      core: { maxFileSizeMB: 2, retentionDays: 0, stateDir: path.join(folder, 'state') },
      codeLensEnabled: false,
      saveAfterApply: false,
    });
    const bad: Record<string, unknown> = { maxFileSizeMB: -1, 'checkpoints.retentionDays': 'x', stateDir: '   ', 'codeLens.enabled': 'no' };
    expect(readSettings((k) => bad[k], folder)).toEqual({ core: { maxFileSizeMB: 5, retentionDays: 30 }, codeLensEnabled: true, saveAfterApply: true });
  });

  it('resolves the state folder like the CLI (relative to the workspace), with ~ for home', () => {
    expect(resolveStateDir('', folder)).toBeUndefined();
    expect(resolveStateDir(path.resolve('/abs/state'), folder)).toBe(path.resolve('/abs/state'));
    expect(resolveStateDir('../s', folder)).toBe(path.resolve(folder, '../s'));
    expect(resolveStateDir('~/rusty', folder, '/home/me')).toBe(path.join('/home/me', 'rusty'));
    expect(resolveStateDir('~', folder)).toBe(os.homedir());
  });
});
