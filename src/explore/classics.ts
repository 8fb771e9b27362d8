/**
 * Built-in classic models, so the engine is usable on its own: a lost update, an ABBA deadlock,
 * a reader that sees a half-done write, and an allocation failure that leaks.
 */
import { registerModel, type Model } from './model.js';
import { alloc, check, lock, read, step, unlock, write, type Task } from './protocol.js';

/** Two tasks increment a counter; without the lock one update can be lost. */
export const lostUpdate: Model = registerModel({
  name: 'lost-update',
  description: 'two tasks do counter++ as read, then write; the racy variant loses an update',
  variants: ['racy', 'locked'],
  build(variant) {
    const world = { counter: 0 };
    const locked = variant === 'locked';
    function* inc(): Task {
      if (locked) yield lock('counter_lock');
      yield read('counter', 'load counter');
      const seen = world.counter;
      yield write('counter', 'store counter + 1');
      world.counter = seen + 1;
      if (locked) yield unlock('counter_lock');
    }
    return {
      tasks: [{ name: 'A', run: inc }, { name: 'B', run: inc }],
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
    function* take(first: string, second: string): Task {
      yield lock(first);
      yield lock(second);
      yield step('critical section');
      yield unlock(second);
      yield unlock(first);
    }
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
    function* writer(): Task {
      if (guarded) yield lock('sem', 'write');
      yield write('x', 'x = 1');
      world.x = 1;
      yield write('y', 'y = 1');
      world.y = 1;
      if (guarded) yield unlock('sem', 'write');
    }
    function* reader(): Task {
      if (guarded) yield lock('sem', 'read');
      yield read('x', 'load x');
      const x = world.x;
      yield read('y', 'load y');
      const y = world.y;
      yield check(x === y, 'consistent', `saw x = ${x} but y = ${y}`);
      if (guarded) yield unlock('sem', 'read');
    }
    return {
      tasks: [{ name: 'writer', run: writer }, { name: 'reader', run: reader }],
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
    function* task(): Task {
      const a = yield alloc('kmalloc', 'kmalloc a');
      if (!a) return;
      world.live++;
      const b = yield alloc('kmalloc', 'kmalloc b');
      if (!b) {
        if (variant === 'fixed') world.live--;
        return;
      }
      world.live++;
      world.live -= 2;
    }
    return {
      tasks: [{ name: 'worker', run: task }],
      finalCheck: () => (world.live === 0 ? null : `${world.live} buffer(s) leaked`),
      stateKey: () => String(world.live),
    };
  },
});

export const CLASSICS: readonly Model[] = [lostUpdate, abba, tornRead, leakOnError];
