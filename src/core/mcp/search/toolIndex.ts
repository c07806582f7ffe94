// The tool index behind progressive discovery: a model (or a user) first searches tool names,
// then asks for summaries, and only then for full schemas — instead of reading 1,000 tool
// definitions up front.
//
// Full-text search is MiniSearch (BM25) over the name's words (boosted), title, description and
// server name, with prefix matching and light fuzziness for longer words. On top of that:
//   • a tool whose name is the query (ignoring case) ranks first,
//   • then one whose name equals it ignoring separators and case (`read_file` ~ `readFile`),
//   • then tools whose name starts with the query,
//   • then the rest by MiniSearch score; ties by (server, name) so results are stable.
// Scores are made monotonic with that order (a higher tier's score is above every lower one).
// Servers are indexed incrementally: replacing one server's tools discards and re-adds only its
// documents, and unchanged tools are not re-indexed at all.
import MiniSearch from 'minisearch';
import type { McpToolInfo, ToolDetail, ToolSearchHit } from '../types';
import { toolCategory, type ToolCategory } from './category';
import { normalizeName, processTerm, splitWords } from './tokenize';

export interface ToolSearchOptions {
  detail?: ToolDetail;
  /** Default 20. */
  limit?: number;
  /** Only this server's tools. */
  server?: string;
}

interface Entry {
  id: string;
  tool: McpToolInfo;
  category: ToolCategory;
  nameLower: string;
  nameNormalized: string;
  /** What the text index saw; unchanged → not re-indexed. */
  indexedText: string;
}

interface Doc {
  id: string;
  name: string;
  title: string;
  description: string;
  server: string;
}

export const DEFAULT_SEARCH_LIMIT = 20;
const MAX_QUERY_LENGTH = 1000;
const SUMMARY_MAX = 160;
const DETAILS: readonly ToolDetail[] = ['name', 'summary', 'full'];

const SEP = '\u0000';
const idOf = (server: string, name: string) => `${server}${SEP}${name}`;

function makeMiniSearch(): MiniSearch<Doc> {
  return new MiniSearch<Doc>({
    fields: ['name', 'title', 'description', 'server'],
    idField: 'id',
    tokenize: (text) => splitWords(text),
    processTerm: (term) => processTerm(term),
    searchOptions: {
      boost: { name: 4, title: 2, server: 1.5, description: 1 },
      prefix: (term) => term.length >= 2,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      maxFuzzy: 2,
      weights: { fuzzy: 0.3, prefix: 0.6 },
      combineWith: 'OR',
    },
  });
}

/** The first sentence, at most 160 characters (cut at a word, with an ellipsis). */
export function firstSentence(text: string | undefined, max = SUMMARY_MAX): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

function byServerThenName(a: McpToolInfo, b: McpToolInfo): number {
  return a.server < b.server ? -1 : a.server > b.server ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class ToolIndex {
  private readonly mini = makeMiniSearch();
  private readonly servers = new Map<string, Map<string, Entry>>();
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /** Replaces that server's tools. Tools with an empty name are skipped; a repeated name keeps the first. */
  setServerTools(server: string, tools: readonly McpToolInfo[]): void {
    if (typeof server !== 'string' || server === '') throw new Error('ToolIndex.setServerTools needs a server name.');
    const old = this.servers.get(server) ?? new Map<string, Entry>();
    const next = new Map<string, Entry>();
    const toAdd: Doc[] = [];
    for (const t of tools) {
      if (!t || typeof t.name !== 'string' || t.name === '' || next.has(t.name)) continue;
      const tool: McpToolInfo = t.server === server ? t : { ...t, server };
      const title = tool.title ?? tool.annotations?.title ?? '';
      const description = tool.description ?? '';
      const indexedText = `${tool.name}${SEP}${title}${SEP}${description}`;
      const id = idOf(server, tool.name);
      const entry: Entry = {
        id,
        tool,
        category: toolCategory(tool.name, tool.annotations),
        nameLower: tool.name.toLowerCase(),
        nameNormalized: normalizeName(tool.name),
        indexedText,
      };
      next.set(tool.name, entry);
      const before = old.get(tool.name);
      if (before && before.indexedText === indexedText) continue; // same text: keep its documents
      if (before) this.mini.discard(id);
      toAdd.push({ id, name: tool.name, title, description, server });
    }
    for (const [name, e] of old) if (!next.has(name)) this.discardEntry(e);
    for (const e of old.values()) this.entries.delete(e.id);
    for (const e of next.values()) this.entries.set(e.id, e);
    this.mini.addAll(toAdd);
    if (next.size > 0) this.servers.set(server, next);
    else this.servers.delete(server);
  }

  removeServer(server: string): void {
    const old = this.servers.get(server);
    if (!old) return;
    for (const e of old.values()) {
      this.discardEntry(e);
      this.entries.delete(e.id);
    }
    this.servers.delete(server);
  }

  private discardEntry(e: Entry): void {
    this.mini.discard(e.id);
  }

  /** Every tool (of one server), ordered by server then name. */
  all(server?: string): McpToolInfo[] {
    const list = server === undefined ? [...this.entries.values()] : [...(this.servers.get(server)?.values() ?? [])];
    return list.map((e) => e.tool).sort(byServerThenName);
  }

  get(server: string, name: string): McpToolInfo | undefined {
    return this.servers.get(server)?.get(name)?.tool;
  }

  category(server: string, name: string): ToolCategory | undefined {
    return this.servers.get(server)?.get(name)?.category;
  }

  /**
   * Ranked tools for a query; an empty query lists tools by (server, name). Throws a RangeError
   * naming the bad option for an unknown detail, a limit that is not a positive integer, or a
   * query longer than 1,000 characters.
   */
  search(query: string, opts: ToolSearchOptions = {}): ToolSearchHit[] {
    const detail = opts.detail ?? 'summary';
    if (!DETAILS.includes(detail)) throw new RangeError(`detail must be "name", "summary" or "full" (got ${JSON.stringify(detail)}).`);
    const limit = opts.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1 (got ${JSON.stringify(limit)}).`);
    if (typeof query !== 'string') throw new RangeError(`query must be a string (got ${typeof query}).`);
    if (query.length > MAX_QUERY_LENGTH) throw new RangeError(`query is ${query.length} characters long; keep it under ${MAX_QUERY_LENGTH}.`);
    const server = opts.server;

    const allWords = splitWords(query);
    const words = allWords.filter((w) => processTerm(w) !== null);
    if (words.length === 0) {
      return this.all(server)
        .slice(0, limit)
        .map((t) => this.hit(this.entries.get(idOf(t.server, t.name))!, 0, detail));
    }

    const prefix = server === undefined ? undefined : `${server}${SEP}`;
    const results = this.mini.search(words.join(' '), prefix === undefined ? {} : { filter: (r) => (r.id as string).startsWith(prefix) });
    const qLower = query.trim().toLowerCase();
    const qNormalized = allWords.join('');
    const ranked: { e: Entry; tier: number; score: number }[] = [];
    for (const r of results) {
      const e = this.entries.get(r.id as string);
      if (!e) continue;
      const tier = e.nameLower === qLower ? 3 : e.nameNormalized === qNormalized ? 2 : e.nameLower.startsWith(qLower) || e.nameNormalized.startsWith(qNormalized) ? 1 : 0;
      ranked.push({ e, tier, score: r.score });
    }
    // Monotonic scores: each tier sits above the best score of the tiers below it.
    let floor = 0;
    for (let tier = 0; tier <= 3; tier++) {
      let best = floor;
      for (const r of ranked) {
        if (r.tier !== tier) continue;
        r.score += floor;
        if (r.score > best) best = r.score;
      }
      floor = best;
    }
    ranked.sort((a, b) => b.score - a.score || byServerThenName(a.e.tool, b.e.tool));
    return ranked.slice(0, limit).map((r) => this.hit(r.e, Math.round(r.score * 1000) / 1000, detail));
  }

  private hit(e: Entry, score: number, detail: ToolDetail): ToolSearchHit {
    const t = e.tool;
    const hit: ToolSearchHit = { server: t.server, name: t.name, score, category: e.category };
    if (detail === 'name') return hit;
    const title = t.title ?? t.annotations?.title;
    if (title !== undefined) hit.title = title;
    const description = detail === 'full' ? t.description : firstSentence(t.description);
    if (description !== undefined) hit.description = description;
    if (detail === 'summary') return hit;
    hit.inputSchema = t.inputSchema;
    if (t.outputSchema !== undefined) hit.outputSchema = t.outputSchema;
    if (t.annotations !== undefined) hit.annotations = t.annotations;
    return hit;
  }
}
