/**
 * Parsing of the command's numeric flags, with errors that name the flag.
 */

/** A non-negative integer flag. */
export function int(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

/** A positive number of seconds, returned in milliseconds. */
export function seconds(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number of seconds, got ${value}`);
  return n * 1000;
}
