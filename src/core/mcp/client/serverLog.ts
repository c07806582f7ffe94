// One server's log: its stderr plus Rusty's own notes (start, exit, protocol problems), appended to
// <logDir>/<server>.log, and the last lines kept in memory for the status view.
import fs from 'node:fs';
import path from 'node:path';

const MAX_LOG_BYTES = 5 * 1024 * 1024;
/** Rotated files kept besides the current one: <server>.log.1 (newest) … .3 (oldest). */
const KEEP_ROTATED = 3;
const MAX_LINE_CHARS = 500;

export class ServerLog {
  private lines: string[] = [];
  private partial = '';
  private notesThisSecond = 0;
  private noteWindow = 0;
  private suppressed = 0;

  constructor(
    readonly file: string,
    private readonly tailLines = 50,
  ) {}

  /** Called at every (re)start; rotates a log that grew past the limit, keeping a bounded number of files. */
  begin(header: string): void {
    this.rotateIfLarge();
    this.partial = '';
    this.note(header);
  }

  /** A server's own log message (notifications/message), at its level; rotation is checked as it grows. */
  message(level: string, logger: string | undefined, data: unknown): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    const line = `[${level}${logger ? ` ${logger}` : ''} ${new Date().toISOString()}] ${text.length > MAX_LINE_CHARS * 4 ? `${text.slice(0, MAX_LINE_CHARS * 4)}…` : text}`;
    this.write(`${line.replace(/\r?\n/g, ' ⏎ ')}\n`);
    this.pushLine(line);
    if (++this.messagesSinceCheck >= 200) {
      this.messagesSinceCheck = 0;
      this.rotateIfLarge();
    }
  }

  private messagesSinceCheck = 0;

  private rotateIfLarge(maxBytes = MAX_LOG_BYTES): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      if ((fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0) <= maxBytes) return;
      fs.rmSync(`${this.file}.${KEEP_ROTATED}`, { force: true });
      for (let i = KEEP_ROTATED - 1; i >= 1; i--) {
        if (fs.existsSync(`${this.file}.${i}`)) fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      }
      fs.renameSync(this.file, `${this.file}.1`);
    } catch {
      // logging must never break a server start
    }
  }

  /** For tests: rotate now as if the file had passed `maxBytes`. */
  rotateForTest(maxBytes: number): void {
    this.rotateIfLarge(maxBytes);
  }

  /** Raw stderr bytes from the server. */
  append(chunk: Buffer | string): void {
    const text = chunk.toString();
    this.write(text);
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARS) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.pushLine(line);
  }

  /** Rusty's own line; rate-limited so a misbehaving server cannot flood the log through us. */
  note(message: string): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.noteWindow) {
      if (this.suppressed > 0) this.write(`[rusty ${new Date().toISOString()}] (${this.suppressed} similar notes suppressed)\n`);
      this.noteWindow = second;
      this.notesThisSecond = 0;
      this.suppressed = 0;
    }
    if (++this.notesThisSecond > 20) {
      this.suppressed++;
      return;
    }
    const line = `[rusty ${new Date().toISOString()}] ${message}`;
    this.write(`${line}\n`);
    this.pushLine(line);
  }

  tail(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }

  text(): string {
    try {
      return fs.readFileSync(this.file, 'utf8');
    } catch {
      return '';
    }
  }

  private pushLine(line: string): void {
    if (line === '') return;
    this.lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    if (this.lines.length > this.tailLines) this.lines.splice(0, this.lines.length - this.tailLines);
  }

  private write(text: string): void {
    try {
      fs.appendFileSync(this.file, text);
    } catch {
      // a full disk or a removed folder must not take the server down
    }
  }
}
