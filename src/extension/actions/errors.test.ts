import { describe, expect, it } from 'vitest';
import { RustyError } from '../../core/util/errors';
import { describeConflictList, isRustyErrorLike, toUserError } from './errors';

describe('user-facing errors', () => {
  it('keeps the core messages and conflicts, also for RustyErrors from another bundle', () => {
    const conflicts = [{ path: 'a.ts', reason: 'changed since', hunks: ['0123abcd'] }];
    expect(toUserError(new RustyError('conflict', 'Proposal p conflicts.', { conflicts }))).toEqual({ code: 'conflict', message: 'Proposal p conflicts.', conflicts });
    const foreign = Object.assign(new Error('Cancelled.'), { name: 'RustyError', code: 'cancelled' });
    expect(isRustyErrorLike(foreign)).toBe(true);
    expect(toUserError(foreign)).toEqual({ code: 'cancelled', message: 'Cancelled.' });
    expect(describeConflictList(conflicts)).toBe('a.ts: changed since (hunks 0123abcd)');
  });

  it('wraps anything else as an internal error pointing at the log', () => {
    expect(toUserError(new TypeError('x is undefined'))).toEqual({ code: 'internal', message: 'Rusty hit an unexpected error: x is undefined. Details are in the "Rusty" output channel.' });
    expect(toUserError('plain').code).toBe('internal');
  });
});
