import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listWorkspaceFiles } from './listFiles';

const roots: string[] = [];
afterEach(() => {
  while (roots.length > 0) rmSync(roots.pop() ?? '', { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'rusty-list-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

describe('listWorkspaceFiles', () => {
  it('lists TS/JS sources, sorted, relative, with /', async () => {
    const root = tree({
      'src/b.ts': '',
      'src/a.tsx': '',
      'src/deep/c.mts': '',
      'src/deep/d.cts': '',
      'lib/e.js': '',
      'lib/f.jsx': '',
      'lib/g.mjs': '',
      'lib/h.cjs': '',
      'README.md': '',
      'src/data.json': '',
      'src/style.css': '',
      'Z.ts': '',
    });
    expect(await listWorkspaceFiles(root)).toEqual([
      'Z.ts',
      'lib/e.js',
      'lib/f.jsx',
      'lib/g.mjs',
      'lib/h.cjs',
      'src/a.tsx',
      'src/b.ts',
      'src/deep/c.mts',
      'src/deep/d.cts',
    ]);
  });

  it('leaves out declaration files by default', async () => {
    const root = tree({ 'src/a.ts': '', 'src/a.d.ts': '', 'types/x.d.mts': '', 'types/y.d.cts': '', 'src/s.d.css.ts': '' });
    expect(await listWorkspaceFiles(root)).toEqual(['src/a.ts']);
  });

  it('always skips node_modules, .git, dist, out, build, coverage, .vscode-test at any depth', async () => {
    const files: Record<string, string> = { 'src/keep.ts': '', 'packages/p/src/keep.ts': '' };
    for (const dir of ['node_modules', '.git', 'dist', 'out', 'build', 'coverage', '.vscode-test']) {
      files[`${dir}/x.ts`] = '';
      files[`packages/p/${dir}/y.js`] = '';
    }
    files['.gitignore'] = '!dist\n!node_modules/\n';
    const root = tree(files);
    expect(await listWorkspaceFiles(root)).toEqual(['packages/p/src/keep.ts', 'src/keep.ts']);
  });

  it('honours the root .gitignore, with negations and anchored patterns', async () => {
    const root = tree({
      '.gitignore': '# generated\n/generated\ntmp/\n*.gen.ts\n!keep.gen.ts\nsrc/secret.ts\n',
      'generated/a.ts': '',
      'src/generated/b.ts': '',
      'tmp/c.ts': '',
      'src/tmp/d.ts': '',
      'src/x.gen.ts': '',
      'src/keep.gen.ts': '',
      'src/secret.ts': '',
      'src/ok.ts': '',
    });
    expect(await listWorkspaceFiles(root)).toEqual(['src/generated/b.ts', 'src/keep.gen.ts', 'src/ok.ts']);
  });

  it('prunes plain directory names from the root .gitignore (same result)', async () => {
    const root = tree({ '.gitignore': 'vendor\n/target/\n', 'vendor/a.ts': '', 'lib/vendor/b.ts': '', 'target/c.ts': '', 'lib/target/d.ts': '' });
    expect(await listWorkspaceFiles(root)).toEqual(['lib/target/d.ts']);
  });

  it('honours nested .gitignore files relative to their folder; deeper rules win', async () => {
    const root = tree({
      '.gitignore': '*.local.ts\n',
      'packages/a/.gitignore': 'gen/\n!special.local.ts\n/root-only.ts\n',
      'packages/a/gen/x.ts': '',
      'packages/a/src/gen/y.ts': '',
      'packages/a/special.local.ts': '',
      'packages/a/other.local.ts': '',
      'packages/a/root-only.ts': '',
      'packages/a/src/root-only.ts': '',
      'packages/b/gen/z.ts': '',
    });
    expect(await listWorkspaceFiles(root)).toEqual([
      'packages/a/special.local.ts',
      'packages/a/src/root-only.ts',
      'packages/b/gen/z.ts',
    ]);
  });

  it('does not let a file be re-included inside an ignored folder', async () => {
    const root = tree({ '.gitignore': 'gen/\n!gen/keep.ts\n', 'gen/keep.ts': '', 'a.ts': '' });
    expect(await listWorkspaceFiles(root)).toEqual(['a.ts']);
  });

  it('does not follow symbolic links (nothing outside the root, no file through a link)', async () => {
    const root = tree({ 'src/a.ts': '' });
    const outside = tree({ 'o.ts': '', 'sub/p.ts': '' });
    try {
      symlinkSync(path.join(outside, 'o.ts'), path.join(root, 'src/linked-file.ts'));
      symlinkSync(outside, path.join(root, 'src/linked-dir'), 'dir');
      symlinkSync(path.join(root, 'src/a.ts'), path.join(root, 'src/inside-link.ts'));
    } catch {
      return; // no symlink permission (Windows without developer mode)
    }
    expect(await listWorkspaceFiles(root)).toEqual(['src/a.ts']);
  });

  it('accepts other patterns and extra ignores', async () => {
    const root = tree({ 'a.ts': '', 'b.json': '', 'c/d.json': '', 'c/e.d.ts': '', 'node_modules/m/package.json': '' });
    expect(await listWorkspaceFiles(root, { patterns: ['**/*.json', '**/*.d.ts'] })).toEqual(['b.json', 'c/d.json', 'c/e.d.ts']);
    expect(await listWorkspaceFiles(root, { patterns: ['**/*.json'], ignore: ['c/**'] })).toEqual(['b.json']);
  });

  it('leaves dot folders out', async () => {
    const root = tree({ '.storybook/main.ts': '', '.yarn/releases/yarn.cjs': '', 'a.ts': '' });
    expect(await listWorkspaceFiles(root)).toEqual(['a.ts']);
  });

  it('rejects with an AbortError when cancelled', async () => {
    const root = tree({ 'a.ts': '' });
    const controller = new AbortController();
    controller.abort();
    await expect(listWorkspaceFiles(root, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('returns nothing for an empty or missing folder', async () => {
    const root = tree({});
    expect(await listWorkspaceFiles(root)).toEqual([]);
    expect(await listWorkspaceFiles(path.join(root, 'missing'))).toEqual([]);
  });
});
