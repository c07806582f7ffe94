// What a script sees, as TypeScript declarations: the text an agent's prompt (or a tool
// description) gives the model, and what `rusty run` users can save as a .d.ts for their editor.
export const SANDBOX_API_DTS = `// Rusty code mode: the only globals a script has (no fs, network, process or timers).
/** Calls an MCP tool through Rusty's permission gate (audited). Resolves to the tool's structuredContent, else its text; rejects on a tool error or a refusal. Read-only results are cached within the run. */
declare function callTool(server: string, tool: string, args?: Record<string, unknown>): Promise<any>;
/** Ranks the connected servers' tools for a query; detail 'name' | 'summary' | 'full' (schemas). */
declare function search_tools(query: string, detail?: 'name' | 'summary' | 'full'): Promise<{ server: string; name: string; score: number; category: string; description?: string; inputSchema?: object }[]>;
/** One tool's full description and input/output schemas. */
declare function get_tool_docs(server: string, tool: string): Promise<{ server: string; name: string; description?: string; inputSchema: object; outputSchema?: object }>;
/** Tool categories (read, search, write, delete, execute, other) with counts and servers. */
declare function list_categories(): Promise<{ category: string; count: number; servers: string[] }[]>;
declare const workspace: {
  /** A workspace-relative file's text (your own writes included); null when absent. */
  read(path: string): Promise<string | null>;
  /** Workspace-relative files (honouring .gitignore), optionally by glob or folder prefix. */
  list(options?: { glob?: string; prefix?: string; limit?: number }): Promise<string[]>;
  /** Lines matching a text (or a regular expression with regex: true). */
  search(query: string, options?: { regex?: boolean; caseSensitive?: boolean; glob?: string; prefix?: string; maxResults?: number }): Promise<{ path: string; line: number; text: string }[]>;
  /** Writes, deletes and renames are captured: after a successful run they become ONE proposal a person reviews. Nothing is written before. */
  write(path: string, content: string): Promise<null>;
  delete(path: string): Promise<null>;
  rename(from: string, to: string): Promise<null>;
};
/** A scratch store that lasts for the session (JSON values). */
declare const state: { get(key: string): Promise<any>; set(key: string, value: unknown): Promise<null> };
/** Saved scripts (.rusty/skills/<name>); run one inside this run with its inputs. */
declare const skills: {
  list(): Promise<{ name: string; description: string; version: string; inputs: Record<string, string> }[]>;
  search(query: string): Promise<{ name: string; description: string; score: number }[]>;
  run(name: string, inputs?: Record<string, unknown>): Promise<unknown>;
};
/** The only output: what you print is all the caller sees (capped). */
declare const console: { log(...values: unknown[]): void; info(...values: unknown[]): void; warn(...values: unknown[]): void; error(...values: unknown[]): void; debug(...values: unknown[]): void };
`;
