/**
 * Classic concurrency-bug programs from the literature, written for the explorer's protocol from
 * their descriptions: SCTBench's CS set (Thomson, Donaldson & Betts, PPoPP 2014 / TOPC 2016),
 * CHESS's examples (Musuvathi et al., OSDI 2008) and SV-COMP's pthread set. A shared access is a
 * read/write op, pthread_create/join are spawn/join, mutexes lock/unlock, condition variables
 * condWait/signal/broadcast; the C program's assert is a check. Each has a 'bad' variant (the bug)
 * and a 'fixed' twin that must raise no alarm.
 */
import { broadcast, check, condWait, join, lock, read, signal, spawn, unlock, write, type Model, type Task } from '../../src/explore/index.js';

type Memory = Record<string, number>;

/** Loads and stores of shared words, each a step another thread may interleave with. */
function memory(init: Memory): { mem: Memory; get: (k: string) => Task<number>; set: (k: string, v: number) => Task } {
  const mem: Memory = { ...init };
  return {
    mem,
    get: function* (k) {
      yield read(k);
      return mem[k]!;
    },
    set: function* (k, v) {
      yield write(k);
      mem[k] = v;
    },
  };
}

/** main spawns the threads in order, then joins them all (the C programs' pthread_create/join loops). */
function* spawnAndJoin(threads: ReadonlyArray<readonly [string, () => Task<unknown>]>): Task {
  for (const [name, run] of threads) yield spawn(name, run);
  for (const [name] of threads) yield join(name);
}

function program(name: string, description: string, build: (bad: boolean) => { main: () => Task<unknown>; finalCheck?: () => string | null }): Model {
  return {
    name, description, variants: ['bad', 'fixed'],
    build: (variant) => {
      const p = build(variant === 'bad');
      return { tasks: [{ name: 'main', run: p.main }], ...(p.finalCheck ? { finalCheck: p.finalCheck } : {}) };
    },
  };
}

/**
 * SCTBench CS reorder_N: N-1 setters each store a = 1 then b = -1; one checker loads a, then b,
 * and asserts it saw both stores or neither. Fixed: setters and checker hold one lock.
 */
export function reorder(n: number): Model {
  return program(`reorder_${n}`, 'setters store a then b; a checker must see both or neither', (bad) => {
    const { get, set } = memory({ a: 0, b: 0 });
    function* setter(): Task {
      if (!bad) yield lock('m');
      yield* set('a', 1);
      yield* set('b', -1);
      if (!bad) yield unlock('m');
    }
    function* checker(): Task {
      if (!bad) yield lock('m');
      const a = yield* get('a');
      const b = yield* get('b');
      yield check((a === 0 && b === 0) || (a === 1 && b === -1), 'reorder', `saw a = ${a}, b = ${b}`);
      if (!bad) yield unlock('m');
    }
    const threads: Array<[string, () => Task]> = Array.from({ length: n - 1 }, (_, i) => [`set${i}`, setter]);
    threads.push(['check', checker]);
    return { main: () => spawnAndJoin(threads) };
  });
}

/**
 * SCTBench CS twostage_N: N-1 writers take m1 to set data1 = 1, release it, then take m2 to set
 * data2 = data1 + 1; a reader that sees data1 == 1 under m1 reads data2 under m2 and asserts it
 * is data1 + 1. The release between the two stages is the bug; fixed: m1 is held across both.
 */
export function twostage(n: number): Model {
  return program(`twostage_${n}`, 'a two-stage update released between its stages', (bad) => {
    const { get, set } = memory({ data1: 0, data2: 0 });
    function* writer(): Task {
      yield lock('m1');
      yield* set('data1', 1);
      if (bad) yield unlock('m1');
      yield lock('m2');
      yield* set('data2', (yield* get('data1')) + 1);
      yield unlock('m2');
      if (!bad) yield unlock('m1');
    }
    function* reader(): Task {
      yield lock('m1');
      const d1 = yield* get('data1');
      if (d1 === 0) {
        yield unlock('m1');
        return;
      }
      yield unlock('m1');
      yield lock('m2');
      const d2 = yield* get('data2');
      yield unlock('m2');
      yield check(d2 === d1 + 1, 'twostage', `data1 = ${d1} but data2 = ${d2}`);
    }
    const threads: Array<[string, () => Task]> = Array.from({ length: n - 1 }, (_, i) => [`w${i}`, writer]);
    threads.push(['reader', reader]);
    return { main: () => spawnAndJoin(threads) };
  });
}

/**
 * SCTBench CS wronglock: several threads increment a counter under lock1, one more under the
 * wrong lock (lock2); each lock1 thread asserts its increment was not lost. Fixed: all use lock1.
 */
export function wronglock(n: number): Model {
  return program(`wronglock_${n}`, 'one thread guards the shared counter with the wrong lock', (bad) => {
    const { get, set } = memory({ data: 0 });
    function* right(): Task {
      yield lock('lock1');
      const x = yield* get('data');
      yield* set('data', x + 1);
      const y = yield* get('data');
      yield check(y === x + 1, 'wronglock', `data went from ${x} to ${y} under lock1`);
      yield unlock('lock1');
    }
    function* wrong(): Task {
      const l = bad ? 'lock2' : 'lock1';
      yield lock(l);
      const x = yield* get('data');
      yield* set('data', x + 1);
      yield unlock(l);
    }
    const threads: Array<[string, () => Task]> = Array.from({ length: n - 1 }, (_, i) => [`t${i}`, right]);
    threads.push(['wrong', wrong]);
    return { main: () => spawnAndJoin(threads) };
  });
}

/**
 * SCTBench CS account: a deposit and a withdrawal thread update a balance; the bad version reads
 * the balance outside the lock in the withdrawal; the final balance must be initial + d - w.
 */
export const account: Model = program('account', 'a withdrawal reads the balance before taking the lock', (bad) => {
  const { mem, get, set } = memory({ balance: 100 });
  function* deposit(): Task {
    yield lock('m');
    yield* set('balance', (yield* get('balance')) + 50);
    yield unlock('m');
  }
  function* withdraw(): Task {
    if (bad) {
      const seen = yield* get('balance');
      yield lock('m');
      yield* set('balance', seen - 30);
    } else {
      yield lock('m');
      yield* set('balance', (yield* get('balance')) - 30);
    }
    yield unlock('m');
  }
  return {
    main: () => spawnAndJoin([['deposit', deposit], ['withdraw', withdraw]]),
    finalCheck: () => (mem['balance'] === 120 ? null : `balance is ${mem['balance']}, not 120`),
  };
});

/** SV-COMP pthread lazy01: three threads add 1, add 2 and check data < 3 under one mutex: the check fails after both adds. */
export const lazy01: Model = program('lazy01', 'a checker asserts before both adders may have run', (bad) => {
  const { get, set } = memory({ data: 0 });
  function* adder(k: number): Task {
    yield lock('m');
    yield* set('data', (yield* get('data')) + k);
    yield unlock('m');
  }
  function* checker(): Task {
    yield lock('m');
    const d = yield* get('data');
    // The fixed twin checks the invariant that holds: data is one of the sums reachable.
    yield check(bad ? d < 3 : [0, 1, 2, 3].includes(d), 'lazy01', `data = ${d}`);
    yield unlock('m');
  }
  return { main: () => spawnAndJoin([['t1', () => adder(1)], ['t2', () => adder(2)], ['t3', checker]]) };
});

/** SCTBench CS deadlock01: two threads take locks a and b in opposite orders. Fixed: one order. */
export const deadlock01: Model = program('deadlock01', 'two threads take two locks in opposite orders', (bad) => {
  const { get, set } = memory({ counter: 0 });
  function* take(first: string, second: string): Task {
    yield lock(first);
    yield lock(second);
    yield* set('counter', (yield* get('counter')) + 1);
    yield unlock(second);
    yield unlock(first);
  }
  return { main: () => spawnAndJoin([['t1', () => take('a', 'b')], ['t2', () => (bad ? take('b', 'a') : take('a', 'b'))]]) };
});

/**
 * The Bluetooth driver of CHESS and KISS (Qadeer & Wu, PLDI 2004): an adder thread checks the
 * stopping flag, then increments pendingIo and asserts the driver has not stopped; the stopper
 * sets the flag, drops its own pendingIo reference and, when it reaches zero, marks the driver
 * stopped. The bad version checks the flag and increments in two steps; fixed: one lock for both.
 */
export const bluetooth: Model = program('bluetooth', 'an I/O starts on a driver being stopped', (bad) => {
  const { get, set } = memory({ pendingIo: 1, stoppingFlag: 0, stopped: 0 });
  function* ioIncrement(): Task<boolean> {
    if (!bad) yield lock('m');
    if ((yield* get('stoppingFlag')) === 1) {
      if (!bad) yield unlock('m');
      return false;
    }
    yield* set('pendingIo', (yield* get('pendingIo')) + 1);
    if (!bad) yield unlock('m');
    return true;
  }
  function* ioDecrement(): Task {
    if (!bad) yield lock('m');
    const left = (yield* get('pendingIo')) - 1;
    yield* set('pendingIo', left);
    if (!bad) yield unlock('m');
    if (left === 0) yield* set('stopped', 1);
  }
  function* adder(): Task {
    if (yield* ioIncrement()) {
      const stopped = yield* get('stopped');
      yield check(stopped === 0, 'bluetooth', 'an I/O runs on a stopped driver');
      yield* ioDecrement();
    }
  }
  function* stopper(): Task {
    if (!bad) yield lock('m');
    yield* set('stoppingFlag', 1);
    if (!bad) yield unlock('m');
    yield* ioDecrement();
  }
  return { main: () => spawnAndJoin([['adder', adder], ['stopper', stopper]]) };
});

/**
 * CHESS's work-stealing queue (the THE protocol of Cilk-5, Frigo et al. PLDI 1998): the owner
 * pushes and pops at the tail, a thief steals at the head under the lock. Pop stores the
 * decremented tail, then loads head; on a conflict it settles the last item under the lock. The
 * bad pop loads head before its store to tail (the store-load order a missing fence allows), so
 * owner and thief can both take the same item.
 */
export const workStealQueue: Model = program('work-steal-queue', 'owner pop and thief steal both take the last item', (bad) => {
  const { mem, get, set } = memory({ head: 0, tail: 0 });
  const taken: number[] = [];
  const items: number[] = [];
  function* push(v: number): Task {
    const t = yield* get('tail');
    items[t] = v;
    yield* set('tail', t + 1);
  }
  function* pop(): Task<number | null> {
    const t = (yield* get('tail')) - 1;
    let h: number;
    if (bad) {
      h = yield* get('head');
      yield* set('tail', t);
    } else {
      yield* set('tail', t);
      h = yield* get('head');
    }
    if (h <= t) return items[t]!;
    // A thief may have taken the last item: settle it under the lock.
    yield lock('qlock');
    const h2 = yield* get('head');
    if (h2 <= t) {
      yield unlock('qlock');
      return items[t]!;
    }
    yield* set('tail', t + 1);
    yield unlock('qlock');
    return null;
  }
  function* steal(): Task<number | null> {
    yield lock('qlock');
    const h = yield* get('head');
    yield* set('head', h + 1);
    const t = yield* get('tail');
    if (h + 1 > t) {
      yield* set('head', h);
      yield unlock('qlock');
      return null;
    }
    yield unlock('qlock');
    return items[h]!;
  }
  function* owner(): Task {
    yield* push(1);
    yield* push(2);
    for (let i = 0; i < 2; i++) {
      const v = yield* pop();
      if (v !== null) taken.push(v);
    }
  }
  function* thief(): Task {
    const v = yield* steal();
    if (v !== null) taken.push(v);
  }
  return {
    main: () => spawnAndJoin([['owner', owner], ['thief', thief]]),
    finalCheck: () => {
      const sorted = [...taken].sort();
      return sorted.join() === '1,2' ? null : `items taken: [${sorted.join(', ')}] (head ${mem['head']}, tail ${mem['tail']})`;
    },
  };
});

/**
 * A bounded buffer of one slot with two producers and two consumers sharing one condition
 * variable and pthread_cond_signal (the classic "signal wakes the wrong kind of waiter"): a
 * producer's signal can wake the other producer, and every thread ends up asleep. Fixed: broadcast.
 */
export const boundedBuffer: Model = program('bounded-buffer', 'one condition variable, signal instead of broadcast', (bad) => {
  const { get, set } = memory({ count: 0 });
  const wake = bad ? signal : broadcast;
  function* producer(): Task {
    for (let i = 0; i < 2; i++) {
      yield lock('m');
      while ((yield* get('count')) === 1) yield condWait('c', 'm');
      yield* set('count', 1);
      yield wake('c');
      yield unlock('m');
    }
  }
  function* consumer(): Task {
    for (let i = 0; i < 2; i++) {
      yield lock('m');
      while ((yield* get('count')) === 0) yield condWait('c', 'm');
      yield* set('count', 0);
      yield wake('c');
      yield unlock('m');
    }
  }
  return { main: () => spawnAndJoin([['p1', producer], ['p2', producer], ['c1', consumer], ['c2', consumer]]) };
});

/** SV-COMP pthread stack: a pusher and a popper; the bad popper tests for empty outside the lock and underflows. */
export const stack: Model = program('stack', 'pop tests for an empty stack before taking the lock', (bad) => {
  const { get, set } = memory({ top: 0 });
  function* pusher(): Task {
    for (let i = 0; i < 2; i++) {
      yield lock('m');
      yield* set('top', (yield* get('top')) + 1);
      yield unlock('m');
    }
  }
  function* popper(): Task {
    for (let i = 0; i < 2; i++) {
      if (bad) {
        if ((yield* get('top')) === 0) continue;
        yield lock('m');
      } else {
        yield lock('m');
        if ((yield* get('top')) === 0) {
          yield unlock('m');
          continue;
        }
      }
      const top = yield* get('top');
      yield check(top > 0, 'stack', 'pop from an empty stack');
      yield* set('top', top - 1);
      yield unlock('m');
    }
  }
  return { main: () => spawnAndJoin([['push', pusher], ['pop1', popper], ['pop2', popper]]) };
});

/** Found by dpor or delay bounding within 100,000 executions (and by deviation bounding). */
export const SYSTEMATIC_PROGRAMS: readonly Model[] = [
  reorder(3), reorder(5), twostage(3), wronglock(3), wronglock(8), account, lazy01, deadlock01, bluetooth, workStealQueue, boundedBuffer, stack,
];

/**
 * Many threads in one preemption-free order: dfs, dpor and delay bounding need far more than
 * 100,000 executions for these. Preemption bound 0 and DPOR hold every order of the setters before
 * the checker moves; delay bounding needs one delay per thread created before the checker
 * (reorder_10: 9, twostage_20: 19; strategies.test.ts pins the growth), as SCTBench's own delay
 * bounding does, where only PCT and random scheduling found them. Deviation bounding finds each
 * with one deviation, and PCT (depth 3) finds them too.
 */
export const MANY_THREAD_PROGRAMS: readonly Model[] = [reorder(10), reorder(20), twostage(20)];
