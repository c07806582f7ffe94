// read_file: a workspace file's text with line numbers, optionally a line range; size-capped,
// refuses binary files, symbolic links and files that usually hold secrets.
import { isBinary, readText } from '../../../util/text';
import { toolPath } from './paths';
import { intArg, isSecretFile, stringArg, ToolError, type AgentTool } from './types';

export const MAX_READ_BYTES = 512 * 1024;
const MAX_LINES = 800;

export const readFileTool: AgentTool = {
  spec: {
    name: 'read_file',
    description: `Read a text file of the workspace, with line numbers. At most ${MAX_LINES} lines per call: use startLine/endLine (1-based, inclusive) for long files.`,
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'workspace-relative path, e.g. src/index.ts' },
        startLine: { type: 'integer', minimum: 1 },
        endLine: { type: 'integer', minimum: 1 },
      },
      required: ['path'],
    },
  },
  async run(args, { ctx }) {
    const rel = toolPath(ctx.fs.root, stringArg(args, 'path', true));
    if (isSecretFile(rel)) throw new ToolError(`Refused: ${rel} usually holds secrets; it is never sent to a model.`);
    const info = await ctx.fs.stat(rel);
    if (!info) throw new ToolError(`${rel} does not exist. Use list_files to see what is there.`);
    if (info.isSymbolicLink) throw new ToolError(`Refused: ${rel} is a symbolic link; read the file it points to.`);
    if (!info.isFile) throw new ToolError(`${rel} is a folder; use list_files.`);
    if (info.size > MAX_READ_BYTES) throw new ToolError(`${rel} is ${Math.round(info.size / 1024)} KB, over the ${MAX_READ_BYTES / 1024} KB limit for read_file; use search_text to find the part you need.`);
    const bytes = await ctx.fs.read(rel);
    if (!bytes) throw new ToolError(`${rel} could not be read.`);
    if (isBinary(bytes)) throw new ToolError(`Refused: ${rel} is a binary file; only text files can be read.`);
    const text = readText(bytes).text;
    const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
    const start = Math.max(1, intArg(args, 'startLine') ?? 1);
    const end = Math.min(lines.length, intArg(args, 'endLine') ?? start + MAX_LINES - 1, start + MAX_LINES - 1);
    if (start > lines.length) throw new ToolError(`${rel} has ${lines.length} lines; startLine ${start} is past the end.`);
    const width = String(end).length;
    const body = lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(width)}| ${l}`).join('\n');
    const more = end < lines.length ? `\n(lines ${start}–${end} of ${lines.length}; ask for startLine ${end + 1} to read on)` : '';
    return `${rel} (${lines.length} lines)\n${body}${more}`;
  },
};
