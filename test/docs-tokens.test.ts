/**
 * Every replay token the docs cite replays through `mapletree replay` as a user would run it (no
 * extra flags) and reproduces a violation: the findings in docs/ stay true of the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../src/cli/explore.js';
import { EXIT } from '../src/cli/errors.js';
import '../src/study/model.js';
import '../src/study/designs.js';

const DOCS = resolve(import.meta.dirname, '..', 'docs');

describe('the replay tokens in docs/', () => {
  const tokens = readdirSync(DOCS).filter((f) => f.endsWith('.md'))
    .flatMap((f) => [...readFileSync(resolve(DOCS, f), 'utf8').matchAll(/`(mt1:[A-Za-z0-9_-]+)`/g)].map((m) => [f, m[1]!] as const));

  it('are there to check', () => {
    expect(tokens.length).toBeGreaterThan(0);
  });

  for (const [file, token] of tokens) {
    const { m: model, v: variant } = JSON.parse(Buffer.from(token.slice('mt1:'.length), 'base64url').toString('utf8')) as { m: string; v: string };
    it(`${file}: ${model} ${variant} reproduces its violation`, () => {
      const lines: string[] = [];
      expect(runReplay(token, {}, (l) => lines.push(stripVTControlCharacters(l)))).toBe(EXIT.bug);
      expect(lines.at(-1)).toMatch(/^violation: /);
    });
  }
});
