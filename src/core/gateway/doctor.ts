// `rusty doctor` for the gateway's files (gateway/ in the state folder): the queue with its dead
// letters, the clients, the user's policy and the plans are checked against the schemas the gateway
// reads them with; a damaged one is quarantined by --repair (kept, never deleted), as the other
// state files are. The gateway lock is checked with the state folder's locks (doctor.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStateFile } from '../state/schemas';
import { clientsFileSchema } from './clients';
import { GatewayPaths } from './paths';
import { planSchema } from './plans';
import { userPolicySchema } from './policy';
import { queueFileSchema, type QueueFile } from './queue';

export interface GatewayFileProblem {
  file: string;
  problem: string;
  fix: string;
}

/** Problems in `<stateDir>/gateway/*.json` and `gateway/plans/*.json`; read-only. */
export function checkGatewayFiles(stateDir: string): { problems: GatewayFileProblem[]; checked: number } {
  const p = new GatewayPaths(stateDir);
  const problems: GatewayFileProblem[] = [];
  let checked = 0;
  const check = <T>(file: string, schema: Parameters<typeof readStateFile>[1], fix: string, semantic?: (v: T) => string | undefined): void => {
    const r = readStateFile<T>(file, schema, semantic);
    if (r.status === 'missing') return;
    checked++;
    if (r.status === 'corrupt') problems.push({ file, problem: r.reason, fix });
  };
  check<QueueFile>(p.queue, queueFileSchema,
    'quarantine it: the gateway starts again with an empty queue; the submissions and dead letters in it are kept in the quarantine folder, not processed — ask the agents to submit again',
    (q) => {
      const ids = new Set<string>();
      for (const e of q.entries) {
        if (ids.has(e.id)) return `entries: ticket ${e.id} is queued twice`;
        ids.add(e.id);
        if (e.seq > q.seq) return `entries: ticket ${e.id} has seq ${e.seq}, past the file's seq ${q.seq}`;
      }
      return undefined;
    });
  check(p.clients, clientsFileSchema,
    'quarantine it: no agent can connect until then; afterwards every client needs a new token (`rusty gateway add NAME`, or "Rusty: Connect an Agent…")');
  check(p.policy, userPolicySchema,
    'fix it by hand (the gateway refuses to start with it), or let --repair quarantine it: the gateway then uses the defaults (loopback only, no auto-approval)');
  let plans: string[] = [];
  try {
    plans = fs.readdirSync(p.plans).filter((n) => n.endsWith('.json')).sort();
  } catch {
    // no plans yet
  }
  for (const name of plans) {
    const id = name.slice(0, -'.json'.length);
    check<{ id: string }>(path.join(p.plans, name), planSchema,
      `quarantine it: plan ${id} stops (its proposals are unaffected); ask the agent to send the plan again`,
      (v) => v.id === id ? undefined : `id: is ${JSON.stringify(v.id)} but the file is named ${name}`);
  }
  return { problems, checked };
}
