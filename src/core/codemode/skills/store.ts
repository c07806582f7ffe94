// Skills: saved scripts a model (or a person) can find and run again. One folder per skill,
// `.rusty/skills/<name>/SKILL.md` (front matter: name, description, inputs, version) + `index.ts`
// (its default export is `async (inputs) => …`). Usage statistics live in the state folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../../util/errors';
import { splitWords } from '../../mcp/search/tokenize';
import { transpileScript } from '../sandbox/transpile';
import type { CodeModeSkills } from '../sandbox/runner';

export interface SkillInfo {
  name: string;
  description: string;
  version: string;
  /** Input names → a short type or description, as written in the front matter. */
  inputs: Record<string, string>;
  dir: string;
}

/** `finished` counts uses with a known outcome (runs from the CLI); nested `skills.run` calls only count as uses. */
export interface SkillStats { uses: number; finished: number; successes: number; totalMs: number; lastUsed?: string }

/** Success rate and mean time over finished runs. */
export function statsSummary(s: SkillStats | undefined): { uses: number; successRate: number | undefined; meanMs: number | undefined; lastUsed: string | undefined } {
  if (!s) return { uses: 0, successRate: undefined, meanMs: undefined, lastUsed: undefined };
  return { uses: s.uses, successRate: s.finished ? s.successes / s.finished : undefined, meanMs: s.finished ? s.totalMs / s.finished : undefined, lastUsed: s.lastUsed };
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function checkSkillName(name: string): string {
  if (!NAME.test(name)) throw new RustyError('usage', `Skill name ${JSON.stringify(name)} must be 1–64 lower-case letters, digits, '-' or '_', starting with a letter or digit.`);
  return name;
}

/** `---\nkey: value\n---` → the pairs (values that parse as JSON are parsed) and the body. */
export function parseFrontMatter(text: string): { meta: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, unknown> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const raw = kv[2]!.trim();
    try {
      meta[kv[1]!] = JSON.parse(raw);
    } catch {
      meta[kv[1]!] = raw.replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return { meta, body: text.slice(m[0].length) };
}

export function skillMarkdown(info: Omit<SkillInfo, 'dir'>, body = ''): string {
  return `---\nname: ${info.name}\ndescription: ${JSON.stringify(info.description)}\ninputs: ${JSON.stringify(info.inputs)}\nversion: ${JSON.stringify(info.version)}\n---\n\n# ${info.name}\n\n${info.description}\n${body ? `\n${body}\n` : ''}`;
}

/** A run's top-level script as a skill module: imports stay on top, the rest becomes the default export. */
export function scriptAsSkill(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const imports: string[] = [];
  const body: string[] = [];
  for (const l of lines) (/^\s*import\s[^(]/.test(l) && !body.some((b) => b.trim()) ? imports : body).push(l);
  while (body.length && !body[body.length - 1]!.trim()) body.pop();
  return `${imports.length ? `${imports.join('\n')}\n\n` : ''}export default async function run(inputs: Record<string, unknown> = {}): Promise<unknown> {\n  void inputs;\n${body.map((l) => (l ? `  ${l}` : l)).join('\n')}\n}\n`;
}

export class SkillStore implements CodeModeSkills {
  readonly root: string;
  private readonly statsFile: string;

  constructor(workspace: string, stateDir: string) {
    this.root = path.join(workspace, '.rusty', 'skills');
    this.statsFile = path.join(stateDir, 'codemode', 'skills.json');
  }

  all(): SkillInfo[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.root, { withFileTypes: true }).filter((d) => d.isDirectory() && NAME.test(d.name)).map((d) => d.name).sort();
    } catch {
      return [];
    }
    const out: SkillInfo[] = [];
    for (const n of names) {
      const info = this.info(n);
      if (info) out.push(info);
    }
    return out;
  }

  info(name: string): SkillInfo | undefined {
    const dir = path.join(this.root, name);
    let md: string;
    try {
      md = fs.readFileSync(path.join(dir, 'SKILL.md'), 'utf8');
    } catch {
      return undefined;
    }
    if (!fs.existsSync(path.join(dir, 'index.ts'))) return undefined;
    const { meta } = parseFrontMatter(md);
    const inputs = meta.inputs && typeof meta.inputs === 'object' && !Array.isArray(meta.inputs)
      ? Object.fromEntries(Object.entries(meta.inputs as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};
    return {
      name, dir, inputs,
      description: typeof meta.description === 'string' ? meta.description : '',
      version: meta.version !== undefined ? String(meta.version) : '1',
    };
  }

  list(): { name: string; description: string; version: string; inputs: unknown }[] {
    return this.all().map(({ name, description, version, inputs }) => ({ name, description, version, inputs }));
  }

  /** Skills ranked by the query's words found in their name (×3) and description. */
  search(query: string): { name: string; description: string; score: number }[] {
    const words = [...new Set(splitWords(query))];
    if (!words.length) return [];
    const hits: { name: string; description: string; score: number }[] = [];
    for (const s of this.all()) {
      const nameWords = new Set(splitWords(s.name));
      const descWords = new Set(splitWords(s.description));
      let score = 0;
      for (const w of words) score += (nameWords.has(w) ? 3 : 0) + (descWords.has(w) ? 1 : 0) + ([...descWords].some((d) => d !== w && d.startsWith(w)) ? 0.5 : 0);
      if (score > 0) hits.push({ name: s.name, description: s.description, score });
    }
    return hits.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  }

  source(name: string): string {
    checkSkillName(name);
    const file = path.join(this.root, name, 'index.ts');
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      const known = this.all().map((s) => s.name);
      throw new RustyError('not-found', `No skill named ${JSON.stringify(name)}.${known.length ? ` Skills: ${known.join(', ')}.` : ' Save one with `rusty run SCRIPT --save-skill NAME`.'}`);
    }
  }

  /** CommonJS-shaped JavaScript for `skills.run` inside a sandbox. */
  async load(name: string): Promise<string> {
    const code = await transpileScript(this.source(name), `${name}/index.ts`, 'commonjs');
    this.record(name, undefined);
    return code;
  }

  save(name: string, script: string, meta: { description?: string; inputs?: Record<string, string>; version?: string } = {}): SkillInfo {
    checkSkillName(name);
    const dir = path.join(this.root, name);
    const previous = this.info(name);
    const version = meta.version ?? (previous ? String((Number.parseInt(previous.version, 10) || 0) + 1) : '1');
    const description = meta.description ?? firstComment(script) ?? previous?.description ?? `Saved from a rusty run script.`;
    const inputs = meta.inputs ?? previous?.inputs ?? {};
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.ts'), /export\s+default\b/.test(script) ? script : scriptAsSkill(script));
    fs.writeFileSync(path.join(dir, 'SKILL.md'), skillMarkdown({ name, description, inputs, version }, 'Run it with `rusty skills run ' + name + '`, or from a script with `await skills.run(' + JSON.stringify(name) + ', inputs)`.'));
    return { name, description, inputs, version, dir };
  }

  // ─── usage statistics ─────────────────────────────────────────────────────────────────────

  stats(): Record<string, SkillStats> {
    try {
      const v = JSON.parse(fs.readFileSync(this.statsFile, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, SkillStats>) : {};
    } catch {
      return {};
    }
  }

  /** One use; `outcome` undefined = started from inside another script (no outcome known). */
  record(name: string, outcome: { ok: boolean; ms: number } | undefined, now = new Date()): void {
    const all = this.stats();
    const s = all[name] ?? { uses: 0, finished: 0, successes: 0, totalMs: 0 };
    s.uses++;
    if (outcome) {
      s.finished = (s.finished ?? 0) + 1;
      if (outcome.ok) s.successes++;
      s.totalMs += Math.round(outcome.ms);
    }
    s.lastUsed = now.toISOString();
    all[name] = s;
    fs.mkdirSync(path.dirname(this.statsFile), { recursive: true });
    const tmp = `${this.statsFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 2));
    fs.renameSync(tmp, this.statsFile);
  }
}

function firstComment(script: string): string | undefined {
  const m = /^\s*\/\/\s*(.+)$/m.exec(script) ?? /^\s*\/\*+\s*([^*\n]+)/m.exec(script);
  return m?.[1]?.trim() || undefined;
}

/** The runner script for `rusty skills run`: imports the skill and prints what it returns. */
export function skillRunnerScript(inputs: unknown): string {
  return `import run from 'skill';\nconst out = await run(${JSON.stringify(inputs ?? {})});\nif (out !== undefined) console.log(typeof out === 'string' ? out : JSON.stringify(out, null, 2));\n`;
}
