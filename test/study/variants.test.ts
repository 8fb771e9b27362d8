/**
 * The fork-exit model's variants are parsed against their grammar, not looked up in a list of
 * millions: the grammar must take exactly the names the full list holds, for the default parent
 * and for a parent of many VMAs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelHasVariant } from '../../src/explore/model.js';
import { KERNEL_NAMES } from '../../src/mm/config.js';
import { forkExitModel, MAX_MIXED_SET, walkersName } from '../../src/study/model.js';
import { ALL_WALKERS, WALKER_NAMES } from '../../src/study/scenario.js';

/** The reference: every variant, listed (what the model registered before it had a grammar). */
function everyVariant(vmas: number): Set<string> {
  const sets = new Set<string>();
  for (let mask = 0; mask < 1 << WALKER_NAMES.length; mask++) sets.add(walkersName(WALKER_NAMES.filter((_, i) => mask & (1 << i))));
  for (let mask = 0; mask < 1 << ALL_WALKERS.length; mask++) {
    const set = ALL_WALKERS.filter((_, i) => mask & (1 << i));
    if (set.length <= MAX_MIXED_SET) sets.add(walkersName(set));
  }
  const failures = ['alloc', 'none', ...Array.from({ length: vmas }, (_, k) => `signal@${k}`)];
  const out = new Set<string>();
  for (const kernel of KERNEL_NAMES) for (const walkers of sets) for (const f of failures) out.add(`${kernel}/${walkers}/${f}`);
  return out;
}

const specs = (n: number) => Array.from({ length: n }, (_, i) => ({ start: 0x10000000 + i * 0x20000, end: 0x10000000 + i * 0x20000 + 0x4000, perms: 'r--p' as const }));

describe('the fork-exit variants', () => {
  const parents = [{ name: 'the default parent', parent: undefined, vmas: 8 }, { name: 'a parent of 20 VMAs', parent: { specs: specs(20) }, vmas: 20 }];
  for (const { name, parent, vmas } of parents) {
    it(`${name}: the grammar takes every listed name and each name of the full list, and lists the signal range's ends`, () => {
      const model = forkExitModel(parent);
      const all = everyVariant(vmas);
      expect([...all].filter((v) => !modelHasVariant(model, v))).toEqual([]);
      expect(model.variants.filter((v) => !all.has(v))).toEqual([]);
      expect(model.variants).toContain(`${KERNEL_NAMES[0]}/swapoff/signal@${vmas - 1}`);
      expect(model.variants[0]).toBe(`${KERNEL_NAMES[0]}/none/alloc`);
    });

    it(`${name}: a name the full list lacks is refused (mutated names, property)`, () => {
      const model = forkExitModel(parent);
      const all = [...everyVariant(vmas)];
      const all2 = new Set(all);
      const pieces = ['', '/', '+', '@', '0', '01', 'signal@', `signal@${vmas}`, `signal@${vmas - 1}`, 'none', 'alloc', 'swapoff', 'uprobe+swapoff', '7.0', 'x'];
      fc.assert(fc.property(fc.nat(all.length - 1), fc.nat(20), fc.constantFrom(...pieces), fc.boolean(), (i, at, piece, cut) => {
        const v = all[i]!;
        const k = Math.min(at, v.length);
        const mutated = cut ? v.slice(0, k) + piece + v.slice(Math.min(v.length, k + 1)) : v.slice(0, k) + piece + v.slice(k);
        expect(modelHasVariant(model, mutated), mutated).toBe(all2.has(mutated));
      }), { numRuns: 2000 });
    });
  }
});
