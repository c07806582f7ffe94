// Splits a stdio server's stdout into JSON-RPC lines without ever holding a huge one in memory.
// Lines up to `maxInMemoryBytes` are returned as strings (chunks are joined once, not on every
// read as the SDK's ReadBuffer does). A longer line is streamed to a file instead: a tiny scanner
// follows the top-level object, writes the bytes of its "result" value to the file and keeps the
// other (small) members such as "id" — so a 100 MB tool result costs a file, not 300 MB of heap.
import fs from 'node:fs';

export interface SpilledMessage {
  /** File holding the JSON of the message's top-level "result" value (absent when there was none). */
  file?: string;
  /** Bytes of the whole line. */
  bytes: number;
  resultBytes: number;
  id?: string | number;
  method?: string;
  /** The top-level "error" member, when present and small. */
  error?: unknown;
  /** Set when the line was not one well-formed JSON object. */
  problem?: string;
}

export interface MessageReaderOptions {
  maxInMemoryBytes: number;
  /** Path of a fresh file to spill an oversized line into. */
  newSpillFile: () => string;
  onLine: (line: string) => void;
  onSpilled: (message: SpilledMessage) => void;
}

const NEWLINE = 0x0a;
const MAX_CAPTURE = 1024 * 1024;

export class MessageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private spill: SpillScanner | undefined;

  constructor(private readonly opts: MessageReaderOptions) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.spill) {
        this.spill.feed(chunk, start, end);
      } else if (end > start) {
        this.pending.push(chunk.subarray(start, end));
        this.pendingBytes += end - start;
        if (this.pendingBytes > this.opts.maxInMemoryBytes) this.startSpill();
      }
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.spill?.abort();
    this.spill = undefined;
  }

  private startSpill(): void {
    this.spill = new SpillScanner(this.opts.newSpillFile());
    for (const part of this.pending) this.spill.feed(part, 0, part.length);
    this.pending = [];
    this.pendingBytes = 0;
  }

  private finishLine(): void {
    if (this.spill) {
      const spilled = this.spill.finish();
      this.spill = undefined;
      this.opts.onSpilled(spilled);
      return;
    }
    const line = this.pending.length === 1 ? this.pending[0]!.toString('utf8') : Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') this.opts.onLine(trimmed);
  }
}

/** Follows one JSON object byte by byte; only top-level members are tracked. */
class SpillScanner {
  private fd: number | undefined;
  private depth = 0;
  private inString = false;
  private escape = false;
  private inValue = false;
  private keyBytes: number[] = [];
  private key = '';
  private done = false;
  private sawObject = false;
  private problem: string | undefined;
  private bytes = 0;
  private resultBytes = 0;
  private hasResult = false;
  private captures = new Map<string, Buffer[]>();
  private captureSizes = new Map<string, number>();

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  feed(chunk: Buffer, start: number, end: number): void {
    this.bytes += end - start;
    let segStart = this.inValue ? start : -1;
    for (let i = start; i < end; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) this.inString = false;
        else if (this.depth === 1 && !this.inValue && this.keyBytes.length < 256) this.keyBytes.push(b);
        continue;
      }
      switch (b) {
        case 0x22: // "
          this.inString = true;
          if (this.depth === 1 && !this.inValue) this.keyBytes = [];
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (this.depth === 0) {
            if (this.sawObject || b !== 0x7b) this.problem ??= 'not a single JSON object';
            this.sawObject = true;
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (this.depth === 1 && this.inValue) {
            this.emit(chunk, segStart, i);
            this.inValue = false;
            segStart = -1;
          }
          this.depth--;
          if (this.depth === 0) this.done = true;
          if (this.depth < 0) this.problem ??= 'unbalanced brackets';
          break;
        case 0x3a: // :
          if (this.depth === 1 && !this.inValue) {
            this.inValue = true;
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            if (this.key === 'result') this.hasResult = true;
            segStart = i + 1;
          }
          break;
        case 0x2c: // ,
          if (this.depth === 1 && this.inValue) {
            this.emit(chunk, segStart, i);
            this.inValue = false;
            segStart = -1;
          }
          break;
        default:
          break;
      }
    }
    if (this.inValue && segStart >= 0) this.emit(chunk, segStart, end);
  }

  finish(): SpilledMessage {
    this.closeFile();
    const message: SpilledMessage = { bytes: this.bytes, resultBytes: this.resultBytes };
    if (!this.done || this.depth !== 0) this.problem ??= 'the line ended inside the JSON value';
    const id = this.parsed('id');
    if (typeof id === 'string' || typeof id === 'number') message.id = id;
    const method = this.parsed('method');
    if (typeof method === 'string') message.method = method;
    if (this.captures.has('error')) message.error = this.parsed('error');
    if (this.problem) message.problem = this.problem;
    if (this.hasResult && !this.problem) message.file = this.file;
    else fs.rmSync(this.file, { force: true });
    return message;
  }

  abort(): void {
    this.closeFile();
    fs.rmSync(this.file, { force: true });
  }

  private emit(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (this.key === 'result') {
      if (this.fd !== undefined) fs.writeSync(this.fd, chunk, from, to - from);
      this.resultBytes += to - from;
      return;
    }
    const size = this.captureSizes.get(this.key) ?? 0;
    if (size + (to - from) > MAX_CAPTURE) {
      this.captureSizes.set(this.key, Number.POSITIVE_INFINITY);
      return;
    }
    const parts = this.captures.get(this.key) ?? [];
    parts.push(Buffer.from(chunk.subarray(from, to)));
    this.captures.set(this.key, parts);
    this.captureSizes.set(this.key, size + (to - from));
  }

  private parsed(key: string): unknown {
    const parts = this.captures.get(key);
    if (!parts || this.captureSizes.get(key) === Number.POSITIVE_INFINITY) return undefined;
    try {
      return JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private closeFile(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
