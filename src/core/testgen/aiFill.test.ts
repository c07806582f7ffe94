// The case bookkeeping of `gen-tests --ai`: which todo cases of a skeleton the model filled, left
// todo or dropped, on the three todo forms generate.ts writes.
import { describe, expect, it } from 'vitest';
import { caseStates, todoCases } from './aiFill';

describe('gen-tests --ai case states', () => {
  it('reads the todo forms of node:test, jest/vitest and mocha, with escaped quotes', () => {
    const skeleton = [
      "test('a(0)', { todo: true });",
      "  it.todo('it\\'s empty');",
      "  it('b(1)');",
      "  it('is exported as a function', () => {",
      "    assert.equal(typeof b, 'function');",
      '  });',
    ].join('\n');
    expect(todoCases(skeleton).map((c) => c.title)).toEqual(['a(0)', "it's empty", 'b(1)']);
  });

  it('filled when the todo line is gone and the title kept; todo when unchanged; dropped when the title is gone', () => {
    const skeleton = "test('a(0)', { todo: true });\ntest('a(1)', { todo: true });\ntest('a(2)', { todo: true });\n";
    const filled = "test('a(0)', () => {\n  assert.equal(a(0), 0);\n});\ntest('a(1)', { todo: true });\n";
    expect(caseStates(skeleton, filled)).toEqual([
      { title: 'a(0)', state: 'filled' }, { title: 'a(1)', state: 'todo' }, { title: 'a(2)', state: 'dropped' },
    ]);
  });
});
