// `rusty.*` settings as the extension reads them, mapped to the core's settings. Pure: the
// caller passes a getter (VS Code's WorkspaceConfiguration.get), so this is unit-tested in Node.
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, type RustySettings } from '../../core/state/settings';

export interface ExtensionSettings {
  /** What the core is constructed with (changing it means a new core). */
  core: RustySettings;
  codeLensEnabled: boolean;
  saveAfterApply: boolean;
}

/** Keys whose change requires a new core (state folder, limits). */
export const CORE_SETTING_KEYS = ['rusty.stateDir', 'rusty.maxFileSizeMB', 'rusty.checkpoints.retentionDays'] as const;

export type SettingGetter = (key: string) => unknown;

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

function nonNegative(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** `rusty.stateDir`: empty = the shared XDG location; `~` is the home folder; relative = from the workspace folder (as the CLI does). */
export function resolveStateDir(value: unknown, folder: string, home = os.homedir()): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  let dir = value.trim();
  if (dir === '~' || dir.startsWith('~/') || dir.startsWith('~\\')) dir = path.join(home, dir.slice(1));
  return path.resolve(folder, dir);
}

/** `get` reads keys relative to the `rusty` section (e.g. 'maxFileSizeMB'). */
export function readSettings(get: SettingGetter, folder: string): ExtensionSettings {
  const stateDir = resolveStateDir(get('stateDir'), folder);
  return {
    core: {
      maxFileSizeMB: positive(get('maxFileSizeMB'), DEFAULT_SETTINGS.maxFileSizeMB),
      retentionDays: nonNegative(get('checkpoints.retentionDays'), DEFAULT_SETTINGS.retentionDays),
      ...(stateDir ? { stateDir } : {}),
    },
    codeLensEnabled: bool(get('codeLens.enabled'), true),
    saveAfterApply: bool(get('saveAfterApply'), true),
  };
}
