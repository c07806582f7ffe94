import { describe, expect, it } from 'vitest';
import { locateJsonPath, parseJsonPath } from './jsonPath';

describe('parseJsonPath', () => {
  it('reads the config readers\' paths', () => {
    expect(parseJsonPath('servers.github.args[0]')).toEqual(['servers', 'github', 'args', 0]);
    expect(parseJsonPath('mcpServers["my.server"].command')).toEqual(['mcpServers', 'my.server', 'command']);
    expect(parseJsonPath('servers["a\\"]b"]')).toEqual(['servers', 'a"]b']);
    expect(parseJsonPath('')).toEqual([]);
  });

  it('refuses what is not a path', () => {
    expect(parseJsonPath('servers.')).toBeUndefined();
    expect(parseJsonPath('servers[')).toBeUndefined();
    expect(parseJsonPath('servers[true]')).toBeUndefined();
  });
});

describe('locateJsonPath', () => {
  const text = `{
  // comment
  "servers": {
    "github": { "command": 42, "args": ["a", "b"] },
  }
}`;

  it('selects the property (key and value) at the path', () => {
    const at = locateJsonPath(text, 'servers.github.command')!;
    expect(text.slice(at.offset, at.offset + at.length)).toBe('"command": 42');
    const arg = locateJsonPath(text, 'servers.github.args[1]')!;
    expect(text.slice(arg.offset, arg.offset + arg.length)).toBe('"b"');
  });

  it('falls back to the closest existing parent (the missing key is often the problem)', () => {
    const at = locateJsonPath(text, 'servers.github.url')!;
    expect(text.slice(at.offset, at.offset + at.length)).toMatch(/^"github": \{/);
  });

  it('nothing for unparsable text or paths', () => {
    expect(locateJsonPath('', 'servers')).toBeUndefined();
    expect(locateJsonPath(text, 'servers[')).toBeUndefined();
  });
});
