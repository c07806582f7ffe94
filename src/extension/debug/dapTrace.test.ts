// The trace Rusty builds from a stopped debug session, on the DAP messages a real js-debug session
// sent (fixtures/js-debug-uncaught-typeerror.json, captured by the host suite), read by the core's parser.
import { describe, expect, it } from 'vitest';
import { classify } from '../../core/debug/classify';
import { parseStack } from '../../core/debug/stack';
import { errorLineOf, localPath, traceFromDap, type DapExceptionInfo, type DapStackFrame } from './dapTrace';
import captured from './fixtures/js-debug-uncaught-typeerror.json';

const info = captured.exceptionInfo.body as DapExceptionInfo;
const frames = captured.stackTrace.body.stackFrames as DapStackFrame[];
const ws = captured.workspace;

describe('a trace from a stopped js-debug session', () => {
  it('takes the error line from exceptionInfo and the source frames from stackTrace', () => {
    const trace = traceFromDap(info, frames);
    const lines = trace.split('\n');
    expect(lines[0]).toBe("TypeError: Cannot read properties of undefined (reading 'toUpperCase')");
    expect(lines[1]).toBe(`    at Timeout {.shout (${ws}/src/dbg/stop.mjs:4:20)`);
    expect(lines[2]).toBe('    at listOnTimeout (node:internal/timers:581:17)');
    // Label frames ("Timeout", "await") are not frames; the async part (where the timer was set) stays.
    expect(lines).not.toContain('    at Timeout');
    expect(lines.some((l) => l === `    at ${ws}/src/dbg/stop.mjs:7:1` || l.startsWith(`    at <anonymous>`) || l.endsWith(`stop.mjs:7:1)`) || l.endsWith('stop.mjs:7:1'))).toBe(true);
    expect(lines.length).toBe(1 + frames.filter((f) => f.presentationHint !== 'label').length);
  });

  it('reads back through the core: the workspace frame first, runtime frames as node:, a null access', () => {
    const trace = traceFromDap(info, frames);
    const parsed = parseStack(trace);
    expect(parsed).toMatchObject({ errorName: 'TypeError', message: "Cannot read properties of undefined (reading 'toUpperCase')" });
    expect(parsed.frames[0]).toMatchObject({ location: `${ws}/src/dbg/stop.mjs`, line: 4, column: 20 });
    expect(parsed.frames.filter((f) => f.location.startsWith('node:')).length).toBeGreaterThan(5);
    expect(classify(parsed, trace)).toBe('null-access');
  });

  it('a remote window\'s vscode-remote:// source paths (what customRequest returns in code-server) become local paths', () => {
    // The host suite's run: the adapter sent /tmp/…/stop.mjs, Rusty's customRequest got vscode-remote://127.0.0.1:40419/tmp/…/stop.mjs.
    const remote = frames.map((f) => (f.source?.path?.startsWith('/') ? { ...f, source: { ...f.source, path: `vscode-remote://127.0.0.1:40419${f.source.path.split('/').map(encodeURIComponent).join('/')}` } } : f));
    expect(traceFromDap(info, remote)).toBe(traceFromDap(info, frames));
    expect(localPath('vscode-remote://wsl%2Bubuntu/home/a%20b/x.js')).toBe('/home/a b/x.js');
    expect(localPath('vscode-remote://ssh-remote%2Bbox/c%3A/p/x.js')).toBe('c:/p/x.js');
    expect(localPath('/plain/x.js')).toBe('/plain/x.js');
  });

  it('a source known only by sourceReference keeps its workspace-relative name, other names stay labels', () => {
    const refOnly = frames.map((f) => (f.source?.path?.endsWith('stop.mjs') ? { ...f, source: { name: f.source.name, sourceReference: 7 } } : f));
    const parsed = parseStack(traceFromDap(info, refOnly));
    expect(parsed.frames[0]).toMatchObject({ location: 'src/dbg/stop.mjs', line: 4, column: 20 });
    const vm = traceFromDap(info, [{ name: 'eval', line: 1, column: 5, source: { name: 'VM46 eval', sourceReference: 3 } }]);
    expect(vm.split('\n')[1]).toBe('    at eval (<VM46 eval>:1:5)');
  });

  it('falls back to the adapter\'s own stack text or a plain name when it has no frames or no error line', () => {
    expect(traceFromDap(info, [])).toBe(info.details!.stackTrace);
    expect(errorLineOf({ exceptionId: 'custom', description: 'boom' })).toBe('Error: boom');
    expect(errorLineOf({ description: 'Uncaught (in promise) RangeError: too big\n  at x' })).toBe('RangeError: too big');
    expect(errorLineOf(undefined)).toBe('Error');
  });
});
