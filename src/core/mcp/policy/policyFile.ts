// "Always" answers become an allow rule for exactly (server, tool) in `.rusty/policy.json`.
// jsonc-parser's modify/applyEdits edit only the bytes that change, so the user's comments,
// ordering and formatting survive; the file is replaced atomically (temp + rename).
import * as fs from 'node:fs';
import { applyEdits, createScanner, modify, parseTree, findNodeAtLocation, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import { writeFileDurable } from '../../util/fsx';
import { policyFilePath } from './load';
import { escapeGlob } from './rules';
import type { PolicyRule } from '../types';

/** Indentation as the file already uses it (first indented line), else two spaces. */
function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /^([ \t]+)\S/m.exec(text);
  const indent = m?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

function stringAt(root: Node, p: (string | number)[]): string | undefined {
  const n = findNodeAtLocation(root, p);
  return n?.type === 'string' ? (n.value as string) : undefined;
}

// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read: its values.
const COMMA_TOKEN = 5;
const TRIVIA = new Set<number>([12, 13, 14, 15]); // line comment, block comment, line break, spaces

/** One rule per line, the way people write them by hand. */
function ruleText(rule: PolicyRule): string {
  return `{"server": ${JSON.stringify(rule.server)}, "tool": ${JSON.stringify(rule.tool)}, "decision": "${rule.decision}"}`;
}

/**
 * jsonc-parser's own array insertion re-indents the previous element; this inserts the rule
 * after the last one, on its own line at the same indentation, touching nothing else. A trailing
 * comma after the last element is reused.
 */
function appendAfterLast(text: string, last: Node, rule: PolicyRule, eol: string): string {
  let at = last.offset + last.length;
  const scanner = createScanner(text, false);
  scanner.setPosition(at);
  let token = scanner.scan();
  while (TRIVIA.has(token)) token = scanner.scan();
  const hasTrailingComma = token === COMMA_TOKEN;
  if (hasTrailingComma) at = scanner.getTokenOffset() + 1;
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const before = text.slice(lineStart, last.offset);
  const separator = /^[ \t]*$/.test(before) ? `${eol}${before}` : ' ';
  return `${text.slice(0, at)}${hasTrailingComma ? '' : ','}${separator}${ruleText(rule)}${text.slice(at)}`;
}

/**
 * Writes `{server, tool, decision: "allow"}` (names escaped so they match literally). An existing
 * rule for exactly that pair has its decision changed instead of gaining a twin. Throws a
 * precise Error when the file exists but is not a JSON object (it is never overwritten then).
 * Returns the file written.
 */
export function writeAllowRule(workspace: string, server: string, tool: string): string {
  const file = policyFilePath(workspace);
  const rule: PolicyRule = { server: escapeGlob(server), tool: escapeGlob(tool), decision: 'allow' };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file} to add an allow rule: ${(err as Error).message}`);
    text = '';
  }
  if (text.trim() === '') {
    writeFileDurable(file, `${JSON.stringify({ rules: [rule] }, null, 2)}\n`);
    return file;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    throw new Error(`Cannot add an allow rule to ${file}: ${e ? `${printParseErrorCode(e.error)} at offset ${e.offset}` : 'not JSON'}. Fix the file first.`);
  }
  if (root.type !== 'object') throw new Error(`Cannot add an allow rule to ${file}: the file must be a JSON object with a "rules" array (it is a ${root.type}).`);
  const rulesNode = findNodeAtLocation(root, ['rules']);
  if (rulesNode && rulesNode.type !== 'array') throw new Error(`Cannot add an allow rule to ${file}: "rules" must be an array (it is a ${rulesNode.type}).`);

  const formattingOptions = detectFormatting(text);
  let edits;
  const existing = (rulesNode?.children ?? []).findIndex(
    (_, i) => stringAt(root, ['rules', i, 'server']) === rule.server && stringAt(root, ['rules', i, 'tool']) === rule.tool,
  );
  if (existing >= 0) edits = modify(text, ['rules', existing, 'decision'], 'allow', { formattingOptions });
  else if (rulesNode?.children?.length) {
    writeFileDurable(file, appendAfterLast(text, rulesNode.children[rulesNode.children.length - 1]!, rule, formattingOptions.eol ?? '\n'));
    return file;
  } else if (rulesNode) edits = modify(text, ['rules', 0], rule, { formattingOptions, isArrayInsertion: true });
  else edits = modify(text, ['rules'], [rule], { formattingOptions });
  writeFileDurable(file, applyEdits(text, edits));
  return file;
}
