import { randomBytes } from 'node:crypto';

// Short, sortable ids: time prefix keeps listings chronological, random suffix avoids clashes
// between two processes creating proposals in the same millisecond.
export function newId(prefix: string, now: Date = new Date()): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  return `${prefix}${time}${randomBytes(3).toString('hex')}`;
}
