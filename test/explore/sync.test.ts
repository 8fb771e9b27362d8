import { describe, expect, it } from 'vitest';
import { alloc, check, choice, lock, ModelViolation, read, step, trylock, unlock, type Task } from '../../src/explore/protocol.js';
import { runSync, SyncDeadlock } from '../../src/explore/sync.js';

describe('runSync', () => {
  it('runs a task to completion and passes results back', () => {
    function* task(): Task<string[]> {
      const seen: string[] = [];
      seen.push(String(yield lock('a', 'read')));
      seen.push(String(yield lock('a', 'read')));
      seen.push(String(yield trylock('a', 'write')));
      yield unlock('a', 'read');
      yield unlock('a', 'read');
      seen.push(String(yield trylock('a', 'write')));
      yield unlock('a', 'write');
      seen.push(String(yield alloc('kmalloc')));
      seen.push(String(yield choice('fatal_signal_pending')));
      yield read('mm.mt');
      yield step('done');
      return seen;
    }
    expect(runSync(task())).toEqual(['true', 'true', 'false', 'true', 'true', '0']);
  });

  it('lets the caller decide allocations and choices', () => {
    function* task(): Task<unknown[]> {
      return [yield alloc('a'), yield alloc('b'), yield choice('c', 3)];
    }
    expect(runSync(task(), { allocate: (_site, nth) => nth !== 2, choose: () => 2 })).toEqual([true, false, 2]);
    expect(() => runSync(task(), { choose: () => 3 })).toThrow(RangeError);
  });

  it('reports a self-deadlock and a bad unlock', () => {
    function* twice(): Task {
      yield lock('m');
      yield lock('m');
    }
    expect(() => runSync(twice())).toThrow(SyncDeadlock);
    function* stray(): Task {
      yield unlock('m');
    }
    expect(() => runSync(stray())).toThrow(ModelViolation);
  });

  it('turns a failed assert into a ModelViolation naming it', () => {
    function* task(): Task {
      yield check(1 + 1 === 3, 'arith', 'one and one is not three');
    }
    expect(() => runSync(task())).toThrow(/one and one/);
    try {
      runSync(task());
    } catch (e) {
      expect(e).toBeInstanceOf(ModelViolation);
      expect((e as ModelViolation).kind).toBe('arith');
    }
  });
});
