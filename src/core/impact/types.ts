// What the impact analysis says about a change set: plain JSON, stored on the proposal
// (`proposal.impact`), printed by `rusty show`, mapped to the review panel's ProposalDetailView.
// Type-only: importing this file never loads ts-morph.
import type { WorkspaceFs } from '../ports/workspaceFs';
import type { CompilerInfo } from '../tsEngine/types';

/** One diagnostic, workspace-relative, 1-based line. */
export interface ImpactDiagnostic {
  file: string;
  line: number;
  code: number;
  message: string;
}

export type SymbolChange = 'added' | 'removed' | 'modified';

/** A top-level declaration (or a class member, `Class.member`) whose text changed. */
export interface ChangedSymbol {
  /** Workspace-relative file (the new path for a renamed file). */
  file: string;
  name: string;
  /** function, class, interface, type, enum, namespace, variable, method, property, accessor, constructor, default export, re-export. */
  kind: string;
  change: SymbolChange;
  exported: boolean;
  /** Only comments or whitespace differ (tokens are the same). */
  commentsOnly?: boolean;
  /** 1-based line of the declaration (new text for added/modified, old text for removed). */
  line: number;
}

export interface ReferenceLocation { file: string; line: number; column: number }

export interface SymbolReferences {
  file: string;
  name: string;
  /** References outside the declaration itself (imports, calls, type uses, re-exports). */
  count: number;
  /** At most `limits.maxReferenceLocations` over all symbols. */
  locations: ReferenceLocation[];
}

export interface PublicApiChange {
  /** The entry point (source file) the export is visible from. */
  entry: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** function, class, interface, type, const, namespace, … (when the export was examined). */
  kind?: string;
  /** What changed, in a few words ("lost member floatSafeRemainder; gained member safeRemainder"). */
  summary?: string;
  /** Signature as the type checker prints it (shortened), before / after. */
  before?: string;
  after?: string;
}

export interface TypeCheckDelta {
  /**
   * `checked`: the changed files and all their (transitive) dependents were type-checked;
   * `partial`: too many dependents, so only the changed files and their direct importers were;
   * `skipped`: no type-check (see `reason`).
   */
  status: 'checked' | 'partial' | 'skipped';
  reason?: string;
  /** The bundled engine's size limit narrowed or skipped this check (`rusty check ID` / "Check now" runs it in full). */
  limit?: number;
  /** Checked in full on request, without the size limit. */
  full?: boolean;
  /** Files whose diagnostics were compared (before ∪ after). */
  checkedFiles: number;
  introduced: ImpactDiagnostic[];
  removed: ImpactDiagnostic[];
}

export type RiskLevel = 'low' | 'medium' | 'high';

export interface RiskReason {
  /** Stable id of the rule, e.g. `type-errors`, `public-api`, `no-tests`. */
  id: string;
  points: number;
  text: string;
}

export interface RiskAssessment {
  /** 0–100: the sum of the reasons' points, capped. */
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
}

export interface ImpactFile {
  path: string;
  to?: string;
  kind: 'modify' | 'create' | 'delete' | 'rename';
  /** TypeScript/JavaScript source, a test file, build configuration, or anything else. */
  role: 'code' | 'test' | 'config' | 'other';
}

export interface ImpactReport {
  version: 1;
  computedAt: string;
  durationMs: number;
  files: ImpactFile[];
  symbols: ChangedSymbol[];
  references: { total: number; symbols: SymbolReferences[]; truncated: boolean };
  /** Files that import a changed file, directly or transitively (reverse import graph). */
  dependents: { total: number; direct: number; files: string[]; truncated: boolean };
  /** Test files among the changed files and their transitive dependents. */
  tests: string[];
  publicApi: { entryPoints: string[]; changes: PublicApiChange[] };
  typeCheck: TypeCheckDelta;
  risk: RiskAssessment;
  /** Things a reviewer should know about how this was computed (limits hit, files skipped…). */
  notes: string[];
  /** Wall-clock per phase, for diagnosing slow analyses. */
  timings?: Record<string, number>;
  /** The compiler that produced the type-check delta (absent in reports made before it was recorded). */
  compiler?: CompilerInfo;
}

/** Impact could not be computed; the proposal exists anyway. */
export interface ImpactFailure {
  error: string;
  computedAt?: string;
}

export type ProposalImpact = ImpactReport | ImpactFailure;

export function isImpactFailure(i: ProposalImpact | undefined): i is ImpactFailure {
  return !!i && typeof (i as ImpactFailure).error === 'string';
}

export interface ImpactLimits {
  /** Above this many affected files the type-check is narrowed to direct importers, then skipped. */
  maxTypeCheckFiles: number;
  /** The transitive-dependents walk stops after this many files. */
  maxDependents: number;
  /** Files listed in `dependents.files` (the total is always counted). */
  maxListedDependents: number;
  /** Changed exported symbols whose references are looked up. */
  maxReferenceSymbols: number;
  /** Reference locations kept in the report (over all symbols). */
  maxReferenceLocations: number;
  /** Diagnostics kept per side of the delta. */
  maxDiagnostics: number;
}

export const DEFAULT_IMPACT_LIMITS: ImpactLimits = {
  maxTypeCheckFiles: 400,
  maxDependents: 5000,
  maxListedDependents: 200,
  maxReferenceSymbols: 40,
  maxReferenceLocations: 200,
  maxDiagnostics: 100,
};

/** What the core hands an impact provider besides the change set. */
export interface ImpactContext {
  /**
   * The core's WorkspaceFs port (unsaved editor text wins); the provider reads it through
   * `workspaceReader(wfs, signal)` — built there, in the engines' bundle, so the core's own bundle
   * carries no file lister.
   */
  wfs: WorkspaceFs;
  signal?: AbortSignal;
  /** Type-check without the size limit ("check now" on a proposal whose check was narrowed or skipped). */
  fullCheck?: boolean;
}
