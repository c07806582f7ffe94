// Every command Rusty contributes, in one place. package.json "contributes.commands" must list
// exactly these (a unit test checks it), so a typo cannot hide a command.

export const Commands = {
  reviewWorkspace: 'rusty.reviewWorkspace',
  proposeOrganizeImportsFile: 'rusty.proposeOrganizeImportsFile',
  proposeOrganizeImportsWorkspace: 'rusty.proposeOrganizeImportsWorkspace',
  showApprovals: 'rusty.showApprovals',
  reviewProposal: 'rusty.reviewProposal',
  approve: 'rusty.approve',
  reject: 'rusty.reject',
  rollback: 'rusty.rollback',
  redo: 'rusty.redo',
  openAuditLog: 'rusty.openAuditLog',
  verifyAuditLog: 'rusty.verifyAuditLog',
  recover: 'rusty.recover',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Views and panels Rusty contributes or creates. */
export const Views = {
  container: 'rusty',
  approvals: 'rusty.approvals',
  reviewPanel: 'rusty.review',
  auditPanel: 'rusty.audit',
} as const;

/** What a proposal command accepts as its first argument, besides a file Uri (editor / explorer menus). */
export interface ProposalCommandArgs {
  id?: string;
  /** rollback: restore the checkpoint exactly (after a conflict). */
  force?: boolean;
  /** reject: the reason, without asking. */
  reason?: string;
  /** approve: only these files (paths as in the proposal) … */
  files?: string[];
  /** … and/or only these hunks (ids from the review panel or `rusty show --diff`). */
  hunks?: string[];
}

/** What proposal commands return to a caller (tests, other extensions): the proposal's new status. */
export interface ProposalCommandResult {
  id: string;
  status: string;
}

/** What "Propose: …" and "Review Workspace" return. */
export interface ProposeCommandResult {
  /** New proposals (ids). */
  created: string[];
  /** Proposals that were already queued for the same change. */
  existing: string[];
}
