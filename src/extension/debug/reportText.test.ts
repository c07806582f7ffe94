import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { DebugReport } from '../../core/debug/analyze';
import type { TestRunRecord } from '../../core/testgen/run';
import { mdText, orderedFrames, reportMarkdown, testRunSummary } from './reportText';

const REPORT: DebugReport = {
  errorName: 'TypeError',
  message: "Cannot read properties of undefined (reading '<img src=x onerror=alert(1)>') [x](command:evil) \u202Egnp.exe",
  kind: 'missing-await',
  frames: [
    { fn: 'ModuleJob.run', location: 'node:internal/modules/esm/module_job', line: 271, column: 25, format: 'v8', raw: '', origin: 'runtime' },
    { fn: 'greet', location: '/ws/src/user.mjs', file: 'src/user.mjs', line: 7, column: 29, format: 'v8', raw: '', origin: 'workspace',
      excerpt: [{ line: 6, text: '  const user = loadUser(id);' }, { line: 7, text: '  return `hello ${user.name.toUpperCase()}` + ```;' }],
      diagnostics: [{ code: 2339, message: "Property 'name' does not exist on type 'Promise<{ name: string; }>'." }] },
    { fn: 'dep', location: '/ws/node_modules/x/index.js', line: 1, format: 'v8', raw: '', origin: 'dependency' },
  ],
};
REPORT.focus = REPORT.frames[1];

describe('the debug report as markdown', () => {
  it('puts your frames first, with a link to the line, the excerpt in a longer fence, and the diagnostics', () => {
    expect(orderedFrames(REPORT).map((f) => f.origin)).toEqual(['workspace', 'runtime', 'dependency']);
    const md = reportMarkdown(REPORT, '/ws', { from: 'the clipboard', proposalId: 'p-1' });
    expect(md).toContain('## Your code \\(1 frame\\)');
    expect(md).toContain('### 1. greet — [src/user\\.mjs\\:7\\:29](<file:///ws/src/user.mjs#L7,29>) · where it fails');
    expect(md).toContain('````\n  6 |   const user = loadUser(id);\n> 7 |   return `hello ${user.name.toUpperCase()}` + ```;\n````');
    expect(md).toContain("- TS2339: Property \\'name\\' does not exist");
    expect(md.indexOf('## Your code')).toBeLessThan(md.indexOf('## Dependencies and runtime \\(2\\)'));
    expect(md).toContain('- ModuleJob\\.run · node\\:internal/modules/esm/module\\_job\\:271\\:25 \\(runtime\\)');
  });

  it('escapes untrusted text: no raw HTML, no links, hidden characters visible', () => {
    const md = reportMarkdown(REPORT, '/ws', { from: 'the clipboard' });
    const title = md.split('\n')[0]!;
    // Rendered by a real markdown parser: text only, no element or link from the trace.
    const html = marked.parse(md, { async: false });
    expect(html).not.toMatch(/<img|href="command:/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<a href="file:///ws/src/user.mjs#L7,29">src/user.mjs:7:29</a>');
    expect(title).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(title).toContain('\\[x\\]\\(command\\:evil\\)');
    expect(title).toContain('\\<U\\+202E\\>gnp\\.exe');
    expect(md).toContain('## No fix proposed');
    expect(mdText('a\nb')).toBe('a\\<U\\+000A\\>b');
  });

  it('names the queued fix, never one that is not there', () => {
    const fixed: DebugReport = { ...REPORT, fix: { description: "Add 'await' to initializer for 'user'", fixName: 'addMissingAwaitToInitializer', diagnostic: { code: 2339, message: '' }, changeSet: { title: 't', source: 'debug:ts-codefix', edits: [] } } };
    const md = reportMarkdown(fixed, '/ws', { from: 'x', proposalId: 'abc123', existing: false });
    expect(md).toContain("## Fix proposed\n\nTypeScript's code fix \\(addMissingAwaitToInitializer\\): Add \\'await\\' to initializer for \\'user\\' — for TS2339 at src/user\\.mjs\\:7\\:29.");
    expect(md).toContain('Queued as proposal abc123');
    expect(reportMarkdown(fixed, '/ws', { from: 'x' })).toContain('## No fix proposed');
  });

  it('shows the failing test without and with the fix (escaped), or why it was not run', () => {
    const run = (status: TestRunRecord['status'], passed: number, failed: number): TestRunRecord => ({ framework: 'vitest', status, passed, failed, todo: 0, skipped: 0, ms: 1, at: '', test: 'greets <b>ada</b>' });
    const tr: TestRunRecord = { ...run('passed', 1, 0), before: run('failed', 0, 1), after: run('passed', 1, 0) };
    const withFix: DebugReport = { ...REPORT, fix: { description: "Add 'await'", fixName: 'addMissingAwaitToInitializer', diagnostic: { code: 2339, message: 'x' }, changeSet: { title: 't', rationale: 'r', source: 'debug:ts-codefix', edits: [] } } };
    const md = reportMarkdown(withFix, '/ws', { from: 'the clipboard', proposalId: 'p-1', testRun: tr });
    expect(md).toContain('### Failing test\n\ngreets \\<b\\>ada\\</b\\> · run with vitest on copies of the workspace:\n\n- without the fix: failed \\(0 passed, 1 failed\\)\n- with the fix: passed \\(1 passed, 0 failed\\)');
    expect(marked.parse(md, { async: false })).not.toContain('<b>');
    expect(testRunSummary(tr)).toBe('"greets <b>ada</b>": without the fix failed (0 passed, 1 failed), with the fix passed (1 passed, 0 failed)');
    const notRun = { ...run('not-run', 0, 0), reason: 'unsaved changes in src/a.ts' };
    expect(reportMarkdown(withFix, '/ws', { from: 'x', proposalId: 'p-1', testRun: notRun })).toContain('- not run \\(unsaved changes in src/a\\.ts\\)');
  });
});
