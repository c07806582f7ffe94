// search_text: a literal or regular expression over workspace text files, capped results.
import { isBinary, readText } from '../../../util/text';
import { intArg, isSecretFile, stringArg, ToolError, type AgentTool } from './types';
import { MAX_READ_BYTES } from './readFile';

const MAX_RESULTS = 100;

export const searchTextTool: AgentTool = {
  spec: {
    name: 'search_text',
    description: `Search workspace text files for a literal string (default) or a regular expression; returns file:line: text, at most ${MAX_RESULTS} matches.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        regex: { type: 'boolean', description: 'treat query as a JavaScript regular expression' },
        caseSensitive: { type: 'boolean' },
        pattern: { type: 'string', description: 'glob of files to search, default every source file' },
        maxResults: { type: 'integer', minimum: 1 },
      },
      required: ['query'],
    },
  },
  async run(args, { ctx }) {
    const query = stringArg(args, 'query', true);
    const pattern = stringArg(args, 'pattern');
    if (pattern && (pattern.startsWith('/') || pattern.split('/').includes('..'))) throw new ToolError(`Refused: pattern ${JSON.stringify(pattern)} reaches outside the workspace.`);
    const flags = args['caseSensitive'] === true ? '' : 'i';
    let re: RegExp;
    try {
      re = new RegExp(args['regex'] === true ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
    } catch (err) {
      throw new ToolError(`Invalid regular expression: ${(err as Error).message}`);
    }
    const max = Math.min(MAX_RESULTS, intArg(args, 'maxResults') ?? MAX_RESULTS);
    const out: string[] = [];
    let total = 0;
    for (const rel of await ctx.fs.list(pattern ? { patterns: [pattern] } : {})) {
      await ctx.tick();
      if (isSecretFile(rel)) continue;
      const info = await ctx.fs.stat(rel);
      if (!info?.isFile || info.isSymbolicLink || info.size > MAX_READ_BYTES) continue;
      const bytes = await ctx.fs.read(rel);
      if (!bytes || isBinary(bytes)) continue;
      const lines = readText(bytes).text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!re.test(lines[i]!)) continue;
        total++;
        if (out.length < max) out.push(`${rel}:${i + 1}: ${lines[i]!.trim().slice(0, 200)}`);
      }
    }
    if (!total) return `No matches for ${JSON.stringify(query)}.`;
    return total > out.length ? `${out.join('\n')}\n… ${total - out.length} more matches (narrow the query or the pattern)` : out.join('\n');
  },
};
