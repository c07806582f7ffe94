// First host test: the packaged extension is what runs, it activates, every command it contributes
// is registered, and the window has the fixture workspace open.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtureFolder, realpath, rustyExtension } from './helpers';

interface ContributedCommand {
  command: string;
  title?: string;
}

suite('smoke: the packaged Rusty extension in a real extension host', () => {
  test(`${EXTENSION_ID} is installed from the VSIX (not loaded from the repository)`, () => {
    const ext = rustyExtension();
    const root = ext.extensionPath;
    assert.ok(fs.existsSync(path.join(root, 'dist', 'extension.js')), `${root} has no dist/extension.js`);
    // The VSIX carries bundles only: no sources, no node_modules.
    assert.ok(!fs.existsSync(path.join(root, 'src')), `${root} has a src/ folder: this is not the packaged extension`);
    assert.ok(!fs.existsSync(path.join(root, 'node_modules')), `${root} has node_modules/: this is not the packaged extension`);
    const extensionsDir = process.env.RUSTY_TEST_EXTENSIONS_DIR;
    if (extensionsDir) {
      const inside = path.relative(realpath(extensionsDir), realpath(root));
      assert.ok(!inside.startsWith('..') && !path.isAbsolute(inside), `${root} is not inside the extensions folder ${extensionsDir}`);
    }
  });

  test('activates, and the container behind the stand-in commands comes up (exports.ready)', async () => {
    const ext = rustyExtension();
    const api = (await ext.activate()) as { ready?: Promise<boolean> } | undefined;
    assert.equal(ext.isActive, true);
    assert.ok(api?.ready, 'the extension exports `ready`');
    assert.equal(await api.ready, true, 'the container loaded (dist/container.js) and replaced the stand-ins');
  });

  test('registers every command that package.json contributes', async function () {
    const ext = rustyExtension();
    await ext.activate();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []).map((c) => c.command);
    if (contributed.length === 0) {
      // Nothing contributed yet: say so instead of passing on an empty list.
      this.skip();
    }
    for (const id of contributed) assert.match(id, /^rusty\./, `contributed command ${id} is not in the rusty.* namespace`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed in package.json but not registered after activation: ${missing.join(', ')}`);
  });

  test('the window has the fixture workspace open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, `expected one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ')}`);
    const folder = fixtureFolder();
    assert.equal(folder.uri.scheme, 'file');
    for (const f of ['package.json', 'src/a.ts', 'src/b.ts', 'src/c.ts']) {
      assert.ok(fs.existsSync(path.join(folder.uri.fsPath, f)), `fixture file ${f} is missing in ${folder.uri.fsPath}`);
    }
    const expected = process.env.RUSTY_TEST_WORKSPACE;
    if (expected) assert.equal(realpath(folder.uri.fsPath), realpath(expected));
  });
});
