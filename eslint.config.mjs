import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', '.cache/**', 'out/**', 'examples/**', 'test/fixtures/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core runs in the CLI and in tests: it must never reach for the VS Code API.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not import vscode; add a port in src/core/ports.' }] }],
    },
  },
  {
    // Webview apps (React, browser): same TS rules for .tsx, and only src/shared from the host side.
    files: ['webview-ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webviews cannot use the VS Code API; talk to the host through webview-ui/src/host.' }],
        patterns: [{ group: ['**/src/core/**', '**/src/extension/**', '**/src/cli/**'], message: 'Webview code imports only src/shared (through webview-ui/src/protocol.ts).' }],
      }],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
