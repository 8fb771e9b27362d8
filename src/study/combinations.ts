/**
 * Walkers together. The kernel runs every walker at once, and one can open a door for another: a
 * walker holding a failed child's mm_users keeps dup_mm's mmput from being the last, so the child
 * outlives a fix that counted on it (the fidelity review, defect 2). A combination's cell is run
 * like any other and shown only where it differs from its members' cells alone:
 *
 * 1. outcome — it crashes where no member alone does, or a member alone crashes and it does not;
 * 2. crash — both crash, but its crash (kind, oops address, faulting function) is none of the
 *    members' crashes;
 * 3. reach — a walker of the set gets hold of the failed child together but not alone, or alone
 *    but not together.
 *
 * Cells are compared only when all are exhaustive searches and none is an error: a capped search
 * shows nothing. A member that is n/a alone (the parent gives it nothing to reach) counts as
 * reaching nothing and crashing nowhere: reclaim can give swapoff the swap entries it lacked.
 *
 * A crash found alone is found together at the same bound (the other walker can wait until the
 * end, at no extra preemption), so the 'pairs' scope skips pairs with a member that crashes alone,
 * and pairs where no member reaches the child alone (a walker that never holds the child cannot
 * hold it for another — within the bound it can still shift who waits for a lock, which is what
 * 'all' is for). It also skips a member whose door the kernel closes whoever else runs
 * (closedByKernel): no other walker can open it, and a walker that never holds the child cannot
 * hold it for its partner — so such a pair too differs only by who waits for a lock.
 */
import { KERNELS, type KernelConfig } from '../mm/config.js';
import { walkersName } from './model.js';
import { type WalkerName } from './scenario.js';
import type { StudyCell } from './study.js';

/** none: no combination; pairs: the pairs that can differ (see above); all: every pair. */
export type CombinationScope = 'none' | 'pairs' | 'all';
export const COMBINATION_SCOPES: readonly CombinationScope[] = ['none', 'pairs', 'all'];

export interface Combination {
  readonly cell: StudyCell;
  readonly members: readonly StudyCell[];
  /** How the combination differs from its members alone (rule 1, 2 or 3), or null. */
  readonly differs: string | null;
  /** Why the cells were not compared (a capped search, n/a or an error), or null. */
  readonly notCompared: string | null;
}

/** The crash a bug cell shows: kind, oops address and faulting function. */
export function crashOf(cell: StudyCell): string {
  const message = cell.message ?? '';
  const addr = /virtual address 0x0*([0-9a-f]+)/.exec(message)?.[1];
  const fn = / in ([a-z_0-9]+)/.exec(message)?.[1];
  return [cell.kind ?? 'bug', addr === undefined ? null : `0x${addr}`, fn ?? null].filter((p) => p !== null).join(' ');
}

/** Why `cell` cannot be compared with its members, or null. */
function comparable(cells: readonly StudyCell[]): string | null {
  for (const c of cells) {
    if (c.outcome === 'error') return `${c.walker}: error (${c.reason ?? 'no reason'})`;
    if (!c.exhaustive && c.outcome !== 'bug' && c.outcome !== 'n/a') return `${c.walker}: capped at ${c.executions} executions`;
  }
  return null;
}

/** How a combination's cell differs from its members' cells alone (the rules above), or null. */
export function combinationDiffers(cell: StudyCell, members: readonly StudyCell[]): string | null {
  const crashing = members.filter((m) => m.outcome === 'bug');
  if (cell.outcome === 'bug' && crashing.length === 0) return `crashes together (${crashOf(cell)}); no member crashes alone`;
  if (cell.outcome !== 'bug' && crashing.length > 0) return `${crashing.map((m) => m.walker).join(', ')} crashes alone, not together`;
  if (cell.outcome === 'bug' && !crashing.some((m) => crashOf(m) === crashOf(cell))) {
    return `crashes differently together (${crashOf(cell)}; alone: ${crashing.map((m) => `${m.walker} ${crashOf(m)}`).join(', ')})`;
  }
  if (cell.outcome === 'bug') return null;
  const together = new Set(cell.reached ?? []);
  const changes: string[] = [];
  for (const m of members) {
    const w = m.walkers[0]!;
    const alone = (m.reached ?? []).includes(w);
    if (together.has(w) && !alone) changes.push(`${w} reaches the failed child only together`);
    if (!together.has(w) && alone) changes.push(`${w} reaches the failed child only alone`);
  }
  return changes.length === 0 ? null : changes.join('; ');
}

/** Compares a combination's cell with its members' cells. */
export function compareCombination(cell: StudyCell, members: readonly StudyCell[]): Combination {
  const notCompared = comparable([cell, ...members]);
  return { cell, members, differs: notCompared === null ? combinationDiffers(cell, members) : null, notCompared };
}

/** uffd and uffd-withdraw are one actor (a userfaultfd monitor) split by the door it uses. */
function sameActor(a: WalkerName, b: WalkerName): boolean {
  return (a === 'uffd' && b === 'uffd-withdraw') || (a === 'uffd-withdraw' && b === 'uffd');
}

/** Every unordered pair of `walkers`, in their order. */
export function walkerPairs(walkers: readonly WalkerName[]): WalkerName[][] {
  const pairs: WalkerName[][] = [];
  walkers.forEach((a, i) => walkers.slice(i + 1).forEach((b) => {
    if (!sameActor(a, b)) pairs.push([a, b]);
  }));
  return pairs;
}

/**
 * Whether the kernel closes `walker`'s door to a failed child before anyone could hold the child:
 * the reason does not depend on how long the child lives, so a second walker keeping it alive
 * cannot open it. A failed child is never an OOM victim (copy_mm sets tsk->mm only on success);
 * dup_userfaultfd_fail drops the contexts before any fork event exists (f64e67e5d3a4); ksm_fork and
 * khugepaged_fork register only a complete child (985da552a98e); a failed child's task is never
 * published. Not uprobe's dup_mmap_sem (8ac662f5da19): it is dropped after dup_mm's mmput, which a
 * walker holding mm_users makes not the last (the uprobe + swapoff interaction).
 */
export function closedByKernel(walker: WalkerName, config: KernelConfig): boolean {
  switch (walker) {
    case 'oom-reaper': case 'task-lookup': return true;
    case 'uffd': case 'uffd-withdraw': return config.uffdFailOnError;
    case 'ksmd': case 'khugepaged': return !config.ksmKhugepagedEarly;
    default: return false;
  }
}

/**
 * The pairs of one configuration to run under `scope`, given its single-walker cells: 'all' every
 * pair; 'pairs' those with no member crashing alone, none whose door the kernel closes
 * (closedByKernel) and some member reaching the child alone.
 */
export function pairsToRun(scope: CombinationScope, walkers: readonly WalkerName[], singles: readonly StudyCell[]): WalkerName[][] {
  if (scope === 'none') return [];
  const cellOf = (w: WalkerName): StudyCell | undefined => singles.find((c) => c.walker === w);
  return walkerPairs(walkers).filter((pair) => {
    if (scope === 'all') return true;
    const members = pair.map(cellOf);
    if (members.some((m) => m === undefined || m.outcome === 'bug' || comparable([m]) !== null)) return false;
    const config = KERNELS[members[0]!.configuration];
    if (config && members.some((m) => m!.outcome === 'unreachable' && closedByKernel(m!.walkers[0]!, config))) return false;
    return members.some((m) => (m!.reached ?? []).includes(m!.walkers[0]!));
  });
}

/**
 * A walkers-together cell's estimated cost, in executions, from its members' cells of the same
 * configuration: its failure points (as many as its dearest member's) times the product of its
 * members' executions a point. Two walkers interleave with each other as well as with the fork, so
 * a pair's executions grow with both members' at once, which the cells' shapes (cellWorkEstimate:
 * points alone) cannot tell. On the default parent at bound 1 (dpor), 6.18's pairs: swapoff+uprobe
 * 3,478 against 6,376 run (members 547 and 248), swapoff+ksmd 4,516 against 3,607, uprobe+ksmd
 * 1,996 against 2,433: within a factor of two.
 */
export function combinationCost(configuration: string, walkers: readonly WalkerName[], singles: readonly StudyCell[]): number {
  let points = 1;
  let perPoint = 1;
  for (const w of walkers) {
    const member = singles.find((c) => c.configuration === configuration && c.walker === w);
    if (!member) throw new RangeError(`combinationCost: no cell of ${w} alone under ${configuration}`);
    points = Math.max(points, member.failurePoints);
    perPoint *= Math.max(1, member.executions / Math.max(1, member.failurePoints));
  }
  return points * perPoint;
}

/** The combination cells to run for `configurations`, from their single-walker cells. */
export function combinationRequests(scope: CombinationScope, configurations: readonly string[], walkers: readonly WalkerName[], singles: readonly StudyCell[]): Array<readonly [string, string]> {
  return configurations.flatMap((conf) => pairsToRun(scope, walkers, singles.filter((c) => c.configuration === conf)).map((pair) => [conf, walkersName(pair)] as const));
}

/** Each combination cell compared with its members' cells of the same configuration. */
export function compareCombinations(cells: readonly StudyCell[], singles: readonly StudyCell[]): Combination[] {
  return cells.map((cell) => compareCombination(cell, cell.walkers.map((w) => {
    const member = singles.find((c) => c.configuration === cell.configuration && c.walker === w);
    if (!member) throw new RangeError(`combination ${cell.configuration}/${cell.walker}: no cell of ${w} alone`);
    return member;
  })));
}
