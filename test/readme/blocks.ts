/**
 * The README's ```ts blocks, as a consumer would paste them: each one's imports of the package
 * ('mapletree', 'mapletree/mm', …) resolve through the package's own exports.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ReadmeBlock {
  /** The block's first line in README.md (1-based), for messages. */
  readonly line: number;
  readonly code: string;
}

export function readmeBlocks(): ReadmeBlock[] {
  const lines = readFileSync(resolve(ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== '```') i++;
    blocks.push({ line: start + 1, code: lines.slice(start, i + 1).join('\n') + '\n' });
    i++;
  }
  return blocks;
}
