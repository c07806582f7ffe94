// Opening the sign-in page: the command in $BROWSER when set ("%s" is replaced by the URL, else the
// URL is added as the last argument), else the platform's opener. Never through a shell.
import { spawn } from 'node:child_process';

export function browserCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const custom = env.BROWSER?.trim();
  if (custom) {
    // $BROWSER may list alternatives separated by ':' (the convention); the first one is used.
    const words = (custom.split(':')[0] ?? custom).split(/\s+/).filter(Boolean);
    return words.some((w) => w.includes('%s')) ? words.map((w) => w.replace(/%s/g, url)) : [...words, url];
  }
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  return ['xdg-open', url];
}

/** Starts the browser and does not wait for it; false when it could not be started. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const [cmd, ...args] = browserCommand(url, env);
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd!, args, { stdio: 'ignore', detached: process.platform !== 'win32' });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
