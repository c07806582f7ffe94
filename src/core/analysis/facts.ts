// What one file says about itself, from its syntax tree alone: its imports (and which exported
// names each one uses), its exports and re-exports, its functions' size and complexity, and its
// parse errors. Depends only on the file's own text, so it is cached by content hash (cache.ts)
// and the module graph, unused exports and public API are built from these facts without the
// type checker. Plain JSON, so the cache can live on disk.
import type { ts as TsNamespace } from 'ts-morph';
import { measureFunctions, type FunctionMetric } from './complexity';
import { DeclarationReader, type Declared } from './declarations';
import { toDiagnosticEntry } from './diagnostics';
import { countLines } from './syntax';
import { linkTypeRefs } from './typeRefs';
import type { DiagnosticEntry, ExportKind } from './types';
import { UseWalker, type Uses } from './uses';

type Ts = typeof TsNamespace;

/** Bump when the facts' shape or meaning changes: cached facts from older versions are ignored. */
export const FACTS_VERSION = 5; // 4: @beta and @alias opt an export out, like @public; 5: unnamed functions named by container and line

export interface ImportFact {
  spec: string;
  line: number;
  /** Erased at runtime (`import type`, `export type … from`, all specifiers `type`, `import('x').T` in a type, `/// <reference>`). */
  typeOnly: boolean;
  /** `import()`: loaded later, so it takes no part in the importing module's initialisation. */
  dynamic?: boolean;
  /** `require()` or `import x = require()`: resolved as CommonJS. */
  cjs?: boolean;
  /** Exported names of the target this file uses ('default' for a default import). */
  names: string[];
  /** Uses every export of the target (a namespace passed around whole, an undestructured `import()`/`require()`). */
  all?: boolean;
  /** `/// <reference path="…">`: `spec` is a path relative to the file. */
  reference?: boolean;
  /**
   * A static import whose bindings are all used in type positions only: TypeScript elides it from
   * the output (unless `verbatimModuleSyntax`), so at runtime the module is not loaded from here.
   */
  typeUseOnly?: boolean;
}

export interface ExportFact {
  name: string;
  line: number;
  kind: ExportKind;
  typeOnly: boolean;
  /** Tagged `@public` in its JSDoc: never reported as unused. */
  isPublic?: boolean;
  /**
   * Other exports of this file that this (value) export names in its type — parameter, return or
   * annotation types, `typeof x`: whoever uses this export needs those to be exported too.
   */
  typeRefs?: string[];
}

export interface ReExportFact {
  spec: string;
  line: number;
  typeOnly: boolean;
  /** The target's export name; '*' for `export *` and `export * as ns`. */
  from: string;
  /** This file's export name; '*' for `export * from` (every name but default). */
  as: string;
}

export interface FileFacts {
  v: number;
  /** Has imports or exports (an ES module); otherwise a script whose declarations are global. */
  isModule: boolean;
  /** Changes what other files see without being imported: a script, `declare global`, `declare module '…'`. */
  global: boolean;
  lines: number;
  imports: ImportFact[];
  exports: ExportFact[];
  reExports: ReExportFact[];
  functions: FunctionMetric[];
  /** Parse errors, without the file name (the facts are shared by files with identical content). */
  syntactic: Omit<DiagnosticEntry, 'file'>[];
}

const JS_FILE = /\.[cm]?jsx?$/i;

export function extractFacts(ts: Ts, sf: TsNamespace.SourceFile): FileFacts {
  const text = sf.text;
  const isJs = JS_FILE.test(sf.fileName);
  const reader = new DeclarationReader(ts, sf);
  const d = reader.read();
  // Code needs walking when something imported may be used in it, or it may import dynamically.
  const needsWalk = d.namespaces.size > 0 || d.named.size > 0 || /\bimport\s*\(|\brequire\s*\(/.test(text) || (isJs && /\bexports\b/.test(text));
  const uses = needsWalk ? new UseWalker(ts, sf, d).walk() : undefined;
  const imports = [...d.imports, ...(uses?.imports ?? [])];
  if (uses) {
    imports.push(...namespaceImports(d, uses));
    markTypeUseOnly(d, uses);
    dropReExportOnlyNames(d, uses, imports);
    for (const e of uses.cjsExports) reader.addExport(e.name, e.node, e.kind, false, e.node);
  }
  if (d.exports.size > 1) linkTypeRefs(ts, sf, d.exports);
  // `/// <reference path>` ties files together without an import (resolved as a path, not a module).
  for (const r of sf.referencedFiles) imports.push({ spec: r.fileName, line: sf.getLineAndCharacterOfPosition(r.pos).line + 1, typeOnly: true, reference: true, names: [] });

  const isModule = imports.some((i) => !i.dynamic && !i.cjs) || d.exports.size > 0 || d.reExports.length > 0
    || (sf as { externalModuleIndicator?: unknown }).externalModuleIndicator !== undefined || !!uses?.cjsExports.length || (isJs && /\brequire\s*\(/.test(text));
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: TsNamespace.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return {
    v: FACTS_VERSION,
    isModule,
    global: d.global || !isModule,
    lines: countLines(sf),
    imports,
    exports: [...d.exports.values()],
    reExports: d.reExports,
    functions: uses?.functions ?? measureFunctions(ts, sf),
    syntactic: parseDiagnostics.map((diag) => {
      const { file: _file, ...rest } = toDiagnosticEntry(ts, diag, null);
      return rest;
    }),
  };
}

/** A namespace import uses the members read from it, or everything when it is used whole. */
function namespaceImports(d: Declared, uses: Uses): ImportFact[] {
  const out: ImportFact[] = [];
  for (const [local, b] of d.namespaces) {
    const whole = uses.wholeNamespaces.has(local);
    const used = uses.members.get(local);
    if (d.reExportedBindings.has(local) && !whole && !used) continue; // only re-exported: the barrel's users decide
    out.push({
      spec: b.spec, line: b.line, typeOnly: b.typeOnly, ...(b.cjs ? { cjs: true } : {}),
      names: whole ? [] : [...(used ?? [])], ...(whole ? { all: true } : {}),
      ...(!b.cjs && !uses.valueUsed.has(local) ? { typeUseOnly: true } : {}),
    });
  }
  return out;
}

/** An import none of whose names is used as a value is erased from the output. */
function markTypeUseOnly(d: Declared, uses: Uses): void {
  for (const [fact, locals] of d.bindingsOf) {
    if (locals.length && !locals.some((l) => uses.valueUsed.has(l) || d.reExportedBindings.has(l))) fact.typeUseOnly = true;
  }
}

/** A named import that only feeds `export { x }` is not a use: the re-export's users decide. */
function dropReExportOnlyNames(d: Declared, uses: Uses, imports: ImportFact[]): void {
  for (const fact of imports) {
    if (fact.dynamic || fact.cjs || fact.all) continue;
    const drop = new Set<string>();
    for (const [local, b] of d.named) {
      if (b.spec === fact.spec && d.reExportedBindings.has(local) && !uses.usedLocally.has(local)) drop.add(b.name);
    }
    if (drop.size) fact.names = fact.names.filter((n) => !drop.has(n));
  }
}
