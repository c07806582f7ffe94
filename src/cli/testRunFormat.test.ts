// `rusty show`'s test-run lines for a generated test filled by a model in VS Code: each filled
// case with its result, todos counted apart, the unsaved files the run used; untrusted text escaped.
import { describe, expect, it } from 'vitest';
import { testRunShowLines } from './testRunFormat';

describe('rusty show: a filled test run', () => {
  it('lists the filled cases, the todos apart and the unsaved files, escaped', () => {
    const lines = testRunShowLines({
      framework: 'node:test', status: 'failed', passed: 2, failed: 1, todo: 2, skipped: 0, ms: 900, at: '2026-12-03T19:00:00.000Z',
      filled: [{ title: 'area(1)', status: 'passed' }, { title: 'area(-1)\u001b[2J\u202E', status: 'failed' }, { title: 'area(0)', status: 'todo' }, { title: 'area(NaN)', status: 'todo' }],
      unsaved: ['src/area.mjs'],
    });
    expect(lines[1]).toBe('  result: FAILED — 2 passed, 1 failed, 2 todo');
    expect(lines).toContain('  ran on unsaved editor text of src/area.mjs (laid over the copy; not saved)');
    expect(lines).toContain('  filled by the model: passed — area(1)');
    expect(lines.find((l) => l.includes('FAILED — area(-1)'))).toBeDefined();
    expect(lines).toContain('  left todo: 2 cases');
    expect(lines.join('\n').includes('\u001b') || lines.join('\n').includes('\u202E')).toBe(false);
  });
});
