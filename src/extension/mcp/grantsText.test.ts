import { describe, expect, it } from 'vitest';
import type { McpGrant } from '../../core/mcp/types';
import { grantDetail, grantLabel, grantScopeText } from './grantsText';

const now = new Date('2026-01-01T12:00:00Z');
const g = (over: Partial<McpGrant>): McpGrant => ({ id: 'g1', server: 'everything', tool: 'echo', scope: 'once', createdAt: '2026-01-01T11:00:00Z', ...over });

describe('grants as listed', () => {
  it('scope words, with the time left for timed grants', () => {
    expect(grantScopeText(g({}), now)).toBe('once (the next call)');
    expect(grantScopeText(g({ scope: 'session' }), now)).toBe('this session (until VS Code closes)');
    expect(grantScopeText(g({ scope: 'timed', expiresAt: '2026-01-01T12:00:30Z' }), now)).toBe('for 1 more minute');
    expect(grantScopeText(g({ scope: 'timed', expiresAt: '2026-01-01T12:15:00Z' }), now)).toBe('for 15 more minutes');
    expect(grantScopeText(g({ scope: 'timed', expiresAt: '2026-01-01T17:00:00Z' }), now)).toBe('for 5 more hours');
    expect(grantScopeText(g({ scope: 'timed', expiresAt: '2026-01-01T11:59:00Z' }), now)).toBe('expired');
  });

  it('label and detail', () => {
    expect(grantLabel(g({}))).toBe('everything / echo');
    expect(grantDetail(g({ scope: 'timed', expiresAt: '2026-01-01T12:15:00Z' }))).toBe('granted 2026-01-01T11:00:00Z · expires 2026-01-01T12:15:00Z · id g1');
  });
});
