// Input-box validation for the refactoring commands: quick, local checks a person sees while
// typing. The engines check again with TypeScript (collisions, scope rules) and refuse with a
// reason; these only catch what is wrong on its face. Pure, unit-tested in Node.

const IDENTIFIER = /^#?[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** Words no binding may use (ES reserved words, strict-mode and TypeScript type names included). */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
]);

/** Why `name` cannot be an identifier, or undefined when it can (`current` is the name being replaced). */
export function identifierProblem(name: string, current?: string): string | undefined {
  if (!name) return 'Type a name.';
  if (name !== name.trim()) return 'A name cannot start or end with spaces.';
  if (name.startsWith('#') && !current?.startsWith('#')) return 'Only a private class member (#name) can have a name starting with #.';
  if (!name.startsWith('#') && current?.startsWith('#')) return 'A private class member keeps its # prefix.';
  if (!IDENTIFIER.test(name)) {
    if (/^[0-9]/.test(name)) return `\`${name}\` starts with a digit; a name must start with a letter, $ or _.`;
    const bad = [...name].find((ch, i) => !(i === 0 && ch === '#') && !/[\p{ID_Continue}$\u200c\u200d]/u.test(ch));
    return `\`${name}\` is not a valid identifier${bad ? ` (it contains ${JSON.stringify(bad)})` : ''}.`;
  }
  if (RESERVED.has(name)) return `\`${name}\` is a reserved word.`;
  if (current !== undefined && name === current) return `The name is already \`${current}\`.`;
  return undefined;
}

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;

/** Why `target` (workspace-relative, '/' separators) cannot be where `from` moves to, or undefined. */
export function moveTargetProblem(from: string, target: string): string | undefined {
  const t = normalizeTarget(target);
  if (!t) return 'Type the new path, relative to the workspace folder (e.g. src/util/strings.ts).';
  if (/^(?:[a-zA-Z]:)?[\\/]/.test(target.trim())) return 'Give a path relative to the workspace folder, not an absolute one.';
  if (t.split('/').some((s) => s === '..')) return 'The new path must stay inside the workspace folder (no "..").';
  if (t.endsWith('/')) return 'The new path must name a file, not a folder.';
  if (!SOURCE_EXTENSION.test(t)) return 'The new path must end in a TypeScript or JavaScript extension (.ts, .tsx, .js, …).';
  if (t === from) return 'That is where the file already is.';
  return undefined;
}

/** `./src\\x.ts ` → `src/x.ts`. */
export function normalizeTarget(target: string): string {
  return target.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/{2,}/g, '/');
}

/**
 * The exported name declared on a line of source, for "Remove Unused Export" when the cursor is
 * on the `export` keyword rather than on the name.
 */
export function exportedNameOnLine(line: string): string | undefined {
  const m = /^\s*export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|const|let|var|interface|type|enum|namespace|module)\s+([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)/u.exec(line);
  return m?.[1];
}
