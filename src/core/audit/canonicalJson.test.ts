import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonicalJson';

describe('canonicalJson', () => {
  it('sorts keys recursively and uses no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('follows JSON.stringify for undefined, non-finite numbers and toJSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, NaN, Infinity], c: new Date(0) }))
      .toBe('{"b":[null,null,null],"c":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('é\n"')).toBe(JSON.stringify('é\n"'));
  });

  it('does not depend on key insertion order and parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      const reparsed: unknown = JSON.parse(text);
      expect(canonicalJson(reparsed)).toBe(text);
      // Same data, keys inserted in reverse order.
      const reversed = JSON.parse(text, (_k, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v) as unknown;
      expect(canonicalJson(reversed)).toBe(text);
    }));
  });
});
