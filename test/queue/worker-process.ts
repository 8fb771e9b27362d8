/**
 * A `mapletree worker` process of the built command (npm test builds first), its stderr collected,
 * stopped or killed by the test. Waits are bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface WorkerProcess {
  readonly lines: string[];
  /** Resolves once the worker has logged `count` lines matching `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, count?: number, ms?: number): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function startWorker(url: string, options: { readonly preload?: string; readonly lockMs?: number } = {}): Promise<WorkerProcess> {
  const args = [...(options.preload ? ['--import', options.preload] : []), 'dist/cli/main.js', 'worker', '--queue', url, '--lock-duration', String(options.lockMs ?? 1500)];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (pattern: RegExp, count = 1, ms = 60_000): Promise<void> => new Promise((resolve, reject) => {
    const check = (): void => {
      if (lines.filter((l) => pattern.test(l)).length < count) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`worker did not log ${count} × ${pattern} within ${ms} ms; it logged:\n${lines.join('\n')}`));
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  await waitFor(/ready on/, 1, 60_000);
  return { lines, waitFor, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** The worker processes a test file starts, so each test and the file's end can stop them all. */
export function workerPool(url: () => string): {
  readonly start: (options?: Parameters<typeof startWorker>[1]) => Promise<WorkerProcess>;
  readonly stopAll: () => Promise<void>;
} {
  const workers: WorkerProcess[] = [];
  return {
    start: async (options) => {
      const w = await startWorker(url(), options);
      workers.push(w);
      return w;
    },
    stopAll: async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
  };
}
