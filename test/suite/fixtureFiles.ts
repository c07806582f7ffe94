// Files of the fixture workspace for host tests that write their own sources: read, write, and a
// RustyCore on the same folder (to look at proposals the commands queued).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RustyCore } from '../../src/core/rustyCore';
import { fixtureFolder } from './helpers';

export function core(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(fixtureFolder().uri, ...rel.split('/'));
}

/** The file's text on disk, or undefined when it is absent. */
export function disk(rel: string): string | undefined {
  try {
    return fs.readFileSync(fileUri(rel).fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

export function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(fileUri(rel).fsPath), { recursive: true });
  fs.writeFileSync(fileUri(rel).fsPath, text);
}
