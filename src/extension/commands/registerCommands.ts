// Every `rusty.*` command. The handler table is keyed by the typed command ids, so a command
// without a handler (or a handler for no command) does not compile. Handlers never reject into
// VS Code: errors are shown once, in words a person can act on, and the command returns undefined.
import * as vscode from 'vscode';
import type { Proposal } from '../../core/proposals/model';
import { RustyError } from '../../core/util/errors';
import type { Container } from '../container';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { Commands, type ProposalCommandArgs, type ProposalCommandResult } from './ids';
import { approveSummary, isEligible, nothingToPick, pickItem, type ProposalAction } from './pickItems';

type Handler = (...args: unknown[]) => Promise<unknown>;

interface Target { ws: RustyWorkspace; proposal: Proposal; args: ProposalCommandArgs }

function asArgs(arg: unknown): ProposalCommandArgs | undefined {
  if (typeof arg === 'string') return { id: arg };
  if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return undefined;
  const a = arg as Record<string, unknown>;
  return {
    ...(typeof a.id === 'string' ? { id: a.id } : {}),
    ...(typeof a.force === 'boolean' ? { force: a.force } : {}),
    ...(typeof a.reason === 'string' ? { reason: a.reason } : {}),
    ...(strings(a.files) ? { files: a.files } : {}),
    ...(strings(a.hunks) ? { hunks: a.hunks } : {}),
  };
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

const VERB: Record<ProposalAction, string> = { review: 'Review', approve: 'Approve', reject: 'Reject', rollback: 'Roll back', redo: 'Redo' };

/** The proposal a "…" command acts on: the id it was given, else a QuickPick (of a file's proposals when given a file). */
async function pickTarget(c: Container, action: ProposalAction, arg: unknown): Promise<Target | undefined> {
  const args = asArgs(arg) ?? {};
  if (args.id) return { ...(await c.resolve(args.id)), args };
  const file = arg instanceof vscode.Uri ? arg : undefined;
  const spaces = file ? [c.workspaceFor(file)].filter((w): w is RustyWorkspace => !!w) : c.all();
  const candidates: { ws: RustyWorkspace; proposal: Proposal }[] = [];
  let rel: string | undefined;
  for (const ws of spaces) {
    const core = await ws.core();
    rel = file ? ws.rel(file) : undefined;
    for (const p of core.list()) {
      if (!isEligible(p, action)) continue;
      if (rel && !p.files.some((f) => f.path === rel || f.to === rel)) continue;
      candidates.push({ ws, proposal: p });
    }
  }
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(nothingToPick(action, rel));
    return undefined;
  }
  if (action === 'review' && file && candidates.length === 1) return { ...candidates[0]!, args };
  const now = new Date();
  const multi = spaces.length > 1;
  const items = candidates.map((cand) => {
    const item = pickItem(cand.proposal, now);
    return { label: item.label, description: multi ? `${cand.ws.name} · ${item.description}` : item.description, detail: item.detail, cand };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Rusty: ${VERB[action]} a proposal`,
    placeHolder: rel ? `Proposals for ${rel}` : 'Type to filter by title, status, id or file',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked ? { ...picked.cand, args } : undefined;
}

/** Files for "Propose: Organize Imports (File)": the explorer selection, the given file, or the active editor. */
function filesFrom(c: Container, arg: unknown, all: unknown): Map<RustyWorkspace, string[]> {
  const uris = Array.isArray(all) && all.every((u) => u instanceof vscode.Uri) ? (all as vscode.Uri[])
    : arg instanceof vscode.Uri ? [arg]
      : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
  if (uris.length === 0) throw new RustyError('usage', 'Open a TypeScript or JavaScript file (or select files in the Explorer) to organize its imports.');
  const out = new Map<RustyWorkspace, string[]>();
  for (const uri of uris) {
    const ws = c.workspaceFor(uri);
    const rel = ws?.rel(uri);
    if (!ws || !rel) {
      throw new RustyError('usage', `${uri.scheme === 'untitled' ? 'Save the file first: ' : ''}${uri.fsPath || uri.toString()} is not a file in an open workspace folder.`);
    }
    out.set(ws, [...(out.get(ws) ?? []), rel]);
  }
  return out;
}

function result(p: Proposal): ProposalCommandResult {
  return { id: p.id, status: p.status };
}

export function registerCommands(c: Container): vscode.Disposable[] {
  const handlers: Record<keyof typeof Commands, Handler> = {
    reviewWorkspace: () => c.actions.propose(c.requireCurrent(), { title: 'Review Workspace' }),

    proposeOrganizeImportsWorkspace: () => c.actions.propose(c.requireCurrent(), { title: 'Organize Imports (Workspace)', only: ['organize-imports'] }),

    proposeOrganizeImportsFile: async (arg, all) => {
      const created: string[] = [];
      const existing: string[] = [];
      for (const [ws, files] of filesFrom(c, arg, all)) {
        const title = files.length === 1 ? `Organize Imports in ${files[0]}` : `Organize Imports in ${files.length} files`;
        const r = await c.actions.propose(ws, { title, only: ['organize-imports'], files });
        created.push(...r.created);
        existing.push(...r.existing);
      }
      return { created, existing };
    },

    showApprovals: async () => {
      await vscode.commands.executeCommand(`${c.approvalsViewId}.focus`);
    },

    reviewProposal: async (arg) => {
      const t = await pickTarget(c, 'review', arg);
      if (!t) return undefined;
      await c.reviewPanels.open(t.proposal.id);
      return result(t.proposal);
    },

    approve: async (arg) => {
      const t = await pickTarget(c, 'approve', arg);
      if (!t) return undefined;
      const selection = { ...(t.args.files ? { files: t.args.files } : {}), ...(t.args.hunks ? { hunks: t.args.hunks } : {}) };
      // Picked from the palette with its review panel closed, nobody has looked at the change: show
      // what it does first (callers that pass an id — the panel, the sidebar, scripts — decided already).
      if (!t.args.id && !c.reviewPanels.isOpen(t.proposal.id)) {
        const ok = await vscode.window.showWarningMessage(`Approve "${t.proposal.title}" (${t.proposal.id})?`, { modal: true, detail: approveSummary(t.proposal, selection) }, 'Approve');
        if (ok !== 'Approve') return undefined;
      }
      return result((await c.actions.approve(t.ws, t.proposal.id, selection)).proposal);
    },

    reject: async (arg) => {
      const t = await pickTarget(c, 'reject', arg);
      if (!t) return undefined;
      const reason = t.args.reason ?? await vscode.window.showInputBox({
        title: `Rusty: Reject "${t.proposal.title}"`,
        prompt: 'Why? The reason is kept in the audit log.',
        validateInput: (v) => (v.trim() ? undefined : 'A reason is required.'),
        ignoreFocusOut: true,
      });
      if (reason === undefined) return undefined;
      return result(await c.actions.reject(t.ws, t.proposal.id, reason));
    },

    rollback: async (arg) => {
      const t = await pickTarget(c, 'rollback', arg);
      if (!t) return undefined;
      return result((await c.actions.rollback(t.ws, t.proposal.id, t.args.force ?? false)).proposal);
    },

    redo: async (arg) => {
      const t = await pickTarget(c, 'redo', arg);
      if (!t) return undefined;
      return result((await c.actions.redo(t.ws, t.proposal.id)).proposal);
    },

    openAuditLog: async (arg) => {
      const args = asArgs(arg);
      await c.auditPanel.open(args?.id ? { proposalId: args.id } : {});
    },

    verifyAuditLog: async () => {
      const ws = c.requireCurrent();
      const r = (await ws.core()).verifyAudit();
      if (r.ok) {
        void vscode.window.showInformationMessage(`Rusty's audit log is intact: ${r.entries} entries, hash chain verified.`);
      } else {
        c.log.error(`Audit log verification failed at line ${r.line} (${r.problem}): ${r.message}`);
        void vscode.window.showErrorMessage(`Rusty's audit log is damaged at line ${r.line} (${r.problem}): ${r.message}`, 'Open Audit Log').then((pick) => {
          if (pick) void vscode.commands.executeCommand(Commands.openAuditLog);
        });
      }
      return r;
    },

    recover: async () => {
      const reports = [];
      for (const ws of c.all()) reports.push(...await (await ws.core()).recover());
      // Each recovered transaction is announced by the container as it happens.
      if (reports.length === 0) void vscode.window.showInformationMessage('Rusty: nothing to recover — no apply, rollback or redo was interrupted.');
      for (const ws of c.all()) ws.refresh();
      return reports;
    },
  };

  return (Object.keys(handlers) as (keyof typeof Commands)[]).map((key) => vscode.commands.registerCommand(Commands[key], async (...args: unknown[]) => {
    try {
      return await handlers[key](...args);
    } catch (err) {
      c.actions.showError(err, { operation: Commands[key], ...(asArgs(args[0])?.id ? { id: asArgs(args[0])!.id } : {}) });
      return undefined;
    }
  }));
}
