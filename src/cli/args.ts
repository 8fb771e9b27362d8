/**
 * Parsing of the command's flags, with errors that name the flag and the value.
 */
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/** A non-negative integer flag. */
export function int(value: string, name: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

/** A positive integer flag (a count of workers, a width). */
export function positiveInt(value: string, name: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${value}`);
  return n;
}

/** A positive number of seconds, returned in milliseconds. */
export function seconds(value: string, name: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got ${value}`);
  return n * 1000;
}

/** One of a fixed set of names. */
export function oneOf<T extends string>(value: string, known: readonly T[], name: string): T {
  if (known.includes(value as T)) return value as T;
  throw new UsageError(`--${name} must be one of ${known.join(', ')}, got ${JSON.stringify(value)}${didYouMean(value, known)}`);
}

/** A comma-separated list of known names; all of them when the flag is absent. */
export function list<T extends string>(value: string | undefined, known: readonly T[], name: string): T[] {
  if (value === undefined) return [...known];
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${name} is empty; known: ${known.join(', ')}`);
  for (const item of items) {
    if (!known.includes(item as T)) throw new UsageError(`--${name}: unknown ${JSON.stringify(item)}${didYouMean(item, known)} (known: ${known.join(', ')})`);
  }
  return items as T[];
}
