/** The rows for mapletree/explore: every function and constructor, on the lost-update classic. */
import { Buffer } from 'node:buffer';
import {
  BoundedSearch, CLASSICS, DporSearch, DporStrategy, ModelError, ModelViolation, PctStrategy, PrefixChooser, Prng, RandomStrategy,
  ReplayChooser, ReplayDivergence, SyncDeadlock, access, alloc, broadcast, check, choice, condWait, createStrategy, deal, defaultEntries, defaultOption,
  defaultWorkers, delayStrategy, dependent, deviationStrategy, dfsStrategy, escapeHtml, explore, fromToken, getModel, htmlReport, isPreemption,
  join, laneTable, listModels, lock, makeTrace, minimise, nextDfsPrefix, nextPrefix, parseToken, pctProbability, racingObjects, read,
  preemptionOrdering, registerModel, replay, runExecution, runPool, runSearch, runSync, signal, spawn, step, sweepFaults, traceToken, trylock, unlock, waitUntil, write,
  type DecisionPoint, type ExecutionResult, type Model, type Trace,
} from '../../src/explore/index.js';
import type { Entry, Param } from './harness.js';

export interface ExploreWorld {
  readonly model: Model;
  readonly run: ExecutionResult;
  readonly bug: ExecutionResult;
  readonly trace: Trace;
  readonly token: string;
  readonly point: DecisionPoint;
}

const lostUpdate = CLASSICS[0]!;
let cached: ExploreWorld | null = null;

/** The explorer keeps no state but its model registry, so one world serves every row. */
function exploreWorld(): ExploreWorld {
  if (cached) return cached;
  const instance = lostUpdate.build(lostUpdate.variants[0]!);
  const run = runExecution(instance, new PrefixChooser([]));
  const found = explore({ model: lostUpdate, bound: 2 });
  const bug = found.trace ? replay(found.trace) : run;
  const trace = found.trace ?? makeTrace(lostUpdate.name, lostUpdate.variants[0]!, 'dfs', null, null, run);
  cached = { model: lostUpdate, run, bug, trace, token: traceToken(trace), point: { kind: 'task', options: [0, 1], current: 0, name: 'x' } };
  return cached;
}

function structure(): string {
  return listModels().map((m) => m.name).join(',');
}

type P = Param<ExploreWorld>;
const str = (name: string, good: string, optional = false): P => ({ name, kind: 'string', good: () => good, optional });
const index = (name: string, good: number, optional = false): P => ({ name, kind: 'index', good: () => good, optional });
/** A preemption or delay bound: Infinity is the API's "no bound" (one unbounded search). */
const bound = (name: string): P => ({ name, kind: 'index', good: () => 1, accepts: { Infinity: 'no bound: one unbounded search' } });
const opts = (name: string, good: (w: ExploreWorld) => unknown, optional = true): P => ({ name, kind: 'options', good, optional });
const obj = (name: string, good: (w: ExploreWorld) => unknown, optional = false): P => ({ name, kind: 'object', good, optional });
const fn = (name: string, good: unknown, optional = false): P => ({ name, kind: 'function', good: () => good, optional });
const arr = (name: string, good: (w: ExploreWorld) => unknown): P => ({ name, kind: 'array', good });
const modeP: P = { name: 'mode', kind: 'string', good: () => 'write', optional: true };
const labelP: P = str('label', 'x', true);

function e(name: string, params: P[], call: (w: ExploreWorld, a: unknown[]) => unknown, more: Partial<Entry<ExploreWorld>> = {}): Entry<ExploreWorld> {
  return { name, world: exploreWorld, structure, params, call, ...more };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the rows call every entry point with values of any type. */
const f = <T extends (...args: any[]) => any>(g: T) => (_w: ExploreWorld, a: unknown[]): unknown => g(...(a as Parameters<T>));
const ctor = (C: new (...args: any[]) => unknown) => (_w: ExploreWorld, a: unknown[]): unknown => new C(...a);
/* eslint-enable @typescript-eslint/no-explicit-any */
const build = (w: ExploreWorld) => () => w.model.build(w.model.variants[0]!);
/** The good `build` argument: the call puts the world's build function in its place. */
const BUILD = Symbol('build');
/** A token around any body, well-formed or not. */
const tokenOf = (body: unknown): string => `mt1:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
const buildOr = (w: ExploreWorld, a: unknown): unknown => (a === BUILD ? build(w) : a);
const points = (w: ExploreWorld): DecisionPoint[] => [w.point];

export const EXPLORE_ROWS: ReadonlyArray<Entry<ExploreWorld>> = [
  // The protocol's operations.
  e('lock', [str('lockId', 'l'), modeP, labelP], f(lock)),
  e('trylock', [str('lockId', 'l'), modeP, labelP], f(trylock)),
  e('unlock', [str('lockId', 'l'), modeP, labelP], f(unlock)),
  e('alloc', [str('site', 's'), labelP], f(alloc)),
  e('choice', [str('name', 'c'), index('arity', 2, true), labelP], f(choice), {
    specials: [
      { name: 'an arity of 0', args: () => ['c', 0], names: 'arity' },
      { name: 'an arity too large to list its values', args: () => ['c', 2 ** 40], names: 'arity' },
    ],
  }),
  e('access', [str('obj', 'o'), { name: 'write', kind: 'boolean', good: () => true }, labelP], f(access)),
  e('read', [str('obj', 'o'), labelP], f(read)),
  e('write', [str('obj', 'o'), labelP], f(write)),
  e('check', [{ name: 'ok', kind: 'boolean', good: () => true }, str('name', 'n'), str('message', 'm'), labelP], f(check)),
  e('waitUntil', [str('obj', 'o'), fn('until', () => true), labelP], f(waitUntil)),
  e('step', [str('label', 'x')], f(step)),
  e('spawn', [str('name', 't'), fn('run', () => (function* () { yield step('x'); })()), labelP], f(spawn)),
  e('join', [str('task', 't'), labelP], f(join)),
  e('condWait', [str('cond', 'c'), str('mutex', 'm'), labelP], f(condWait)),
  e('signal', [str('cond', 'c'), labelP], f(signal)),
  e('broadcast', [str('cond', 'c'), labelP], f(broadcast)),
  e('ModelViolation', [str('kind', 'k'), str('message', 'm')], ctor(ModelViolation)),
  e('ModelError', [str('message', 'm')], ctor(ModelError)),
  // Running.
  e('runSync', [obj('task', () => (function* () { yield step('adversarial'); return 1; })()), opts('options', () => ({}))], f(runSync)),
  e('SyncDeadlock', [str('message', 'm')], ctor(SyncDeadlock)),
  e('registerModel', [obj('model', () => ({ name: 'adversarial-row', description: 'x', variants: ['v'], build: () => ({ tasks: [] }) }))], f(registerModel), {
    specials: [{ name: 'a model without variants', args: () => [{ name: 'adversarial-none', description: 'x', variants: [], build: () => ({ tasks: [] }) }], names: 'variant' }],
  }),
  e('getModel', [str('name', 'lost-update')], f(getModel)),
  e('listModels', [], f(listModels)),
  e('runExecution', [obj('instance', (w) => w.model.build(w.model.variants[0]!)), obj('chooser', () => new PrefixChooser([])), opts('options', () => ({}))], f(runExecution), {
    specials: [
      { name: 'a task without its run function', args: () => [{ tasks: [{ name: 't' }] }, new PrefixChooser([])], names: 'run' },
      { name: 'an unknown option', args: (w) => [w.model.build(w.model.variants[0]!), new PrefixChooser([]), { maxstep: 10 }], names: 'maxstep' },
    ],
  }),
  e('ReplayDivergence', [str('message', 'm')], ctor(ReplayDivergence)),
  e('explore', [opts('options', (w) => ({ model: w.model, bound: 1 }), false)], f(explore), {
    specials: [
      { name: 'a negative bound', args: (w) => [{ model: w.model, bound: -1 }], names: 'bound' },
      { name: 'NaN executions', args: (w) => [{ model: w.model, executions: NaN }], names: 'executions' },
      { name: 'an unknown strategy', args: (w) => [{ model: w.model, strategy: 'bogus' }], names: 'strategy' },
      // Issue 20's cases: a misspelt option is not ignored, nor is a value of the wrong type.
      { name: 'a misspelt option', args: (w) => [{ model: w.model, bounds: 3 }], names: 'bounds' },
      { name: 'a bound given as a string', args: (w) => [{ model: w.model, bound: '2' }], names: 'bound' },
      { name: 'a malformed fault plan', args: (w) => [{ model: w.model, fault: { nth: 0, mode: 'once' } }], names: 'fault' },
      { name: 'a model that is not one', args: () => [{ model: { name: 'x' } }], names: 'model' },
      { name: 'no model', args: () => [{ bound: 1 }], names: 'model' },
      { name: 'NaN timeMs', args: (w) => [{ model: w.model, timeMs: NaN }], names: 'timeMs' },
      { name: 'a checkDeterminism that is not a boolean', args: (w) => [{ model: w.model, checkDeterminism: 'yes' }], names: 'checkDeterminism' },
    ],
  }),
  e('sweepFaults', [opts('options', (w) => ({ model: w.model, bound: 0, maxNth: 1 }), false)], f(sweepFaults), {
    specials: [
      { name: 'a negative maxNth', args: (w) => [{ model: w.model, maxNth: -1 }], names: 'maxNth' },
      { name: 'an unknown fault mode', args: (w) => [{ model: w.model, mode: 'sometimes' }], names: 'mode' },
    ],
  }),
  e('runSearch', [fn('build', BUILD), obj('strategy', () => dfsStrategy(1)), opts('options', () => ({ executions: 10 }))], (w, a) => runSearch(...([buildOr(w, a[0]), a[1], a[2]] as unknown as Parameters<typeof runSearch>))),
  // Strategies.
  e('createStrategy', [opts('options', () => ({ strategy: 'dfs', bound: 1 }), false)], f(createStrategy), {
    specials: [{ name: 'an unknown strategy', args: () => [{ strategy: 'bogus' }], names: 'strategy' }],
  }),
  e('BoundedSearch', [str('name', 'dfs'), bound('maxBound'), fn('ordering', preemptionOrdering)], ctor(BoundedSearch)),
  e('nextPrefix', [arr('decisions', () => [0]), arr('points', points), bound('bound'), fn('ordering', preemptionOrdering)], f(nextPrefix)),
  e('defaultOption', [obj('point', (w) => w.point)], f(defaultOption)),
  e('isPreemption', [obj('point', (w) => w.point), index('option', 1)], f(isPreemption)),
  e('PrefixChooser', [arr('prefix', () => [0])], ctor(PrefixChooser)),
  e('dfsStrategy', [bound('bound')], f(dfsStrategy)),
  e('nextDfsPrefix', [arr('decisions', () => [0]), arr('points', points), bound('bound')], f(nextDfsPrefix)),
  e('delayStrategy', [bound('bound')], f(delayStrategy)),
  e('deviationStrategy', [bound('bound')], f(deviationStrategy)),
  e('DporSearch', [bound('bound')], ctor(DporSearch)),
  e('DporStrategy', [bound('maxBound')], ctor(DporStrategy)),
  e('dependent', [obj('a', () => write('o')), obj('b', () => read('o'))], f(dependent)),
  e('RandomStrategy', [{ name: 'seed', kind: 'int', good: () => 1, accepts: { '-1': 'any integer seeds the PRNG' } }], ctor(RandomStrategy)),
  e('PctStrategy', [{ name: 'seed', kind: 'int', good: () => 1, accepts: { '-1': 'any integer seeds the PRNG' } }, index('depth', 2)], ctor(PctStrategy)),
  e('pctProbability', [index('tasks', 2), index('steps', 10), index('depth', 2)], f(pctProbability)),
  e('ReplayChooser', [arr('decisions', () => [0])], ctor(ReplayChooser)),
  e('defaultEntries', [], f(defaultEntries)),
  // Minimising, traces and reports.
  e('minimise', [fn('build', BUILD), obj('found', (w) => w.bug), { name: 'fault', kind: 'object', good: () => null, accepts: { null: 'no fault plan' } }, opts('options', () => ({}))], (w, a) => minimise(...([buildOr(w, a[0]), a[1], a[2], a[3]] as unknown as Parameters<typeof minimise>))),
  e('makeTrace', [str('model', 'lost-update'), str('variant', 'v'), str('strategy', 'dfs'), { name: 'seed', kind: 'int', good: () => null, accepts: { 'null': 'no seed', '-1': 'any integer seeds the PRNG' } }, { name: 'fault', kind: 'object', good: () => null, accepts: { null: 'no fault plan' } }, obj('run', (w) => w.run)], f(makeTrace)),
  e('traceToken', [obj('trace', (w) => w.trace)], f(traceToken)),
  e('parseToken', [str('token', '')], (w, a) => parseToken((a[0] === '' ? w.token : a[0]) as string), {
    specials: [
      { name: 'a token that is not one', args: () => ['not-a-token'], names: 'token' },
      { name: 'a token with a garbage fault plan', args: () => [tokenOf({ m: 'lost-update', v: 'racy', f: 'garbage', d: [] })], names: 'fault' },
      { name: 'a token that is JSON but not an object', args: () => [tokenOf(42)], names: 'token' },
    ],
  }),
  e('fromToken', [str('token', '')], (w, a) => fromToken((a[0] === '' ? w.token : a[0]) as string), { specials: [{ name: 'a token that is not one', args: () => ['not-a-token'], names: 'token' }] }),
  e('replay', [obj('source', (w) => w.trace)], f(replay), {
    specials: [{ name: 'a trace with a garbage fault plan', args: (w) => [{ ...w.trace, fault: { nth: 1, mode: 'always' } }], names: 'fault' }],
  }),
  e('racingObjects', [arr('events', (w) => w.trace.events)], f(racingObjects)),
  e('laneTable', [obj('trace', (w) => w.trace), index('width', 38, true)], f(laneTable)),
  e('htmlReport', [obj('trace', (w) => w.trace), str('token', 'x')], f(htmlReport)),
  e('escapeHtml', [str('s', '<a>')], f(escapeHtml)),
  // Workers and the PRNG.
  e('defaultWorkers', [], f(defaultWorkers)),
  e('deal', [arr('items', () => [1, 2, 3]), index('workers', 2)], f(deal), { specials: [{ name: 'no workers', args: () => [[1], 0], names: 'workers' }] }),
  e('runPool', [obj('url', () => new URL('file:///nonexistent-adversarial.js')), arr('jobs', () => []), fn('onMessage', () => undefined)], f(runPool)),
  e('Prng', [{ name: 'seed', kind: 'int', good: () => 1, accepts: { '-1': 'any integer seeds the PRNG' } }], ctor(Prng)),
];
