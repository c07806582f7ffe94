import { describe, expect, it } from 'vitest';
import type { ProposalFile } from '../../core/proposals/model';
import { parseProposalUri, proposalUriParts, sideHash } from './proposalUri';

describe('rusty-proposal: URIs', () => {
  it('round-trip folder, id, path and side, keeping the file name for language detection', () => {
    const parts = { folder: 'file:///work/my%20ws', id: 'p1', path: 'src/a b.ts', side: 'after' as const };
    const uri = proposalUriParts(parts);
    expect(uri.path).toBe('/src/a b.ts');
    expect(parseProposalUri(uri)).toEqual(parts);
    expect(parseProposalUri({ path: '/x', query: 'id=p1&side=sideways&folder=f' })).toBeUndefined();
    expect(parseProposalUri({ path: '/x', query: '' })).toBeUndefined();
  });

  it('names the blob of each side, null where there is no file', () => {
    const f = (kind: ProposalFile['kind'], extra: Partial<ProposalFile> = {}): ProposalFile => ({ path: 'a', kind, binary: false, added: 0, removed: 0, hunks: [], ...extra });
    expect([sideHash(f('modify', { baseHash: 'b', newHash: 'n' }), 'before'), sideHash(f('modify', { baseHash: 'b', newHash: 'n' }), 'after')]).toEqual(['b', 'n']);
    expect([sideHash(f('create', { newHash: 'n' }), 'before'), sideHash(f('create', { newHash: 'n' }), 'after')]).toEqual([null, 'n']);
    expect([sideHash(f('delete', { baseHash: 'b' }), 'before'), sideHash(f('delete', { baseHash: 'b' }), 'after')]).toEqual(['b', null]);
    expect(sideHash(f('rename', { baseHash: 'b' }), 'after')).toBe('b');
  });
});
