import { describe, expect, it } from 'vitest';
import { describeProperties, parseArguments, placeholderFor, skeletonFor } from './schemaSkeleton';

describe('skeletonFor', () => {
  it('fills required properties with typed placeholders and optional ones only when they have a default', () => {
    const schema = {
      type: 'object',
      properties: {
        message: { type: 'string' },
        count: { type: 'integer', minimum: 1 },
        flag: { type: 'boolean' },
        mode: { enum: ['fast', 'slow'] },
        tags: { type: 'array' },
        nested: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] },
        optional: { type: 'string' },
        withDefault: { type: 'number', default: 5 },
        nullable: { type: ['null', 'string'] },
      },
      required: ['message', 'count', 'flag', 'mode', 'tags', 'nested', 'nullable'],
    };
    expect(skeletonFor(schema)).toEqual({ message: '', count: 1, flag: false, mode: 'fast', tags: [], nested: { id: 0 }, withDefault: 5, nullable: '' });
  });

  it('copes with schemas that are not objects or have no properties', () => {
    expect(skeletonFor(undefined)).toEqual({});
    expect(skeletonFor({ type: 'object' })).toEqual({});
    expect(skeletonFor([1])).toEqual({});
    expect(placeholderFor({ anyOf: [{ type: 'null' }, { type: 'number' }] })).toBe(0);
    expect(placeholderFor({})).toBeNull();
  });

  it('stops on self-referencing depth', () => {
    const deep: Record<string, unknown> = { type: 'object', properties: {}, required: ['x'] };
    (deep.properties as Record<string, unknown>).x = deep;
    expect(() => skeletonFor(deep)).not.toThrow();
  });
});

describe('describeProperties', () => {
  it('one line per property with type, required and the first line of its description', () => {
    expect(describeProperties({
      type: 'object',
      properties: { message: { type: 'string', description: 'Message to echo\nmore' }, level: { enum: ['a', 'b'] } },
      required: ['message'],
    })).toEqual(['message: string (required) — Message to echo', 'level: "a" | "b"']);
    expect(describeProperties({ type: 'object' })).toEqual([]);
  });
});

describe('parseArguments', () => {
  it('accepts a JSON object (empty text is {})', () => {
    expect(parseArguments('{"a":1}')).toEqual({ ok: true, args: { a: 1 } });
    expect(parseArguments('  ')).toEqual({ ok: true, args: {} });
  });

  it('explains bad JSON and non-objects', () => {
    const bad = parseArguments('{"a":');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Not valid JSON: .*Type the arguments as a JSON object/);
    expect(parseArguments('[1]')).toEqual({ ok: false, message: 'The arguments must be a JSON object ({…}), not an array.' });
    expect(parseArguments('"x"')).toEqual({ ok: false, message: 'The arguments must be a JSON object ({…}), not "x".' });
    expect(parseArguments('null')).toEqual({ ok: false, message: 'The arguments must be a JSON object ({…}), not null.' });
  });
});
