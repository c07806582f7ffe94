import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { McpToolInfo } from '../types';
import { ToolIndex, firstSentence } from './toolIndex';
import { toolCategory } from './category';
import { splitWords } from './tokenize';

// The real tool lists of the three reference servers, read over stdio from node_modules.
const SERVERS: Record<string, string[]> = {
  everything: ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'],
  filesystem: ['node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'],
  memory: ['node_modules/@modelcontextprotocol/server-memory/dist/index.js'],
};

let tmp: string;
const realTools: Record<string, McpToolInfo[]> = {};

async function listTools(server: string, args: string[]): Promise<McpToolInfo[]> {
  const client = new Client({ name: 'rusty-tool-index-test', version: '0.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: server === 'filesystem' ? [...args, tmp] : args,
    cwd: path.resolve(__dirname, '../../../..'),
    env: { PATH: process.env['PATH'] ?? '', MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl') },
    stderr: 'ignore',
  });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return tools.map((t) => ({
      server,
      name: t.name,
      ...(t.title !== undefined ? { title: t.title } : {}),
      ...(t.description !== undefined ? { description: t.description } : {}),
      inputSchema: t.inputSchema as Record<string, unknown>,
      ...(t.outputSchema !== undefined ? { outputSchema: t.outputSchema as Record<string, unknown> } : {}),
      ...(t.annotations !== undefined ? { annotations: t.annotations } : {}),
    }));
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-toolindex-'));
  await Promise.all(Object.entries(SERVERS).map(async ([name, args]) => (realTools[name] = await listTools(name, args))));
}, 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function realIndex(): ToolIndex {
  const index = new ToolIndex();
  for (const [server, tools] of Object.entries(realTools)) index.setServerTools(server, tools);
  return index;
}

const names = (hits: { server: string; name: string }[]) => hits.map((h) => `${h.server}/${h.name}`);

describe('splitWords', () => {
  it('splits snake, kebab, dotted and camel case names', () => {
    expect(splitWords('read_text_file')).toEqual(['read', 'text', 'file']);
    expect(splitWords('get-tiny-image')).toEqual(['get', 'tiny', 'image']);
    expect(splitWords('github.createIssue')).toEqual(['github', 'create', 'issue']);
    expect(splitWords('getHTTPResponse2x')).toEqual(['get', 'http', 'response', '2', 'x']);
  });
});

describe('ToolIndex on the reference servers', () => {
  it('indexes every tool of the three servers', () => {
    const index = realIndex();
    expect(realTools['filesystem']!.map((t) => t.name)).toContain('read_text_file');
    expect(realTools['memory']!.map((t) => t.name)).toContain('delete_entities');
    expect(index.size).toBe(Object.values(realTools).reduce((n, t) => n + t.length, 0));
    expect(index.get('memory', 'read_graph')?.description).toContain('knowledge graph');
  });

  it('ranks an exact name first, whatever its separators or case', () => {
    const index = realIndex();
    expect(names(index.search('read_text_file'))[0]).toBe('filesystem/read_text_file');
    expect(names(index.search('readTextFile'))[0]).toBe('filesystem/read_text_file');
    expect(names(index.search('get-sum'))[0]).toBe('everything/get-sum');
    expect(names(index.search('echo'))[0]).toBe('everything/echo');
  });

  it('ranks name prefixes above description matches', () => {
    const index = realIndex();
    const hits = index.search('delete', { limit: 5 });
    expect(names(hits).slice(0, 3).sort()).toEqual(['memory/delete_entities', 'memory/delete_observations', 'memory/delete_relations']);
    const scores = hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('finds tools by words of their description and by partial words', () => {
    const index = realIndex();
    expect(names(index.search('knowledge graph nodes', { limit: 3 }))).toContain('memory/search_nodes');
    expect(names(index.search('environment variables', { limit: 3 }))[0]).toBe('everything/get-env');
    expect(names(index.search('direct', { limit: 10 }))).toEqual(expect.arrayContaining(['filesystem/create_directory', 'filesystem/list_directory']));
    expect(names(index.search('read file', { limit: 4 }))).toEqual(expect.arrayContaining(['filesystem/read_file', 'filesystem/read_text_file']));
  });

  it('tolerates a typo in a longer word', () => {
    const index = realIndex();
    expect(names(index.search('obsevations', { limit: 3 }))).toEqual(expect.arrayContaining(['memory/add_observations', 'memory/delete_observations']));
  });

  it('filters by server', () => {
    const index = realIndex();
    const hits = index.search('read', { server: 'memory' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.server === 'memory')).toBe(true);
    expect(names(hits)[0]).toBe('memory/read_graph');
    expect(index.search('read', { server: 'nope' })).toEqual([]);
  });

  it('gives detail levels: name → ids only, summary → title and first sentence, full → everything', () => {
    const index = realIndex();
    const [byName] = index.search('read_text_file', { detail: 'name' });
    expect(Object.keys(byName!).sort()).toEqual(['category', 'name', 'score', 'server']);
    expect(byName).toMatchObject({ server: 'filesystem', name: 'read_text_file', category: 'read' });

    const [summary] = index.search('read_text_file', { detail: 'summary' });
    expect(summary!.title).toBe('Read Text File');
    expect(summary!.description).toBe('Read the complete contents of a file from the file system as text.');
    expect(summary!.inputSchema).toBeUndefined();

    const [full] = index.search('read_text_file', { detail: 'full' });
    const tool = index.get('filesystem', 'read_text_file')!;
    expect(full!.description).toBe(tool.description);
    expect(full!.inputSchema).toEqual(tool.inputSchema);
    expect(full!.annotations).toEqual(tool.annotations);

    const [structured] = index.search('get-structured-content', { detail: 'full' });
    expect(structured!.outputSchema).toBeDefined();
  });

  it('keeps every summary at most 160 characters', () => {
    const index = realIndex();
    for (const hit of index.search('', { limit: 1000 })) expect(hit.description?.length ?? 0).toBeLessThanOrEqual(160);
  });

  it('lists all tools in (server, name) order for an empty query, limited', () => {
    const index = realIndex();
    const all = index.search('', { limit: 1000, detail: 'name' });
    expect(all).toHaveLength(index.size);
    const keys = names(all);
    expect(keys).toEqual([...keys].sort());
    expect(index.search('   ', { limit: 3 })).toHaveLength(3);
    expect(names(index.search('', { server: 'memory', limit: 2 }))).toEqual(['memory/add_observations', 'memory/create_entities']);
  });

  it('categorises the real tools by verb, then annotations', () => {
    const index = realIndex();
    const cat = (s: string, n: string) => index.category(s, n);
    expect(cat('filesystem', 'read_text_file')).toBe('read');
    expect(cat('filesystem', 'search_files')).toBe('search');
    expect(cat('filesystem', 'write_file')).toBe('write');
    expect(cat('filesystem', 'move_file')).toBe('write');
    expect(cat('filesystem', 'directory_tree')).toBe('read'); // no verb; readOnlyHint
    expect(cat('memory', 'delete_entities')).toBe('delete');
    expect(cat('memory', 'create_relations')).toBe('write');
    expect(cat('everything', 'trigger-long-running-operation')).toBe('execute');
    expect(cat('everything', 'echo')).toBe('read'); // no verb; readOnlyHint
    expect(toolCategory('frobnicate')).toBe('other');
    expect(toolCategory('frobnicate', { destructiveHint: true })).toBe('write');
  });
});

describe('ToolIndex updates', () => {
  const tool = (server: string, name: string, description = ''): McpToolInfo => ({ server, name, description, inputSchema: { type: 'object' } });

  it('replaces one server without touching the others', () => {
    const index = new ToolIndex();
    index.setServerTools('a', [tool('a', 'alpha_fetch', 'Fetch alpha'), tool('a', 'alpha_store', 'Store alpha')]);
    index.setServerTools('b', [tool('b', 'beta_fetch', 'Fetch beta')]);
    index.setServerTools('a', [tool('a', 'alpha_fetch', 'Fetch alpha records'), tool('a', 'alpha_purge', 'Purge alpha')]);
    expect(names(index.search('fetch'))).toEqual(expect.arrayContaining(['a/alpha_fetch', 'b/beta_fetch']));
    expect(names(index.search('store'))).toEqual([]);
    expect(names(index.search('records'))).toEqual(['a/alpha_fetch']);
    expect(index.all().map((t) => t.name)).toEqual(['alpha_fetch', 'alpha_purge', 'beta_fetch']);
    index.removeServer('a');
    expect(names(index.search('alpha'))).toEqual([]);
    expect(names(index.search('fetch'))).toEqual(['b/beta_fetch']);
    index.setServerTools('b', []);
    expect(index.size).toBe(0);
    index.removeServer('missing');
  });

  it('puts the literally equal name before one equal only without separators', () => {
    const index = new ToolIndex();
    index.setServerTools('a', [tool('a', 'readFile', 'Read a file')]);
    index.setServerTools('b', [tool('b', 'read_file', 'Read a file')]);
    expect(names(index.search('read_file'))).toEqual(['b/read_file', 'a/readFile']);
    expect(names(index.search('readFile'))).toEqual(['a/readFile', 'b/read_file']);
  });

  it('updates schemas of a tool whose text did not change', () => {
    const index = new ToolIndex();
    index.setServerTools('a', [tool('a', 'x', 'Does x')]);
    index.setServerTools('a', [{ ...tool('a', 'x', 'Does x'), inputSchema: { type: 'object', required: ['y'] } }]);
    expect(index.get('a', 'x')?.inputSchema).toEqual({ type: 'object', required: ['y'] });
    expect(index.search('x', { detail: 'full' })[0]?.inputSchema).toEqual({ type: 'object', required: ['y'] });
  });

  it('skips nameless tools and keeps the first of duplicate names', () => {
    const index = new ToolIndex();
    index.setServerTools('a', [tool('a', ''), tool('a', 'dup', 'first'), tool('a', 'dup', 'second'), tool('other', 'moved', 'server field corrected')]);
    expect(index.all('a').map((t) => [t.name, t.description, t.server])).toEqual([['dup', 'first', 'a'], ['moved', 'server field corrected', 'a']]);
  });

  it('rejects bad search options with errors naming the option', () => {
    const index = new ToolIndex();
    expect(() => index.search('x', { detail: 'everything' as 'full' })).toThrow('detail must be "name", "summary" or "full" (got "everything").');
    expect(() => index.search('x', { limit: 0 })).toThrow('limit must be a whole number ≥ 1 (got 0).');
    expect(() => index.search('x', { limit: 2.5 })).toThrow(/limit must be a whole number/);
    expect(() => index.search('x'.repeat(1001))).toThrow('query is 1001 characters long; keep it under 1000.');
    expect(() => index.setServerTools('', [])).toThrow('ToolIndex.setServerTools needs a server name.');
  });
});

describe('firstSentence', () => {
  it('cuts at the first sentence end, then at a word within 160 characters', () => {
    expect(firstSentence('Reads a file. Then more.')).toBe('Reads a file.');
    expect(firstSentence('Version 1.2 is here. More')).toBe('Version 1.2 is here.');
    expect(firstSentence('  multi\n line  text ')).toBe('multi line text');
    const long = firstSentence(`${'word '.repeat(60)}end.`)!;
    expect(long.length).toBeLessThanOrEqual(160);
    expect(long.endsWith('word…')).toBe(true);
    expect(firstSentence(undefined)).toBeUndefined();
    expect(firstSentence('   ')).toBeUndefined();
  });
});
