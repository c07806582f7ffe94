// The exports of an entry point and the structure of each, as the type checker sees them (through
// re-exports, barrels and `export * as ns`). Comparing the maps before and after a change gives the
// public API changes: declarations, members and signatures, with unions and intersections as sets
// (never the printed type text, whose union order depends on checking order). Only exports declared
// in files the change can reach are examined; the others are compared by name.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { PublicApiChange } from './types';

type Ts = typeof TsNamespace;

export interface ExportInfo {
  /** Declaring files (workspace-relative; '' outside the workspace). */
  files: string[];
  /** Kind + type text, for people; undefined when not computed (declared outside the reach of the change). */
  signature?: string;
  /** What is compared: the declaration's structure (computed with `signature`). */
  shape?: ApiShape;
}

/**
 * An export's structure, compared member by member: types are written with unions and
 * intersections as sorted sets and named types by name, so the order in which the compiler
 * happens to print a union is not a change.
 */
export interface ApiShape {
  kind: string;
  /** The value's (or alias's) type, canonical. */
  type?: string;
  /** Properties and methods (class statics as `static x`), a namespace's exports, enum members. */
  members?: Record<string, string>;
  /** Call and construct signatures, canonical. */
  signatures?: string[];
}

export interface ApiContext {
  ts: Ts;
  program: TsNamespace.Program;
  root: string;
  /** Files whose exports are worth examining (changed files and their dependents). */
  reach: ReadonlySet<string>;
}

const UNRESOLVED = 'unresolved';

const FLAGS_NO_TRUNC = (ts: Ts) => ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;

function relOf(root: string, abs: string): string {
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel;
}

function kindOf(ts: Ts, s: TsNamespace.Symbol): string {
  const f = s.flags;
  const kinds: string[] = [];
  if (f & ts.SymbolFlags.Function) kinds.push('function');
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  if (f & ts.SymbolFlags.Interface) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  if (f & ts.SymbolFlags.Enum) kinds.push('enum');
  if (f & ts.SymbolFlags.Variable) kinds.push(f & ts.SymbolFlags.BlockScopedVariable ? 'const' : 'var');
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) kinds.push('namespace');
  return kinds.join('+') || 'symbol';
}

function signatureOf(ctx: ApiContext, s: TsNamespace.Symbol): string {
  const { ts } = ctx;
  const checker = ctx.program.getTypeChecker();
  const decl = s.valueDeclaration ?? s.declarations?.[0];
  const parts = [kindOf(ts, s)];
  const rootPrefix = new RegExp(escapeRegExp(ctx.root.split(path.sep).join('/') + '/'), 'g');
  const print = (t: TsNamespace.Type, flags = 0) => checker.typeToString(t, decl, FLAGS_NO_TRUNC(ts) | flags).replace(rootPrefix, '');
  if (s.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
    return `${parts[0]} { ${checker.getExportsOfModule(s).map((m) => m.name).sort().join(', ')} }`;
  }
  if (decl && s.flags & ts.SymbolFlags.Value && !(s.flags & ts.SymbolFlags.Class)) parts.push(print(checker.getTypeOfSymbolAtLocation(s, decl)));
  if (s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
    const type = checker.getDeclaredTypeOfSymbol(s);
    const members = checker.getPropertiesOfType(type).map((p) => {
      const pd = p.valueDeclaration ?? p.declarations?.[0];
      const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
      return `${p.name}${optional}: ${pd ? print(checker.getTypeOfSymbolAtLocation(p, pd)) : '?'}`;
    }).sort();
    if (s.flags & ts.SymbolFlags.Class && decl) {
      const ctor = checker.getTypeOfSymbolAtLocation(s, decl);
      const ctors = ctor.getConstructSignatures().map((sig) => checker.signatureToString(sig, decl, FLAGS_NO_TRUNC(ts)));
      const statics = checker.getPropertiesOfType(ctor).filter((p) => p.name !== 'prototype').map((p) => {
        const pd = p.valueDeclaration ?? p.declarations?.[0];
        return `static ${p.name}: ${pd ? print(checker.getTypeOfSymbolAtLocation(p, pd)) : '?'}`;
      }).sort();
      parts.push(`new ${ctors.join(' | ')}`, ...statics);
    }
    const calls = type.getCallSignatures().map((sig) => checker.signatureToString(sig, decl, FLAGS_NO_TRUNC(ts)));
    parts.push(`{ ${[...calls, ...members].join('; ')} }`);
  } else if (s.flags & ts.SymbolFlags.TypeAlias) {
    parts.push(print(checker.getDeclaredTypeOfSymbol(s), ts.TypeFormatFlags.InTypeAlias));
  } else if (s.flags & ts.SymbolFlags.Enum) {
    parts.push(checker.getExportsOfModule(s).map((m) => `${m.name}=${String(m.valueDeclaration && ts.isEnumMember(m.valueDeclaration) ? checker.getConstantValue(m.valueDeclaration) : '?')}`).join(', '));
  }
  return parts.join(' ');
}

/** Deeper than this, a type is compared by its text (a guard; named types stop the walk long before). */
const MAX_DEPTH = 40;

/** Canonical, order-independent text of types for one program. */
class Canon {
  private readonly cache = new Map<TsNamespace.Type, string>();
  private readonly checker: TsNamespace.TypeChecker;
  private readonly rootPrefix: RegExp;

  constructor(private readonly ctx: ApiContext) {
    this.checker = ctx.program.getTypeChecker();
    this.rootPrefix = new RegExp(escapeRegExp(ctx.root.split(path.sep).join('/') + '/'), 'g');
  }

  text(t: TsNamespace.Type): string {
    return this.checker.typeToString(t, undefined, FLAGS_NO_TRUNC(this.ctx.ts)).replace(this.rootPrefix, '');
  }

  private named(s: TsNamespace.Symbol): string {
    return this.checker.getFullyQualifiedName(s).replace(this.rootPrefix, '');
  }

  /**
   * `expand`: write out the type itself even when it has a name (the export's own type). Nested
   * types are written in full except named ones; a type met again inside itself is written by name.
   */
  type(t: TsNamespace.Type, depth = 0, expand = false): string {
    const cached = expand ? undefined : this.cache.get(t);
    if (cached !== undefined) return cached;
    if (this.stack.has(t)) return this.text(t);
    this.stack.add(t);
    try {
      const out = this.compute(t, depth, expand);
      if (!expand) this.cache.set(t, out);
      return out;
    } finally {
      this.stack.delete(t);
    }
  }

  private readonly stack = new Set<TsNamespace.Type>();

  private list(types: readonly TsNamespace.Type[], depth: number): string[] {
    return types.map((x) => this.type(x, depth));
  }

  private compute(t: TsNamespace.Type, depth: number, expand: boolean): string {
    const { ts } = this.ctx;
    const f = t.flags;
    if (t.aliasSymbol && !expand) return this.named(t.aliasSymbol) + (t.aliasTypeArguments?.length ? `<${this.list(t.aliasTypeArguments, depth + 1).join(', ')}>` : '');
    if (f & ts.TypeFlags.Union) return [...new Set(this.list((t as TsNamespace.UnionType).types, depth + 1))].sort().join(' | ');
    if (f & ts.TypeFlags.Intersection) return [...new Set(this.list((t as TsNamespace.IntersectionType).types, depth + 1))].sort().join(' & ');
    if (!(f & ts.TypeFlags.Object) || depth > MAX_DEPTH) return this.text(t);
    const o = t as TsNamespace.ObjectType;
    const sym = t.getSymbol();
    if (o.objectFlags & ts.ObjectFlags.Reference) {
      const r = t as TsNamespace.TypeReference;
      const args = this.checker.getTypeArguments(r);
      if (r.target.objectFlags & ts.ObjectFlags.Tuple) return `[${this.list(args, depth + 1).join(', ')}]`;
      if (r.target.symbol && r !== r.target) return `${this.named(r.target.symbol)}${args.length ? `<${this.list(args, depth + 1).join(', ')}>` : ''}`;
    }
    // Named classes, interfaces and enums are compared by name here: their own changes are their own exports'.
    if (!expand && sym && o.objectFlags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) return this.named(sym);
    if (!expand && sym && sym.flags & ts.SymbolFlags.Class && o.objectFlags & ts.ObjectFlags.Anonymous) return `typeof ${this.named(sym)}`;
    const props = this.checker.getPropertiesOfType(t);
    // A generic mapped type has no properties yet: its text is all there is.
    if (o.objectFlags & ts.ObjectFlags.Mapped && !props.length) return this.text(t);
    const parts = [
      ...t.getCallSignatures().map((sg) => this.signature(sg, depth + 1)),
      ...t.getConstructSignatures().map((sg) => `new ${this.signature(sg, depth + 1)}`),
      ...this.checker.getIndexInfosOfType(t).map((i) => `[${this.type(i.keyType, depth + 1)}]: ${this.type(i.type, depth + 1)}`),
      ...props.map((p) => this.member(p, depth + 1)).sort(),
    ];
    return `{ ${parts.join('; ')} }`;
  }

  member(p: TsNamespace.Symbol, depth: number): string {
    const { ts } = this.ctx;
    const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
    const readonly = p.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) ? 'readonly ' : '';
    return `${readonly}${p.name}${optional}: ${this.type(this.checker.getTypeOfSymbol(p), depth)}`;
  }

  signature(sg: TsNamespace.Signature, depth: number): string {
    const { ts } = this.ctx;
    const tps = sg.getTypeParameters() ?? [];
    const generics = tps.length ? `<${tps.map((tp) => {
      const c = tp.getConstraint();
      return `${tp.symbol.name}${c ? ` extends ${this.type(c, depth + 1)}` : ''}`;
    }).join(', ')}>` : '';
    // Parameter names are not part of the API; their order, optionality and types are.
    const params = sg.getParameters().map((p) => {
      const d = p.valueDeclaration;
      const rest = d && ts.isParameter(d) && d.dotDotDotToken ? '...' : '';
      const opt = d && ts.isParameter(d) && (d.questionToken || d.initializer) ? '?' : '';
      return `${rest}${opt}${this.type(this.checker.getTypeOfSymbol(p), depth + 1)}`;
    });
    return `${generics}(${params.join(', ')}) => ${this.type(sg.getReturnType(), depth + 1)}`;
  }
}

/** The structure of one export (a namespace's members one level deep). */
function shapeOf(ctx: ApiContext, canon: Canon, s: TsNamespace.Symbol, nested = false): ApiShape {
  const { ts } = ctx;
  const checker = ctx.program.getTypeChecker();
  const kind = kindOf(ts, s);
  const decl = s.valueDeclaration ?? s.declarations?.[0];
  const shape: ApiShape = { kind };
  if (s.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
    const members: Record<string, string> = {};
    for (const m of checker.getExportsOfModule(s)) {
      let target = m;
      if (target.flags & ts.SymbolFlags.Alias) {
        try {
          target = checker.getAliasedSymbol(target);
        } catch {
          members[m.name] = UNRESOLVED;
          continue;
        }
      }
      const files = (target.declarations ?? []).map((d) => relOf(ctx.root, d.getSourceFile().fileName));
      const inReach = files.some((f) => f !== '' && ctx.reach.has(f));
      members[m.name] = nested || !inReach ? kindOf(ts, target) : shapeText(shapeOf(ctx, canon, target, true));
    }
    return { kind, members };
  }
  if (s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
    const type = checker.getDeclaredTypeOfSymbol(s);
    const members: Record<string, string> = {};
    for (const p of checker.getPropertiesOfType(type)) members[p.name] = canon.member(p, 1);
    const signatures = type.getCallSignatures().map((sg) => canon.signature(sg, 1));
    if (s.flags & ts.SymbolFlags.Class && decl) {
      const ctor = checker.getTypeOfSymbolAtLocation(s, decl);
      signatures.push(...ctor.getConstructSignatures().map((sg) => `new ${canon.signature(sg, 1)}`));
      for (const p of checker.getPropertiesOfType(ctor)) if (p.name !== 'prototype') members[`static ${p.name}`] = canon.member(p, 1);
    }
    if (s.flags & ts.SymbolFlags.Interface && s.flags & ts.SymbolFlags.Value && decl) shape.type = canon.type(checker.getTypeOfSymbolAtLocation(s, decl), 0, true);
    return { ...shape, members, signatures };
  }
  if (s.flags & ts.SymbolFlags.Enum) {
    const members: Record<string, string> = {};
    for (const m of checker.getExportsOfModule(s)) members[m.name] = String(m.valueDeclaration && ts.isEnumMember(m.valueDeclaration) ? checker.getConstantValue(m.valueDeclaration) : '?');
    return { kind, members };
  }
  if (s.flags & ts.SymbolFlags.TypeAlias) {
    // A generic alias is its definition (the checker can only print it, in an order that varies);
    // a concrete one is walked like any type.
    const alias = s.declarations?.find((d): d is TsNamespace.TypeAliasDeclaration => ts.isTypeAliasDeclaration(d));
    if (alias?.typeParameters?.length) return { kind, type: definitionText(ts, alias) };
    return { kind, type: canon.type(checker.getDeclaredTypeOfSymbol(s), 0, true) };
  }
  if (decl && s.flags & ts.SymbolFlags.Value) return { kind, type: canon.type(checker.getTypeOfSymbolAtLocation(s, decl), 0, true) };
  return shape;
}

/** A declaration's source without comments and with whitespace collapsed. */
function definitionText(ts: Ts, d: TsNamespace.Node): string {
  const sf = d.getSourceFile();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, sf.languageVariant, sf.text.slice(d.getStart(sf), d.end));
  const out: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) out.push(scanner.getTokenText());
  return out.join(' ');
}

function shapeText(sh: ApiShape): string {
  return [sh.kind, sh.type ?? '', ...(sh.signatures ?? []), ...Object.entries(sh.members ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`)].join(' ');
}

/** What changed between two shapes, in a few words ("lost member floatSafeRemainder; …"); undefined when nothing did. */
export function describeShapeChange(before: ApiShape, after: ApiShape): string | undefined {
  const out: string[] = [];
  if (before.kind !== after.kind) out.push(`was ${before.kind}, now ${after.kind}`);
  if ((before.type ?? '') !== (after.type ?? '')) out.push(before.kind === 'type' || after.kind === 'type' ? 'definition changed' : 'type changed');
  const sb = [...(before.signatures ?? [])].sort().join('\n');
  const sa = [...(after.signatures ?? [])].sort().join('\n');
  if (sb !== sa) out.push(`${/\bnew\b/.test(sb + sa) ? 'constructor or call' : 'call'} signature changed`);
  const mb = before.members ?? {};
  const ma = after.members ?? {};
  const removed = Object.keys(mb).filter((k) => !(k in ma)).sort();
  const added = Object.keys(ma).filter((k) => !(k in mb)).sort();
  const changed = Object.keys(ma).filter((k) => k in mb && mb[k] !== ma[k]).sort();
  const names = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '');
  if (removed.length) out.push(`lost member${removed.length > 1 ? 's' : ''} ${names(removed)}`);
  if (added.length) out.push(`gained member${added.length > 1 ? 's' : ''} ${names(added)}`);
  if (changed.length) out.push(`member${changed.length > 1 ? 's' : ''} ${names(changed)} changed`);
  return out.length ? out.join('; ') : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Exports of one entry file (by exported name). Undefined when the file is not in the program. */
export function entryExports(ctx: ApiContext, entryRel: string): Map<string, ExportInfo> | undefined {
  const { ts, program } = ctx;
  const sf = program.getSourceFile(path.join(ctx.root, ...entryRel.split('/')));
  if (!sf) return undefined;
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  const out = new Map<string, ExportInfo>();
  if (!moduleSymbol) return out; // not a module (no imports/exports)
  const canon = new Canon(ctx);
  for (const exp of checker.getExportsOfModule(moduleSymbol)) {
    let target = exp;
    if (target.flags & ts.SymbolFlags.Alias) {
      try {
        target = checker.getAliasedSymbol(target);
      } catch {
        // unresolvable alias (a broken re-export): keep the alias itself
      }
    }
    const files = [...new Set((target.declarations ?? []).map((d) => relOf(ctx.root, d.getSourceFile().fileName)))].sort();
    const unresolved = target.flags & ts.SymbolFlags.Alias || (target.declarations ?? []).length === 0;
    // A namespace (`export * as ns`) reaches as far as its members do.
    const isNamespace = !!(target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule));
    const inReach = files.some((f) => f !== '' && ctx.reach.has(f)) || (isNamespace && namespaceInReach(ctx, target));
    out.set(exp.name, { files, ...(unresolved ? { signature: UNRESOLVED } : inReach ? { signature: signatureOf(ctx, target), shape: shapeOf(ctx, canon, target) } : {}) });
  }
  return out;
}

function namespaceInReach(ctx: ApiContext, s: TsNamespace.Symbol): boolean {
  const checker = ctx.program.getTypeChecker();
  return checker.getExportsOfModule(s).some((m) => {
    let t = m;
    try {
      if (t.flags & ctx.ts.SymbolFlags.Alias) t = checker.getAliasedSymbol(t);
    } catch {
      return false;
    }
    return (t.declarations ?? []).some((d) => ctx.reach.has(relOf(ctx.root, d.getSourceFile().fileName)));
  });
}

const MAX_SIG = 300;
const short = (s: string | undefined) => (s === undefined ? undefined : s.length > MAX_SIG ? `${s.slice(0, MAX_SIG - 1)}…` : s);

/** Added, removed and changed exports of one entry point. */
export function diffExports(entry: string, before: Map<string, ExportInfo> | undefined, after: Map<string, ExportInfo> | undefined): PublicApiChange[] {
  const out: PublicApiChange[] = [];
  const b = before ?? new Map<string, ExportInfo>();
  const a = after ?? new Map<string, ExportInfo>();
  for (const [name, info] of a) {
    const old = b.get(name);
    if (old && info.signature === UNRESOLVED && old.signature !== UNRESOLVED) {
      out.push({ entry, name, change: 'removed', ...(old.signature ? { before: short(old.signature) } : {}), after: 'no longer resolves (broken re-export)' });
    } else if (!old) out.push({ entry, name, change: 'added', ...(info.shape ? { kind: info.shape.kind } : {}), ...(info.signature ? { after: short(info.signature) } : {}) });
    else if (old.shape && info.shape) {
      const summary = describeShapeChange(old.shape, info.shape);
      if (summary) out.push({ entry, name, change: 'changed', kind: info.shape.kind, summary, before: short(old.signature)!, after: short(info.signature)! });
    } else if (old.signature !== undefined && info.signature !== undefined && old.signature !== info.signature) {
      out.push({ entry, name, change: 'changed', before: short(old.signature)!, after: short(info.signature)! });
    } else if ((old.signature === undefined) !== (info.signature === undefined) && old.files.join() !== info.files.join()) {
      out.push({ entry, name, change: 'changed', before: `declared in ${old.files.join(', ')}`, after: `declared in ${info.files.join(', ')}` });
    }
  }
  for (const [name, info] of b) if (!a.has(name)) out.push({ entry, name, change: 'removed', ...(info.shape ? { kind: info.shape.kind } : {}), ...(info.signature ? { before: short(info.signature) } : {}) });
  return out.sort((x, y) => x.name.localeCompare(y.name));
}
