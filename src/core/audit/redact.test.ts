import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactString } from './redact';

// Fake tokens are assembled at run time so secret scanners don't flag this file.
const rnd = (n: number, alphabet = 'aB3xY9kQ7mZ2pL5w') => Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');
const GH = {
  ghp: `ghp_${rnd(36)}`,
  gho: `gho_${rnd(36)}`,
  ghu: `ghu_${rnd(36)}`,
  ghs: `ghs_${rnd(36)}`,
  ghr: `ghr_${rnd(36)}`,
  pat: `github_pat_${rnd(22)}_${rnd(59)}`,
};
const OPENAI = `sk-${rnd(48)}`;
const OPENAI_PROJ = `sk-proj-${rnd(40)}_${rnd(20)}-${rnd(30)}`;
const ANTHROPIC = `sk-ant-api03-${rnd(40)}-${rnd(40)}_${rnd(10)}AA`;
const SLACK = `xoxb-1234567890-1234567890123-${rnd(24)}`;
const AWS = `AKIA${'IOSFODNN7EXAMPL'}E`;
const GOOGLE = `AIza${rnd(35, 'Sy0_-abcXYZ123')}`;
const JWT = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${rnd(43)}`;
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('redactString: token shapes', () => {
  it.each(Object.entries(GH))('GitHub %s token', (_name, token) => {
    expect(redactString(`push with ${token} please`)).toBe(`push with ${REDACTED} please`);
  });

  it.each([['OpenAI', OPENAI], ['OpenAI project', OPENAI_PROJ], ['Anthropic', ANTHROPIC]])('%s sk- key', (_n, key) => {
    expect(redactString(`key=${key}`)).not.toContain(key.slice(8));
    expect(redactString(`using ${key} now`)).toBe(`using ${REDACTED} now`);
  });

  it('Slack, AWS, Google keys', () => {
    expect(redactString(`slack ${SLACK}.`)).toBe(`slack ${REDACTED}.`);
    for (const kind of ['xoxa', 'xoxp', 'xoxr', 'xoxs']) {
      expect(redactString(`${kind}-${rnd(30)}`)).toBe(REDACTED);
    }
    expect(redactString(`aws ${AWS} here`)).toBe(`aws ${REDACTED} here`);
    expect(redactString(`g:${GOOGLE}`)).toBe(`g:${REDACTED}`);
  });

  it('Bearer and Basic authorization headers', () => {
    expect(redactString(`Authorization: Bearer ${rnd(20)}.${rnd(10)}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactString('authorization: bearer abc123def456')).toBe(`authorization: bearer ${REDACTED}`);
    const basic = Buffer.from('alice:s3cr3t-pw').toString('base64');
    expect(redactString(`Authorization: Basic ${basic}`)).toBe(`Authorization: Basic ${REDACTED}`);
  });

  it('JWTs', () => {
    expect(redactString(`token is ${JWT}`)).toBe(`token is ${REDACTED}`);
    expect(redactString(`${JWT.split('.').slice(0, 2).join('.')}.`)).toBe(REDACTED); // alg=none, empty signature
  });

  it('PEM private key blocks, terminated or not', () => {
    for (const kind of ['', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ']) {
      const pem = `-----BEGIN ${kind}PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n${rnd(64)}\n-----END ${kind}PRIVATE KEY-----`;
      expect(redactString(`before\n${pem}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
    }
    expect(redactString(`x -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADAN${rnd(40)}`)).toBe(`x ${REDACTED}`);
    // Public material is not secret.
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(redactString(cert)).toBe(cert);
  });

  it('password/token query params and user:password@ in URLs', () => {
    expect(redactString('https://h.example/cb?code=1&access_token=abc123&x=y'))
      .toBe(`https://h.example/cb?code=1&access_token=${REDACTED}&x=y`);
    expect(redactString('https://h.example/login?user=bob&password=hunter2#top'))
      .toBe(`https://h.example/login?user=bob&password=${REDACTED}#top`);
    expect(redactString('https://h.example/?token=t0k&api_key=k3y&sig=s1g'))
      .toBe(`https://h.example/?token=${REDACTED}&api_key=${REDACTED}&sig=${REDACTED}`);
    expect(redactString('git clone https://bob:hunter2@github.com/o/r.git'))
      .toBe(`git clone https://bob:${REDACTED}@github.com/o/r.git`);
    expect(redactString('redis://:p4ss@localhost:6379/0')).toBe(`redis://:${REDACTED}@localhost:6379/0`);
    expect(redactString('https://x-access-token:abc@github.com')).toBe(`https://x-access-token:${REDACTED}@github.com`);
  });

  it('model-provider keys: OpenRouter, Anthropic admin, Gemini, Google OAuth, Groq, xAI, Hugging Face', () => {
    const keys = [
      `sk-or-v1-${rnd(64, '0123456789abcdef')}`,
      `sk-ant-admin01-${rnd(60)}`,
      GOOGLE,
      `ya29.a0${rnd(60, 'aB3_-xY9')}`,
      `gsk_${rnd(52)}`,
      `xai-${rnd(80)}`,
      `hf_${rnd(34)}`,
    ];
    for (const key of keys) {
      expect(redactString(`key ${key} used`)).toBe(`key ${REDACTED} used`);
      expect(JSON.stringify(redactSecrets({ message: `401 for ${key}` }))).not.toContain(key);
    }
  });

  it('key headers in logged requests, whatever the key looks like (a proxy key has no known shape)', () => {
    const proxyKey = 'proxy_k3y_0f_n0_kn0wn_shap3';
    expect(redactString(`x-api-key: ${proxyKey}`)).toBe(`x-api-key: ${REDACTED}`);
    expect(redactString(`X-Goog-Api-Key:${proxyKey}\nAccept: */*`)).toBe(`X-Goog-Api-Key:${REDACTED}\nAccept: */*`);
    expect(redactString(`{"api-key":"${proxyKey}","model":"gpt-5"}`)).toBe(`{"api-key":"${REDACTED}","model":"gpt-5"}`);
    expect(redactString(`x-api-key: ${ANTHROPIC}`)).toBe(`x-api-key: ${REDACTED}`);
    // A header object is redacted by its key name.
    expect(redactSecrets({ headers: { 'x-api-key': proxyKey, 'x-goog-api-key': proxyKey, 'content-type': 'application/json' } }))
      .toEqual({ headers: { 'x-api-key': REDACTED, 'x-goog-api-key': REDACTED, 'content-type': 'application/json' } });
  });

  it('is idempotent', () => {
    const s = `a ${OPENAI} b https://u:p@h/?token=x Bearer ${JWT} x-api-key: ${rnd(20)} hf_${rnd(34)}`;
    expect(redactString(redactString(s))).toBe(redactString(s));
  });
});

describe('redactString: things that must survive', () => {
  it.each([
    ['sha256 hex', SHA],
    ['sha256 in prose', `baseHash ${SHA} changed`],
    ['file path', 'src/auth/tokenizer.ts'],
    ['windows path', 'C:\\Users\\bob\\secrets\\password-reset.ts'],
    ['ordinary words', 'Rotate the API token and password; Bearer authentication uses a secret'],
    ['Basic prose', 'Basic authentication is required'],
    ['proposal id (timestamp-random)', 'p-20250101-120000-a1b2c3d4'],
    ['proposal id (uuid)', '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b'],
    ['proposal id (ulid)', '01HZX3KQ8V7M2N4P6R8T0W2Y4A'],
    ['kebab name starting with sk-', 'sk-feature-branch-for-login-page-v2'],
    ['words containing sk-', 'task-management-and-risk-assessment-module'],
    ['url without credentials', 'https://github.com/o/r/pull/12?tab=files#diff'],
    ['git ssh remote', 'git@github.com:o/r.git'],
    ['identifier with ghp', 'ghp_token_value'],
    ['source text', 'const tokens = lex(input); if (password.length < 8) fail();'],
    ['model names', 'claude-sonnet-4-5-20250929 gpt-4o-mini gemini-2.5-flash llama3.1:8b'],
    ['words with hf_ / xai- / gsk_ inside', 'shelf_life=3 galaxai-module xai-config gsk_test'],
    ['api-key prose', 'Set the api-key: see docs'],
  ])('%s', (_name, text) => {
    expect(redactString(text)).toBe(text);
  });
});

describe('redactSecrets', () => {
  it('redacts values under secret-looking keys, at any depth, whatever their type', () => {
    const input = {
      token: 'abc', apiKey: 'k', 'api-key': 'k', api_key: 'k', Authorization: 'x', cookie: 'c',
      clientSecret: 's', passwd: 'p', credentials: { user: 'u', pass: 'p' }, private_key: 'pk', PASSWORD: 12345,
      nested: [{ refreshToken: 'r' }, { env: { GITHUB_TOKEN: 'g' } }],
    };
    expect(redactSecrets(input)).toEqual({
      token: REDACTED, apiKey: REDACTED, 'api-key': REDACTED, api_key: REDACTED, Authorization: REDACTED,
      cookie: REDACTED, clientSecret: REDACTED, passwd: REDACTED, credentials: REDACTED, private_key: REDACTED,
      PASSWORD: REDACTED, nested: [{ refreshToken: REDACTED }, { env: { GITHUB_TOKEN: REDACTED } }],
    });
  });

  it('keeps null/undefined/boolean under secret keys and leaves other keys alone', () => {
    expect(redactSecrets({ token: null, password: undefined, hasToken: true, author: 'bob', hash: SHA, path: 'src/a.ts' }))
      .toEqual({ token: null, password: undefined, hasToken: true, author: 'bob', hash: SHA, path: 'src/a.ts' });
  });

  it('redacts token shapes inside strings under any key, and in keys', () => {
    expect(redactSecrets({ message: `failed with ${GH.ghp}`, list: [OPENAI, 'ok'], [GH.gho]: 1 }))
      .toEqual({ message: `failed with ${REDACTED}`, list: [REDACTED, 'ok'], [REDACTED]: 1 });
  });

  it('deep-copies and never mutates its input', () => {
    const input = { a: { b: [1, { c: 'x' }] }, token: 't' };
    const snapshot = structuredClone(input);
    const out = redactSecrets(input) as typeof input;
    expect(input).toEqual(snapshot);
    expect(out.a).not.toBe(input.a);
    expect(out.a.b).not.toBe(input.a.b);
  });

  it('produces JSON-safe data from awkward values', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const err = Object.assign(new Error(`bad ${GH.ghp}`), { code: 'EACCES' });
    const shared = { v: 1 };
    const out = redactSecrets({
      cyclic, err, big: 10n, when: new Date('2025-01-02T03:04:05.000Z'), fn: () => 1,
      map: new Map([['token', 'x'], ['k', 'v']]), set: new Set([1, 2]), twice: [shared, shared],
    });
    expect(out).toEqual({
      cyclic: { name: 'loop', self: '[Circular]' },
      err: { name: 'Error', message: `bad ${REDACTED}`, code: 'EACCES' },
      big: '10', when: '2025-01-02T03:04:05.000Z', fn: undefined,
      map: { token: REDACTED, k: 'v' }, set: [1, 2], twice: [{ v: 1 }, { v: 1 }],
    });
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('keeps a "__proto__" key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const out = redactSecrets(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('redacts a plain string', () => {
    expect(redactSecrets(`x ${AWS}`)).toBe(`x ${REDACTED}`);
  });
});
