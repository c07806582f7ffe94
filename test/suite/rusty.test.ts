// Rusty's commands, views and CodeLenses in a real extension host, on the fixture workspace (a
// fresh temp copy of test/fixtures/sample-workspace; RUSTY_STATE_DIR points at a private state
// folder). What the extension does is checked through the same core and state the CLI uses.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RustyCore } from '../../src/core/rustyCore';
import { sha256 } from '../../src/core/util/hash';
import type { ProposalCommandResult, ProposeCommandResult } from '../../src/extension/commands/ids';
import { closeAllEditors, eventually, openInEditor } from './editors';
import { fixtureFolder, rustyExtension } from './helpers';

function core(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(fixtureFolder().uri, ...rel.split('/'));
}

function disk(rel: string): string {
  return fs.readFileSync(fileUri(rel).fsPath, 'utf8');
}

/** The repository's CLI bundle, when the suite runs from a built checkout (out/test/suite → ../../..). */
function cli(args: string[]): { status: number | null; json: unknown } | undefined {
  const entry = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  if (!fs.existsSync(entry)) return undefined;
  const r = spawnSync(process.execPath, [entry, '-w', fixtureFolder().uri.fsPath, '--json', ...args], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

async function propose(rel: string): Promise<string> {
  const r = await vscode.commands.executeCommand<ProposeCommandResult | undefined>('rusty.proposeOrganizeImportsFile', fileUri(rel));
  assert.ok(r, `Propose: Organize Imports (File) on ${rel} returned nothing (it failed; see the Rusty output)`);
  const ids = [...r.created, ...r.existing];
  assert.equal(ids.length, 1, `expected one proposal for ${rel}, got ${JSON.stringify(r)}`);
  return ids[0]!;
}

suite('Rusty in the extension host', () => {
  suiteSetup(async () => {
    await rustyExtension().activate();
  });

  teardown(async () => {
    await closeAllEditors();
  });

  test('every command is registered, with the typed ids', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'rusty.reviewWorkspace', 'rusty.proposeOrganizeImportsFile', 'rusty.proposeOrganizeImportsWorkspace', 'rusty.showApprovals',
      'rusty.reviewProposal', 'rusty.approve', 'rusty.reject', 'rusty.rollback', 'rusty.redo', 'rusty.openAuditLog',
      'rusty.verifyAuditLog', 'rusty.recover',
    ]) assert.ok(registered.has(id), `${id} is not registered`);
  });

  test('Propose: Organize Imports (File) queues a proposal the core and the CLI see, and writes nothing', async () => {
    const before = disk('src/a.ts');
    const id = await propose('src/a.ts');
    const p = core().get(id);
    assert.equal(p.status, 'pending');
    assert.deepEqual(p.files.map((f) => f.path), ['src/a.ts']);
    assert.equal(p.source, 'refactoring:organize-imports');
    assert.ok(core().list().some((q) => q.id === id));
    assert.equal(disk('src/a.ts'), before, 'proposing writes nothing to the workspace');
    const listed = cli(['list']);
    if (listed) {
      assert.equal(listed.status, 0);
      assert.ok((listed.json as { proposals: { id: string }[] }).proposals.some((q) => q.id === id), 'the CLI lists the proposal');
    }
    // Clean up for the next tests.
    await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test cleanup' });
    assert.equal(core().get(id).status, 'rejected');
  });

  test('approving by id applies through the open editor (saved, undoable); rollback restores; redo re-applies', async () => {
    const rel = 'src/a.ts';
    const original = disk(rel);
    const editor = await openInEditor(fileUri(rel));
    const id = await propose(rel);

    const approved = await vscode.commands.executeCommand<ProposalCommandResult | undefined>('rusty.approve', { id });
    assert.deepEqual(approved, { id, status: 'applied' });
    const applied = editor.document.getText();
    assert.ok(!/\bsubtract\b/.test(applied), `the unused import is gone from the editor:\n${applied}`);
    assert.equal(editor.document.isDirty, false, 'saved after apply (rusty.saveAfterApply)');
    assert.equal(disk(rel), applied);
    assert.equal(core().get(id).status, 'applied');
    const checkpoint = core().checkpoints.get(core().get(id).applied!.checkpointId);
    assert.equal(checkpoint.files.find((f) => f.path === rel)?.after, sha256(fs.readFileSync(fileUri(rel).fsPath)), 'the file holds the checkpoint after-bytes');

    const rolledBack = await vscode.commands.executeCommand<ProposalCommandResult | undefined>('rusty.rollback', { id });
    assert.deepEqual(rolledBack, { id, status: 'rolled-back' });
    assert.equal(editor.document.getText(), original);
    assert.equal(disk(rel), original);

    const redone = await vscode.commands.executeCommand<ProposalCommandResult | undefined>('rusty.redo', { id });
    assert.deepEqual(redone, { id, status: 'redone' });
    assert.equal(disk(rel), applied);
    await vscode.commands.executeCommand('rusty.rollback', { id });
    assert.equal(disk(rel), original);
  });

  test('proposals are computed on unsaved editor text, and approving keeps that text', async () => {
    const rel = 'src/c.ts';
    const editor = await openInEditor(fileUri(rel));
    const onDisk = disk(rel);
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), 'export const added = 1;\n'));
    const id = await propose(rel);
    const p = core().get(id);
    assert.equal(p.files[0]!.baseHash, sha256(Buffer.from(editor.document.getText(), 'utf8')), 'the base is the unsaved text');
    await vscode.commands.executeCommand('rusty.approve', { id });
    assert.equal(core().get(id).status, 'applied');
    const text = editor.document.getText();
    assert.ok(text.includes('export const added = 1;'), 'the unsaved edit is kept');
    assert.ok(!/formatCount/.test(text), 'the unused import is gone');
    assert.equal(disk(rel), text);
    await vscode.commands.executeCommand('rusty.rollback', { id });
    assert.ok(disk(rel).includes('export const added = 1;') && disk(rel).includes('formatCount'), 'rollback restores the imports and keeps the edit');
    // Put the fixture back as it was on disk.
    fs.writeFileSync(fileUri(rel).fsPath, onDisk);
  });

  test('the promise, end to end: approve one hunk, keep typing, roll back later without losing the typing', async () => {
    const rel = 'src/long.ts';
    const lines = Array.from({ length: 40 }, (_, i) => `export const v${i + 1} = ${i + 1};`);
    fs.writeFileSync(fileUri(rel).fsPath, lines.join('\n') + '\n');
    const original = disk(rel);
    const editor = await openInEditor(fileUri(rel));
    const proposed = lines.map((l, i) => (i === 2 || i === 34 ? l.replace(' = ', ' = 100 * ') : l)).join('\n') + '\n';
    const { proposal } = await core().submit({
      title: 'Scale v3 and v35', source: 'agent:host-test',
      edits: [{ kind: 'modify', path: rel, baseHash: sha256(fs.readFileSync(fileUri(rel).fsPath)), content: proposed }],
    });
    const [first, second] = proposal.files[0]!.hunks;
    assert.ok(first && second, 'two separate hunks');

    // Approve only the second hunk, through the command (the review panel sends the same selection).
    const approved = await vscode.commands.executeCommand<ProposalCommandResult | undefined>('rusty.approve', { id: proposal.id, hunks: [second.id] });
    // One hunk of several: the rest stays approvable (issue 10, item 5).
    assert.deepEqual(approved, { id: proposal.id, status: 'partially-applied' });
    assert.ok(editor.document.getText().includes('export const v35 = 100 * 35;'), 'the chosen hunk is in the editor');
    assert.ok(editor.document.getText().includes('export const v3 = 3;'), 'the other hunk is not');

    // The person keeps typing (unsaved), near but not on the applied change.
    await editor.edit((e) => e.insert(new vscode.Position(19, 0), '// typed after the apply\n'));
    assert.equal(editor.document.isDirty, true);

    const rolledBack = await vscode.commands.executeCommand<ProposalCommandResult | undefined>('rusty.rollback', { id: proposal.id });
    assert.deepEqual(rolledBack, { id: proposal.id, status: 'rolled-back' });
    const text = editor.document.getText();
    assert.ok(text.includes('// typed after the apply'), 'the typing survived the rollback');
    assert.ok(text.includes('export const v35 = 35;'), 'the applied hunk is reverted');
    assert.equal(text.replace('// typed after the apply\n', ''), original, 'nothing else changed');

    const actions = core().auditEntries({ proposalId: proposal.id });
    const approval = actions.find((e) => e.action === 'approved');
    assert.deepEqual(approval?.details.hunks, [second.id], 'the audit log names the approved hunk');
    assert.deepEqual(actions.map((e) => e.action).filter((a) => a !== 'shown'), ['created', 'validated', 'approved', 'applied', 'rolled-back']);
    assert.ok(actions.every((e) => e.actor === 'extension' || e.actor === 'host-test'), 'every step is attributed');
    assert.equal(core().verifyAudit().ok, true);
    fs.rmSync(fileUri(rel).fsPath);
  });

  test('CodeLenses appear in a file with a pending proposal, and go when it is rejected', async () => {
    const rel = 'src/b.ts';
    const id = await propose(rel);
    const uri = fileUri(rel);
    await vscode.workspace.openTextDocument(uri);
    let lenses: vscode.CodeLens[] = [];
    await eventually(async () => {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return lenses.some((l) => l.command?.title === 'Rusty: 1 proposal · Review');
    }, 'the Rusty summary lens');
    const mine = lenses.filter((l) => l.command?.command === 'rusty.reviewProposal');
    assert.ok(mine.some((l) => l.command?.title === 'Proposed change · Review'), JSON.stringify(mine.map((l) => l.command?.title)));
    assert.equal(mine[0]!.range.start.line, 0);
    assert.deepEqual(mine[0]!.command?.arguments, [{ id }]);

    await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test' });
    await eventually(async () => {
      const after = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return !after.some((l) => l.command?.command === 'rusty.reviewProposal');
    }, 'lenses gone after reject');
  });

  test('a proposal queued by another process (the CLI) shows up without a reload', async () => {
    const rel = 'src/b.ts';
    const c = core();
    const bytes = fs.readFileSync(fileUri(rel).fsPath);
    const { proposal } = await c.submit({
      title: 'From another process', source: 'test', edits: [{ kind: 'modify', path: rel, baseHash: sha256(bytes), content: `// header\n${bytes.toString('utf8')}` }],
    });
    const uri = fileUri(rel);
    await vscode.workspace.openTextDocument(uri);
    await eventually(async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return lenses.some((l) => JSON.stringify(l.command?.arguments) === JSON.stringify([{ id: proposal.id }]));
    }, 'the lens of a proposal written to the state folder directly');
    await c.reject(proposal.id, 'host test');
  });

  test('the review panel opens for a proposal (and is reused), and the approvals view and audit log open', async () => {
    const id = await propose('src/a.ts');
    await vscode.commands.executeCommand('rusty.reviewProposal', { id });
    await vscode.commands.executeCommand('rusty.reviewProposal', { id });
    const reviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('rusty.review'));
    await eventually(() => reviewTabs().length === 1, 'one review panel');
    assert.ok(core().auditEntries({ proposalId: id }).some((e) => e.action === 'shown'), 'opening the review is recorded as shown');

    await vscode.commands.executeCommand('rusty.openAuditLog');
    await eventually(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('rusty.audit')), 'the audit panel');
    await vscode.commands.executeCommand('rusty.showApprovals');
    await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test' });
  });

  test('Verify Audit Log and Recover report on the shared state', async () => {
    const verified = await vscode.commands.executeCommand<{ ok: boolean; entries: number }>('rusty.verifyAuditLog');
    assert.equal(verified?.ok, true);
    assert.ok(verified.entries > 0);
    const recovered = await vscode.commands.executeCommand<unknown[]>('rusty.recover');
    assert.deepEqual(recovered, []);
  });

  test('a bad id is refused with a message, not an exception', async () => {
    const r = await vscode.commands.executeCommand('rusty.approve', { id: 'no-such-proposal' });
    assert.equal(r, undefined);
  });
});
