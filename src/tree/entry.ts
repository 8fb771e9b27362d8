/**
 * Entries are any JavaScript value; `undefined` is the kernel's NULL (an empty range).
 *
 * The kernel reserves tagged words (xa_mk_internal) below 4096 for itself. We model the one a user
 * can store, XA_ZERO_ENTRY, as a unique frozen object; any other internal marker the tree uses is
 * an instance of InternalEntry and is refused by the normal API with EINVAL, as the kernel refuses
 * xa_is_advanced() entries.
 */
import { shown } from './shown.js';

export class InternalEntry<Name extends string = string, Value extends number = number> {
  constructor(readonly name: Name, readonly value: Value) {
    // entry.ts is below args.ts in the module graph: it checks its arguments itself.
    if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${shown(name)}`);
    if (typeof value !== 'number') throw new TypeError(`value must be a number, got ${shown(value)}`);
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`value must be an integer in 0..2^53-1 (xa_mk_internal takes an unsigned long), got ${value}`);
    Object.freeze(this);
  }

  toString(): string {
    return this.name;
  }
}

/** XA_ZERO_ENTRY (xa_mk_internal(257)): occupies its range but reads as empty through the normal API. */
export const ZERO_ENTRY: InternalEntry<'XA_ZERO_ENTRY', 257> = new InternalEntry('XA_ZERO_ENTRY', 257);

/**
 * The type of ZERO_ENTRY, the one internal entry a tree can hold: what the reads that return it
 * (next, prev, MaState's walks and steps, erase) add to an entry's type.
 */
export type ZeroEntry = typeof ZERO_ENTRY;

/** XA_RETRY_ENTRY (xa_mk_internal(256)): an "advanced" entry, never storable. */
export const RETRY_ENTRY: InternalEntry = new InternalEntry('XA_RETRY_ENTRY', 256);

/** xa_is_zero() */
export function isZeroEntry(entry: unknown): entry is ZeroEntry {
  return entry === ZERO_ENTRY;
}

/** xa_is_internal(): the low two bits of the word are `10` in the kernel. */
export function isInternalEntry(entry: unknown): entry is InternalEntry {
  return entry instanceof InternalEntry;
}

/** xa_is_advanced(): internal entries up to XA_RETRY_ENTRY; the normal store API refuses them. */
export function isAdvancedEntry(entry: unknown): boolean {
  return entry instanceof InternalEntry && entry.value <= 256;
}

/** mt_is_reserved(): any internal entry below 4096, XA_ZERO_ENTRY included; alloc_* refuse them. */
export function isReservedEntry(entry: unknown): boolean {
  return entry instanceof InternalEntry && entry.value < 4096;
}
