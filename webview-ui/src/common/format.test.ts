import { describe, expect, it } from 'vitest';
import { formatAge, formatLineCounts, plural, statusLabel } from './format';
import { actionsForStatus, offersForce } from './statusActions';

describe('formatAge', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it.each([
    ['2025-06-01T11:59:40Z', 'just now'],
    ['2025-06-01T11:55:00Z', '5m ago'],
    ['2025-06-01T09:00:00Z', '3h ago'],
    ['2025-05-30T12:00:00Z', '2d ago'],
    ['2025-06-01T12:00:30Z', 'just now'],
    ['not a date', ''],
  ])('%s → %s', (iso, expected) => expect(formatAge(iso, now)).toBe(expected));

  it('falls back to the date after a month', () => expect(formatAge('2025-01-15T12:00:00Z', now)).toMatch(/^2025-01-1[45]$/));
});

describe('labels', () => {
  it('formats counts and statuses', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(formatLineCounts(3, 1)).toBe('+3 \u22121');
    expect(statusLabel('partially-approved')).toBe('Partially approved');
  });
});

describe('actionsForStatus', () => {
  it('offers only what the core state machine allows', () => {
    expect(actionsForStatus('pending')).toEqual({ approve: true, reject: true, rollback: false, redo: false });
    expect(actionsForStatus('conflicted').approve).toBe(true);
    expect(actionsForStatus('stale')).toEqual({ approve: false, reject: true, rollback: false, redo: false });
    expect(actionsForStatus('applied').rollback).toBe(true);
    expect(actionsForStatus('redone').rollback).toBe(true);
    expect(actionsForStatus('rolled-back').redo).toBe(true);
    for (const s of ['applying', 'approved', 'partially-approved', 'rejected'] as const) {
      expect(Object.values(actionsForStatus(s)).some(Boolean)).toBe(false);
    }
  });

  it('offers force only for a conflict that mentions it', () => {
    expect(offersForce({ code: 'conflict', forceable: true })).toBe(true);
    expect(offersForce({ code: 'conflict' })).toBe(false);
    expect(offersForce({ code: 'io', forceable: true })).toBe(false);
    expect(offersForce(undefined)).toBe(false);
  });
});
