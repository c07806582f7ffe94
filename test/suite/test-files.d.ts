// A virtual module made by scripts/vscode-host/bundle-suite.mjs when it bundles the suite: it
// requires every test/suite/**/*.test.ts (so Mocha's globals must exist first) and returns their
// paths relative to test/suite.
declare module 'rusty:test-files' {
  export function loadTestFiles(): string[];
}
