// The agent loop end to end on real code no one here wrote (zod 3.25.76's published src/), with a
// scripted model that makes the usual mistakes: it reads the file, sends a SEARCH block that does
// not match, then a change that adds a type error, then the repaired change. Each refusal is fed
// back; the final proposal compiles and carries the ai record and a redacted transcript.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../../testing/realCode';
import { RustyCore } from '../../rustyCore';
import { isImpactFailure } from '../../impact/types';
import { scriptedSession, type ScriptedTurn } from '../providers/scripted';
import { ask } from './ask';

const FILE = 'src/v3/helpers/errorUtil.ts';
const FAKE_KEY = 'sk-ant-api03-Zx8Qw2Lr5Tn7Vb1Mc4Kd6Hf9Jg3Ps0Ua2Ye5Wi8Ro1';

let tmp: string;
let root: string;
let original: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-agent-zod-')));
  root = copyRealPackage(fetchRealPackage('zod', '3.25.76'), tmp);
  // A note someone left with a key in it: the model reads it, the transcript must not keep it.
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs/setup.md'), `# Setup\n\nANTHROPIC_API_KEY=${FAKE_KEY}\n`);
  original = fs.readFileSync(path.join(root, FILE), 'utf8');
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const block = (search: string, replace: string) => `FILE: ${FILE}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

const SEARCH_OK = '    typeof message === "string" ? { message } : message || {};';
const TURNS: ScriptedTurn[] = [
  { text: 'Let me read the helper first.', toolCalls: [{ name: 'read_file', arguments: { path: FILE } }, { name: 'read_file', arguments: { path: 'docs/setup.md' } }] },
  // Mistake 1: single quotes (zod uses double quotes): matches nothing.
  { text: `TITLE: Trim string error messages\nTrim the message.\n\n${block("    typeof message === 'string' ? { message } : message || {};", "    typeof message === 'string' ? { message: message.trim() } : message || {};")}` },
  // Mistake 2: a method that does not exist on string.
  { text: `TITLE: Trim string error messages\nTrim the message.\n\n${block(SEARCH_OK, '    typeof message === "string" ? { message: message.trimmed() } : message || {};')}` },
  // Repaired.
  { text: `TITLE: Trim string error messages\nerrToObj now trims surrounding whitespace from a string message, so "  too short " is reported as "too short".\n\n${block(SEARCH_OK, '    typeof message === "string" ? { message: message.trim() } : message || {};')}` },
];

describe('agent loop on zod 3.25.76', () => {
  it('feeds a non-matching SEARCH and a new type error back, then queues the repaired change', async () => {
    const core = new RustyCore({ workspace: root, actor: 'test', env: { ...process.env, RUSTY_STATE_DIR: path.join(tmp, 'state') } });
    const session = scriptedSession(TURNS, { model: 'script-1' });
    const result = await ask(core, { task: 'Make errorUtil.errToObj trim string messages.', sessions: [session], thread: 'zod-trim' });

    // What went back to the model, turn by turn.
    const sent = session.provider.requests;
    expect(sent).toHaveLength(4);
    const toolResults = sent[1]!.messages.filter((m) => m.role === 'tool');
    expect(toolResults[0]!.content).toContain('3|   export const errToObj');
    expect(toolResults[1]!.content).toContain(FAKE_KEY); // the model did see it (it asked for the file)
    const feedback1 = sent[2]!.messages[sent[2]!.messages.length - 1]!;
    expect(feedback1.role).toBe('user');
    expect(feedback1.content).toContain(`${FILE}: The SEARCH block matches nothing in the file. The closest lines are`);
    expect(feedback1.content).toContain('typeof message === "string" ? { message } : message || {};');
    const feedback2 = sent[3]!.messages[sent[3]!.messages.length - 1]!.content;
    expect(feedback2).toMatch(new RegExp(`The change introduces 1 new type error:\\n${FILE.replace(/\./g, '\\.')}:4 TS2551 Property 'trimmed' does not exist on type 'string'`));

    // One proposal, exactly the repaired text, type-checked with no new error.
    expect(result.candidates).toHaveLength(1);
    const p = result.candidates[0]!.proposal!;
    expect(p.source).toBe('ai:scripted/script-1');
    expect(p.title).toBe('Trim string error messages');
    expect(p.rationale).toContain('errToObj now trims surrounding whitespace');
    expect(p.files.map((f) => [f.path, f.kind, f.added, f.removed])).toEqual([[FILE, 'modify', 1, 1]]);
    const expected = original.replace(SEARCH_OK, '    typeof message === "string" ? { message: message.trim() } : message || {};');
    expect(core.blobText(p.files[0]!.newHash!).toString('utf8')).toBe(expected);
    expect(isImpactFailure(p.impact)).toBe(false);
    const impact = p.impact as Exclude<typeof p.impact, { error: string } | undefined>;
    expect(impact.typeCheck.status).not.toBe('skipped');
    expect(impact.typeCheck.introduced).toEqual([]);
    expect(impact.dependents.total).toBeGreaterThan(0);
    console.log(`impact: ${impact.durationMs} ms ${JSON.stringify(impact.timings)}; checked ${impact.typeCheck.checkedFiles} files`);

    // The ai record.
    const ai = core.get(p.id).ai!;
    expect(ai).toMatchObject({ provider: 'scripted', model: 'script-1', thread: 'zod-trim', rounds: 4, task: 'Make errorUtil.errToObj trim string messages.' });
    expect(ai.route).toContain('Scripted model');
    expect(ai.repairs.map((r) => [r.round, r.kind])).toEqual([[2, 'no-match'], [3, 'type-errors']]);
    expect(ai.usage.inputTokens).toBeGreaterThan(0);
    expect(ai.costUsd).toBeUndefined();

    // The transcript: in the state folder, complete, and without the key.
    const file = path.join(core.stateDir, ...ai.transcript!.path.split('/'));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(FAKE_KEY);
    expect(text).toContain('ANTHROPIC_API_KEY=[REDACTED]');
    const doc = JSON.parse(text) as { messages: { role: string }[]; system: string };
    expect(doc.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(doc.system).toContain('<<<<<<< SEARCH');
    expect(ai.transcript!.messages).toBe(9);
    // Nothing else under the state folder holds the key either (proposal, audit log, blobs).
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk(core.stateDir)) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(FAKE_KEY);

    // Nothing was written to the workspace; approving writes exactly the expected text.
    expect(fs.readFileSync(path.join(root, FILE), 'utf8')).toBe(original);
    await core.approve(p.id);
    expect(fs.readFileSync(path.join(root, FILE), 'utf8')).toBe(expected);
  }, 240_000);
});
