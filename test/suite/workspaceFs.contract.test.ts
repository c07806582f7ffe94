// The WorkspaceFs contract (src/core/ports/workspaceFs.contract.ts) against the VS Code adapter,
// in a real extension host — the same cases the memory and Node adapters pass under Vitest — plus
// what only this adapter does: unsaved editor text, edits through open editors (undoable), BOM and
// CRLF of open documents, renames and deletions of open files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceFsContract } from '../../src/core/ports/workspaceFs.contract';
import { VscodeWorkspaceFs } from '../../src/extension/adapters/vscodeWorkspaceFs';
import { closeAllEditors, eventually, openInEditor } from './editors';

const BOM = '\uFEFF';

function tempFolder(initial: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-vscode-wfs-')));
  for (const [rel, content] of Object.entries(initial)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const diskText = (root: string, rel: string) => fs.readFileSync(path.join(root, rel)).toString('utf8');
const asText = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

suite('WorkspaceFs contract: VS Code adapter (no open editors)', () => {
  workspaceFsContract(async (initial) => {
    const root = tempFolder(initial);
    const outside = tempFolder({ 'x.txt': 'outside' });
    return {
      wfs: new VscodeWorkspaceFs(root),
      linkOutside: async (rel, to) => {
        fs.symlinkSync(to === 'folder' ? outside : path.join(outside, 'x.txt'), path.join(root, ...rel.split('/')));
        return () => Object.fromEntries(fs.readdirSync(outside).map((n) => [n, fs.readFileSync(path.join(outside, n), 'utf8')]));
      },
      dispose: () => {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(outside, { recursive: true, force: true });
      },
    };
  }, { test }, { modes: process.platform !== 'win32' });
});

suite('VS Code adapter: open editors', () => {
  let root: string;
  teardown(async () => {
    await closeAllEditors();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('read returns the unsaved text of an open editor, encoded like the file (BOM kept); stat its size', async () => {
    root = tempFolder({ 'a.ts': `${BOM}const a = 1;\n` });
    const wfs = new VscodeWorkspaceFs(root);
    const editor = await openInEditor(vscode.Uri.file(path.join(root, 'a.ts')));
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), 'const b = 2;\n'));
    assert.equal(editor.document.isDirty, true);
    assert.equal(asText(await wfs.read('a.ts')), `${BOM}const a = 1;\nconst b = 2;\n`);
    assert.equal((await wfs.stat('a.ts'))?.size, Buffer.byteLength(`${BOM}const a = 1;\nconst b = 2;\n`));
    assert.equal(editor.document.isDirty, true, 'reading did not save the editor');
    assert.equal(diskText(root, 'a.ts'), `${BOM}const a = 1;\n`, 'the disk is untouched');
  });

  test('applyBatch changes an open editor through a WorkspaceEdit, saves it, and undo brings the old text back', async () => {
    root = tempFolder({ 'a.ts': 'import { x } from "./x";\nexport const a = 1;\n', 'closed.ts': 'old\n' });
    const wfs = new VscodeWorkspaceFs(root);
    const editor = await openInEditor(vscode.Uri.file(path.join(root, 'a.ts')));
    const seen: string[] = [];
    await wfs.applyBatch([
      { rel: 'a.ts', bytes: bytes('export const a = 1;\n') },
      { rel: 'closed.ts', bytes: bytes('new\n') },
    ], { tag: 'txhost1', onEach: (done, total, rel) => seen.push(`${done}/${total} ${rel}`) });
    assert.equal(editor.document.getText(), 'export const a = 1;\n');
    assert.equal(editor.document.isDirty, false, 'saved after apply');
    assert.equal(diskText(root, 'a.ts'), 'export const a = 1;\n');
    assert.equal(diskText(root, 'closed.ts'), 'new\n');
    assert.deepEqual(seen.sort(), ['1/2 closed.ts', '2/2 a.ts']);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await eventually(() => editor.document.getText() === 'import { x } from "./x";\nexport const a = 1;\n', 'undo restores the editor text');
  });

  test('CRLF and BOM of an open document survive applyBatch byte for byte', async () => {
    root = tempFolder({ 'crlf.ts': `${BOM}const a = 1;\r\nconst b = 2;\r\n` });
    const wfs = new VscodeWorkspaceFs(root);
    const editor = await openInEditor(vscode.Uri.file(path.join(root, 'crlf.ts')));
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    const next = bytes(`${BOM}const a = 1;\r\nconst c = 3;\r\nconst b = 2;\r\n`);
    await wfs.applyBatch([{ rel: 'crlf.ts', bytes: next }], { tag: 'txhost2' });
    assert.deepEqual(fs.readFileSync(path.join(root, 'crlf.ts')), Buffer.from(next));
    assert.deepEqual(Buffer.from((await wfs.read('crlf.ts'))!), Buffer.from(next));
    assert.equal(editor.document.getText(), 'const a = 1;\r\nconst c = 3;\r\nconst b = 2;\r\n');
  });

  test('with saving off, the editor keeps the change unsaved and read returns it', async () => {
    root = tempFolder({ 'a.ts': 'one\n' });
    const wfs = new VscodeWorkspaceFs(root, { saveAfterApply: () => false });
    const editor = await openInEditor(vscode.Uri.file(path.join(root, 'a.ts')));
    await wfs.applyBatch([{ rel: 'a.ts', bytes: bytes('two\n') }], { tag: 'txhost3' });
    assert.equal(editor.document.getText(), 'two\n');
    assert.equal(editor.document.isDirty, true);
    assert.equal(diskText(root, 'a.ts'), 'one\n');
    assert.equal(asText(await wfs.read('a.ts')), 'two\n');
  });

  test('a rename of an open file moves its document; a deletion of an open file goes through the editor', async () => {
    root = tempFolder({ 'src/old.ts': 'export const x = 1;\n', 'gone.ts': 'bye\n' });
    const wfs = new VscodeWorkspaceFs(root);
    await openInEditor(vscode.Uri.file(path.join(root, 'src', 'old.ts')));
    await openInEditor(vscode.Uri.file(path.join(root, 'gone.ts')));
    await wfs.applyBatch([
      { rel: 'src/new.ts', bytes: bytes('export const x = 2;\n'), renamedFrom: 'src/old.ts' },
      { rel: 'src/old.ts', bytes: null },
      { rel: 'gone.ts', bytes: null },
    ], { tag: 'txhost4' });
    assert.equal(fs.existsSync(path.join(root, 'src', 'old.ts')), false);
    assert.equal(fs.existsSync(path.join(root, 'gone.ts')), false);
    assert.equal(diskText(root, 'src/new.ts'), 'export const x = 2;\n');
    const moved = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(root, 'src', 'new.ts'));
    assert.ok(moved, 'the document followed the rename');
    assert.equal(moved.getText(), 'export const x = 2;\n');
    assert.equal(moved.isDirty, false);
  });

  test('a save participant that changes the bytes is overridden: the file holds exactly what was approved', async () => {
    root = tempFolder({ 'ws.ts': 'a\n' });
    const wfs = new VscodeWorkspaceFs(root);
    const cfg = vscode.workspace.getConfiguration('files');
    await cfg.update('trimTrailingWhitespace', true, vscode.ConfigurationTarget.Global);
    try {
      await openInEditor(vscode.Uri.file(path.join(root, 'ws.ts')));
      await wfs.applyBatch([{ rel: 'ws.ts', bytes: bytes('a   \nb\n') }], { tag: 'txhost5' });
      assert.equal(diskText(root, 'ws.ts'), 'a   \nb\n');
      assert.equal(asText(await wfs.read('ws.ts')), 'a   \nb\n');
    } finally {
      await cfg.update('trimTrailingWhitespace', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
