// The commit-subject rule CI enforces (commitlint.config.mjs), on subjects it must take and refuse.
import load from '@commitlint/load';
import lint from '@commitlint/lint';
import { describe, expect, it } from 'vitest';

const config = await load({}, { file: 'commitlint.config.mjs', cwd: process.cwd() });
const check = async (message: string) => {
  const opts = { parserOpts: config.parserPreset?.parserOpts as object, plugins: config.plugins };
  return lint(message, config.rules, opts);
};

describe('commit subjects', () => {
  it.each(['tree: mas_wr_spanning_store rebalances', 'explore, cli: one check for a pool', 'mm, study, docs: x'])(
    'takes %j',
    async (subject) => {
      const r = await check(`${subject}\n\nWhy.\n`);
      expect(r.errors.map((e) => e.message)).toEqual([]);
      expect(r.valid).toBe(true);
    },
  );

  it.each([
    ['foo: x', 'unknown area foo'],
    ['mm, mm: x', 'named twice'],
    ['explore,cli: x', 'type may not be empty'],
    ['mm x', 'subject may not be empty'],
    [`mm: ${'x'.repeat(69)}`, 'header must not be longer than 72'],
  ])('refuses %j', async (subject, why) => {
    const r = await check(`${subject}\n\nWhy.\n`);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.message).join('; ')).toContain(why);
  });

  it('wants a blank line before the body', async () => {
    const r = await check('mm: x\nWhy.\n');
    expect(r.valid).toBe(false);
  });
});
