/**
 * Argument checks shared by the public API: they name the offending argument and run before
 * anything changes. Wrong types are TypeErrors, values outside the domain RangeErrors; what the
 * kernel itself refuses with an errno stays a MapleError at the call site.
 */
import { MAX_INDEX } from './constants.js';
import { isAdvancedEntry } from './entry.js';
import { MapleError } from './errors.js';
import { shown } from './shown.js';

/** An entry a caller may store: not one of the tree's internal entries (EINVAL, as mas_store refuses them). */
export function checkEntry(entry: unknown): void {
  if (isAdvancedEntry(entry)) throw new MapleError('EINVAL', `entry ${String(entry)} is reserved for the tree's own use`);
}

/** Throws unless `value` is an integer index in 0..MAX_INDEX. */
export function checkIndex(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${shown(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > MAX_INDEX) {
    throw new RangeError(`${name} must be an integer in 0..MAX_INDEX (2^53-1), got ${value}`);
  }
}

/**
 * Throws unless `value` is an integer size in 0..2^53; 0 is the kernel's own refusal (EINVAL from
 * mas_empty_area and mtree_alloc_range), so it is a MapleError.
 */
export function checkAllocSize(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${shown(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > MAX_INDEX + 1) {
    throw new RangeError(`${name} must be an integer in 0..2^53, got ${value}`);
  }
  if (value === 0) throw new MapleError('EINVAL', `${name} must be at least 1`);
}

/**
 * Throws unless min <= max: EINVAL, as mas_empty_area refuses a reversed window before it looks at
 * the size (mtree_alloc_range, mtree_alloc_cyclic and the cursor's gap searches all go through it).
 */
export function checkWindow(min: number, max: number): void {
  if (min > max) throw new MapleError('EINVAL', `max (${max}) is below min (${min})`);
}

/**
 * Throws unless `first` and `last` are indices with first <= last: EINVAL for a reversed range, as
 * mtree_store_range and mtree_insert_range refuse it, and mas_store (under CONFIG_DEBUG_MAPLE_TREE).
 */
export function checkRange(first: unknown, last: unknown, firstName = 'first'): void {
  checkIndex(first, firstName);
  checkIndex(last, 'last');
  if (first > last) throw new MapleError('EINVAL', `${firstName} (${first}) is greater than last (${last})`);
}

/** Throws unless `value` is a string. */
export function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${shown(value)}`);
}

/** Throws unless `value` is true or false. */
export function checkBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${shown(value)}`);
}

/** Throws unless `value` is a function (or, with `nullable`, null). */
export function checkFunction(value: unknown, name: string, nullable: boolean): void {
  if (typeof value === 'function' || (nullable && value === null)) return;
  throw new TypeError(`${name} must be a function${nullable ? ' or null' : ''}, got ${shown(value)}`);
}

/** Throws unless `value` is one of the strings in `allowed`. */
export function checkOneOf<S extends string>(value: unknown, name: string, allowed: readonly S[]): asserts value is S {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  if (typeof value !== 'string') throw new TypeError(`${name} must be one of ${list}, got ${shown(value)}`);
  if (!(allowed as readonly string[]).includes(value)) throw new RangeError(`${name} must be one of ${list}, got ${shown(value)}`);
}

/** The GFP classes (see alloc.ts). */
export const GFP_VALUES = ['kernel', 'nowait', 'atomic'] as const;

/** Throws unless `value` is a GFP class. */
export function checkGfp(value: unknown, name: string): asserts value is (typeof GFP_VALUES)[number] {
  // Every allocation checks its gfp: the common values return at once.
  if (value === 'kernel' || value === 'nowait' || value === 'atomic') return;
  checkOneOf(value, name, GFP_VALUES);
}

/** Throws unless `value` is a plain options object (or undefined) whose keys are all in `known`. */
export function checkOptions(value: unknown, name: string, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${shown(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`${name} has an unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
}
