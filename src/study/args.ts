/**
 * The study's argument checks, in one place: every export of mapletree/study runs them before it
 * builds a scenario, searches or writes a file. They build on the model's (src/mm/args.ts): a
 * wrong type is a TypeError, a value outside the domain a RangeError, and each message names the
 * function, the argument and the value.
 *
 * Results and cells cross worker threads, the job queue and checkpoint files as plain data, so
 * they are recognised by their shape, not their class.
 */
import { mkdirSync } from 'node:fs';
import type { FaultPlan } from '../explore/execution.js';
import { checkFaultPlan } from '../explore/arguments.js';
import { functionArg, indexArg, kernelConfigArg, optionalBooleanArg, optionsArg, show, stringArg, userRangeArg } from '../mm/args.js';
import { KERNEL_NAMES } from '../mm/config.js';
import { parentAfterForkArg } from '../mm/walkers/parent.js';
import type { ParentProcess, ScenarioOptions, ScenarioWorld } from './scenario.js';
import type { StudyCell, StudyResult } from './study.js';
import { ALL_WALKERS, type WalkerName } from './walker-names.js';

/** Throws unless `value` is one of `allowed`; returns it. */
export function oneOfArg<S extends string>(fn: string, name: string, value: unknown, allowed: readonly S[]): S {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as S;
  const list = allowed.map((a) => JSON.stringify(a)).join(', ');
  throw new (typeof value === 'string' ? RangeError : TypeError)(`${fn}: ${name} must be one of ${list}, got ${show(value)}`);
}

/** Throws unless `value` is an array; returns it. */
export function arrayArg(fn: string, name: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an array, got ${show(value)}`);
  return value;
}

/** Throws unless `value` is an array of strings. */
export function stringsArg(fn: string, name: string, value: unknown): readonly string[] {
  arrayArg(fn, name, value).forEach((s, i) => stringArg(fn, `${name}[${i}]`, s));
  return value as readonly string[];
}

/** Throws unless `value` names a kernel configuration (mm/config.ts). */
export function configurationArg(fn: string, name: string, value: unknown): string {
  stringArg(fn, name, value);
  return oneOfArg(fn, name, value, KERNEL_NAMES);
}

/** Throws unless `value` is a walker's name. */
export function walkerArg(fn: string, name: string, value: unknown): WalkerName {
  return oneOfArg(fn, name, value, ALL_WALKERS);
}

/** Throws unless `value` is an array of walker names (none is a set too: the fork alone). */
export function walkersArg(fn: string, name: string, value: unknown): readonly WalkerName[] {
  const list = arrayArg(fn, name, value);
  // Every scenario is checked, once per execution: the element's name is made only for a refusal.
  for (let i = 0; i < list.length; i++) if (!(ALL_WALKERS as readonly unknown[]).includes(list[i])) walkerArg(fn, `${name}[${i}]`, list[i]);
  return value as readonly WalkerName[];
}

/** Throws unless `value` is a cell's walkers: a name, a set's name (a+b) or a non-empty array of names. */
export function walkerSetArg(fn: string, name: string, value: unknown): readonly WalkerName[] {
  if (typeof value !== 'string' && !Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be a walker name, a set's name (a+b) or an array of names, got ${show(value)}`);
  const set = typeof value === 'string' ? value.split('+') : value;
  if (set.length === 0) throw new RangeError(`${fn}: ${name} must name at least one walker, got an empty array`);
  return walkersArg(fn, name, set);
}

/** Throws unless `value` is undefined or a ParentProcess: specs or maps text, and the walkers' targets. */
export function parentArg(fn: string, name: string, value: unknown): ParentProcess | undefined {
  if (value === undefined) return undefined;
  const p = optionsArg(fn, name, value, ['specs', 'maps', 'uprobe', 'uffd', 'afterFork']);
  if (p['specs'] !== undefined && p['maps'] !== undefined) throw new RangeError(`${fn}: ${name} gives both specs and maps; give one`);
  if (p['specs'] !== undefined) arrayArg(fn, `${name}.specs`, p['specs']);
  if (p['maps'] !== undefined) stringArg(fn, `${name}.maps`, p['maps']);
  if (p['uprobe'] !== undefined) {
    const u = optionsArg(fn, `${name}.uprobe`, p['uprobe'], ['path', 'offset']);
    stringArg(fn, `${name}.uprobe.path`, u['path']);
    indexArg(fn, `${name}.uprobe.offset`, u['offset']);
  }
  if (p['uffd'] !== undefined && p['uffd'] !== null) {
    const u = optionsArg(fn, `${name}.uffd`, p['uffd'], ['start', 'end']);
    userRangeArg(fn, u['start'], u['end'], [`${name}.uffd.start`, `${name}.uffd.end`]);
  }
  if (p['afterFork'] !== undefined) parentAfterForkArg(fn, p['afterFork']);
  return value as ParentProcess;
}

/** Throws unless `value` is a scenario's options (buildScenario, runScript). */
export function scenarioOptionsArg(fn: string, value: unknown): ScenarioOptions {
  if (value === undefined) throw new TypeError(`${fn}: options must be an object of options, got undefined`);
  const o = optionsArg(fn, 'options', value, ['kernel', 'parent', 'walkers', 'signalAtVma', 'childExits', 'forkFootprint']);
  if (typeof o['kernel'] === 'string') configurationArg(fn, 'options.kernel', o['kernel']);
  else kernelConfigArg(`${fn}: options.kernel`, o['kernel']);
  parentArg(fn, 'options.parent', o['parent']);
  if (o['walkers'] !== undefined) walkersArg(fn, 'options.walkers', o['walkers']);
  if (o['signalAtVma'] !== undefined && o['signalAtVma'] !== null) indexArg(fn, 'options.signalAtVma', o['signalAtVma']);
  optionalBooleanArg(fn, 'options.childExits', o['childExits']);
  optionalBooleanArg(fn, 'options.forkFootprint', o['forkFootprint']);
  return value as ScenarioOptions;
}

/** The worlds buildScenario made: what a script's predicates may be given. */
const WORLDS = new WeakSet<object>();

/** buildScenario's record of a world it made. */
export function registerWorld(world: ScenarioWorld): void {
  WORLDS.add(world);
}

/** Throws unless `world` was built by buildScenario. */
export function scenarioWorldArg(fn: string, world: unknown): ScenarioWorld {
  if (typeof world !== 'object' || world === null || !WORLDS.has(world)) throw new TypeError(`${fn}: world must be a ScenarioWorld (from buildScenario), got ${show(world)}`);
  return world as ScenarioWorld;
}

/** Throws unless `value` is null or undefined (no fault) or a fault plan (the explorer's check). */
export function faultArg(fn: string, value: unknown): FaultPlan | null {
  if (value === undefined) return null;
  checkFaultPlan(fn, 'fault', value);
  return value;
}

/** Throws unless `value` is undefined or a function. */
export function optionalFunctionArg(fn: string, name: string, value: unknown): void {
  if (value !== undefined) functionArg(fn, name, value);
}

const OUTCOMES = ['bug', 'verified', 'unreachable', 'n/a', 'error'] as const;

/** Throws unless `value` has the shape of a StudyCell: its configuration, walker and outcome. */
export function cellArg(fn: string, name: string, value: unknown): StudyCell {
  const c = value as Record<string, unknown> | null;
  if (typeof value !== 'object' || c === null || Array.isArray(value) || typeof c['configuration'] !== 'string' || typeof c['walker'] !== 'string' ||
    !(OUTCOMES as readonly unknown[]).includes(c['outcome'])) {
    throw new TypeError(`${fn}: ${name} must be a study cell { configuration, walker, outcome, … }, got ${show(value)}`);
  }
  return value as StudyCell;
}

/** Throws unless `value` has the shape of a StudyResult, each of its cells included. */
export function resultArg(fn: string, name: string, value: unknown): StudyResult {
  const r = value as Record<string, unknown> | null;
  if (typeof value !== 'object' || r === null || !Array.isArray(r['results']) || typeof r['bound'] !== 'number' || typeof r['parentVmas'] !== 'number' ||
    typeof r['executions'] !== 'number' || typeof r['timeMs'] !== 'number') {
    throw new TypeError(`${fn}: ${name} must be a study result { bound, parentVmas, results, executions, timeMs }, got ${show(value)}`);
  }
  (r['results'] as unknown[]).forEach((c, i) => cellArg(fn, `${name}.results[${i}]`, c));
  return value as StudyResult;
}

/** Throws unless `value` is the workers of a run: a positive integer, or 'queue' where a queue may run it. */
export function workersArg(fn: string, name: string, value: unknown, queue: boolean): number | 'queue' {
  if (queue && value === 'queue') return value;
  if (indexArg(fn, name, value) < 1) throw new RangeError(`${fn}: ${name} must be at least 1${queue ? " (or 'queue')" : ''}, got ${show(value)}`);
  return value as number;
}

/** Makes the report folder `dir`; a path that cannot be a folder is a RangeError naming it. */
export function makeReportDir(fn: string, value: unknown): string {
  const dir = stringArg(fn, 'dir', value);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RangeError(`${fn}: dir ${show(dir)} cannot be made a folder: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return dir;
}
