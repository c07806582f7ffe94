// A path argument from the model → a workspace-relative path, or a ToolError saying why not.
import * as path from 'node:path';
import { relPathProblem } from '../../../proposals/paths';
import { ToolError } from './types';

export function toolPath(root: string, raw: string): string {
  let p = raw.trim().replace(/^[`'"]+|[`'"]+$/g, '');
  if (path.isAbsolute(p)) {
    const rel = path.relative(root, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ToolError(`Refused: ${JSON.stringify(raw)} is outside the workspace; use a path relative to the workspace root.`);
    p = rel.split(path.sep).join('/');
  }
  while (p.startsWith('./')) p = p.slice(2);
  const problem = relPathProblem(p);
  if (problem) throw new ToolError(`Refused: path ${JSON.stringify(raw)} ${problem}.`);
  return p;
}
