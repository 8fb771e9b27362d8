/**
 * A study interrupted part way: the settings that decide its cells and the cells already finished,
 * in a JSON file, so a later run continues where it stopped (as Loom's checkpoint file lets a
 * long model-checking run resume) and ends with the table an uninterrupted run prints.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CombinationScope } from './combinations.js';
import type { CellRequest } from './run-cells.js';
import type { ParentProcess, WalkerName } from './scenario.js';
import type { StudyCell } from './study.js';

export const CHECKPOINT_FORMAT = 'mapletree-study-checkpoint/1';

/** Everything that decides what a cell finds: a resumed run must use exactly these. */
export interface StudyRunSettings {
  readonly bound: number;
  readonly maxExecutions: number;
  readonly strategy: 'dfs' | 'dpor';
  readonly configurations: readonly string[];
  readonly walkers: readonly WalkerName[];
  /** The parent and its probes as given to the study (absent: the default parent). */
  readonly parent?: ParentProcess;
  /** Where the parent came from (`/proc/42/smaps`), and the flags that give it again (for replay lines). */
  readonly parentSource?: string;
  readonly parentFlags?: string;
  /** Points still searching after this many executions are split into prefix jobs (split-point.ts; absent: never). */
  readonly splitAbove?: number;
  /** True: a user's parent is searched exact, not compressed by class (StudyOptions.compress false). */
  readonly exact?: boolean;
  /** Which walkers-together cells follow the cells alone (absent: `pairs`, the default). */
  readonly combinations?: CombinationScope;
}

export interface StudyCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly settings: StudyRunSettings;
  readonly cells: readonly StudyCell[];
  /** The walkers-together cells finished, when the run was stopped after all its cells alone. */
  readonly pairs?: readonly StudyCell[];
  /** Wall time of the runs so far, so the resumed table reports the whole study's time. */
  readonly timeMs: number;
}

/** Writes the checkpoint whole or not at all (a temporary file renamed over the target). */
export function writeCheckpoint(path: string, checkpoint: Omit<StudyCheckpoint, 'format'>): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ format: CHECKPOINT_FORMAT, ...checkpoint })}\n`);
  renameSync(tmp, path);
}

/** Reads a checkpoint; throws a RangeError naming the file when it is not one. */
export function readCheckpoint(path: string): StudyCheckpoint {
  const text = readFileSync(path, 'utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RangeError(`${path} is not a study checkpoint (not JSON)`);
  }
  const c = body as Partial<StudyCheckpoint>;
  if (c.format !== CHECKPOINT_FORMAT) throw new RangeError(`${path} is not a study checkpoint (format ${JSON.stringify(c.format)}, expected ${CHECKPOINT_FORMAT})`);
  const s = c.settings;
  if (!s || !Array.isArray(s.configurations) || !Array.isArray(s.walkers) || typeof s.bound !== 'number' || !Array.isArray(c.cells)) {
    throw new RangeError(`${path}: the checkpoint lacks its settings or cells`);
  }
  for (const cell of c.cells) {
    if (!s.configurations.includes(cell.configuration) || !s.walkers.includes(cell.walker)) {
      throw new RangeError(`${path}: cell ${cell.configuration}/${cell.walker} is not one of the checkpoint's configurations × walkers`);
    }
  }
  if (c.pairs !== undefined) {
    if (!Array.isArray(c.pairs) || c.cells.length !== allCells(s).length) throw new RangeError(`${path}: the checkpoint has pairs but not every cell alone`);
    for (const pair of c.pairs) {
      if (!s.configurations.includes(pair.configuration) || !pair.walker.includes('+')) {
        throw new RangeError(`${path}: pair ${pair.configuration}/${pair.walker} is no walkers-together cell of the checkpoint's configurations`);
      }
    }
  }
  return c as StudyCheckpoint;
}

/** Every cell of the run, configuration by configuration. */
export function allCells(settings: StudyRunSettings): CellRequest[] {
  return settings.configurations.flatMap((c) => settings.walkers.map((w) => [c, w] as const));
}

/** The requested cells not yet finished, in the requests' order. */
export function remainingOf(requests: readonly CellRequest[], finished: readonly StudyCell[]): CellRequest[] {
  const done = new Set(finished.map((c) => `${c.configuration}/${c.walker}`));
  return requests.filter(([c, w]) => !done.has(`${c}/${w}`));
}

/** Finished and new cells together, in the requests' order. */
export function mergeOf(requests: readonly CellRequest[], ...parts: ReadonlyArray<readonly StudyCell[]>): StudyCell[] {
  const byKey = new Map<string, StudyCell>();
  for (const part of parts) for (const c of part) byKey.set(`${c.configuration}/${c.walker}`, c);
  return requests.flatMap(([c, w]) => byKey.get(`${c}/${w}`) ?? []);
}

/** The cells of the run not yet finished, in table order. */
export function remainingCells(settings: StudyRunSettings, finished: readonly StudyCell[]): CellRequest[] {
  return remainingOf(allCells(settings), finished);
}

/** Finished and new cells together, in table order. */
export function mergeCells(settings: StudyRunSettings, ...parts: ReadonlyArray<readonly StudyCell[]>): StudyCell[] {
  return mergeOf(allCells(settings), ...parts);
}
