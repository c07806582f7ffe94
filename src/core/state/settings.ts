// Settings shared by the CLI and the extension. The extension passes VS Code's values; the CLI
// reads the same `rusty.*` keys from the workspace's .vscode/settings.json (JSONC), so one
// setting governs both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';

export interface RustySettings {
  maxFileSizeMB: number;
  retentionDays: number;
  stateDir?: string;
}

export const DEFAULT_SETTINGS: RustySettings = { maxFileSizeMB: 5, retentionDays: 30 };

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** The workspace's `.vscode/settings.json` as key → value (empty when missing or not an object). */
export function readSettingsFile(workspace: string): { file: string; values: Record<string, unknown>; warning?: string } {
  const file = path.join(workspace, '.vscode', 'settings.json');
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return { file, values: {} };
  }
  const errors: ParseError[] = [];
  const json = parse(raw, errors, { allowTrailingComma: true }) as unknown;
  const values = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  return { file, values, ...(errors.length ? { warning: `${file} has JSON errors; using default Rusty settings where unreadable.` } : {}) };
}

export function readWorkspaceSettings(workspace: string): { settings: RustySettings; warning?: string } {
  const { values: s, warning } = readSettingsFile(workspace);
  const stateDir = typeof s['rusty.stateDir'] === 'string' && s['rusty.stateDir'] ? String(s['rusty.stateDir']) : undefined;
  return {
    settings: {
      maxFileSizeMB: num(s['rusty.maxFileSizeMB'], DEFAULT_SETTINGS.maxFileSizeMB),
      retentionDays: num(s['rusty.checkpoints.retentionDays'], DEFAULT_SETTINGS.retentionDays),
      ...(stateDir ? { stateDir: path.resolve(workspace, stateDir) } : {}),
    },
    ...(warning ? { warning } : {}),
  };
}
