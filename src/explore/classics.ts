/**
 * Built-in classic models, so the engine is usable on its own: a lost update, an ABBA deadlock,
 * a reader that sees a half-done write, and an allocation failure that leaks.
 */
import { registerModel, type Model } from './model.js';
import { alloc, check, lock, read, step, unlock, write, type Task } from './protocol.js';

// The tasks are module-level generators, each execution's world passed in: a generator function
// made per execution gets a map of its own in V8's old generation, which keeps that execution's
// world alive through every scavenge until a full GC (eslint.config.js forbids nested ones).

/** counter++ as a load and a store, under counter_lock when `locked`. */
function* inc(world: { counter: number }, locked: boolean): Task {
  if (locked) yield lock('counter_lock');
  yield read('counter', 'load counter');
  const seen = world.counter;
  yield write('counter', 'store counter + 1');
  world.counter = seen + 1;
  if (locked) yield unlock('counter_lock');
}

/** Takes `first`, then `second`. */
function* take(first: string, second: string): Task {
  yield lock(first);
  yield lock(second);
  yield step('critical section');
  yield unlock(second);
  yield unlock(first);
}

/** Sets x, then y, under sem for writing when `guarded`. */
function* writer(world: { x: number; y: number }, guarded: boolean): Task {
  if (guarded) yield lock('sem', 'write');
  yield write('x', 'x = 1');
  world.x = 1;
  yield write('y', 'y = 1');
  world.y = 1;
  if (guarded) yield unlock('sem', 'write');
}

/** Loads x, then y, and checks they agree, under sem for reading when `guarded`. */
function* reader(world: { x: number; y: number }, guarded: boolean): Task {
  if (guarded) yield lock('sem', 'read');
  yield read('x', 'load x');
  const x = world.x;
  yield read('y', 'load y');
  const y = world.y;
  yield check(x === y, 'consistent', `saw x = ${x} but y = ${y}`);
  if (guarded) yield unlock('sem', 'read');
}

/** Allocates two buffers; when the second fails only the fixed error path frees the first. */
function* allocTwo(world: { live: number }, fixed: boolean): Task {
  const a = yield alloc('kmalloc', 'kmalloc a');
  if (!a) return;
  world.live++;
  const b = yield alloc('kmalloc', 'kmalloc b');
  if (!b) {
    if (fixed) world.live--;
    return;
  }
  world.live++;
  world.live -= 2;
}

/** Two tasks increment a counter; without the lock one update can be lost. */
export const lostUpdate: Model = registerModel({
  name: 'lost-update',
  description: 'two tasks do counter++ as read, then write; the racy variant loses an update',
  variants: ['racy', 'locked'],
  build(variant) {
    const world = { counter: 0 };
    const locked = variant === 'locked';
    return {
      tasks: [{ name: 'A', run: () => inc(world, locked) }, { name: 'B', run: () => inc(world, locked) }],
      finalCheck: () => (world.counter === 2 ? null : `counter is ${world.counter} after two increments`),
      stateKey: () => String(world.counter),
    };
  },
});

/** Two tasks take two locks in opposite orders: a deadlock unless the order is fixed. */
export const abba: Model = registerModel({
  name: 'abba',
  description: 'two tasks take locks a and b in opposite orders',
  variants: ['abba', 'ordered'],
  build(variant) {
    const ordered = variant === 'ordered';
    return {
      tasks: [
        { name: 'A', run: () => take('a', 'b') },
        { name: 'B', run: () => (ordered ? take('a', 'b') : take('b', 'a')) },
      ],
      stateKey: () => 'done',
    };
  },
});

/** A writer updates two fields; a reader must never see them disagree. */
export const tornRead: Model = registerModel({
  name: 'torn-read',
  description: 'a reader checks that two fields a writer updates together agree; unlocked readers can see a torn write',
  variants: ['unlocked-reader', 'rwsem'],
  build(variant) {
    const world = { x: 0, y: 0 };
    const guarded = variant === 'rwsem';
    return {
      tasks: [{ name: 'writer', run: () => writer(world, guarded) }, { name: 'reader', run: () => reader(world, guarded) }],
      stateKey: () => `${world.x}${world.y}`,
    };
  },
});

/** An error path that forgets to release what it allocated: found only with fault injection. */
export const leakOnError: Model = registerModel({
  name: 'leak-on-error',
  description: 'a task allocates two buffers; the buggy error path leaks the first when the second fails',
  variants: ['buggy', 'fixed'],
  build(variant) {
    const world = { live: 0 };
    const fixed = variant === 'fixed';
    return {
      tasks: [{ name: 'worker', run: () => allocTwo(world, fixed) }],
      finalCheck: () => (world.live === 0 ? null : `${world.live} buffer(s) leaked`),
      stateKey: () => String(world.live),
    };
  },
});

export const CLASSICS: readonly Model[] = [lostUpdate, abba, tornRead, leakOnError];
