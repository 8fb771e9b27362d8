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
import { generatedParent, reserveFigures, reserveVerdict, type ReserveFigures, type ReserveVerdict } from './designs-reserve.js';
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

export function designCells(walkers: readonly WalkerName[] = DESIGN_STUDY_WALKERS, designs: readonly string[] = DESIGN_CONFIGURATIONS): CellRequest[] {
  const cells: CellRequest[] = [];
  for (const c of designs) for (const w of walkers) cells.push([c, w]);
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
  /** Set for the default study's designs section (DESIGNS_SECTION): what it leaves to --designs. */
  readonly section?: string;
  readonly cells: StudyCell[];
  readonly walkers: readonly WalkerName[];
  /** How the design cells' allocation failures went on (the fallbacks always persist). */
  readonly faultModes: ReadonlyArray<'once' | 'persistent'>;
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

export interface DesignsOptions extends RunCellsOptions {
  readonly walkers?: readonly WalkerName[];
  /** The designs to run (default: all of DESIGN_CONFIGURATIONS). */
  readonly designs?: readonly string[];
  /** The fallback cells to run on the taller parent (default FALLBACK_CELLS). */
  readonly fallbackCells?: readonly CellRequest[];
  /** The reserve's parents (default: the study's default parent). */
  readonly reserveParents?: ReadonlyArray<readonly [string, Mm]>;
  /** Run the two-forks rows (default true). */
  readonly twoForks?: boolean;
  /** Run the fallback cells on the taller parent (default true). */
  readonly fallbacks?: boolean;
}

export async function runDesigns(options: DesignsOptions): Promise<DesignsResult> {
  const t0 = performance.now();
  const { walkers = DESIGN_STUDY_WALKERS, designs, fallbackCells = FALLBACK_CELLS, reserveParents, twoForks: _twoForks, fallbacks: _fallbacks, faultModes = DESIGN_FAULT_MODES, ...cellOptions } = options;
  const { reserveNodes } = options;
  const cells = await runCells(designCells(walkers, designs), { ...cellOptions, faultModes });
  const fallbacks = options.fallbacks === false ? [] : await runCells(fallbackCells, { ...cellOptions, parent: TALL_PARENT, faultModes: ['persistent'] });
  const reserve = reserveReport(reserveParents ?? [['default parent', defaultParentMm()]], reserveNodes);
  const bound = options.bound ?? 1;
  const twoForks = options.twoForks === false ? [] : RESERVE_DESIGNS.flatMap((d) => TWO_FORKS_RESERVES.map((n) => twoForksRow(d, n, {
    bound, ...(options.maxExecutions !== undefined ? { maxExecutions: options.maxExecutions } : {}),
  })));
  const executions = [...cells, ...fallbacks].reduce((n, c) => n + c.executions, 0) + twoForks.reduce((n, r) => n + r.executions, 0);
  return { cells, walkers, faultModes, bound, executions, timeMs: performance.now() - t0, reserve, fallbacks, twoForks };
}

/**
 * The designs section of the default study, at a cost that fits beside the kernels' table: one
 * recovery of each family (the marker, teardown, partial teardown with the reserve), the walkers
 * that reach a failed child on the designs' base (swapoff, uprobe) and the careless walker, each
 * allocation failing once; the partial fallbacks' counterexamples on the taller parent; the reserve
 * for the default parent and generated parents of 10^3 and 10^4 VMAs. The rest — the other
 * designs, persistent failures, the reserve at 10^5 VMAs, two forks sharing it — is --designs.
 */
export const DESIGNS_SECTION = {
  designs: ['design:xa-zero', 'design:teardown', 'design:partial+reserve'],
  walkers: ['swapoff', 'uprobe', 'careless'] as readonly WalkerName[],
  faultModes: ['once'] as const,
  fallbackCells: FALLBACK_CELLS.filter(([c]) => c !== 'design:partial+reserve'),
  reserveVmas: [1_000, 10_000],
  note: 'bound 1; xa-zero, teardown and partial+reserve × swapoff, uprobe and careless, each allocation failing once and a fatal signal at each VMA; ' +
    'the partial fallbacks\' counterexamples; the reserve up to 10^4 VMAs. Every design, persistent failures, 10^5 VMAs and two forks sharing the reserve: mapletree study --designs',
} as const;

/** The default study's designs section (DESIGNS_SECTION), on `options`' workers. */
export async function runDesignsSection(options: Omit<DesignsOptions, 'walkers' | 'designs' | 'fallbackCells' | 'faultModes' | 'reserveParents' | 'twoForks'>): Promise<DesignsResult> {
  const s = DESIGNS_SECTION;
  const result = await runDesigns({
    ...options, bound: 1, walkers: s.walkers, designs: s.designs, faultModes: s.faultModes, fallbackCells: s.fallbackCells, twoForks: false,
    reserveParents: [['default parent', defaultParentMm()], ...s.reserveVmas.map((n) => [`generated, ${n} VMAs`, generatedParent(n)] as const)],
  });
  return { ...result, section: s.note };
}
