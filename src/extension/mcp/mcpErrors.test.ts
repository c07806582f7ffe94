import { describe, expect, it } from 'vitest';
import { McpError } from '../../core/mcp/types';
import { RustyError } from '../../core/util/errors';
import { describeMcpError, isMcpErrorLike } from './mcpErrors';

describe('describeMcpError', () => {
  it('duck-types McpError from another bundle', () => {
    const foreign = Object.assign(new Error('x'), { name: 'McpError', kind: 'timeout' });
    expect(isMcpErrorLike(foreign)).toBe(true);
    expect(isMcpErrorLike(new Error('x'))).toBe(false);
  });

  it('each kind gets the actions that help', () => {
    const d = (kind: ConstructorParameters<typeof McpError>[0], interactive = false) =>
      describeMcpError(new McpError(kind, `${kind} happened.`, 'srv', 'tool'), { interactive });
    expect(d('denied')).toEqual({ kind: 'denied', level: 'error', message: 'denied happened.', actions: ['Open Policy', 'Show Grants'] });
    expect(d('ask-refused').actions).toEqual(['Open Policy']);
    expect(d('invalid-params', true)).toEqual({ kind: 'invalid-params', level: 'error', message: 'invalid-params happened. Your input is kept: choose "Edit Arguments" to fix it.', actions: ['Edit Arguments'] });
    expect(d('invalid-params').actions).toEqual([]);
    expect(d('timeout').message).toBe('timeout happened. The server may still be working; retry, or raise "timeoutMs" for srv in its config.');
    expect(d('timeout').actions).toEqual(['Retry', 'Show Log']);
    expect(d('connection').actions).toEqual(['Restart Server', 'Show Log']);
    expect(d('protocol').actions).toEqual(['Restart Server', 'Show Log']);
    expect(d('config').actions).toEqual(['Open Config']);
    expect(d('unknown-server').actions).toEqual(['Open Config']);
    expect(d('tool-error', true).actions).toEqual(['Edit Arguments', 'Show Log']);
    expect(d('cancelled')).toEqual({ kind: 'cancelled', level: 'info', message: 'Cancelled: cancelled happened.', actions: [] });
  });

  it('Rusty errors keep their words; anything else points at the log', () => {
    expect(describeMcpError(new RustyError('usage', 'Open a folder first.'))).toEqual({ kind: 'usage', level: 'error', message: 'Open a folder first.', actions: [] });
    expect(describeMcpError(new TypeError('boom')).message).toBe('Rusty hit an unexpected error with MCP: boom. Details are in the "Rusty" output channel.');
    expect(describeMcpError('text').kind).toBe('internal');
  });
});
