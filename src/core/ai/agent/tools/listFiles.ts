// list_files: workspace files matching globs (honours .gitignore; never follows links).
import { stringArg, ToolError, type AgentTool } from './types';

const MAX_FILES = 500;

export const listFilesTool: AgentTool = {
  spec: {
    name: 'list_files',
    description: `List workspace files (workspace-relative, sorted, .gitignore honoured). Default pattern: every TypeScript/JavaScript source. At most ${MAX_FILES} paths.`,
    inputSchema: {
      type: 'object',
      properties: { pattern: { type: 'string', description: 'glob relative to the workspace root, e.g. src/**/*.ts' } },
    },
  },
  async run(args, { ctx }) {
    const pattern = stringArg(args, 'pattern');
    if (pattern && (pattern.startsWith('/') || pattern.split('/').includes('..'))) throw new ToolError(`Refused: pattern ${JSON.stringify(pattern)} reaches outside the workspace; use a relative glob.`);
    const files = await ctx.fs.list(pattern ? { patterns: [pattern] } : {});
    if (!files.length) return `No files match ${pattern ?? 'the default source patterns'}.`;
    const shown = files.slice(0, MAX_FILES).join('\n');
    return files.length > MAX_FILES ? `${shown}\n… ${files.length - MAX_FILES} more (narrow the pattern)` : shown;
  },
};
