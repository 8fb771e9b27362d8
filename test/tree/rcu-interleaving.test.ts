/**
 * check_rcu_threaded (tools/testing/radix-tree/maple.c) re-expressed as a deterministic
 * interleaving test: instead of reader and writer threads racing for a while, the explorer runs
 * every interleaving (up to a preemption bound) of a writer storing across several slots and
 * readers walking the tree with a cursor, one step per entry — the points where an RCU reader can
 * see the tree change under it.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explore.js';
import type { Model } from '../../src/explore/model.js';
import { check, step, type Task } from '../../src/explore/protocol.js';
import { MAX_INDEX } from '../../src/tree/constants.js';
import { MapleTree } from '../../src/tree/tree.js';

const N = 60;

/** The writer's stores, each one step: a spanning store, a store inside one range, an erase. */
const WRITES: ReadonlyArray<readonly [number, number, string | undefined]> = [
  [95, 167, 'span'],
  [300, 302, 'inner'],
  [400, 405, undefined],
];

function initial(tree: MapleTree<string>): void {
  for (let i = 0; i <= N; i++) tree.storeRange(i * 10, i * 10 + 5, `v${i}`);
}

/** Every value index `x` holds in some state of the writer's history. */
function possible(): Map<number, Set<string | undefined>> {
  const states: Array<MapleTree<string>> = [];
  const t = new MapleTree<string>();
  initial(t);
  states.push(t.dup());
  for (const [a, b, e] of WRITES) {
    t.storeRange(a, b, e);
    states.push(t.dup());
  }
  const out = new Map<number, Set<string | undefined>>();
  for (let x = 0; x <= N * 10 + 10; x++) out.set(x, new Set(states.map((s) => s.load(x))));
  return out;
}

/** The i of every range [10i, 10i + 5] that no write overlaps. */
const untouched = Array.from({ length: N + 1 }, (_, i) => i)
  .filter((i) => WRITES.every(([a, b]) => b < i * 10 || a > i * 10 + 5));

function rcuModel(rcu: boolean, readers: number): Model {
  const allowed = possible();
  return {
    name: `check_rcu_threaded${rcu ? '' : ' (no rcu)'}`, description: 'a writer and two readers', variants: ['default'],
    build() {
      const tree = new MapleTree<string>({ rcu });
      initial(tree);
      function* writer(): Task {
        for (const [a, b, e] of WRITES) {
          yield step(`store [${a}, ${b}]`);
          tree.storeRange(a, b, e);
        }
      }
      function* reader(): Task {
        // rcu_read_lock: the nodes this cursor may still be on are not reused while it reads.
        tree.rcuReadLock();
        const mas = tree.state(0);
        let last = -1;
        const seen = new Set<number>();
        for (let e = mas.find(MAX_INDEX); e !== undefined; e = mas.find(MAX_INDEX)) {
          yield check(mas.index > last, 'order', `entry at ${mas.index} after ${last}`);
          for (let x = mas.index; x <= Math.min(mas.last, N * 10 + 10); x++) {
            yield* checkValue(x, e as string);
          }
          if (mas.index % 10 === 0 && mas.last === mas.index + 5) seen.add(mas.index / 10);
          last = mas.last;
          yield step(`read [${mas.index}, ${mas.last}]`);
        }
        // A range no write touches must be seen, whatever the writer did meanwhile.
        tree.rcuReadUnlock();
        const missed = untouched.filter((i) => !seen.has(i));
        yield check(missed.length === 0, 'lost-entry', `ranges of v${missed.join(', v')} were never seen`);
      }
      function* checkValue(x: number, e: string): Task {
        if (!allowed.get(x)!.has(e)) yield check(false, 'torn-read', `index ${x} read ${e}, which it never held`);
      }
      return { tasks: [{ name: 'writer', run: writer }, ...Array.from({ length: readers }, (_, i) => ({ name: `reader${i + 1}`, run: reader }))] };
    },
  };
}

describe('check_rcu_threaded', () => {
  // One reader with two preemptions, two readers with one: each covers thousands of interleavings.
  for (const rcu of [true, false]) {
    for (const [readers, bound] of [[1, 2], [2, 1]] as const) {
      it(`${readers} reader(s), bound ${bound}: only values each index held, in order (${rcu ? 'RCU mode' : 'not RCU'})`, () => {
        const r = explore({ model: rcuModel(rcu, readers), strategy: 'dfs', bound });
        expect(r.trace?.violation ?? null).toBeNull();
        expect(r.outcome).toBe('verified');
        expect(r.executions).toBeGreaterThan(100);
      });
    }
  }
});
