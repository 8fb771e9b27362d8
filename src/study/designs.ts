/**
 * The designs part of the study: the dup_mmap recoveries argued over in the RFC thread (XA_ZERO,
 * teardown, Jann Horn's partial teardown with each fallback, and with a node reserve in normal and
 * RCU mode) on one base kernel, each against every walker and the careless walker, with fork failing
 * at every point — the n-th allocation alone, the n-th and every later one (so the recovery's own
 * clearing store fails too), and a fatal signal at each VMA. The careless walker also runs on two
 * real kernels. Then the node reserve's arithmetic (designs-reserve.ts).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_RESERVE_NODES, DESIGN_KERNELS } from '../mm/config.js';
import type { Mm } from '../mm/mm.js';
import { reserveFigures, reserveVerdict, type ReserveFigures, type ReserveVerdict } from './designs-reserve.js';
import { runCells, type CellRequest, type RunCellsOptions } from './run-cells.js';
import { RESERVE_DESIGNS, TWO_FORKS_RESERVES, twoForksRow, type TwoForksRow } from './designs-two-forks.js';
import { forkExitModel } from './model.js';
import { buildScenario, DEFAULT_PARENT, DEFAULT_UFFD, DEFAULT_UPROBE, DESIGN_WALKERS, WALKER_NAMES, type ParentProcess, type WalkerName } from './scenario.js';
import type { VmaSpec } from '../mm/layout.js';
import type { StudyCell } from './study.js';

export const DESIGN_CONFIGURATIONS: readonly string[] = DESIGN_KERNELS.map((k) => k.name);
export const DESIGN_STUDY_WALKERS: readonly WalkerName[] = [...WALKER_NAMES, ...DESIGN_WALKERS];
/** Real kernels the careless walker also runs on: ksm_fork before __mt_dup (6.11.6), and 7.0. */
export const CARELESS_REAL_KERNELS: readonly string[] = ['6.10-6.11.6', '7.0'];
/**
 * A parent whose tree has height 2 (the default parent plus eight one-page mappings of a library),
 * so the clearing store needs nodes at most failure points and the fallbacks run: 16 VMAs.
 */
export const TALL_PARENT: ParentProcess = {
  specs: [
    ...DEFAULT_PARENT.slice(0, 7),
    ...Array.from({ length: 8 }, (_, i): VmaSpec => ({
      start: 0x7ffff7f20000 + i * 0x4000, end: 0x7ffff7f21000 + i * 0x4000, perms: 'r--p', file: { path: '/usr/lib/libm.so.6', offset: i * 0x1000 },
    })),
    DEFAULT_PARENT[7]!,
  ],
  uprobe: DEFAULT_UPROBE,
  uffd: DEFAULT_UFFD,
};
// Registered on load, so its counterexamples' tokens replay.
forkExitModel(TALL_PARENT);

/** The fallback cells: each partial design with the walker its fallback exposes, on TALL_PARENT. */
export const FALLBACK_CELLS: readonly CellRequest[] = [
  ['design:partial-xa-zero', 'uprobe'], ['design:partial-xa-zero', 'swapoff'], ['design:partial-teardown', 'careless'], ['design:partial+reserve', 'careless'],
];

/** Both ways an allocation failure can go on. */
export const DESIGN_FAULT_MODES = ['once', 'persistent'] as const;

export function designCells(walkers: readonly WalkerName[] = DESIGN_STUDY_WALKERS): CellRequest[] {
  const cells: CellRequest[] = [];
  for (const c of DESIGN_CONFIGURATIONS) for (const w of walkers) cells.push([c, w]);
  if (walkers.includes('careless')) for (const c of CARELESS_REAL_KERNELS) cells.push([c, 'careless']);
  return cells;
}

export interface ReserveReport {
  readonly nodes: number;
  readonly figures: readonly ReserveFigures[];
  readonly verdict: ReserveVerdict;
  /**
   * The largest need per tree height, and whether every one equals 3·height + 1 (mas_prealloc_calc's
   * spanning store with nothing sufficient below the root); if so, the least height whose need
   * exceeds the reserve — beyond the trees measured, so an extrapolation along that line.
   */
  readonly byHeight: ReadonlyArray<{ readonly height: number; readonly max: number; readonly rcuMax: number }>;
  readonly linear: boolean;
  readonly exceedsAtHeight: number | null;
}

export function reserveReport(parents: ReadonlyArray<readonly [string, Mm]>, nodes = DEFAULT_RESERVE_NODES): ReserveReport {
  const figures = parents.map(([name, mm]) => reserveFigures(name, mm));
  const heights = new Map<number, { max: number; rcuMax: number }>();
  for (const f of figures) {
    const h = heights.get(f.height) ?? { max: 0, rcuMax: 0 };
    heights.set(f.height, { max: Math.max(h.max, f.max), rcuMax: Math.max(h.rcuMax, f.rcuMax) });
  }
  const byHeight = [...heights].sort(([a], [b]) => a - b).map(([height, m]) => ({ height, ...m }));
  const linear = byHeight.length > 0 && byHeight.every((h) => h.height < 2 || (h.max === 3 * h.height + 1 && h.rcuMax === 3 * h.height + 1));
  const measured = byHeight.find((h) => Math.max(h.max, h.rcuMax) > nodes);
  const exceedsAtHeight = measured ? measured.height : linear ? Math.floor((nodes - 1) / 3) + 1 : null;
  return { nodes, figures, verdict: reserveVerdict(figures, nodes), byHeight, linear, exceedsAtHeight };
}

export interface DesignsResult {
  readonly cells: StudyCell[];
  readonly walkers: readonly WalkerName[];
  readonly bound: number;
  readonly executions: number;
  readonly timeMs: number;
  readonly reserve: ReserveReport;
  /** FALLBACK_CELLS on TALL_PARENT, with persistent allocation failures only. */
  readonly fallbacks: StudyCell[];
  /** Two forks failing at once, sharing the reserve (designs-two-forks.ts). */
  readonly twoForks: readonly TwoForksRow[];
}

/** The default parent of the study, as the reserve's first row. */
export function defaultParentMm(): Mm {
  return buildScenario({ kernel: DESIGN_CONFIGURATIONS[0]! }).parent;
}

export interface DesignsOptions extends Omit<RunCellsOptions, 'faultModes'> {
  readonly walkers?: readonly WalkerName[];
  /** The reserve's parents (default: the study's default parent). */
  readonly reserveParents?: ReadonlyArray<readonly [string, Mm]>;
  readonly reserveNodes?: number;
  /** Run the two-forks rows (default true). */
  readonly twoForks?: boolean;
  /** Run the fallback cells on the taller parent (default true). */
  readonly fallbacks?: boolean;
}

export async function runDesigns(options: DesignsOptions): Promise<DesignsResult> {
  const t0 = performance.now();
  const { walkers = DESIGN_STUDY_WALKERS, reserveParents, reserveNodes, twoForks: _twoForks, fallbacks: _fallbacks, ...cellOptions } = options;
  const cells = await runCells(designCells(walkers), { ...cellOptions, faultModes: DESIGN_FAULT_MODES });
  const fallbacks = options.fallbacks === false ? [] : await runCells(FALLBACK_CELLS, { ...cellOptions, parent: TALL_PARENT, faultModes: ['persistent'] });
  const reserve = reserveReport(reserveParents ?? [['default parent', defaultParentMm()]], reserveNodes);
  const bound = options.bound ?? 1;
  const twoForks = options.twoForks === false ? [] : RESERVE_DESIGNS.flatMap((d) => TWO_FORKS_RESERVES.map((n) => twoForksRow(d, n, {
    bound, ...(options.maxExecutions !== undefined ? { maxExecutions: options.maxExecutions } : {}),
  })));
  const executions = [...cells, ...fallbacks].reduce((n, c) => n + c.executions, 0) + twoForks.reduce((n, r) => n + r.executions, 0);
  return { cells, walkers, bound, executions, timeMs: performance.now() - t0, reserve, fallbacks, twoForks };
}
