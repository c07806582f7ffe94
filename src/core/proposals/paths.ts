// Path rules for change sets: workspace-relative, '/'-separated, never outside the workspace,
// never inside a .git directory. Returns the reason a path is refused, or undefined.

export function relPathProblem(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('\\\\')) return 'is absolute; use a path relative to the workspace root';
  if (p.includes('\\')) return "uses '\\'; separate folders with '/'";
  const parts = p.split('/');
  if (parts.some((s) => s === '..')) return "contains '..'; paths must stay inside the workspace";
  if (parts.some((s) => s === '' || s === '.')) return "has an empty or '.' segment; write it as a plain relative path like src/a.ts";
  if (parts.some((s) => s.toLowerCase() === '.git')) return 'is inside a .git directory, which Rusty never writes';
  const long = parts.find((s) => Buffer.byteLength(s, 'utf8') > 255);
  if (long !== undefined) return `has a name longer than 255 bytes (${Buffer.byteLength(long, 'utf8')} bytes in UTF-8), which file systems refuse; shorten it`;
  return undefined;
}
