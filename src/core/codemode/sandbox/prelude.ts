// The script's whole world, set up inside QuickJS before the script runs. The two host hooks are
// taken off the global object and kept in this closure; the API is frozen and non-configurable,
// and values cross the boundary only as JSON text (parsed with the copies captured here, so a
// script that replaces JSON.parse or Object.prototype cannot reach the host through them).
export const PRELUDE = String.raw`(function () {
  'use strict';
  const host = globalThis.__rustyHost;
  const log = globalThis.__rustyLog;
  delete globalThis.__rustyHost;
  delete globalThis.__rustyLog;
  // No shared memory or atomics: nothing to time or share with.
  delete globalThis.SharedArrayBuffer;
  delete globalThis.Atomics;
  const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, define = Object.defineProperty;
  const StringFn = String, Fn = Function;
  const call = (op, args) => host(op, stringify(args)).then((text) => parse(text));
  const show = (v) => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return StringFn(v.stack ? v.name + ': ' + v.message + '\n' + v.stack : v);
    try { const s = stringify(v, null, 2); return s === undefined ? StringFn(v) : s; } catch (e) { return StringFn(v); }
  };
  const print = (...a) => { log(a.map(show).join(' ')); };
  const api = {
    console: freeze({ log: print, info: print, warn: print, error: print, debug: print }),
    callTool: (server, tool, args) => call('callTool', [server, tool, args === undefined ? {} : args]),
    workspace: freeze({
      read: (path) => call('workspace.read', [path]),
      list: (options) => call('workspace.list', [options === undefined ? {} : options]),
      search: (query, options) => call('workspace.search', [query, options === undefined ? {} : options]),
      write: (path, content) => call('workspace.write', [path, content]),
      delete: (path) => call('workspace.delete', [path]),
      rename: (from, to) => call('workspace.rename', [from, to]),
    }),
    state: freeze({
      get: (key) => call('state.get', [key]),
      set: (key, value) => call('state.set', [key, value]),
    }),
    skills: freeze({
      list: () => call('skills.list', []),
      search: (query) => call('skills.search', [query]),
      // A skill is CommonJS-shaped JavaScript run in this same sandbox (same limits).
      run: async (name, inputs) => {
        const code = await call('skills.load', [name]);
        const module = { exports: {} };
        new Fn('exports', 'module', code)(module.exports, module);
        const fn = module.exports.default !== undefined ? module.exports.default : module.exports.run;
        if (typeof fn !== 'function') throw new TypeError('skill ' + StringFn(name) + ' exports no default function');
        return fn(inputs === undefined ? {} : inputs);
      },
    }),
    search_tools: (query, detail) => call('search_tools', [query, detail === undefined ? 'summary' : detail]),
    get_tool_docs: (server, tool) => call('get_tool_docs', [server, tool]),
    list_categories: () => call('list_categories', []),
  };
  for (const name of Object.keys(api)) define(globalThis, name, { value: api[name], writable: false, enumerable: false, configurable: false });
})();`;
