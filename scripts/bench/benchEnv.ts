// What every benchmark script shares: integer knobs from the environment, and the seeded generator
// the tests use too, so each run measures the same workload.

export function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

export { rng } from '../../src/core/testing/random';
