import { describe, expect, it } from 'vitest';
import { countTokens as bpeCount } from 'gpt-tokenizer';
import { classifyTask, classifyTaskDetailed } from './classify';
import { countRequestTokens } from './tokens';

const TRACE = [
  "TypeError: Cannot read properties of undefined (reading 'name')",
  '    at parseUser (/app/src/users/parse.ts:12:19)',
  '    at async main (/app/src/index.ts:3:1)',
].join('\n');

describe('classifyTask', () => {
  it.each([
    ['Why does parseConfig return undefined for an empty string?', { selection: 'function parseConfig(s) {}' }, 'explain', false],
    ['Explain this function', { selection: 'const x = 1;' }, 'explain', false],
    ['what is going on here', { selection: TRACE }, 'debug', true],
    ['The app crashes on startup', {}, 'debug', true],
    ['Fix the off-by-one in this loop', { files: [{ path: 'a.ts', text: 'for (let i = 0; i <= n; i++) {}' }] }, 'fix', false],
    ['fix the failing test in parser.test.ts', { files: [{ path: 'parser.test.ts', text: 'it()' }] }, 'fix', false],
    ['Write unit tests for the parser', { files: [{ path: 'parser.ts', text: 'export {}' }] }, 'generate-tests', true],
    ['add tests covering the empty input case', {}, 'generate-tests', true],
    ['Extract the validation into its own function', { selection: 'if (!x) throw 1;' }, 'refactor', false],
    ['make this faster', { selection: 'a.map(f).filter(g)' }, 'refactor', false],
    ['Rename Foo to Bar across the project', {}, 'refactor', true],
  ] as const)('%s → %s', async (text, context, kind, needsTools) => {
    const p = await classifyTask(text, context);
    expect(p.kind).toBe(kind);
    expect(p.needsTools).toBe(needsTools);
    expect(p.urgency).toBe('interactive');
  });

  it('counts the context with the BPE tokenizer: request, selection, files and extra tokens', async () => {
    const files = [{ path: 'a.ts', text: 'export function add(a: number, b: number) { return a + b; }\n'.repeat(50) }];
    const p = await classifyTask('Fix add', { selection: 'return a + b;', files, extraTokens: 100 });
    expect(p.contextTokens).toBe(bpeCount('Fix add') + bpeCount('return a + b;') + bpeCount(files[0]!.text) + 100);
    expect(p.contextTokens).toBeGreaterThan(500);
  });

  it('says why, and detects a stack trace in the files as well as in the text', async () => {
    const c = await classifyTaskDetailed('look at this log', { files: [{ path: 'log.txt', text: TRACE }] });
    expect(c.stackTrace).toBe(true);
    expect(c.profile.kind).toBe('debug');
    expect(c.scope).toBe('files');
    expect(c.reasons[0]).toBe('debug: the request carries a stack trace');
    expect(c.reasons).toContain('needs tools: debugging means searching the code');
  });

  it('recognizes a Python traceback and a Java frame', async () => {
    expect((await classifyTask('help', { selection: 'Traceback (most recent call last):\n  File "a.py", line 3' })).kind).toBe('debug');
    expect((await classifyTask('help', { selection: 'java.lang.NullPointerException\n\tat com.acme.Parser.parse(Parser.java:42)' })).kind).toBe('debug');
  });

  it('urgency: background when the request says so or the caller sets it', async () => {
    expect((await classifyTask('Refactor the parser, no rush', {})).urgency).toBe('background');
    expect((await classifyTask('Refactor the parser', { urgency: 'background' })).urgency).toBe('background');
  });

  it('counts a request: system, messages, tool calls and tool schemas', async () => {
    const tools = [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
    const n = await countRequestTokens({ system: 'You are careful.', messages: [{ role: 'user', content: 'Hello there' }], tools });
    expect(n).toBe(bpeCount('You are careful.') + 4 + bpeCount('Hello there') + bpeCount(JSON.stringify(tools)));
  });
});
