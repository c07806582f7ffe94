// Is a new name usable for a symbol? TypeScript's own scanner rules (isIdentifierText with the
// file's language version) plus the words JavaScript and TypeScript reserve.
import type { ts } from 'ts-morph';

/** What kind of symbol is being named; decides which reserved words matter. */
export type NameRole = 'binding' | 'type' | 'member' | 'private';

/** Names a class, interface, type alias, enum or type parameter cannot have (TS2414, TS2457, …). */
const PREDEFINED_TYPE_NAMES = new Set(['any', 'unknown', 'never', 'number', 'bigint', 'boolean', 'string', 'symbol', 'object', 'void', 'undefined']);
/** Names a binding cannot have in strict code (every module and class body is strict). */
const STRICT_BINDING_NAMES = new Set(['arguments', 'eval']);

interface TsInternals {
  isIdentifierText?: (name: string, languageVersion: ts.ScriptTarget | undefined, identifierVariant?: ts.LanguageVariant) => boolean;
}

function isIdentifierText(tsApi: typeof ts, name: string, version: ts.ScriptTarget, variant: ts.LanguageVariant): boolean {
  const internal = (tsApi as unknown as TsInternals).isIdentifierText;
  if (internal) return internal(name, version, variant);
  // Fallback with the public scanner predicates (same rule).
  const first = name.codePointAt(0);
  if (first === undefined || !tsApi.isIdentifierStart(first, version)) return false;
  for (let i = first > 0xffff ? 2 : 1; i < name.length;) {
    const cp = name.codePointAt(i) ?? 0;
    if (!tsApi.isIdentifierPart(cp, version, variant)) return false;
    i += cp > 0xffff ? 2 : 1;
  }
  return true;
}

/** Undefined when `name` can be used; otherwise why not (one sentence). */
export function nameProblem(tsApi: typeof ts, name: string, role: NameRole, sf: ts.SourceFile): string | undefined {
  const version = sf.languageVersion;
  const target = tsApi.ScriptTarget[version] ?? String(version);
  if (name.length === 0) return 'The new name is empty.';
  if (role === 'private') {
    if (!name.startsWith('#')) return `\`${name}\` must start with # (the symbol is a private class member).`;
    if (!isIdentifierText(tsApi, name.slice(1), version, sf.languageVariant)) return `\`${name}\` is not a valid private name: after # it must be an identifier (${target}).`;
    return undefined;
  }
  if (name.startsWith('#')) return `\`${name}\` is a private name; only private class members (#name) can be renamed to one.`;
  if (!isIdentifierText(tsApi, name, version, sf.languageVariant)) {
    return `\`${name}\` is not a valid identifier (${target}): it must start with a letter, $ or _ and contain only letters, digits, $ and _.`;
  }
  const token = tsApi.identifierToKeywordKind(tsApi.factory.createIdentifier(name));
  const S = tsApi.SyntaxKind;
  const reserved = token !== undefined && token >= S.FirstReservedWord && token <= S.LastReservedWord;
  const strictReserved = token !== undefined && token >= S.FirstFutureReservedWord && token <= S.LastFutureReservedWord;
  if (role === 'member') {
    // Property names may be any identifier name (obj.class is fine), but not these two.
    if (name === 'constructor') return '`constructor` is the name of the class constructor; a member cannot be renamed to it.';
    return undefined;
  }
  if (reserved) return `\`${name}\` is a reserved word in JavaScript and cannot be used as a name.`;
  if (strictReserved) return `\`${name}\` is reserved in strict mode (modules and classes are strict) and cannot be used as a name.`;
  if (name === 'await') return '`await` is reserved in modules and async functions and cannot be used as a name.';
  if (STRICT_BINDING_NAMES.has(name)) return `\`${name}\` cannot be declared in strict mode (modules and classes are strict).`;
  if (role === 'type' && PREDEFINED_TYPE_NAMES.has(name)) return `\`${name}\` is a built-in type name; a class, interface, type alias, enum or type parameter cannot be called that.`;
  return undefined;
}

/** The role of a symbol for naming rules, from the language service's element kind. */
export function roleOfKind(tsApi: typeof ts, kind: string, oldName: string): NameRole {
  if (oldName.startsWith('#')) return 'private';
  const K = tsApi.ScriptElementKind;
  const members: string[] = [K.memberVariableElement, K.memberFunctionElement, K.memberGetAccessorElement, K.memberSetAccessorElement, K.memberAccessorVariableElement, K.enumMemberElement];
  if (members.includes(kind)) return 'member';
  const types: string[] = [K.classElement, K.localClassElement, K.interfaceElement, K.typeElement, K.enumElement, K.typeParameterElement, K.alias];
  if (types.includes(kind)) return 'type';
  return 'binding';
}
