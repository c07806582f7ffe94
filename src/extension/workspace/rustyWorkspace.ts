// One workspace folder as Rusty drives it: its core (created on first use, after finishing or
// undoing any interrupted apply), the VS Code WorkspaceFs adapter, a watcher on its state folder
// (proposals from the CLI or any other process show up without a reload), and a cached list of
// proposals for the views, CodeLenses and status bar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecoveryReport } from '../../core/checkpoints/transaction';
import type { Proposal } from '../../core/proposals/model';
import type { AuditWitness } from '../../core/audit/witness';
import type { QuarantineRecord } from '../../core/state/quarantine';
import { RustyCore } from '../../core/rustyCore';
import { GatewayPaths } from '../../core/gateway/paths';
import { readDeadLetters, type DeadLetter } from '../../core/gateway/queue';
import { VscodeWorkspaceFs } from '../adapters/vscodeWorkspaceFs';
import { readSettings, type ExtensionSettings } from './settings';
import { StateWatcher } from './stateWatcher';
import { loadEngines } from './loadEngines';
import { parseEngineSetting, type EngineSetting } from '../../core/tsEngine/select';
import type { TsEngines } from '../../core/tsEngine';
import type { NativeTsEngine } from '../../core/tsEngine/native';

/** Where an operation in progress wants to hear about writes (approve / rollback / redo). */
export interface WriteProgressSink {
  batchStart(total: number): void;
  fileWritten(done: number, total: number, rel: string): void;
}

export interface RustyWorkspaceDeps {
  log: vscode.LogOutputChannel;
  onRecovered(ws: RustyWorkspace, reports: RecoveryReport[]): void;
  /** Witnesses of the audit chain head besides the file one (the extension's global state). */
  auditWitnesses?: (auditFile: string) => AuditWitness[];
  /** A corrupt state file was moved to the quarantine folder. */
  onQuarantined?(ws: RustyWorkspace, record: QuarantineRecord): void;
}

export class RustyWorkspace implements vscode.Disposable {
  private corePromise: Promise<RustyCore> | undefined;
  private dead: DeadLetter[] = [];
  private watcher: StateWatcher | undefined;
  private cached: Proposal[] = [];
  private signature = '';
  private sink: WriteProgressSink | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private generation = 0;
  private tsEngines: TsEngines | undefined;
  /** The current core's WorkspaceFs (its unsaved editor text is what the native engine checks). */
  private wfs: VscodeWorkspaceFs | undefined;
  /** Tells the warm native engine about files created, changed or deleted on disk. */
  private codeWatcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Proposals changed (here, in the CLI, or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** Anything in the state folder changed (also the audit log), debounced. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(readonly folder: vscode.WorkspaceFolder, private readonly deps: RustyWorkspaceDeps) {}

  get name(): string {
    return this.folder.name;
  }

  settings(): ExtensionSettings {
    const cfg = vscode.workspace.getConfiguration('rusty', this.folder.uri);
    return readSettings((key) => cfg.get(key), this.folder.uri.fsPath);
  }

  /** `rusty.typescript.engine`, read on every proposal so a change takes effect at once (bad values: auto, logged). */
  private typescriptEngine(): EngineSetting {
    const value = vscode.workspace.getConfiguration('rusty', this.folder.uri).get('typescript.engine');
    try {
      return parseEngineSetting(value, 'rusty.typescript.engine');
    } catch (err) {
      this.deps.log.warn(`${(err as Error).message} Using auto.`);
      return 'auto';
    }
  }

  /** The folder's TypeScript engines, told about code files changing on disk (the native engine stays warm and current). */
  private openTsEngines(engines: TsEngines): TsEngines {
    this.codeWatcher?.dispose();
    this.codeWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,json}'));
    const changed = (uri: vscode.Uri) => { if (!uri.fsPath.includes(`${path.sep}node_modules${path.sep}`)) engines.filesChanged([uri.fsPath]); };
    this.codeWatcher.onDidCreate(changed);
    this.codeWatcher.onDidChange(changed);
    this.codeWatcher.onDidDelete(changed);
    return engines;
  }

  /** The folder's engines (created with the engines bundle on first use), kept warm across proposals and analyses. */
  private engines(wfs: VscodeWorkspaceFs): TsEngines {
    const engines = loadEngines();
    this.tsEngines ??= this.openTsEngines(new engines.TsEngines(this.folder.uri.fsPath, { fs: engines.workspaceReader(wfs) }));
    return this.tsEngines;
  }

  /**
   * The project's native compiler when `rusty.typescript.engine` selects it (the same warm engine
   * proposals are checked on), else undefined: the bundled TypeScript. Throws when it cannot open.
   */
  async nativeTypeChecker(): Promise<NativeTsEngine | undefined> {
    await this.core();
    return (await this.engines(this.wfs!).get(this.typescriptEngine())).native;
  }

  /** True once the core exists (lists are then current). */
  get loaded(): boolean {
    return this.watcher !== undefined;
  }

  /** The core, created on first use; creating it finishes or undoes an interrupted apply. */
  core(): Promise<RustyCore> {
    this.corePromise ??= this.createCore().catch((err: unknown) => {
      this.corePromise = undefined;
      throw err;
    });
    return this.corePromise;
  }

  private async createCore(): Promise<RustyCore> {
    const generation = this.generation;
    const settings = this.settings();
    const wfs = new VscodeWorkspaceFs(this.folder.uri.fsPath, {
      saveAfterApply: () => this.settings().saveAfterApply,
      log: this.deps.log,
      onBatchStart: (total) => this.sink?.batchStart(total),
    });
    this.wfs = wfs;
    const core = new RustyCore({
      workspace: this.folder.uri.fsPath,
      actor: 'extension',
      settings: settings.core,
      wfs,
      onFileWritten: (done, total, rel) => this.sink?.fileWritten(done, total, rel),
      // Loaded with the engines bundle on the first proposal, never at activation.
      // On the project's TypeScript 7 when `rusty.typescript.engine` selects it, kept warm per folder.
      impactProvider: async (cs, _p, { wfs: port, ...ctx }) => {
        const engines = loadEngines();
        return engines.impactOnEngine(cs, { ...ctx, fs: engines.workspaceReader(port, ctx.signal), engine: this.typescriptEngine(), engines: this.engines(wfs) });
      },
      onRecovered: (reports) => this.deps.onRecovered(this, reports),
      ...(this.deps.auditWitnesses ? { auditWitnesses: this.deps.auditWitnesses } : {}),
      onQuarantined: (record) => this.deps.onQuarantined?.(this, record),
    });
    this.deps.log.info(`Rusty state for ${this.folder.uri.fsPath}: ${core.stateDir}`);
    await core.recoverIfInterrupted();
    if (generation !== this.generation) return core; // reconfigured meanwhile; the next call makes a new one
    // The agent gateway's queue (its dead letters show in the sidebar), whoever runs the gateway.
    const gateway = new GatewayPaths(core.stateDir).dir;
    fs.mkdirSync(gateway, { recursive: true });
    this.watcher = new StateWatcher({
      dirs: [core.paths.proposals, core.paths.dir, gateway],
      onChange: () => {
        this.refresh();
        this.stateChanged.fire();
      },
      log: this.deps.log,
    });
    this.refresh(core);
    return core;
  }

  /** Settings that shape the core changed (state folder, limits): start again on next use. */
  reconfigure(): void {
    this.generation++;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.corePromise = undefined;
    if (this.cached.length) {
      this.cached = [];
      this.signature = '';
      this.changed.fire();
    }
    void this.core().catch((err: unknown) => this.deps.log.error(`Rusty could not open its state for ${this.folder.name}: ${(err as Error).message}`));
  }

  /** The proposals as last listed (queue order). Empty until the core is loaded. */
  proposals(): readonly Proposal[] {
    return this.cached;
  }

  /** The agent gateway's refused submissions as last read (oldest first). */
  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  /** Re-list proposals and dead letters; fires onDidChange when anything differs. */
  refresh(core?: RustyCore): void {
    const run = (c: RustyCore) => {
      let list: Proposal[];
      try {
        list = c.list();
      } catch (err) {
        this.deps.log.warn(`Listing proposals failed: ${(err as Error).message}`);
        return;
      }
      const dead = readDeadLetters(new GatewayPaths(c.stateDir).queue);
      const signature = list.map((p) => `${p.id}:${p.status}:${p.updatedAt}`).join('|') + `#${dead.map((d) => d.id).join('|')}`;
      if (signature === this.signature) return;
      this.dead = dead;
      this.cached = list;
      this.signature = signature;
      this.changed.fire();
    };
    if (core) run(core);
    else if (this.corePromise) void this.corePromise.then(run, () => undefined);
  }

  /** Workspace-relative '/' path of a file in this folder, or undefined. */
  rel(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    const rel = path.relative(this.folder.uri.fsPath, uri.fsPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  uri(rel: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, ...rel.split('/'));
  }

  /**
   * Run one writing operation at a time from this window (the core queues them too), with writes
   * reported to `sink` while it runs.
   */
  exclusive<T>(sink: WriteProgressSink | undefined, fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.sink = sink;
      try {
        return await fn();
      } finally {
        this.sink = undefined;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.generation++;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changed.dispose();
    this.stateChanged.dispose();
    this.codeWatcher?.dispose();
    void this.tsEngines?.close();
  }
}
