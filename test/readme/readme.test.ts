/**
 * Every ```ts block of README.md runs as written: transpiled to ESM, its `mapletree…` imports
 * resolved to the build (npm test builds first), run by node in a child process. The package test
 * type-checks the same blocks against the packed declarations.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, readmeBlocks } from './blocks.js';

const SUBPATHS: Record<string, string> = {
  'mapletree': 'dist/index.js', 'mapletree/internals': 'dist/internals.js', 'mapletree/mm': 'dist/mm/index.js',
  'mapletree/study': 'dist/study/index.js', 'mapletree/explore': 'dist/explore/index.js',
};

const work = mkdtempSync(join(tmpdir(), 'mapletree-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function toRunnable(code: string): string {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText;
  return js.replace(/from '(mapletree(?:\/[a-z]+)?)'/g, (_whole, spec: string) => {
    const file = SUBPATHS[spec];
    if (!file) throw new RangeError(`the README imports ${spec}, which the package does not export`);
    return `from '${pathToFileURL(join(ROOT, file)).href}'`;
  });
}

describe('README.md code blocks', () => {
  const blocks = readmeBlocks();
  it('has a tour to run', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  for (const block of blocks) {
    it(`the block at README.md:${block.line} runs`, () => {
      const file = join(work, `block-${block.line}.mjs`);
      writeFileSync(file, toRunnable(block.code));
      let stderr = '';
      try {
        execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        stderr = String((e as { stderr?: string }).stderr ?? e);
      }
      expect(stderr).toBe('');
    });
  }
});
