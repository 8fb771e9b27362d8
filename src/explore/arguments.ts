/**
 * Checking the arguments of mapletree/explore's public functions before anything runs. Each check
 * throws a TypeError (a value of the wrong type) or a RangeError (the right type, a value out of
 * range) whose message names the function, the argument and the value it got, so a caller's
 * mistake is never taken for a model's behaviour. The checks are O(1) unless they say otherwise:
 * op constructors and choosers run on every step.
 */
import type { DecisionPoint, ExecutionResult, FaultPlan } from './execution.js';
import type { Model, ModelInstance } from './model.js';

/** A value as an error message shows it: strings quoted, BigInts marked, objects by their class. */
export function shown(value: unknown): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    case 'bigint': return `${String(value)}n (a BigInt)`;
    case 'function': return 'a function';
    case 'symbol': return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      const proto: unknown = Object.getPrototypeOf(value);
      const name = proto === null ? '' : (proto as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === 'string' && name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
    }
    default: return String(value);
  }
}

function wrongType(where: string, name: string, what: string, value: unknown): never {
  throw new TypeError(`${where}: ${name} must be ${what}, got ${shown(value)}`);
}

function outOfRange(where: string, name: string, what: string, value: unknown): never {
  throw new RangeError(`${where}: ${name} must be ${what}, got ${shown(value)}`);
}

export function checkString(where: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') wrongType(where, name, 'a string', value);
}

/** An error class's message, checked before the error is made. */
export function checkedMessage(where: string, message: unknown): string {
  checkString(where, 'message', message);
  return message;
}

export function checkBoolean(where: string, name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') wrongType(where, name, 'true or false', value);
}

export function checkFunction(where: string, name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') wrongType(where, name, 'a function', value);
}

/** A worker pool's module: the URL of the file its threads run. */
export function checkWorkerModule(where: string, value: unknown): asserts value is URL {
  if (!(value instanceof URL)) wrongType(where, 'url', 'a URL (of the worker module)', value);
}

/** An optional AbortSignal. */
export function checkSignal(where: string, name: string, value: unknown): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) wrongType(where, name, 'an AbortSignal', value);
}

export function checkArray(where: string, name: string, value: unknown): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) wrongType(where, name, 'an array', value);
}

/** A non-null object that is neither an array nor a function. */
export function checkObject(where: string, name: string, value: unknown, what = 'an object'): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrongType(where, name, what, value);
}

/** An options argument: absent, or an object of named options. */
export function checkOptions(where: string, value: unknown, name = 'options'): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined) checkObject(where, name, value, 'an object of named options');
}

/**
 * A count: a safe integer of at least `min` (Infinity too when `infinite`). A number of any other
 * kind is a RangeError; anything that is not a number (a numeric string, a BigInt) a TypeError.
 */
export function checkCount(where: string, name: string, value: unknown, { min = 0 as 0 | 1, infinite = false } = {}): asserts value is number {
  if (typeof value === 'number' && (Number.isSafeInteger(value) || (infinite && value === Infinity)) && value >= min) return;
  const what = `${min > 0 ? 'a positive' : 'a non-negative'} integer${infinite ? ' or Infinity' : ''}`;
  if (typeof value !== 'number') wrongType(where, name, what, value);
  outOfRange(where, name, what, value);
}

/** A seed: any safe integer (negative ones too; the PRNG folds it to 32 bits). */
export function checkSeed(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') wrongType(where, name, 'an integer', value);
  if (!Number.isSafeInteger(value)) outOfRange(where, name, 'a safe integer', value);
}

/** An array of non-negative integers (decisions, a prefix). O(length). */
export function checkIndices(where: string, name: string, value: unknown): asserts value is readonly number[] {
  checkArray(where, name, value);
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (!Number.isSafeInteger(x) || (x as number) < 0) outOfRange(where, `${name}[${i}]`, 'a non-negative integer', x);
  }
}

/** A decision point's shape (its kind, options and current task), as a chooser is handed one. */
export function checkPoint(where: string, name: string, value: unknown): asserts value is DecisionPoint {
  checkObject(where, name, value, 'a decision point');
  if (value['kind'] !== 'task' && value['kind'] !== 'choice') outOfRange(where, `${name}.kind`, '"task" or "choice"', value['kind']);
  if (!Array.isArray(value['options']) || value['options'].length === 0) wrongType(where, `${name}.options`, 'a non-empty array', value['options']);
  if (!Number.isSafeInteger(value['current']) || (value['current'] as number) < -1) outOfRange(where, `${name}.current`, 'a task index or -1', value['current']);
}

/** Whether `value` is a fault plan: a positive integer nth, a known mode, string task and site filters, nothing else. */
export function isFaultPlan(value: unknown): value is FaultPlan {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { nth, mode, task, site } = value as Partial<Record<keyof FaultPlan, unknown>>;
  if (!Number.isSafeInteger(nth) || (nth as number) < 1 || (mode !== 'once' && mode !== 'persistent')) return false;
  if ((task !== undefined && typeof task !== 'string') || (site !== undefined && typeof site !== 'string')) return false;
  for (const key in value) if (key !== 'nth' && key !== 'mode' && key !== 'task' && key !== 'site') return false;
  return true;
}

/** null, or a fault plan (isFaultPlan). */
export function checkFaultPlan(where: string, name: string, value: unknown): asserts value is FaultPlan | null {
  if (value === null || isFaultPlan(value)) return;
  const E = typeof value === 'object' && !Array.isArray(value) ? RangeError : TypeError;
  throw new E(`${where}: ${name} is a malformed fault plan ${typeof value === 'object' ? safeJson(value) : shown(value)}; ` +
    "expected null or { nth >= 1, mode: 'once' | 'persistent', task?, site? }");
}

/** A model: a name, a description, at least one variant (strings), a build function and maybe a grammar. O(variants). */
export function checkModel(where: string, name: string, value: unknown): asserts value is Model {
  checkObject(where, name, value, 'a model { name, description, variants, build }');
  checkString(where, `${name}.name`, value['name']);
  checkString(where, `${name}.description`, value['description']);
  checkArray(where, `${name}.variants`, value['variants']);
  if (value['variants'].length === 0) throw new RangeError(`${where}: ${name} ${value['name']} needs at least one variant`);
  value['variants'].forEach((v, i) => checkString(where, `${name}.variants[${i}]`, v));
  if (value['hasVariant'] !== undefined) checkFunction(where, `${name}.hasVariant`, value['hasVariant']);
  checkFunction(where, `${name}.build`, value['build']);
}

/** JSON for a message, whatever the value (a BigInt or a cycle does not break it). */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? shown(value);
  } catch {
    return shown(value);
  }
}

const optionalFunction = (v: unknown): boolean => v === undefined || typeof v === 'function';

/** A model instance: its tasks (each a name and a run function) and the optional checks. O(tasks). */
/** The common case without building a message: an instance whose tasks and hooks are well-formed. */
function isFootprint(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Field by field: every execution checks its tasks' footprints (no rest object, no key list).
  const { touches, guards, guardedBy, writeLock, pureRead } = value as Record<string, unknown>;
  return typeof touches === 'function' && optionalFunction(guards) && optionalFunction(guardedBy) && optionalFunction(writeLock) && optionalFunction(pureRead);
}

export function isInstance(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { tasks, finalCheck, stateKey } = value as Partial<Record<keyof ModelInstance, unknown>>;
  if (!Array.isArray(tasks) || (finalCheck !== undefined && typeof finalCheck !== 'function') || (stateKey !== undefined && typeof stateKey !== 'function')) return false;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i] as Partial<Record<'name' | 'run' | 'footprint', unknown>> | null;
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || typeof t.run !== 'function') return false;
    if (t.footprint !== undefined && !isFootprint(t.footprint)) return false;
  }
  return true;
}

export function checkInstance(where: string, name: string, value: unknown): asserts value is ModelInstance {
  if (isInstance(value)) return;
  checkObject(where, name, value, 'a model instance { tasks }');
  checkArray(where, `${name}.tasks`, value['tasks']);
  value['tasks'].forEach((t, i) => {
    checkObject(where, `${name}.tasks[${i}]`, t, 'a task { name, run }');
    checkString(where, `${name}.tasks[${i}].name`, t['name']);
    checkFunction(where, `${name}.tasks[${i}].run`, t['run']);
    if (t['footprint'] !== undefined && !isFootprint(t['footprint'])) {
      throw new TypeError(`${where}: ${name}.tasks[${i}].footprint must be { touches, guards?, guardedBy?, writeLock?, pureRead? } (functions), got ${shown(t['footprint'])}`);
    }
  });
  for (const hook of ['finalCheck', 'stateKey']) if (value[hook] !== undefined) checkFunction(where, `${name}.${hook}`, value[hook]);
}

/** An execution's result, as runExecution returns it (its shape; the arrays are not walked). */
export function checkRun(where: string, name: string, value: unknown): asserts value is ExecutionResult {
  checkObject(where, name, value, 'an execution result (what runExecution returns)');
  for (const field of ['decisions', 'points', 'events', 'results']) checkArray(where, `${name}.${field}`, value[field]);
  for (const field of ['steps', 'preemptions']) checkCount(where, `${name}.${field}`, value[field]);
  if (value['violation'] !== null) checkObject(where, `${name}.violation`, value['violation'], 'null or a violation');
}
