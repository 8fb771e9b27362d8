// check_fuzzer of lib/test_maple_tree.c (Linux 6.18): the operation lists the fuzzer once broke the
// tree with (test/fixtures/fuzzer-cases.json). The kernel only needs them not to crash; we also
// validate after every call and compare the tree with the reference model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MapleError, MapleTree, MAX_INDEX } from '../../src/index.js';
import { RangeModel } from '../tree/reference-model.js';

type Index = number | string;
type Op =
  | ['insert' | 'store', Index, string]
  | ['insert_range' | 'store_range', Index, Index, string]
  | ['load' | 'erase', Index]
  | ['non_kernel', number];

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/fuzzer-cases.json', import.meta.url), 'utf8')) as { cases: Op[][] };

/** ULONG_MAX and ULONG_MAX - n become MAX_INDEX and MAX_INDEX - n. */
function index(i: Index): number {
  if (typeof i === 'number') return i;
  return i === 'MAX' ? MAX_INDEX : MAX_INDEX - Number(i.slice(4));
}

/** The normal-API call's result as the kernel returns it: 0 or the errno name. */
function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof MapleError) return e.code;
    throw e;
  }
}

describe('check_fuzzer', () => {
  cases.forEach((ops, n) => {
    it(`case ${n + 1}: ${ops.length} calls, validated and matching the reference model after each`, () => {
      const t = new MapleTree();
      const model = new RangeModel();
      ops.forEach((op, k) => {
        const at = `call ${k + 1} ${JSON.stringify(op)}`;
        switch (op[0]) {
          case 'non_kernel':
            t.allocator.setNonKernel(op[1]);
            return;
          case 'load':
            expect(t.load(index(op[1])), at).toBe(model.load(index(op[1])));
            return;
          case 'erase':
            expect(t.erase(index(op[1])), at).toBe(model.erase(index(op[1])));
            break;
          case 'store':
          case 'store_range': {
            const [first, last] = op[0] === 'store' ? [index(op[1]), index(op[1])] : [index(op[1]), index(op[2])];
            const entry = op[op.length - 1] as string;
            // Some calls have first > last: the kernel answers EINVAL and changes nothing.
            expect(outcome(() => t.storeRange(first, last, entry)), at).toBe(first > last ? 'EINVAL' : 'ok');
            if (first <= last) model.storeRange(first, last, entry);
            break;
          }
          case 'insert':
          case 'insert_range': {
            const [first, last] = op[0] === 'insert' ? [index(op[1]), index(op[1])] : [index(op[1]), index(op[2])];
            const entry = op[op.length - 1] as string;
            const want = first > last ? 'EINVAL' : model.isFree(first, last) ? 'ok' : 'EEXIST';
            expect(outcome(() => t.insertRange(first, last, entry)), at).toBe(want);
            if (want === 'ok') model.storeRange(first, last, entry);
            break;
          }
        }
        t.validate();
        expect([...t.entries()], at).toEqual(model.ranges.map((r) => [r.index, r.last, r.entry]));
      });
    });
  });
});
