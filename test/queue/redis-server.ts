/**
 * A private redis-server for one test file: on a free loopback port, without persistence, stopped
 * by the test. Where the package is missing the queue tests are skipped with one line, except under
 * CI, where a missing server fails them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export const HAVE_REDIS = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** Why the tests cannot run here, or null when they can (under CI they must). */
export function redisMissing(): string | null {
  if (HAVE_REDIS) return null;
  const line = 'queue tests skipped: install the package redis-server (apt-get install redis-server)';
  if (process.env.CI) throw new Error(`${line} — CI must run them`);
  return line;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  probe.disconnect();
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port} within 10 s`);
  }
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
