/**
 * Two forks failing at once, sharing the global node reserve: two processes (two generated parents
 * in one kernel; one process's forks would serialise on its mmap lock) fork while every allocation
 * from the n-th of each fork on fails — so both recoveries run, and each refill of the reserve
 * fails too. The model `two-forks` has a variant per reserve design and reserve size,
 * `<design>@<nodes>`; each execution records which of the two clearing stores the reserve covered.
 */
import { explore } from '../explore/explore.js';
import { getModel, listModels, registerModel, type Model } from '../explore/model.js';
import type { Task } from '../explore/protocol.js';
import { DESIGN_KERNELS, kernelConfig } from '../mm/config.js';
import { mmput } from '../mm/exit.js';
import { dupMm, type DupMmapOutcome } from '../mm/fork.js';
import { Kernel } from '../mm/kernel.js';
import { findLeaks } from '../mm/leaks.js';
import type { Mm } from '../mm/mm.js';
import { generatedParent } from './designs-reserve.js';

export const TWO_FORKS_MODEL = 'two-forks';
/** Each parent's VMAs: a tree of height 2, whose clearing store needs up to 7 nodes. */
export const TWO_FORKS_VMAS = 40;
/** Reserve sizes the model's variants take: the thread's, and one too small for two such stores (2 × 7). */
export const TWO_FORKS_RESERVES: readonly number[] = [63, 12];
export const RESERVE_DESIGNS: readonly string[] = DESIGN_KERNELS.filter((k) => k.config.nodeReserve).map((k) => k.name);

/** What the two recoveries did in one execution, e.g. `cleared+fell-back`. */
const seen = new Map<string, Set<string>>();

export function takeTwoForkOutcomes(variant: string): Set<string> {
  const got = seen.get(variant) ?? new Set<string>();
  seen.delete(variant);
  return got;
}

function parseTwoForks(variant: string): { design: string; nodes: number } {
  const m = /^(.+)@(\d+)$/.exec(variant);
  if (!m || !RESERVE_DESIGNS.includes(m[1]!)) throw new RangeError(`bad two-forks variant ${JSON.stringify(variant)}: expected <design>@<nodes> with a design of ${RESERVE_DESIGNS.join(', ')}`);
  return { design: m[1]!, nodes: Number(m[2]) };
}

/** One process's fork, and its child's exit (module-level: a generator closure per execution would keep the execution's world alive past it, see scenario.ts's forkTask). */
function* forkAndExit(kernel: Kernel, parent: Mm, outcome: { value?: DupMmapOutcome }): Task<unknown> {
  const child = yield* dupMm(kernel, parent, {}, outcome);
  if (child) yield* mmput(child, 'child exit_mm');
  return child ? 'forked' : 'failed';
}

export function twoForksModel(): Model {
  if (listModels().some((m) => m.name === TWO_FORKS_MODEL)) return getModel(TWO_FORKS_MODEL);
  return registerModel({
    name: TWO_FORKS_MODEL,
    description: 'two processes fork at once, both fail, and both partial recoveries take nodes from one global reserve',
    variants: RESERVE_DESIGNS.flatMap((d) => TWO_FORKS_RESERVES.map((n) => `${d}@${n}`)),
    build: (variant) => {
      const { design, nodes } = parseTwoForks(variant);
      const base = kernelConfig(design);
      const kernel = new Kernel({ ...base, nodeReserve: { nodes, rcu: base.nodeReserve!.rcu } });
      const parents = [generatedParent(TWO_FORKS_VMAS, kernel), generatedParent(TWO_FORKS_VMAS, kernel)];
      const outcomes: Array<{ value?: DupMmapOutcome }> = [{}, {}];
      return {
        tasks: [{ name: 'fork', run: () => forkAndExit(kernel, parents[0]!, outcomes[0]!) }, { name: 'fork2', run: () => forkAndExit(kernel, parents[1]!, outcomes[1]!) }],
        finalCheck: () => {
          const key = outcomes.map((o) => o.value?.partial ?? (o.value?.retval === 0 ? 'forked' : 'no-recovery')).join('+');
          let set = seen.get(variant);
          if (!set) seen.set(variant, (set = new Set()));
          set.add(key);
          const problems = findLeaks(kernel, parents);
          return problems.length === 0 ? null : `leak check: ${problems.join('; ')}`;
        },
        stateKey: () => outcomes.map((o) => `${o.value?.failedAt ?? 'ok'}/${o.value?.partial ?? '-'}`).join('|'),
      };
    },
  });
}

export interface TwoForksRow {
  readonly design: string;
  readonly nodes: number;
  /** Failure points (n: every allocation of each fork from its n-th on fails) searched. */
  readonly failurePoints: number;
  readonly executions: number;
  /** What the two recoveries did, over every execution: e.g. `cleared+fell-back`. */
  readonly outcomes: readonly string[];
  readonly bug: { readonly kind: string; readonly message: string } | null;
  readonly exhaustive: boolean;
}

/** Sweeps n for one variant: every allocation of both forks from the n-th on fails. */
export function twoForksRow(design: string, nodes: number, options: { bound?: number; maxExecutions?: number } = {}): TwoForksRow {
  const model = twoForksModel().name;
  const variant = `${design}@${nodes}`;
  parseTwoForks(variant);
  const bound = options.bound ?? 1;
  let executions = 0;
  let points = 0;
  let exhaustive = true;
  const outcomes = new Set<string>();
  takeTwoForkOutcomes(variant);
  for (let nth = 1; ; nth++) {
    const r = explore({ model, variant, strategy: 'dpor', bound, executions: options.maxExecutions ?? 50_000, fault: { nth, mode: 'persistent' } });
    executions += r.executions;
    points++;
    for (const o of takeTwoForkOutcomes(variant)) outcomes.add(o);
    if (r.outcome === 'bug' && r.trace?.violation) {
      return { design, nodes, failurePoints: points, executions, outcomes: [...outcomes].sort(), bug: { kind: r.trace.violation.kind, message: r.trace.violation.message }, exhaustive };
    }
    if (r.exhaustiveBound !== bound) exhaustive = false;
    if (!r.faultFired) break;
  }
  return { design, nodes, failurePoints: points, executions, outcomes: [...outcomes].sort(), bug: null, exhaustive };
}
