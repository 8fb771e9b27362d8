// check_state_handling of lib/test_maple_tree.c (Linux 6.18): every ma_state status (start, root,
// none, pause, active, underflow, overflow) meeting every navigation call. Its first part is a long
// run of call-then-expect steps, kept as data (test/fixtures/state-handling.json); the short tail
// about underflow and overflow is written out below.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MapleTree, MAX_INDEX, type MaState } from '../../src/index.js';
import { xaMkValue } from './helpers.js';

type Value = number | string | null;
type Step =
  | ['store', Value, Value, Value]
  | ['set', Value] | ['pause']
  | ['call' | 'move', 'find' | 'find_rev' | 'next' | 'prev' | 'walk', Value]
  | ['set_status', 'none'] | ['set_offset' | 'set_index' | 'set_last', Value]
  | ['expect_entry' | 'expect_index' | 'expect_last', Value]
  | ['expect_status', 'active' | 'none' | 'overflow' | 'root' | 'underflow'];

const { steps } = JSON.parse(readFileSync(new URL('../fixtures/state-handling.json', import.meta.url), 'utf8')) as { steps: Step[] };

describe('check_state_handling', () => {
  it(`the ${steps.length} steps of its first part: each call leaves the entry, range and status the kernel expects`, () => {
    const t = new MapleTree({ allocRange: true });
    // ptr is an arbitrary pointer, ptr2 points at ptr and ptr3 at ptr2: three distinct entries.
    const ptrs: Record<string, unknown> = { ptr: { name: 'ptr' }, ptr2: { name: '&ptr' }, ptr3: { name: '&ptr2' } };
    const v = (x: Value): unknown => (x === null ? undefined : x === 'MAX' ? MAX_INDEX : typeof x === 'string' ? ptrs[x] : x);
    const n = (x: Value): number => v(x) as number;
    const mas = t.state(0, 0);
    const call = (name: string, arg: Value): unknown => {
      switch (name) {
        case 'find': return mas.find(n(arg));
        case 'find_rev': return mas.findRev(n(arg));
        case 'next': return mas.next(n(arg));
        case 'prev': return mas.prev(n(arg));
        default: return mas.walk();
      }
    };
    let entry: unknown;
    steps.forEach((s, k) => {
      const at = `step ${k + 1} ${JSON.stringify(s)}`;
      switch (s[0]) {
        case 'store': t.storeRange(n(s[1]), n(s[2]), v(s[3])); break;
        case 'set': mas.set(n(s[1])); break;
        case 'pause': mas.pause(); break;
        case 'call': entry = call(s[1], s[2]); break;
        case 'move': call(s[1], s[2]); break;
        case 'set_status': mas.status = s[1]; break;
        case 'set_offset': mas.offset = n(s[1]); break;
        case 'set_index': mas.index = n(s[1]); break;
        case 'set_last': mas.last = n(s[1]); break;
        case 'expect_entry': expect(entry, at).toBe(v(s[1])); break;
        case 'expect_index': expect(mas.index, at).toBe(n(s[1])); break;
        case 'expect_last': expect(mas.last, at).toBe(n(s[1])); break;
        case 'expect_status': expect(mas.status, at).toBe(s[1]); break;
      }
    });
  });

  it('underflow and overflow give way to active again (30 entries)', () => {
    const t = new MapleTree({ allocRange: true });
    const mas: MaState = t.state(0, 0);
    for (let count = 0; count < 30; count++) {
      mas.set(count);
      mas.storeGfp(xaMkValue(count), 'kernel');
    }
    // mas_find from underflow.
    mas.set(0);
    let entry = mas.walk();
    mas.set(0);
    mas.prev(0);
    expect(mas.status).toBe('underflow');
    expect(mas.find(MAX_INDEX)).toBe(entry);

    // mas_next from underflow.
    entry = mas.next(MAX_INDEX);
    const index = mas.index;
    mas.prev(index);
    expect(mas.status).toBe('underflow');
    expect(mas.next(MAX_INDEX)).toBe(entry);

    // mas_next from overflow.
    mas.prev(0);
    mas.next(index - 1);
    expect(mas.status).toBe('overflow');
    expect(mas.next(MAX_INDEX)).toBe(entry);
  });
});
