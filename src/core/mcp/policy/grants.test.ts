import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GrantStore } from './grants';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function grantsFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-grants-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'mcp-grants.json');
}

function clock(start = Date.parse('2025-03-01T08:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advanceMinutes: (m: number) => (t += m * 60_000) };
}

describe('GrantStore', () => {
  it('shares timed grants between two stores on the same file (extension and CLI)', () => {
    const file = grantsFile();
    const c = clock();
    const extension = new GrantStore(file, { now: c.now, refreshIntervalMs: 0 });
    const cli = new GrantStore(file, { now: c.now, refreshIntervalMs: 0 });
    expect(cli.findLive('fs', 'write_file')).toBeUndefined();

    const g = extension.add('fs', 'write_file', 'timed', 30);
    expect(cli.findLive('fs', 'write_file')?.id).toBe(g.id);
    expect(cli.list()).toEqual([g]);

    // Both add at once: neither loses the other's grant.
    const h = cli.add('memory', 'create_entities', 'timed', 5);
    const i = extension.add('memory', 'add_observations', 'timed', 5);
    expect(extension.list().map((x) => x.id).sort()).toEqual([g.id, h.id, i.id].sort());

    expect(cli.revoke(g.id)).toBe(true);
    expect(extension.findLive('fs', 'write_file')).toBeUndefined();
    expect(extension.revoke(g.id)).toBe(false);
  });

  it('keeps session and once grants out of the file and out of other stores', () => {
    const file = grantsFile();
    const a = new GrantStore(file, { sessionId: 'vscode-1', refreshIntervalMs: 0 });
    const b = new GrantStore(file, { refreshIntervalMs: 0 });
    const s = a.add('fs', 'x', 'session');
    expect(s.sessionId).toBe('vscode-1');
    a.add('fs', 'y', 'once');
    expect(b.list()).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('never returns an expired grant, and prunes it from the file', () => {
    const file = grantsFile();
    const c = clock();
    const store = new GrantStore(file, { now: c.now, refreshIntervalMs: 0 });
    store.add('fs', 'w', 'timed', 1);
    c.advanceMinutes(1);
    expect(store.findLive('fs', 'w')).toBeUndefined();
    expect(store.list()).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).grants).toEqual([]);
  });

  it('a second store reading an old file ignores grants that already expired', () => {
    const file = grantsFile();
    const c = clock();
    new GrantStore(file, { now: c.now }).add('fs', 'w', 'timed', 10);
    c.advanceMinutes(11);
    const later = new GrantStore(file, { now: c.now });
    expect(later.findLive('fs', 'w')).toBeUndefined();
    expect(later.list()).toEqual([]);
  });

  it('prefers a lasting grant over a once grant, so once is not used up needlessly', () => {
    const store = new GrantStore(grantsFile(), { refreshIntervalMs: 0 });
    const once = store.add('fs', 'w', 'once');
    const session = store.add('fs', 'w', 'session');
    expect(store.findLive('fs', 'w')?.id).toBe(session.id);
    expect(store.consume(session.id)).toBe(false);
    expect(store.revoke(session.id)).toBe(true);
    expect(store.findLive('fs', 'w')?.id).toBe(once.id);
    expect(store.consume(once.id)).toBe(true);
    expect(store.findLive('fs', 'w')).toBeUndefined();
  });

  it('treats a corrupt grants file as no grants and says so, then rewrites it on the next grant', () => {
    const file = grantsFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"version": 1, "grants": [ {"id": "gx", "server": "fs", "tool": "w", "scope": "timed"');
    const store = new GrantStore(file, { refreshIntervalMs: 0 });
    expect(store.findLive('fs', 'w')).toBeUndefined();
    expect(store.lastError()).toMatch(/mcp-grants\.json: not valid JSON .*no timed grants are in effect/);
    store.add('fs', 'w', 'timed', 5);
    expect(store.lastError()).toBeUndefined();
    expect(new GrantStore(file).list()).toHaveLength(1);
  });

  it('skips an invalid entry with a precise message and keeps the valid ones', () => {
    const file = grantsFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    fs.writeFileSync(file, JSON.stringify({
      version: 1,
      grants: [
        { id: 'g1', server: 'fs', tool: 'w', scope: 'timed', createdAt: 'x', expiresAt: 'never' },
        { id: 'g2', server: 'fs', tool: 'r', scope: 'timed', createdAt: 'x', expiresAt: future },
      ],
    }));
    const store = new GrantStore(file);
    expect(store.lastError()).toContain('grants[0] is invalid (expiresAt: must be an ISO date); ignored');
    expect(store.list().map((g) => g.id)).toEqual(['g2']);
  });

  it('rejects bad grant requests with clear errors', () => {
    const store = new GrantStore(grantsFile());
    expect(() => store.add('fs', 'w', 'timed')).toThrow('A timed grant needs minutes between 1 and 43200 (got undefined).');
    expect(() => store.add('fs', 'w', 'timed', -1)).toThrow(/got -1/);
    expect(() => store.add('', 'w', 'once')).toThrow('A grant needs a server and a tool name.');
    expect(() => store.add('fs', 'w', 'always' as 'once')).toThrow(/Unknown grant scope "always": use once, session or timed \("always" writes a policy rule\)/);
  });

  it('notices the file changing only after the refresh interval on the hot path, at once in list()', () => {
    const file = grantsFile();
    const writer = new GrantStore(file, { refreshIntervalMs: 0 });
    const reader = new GrantStore(file, { refreshIntervalMs: 60_000 });
    const g = writer.add('fs', 'w', 'timed', 5);
    expect(reader.findLive('fs', 'w')).toBeUndefined(); // throttled: not re-read yet
    expect(reader.list().map((x) => x.id)).toEqual([g.id]);
    expect(reader.findLive('fs', 'w')?.id).toBe(g.id);
  });
});
