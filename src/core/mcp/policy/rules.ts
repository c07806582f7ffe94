// Compiled policy rules: globs turned into regular expressions once, rules pre-sorted so the
// first match is the winner, exact tool names looked up in a map. This is what keeps
// PermissionGate.check() in the sub-microsecond range on a cache miss with dozens of rules.
//
// Specificity ("the most specific matching rule wins"):
//   • a pattern without glob syntax (an exact name) beats any glob;
//   • among globs, the one with more literal characters wins (`github-*` 7 > `git*` 3 > `*` 0);
//     characters inside `[…]`, `{…}` and `(…)`, and the glob operators themselves, count 0;
//   • the tool pattern weighs more than the server pattern: a rule is compared by its tool
//     pattern first and only on a tie by its server pattern;
//   • on equal specificity the stricter decision wins: deny > ask > allow. Workspace and user
//     rules are treated alike.
import picomatch from 'picomatch';
import type { PolicyDecisionKind, PolicyRule } from '../types';

export type RuleOrigin = 'workspace' | 'user';

export interface CompiledRule {
  readonly rule: PolicyRule;
  readonly origin: RuleOrigin;
  /** Where the rule came from, for messages: `.rusty/policy.json rules[3]`. */
  readonly where: string;
  readonly specificity: number;
  readonly matchServer: (server: string) => boolean;
  /** Unescaped tool name when the tool pattern is exact. */
  readonly exactTool?: string;
  readonly matchTool: (tool: string) => boolean;
}

/** Scores: an exact name is EXACT; a glob scores its literal characters, capped below EXACT. */
const EXACT = 1000;
const DECISION_RANK: Record<PolicyDecisionKind, number> = { deny: 3, ask: 2, allow: 1 };
const GLOB_OPTIONS = { dot: true, bash: true, windows: false } as const;

/** Literal characters of a glob: what it pins down. Escaped characters (`\*`) are literal. */
export function literalCharacters(pattern: string): number {
  let count = 0;
  let depth = 0; // inside […], {…} or (…)
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      if (depth === 0 && i < pattern.length) count++;
    } else if (c === '[' || c === '{' || c === '(') depth++;
    else if ((c === ']' || c === '}' || c === ')') && depth > 0) depth--;
    else if (depth === 0 && !'*?!+@|'.includes(c)) count++;
  }
  return count;
}

export function isExactPattern(pattern: string): boolean {
  return !picomatch.scan(pattern).isGlob;
}

/** `a\*b` (exact, escaped) names the tool `a*b`. */
function unescape(pattern: string): string {
  return pattern.replace(/\\(.)/g, '$1');
}

/** Escapes glob syntax so a real tool name can be written as an exact rule pattern. */
export function escapeGlob(name: string): string {
  return name.replace(/[\\*?[\]{}()!+@|]/g, '\\$&');
}

export function patternSpecificity(pattern: string): number {
  return isExactPattern(pattern) ? EXACT : Math.min(literalCharacters(pattern), EXACT - 1);
}

export function ruleSpecificity(rule: Pick<PolicyRule, 'server' | 'tool'>): number {
  return patternSpecificity(rule.tool) * (EXACT + 1) + patternSpecificity(rule.server);
}

/** A matcher for one name pattern; throws (with picomatch's message) when the glob is unusable. */
export function compileNamePattern(pattern: string): (name: string) => boolean {
  if (isExactPattern(pattern)) {
    const exact = unescape(pattern);
    return (name) => name === exact;
  }
  if (pattern === '*' || pattern === '**') return () => true;
  const re = picomatch.makeRe(pattern, GLOB_OPTIONS);
  return (name) => re.test(name);
}

export function compileRule(rule: PolicyRule, origin: RuleOrigin, where: string): CompiledRule {
  const exactTool = isExactPattern(rule.tool) ? unescape(rule.tool) : undefined;
  return {
    rule,
    origin,
    where,
    specificity: ruleSpecificity(rule),
    matchServer: compileNamePattern(rule.server),
    ...(exactTool !== undefined ? { exactTool } : {}),
    matchTool: compileNamePattern(rule.tool),
  };
}

/** Winner first: higher specificity, then the stricter decision, then file order. */
function byPrecedence(a: CompiledRule, b: CompiledRule): number {
  return b.specificity - a.specificity || DECISION_RANK[b.rule.decision] - DECISION_RANK[a.rule.decision];
}

/** Rules indexed for matching: exact-tool rules in a map (they beat every glob-tool rule). */
export class RuleSet {
  private readonly byExactTool = new Map<string, CompiledRule[]>();
  private readonly globTool: CompiledRule[] = [];

  constructor(readonly rules: readonly CompiledRule[]) {
    // Array.prototype.sort is stable, so file order (workspace before user) breaks exact ties.
    for (const r of [...rules].sort(byPrecedence)) {
      if (r.exactTool === undefined) this.globTool.push(r);
      else {
        const list = this.byExactTool.get(r.exactTool);
        if (list) list.push(r);
        else this.byExactTool.set(r.exactTool, [r]);
      }
    }
  }

  /** The most specific rule matching (server, tool), or undefined. */
  match(server: string, tool: string): CompiledRule | undefined {
    const exact = this.byExactTool.get(tool);
    if (exact) {
      for (const r of exact) if (r.matchServer(server)) return r;
    }
    for (const r of this.globTool) if (r.matchTool(tool) && r.matchServer(server)) return r;
    return undefined;
  }
}

/** Trusted-server globs: exact names in a set, globs tested in order. */
export class NameSet {
  private readonly exact = new Set<string>();
  private readonly globs: ((name: string) => boolean)[] = [];

  constructor(readonly patterns: readonly string[]) {
    for (const p of patterns) {
      if (isExactPattern(p)) this.exact.add(unescape(p));
      else this.globs.push(compileNamePattern(p));
    }
  }

  has(name: string): boolean {
    if (this.exact.has(name)) return true;
    for (const g of this.globs) if (g(name)) return true;
    return false;
  }
}
