/**
 * The API docs build without a warning (typedoc.json treats warnings as errors): a public signature
 * that names an unexported type, or a broken {@link}, fails here — in `npm test`, before a merge —
 * and not only in CI's `npm run docs`.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('npm run docs', () => {
  it('converts every entry point with no warning', () => {
    let output = '';
    try {
      output = execFileSync(process.execPath, [resolve(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const { stdout, stderr } = e as { stdout?: string; stderr?: string };
      output = `${stdout ?? ''}${stderr ?? ''}`;
    }
    expect(output.split('\n').filter((l) => /\[(warning|error)\]/.test(l))).toEqual([]);
  });
});
