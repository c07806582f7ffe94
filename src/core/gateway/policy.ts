// The gateway policy. The user's file (state folder gateway/policy.json) may set everything; the
// workspace's .rusty/gateway.json comes with the repository, so it may only auto-approve classes
// in WORKSPACE_AUTO_APPROVABLE (output of Rusty's own engines that changes no behaviour) and can
// neither widen the network surface nor raise limits.
import * as path from 'node:path';
import { z } from 'zod';
import { readStateFile } from '../state/schemas';
import { RustyError } from '../util/errors';

/** Proposal classes the gateway can produce itself; a policy may auto-approve these only. */
export const PROPOSAL_CLASSES = ['organize-imports', 'fix-all', 'rename', 'extract-function', 'move', 'inline-variable', 'remove-unused-export'] as const;
export type ProposalClass = (typeof PROPOSAL_CLASSES)[number];
export const WORKSPACE_AUTO_APPROVABLE: readonly ProposalClass[] = ['organize-imports'];

export interface GatewayPolicy {
  autoApprove: ProposalClass[];
  /** Where each auto-approve class came from (audited with each auto decision). */
  autoApproveFrom: Partial<Record<ProposalClass, string>>;
  /** Calls per client per minute. */
  ratePerMinute: number;
  /** Largest HTTP request body. */
  maxRequestBytes: number;
  /** Host header names accepted besides the loopback ones. */
  allowedHosts: string[];
  /** Origin header values accepted (browsers send one; most agents send none). */
  allowedOrigins: string[];
  /** Address the HTTP server binds to; anything but loopback must be set here explicitly. */
  bind: string;
  /** Longest `wait` get_proposal accepts, in seconds. */
  maxWaitSeconds: number;
  warnings: string[];
}

export const DEFAULT_POLICY: GatewayPolicy = {
  autoApprove: [], autoApproveFrom: {}, ratePerMinute: 120, maxRequestBytes: 4 * 1024 * 1024,
  allowedHosts: [], allowedOrigins: [], bind: '127.0.0.1', maxWaitSeconds: 600, warnings: [],
};

export const userPolicySchema = z.object({
  autoApprove: z.array(z.enum(PROPOSAL_CLASSES)).optional(),
  ratePerMinute: z.number().int().min(1).max(100_000).optional(),
  maxRequestBytes: z.number().int().min(1024).max(256 * 1024 * 1024).optional(),
  allowedHosts: z.array(z.string().min(1).max(253)).optional(),
  allowedOrigins: z.array(z.string().url()).optional(),
  bind: z.string().min(1).optional(),
  maxWaitSeconds: z.number().int().min(0).max(3600).optional(),
}).strict();
const workspacePolicySchema = z.looseObject({ autoApprove: z.array(z.string()).optional() });

export const LOOPBACK_BINDS = ['127.0.0.1', '::1', 'localhost'];

export function loadGatewayPolicy(userFile: string, workspace: string): GatewayPolicy {
  const policy: GatewayPolicy = { ...DEFAULT_POLICY, autoApprove: [], autoApproveFrom: {}, warnings: [] };
  const user = readStateFile<z.infer<typeof userPolicySchema>>(userFile, userPolicySchema);
  if (user.status === 'corrupt') throw new RustyError('usage', `Gateway policy ${userFile} is invalid (${user.reason}); fix it or remove it.`);
  if (user.status === 'ok') {
    const { autoApprove, ...rest } = user.value;
    Object.assign(policy, rest);
    for (const c of autoApprove ?? []) add(policy, c, userFile);
  }
  const wsFile = path.join(workspace, '.rusty', 'gateway.json');
  const ws = readStateFile<z.infer<typeof workspacePolicySchema>>(wsFile, workspacePolicySchema);
  if (ws.status === 'corrupt') policy.warnings.push(`${wsFile} ignored: ${ws.reason}`);
  if (ws.status === 'ok') {
    for (const c of ws.value.autoApprove ?? []) {
      if ((WORKSPACE_AUTO_APPROVABLE as readonly string[]).includes(c)) add(policy, c as ProposalClass, wsFile);
      else policy.warnings.push(`${wsFile}: auto-approving ${JSON.stringify(c).slice(0, 80)} is only honoured in your own policy (${userFile}); a workspace file may auto-approve ${WORKSPACE_AUTO_APPROVABLE.join(', ')} only.`);
    }
  }
  return policy;
}

function add(policy: GatewayPolicy, c: ProposalClass, from: string): void {
  if (!policy.autoApprove.includes(c)) policy.autoApprove.push(c);
  policy.autoApproveFrom[c] ??= from;
}
