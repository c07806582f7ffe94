// The exports of an entry point and a signature for each, as the type checker sees them (through
// re-exports and barrels). Comparing the maps before and after a change gives the public API
// changes. Signatures are printed only for exports declared in files the change can reach; the
// others are compared by name (their types cannot have changed).
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { PublicApiChange } from './types';

type Ts = typeof TsNamespace;

export interface ExportInfo {
  /** Declaring files (workspace-relative; '' outside the workspace). */
  files: string[];
  /** Kind + type text; undefined when not computed (declared outside the reach of the change). */
  signature?: string;
}

export interface ApiContext {
  ts: Ts;
  program: TsNamespace.Program;
  root: string;
  /** Files whose exports' signatures are worth printing (changed files and their dependents). */
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
    const inReach = files.some((f) => f !== '' && ctx.reach.has(f));
    out.set(exp.name, { files, ...(unresolved ? { signature: UNRESOLVED } : inReach ? { signature: signatureOf(ctx, target) } : {}) });
  }
  return out;
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
    } else if (!old) out.push({ entry, name, change: 'added', ...(info.signature ? { after: short(info.signature) } : {}) });
    else if (old.signature !== undefined && info.signature !== undefined && old.signature !== info.signature) {
      out.push({ entry, name, change: 'changed', before: short(old.signature)!, after: short(info.signature)! });
    } else if ((old.signature === undefined) !== (info.signature === undefined) && old.files.join() !== info.files.join()) {
      out.push({ entry, name, change: 'changed', before: `declared in ${old.files.join(', ')}`, after: `declared in ${info.files.join(', ')}` });
    }
  }
  for (const [name, info] of b) if (!a.has(name)) out.push({ entry, name, change: 'removed', ...(info.signature ? { before: short(info.signature) } : {}) });
  return out.sort((x, y) => x.name.localeCompare(y.name));
}
