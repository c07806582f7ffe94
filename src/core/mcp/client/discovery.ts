// Listing everything a server offers: every page of tools, resources and prompts, in Rusty's shapes.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpPromptInfo, McpResourceInfo, McpResourceTemplateInfo, McpToolInfo } from '../types';

/** A server returning more pages than this is looping or hostile. */
const MAX_PAGES = 1000;

export async function listAllPages<T>(
  what: string,
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.nextCursor) return items;
    if (seen.has(result.nextCursor)) throw new Error(`listing ${what}: the server repeated cursor "${result.nextCursor}"`);
    seen.add(result.nextCursor);
    cursor = result.nextCursor;
  }
  throw new Error(`listing ${what}: more than ${MAX_PAGES} pages`);
}

type RequestOpts = { timeout: number };

export async function listTools(client: Client, server: string, opts: RequestOpts): Promise<McpToolInfo[]> {
  const tools = await listAllPages('tools', async (cursor) => {
    const r = await client.listTools(cursor ? { cursor } : undefined, opts);
    return { items: r.tools, nextCursor: r.nextCursor };
  });
  return tools.map((t) => {
    const info: McpToolInfo = { server, name: t.name, inputSchema: t.inputSchema as Record<string, unknown> };
    // The protocol's fields as they are: `annotations.title` stays in the annotations.
    if (t.title !== undefined) info.title = t.title;
    if (t.description !== undefined) info.description = t.description;
    if (t.outputSchema) info.outputSchema = t.outputSchema as Record<string, unknown>;
    if (t.annotations) info.annotations = { ...t.annotations };
    const execution = (t as { execution?: unknown }).execution;
    if (execution && typeof execution === 'object') info.execution = { ...(execution as Record<string, unknown>) };
    return info;
  });
}

export async function listResources(client: Client, server: string, opts: RequestOpts): Promise<McpResourceInfo[]> {
  const resources = await listAllPages('resources', async (cursor) => {
    const r = await client.listResources(cursor ? { cursor } : undefined, opts);
    return { items: r.resources, nextCursor: r.nextCursor };
  });
  return resources.map((r) => {
    const info: McpResourceInfo = { server, uri: r.uri, name: r.name };
    if (r.description !== undefined) info.description = r.description;
    if (r.mimeType !== undefined) info.mimeType = r.mimeType;
    return info;
  });
}

export async function listResourceTemplates(client: Client, server: string, opts: RequestOpts): Promise<McpResourceTemplateInfo[]> {
  const templates = await listAllPages('resource templates', async (cursor) => {
    const r = await client.listResourceTemplates(cursor ? { cursor } : undefined, opts);
    return { items: r.resourceTemplates, nextCursor: r.nextCursor };
  });
  return templates.map((t) => {
    const info: McpResourceTemplateInfo = { server, uriTemplate: t.uriTemplate, name: t.name };
    if (t.title !== undefined) info.title = t.title;
    if (t.description !== undefined) info.description = t.description;
    if (t.mimeType !== undefined) info.mimeType = t.mimeType;
    return info;
  });
}

export async function listPrompts(client: Client, server: string, opts: RequestOpts): Promise<McpPromptInfo[]> {
  const prompts = await listAllPages('prompts', async (cursor) => {
    const r = await client.listPrompts(cursor ? { cursor } : undefined, opts);
    return { items: r.prompts, nextCursor: r.nextCursor };
  });
  return prompts.map((p) => {
    const info: McpPromptInfo = { server, name: p.name };
    if (p.description !== undefined) info.description = p.description;
    if (p.arguments) info.arguments = p.arguments.map((a) => ({ name: a.name, description: a.description, required: a.required }));
    return info;
  });
}
