// Where Rusty keeps its state for a workspace. The CLI and the extension compute the same folder
// for the same workspace, so they share proposals, checkpoints and the audit log. Nothing goes
// inside the workspace itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256 } from '../util/hash';

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUSTY_STATE_DIR) return path.resolve(env.RUSTY_STATE_DIR);
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'rusty', 'state');
  const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(xdg, 'rusty');
}

/** The workspace's real path (symlinks resolved), so two spellings of one folder share state. */
export function workspaceRealPath(workspace: string): string {
  return fs.realpathSync.native(path.resolve(workspace));
}

export function workspaceStateDir(workspace: string, env: NodeJS.ProcessEnv = process.env, override?: string): string {
  if (override) return path.resolve(override);
  const real = workspaceRealPath(workspace);
  const key = process.platform === 'win32' || process.platform === 'darwin' ? real.toLowerCase() : real;
  return path.join(stateRoot(env), sha256(key).slice(0, 16));
}
