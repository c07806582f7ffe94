import { describe, expect, it } from 'vitest';
import { DIALOG_ARGS_LIMIT, describeAsk, parseMinutes } from './askText';

describe('describeAsk', () => {
  it('names server, tool, hints and reason, with the full arguments as pretty JSON', () => {
    const t = describeAsk({ server: 'fs', tool: 'write_file', args: { path: 'a.txt', content: 'x' }, annotations: { destructiveHint: true, title: 'Write' }, reason: 'the server marks it destructive' });
    expect(t.message).toBe('Allow the MCP tool "write_file" of "fs" to run?');
    expect(t.detail).toBe([
      'Server: fs', 'Tool: write_file (Write)', 'Server hints: destructive', 'Why Rusty asks: the server marks it destructive', '', 'Arguments:',
      '{\n  "path": "a.txt",\n  "content": "x"\n}',
    ].join('\n'));
    expect(t.truncated).toBe(false);
  });

  it('long arguments are cut in the dialog and offered whole', () => {
    const args = { content: 'y'.repeat(DIALOG_ARGS_LIMIT * 3) };
    const t = describeAsk({ server: 's', tool: 't', args, reason: 'no rule' });
    expect(t.truncated).toBe(true);
    expect(t.fullArgs).toBe(JSON.stringify(args, null, 2));
    expect(t.detail.length).toBeLessThan(DIALOG_ARGS_LIMIT + 400);
    expect(t.detail).toMatch(/choose "Show Arguments" to read them before deciding/);
    const many = describeAsk({ server: 's', tool: 't', args: Array.from({ length: 100 }, (_, i) => i), reason: 'no rule' });
    expect(many.truncated).toBe(true);
  });

  it('arguments that cannot be serialised still show', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeAsk({ server: 's', tool: 't', args: cyclic, reason: 'r' }).fullArgs).toBe('[object Object]');
    expect(describeAsk({ server: 's', tool: 't', args: undefined, reason: 'r' }).fullArgs).toBe('{}');
  });
});

describe('parseMinutes', () => {
  it('whole minutes from 1 to a day', () => {
    expect(parseMinutes(' 15 ')).toEqual({ ok: true, minutes: 15 });
    expect(parseMinutes('1440')).toEqual({ ok: true, minutes: 1440 });
  });

  it('explains anything else', () => {
    expect(parseMinutes('')).toEqual({ ok: false, message: 'Type a whole number of minutes, e.g. 15.' });
    expect(parseMinutes('2.5')).toEqual({ ok: false, message: 'Type a whole number of minutes, e.g. 15.' });
    expect(parseMinutes('-3')).toEqual({ ok: false, message: 'Type a whole number of minutes, e.g. 15.' });
    expect(parseMinutes('0')).toEqual({ ok: false, message: 'Choose between 1 and 1440 minutes (one day); use "Always Allow" for longer.' });
    expect(parseMinutes('5000')).toEqual({ ok: false, message: 'Choose between 1 and 1440 minutes (one day); use "Always Allow" for longer.' });
  });
});
