/**
 * Connections to the run's Redis server and the names of what a run keeps there: its settings,
 * its point results (one field per failure point, so a job run twice is still counted once) and
 * the refusals of workers.
 */
import { Redis } from 'ioredis';

/** The one BullMQ queue every run's jobs go through. */
export const QUEUE_NAME = 'mapletree-study';

export const runKey = (run: string): string => `mapletree:run:${run}`;
export const resultsKey = (run: string): string => `mapletree:run:${run}:results`;
export const refusedKey = (run: string): string => `mapletree:run:${run}:refused`;

/** Checks a queue URL: redis:// or rediss:// (TLS), optionally with a password and a database. */
export function checkQueueUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`--queue ${JSON.stringify(url)} is not a URL; expected redis://[:password@]host[:port][/db] or rediss://…`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RangeError(`--queue ${JSON.stringify(url)}: the scheme must be redis:// or rediss:// (TLS), not ${parsed.protocol}//`);
  }
  if (parsed.pathname.length > 1 && !/^\/\d+$/.test(parsed.pathname)) throw new RangeError(`--queue ${JSON.stringify(url)}: the path must be a database number, e.g. /0`);
  return parsed;
}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * A connection that waits out a lost server rather than failing (BullMQ's workers need
 * maxRetriesPerRequest: null), reconnecting with a backoff capped at 2 s.
 */
export function connect(url: string): Redis {
  checkQueueUrl(url);
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(100 * times, 2000) });
}
