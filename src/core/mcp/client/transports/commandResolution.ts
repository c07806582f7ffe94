// How a stdio server's `command` becomes something `child_process.spawn` can run.
// POSIX: spawn searches the child's PATH itself. Windows: spawn cannot start `npx`, `npm` or any
// other `.cmd`/`.bat` shim without a shell (and Node refuses `.cmd` files without `shell` since
// CVE-2024-27980), so we resolve the command through PATH × PATHEXT ourselves and run shims via
// `cmd.exe /d /s /c "…"` with every argument escaped — the rules cross-spawn (used by the SDK's
// own StdioClientTransport) applies, ported here so the escaping is ours to test.
import fs from 'node:fs';
import path from 'node:path';

export interface ResolvedCommand {
  command: string;
  args: string[];
  /** Windows: the cmd.exe command line is already quoted. */
  windowsVerbatimArguments?: boolean;
  /** The executable or shim file found on PATH (Windows only). */
  resolvedFile?: string;
}

export interface ResolveCommandOptions {
  platform?: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Injected for tests of the Windows rules on other platforms. */
  isFile?: (file: string) => boolean;
}

const META_CHARS = /([()\][%!^"`<>&|;, *?])/g;
const CMD_SHIM = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i;

export function resolveCommand(command: string, args: string[], opts: ResolveCommandOptions): ResolvedCommand {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'win32') return { command, args };

  const file = findOnWindowsPath(command, opts);
  if (!file) return { command, args };
  if (/\.(?:com|exe)$/i.test(file)) return { command: file, args, resolvedFile: file };

  // .cmd / .bat (or anything else): through cmd.exe, every argument quoted and ^-escaped.
  const doubleEscape = CMD_SHIM.test(file);
  const line = [escapeCommand(path.win32.normalize(file)), ...args.map((a) => escapeArgument(a, doubleEscape))].join(' ');
  const comspec = envValue(opts.env, 'ComSpec') ?? 'cmd.exe';
  return { command: comspec, args: ['/d', '/s', '/c', `"${line}"`], windowsVerbatimArguments: true, resolvedFile: file };
}

function findOnWindowsPath(command: string, opts: ResolveCommandOptions): string | undefined {
  const isFile = opts.isFile ?? defaultIsFile;
  const exts = (envValue(opts.env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  const hasExt = exts.some((e) => command.toLowerCase().endsWith(e.toLowerCase()));
  const candidatesIn = (dir: string): string[] => {
    const base = path.win32.resolve(dir, command);
    return hasExt ? [base] : exts.map((e) => base + e.toLowerCase());
  };
  const dirs = /[\\/]/.test(command)
    ? [opts.cwd ?? process.cwd()]
    : [opts.cwd ?? process.cwd(), ...(envValue(opts.env, 'PATH') ?? '').split(';').filter(Boolean)];
  for (const dir of dirs) {
    for (const candidate of candidatesIn(dir)) {
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Windows environment names are case-insensitive (`Path`, `PATH`). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

function defaultIsFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function escapeCommand(command: string): string {
  return command.replace(META_CHARS, '^$1');
}

/** Quotes one argument for cmd.exe (https://qntm.org/cmd); shims in node_modules/.bin re-parse it, hence double escaping. */
export function escapeArgument(arg: string, doubleEscapeMetaChars: boolean): string {
  let escaped = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"');
  escaped = escaped.replace(/(?=(\\+?)?)\1$/, '$1$1');
  escaped = `"${escaped}"`;
  escaped = escaped.replace(META_CHARS, '^$1');
  if (doubleEscapeMetaChars) escaped = escaped.replace(META_CHARS, '^$1');
  return escaped;
}
