/** The rows for mapletree/study: every function, on one small cell of the study. */
import {
  DEFAULT_PARENT, buildScenario, cellPage, cellText, dupMmapReturned, forkEventQueued, forkExitModel, parentVmaCount, parseVariant, runCells,
  scannerCrash, uffdEventCrash, uffdWithdrawCrash, unreachableReason, walkerNotApplicable, walkersName,
  runScript, runStudy, studyCell, studyHtml, studyJson, studyTable, swapoffOops, uprobeCrash, variantName, writeStudyReport, writeTraceReport,
  type ScenarioWorld, type StudyCell, type StudyResult,
} from '../../src/study/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelConfig } from '../../src/mm/index.js';
import type { Entry, Param } from './harness.js';

export interface StudyWorld {
  readonly cell: StudyCell;
  readonly result: StudyResult;
  readonly scenario: ScenarioWorld;
  readonly dir: string;
}

/** The smallest study there is: one configuration, one walker, no preemptions, one execution per failure point. */
const TINY = { configurations: ['7.0'], walkers: ['swapoff'], bound: 0, maxExecutions: 1 } as const;
let cached: StudyWorld | null = null;

function studyWorld(): StudyWorld {
  if (cached) return cached;
  const result = runStudy(TINY);
  cached = { cell: result.results[0]!, result, scenario: buildScenario({ kernel: '7.0' }), dir: mkdtempSync(join(tmpdir(), 'mapletree-adversarial-')) };
  return cached;
}

/** Removes the report folder the rows wrote into. */
export function releaseStudyWorld(): void {
  if (cached) rmSync(cached.dir, { recursive: true, force: true });
  cached = null;
}

function structure(): string {
  return '';
}

type P = Param<StudyWorld>;
const str = (name: string, good: string, optional = false): P => ({ name, kind: 'string', good: () => good, optional });
const obj = (name: string, good: (w: StudyWorld) => unknown): P => ({ name, kind: 'object', good });
const opts = (name: string, good: (w: StudyWorld) => unknown, optional = true): P => ({ name, kind: 'options', good, optional });
const arr = (name: string, good: (w: StudyWorld) => unknown): P => ({ name, kind: 'array', good });

function e(name: string, params: P[], call: (w: StudyWorld, a: unknown[]) => unknown, more: Partial<Entry<StudyWorld>> = {}): Entry<StudyWorld> {
  return { name, world: studyWorld, structure, params, call, ...more };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the rows call every entry point with values of any type. */
const f = <T extends (...args: any[]) => any>(g: T) => (_w: StudyWorld, a: unknown[]): unknown => g(...(a as Parameters<T>));
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Each option of a study run, one bad value at a time (a bad options object that is accepted would run the whole study). */
function optionRows(call: (options: object) => unknown[]): Array<{ name: string; args: () => unknown[]; names: string }> {
  const bad: Array<[string, unknown]> = [['bound', NaN], ['bound', -1], ['maxExecutions', 1.5], ['maxExecutions', '10'], ['configurations', '7.0'],
    ['configurations', ['bogus']], ['walkers', ['bogus']], ['walkers', 42], ['strategy', 'bogus'], ['forkFootprint', 'no']];
  return bad.map(([key, value]) => ({ name: `option ${key} = ${JSON.stringify(value) ?? String(value)}`, args: () => call({ ...TINY, [key]: value }), names: key }));
}

const walkerP: P = str('walker', 'swapoff');
const configurationP: P = str('configuration', '7.0');

export const STUDY_ROWS: ReadonlyArray<Entry<StudyWorld>> = [
  e('buildScenario', [opts('options', () => ({ kernel: '7.0' }), false)], f(buildScenario), {
    specials: [
      { name: 'an unknown kernel', args: () => [{ kernel: 'bogus' }], names: 'kernel' },
      { name: 'a negative signalAtVma', args: () => [{ kernel: '7.0', signalAtVma: -1 }], names: 'signalAtVma' },
      { name: 'an unknown walker', args: () => [{ kernel: '7.0', walkers: ['bogus'] }], names: 'walker' },
      { name: 'a forkFootprint that is not a boolean', args: () => [{ kernel: '7.0', forkFootprint: 1 }], names: 'forkFootprint' },
      { name: 'a parent with a reversed range', args: () => [{ kernel: '7.0', parent: { specs: [{ start: 0x2000, end: 0x1000, perms: 'rw-p' }] } }], names: 'spec' },
    ],
  }),
  e('parentVmaCount', [{ name: 'parent', kind: 'options', good: () => DEFAULT_PARENT, optional: true }], f(parentVmaCount)),
  e('runScript', [opts('options', () => ({ kernel: '7.0' }), false), arr('script', () => [{ task: 'fork' }]), { name: 'fault', kind: 'object', good: () => null, optional: true, accepts: { null: 'no fault plan' } }], f(runScript), {
    specials: [{ name: 'a step naming no task', args: () => [{ kernel: '7.0' }, [{ task: 'bogus' }]], names: 'task' }],
  }),
  e('dupMmapReturned', [obj('world', (w) => w.scenario)], f(dupMmapReturned)),
  e('swapoffOops', [str('kernel', '6.15-6.17.0')], f(swapoffOops)),
  e('uprobeCrash', [str('kernel', '6.15-6.17.0')], f(uprobeCrash)),
  e('forkExitModel', [], f(forkExitModel)),
  e('forkEventQueued', [obj('world', (w) => w.scenario)], f(forkEventQueued)),
  e('uffdEventCrash', [str('kernel', '6.15-6.17.0')], f(uffdEventCrash)),
  e('uffdWithdrawCrash', [str('kernel', '6.15-6.17.0')], f(uffdWithdrawCrash)),
  e('scannerCrash', [str('kernel', '6.15-6.17.0'), str('scanner', 'ksmd')], f(scannerCrash), {
    specials: [{ name: 'an unknown scanner', args: () => ['6.15-6.17.0', 'bogus'], names: 'scanner' }],
  }),
  e('walkerNotApplicable', [walkerP, opts('parent', () => ({}))], f(walkerNotApplicable)),
  e('walkersName', [arr('walkers', () => ['swapoff'])], f(walkersName)),
  e('unreachableReason', [walkerP, opts('config', () => kernelConfig('7.0'), false)], f(unreachableReason)),
  e('variantName', [str('kernel', '7.0'), walkerP, str('failure', 'alloc')], f(variantName)),
  e('parseVariant', [str('variant', '7.0/swapoff/alloc')], f(parseVariant), {
    specials: [{ name: 'not a variant', args: () => ['bogus'], names: 'variant' }],
  }),
  e('runStudy', [], f(runStudy), { specials: optionRows((o) => [o]) }),
  e('studyCell', [configurationP, walkerP], (_w, a) => studyCell(a[0] as string, a[1] as 'swapoff', (a[2] ?? { bound: 0, maxExecutions: 1 }) as object), {
    specials: optionRows((o) => ['7.0', 'swapoff', o]).filter((s) => !/configurations|walkers/.test(s.name)).map((s) => ({ ...s, args: () => s.args() })),
  }),
  e('runCells', [arr('cells', () => [['7.0', 'swapoff']]), opts('options', () => ({ workers: 1, bound: 0, maxExecutions: 1 }), false)], f(runCells), {
    specials: [{ name: 'no workers', args: () => [[['7.0', 'swapoff']], { workers: 0, bound: 0, maxExecutions: 1 }], names: 'workers' }],
  }),
  e('studyTable', [obj('result', (w) => w.result), opts('options', () => ({ configurations: ['7.0'], walkers: ['swapoff'], strategy: 'dfs', workers: 1 }), false)], f(studyTable)),
  e('cellText', [obj('cell', (w) => w.cell)], f(cellText)),
  e('studyHtml', [obj('result', (w) => w.result), arr('walkers', () => ['swapoff']), arr('configurations', () => ['7.0']), opts('options', () => ({}))], f(studyHtml)),
  e('writeStudyReport', [{ name: 'dir', kind: 'string', good: (w) => w.dir }, obj('result', (w) => w.result), arr('walkers', () => ['swapoff']), arr('configurations', () => ['7.0'])], f(writeStudyReport), {
    specials: [{ name: 'a dir that is not a directory', args: (w) => ['/dev/null/x', w.result, ['swapoff'], ['7.0']], names: 'dir' }],
  }),
  e('cellPage', [obj('cell', (w) => w.cell)], f(cellPage)),
  e('writeTraceReport', [{ name: 'dir', kind: 'string', good: (w) => w.dir }, arr('traces', () => []), str('heading', 'x', true)], f(writeTraceReport), {
    specials: [{ name: 'a trace that is not one', args: (w) => [w.dir, [42]], names: 'trace' }],
  }),
  e('studyJson', [obj('result', (w) => w.result), opts('run', () => ({ strategy: 'dfs', workers: 1 }), false)], f(studyJson)),
];
