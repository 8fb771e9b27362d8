/**
 * copyKernel against the simplest reference there is: building the same world again. A copy of a
 * built kernel must be indistinguishable from a second build — every object reachable from the
 * kernel, field by field, with the same sharing — and must behave the same (a fork on each leaves
 * equal worlds), while the original stays untouched.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/explore/sync.js';
import { KERNEL_NAMES, kernelConfig } from '../../src/mm/config.js';
import { dupMm } from '../../src/mm/fork.js';
import { copyKernel } from '../../src/mm/kernel-copy.js';
import { Kernel } from '../../src/mm/kernel.js';
import { KObject } from '../../src/mm/kasan.js';
import { addVmas, type VmaSpec } from '../../src/mm/layout.js';
import { mmFromMaps } from '../../src/mm/maps.js';
import { createMm, type Mm } from '../../src/mm/mm.js';
import { mmput } from '../../src/mm/exit.js';
import { MapleTree } from '../../src/tree/tree.js';
import { DEFAULT_PARENT } from '../../src/study/scenario.js';

const PAGE = 0x1000;

/**
 * Every object reachable from `root` as one string: objects numbered in the order first met (so
 * sharing and cycles show), each with its class and every own property (symbol keys too); Maps and
 * Sets in insertion order; a maple tree as its dump (shape and contents) and its entries.
 */
function image(root: unknown): string {
  const ids = new Map<object, number>();
  const out: string[] = [];
  const visit = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? `fn ${v.name}` : typeof v === 'symbol' ? v.toString() : JSON.stringify(v) ?? 'undefined';
    const seen = ids.get(v);
    if (seen !== undefined) return `@${seen}`;
    const id = ids.size;
    ids.set(v, id);
    let body: string;
    if (v instanceof MapleTree) {
      const entries: string[] = [];
      v.forEach((entry, first, last) => entries.push(`${first}-${last}:${visit(entry)}`));
      body = `${v.dump('hex')} rcu=${v.rcu} [${entries.join(' ')}]`;
    } else if (v instanceof Map) {
      body = `{${[...v].map(([k, x]) => `${visit(k)}=>${visit(x)}`).join(', ')}}`;
    } else if (v instanceof Set) {
      body = `{${[...v].map(visit).join(', ')}}`;
    } else {
      body = `{${Reflect.ownKeys(v).map((k) => `${String(k)}: ${visit((v as Record<PropertyKey, unknown>)[k])}`).join(', ')}}`;
    }
    out[id] = `#${id} ${v.constructor.name} ${body}`;
    return `@${id}`;
  };
  visit(root);
  return out.join('\n');
}

/** The state kept in private fields: what the next object and the next page are called. */
function counters(kernel: Kernel): string {
  return JSON.stringify([kernel.nextId('vma'), kernel.nextId('mm'), kernel.nextId('anon_vma'), kernel.newPage(true).id, kernel.swap.allocate(0)]);
}

const specArb: fc.Arbitrary<VmaSpec[]> = fc.array(
  fc.record({
    gap: fc.integer({ min: 0, max: 3 }),
    pages: fc.integer({ min: 1, max: 6 }),
    perms: fc.constantFrom('r--p', 'rw-p', 'r-xp', 'rw-s'),
    file: fc.option(fc.constantFrom('/usr/bin/a', '/usr/lib/b.so'), { nil: undefined }),
    resident: fc.integer({ min: 0, max: 6 }),
    swapped: fc.integer({ min: 0, max: 6 }),
    dontcopy: fc.boolean(),
    policy: fc.option(fc.constant('interleave'), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 8 },
).map((rows) => {
  let at = 0x400000;
  return rows.map((r): VmaSpec => {
    const start = at + r.gap * PAGE;
    at = start + r.pages * PAGE;
    const shared = r.perms === 'rw-s';
    return {
      start, end: at, perms: r.perms, resident: r.resident,
      ...(r.file !== undefined || shared ? { file: { path: r.file ?? '/dev/shm/c', offset: r.gap * PAGE } } : {}),
      ...(r.file === undefined && !shared && r.perms === 'rw-p' ? { swapped: r.swapped } : {}),
      ...(r.dontcopy ? { dontcopy: true } : {}),
      ...(r.policy !== undefined ? { policy: r.policy } : {}),
    };
  });
});

function built(specs: readonly VmaSpec[], config: string): { kernel: Kernel; mm: Mm } {
  const kernel = new Kernel(kernelConfig(config));
  const mm = createMm(kernel);
  addVmas(kernel, mm, specs);
  return { kernel, mm };
}

/** A fork of `mm` that completes, then the child's exit: the world after a whole fork round. */
function forkAndExit(kernel: Kernel, mm: Mm, failAt: number | null): void {
  let n = 0;
  const child = runSync(dupMm(kernel, mm), { allocate: () => ++n !== failAt });
  if (child) runSync(mmput(child, 'exit'));
}

describe('copyKernel', () => {
  it('a copy of a built world is the world a second build makes, and forks the same way', () => {
    fc.assert(fc.property(specArb, fc.constantFrom(...KERNEL_NAMES), fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }), (specs, config, failAt) => {
      const original = built(specs, config);
      const before = image(original.kernel);
      const copy = copyKernel(original.kernel);
      const again = built(specs, config);
      expect(copy.mm(original.mm) === original.mm).toBe(false);
      expect(image(copy.kernel)).toBe(image(again.kernel));
      forkAndExit(copy.kernel, copy.mm(original.mm), failAt);
      forkAndExit(again.kernel, again.mm, failAt);
      expect(image(copy.kernel)).toBe(image(again.kernel));
      expect(counters(copy.kernel)).toBe(counters(again.kernel));
      // The original saw none of it.
      expect(image(original.kernel)).toBe(before);
    }), { numRuns: 60 });
  });

  it('copies a parent read from a real /proc/<pid>/maps and the study\'s default parent', () => {
    const dir = new URL('../fixtures/maps/', import.meta.url);
    const text = readFileSync(new URL('bash.maps', dir), 'utf8');
    const fromMaps = (): { kernel: Kernel; mm: Mm } => {
      const kernel = new Kernel();
      return { kernel, mm: mmFromMaps(kernel, text) };
    };
    for (const make of [fromMaps, () => built(DEFAULT_PARENT, '7.0')]) {
      const original = make();
      const copy = copyKernel(original.kernel);
      const again = make();
      expect(image(copy.kernel)).toBe(image(again.kernel));
      expect(counters(copy.kernel)).toBe(counters(again.kernel));
    }
  });

  it('refuses what is not a Kernel, and an object it does not know how to copy', () => {
    expect(() => copyKernel({} as Kernel)).toThrow(/copyKernel: kernel must be a Kernel/);
    const kernel = new Kernel();
    class Stray extends KObject {}
    new Stray(kernel, 'stray');
    expect(() => copyKernel(kernel)).toThrow(/copyKernel: cannot copy a stray \(stray#1\)/);
  });
});
