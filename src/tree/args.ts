/** Argument checks shared by the public API: they name the offending argument. */
import { MAX_INDEX } from './constants.js';

/** Throws unless `value` is an integer index in 0..MAX_INDEX. */
export function checkIndex(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > MAX_INDEX) {
    throw new RangeError(`${name} must be an integer in 0..MAX_INDEX (2^53-1), got ${value}`);
  }
}

/** Throws unless `value` is a positive integer size no larger than MAX_INDEX + 1. */
export function checkSize(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1 || value > MAX_INDEX + 1) {
    throw new RangeError(`${name} must be an integer in 1..2^53, got ${value}`);
  }
}
