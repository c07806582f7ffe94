// Shared helpers for extension-host tests.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import pkg from '../../package.json';

/** `<publisher>.<name>` of the extension under test, from the repository's package.json. */
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

export function rustyExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

/** The (only) workspace folder the runners open: a temp copy of test/fixtures/sample-workspace. */
export function fixtureFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

export function realpath(p: string): string {
  return fs.realpathSync.native(p);
}
