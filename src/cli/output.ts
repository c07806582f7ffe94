// How the CLI talks: results on stdout (text or --json), progress and notices on stderr, and
// errors as one line (plus {"error":{code,message}} on stdout with --json). Text for the
// terminal goes through safeBlock/safeLine: no escape sequence from untrusted text reaches it.
import { isRustyError } from '../core/util/errors';
import { safeBlock, safeLine } from '../core/util/terminalText';

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  isTty: !!process.stderr.isTTY,
};

export class Output {
  constructor(readonly io: Io, readonly json: boolean) {}

  /** Print a result: JSON as given, or the human text. */
  result(json: unknown, text: () => string): void {
    this.io.out(this.json ? JSON.stringify(json, null, 2) : safeBlock(text()));
  }

  notice(text: string): void {
    this.io.err(safeBlock(text));
  }

  /** A progress line that overwrites itself, only on an interactive terminal. */
  progress(text: string): void {
    if (this.io.isTty && !this.json) process.stderr.write(`\r\x1b[2K${safeLine(text)}`);
  }

  endProgress(): void {
    if (this.io.isTty && !this.json) process.stderr.write('\r\x1b[2K');
  }

  error(err: unknown): number {
    this.endProgress();
    const code = isRustyError(err) ? err.code : 'internal';
    const message = err instanceof Error ? err.message : String(err);
    if (this.json) this.io.out(JSON.stringify({ error: { code, message, ...(isRustyError(err) && err.details ? { details: err.details } : {}) } }, null, 2));
    this.io.err(`rusty: ${safeLine(message.split('\n')[0]!)}`);
    if (!isRustyError(err) && err instanceof Error && err.stack && process.env.RUSTY_DEBUG) this.io.err(err.stack);
    return isRustyError(err) && err.code === 'usage' ? EXIT_USAGE : EXIT_REFUSED;
  }
}
