import { describe, expect, it } from 'vitest';
import { runWarm } from '../../dist/explore/warm-pool.js';

const WORKER = new URL('./fixtures/warm-worker.mjs', import.meta.url);

interface Message { n: number; part?: number; thread: number; last: boolean }
interface Task { n: number; parts?: number; fail?: boolean; hang?: boolean }

/** Runs `tasks` on at most `threads` threads; each task's messages, and the threads used. */
async function run(tasks: Task[], threads: number, signal?: AbortSignal): Promise<{ byTask: Message[][]; threads: Set<number> }> {
  const byTask: Message[][] = tasks.map(() => []);
  await runWarm<Task, Message>(WORKER, tasks, {
    threads, isLast: (m) => m.last, onMessage: (m, t) => byTask[t]!.push(m), ...(signal ? { signal } : {}),
  });
  return { byTask, threads: new Set(byTask.flat().map((m) => m.thread)) };
}

describe('runWarm: threads kept warm between runs, a task at a time', () => {
  it('gives every task its own messages, in order, on at most `threads` threads', async () => {
    const tasks = Array.from({ length: 9 }, (_, n) => ({ n, parts: n % 3 }));
    const { byTask, threads } = await run(tasks, 2);
    byTask.forEach((messages, t) => {
      expect(messages.map((m) => m.n)).toEqual(new Array(tasks[t]!.parts! + 1).fill(t));
      expect(messages.map((m) => m.last)).toEqual([...new Array(tasks[t]!.parts).fill(false), true]);
      // A task runs on one thread from its first message to its last.
      expect(new Set(messages.map((m) => m.thread)).size).toBe(1);
    });
    expect(threads.size).toBeLessThanOrEqual(2);
  });

  it('runs the next run on the threads the last one left, making none it does not need', async () => {
    const first = await run([{ n: 0 }, { n: 1 }, { n: 2 }], 2);
    const second = await run([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }], 2);
    for (const t of second.threads) expect(first.threads.has(t)).toBe(true);
    // Fewer tasks than threads: only as many threads as tasks.
    const one = await run([{ n: 0 }], 2);
    expect(one.threads.size).toBe(1);
  });

  it('rejects when a task throws, and the run after it still runs', async () => {
    await expect(run([{ n: 0 }, { n: 1, fail: true }, { n: 2 }], 2)).rejects.toThrow('task 1 failed');
    const after = await run([{ n: 0 }, { n: 1 }], 2);
    expect(after.byTask.every((m) => m.at(-1)?.last === true)).toBe(true);
  });

  it('resolves on abort, stopping a task that never ends, and the next run still runs', async () => {
    const controller = new AbortController();
    const stopped = run([{ n: 0, hang: true }, { n: 1 }], 2, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const { byTask } = await stopped;
    expect(byTask[0]).toEqual([]);
    const after = await run([{ n: 0 }, { n: 1 }, { n: 2 }], 2);
    expect(after.byTask.map((m) => m.length)).toEqual([1, 1, 1]);
    // Aborted before it starts: nothing runs.
    const aborted = new AbortController();
    aborted.abort();
    expect((await run([{ n: 0 }], 1, aborted.signal)).byTask).toEqual([[]]);
  });

  it('refuses bad arguments before a thread starts', () => {
    const ok = { threads: 1, isLast: () => true, onMessage: () => {} };
    expect(() => runWarm('x' as unknown as URL, [], ok)).toThrow(/runWarm: url must be a URL/);
    expect(() => runWarm(WORKER, [], { ...ok, threads: 0 })).toThrow(RangeError);
    expect(() => runWarm(WORKER, [], { ...ok, isLast: 1 as unknown as () => boolean })).toThrow(/options.isLast/);
    expect(() => runWarm(WORKER, {} as unknown as [], ok)).toThrow(/tasks/);
  });
});
