// The permission gate on every MCP tool call. check() order (from the issue):
//   1. the most specific matching rule says deny  → deny
//   2. it says allow                              → allow (never while the policy file is broken)
//   3. a live grant for (server, tool)            → allow, with the grant id
//   4. the rule says ask                          → ask
//   5. no rule: annotations count only for trusted servers (policy `trustedServers` globs or
//      `trusted: true` in the server's config): readOnlyHint and not destructiveHint → allow;
//      anything else (no hints, destructive, untrusted server) → ask, saying why.
// check() is synchronous and allocation-light: the rule lookup is cached per (server, tool)
// and dropped when the policy changes; grants are a map lookup plus one number comparison.
import { performance } from 'node:perf_hooks';
import type { AskAnswer, AskRequest, GateDecision, McpGrant, McpToolAnnotations } from '../types';
import { MAX_GRANT_MINUTES, type GrantStore } from './grants';
import { currentStamp, loadPolicy, POLICY_RELATIVE_PATH, sameStamp, type CompiledPolicy } from './load';
import { writeAllowRule } from './policyFile';
import type { CompiledRule } from './rules';

export interface PermissionGateOptions {
  workspace: string;
  policy: CompiledPolicy;
  grants: GrantStore;
  now?: () => Date;
  /** Re-read `.rusty/policy.json` when it changes on disk, checked at most this often (ms); 0 = never. */
  policyRefreshMs?: number;
}

/** What check() needs per (server, tool), computed once per policy. */
interface CachedEntry {
  rule: CompiledRule | undefined;
  /** The decision the rule forces (deny/allow), or its ask decision. */
  ruleDecision: GateDecision | undefined;
  trustedByPolicy: boolean;
  noRule?: Partial<Record<'readOnly' | 'destructive' | 'unhinted' | 'untrusted' | 'failClosed', GateDecision>>;
}

const CACHE_LIMIT = 20_000;

function describeRule(r: CompiledRule): string {
  return `${r.origin === 'user' ? 'user setting' : 'workspace'} rule {server: ${JSON.stringify(r.rule.server)}, tool: ${JSON.stringify(r.rule.tool)}, decision: "${r.rule.decision}"}`;
}

export interface ApplyAnswerResult {
  decision: GateDecision;
  grant?: McpGrant;
  /** "always": the policy file the allow rule was written to. */
  ruleFile?: string;
  /** "always" could not be written (broken policy file…): a session grant was made instead. */
  warning?: string;
}

export class PermissionGate {
  private policyValue: CompiledPolicy;
  private readonly store: GrantStore;
  private readonly now: () => Date;
  private readonly workspace: string;
  private readonly policyRefreshMs: number;
  private nextPolicyCheckAt = 0;
  private cache = new Map<string, Map<string, CachedEntry>>();
  private cacheSize = 0;
  private trustCache = new Map<string, boolean>();
  private readonly grantDecisions = new WeakMap<McpGrant, GateDecision>();

  constructor(opts: PermissionGateOptions) {
    this.workspace = opts.workspace;
    this.policyValue = opts.policy;
    this.store = opts.grants;
    this.now = opts.now ?? (() => new Date());
    this.policyRefreshMs = opts.policyRefreshMs ?? 500;
    this.nextPolicyCheckAt = performance.now() + this.policyRefreshMs;
  }

  get policy(): CompiledPolicy {
    return this.policyValue;
  }

  get grantStore(): GrantStore {
    return this.store;
  }

  setPolicy(policy: CompiledPolicy): void {
    this.policyValue = policy;
    this.cache = new Map();
    this.cacheSize = 0;
    this.trustCache = new Map();
  }

  /** Re-reads the workspace file (keeping the user part); returns the new errors. */
  reloadPolicy(): string[] {
    const { policy, errors } = loadPolicy(this.workspace, this.policyValue.user);
    this.setPolicy(policy);
    return errors;
  }

  isTrusted(server: string, serverTrustedInConfig?: boolean): boolean {
    if (serverTrustedInConfig === true) return true;
    let t = this.trustCache.get(server);
    if (t === undefined) this.trustCache.set(server, (t = this.policyValue.trusted.has(server)));
    return t;
  }

  /**
   * The decision for one call. Returned objects may be shared between calls: treat them as
   * read-only.
   */
  check(server: string, tool: string, annotations?: McpToolAnnotations, serverTrustedInConfig?: boolean): GateDecision {
    if (this.policyRefreshMs > 0 && performance.now() >= this.nextPolicyCheckAt) this.refreshPolicyIfChanged();
    const e = this.entry(server, tool);
    const ruled = e.ruleDecision;
    if (ruled !== undefined && ruled.decision !== 'ask') return ruled;
    const grant = this.store.findLive(server, tool, this.now().getTime());
    if (grant) {
      let d = this.grantDecisions.get(grant);
      if (!d) this.grantDecisions.set(grant, (d = { decision: 'allow', reason: `allowed by a ${grant.scope} grant (${grant.id}) for ${server}/${tool}`, grantId: grant.id }));
      return d;
    }
    if (ruled !== undefined) return ruled;
    return this.noRuleDecision(e, server, tool, annotations, serverTrustedInConfig === true || e.trustedByPolicy);
  }

  private noRuleDecision(e: CachedEntry, server: string, tool: string, a: McpToolAnnotations | undefined, trusted: boolean): GateDecision {
    const cases = (e.noRule ??= {});
    const p = this.policyValue;
    if (p.failClosed !== undefined) {
      return (cases.failClosed ??= {
        decision: 'ask',
        reason: `${POLICY_RELATIVE_PATH} cannot be used (${p.failClosed}), so every MCP call asks until it is fixed`,
      });
    }
    if (!trusted) {
      return (cases.untrusted ??= {
        decision: 'ask',
        reason: `no rule matches ${server}/${tool} and server "${server}" is not trusted, so its tool annotations are ignored`,
      });
    }
    if (a?.destructiveHint === true) {
      return (cases.destructive ??= { decision: 'ask', reason: `no rule matches ${server}/${tool} and trusted server "${server}" marks it destructive` });
    }
    if (a?.readOnlyHint === true) {
      return (cases.readOnly ??= { decision: 'allow', reason: `read-only tool on a trusted server (${server}/${tool}, no rule matches)` });
    }
    return (cases.unhinted ??= {
      decision: 'ask',
      reason: `no rule matches ${server}/${tool} and trusted server "${server}" does not mark it read-only`,
    });
  }

  private entry(server: string, tool: string): CachedEntry {
    let byTool = this.cache.get(server);
    const hit = byTool?.get(tool);
    if (hit) return hit;
    if (this.cacheSize >= CACHE_LIMIT) {
      this.cache = new Map();
      this.cacheSize = 0;
      byTool = undefined;
    }
    const p = this.policyValue;
    const rule = p.rules.match(server, tool);
    const e: CachedEntry = { rule, ruleDecision: rule && this.ruleDecision(rule, server, tool), trustedByPolicy: p.trusted.has(server) };
    if (!byTool) this.cache.set(server, (byTool = new Map()));
    byTool.set(tool, e);
    this.cacheSize++;
    return e;
  }

  private ruleDecision(r: CompiledRule, server: string, tool: string): GateDecision {
    const rule = { ...r.rule, origin: r.origin };
    const failClosed = this.policyValue.failClosed;
    if (r.rule.decision === 'allow' && failClosed !== undefined) {
      return { decision: 'ask', reason: `${describeRule(r)} would allow ${server}/${tool}, but ${POLICY_RELATIVE_PATH} cannot be used (${failClosed}), so every call asks`, rule };
    }
    const verb = r.rule.decision === 'deny' ? 'denies' : r.rule.decision === 'allow' ? 'allows' : 'asks before';
    return { decision: r.rule.decision, reason: `${describeRule(r)} ${verb} ${server}/${tool}`, rule };
  }

  private refreshPolicyIfChanged(): void {
    this.nextPolicyCheckAt = performance.now() + this.policyRefreshMs;
    if (!sameStamp(currentStamp(this.policyValue.file), this.policyValue.stamp)) this.reloadPolicy();
  }

  // ─── answers, grants ─────────────────────────────────────────────────────────────────────

  /**
   * Records the user's answer to "ask". once/session/minutes create a grant; always writes an
   * allow rule for exactly (server, tool) into `.rusty/policy.json` (falling back to a session
   * grant, with `warning`, when the file cannot be edited); deny or dismissed → deny, nothing kept.
   */
  applyAnswer(req: AskRequest, answer: AskAnswer | undefined): ApplyAnswerResult {
    const { server, tool } = req;
    if (answer === undefined) return { decision: { decision: 'deny', reason: `the prompt for ${server}/${tool} was dismissed` } };
    const grantDecision = (grant: McpGrant, what: string): ApplyAnswerResult => ({
      decision: { decision: 'allow', reason: `allowed by the user ${what} (grant ${grant.id})`, grantId: grant.id },
      grant,
    });
    switch (answer.kind) {
      case 'deny':
        return { decision: { decision: 'deny', reason: `denied by the user for ${server}/${tool}` } };
      case 'once':
        return grantDecision(this.store.add(server, tool, 'once'), 'once');
      case 'session':
        return grantDecision(this.store.add(server, tool, 'session'), 'for this session');
      case 'minutes': {
        const m = answer.minutes;
        if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0 || m > MAX_GRANT_MINUTES) {
          throw new RangeError(`"For N minutes" needs N between 1 and ${MAX_GRANT_MINUTES} (got ${JSON.stringify(m)}).`);
        }
        return grantDecision(this.store.add(server, tool, 'timed', m), `for ${m} minute${m === 1 ? '' : 's'}`);
      }
      case 'always': {
        try {
          const ruleFile = writeAllowRule(this.workspace, server, tool);
          this.reloadPolicy();
          const rule = { server, tool, decision: 'allow' as const, origin: 'workspace' as const };
          return { decision: { decision: 'allow', reason: `allowed always: rule written to ${ruleFile}`, rule }, ruleFile };
        } catch (err) {
          const warning = `Could not write the allow rule (${(err as Error).message}); allowed for this session instead.`;
          return { ...grantDecision(this.store.add(server, tool, 'session'), 'for this session'), warning };
        }
      }
      default: {
        const never: never = answer;
        throw new Error(`Unknown answer ${JSON.stringify(never)}: expected once, session, minutes, always or deny.`);
      }
    }
  }

  /** After the call a decision allowed: a `once` grant is used up. Safe to call for any decision. */
  consume(decision: GateDecision): void {
    if (decision.grantId !== undefined) this.store.consume(decision.grantId);
  }

  grants(): McpGrant[] {
    return this.store.list();
  }

  revoke(id: string): boolean {
    return this.store.revoke(id);
  }
}
