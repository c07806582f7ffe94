// Source maps for `debug`: a frame in generated JavaScript is mapped back to its source through the
// generated file's map — an inline `sourceMappingURL=data:` URL or a `.map` file in the workspace
// (the comment's URL, else `<file>.map`). `sources` and `sourceRoot` resolve against the map's
// location; a mapped source outside the workspace is not used.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { originalPositionFor, TraceMap, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND } from '@jridgewell/trace-mapping';
import type { WorkspaceReader } from '../engine/context';

export interface MappedPosition {
  /** Workspace-relative source file. */
  file: string;
  line: number;
  column?: number;
}

const MAP_COMMENT = /(?:\/\/|\/\*)[#@]\s*sourceMappingURL=([^\s*'"]+)\s*(?:\*\/)?\s*$/;

function lastMapUrl(text: string): string | undefined {
  const tail = text.slice(-Math.min(text.length, 1 << 20)).trimEnd().split(/\r?\n/);
  for (let i = tail.length - 1; i >= 0 && i >= tail.length - 5; i--) {
    const m = MAP_COMMENT.exec(tail[i]!);
    if (m) return m[1];
  }
  return undefined;
}

function decodeDataUrl(url: string): string | undefined {
  const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(url);
  if (!m) return undefined;
  try { return m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!); } catch { return undefined; }
}

const decoder = new TextDecoder();

/** The map for a workspace-relative generated file, or undefined when it has none (cached per file). */
export class SourceMaps {
  private readonly maps = new Map<string, Promise<TraceMap | undefined>>();
  constructor(private readonly fs: WorkspaceReader) {}

  private async load(rel: string): Promise<TraceMap | undefined> {
    const bytes = await this.fs.read(rel).catch(() => undefined);
    if (!bytes) return undefined;
    const generatedUrl = pathToFileURL(path.join(this.fs.root, rel)).href;
    const url = lastMapUrl(decoder.decode(bytes));
    let json: string | undefined;
    let mapUrl = generatedUrl;
    if (url?.startsWith('data:')) json = decodeDataUrl(url);
    else {
      // A relative URL next to the file (absolute http(s) maps are not fetched), else `<file>.map`.
      const mapRel = url && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('/')
        ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), decodeURIComponent(url)))
        : `${rel}.map`;
      if (mapRel.startsWith('..')) return undefined;
      const mapBytes = await this.fs.read(mapRel).catch(() => undefined);
      if (!mapBytes) return undefined;
      json = decoder.decode(mapBytes);
      mapUrl = pathToFileURL(path.join(this.fs.root, mapRel)).href;
    }
    if (!json) return undefined;
    try { return new TraceMap(json, mapUrl); } catch { return undefined; }
  }

  /** `line` 1-based, `column` 1-based as printed in stack traces. */
  async map(rel: string, line: number, column: number | undefined): Promise<MappedPosition | undefined> {
    if (!/\.[cm]?jsx?$/.test(rel)) return undefined;
    let p = this.maps.get(rel);
    if (!p) { p = this.load(rel); this.maps.set(rel, p); }
    const map = await p;
    if (!map) return undefined;
    const col = Math.max(0, (column ?? 1) - 1);
    let pos = originalPositionFor(map, { line, column: col, bias: GREATEST_LOWER_BOUND });
    if (pos.source === null) pos = originalPositionFor(map, { line, column: col, bias: LEAST_UPPER_BOUND });
    if (pos.source === null || pos.line === null) return undefined;
    let abs: string;
    try { abs = pos.source.startsWith('file:') ? fileURLToPath(pos.source) : path.resolve(this.fs.root, pos.source); } catch { return undefined; }
    const file = path.relative(this.fs.root, abs).split(path.sep).join('/');
    if (!file || file.startsWith('..') || path.isAbsolute(file) || file.split('/').includes('node_modules')) return undefined;
    return { file, line: pos.line, ...(pos.column !== null ? { column: pos.column + 1 } : {}) };
  }
}
