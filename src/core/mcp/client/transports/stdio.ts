// Rusty's stdio transport for the SDK Client: spawns the server, frames JSON-RPC lines, keeps
// stderr in the server log, spills oversized results to files, tracks the child for exit cleanup,
// and shuts down in stages (close stdin → SIGTERM → SIGKILL) with configurable delays — the SDK's
// StdioClientTransport waits a fixed 2 s per stage and buffers whole messages in memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from '../../types';
import type { ServerLog } from '../serverLog';
import { trackChild, untrackChild } from '../processCleanup';
import { resolveCommand } from './commandResolution';
import { MessageReader, type SpilledMessage } from './messageReader';
import { NotSentError, OVERSIZED_META, type OversizedInfo } from './errors';

export interface StdioShutdownDelays {
  /** Wait after closing stdin before SIGTERM. */
  stdinGraceMs: number;
  /** Wait after SIGTERM before SIGKILL. */
  termGraceMs: number;
}

export interface StdioTransportOptions {
  server: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  log: ServerLog;
  /** Oversized results are written here. */
  spillDir: string;
  maxInMemoryMessageBytes: number;
  shutdown: StdioShutdownDelays;
  /** Called for each line on stdout that is not a JSON-RPC message. */
  onGarbage?: (sample: string) => void;
}

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private exitDescription: string | undefined;
  private readonly sentRequests = new Map<string | number, { method: string; tool?: string }>();
  private readonly reader: MessageReader;
  private closing = false;

  constructor(private readonly opts: StdioTransportOptions) {
    this.reader = new MessageReader({
      maxInMemoryBytes: opts.maxInMemoryMessageBytes,
      newSpillFile: () => spillFileName(opts.spillDir, opts.server, 'incoming', '.part'),
      onLine: (line) => this.onLine(line),
      onSpilled: (message) => this.onSpilled(message),
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Why the process ended (`exited with code 1`, `killed by SIGKILL`), once it has. */
  get exitReason(): string | undefined {
    return this.exitDescription;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('StdioTransport already started');
    const { opts } = this;
    if (opts.cwd !== undefined && !fs.statSync(opts.cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw new McpError('config', `Server "${opts.server}": its cwd "${opts.cwd}" is not an existing folder.`, opts.server);
    }
    const env = { ...getDefaultEnvironment(), ...opts.env };
    const resolved = resolveCommand(opts.command, opts.args, { env, cwd: opts.cwd });
    opts.log.begin(`starting: ${[opts.command, ...opts.args].join(' ')}${opts.cwd ? ` (cwd ${opts.cwd})` : ''}`);
    fs.mkdirSync(opts.spillDir, { recursive: true });

    const child = spawn(resolved.command, resolved.args, {
      env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      windowsVerbatimArguments: resolved.windowsVerbatimArguments,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));

    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        trackChild(child);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined) reject(spawnError(opts, error));
        else this.onerror?.(error);
      });
    });

    child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr!.on('data', (chunk: Buffer) => opts.log.append(chunk));
    // EPIPE after the server died is reported by 'close'; nothing to add here.
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('error', (error) => this.onerror?.(error));
    child.once('exit', (code, signal) => {
      this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
      opts.log.note(`process ${child.pid} ${this.exitDescription}`);
    });
    child.once('close', () => {
      untrackChild(child);
      this.parseBacklog(Infinity); // what the server wrote before it ended still counts
      this.reader.clear();
      this.onclose?.();
    });
  }

  /** Received stdout not yet parsed, in slices of at most SLICE_BYTES. */
  private readonly backlog: Buffer[] = [];
  private parsing = false;

  /**
   * Parse stdout a few milliseconds at a time: a server that floods (thousands of notifications
   * a second) would otherwise hold the event loop for as long as a chunk takes to parse. While a
   * backlog waits for the next turn, the pipe is paused, so the flood slows to what we can read.
   */
  private receive(chunk: Buffer): void {
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) this.backlog.push(chunk.subarray(at, at + SLICE_BYTES));
    if (!this.parsing) this.parseBacklog();
  }

  private parseBacklog(budgetMs = PARSE_BUDGET_MS): void {
    const started = performance.now();
    let next: Buffer | undefined;
    while ((next = this.backlog.shift())) {
      try {
        this.reader.push(next);
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
      if (this.backlog.length && performance.now() - started >= budgetMs) {
        this.parsing = true;
        this.child?.stdout?.pause();
        setImmediate(() => this.parseBacklog());
        return;
      }
    }
    this.parsing = false;
    this.child?.stdout?.resume();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closing || !stdin.writable || this.child?.exitCode !== null) {
      throw new NotSentError(`Server "${this.opts.server}" is not running${this.exitDescription ? ` (${this.exitDescription})` : ''}.`);
    }
    if ('method' in message && 'id' in message && message.id !== undefined) {
      const params = message.params as { name?: unknown } | undefined;
      this.sentRequests.set(message.id, { method: message.method, tool: typeof params?.name === 'string' ? params.name : undefined });
    }
    const json = serializeMessage(message);
    if (!stdin.write(json)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /** Staged shutdown: close stdin → wait → SIGTERM → wait → SIGKILL. Resolves once the process is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closing) return this.exited;
    this.closing = true;
    const { stdinGraceMs, termGraceMs } = this.opts.shutdown;
    const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
    const waitExit = (ms: number): Promise<void> =>
      Promise.race([this.exited!, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
    try {
      child.stdin?.end();
    } catch {
      // already closed
    }
    if (!gone()) await waitExit(stdinGraceMs);
    if (!gone()) {
      this.opts.log.note(`process ${child.pid} still running ${stdinGraceMs} ms after stdin closed: SIGTERM`);
      child.kill('SIGTERM');
      await waitExit(termGraceMs);
    }
    if (!gone()) {
      this.opts.log.note(`process ${child.pid} ignored SIGTERM for ${termGraceMs} ms: SIGKILL`);
      child.kill('SIGKILL');
    }
    await this.exited;
  }

  private onLine(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      const sample = line.length > 200 ? `${line.slice(0, 200)}…` : line;
      this.opts.onGarbage?.(sample);
      return;
    }
    this.deliver(message);
  }

  private onSpilled(spilled: SpilledMessage): void {
    const request = spilled.id === undefined ? undefined : this.sentRequests.get(spilled.id);
    if (spilled.id === undefined || spilled.problem || (!spilled.file && spilled.error === undefined)) {
      this.onerror?.(new Error(`Server "${this.opts.server}" sent an oversized message (${spilled.bytes} bytes) that could not be used: ${spilled.problem ?? 'it is not a response'}`));
      return;
    }
    if (!spilled.file) {
      this.deliver({ jsonrpc: '2.0', id: spilled.id, error: spilled.error } as JSONRPCMessage);
      return;
    }
    const finalName = spillFileName(this.opts.spillDir, this.opts.server, request?.tool ?? request?.method ?? 'result', '.json');
    fs.renameSync(spilled.file, finalName);
    const info: OversizedInfo = { savedTo: finalName, bytes: spilled.bytes };
    const text = `The result was ${spilled.bytes} bytes, too large to keep in memory; the full result is saved in ${finalName}`;
    this.opts.log.note(`result of ${spilled.bytes} bytes for ${request?.method ?? 'request'} ${request?.tool ?? ''} saved to ${finalName}`);
    // A stand-in that satisfies the result schemas of tools/call, resources/read and prompts/get.
    const result = {
      content: [{ type: 'text', text }],
      contents: [{ uri: `file://${finalName}`, mimeType: 'application/json', text }],
      messages: [],
      _meta: { [OVERSIZED_META]: info },
    };
    this.deliver({ jsonrpc: '2.0', id: spilled.id, result } as JSONRPCMessage);
  }

  private deliver(message: JSONRPCMessage): void {
    if (('result' in message || 'error' in message) && 'id' in message && message.id !== undefined) {
      this.sentRequests.delete(message.id);
    }
    this.inbox.push(message);
    if (!this.draining) this.drain();
  }

  private readonly inbox: JSONRPCMessage[] = [];
  private draining = false;
  private notifiedThisTurn = false;

  /**
   * The SDK handles notifications a microtask later but responses at once, so a progress notice
   * followed by its response (often in the same chunk, or in chunks a paused stream emits in one
   * go) would arrive after the request was settled. A response that follows a notification in the
   * same turn of the event loop therefore waits for the next turn.
   */
  private drain(): void {
    while (this.inbox.length > 0) {
      const message = this.inbox[0]!;
      const isResponse = 'result' in message || 'error' in message;
      if (isResponse && this.notifiedThisTurn) {
        this.draining = true;
        setImmediate(() => {
          this.draining = false;
          this.drain();
        });
        return;
      }
      this.inbox.shift();
      if (!isResponse && !this.notifiedThisTurn) {
        this.notifiedThisTurn = true;
        setImmediate(() => {
          this.notifiedThisTurn = false;
        });
      }
      this.onmessage?.(message);
    }
  }
}

function spawnError(opts: StdioTransportOptions, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') {
    return new McpError('config', `Server "${opts.server}": command "${opts.command}" was not found. Check "command" in its configuration and that it is on PATH${opts.env?.PATH ? ' (the configured env sets PATH)' : ''}.`, opts.server);
  }
  if (error.code === 'EACCES') {
    return new McpError('config', `Server "${opts.server}": command "${opts.command}" is not executable (EACCES).`, opts.server);
  }
  return new McpError('connection', `Server "${opts.server}": could not start "${opts.command}": ${error.message}`, opts.server, undefined, 'reconnect');
}

/** Stdout is parsed in slices of this size, and for at most this long per event-loop turn. */
const SLICE_BYTES = 8 * 1024;
const PARSE_BUDGET_MS = 8;

let spillCounter = 0;
export function spillFileName(dir: string, server: string, what: string, ext: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(dir, `${safe(server)}-${safe(what)}-${stamp}-${process.pid}-${++spillCounter}${ext}`);
}
