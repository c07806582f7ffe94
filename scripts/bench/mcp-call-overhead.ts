// Benchmark (not a test): what Rusty adds to an MCP tool call. In one run, against
// @modelcontextprotocol/server-everything over stdio, `echo` is called N times through
//   (a) the raw SDK Client of Rusty's own connection (same server process, same pipe: the only
//       difference from (b) is Rusty's code, so this is the headline baseline),
//   (b) McpService.callTool with an allow rule: schema validation + permission gate + audit
//       (queued, written in batches under the state lock) + the client manager's timeout /
//       progress / retry wrapper,
//   (c) the client manager alone on that connection (its wrapper, no gate or audit), and
//   (d) a raw SDK Client on a connection of its own (another server process: the first baseline,
//       which measures process-to-process scheduling luck as much as Rusty's code),
// interleaved call by call (rotating which goes first) so drift hits all equally, after a
// warm-up, in several rounds with fresh server processes. Prints the median and p95 of each and,
// against the ≤ 1.05× target, the paired ratio: b / a call by call (the two calls run back to
// back, so a stall of the shared machine hits both), its median per round, the median of the
// rounds. Also the ratio of the medians per round (as before) and the median paired difference
// b − a: the time Rusty adds per call.
//
//   node scripts/bench/build.mjs && node dist/bench/mcp-call-overhead.mjs
//
// Knobs (environment): BENCH_MCP_CALLS (400 per side per round), BENCH_MCP_ROUNDS (7), BENCH_MCP_WARMUP (100), BENCH_KEEP=1 (keep the temp
// workspace and state folder, e.g. to inspect the audit log).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpService } from '../../src/core/mcp/service';
import type { McpClientManager } from '../../src/core/mcp/client';
import { AuditLog } from '../../src/core/audit';
import { intFromEnv } from './benchEnv';

const CALLS = intFromEnv('BENCH_MCP_CALLS', 400, 20);
const ROUNDS = intFromEnv('BENCH_MCP_ROUNDS', 7, 1);
const WARMUP = intFromEnv('BENCH_MCP_WARMUP', 100, 0);
const TARGET = 1.05;

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url)); // dist/bench when bundled
const REPO_ROOT = path.resolve(OUT_DIR, '..', '..');
const SERVER = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const JSON_OUT = path.join(OUT_DIR, 'mcp-call-overhead.json');

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm install (server-everything is a devDependency).`);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-bench-mcp-')));
  const workspace = path.join(tmp, 'ws');
  const stateDir = path.join(tmp, 'state');
  fs.mkdirSync(path.join(workspace, '.rusty'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.rusty', 'policy.json'), JSON.stringify({ rules: [{ server: 'everything', tool: 'echo', decision: 'allow' }] }));
  const configFile = path.join(tmp, 'mcp.json');
  fs.writeFileSync(configFile, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [SERVER, 'stdio'] } } }));

  const message = { message: 'hello from the benchmark' };
  const rawMs: number[] = [];
  const sameMs: number[] = [];
  const rustyMs: number[] = [];
  const managerMs: number[] = [];
  const addedMs: number[] = [];
  const roundRatios: number[] = [];
  const roundPaired: number[] = [];
  const roundOwnRatios: number[] = [];
  const roundManagerRatios: number[] = [];
  let flushMs = 0;
  try {
    // Each side talks to its own server process, and processes differ by more than the 5 % being
    // measured (scheduling, JIT warm-up). So every round starts fresh processes for all three
    // sides; the headline is the median of the per-round ratios, which cancels a lucky or unlucky
    // process instead of crediting it to one side.
    for (let round = 0; round < ROUNDS; round++) {
      const raw = new Client({ name: 'rusty-bench-raw', version: '0.0.0' });
      await raw.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER, 'stdio'], stderr: 'ignore' }));
      await raw.listTools(); // the SDK caches output validators from the listing, as Rusty's discovery does

      const service = await McpService.create({
        workspace, stateDir, env: process.env, actor: 'bench',
        settings: { importFrom: [] }, extraConfigFiles: [configFile],
      });
      // Rusty's own client manager and the SDK Client of its connection (private fields: a bench
      // may reach in; nothing else does).
      const manager = (service as unknown as { manager: McpClientManager }).manager;
      try {
        await service.start('everything');
        const sameClient = (manager as unknown as { connection(name: string): { requireClient(): Client } }).connection('everything').requireClient();
        await sameClient.listTools(); // as (d): the SDK caches the output validators of the listing
        const viaRaw = async () => {
          const t0 = performance.now();
          await raw.callTool({ name: 'echo', arguments: message });
          return performance.now() - t0;
        };
        const viaSame = async () => {
          const t0 = performance.now();
          await sameClient.callTool({ name: 'echo', arguments: message });
          return performance.now() - t0;
        };
        const viaManager = async () => {
          const t0 = performance.now();
          await manager.callTool('everything', 'echo', message);
          return performance.now() - t0;
        };
        const viaRusty = async () => {
          const t0 = performance.now();
          await service.callTool('everything', 'echo', message);
          return performance.now() - t0;
        };

        for (let i = 0; i < WARMUP; i++) {
          await viaRaw();
          await viaSame();
          await viaRusty();
          await viaManager();
        }
        await service.flushAudit();

        const r: number[] = [];
        const a: number[] = [];
        const b: number[] = [];
        const m: number[] = [];
        const sides = [() => viaRaw().then((ms) => r.push(ms)), () => viaSame().then((ms) => a.push(ms)), () => viaRusty().then((ms) => b.push(ms)), () => viaManager().then((ms) => m.push(ms))];
        for (let i = 0; i < CALLS; i++) {
          // Rotate the order so no side always runs right after another's audit flush.
          for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]!();
        }
        const flushStart = performance.now();
        await service.flushAudit();
        flushMs = Math.max(flushMs, performance.now() - flushStart);
        rawMs.push(...r);
        sameMs.push(...a);
        rustyMs.push(...b);
        managerMs.push(...m);
        addedMs.push(...b.map((x, i) => x - a[i]!));
        roundPaired.push(stats(b.map((x, i) => x / a[i]!)).median);
        roundRatios.push(stats(b).median / stats(a).median);
        roundOwnRatios.push(stats(b).median / stats(r).median);
        roundManagerRatios.push(stats(m).median / stats(a).median);
      } finally {
        await raw.close().catch(() => undefined);
        await service.dispose();
      }
    }

    const entries = new AuditLog(path.join(stateDir, 'audit.jsonl')).read();
    const calls = entries.filter((e) => e.action === 'mcp.call').length;
    const decisions = entries.filter((e) => e.action === 'mcp.decision').length;
    const expected = (CALLS + WARMUP) * ROUNDS;
    if (calls !== expected || decisions !== expected) {
      throw new Error(`audit log has ${calls} mcp.call and ${decisions} mcp.decision entries; expected ${expected} of each`);
    }

    const own = stats(rawMs);
    const a = stats(sameMs);
    const b = stats(rustyMs);
    const c = stats(managerMs);
    const added = stats(addedMs);
    const ratio = stats(roundRatios).median;
    const paired = stats(roundPaired).median;
    const ratioOwn = stats(roundOwnRatios).median;
    const pooled = b.median / a.median;
    const ratioP95 = b.p95 / a.p95;
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
    const fmt = (x: number) => `${(x * 1000).toFixed(0).padStart(6)} µs`;
    const lines = [
      `MCP call overhead: server-everything echo over stdio, ${ROUNDS} rounds × ${CALLS} calls per side, interleaved, fresh server processes each round, ${WARMUP} warm-up calls per side per round (node ${process.version}, ${os.cpus().length} CPUs)`,
      `                        median       p95       min   (all rounds pooled)`,
      `  raw SDK Client, same connection ${fmt(a.median)}  ${fmt(a.p95)}  ${fmt(a.min)}`,
      `  Rusty McpService               ${fmt(b.median)}  ${fmt(b.p95)}  ${fmt(b.min)}`,
      `  (client manager, same conn.    ${fmt(c.median)}  ${fmt(c.p95)}  ${fmt(c.min)}   without gate/audit: ${stats(roundManagerRatios).median.toFixed(3)}× median of rounds)`,
      `  (raw SDK Client, own process   ${fmt(own.median)}  ${fmt(own.p95)}  ${fmt(own.min)}   Rusty / it: ${ratioOwn.toFixed(3)}× median of rounds, ${spread(roundOwnRatios)})`,
      `  paired ratio per round   ${roundPaired.map((x) => x.toFixed(3)).join('  ')}   (spread ${spread(roundPaired)})`,
      `  paired ratio (median of rounds) ${paired.toFixed(3)}×   target ≤ ${TARGET}×: ${paired <= TARGET ? 'MET' : 'MISSED'}`,
      `  ratio of medians per round ${roundRatios.map((x) => x.toFixed(3)).join('  ')}   (spread ${spread(roundRatios)}; median ${ratio.toFixed(3)}×, pooled ${pooled.toFixed(3)}×)`,
      `  added per call (median of paired differences) ${(added.median * 1000).toFixed(0)} µs`,
      `  ratio (p95, pooled) ${ratioP95.toFixed(3)}×`,
      `  audit: ${calls} mcp.call + ${decisions} mcp.decision entries written; slowest final flush ${flushMs.toFixed(1)} ms; chain ${new AuditLog(path.join(stateDir, 'audit.jsonl')).verify().ok ? 'verified' : 'BROKEN'}`,
    ];
    console.log(lines.join('\n'));
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(JSON_OUT, JSON.stringify({
      rounds: ROUNDS, calls: CALLS, warmup: WARMUP, target: TARGET, rawSameConnectionMs: a, rustyMs: b, managerMs: c, rawOwnProcessMs: own, addedMs: added,
      roundPaired, pairedRatio: paired, roundRatios, roundOwnRatios, ratioMedian: ratio, ratioOwnMedian: ratioOwn, ratioPooled: pooled, ratioP95, auditFlushMs: flushMs,
      node: process.version, cpus: os.cpus().length, at: new Date().toISOString(),
    }, null, 2));
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`mcp-call-overhead: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exitCode = 1;
});
