// A small JSON state file validated on read: a file that does not parse or does not match its
// schema is moved aside (kept for inspection) with a warning, and the reader starts from empty —
// never a crash. Writers replace the file atomically under the AI lock (see MetricsStore).
import * as fs from 'node:fs';
import type { z } from 'zod';
import { readIfExists } from '../../util/fsx';

export function readValidated<T>(file: string, schema: z.ZodType<T>, empty: () => T, onWarning: (message: string) => void): T {
  let buf: Buffer | undefined;
  try {
    buf = readIfExists(file);
  } catch (err) {
    onWarning(`${file} could not be read (${(err as Error).message}); starting from empty.`);
    return empty();
  }
  if (buf === undefined) return empty();
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(buf.toString('utf8')));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    problem = `${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}`;
  } catch (err) {
    problem = (err as Error).message;
  }
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    // Another process moved it first, or the folder is read-only: still start from empty.
  }
  onWarning(`${file} was unreadable (${problem}); it was moved to ${aside} and Rusty starts from empty.`);
  return empty();
}
