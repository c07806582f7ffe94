// The core's WorkspaceFs as VS Code sees the workspace:
// - read: an open document with unsaved changes is read as its text, encoded like the file on
//   disk (UTF-8, BOM kept; the document's EOL is already in its text), so proposals are computed
//   on — and checkpoints capture — what the person is looking at; otherwise the disk bytes.
// - applyBatch: files open in an editor change through one WorkspaceEdit (editors update at once,
//   and the change is on the editor's undo stack), renames and deletions of open files too; then
//   the touched documents are saved (setting rusty.saveAfterApply), and if a save participant
//   (format on save, trim whitespace…) changed the bytes, the approved bytes are written over them
//   so the file matches the checkpoint. Files not open are written with the Node adapter's durable
//   writes (temp file, fsync, rename).
// Every write still goes through the core's journal and checkpoint. Recovery after a crash reads
// through this adapter too: with saving on, the disk matches the editor once a transaction commits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeWorkspaceFs } from '../../core/ports/nodeWorkspaceFs';
import { pathRefused } from '../../core/ports/pathGuard';
import type { BatchOp, FileInfo, WorkspaceFs } from '../../core/ports/workspaceFs';
import { editorTextFor, encodeDocumentText, hasUtf8Bom, isUtf8Encoding, type Eol } from './documentText';

export interface VscodeWorkspaceFsOptions {
  /** rusty.saveAfterApply (default true): save documents changed through the editor. */
  saveAfterApply?: () => boolean;
  log?: { info(message: string): void; warn(message: string): void };
  /** Called when a transaction starts writing (its checkpoint and journal record are stored). */
  onBatchStart?: (total: number) => void;
}

type Each = (done: number, total: number, rel: string) => void;

interface EditorModify { kind: 'modify'; op: BatchOp & { bytes: Uint8Array }; doc: vscode.TextDocument; text: string }
interface EditorDelete { kind: 'delete'; op: BatchOp; doc: vscode.TextDocument }
interface EditorRename { kind: 'rename'; op: BatchOp & { bytes: Uint8Array }; from: BatchOp; doc: vscode.TextDocument; text: string }
type EditorOp = EditorModify | EditorDelete | EditorRename;

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
const pathKey = (p: string) => (caseInsensitive ? path.normalize(p).toLowerCase() : path.normalize(p));

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return !!a && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function diskHasBom(abs: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const head = Buffer.alloc(3);
    return hasUtf8Bom(head.subarray(0, fs.readSync(fd, head, 0, 3, 0)));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export class VscodeWorkspaceFs implements WorkspaceFs {
  readonly root: string;
  private readonly disk: NodeWorkspaceFs;
  /** The folder as VS Code names it (may differ from the real path when it goes through a symlink). */
  private readonly folder: string;

  constructor(folderPath: string, private readonly opts: VscodeWorkspaceFsOptions = {}) {
    this.disk = new NodeWorkspaceFs(folderPath);
    this.root = this.disk.root;
    this.folder = path.resolve(folderPath);
  }

  abs(rel: string): string {
    return this.disk.abs(rel);
  }

  uri(rel: string): vscode.Uri {
    return vscode.Uri.file(path.join(this.folder, ...rel.split('/')));
  }

  /** The open document for `rel`, if any. */
  document(rel: string): vscode.TextDocument | undefined {
    const parts = rel.split('/');
    const keys = new Set([pathKey(path.join(this.root, ...parts)), pathKey(path.join(this.folder, ...parts))]);
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && !d.isClosed && keys.has(pathKey(d.uri.fsPath)));
  }

  /** Unsaved editor text of files in this folder (workspace-relative path → text): the native TypeScript engine's base overlay. */
  unsavedTexts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file' || doc.isClosed || !doc.isDirty) continue;
      for (const base of [this.root, this.folder]) {
        const rel = path.relative(base, doc.uri.fsPath);
        if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
          out.set(rel.split(path.sep).join('/'), doc.getText());
          break;
        }
      }
    }
    return out;
  }

  /** What saving `doc` writes: its EOL, and a BOM when its encoding says so (or the file has one). */
  private format(doc: vscode.TextDocument, rel: string): { eol: Eol; bom: boolean } {
    const encoding = (doc as { encoding?: string }).encoding;
    return {
      eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
      bom: encoding === 'utf8bom' || (encoding === undefined && diskHasBom(this.abs(rel))),
    };
  }

  /** Documents this adapter reads and writes as text: UTF-8, backed by a file that exists. */
  private async managed(rel: string): Promise<vscode.TextDocument | undefined> {
    const doc = this.document(rel);
    if (!doc || !isUtf8Encoding((doc as { encoding?: string }).encoding)) return undefined;
    return (await this.disk.stat(rel))?.isFile ? doc : undefined;
  }

  private async dirtyBytes(rel: string): Promise<Uint8Array | undefined> {
    const doc = this.document(rel);
    if (!doc?.isDirty || !(await this.disk.stat(rel))?.isFile) return undefined;
    const encoding = (doc as { encoding?: string }).encoding;
    if (isUtf8Encoding(encoding)) {
      return encodeDocumentText(doc.getText(), encoding === 'utf8bom' || diskHasBom(this.abs(rel)));
    }
    return vscode.workspace.encode(doc.getText(), { encoding: encoding! });
  }

  async read(rel: string): Promise<Uint8Array | undefined> {
    return (await this.dirtyBytes(rel)) ?? this.disk.read(rel);
  }

  async stat(rel: string): Promise<FileInfo | undefined> {
    const info = await this.disk.stat(rel);
    if (!info?.isFile) return info;
    const dirty = await this.dirtyBytes(rel);
    return dirty ? { ...info, size: dirty.byteLength } : info;
  }

  async writeAtomic(rel: string, bytes: Uint8Array, opts: { tag: string; mode?: number }): Promise<void> {
    await this.write([{ rel, bytes, ...(opts.mode !== undefined ? { mode: opts.mode } : {}) }], opts.tag);
  }

  async remove(rel: string): Promise<void> {
    await this.write([{ rel, bytes: null }], 'remove');
  }

  async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: Each }): Promise<void> {
    this.opts.onBatchStart?.(ops.length);
    await this.write(ops, opts.tag, opts.onEach);
  }

  /** Split a batch into what goes through open editors and what goes to disk. */
  private async plan(ops: BatchOp[]): Promise<{ editor: EditorOp[]; disk: BatchOp[] }> {
    const editor: EditorOp[] = [];
    const disk: BatchOp[] = [];
    const byRel = new Map(ops.map((o) => [o.rel, o]));
    const moved = new Set<string>();
    for (const op of ops) {
      if (!op.bytes || !op.renamedFrom) continue;
      const from = byRel.get(op.renamedFrom);
      const doc = from && from.bytes === null ? await this.managed(op.renamedFrom) : undefined;
      if (!from || !doc || (await this.disk.stat(op.rel))) continue;
      const fit = editorTextFor(op.bytes, this.format(doc, op.renamedFrom));
      if ('text' in fit) {
        editor.push({ kind: 'rename', op: op as EditorRename['op'], from, doc, text: fit.text });
        moved.add(op.rel).add(from.rel);
      }
    }
    for (const op of ops) {
      if (moved.has(op.rel)) continue;
      if (op.bytes === null) {
        const doc = this.document(op.rel);
        if (doc) editor.push({ kind: 'delete', op, doc });
        else disk.push(op);
        continue;
      }
      const doc = await this.managed(op.rel);
      if (doc) {
        const fit = editorTextFor(op.bytes, this.format(doc, op.rel));
        if ('text' in fit) {
          editor.push({ kind: 'modify', op: op as EditorModify['op'], doc, text: fit.text });
          continue;
        }
        this.opts.log?.warn(`${op.rel} is open in an editor but ${fit.reason}; writing the file directly.${doc.isDirty ? ' Its unsaved changes stay in the editor.' : ''}`);
      } else if (this.document(op.rel)?.isDirty) {
        this.opts.log?.warn(`${op.rel} has unsaved changes in an editor that Rusty cannot write through (not UTF-8); writing the file directly.`);
      }
      disk.push(op);
    }
    return { editor, disk };
  }

  private async write(ops: BatchOp[], tag: string, onEach?: Each): Promise<void> {
    // The same check as the disk writes (which make it again right before each rename), before
    // any editor is touched: a WorkspaceEdit must not write through a link either.
    for (const op of ops) {
      const problem = await this.disk.writeProblem(op.rel);
      if (problem) throw pathRefused(op.rel, problem);
    }
    const total = ops.length;
    let done = 0;
    const report = (rel: string) => onEach?.(++done, total, rel);
    const { editor, disk } = await this.plan(ops);

    if (disk.length) await this.disk.applyBatch(disk, { tag, onEach: (_d, _t, rel) => report(rel) });
    if (!editor.length) return;

    const edit = new vscode.WorkspaceEdit();
    // Counted here: WorkspaceEdit.size counts text edits only, not file operations.
    let changes = 0;
    for (const e of editor) {
      if (e.kind === 'modify') {
        if (e.doc.getText() === e.text) continue;
        edit.replace(e.doc.uri, fullRange(e.doc), e.text);
      } else if (e.kind === 'delete') {
        edit.deleteFile(e.doc.uri, { ignoreIfNotExists: true });
      } else {
        edit.renameFile(e.doc.uri, this.uri(e.op.rel), { overwrite: false });
      }
      changes++;
    }
    if (changes > 0 && !(await vscode.workspace.applyEdit(edit))) {
      throw new Error(`VS Code did not apply the change to ${editor.map((e) => e.op.rel).join(', ')} (an editor may have changed at the same moment)`);
    }

    const save = this.opts.saveAfterApply?.() ?? true;
    for (const e of editor) {
      if (e.kind === 'delete') {
        // A WorkspaceEdit deletion of an open file is expected to remove it; make sure it is gone.
        if (await this.disk.stat(e.op.rel)) await this.disk.remove(e.op.rel);
        report(e.op.rel);
        continue;
      }
      let doc = e.doc;
      if (e.kind === 'rename') {
        doc = await vscode.workspace.openTextDocument(this.uri(e.op.rel));
        if (doc.getText() !== e.text) {
          const follow = new vscode.WorkspaceEdit();
          follow.replace(doc.uri, fullRange(doc), e.text);
          if (!(await vscode.workspace.applyEdit(follow))) throw new Error(`VS Code did not apply the change to ${e.op.rel} after moving it from ${e.from.rel}`);
        }
        report(e.from.rel);
      }
      if (save && !(await saveDocument(doc))) throw new Error(`VS Code could not save ${e.op.rel}`);
      if (save) await this.settle(e.op.rel, e.op.bytes, tag);
      report(e.op.rel);
    }
  }

  /**
   * After a save, the file must hold exactly the approved bytes (the checkpoint's after-hash).
   * A save participant (format on save, trim trailing whitespace, insert final newline) may have
   * changed them; then the approved bytes are written, and the editor reloads them.
   */
  private async settle(rel: string, bytes: Uint8Array, tag: string): Promise<void> {
    if (sameBytes(await this.disk.read(rel), bytes)) return;
    this.opts.log?.warn(`Saving ${rel} changed it (a save participant such as format on save); wrote the approved content instead.`);
    await this.disk.writeAtomic(rel, bytes, { tag });
  }

  removeEmptyDir(rel: string): Promise<void> {
    return this.disk.removeEmptyDir(rel);
  }

  removeTemp(rel: string, tag: string): Promise<void> {
    return this.disk.removeTemp(rel, tag);
  }

  containmentProblem(rel: string): Promise<string | undefined> {
    return this.disk.containmentProblem(rel);
  }

  writeProblem(rel: string): Promise<string | undefined> {
    return this.disk.writeProblem(rel);
  }
}

function fullRange(doc: vscode.TextDocument): vscode.Range {
  return new vscode.Range(new vscode.Position(0, 0), doc.lineAt(Math.max(doc.lineCount - 1, 0)).range.end);
}

/**
 * Saves a dirty document. VS Code can refuse a save for a moment — while it is still resolving or
 * reloading a file it just opened or saw change on disk — so a refusal is retried twice, briefly,
 * before it counts. The bytes are checked after the save either way (settle).
 */
async function saveDocument(doc: vscode.TextDocument): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    if (!doc.isDirty || (await doc.save())) return true;
    if (attempt === 2) return !doc.isDirty;
    await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
  }
}
