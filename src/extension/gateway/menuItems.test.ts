import { describe, expect, it } from 'vitest';
import { gatewayMenuItems, gatewayMenuTitle } from './menuItems';

describe('gateway status bar menu', () => {
  it('stopped: start or connect', () => {
    expect(gatewayMenuItems({ running: false }).map((i) => i.id)).toEqual(['start', 'connect']);
    expect(gatewayMenuTitle({ running: false })).toBe('Rusty agent gateway (stopped)');
  });

  it('running: connect, copy the URL, stop; the refused submissions only when there are some', () => {
    const url = 'http://127.0.0.1:7767/mcp';
    const clean = gatewayMenuItems({ running: true, url, queued: 0, dead: 0 });
    expect(clean.map((i) => i.id)).toEqual(['connect', 'copy', 'stop']);
    expect(clean.find((i) => i.id === 'copy')!.description).toBe(url);
    expect(clean.find((i) => i.id === 'stop')!.description).toBeUndefined();
    const dead = gatewayMenuItems({ running: true, url, queued: 2, dead: 3 });
    expect(dead.map((i) => i.id)).toEqual(['connect', 'dead', 'copy', 'stop']);
    expect(dead[1]!.label).toBe('$(warning) Show Refused Submissions (3)');
    expect(dead.find((i) => i.id === 'stop')!.description).toBe('2 queued submissions wait in the state folder');
    expect(gatewayMenuTitle({ running: true, url, queued: 0, dead: 0 })).toBe(`Rusty agent gateway — ${url}`);
  });
});
