/**
 * Worker threads kept warm between runs. A thread that has run tasks has its code compiled and
 * optimised; a new one interprets at first (a study worker's first pass over the table runs at
 * about two thirds of the warm rate). So threads of a module that finish a run wait, unref'd (they
 * never keep the process alive), for the next run of that module in this process, and a run hands
 * each thread one task at a time: a thread that is done takes the next task, so the threads finish
 * together whatever the tasks cost.
 *
 * The worker module calls serveTasks with its handler; a task ends with the message the run's
 * `isLast` recognises.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { checkArray, checkCount, checkFunction, checkSignal, checkWorkerModule } from './arguments.js';

/** The idle threads of each worker module, by its URL. */
const idle = new Map<string, Worker[]>();

/** What a thread's messages, error and exit go to: the run it is in (none while idle). */
interface ThreadListener {
  message(message: unknown): void;
  failed(error: Error): void;
}

const listeners = new WeakMap<Worker, ThreadListener>();

/** A task as the pool posts it to a thread. */
interface TaskEnvelope<Task> {
  readonly task: Task;
}

export interface WarmRunOptions<Message> {
  /** Threads at most (fewer when there are fewer tasks). */
  readonly threads: number;
  /** Each message of a task, with the task's index. */
  readonly onMessage: (message: Message, task: number) => void;
  /** Whether a message is its task's last (the thread is then free). */
  readonly isLast: (message: Message) => boolean;
  /** Stops the run: its threads are terminated; the promise resolves. */
  readonly signal?: AbortSignal;
}

/** An idle thread of the module, or a new one; its events go to `listener` until it is given back. */
function takeThread(url: URL, listener: ThreadListener): Worker {
  let thread = idle.get(url.href)?.pop();
  if (thread === undefined) {
    const made = new Worker(url);
    made.on('message', (m: unknown) => listeners.get(made)?.message(m));
    made.on('error', (e: Error) => listeners.get(made)?.failed(e));
    made.on('exit', (code: number) => {
      // An idle thread that exits (it should not) is never handed out again.
      forget(url, made);
      listeners.get(made)?.failed(new Error(`worker thread exited with code ${code} in the middle of a run`));
    });
    thread = made;
  }
  listeners.set(thread, listener);
  thread.ref();
  return thread;
}

function giveBack(url: URL, thread: Worker): void {
  listeners.delete(thread);
  thread.unref();
  const threads = idle.get(url.href) ?? [];
  threads.push(thread);
  idle.set(url.href, threads);
}

function forget(url: URL, thread: Worker): void {
  const threads = idle.get(url.href);
  const i = threads?.indexOf(thread) ?? -1;
  if (i >= 0) threads!.splice(i, 1);
}

/**
 * Runs `tasks` on threads of the module at `url`, in order, one task a thread at a time. Resolves
 * when every task's last message has arrived (or `signal` aborted); rejects on a thread's error or
 * exit, after terminating the run's threads. Threads that finish are kept for the next run.
 */
export function runWarm<Task, Message>(url: URL, tasks: readonly Task[], options: WarmRunOptions<Message>): Promise<void> {
  checkWorkerModule('runWarm', url);
  checkArray('runWarm', 'tasks', tasks);
  checkCount('runWarm', 'options.threads', options.threads, { min: 1 });
  checkFunction('runWarm', 'options.onMessage', options.onMessage);
  checkFunction('runWarm', 'options.isLast', options.isLast);
  const { signal, onMessage, isLast } = options;
  checkSignal('runWarm', 'options.signal', signal);
  return new Promise<void>((resolve, reject) => {
    if (tasks.length === 0 || signal?.aborted) {
      resolve();
      return;
    }
    const busy = new Set<Worker>();
    let next = 0;
    let done = 0;
    let ended = false;
    const end = (error: Error | null): void => {
      if (ended) return;
      ended = true;
      signal?.removeEventListener('abort', abort);
      for (const thread of busy) {
        listeners.delete(thread);
        void thread.terminate();
      }
      if (error === null) resolve();
      else reject(error);
    };
    const abort = (): void => end(null);
    signal?.addEventListener('abort', abort, { once: true });
    /** Gives `thread` its next task, or back to the idle threads when none is left. */
    const hand = (thread: Worker, current: { index: number }): void => {
      if (next >= tasks.length) {
        busy.delete(thread);
        giveBack(url, thread);
        if (done === tasks.length) end(null);
        return;
      }
      current.index = next++;
      thread.postMessage({ task: tasks[current.index]! } satisfies TaskEnvelope<Task>);
    };
    for (let i = 0; i < Math.min(options.threads, tasks.length); i++) {
      const current = { index: -1 };
      const thread = takeThread(url, {
        message: (m) => {
          if (ended) return;
          onMessage(m as Message, current.index);
          if (!isLast(m as Message)) return;
          done++;
          hand(thread, current);
        },
        failed: (e) => end(e),
      });
      busy.add(thread);
      hand(thread, current);
    }
  });
}

/**
 * The worker module's side: `handle` runs each task posted, posting its messages with `post`; its
 * last message must be one the run's `isLast` recognises.
 */
export function serveTasks<Task, Message>(handle: (task: Task, post: (message: Message) => void) => void): void {
  if (parentPort === null) throw new Error('serveTasks: not in a worker thread');
  const port = parentPort;
  const post = (message: Message): void => port.postMessage(message);
  port.on('message', (envelope: TaskEnvelope<Task>) => handle(envelope.task, post));
}
