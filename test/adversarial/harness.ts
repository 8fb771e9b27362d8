/**
 * The adversarial table's machinery: the classes of bad values, what each kind of parameter must
 * refuse, and one call of an entry point with one argument replaced by a bad value. A call passes
 * when it throws a MapleError / MmError (with an errno) or a TypeError / RangeError whose message
 * names the argument, and leaves its structure exactly as it was; or, for a value the kernel or the
 * API accepts, when the row says so and why.
 */
import { MapleError } from '../../src/index.js';
import { MmError } from '../../src/mm/index.js';
import { runSync } from '../../src/explore/index.js';
import type { Task } from '../../src/explore/index.js';

class Imposter {
  readonly kind = 'imposter';
}

/** The classes of bad values, by name. `wrongClass` is replaced by the parameter's own imposter. */
export const BAD: Readonly<Record<string, unknown>> = {
  'NaN': NaN,
  'Infinity': Infinity,
  '-Infinity': -Infinity,
  '-1': -1,
  '1.5': 1.5,
  '2^53': 2 ** 53,
  '2^53+2': 2 ** 53 + 2,
  'a numeric string': '4096',
  'an empty string': '',
  'a BigInt': 4096n,
  'null': null,
  'undefined': undefined,
  'a plain object': {},
  'an array': [],
  'an object with valueOf': { valueOf: () => 4096 },
  'a number': 42,
  'a boolean': true,
  'a function': () => 4096,
  'a wrong class instance': new Imposter(),
};

const NUMBER_BAD = ['NaN', 'Infinity', '-Infinity', '1.5', '2^53', '2^53+2', 'a numeric string', 'an empty string', 'a BigInt', 'null',
  'undefined', 'an object with valueOf', 'a plain object', 'an array', 'a boolean'];

/**
 * index: a non-negative integer (tree indices, counts); int: any safe integer is valid in type, and
 * -1 is tried (an address or size of -1 is the unsigned long a C caller would pass); string,
 * boolean, function, object (an instance of one class), options (an object of named options),
 * array.
 */
export type Kind = 'index' | 'int' | 'string' | 'boolean' | 'function' | 'object' | 'options' | 'array';

const KIND_BAD: Readonly<Record<Kind, readonly string[]>> = {
  index: [...NUMBER_BAD, '-1'],
  int: [...NUMBER_BAD, '-1'],
  string: ['a number', 'a BigInt', 'null', 'undefined', 'a plain object', 'an array', 'a boolean', 'a wrong class instance'],
  boolean: ['a number', 'a numeric string', 'null', 'undefined', 'a plain object', 'a BigInt'],
  function: ['a number', 'a numeric string', 'null', 'undefined', 'a plain object', 'a BigInt'],
  object: ['null', 'undefined', 'a number', 'a numeric string', 'a BigInt', 'a plain object', 'an array', 'a function', 'a wrong class instance'],
  options: ['a number', 'a numeric string', 'a BigInt', 'an array', 'a boolean', 'a function'],
  array: ['a number', 'a numeric string', 'null', 'undefined', 'a plain object', 'a BigInt'],
};

export interface Param<W> {
  /** The name the message must contain. */
  readonly name: string;
  readonly kind: Kind;
  readonly good: (w: W) => unknown;
  /** undefined means "the default": not a bad value for this parameter. */
  readonly optional?: boolean;
  /** Bad-value classes this parameter accepts, with the reason (the kernel's or the API's). */
  readonly accepts?: Readonly<Record<string, string>>;
  /** A wrong-class instance for an object parameter (an instance of another class of the project). */
  readonly imposter?: (w: W) => unknown;
}

/** A named row beyond the value classes: a reversed range, an empty or huge size, a named case of an issue. */
export interface Special<W> {
  readonly name: string;
  readonly args: (w: W) => unknown[];
  /** What the message must name. */
  readonly names: string;
  /** The call is accepted, and why. */
  readonly accepts?: string;
}

export interface Entry<W = unknown> {
  /** The export, or Class#method. */
  readonly name: string;
  readonly world: () => W;
  /** Everything the call must leave unchanged; throws if the structure is invalid. */
  readonly structure: (w: W) => string;
  readonly params: readonly Param<W>[];
  readonly call: (w: W, args: unknown[]) => unknown;
  /** The result is a generator task: it is run to the end (runSync) as part of the call. */
  readonly task?: boolean;
  /** A negative number returned is the kernel's errno (the do* functions' convention). */
  readonly errnoReturn?: boolean;
  readonly specials?: readonly Special<W>[];
}

export type Verdict = 'clear' | 'accepted' | 'silent' | 'unclear' | 'corrupted';

export interface Outcome {
  readonly row: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

/** A value for a report line, whatever it is (an object may have no toString). */
function text(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isClear(e: unknown): e is Error {
  if (e instanceof TypeError || e instanceof RangeError) return true;
  return (e instanceof MapleError || e instanceof MmError) && typeof e.errno === 'number' && e.errno < 0;
}

async function attempt<W>(entry: Entry<W>, w: W, args: unknown[]): Promise<{ threw: unknown } | { value: unknown }> {
  try {
    let value = entry.call(w, args);
    if (entry.task) value = runSync(value as Task<unknown>);
    if (value instanceof Promise) value = await value;
    return { value };
  } catch (e) {
    return { threw: e };
  }
}

/** One call of `entry` with `args`; `names` is what a refusal must name, `accepts` why acceptance is right. */
export async function judge<W>(entry: Entry<W>, row: string, make: (w: W) => unknown[], names: string, accepts: string | undefined): Promise<Outcome> {
  const w = entry.world();
  const args = make(w);
  let before: string;
  try {
    before = entry.structure(w);
  } catch (e) {
    throw new Error(`${row}: the world is invalid before the call: ${text(e)}`);
  }
  const got = await attempt(entry, w, args);
  let after: string | null;
  let invalid = '';
  try {
    after = entry.structure(w);
  } catch (e) {
    after = null;
    invalid = text(e);
  }
  if ('value' in got) {
    if (after === null) return { row, verdict: 'corrupted', detail: `accepted, then invalid: ${invalid}` };
    if (entry.errnoReturn && typeof got.value === 'number' && got.value < 0) {
      return after === before ? { row, verdict: 'clear', detail: `errno ${got.value}` } : { row, verdict: 'corrupted', detail: `returned ${got.value} after a change` };
    }
    if (accepts !== undefined) return { row, verdict: 'accepted', detail: accepts };
    return { row, verdict: 'silent', detail: `returned ${text(got.value).slice(0, 60)}` };
  }
  const e = got.threw;
  if (after === null) return { row, verdict: 'corrupted', detail: `threw ${text(e)}, then invalid: ${invalid}` };
  if (after !== before) return { row, verdict: 'corrupted', detail: `threw ${text(e).slice(0, 120)} after changing the structure` };
  if (!isClear(e)) return { row, verdict: 'unclear', detail: `threw ${text(e)}`.slice(0, 200) };
  if (!e.message.includes(names)) return { row, verdict: 'unclear', detail: `${e.name}: ${e.message} does not name ${names}`.slice(0, 200) };
  return { row, verdict: 'clear', detail: e.message };
}

/** Every row of `entry`: each parameter × each bad class of its kind, then the specials. */
export function rowsOf<W>(entry: Entry<W>): Array<{ row: string; run: () => Promise<Outcome> }> {
  const rows: Array<{ row: string; run: () => Promise<Outcome> }> = [];
  entry.params.forEach((param, i) => {
    for (const cls of KIND_BAD[param.kind]) {
      if (cls === 'undefined' && param.optional) continue;
      const row = `${entry.name}(${param.name} = ${cls})`;
      const bad = (w: W): unknown => (cls === 'a wrong class instance' && param.imposter ? param.imposter(w) : BAD[cls]);
      const make = (w: W): unknown[] => entry.params.map((p, j) => (j === i ? bad(w) : p.good(w)));
      rows.push({ row, run: () => judge(entry, row, make, param.name, param.accepts?.[cls]) });
    }
  });
  for (const s of entry.specials ?? []) {
    const row = `${entry.name}: ${s.name}`;
    rows.push({ row, run: () => judge(entry, row, s.args, s.names, s.accepts) });
  }
  return rows;
}
