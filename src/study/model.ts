/**
 * The fork/exit model registered with the explorer: one variant per kernel configuration, walker
 * and failure kind, written `kernel/walker/failure` — e.g. `xa-zero-prefix/swapoff/signal@4`
 * (a fatal signal pending from the fork loop's 5th VMA) or `teardown/uprobe/alloc` (the failure
 * comes from the explorer's fault plan: fail the n-th allocation of the fork task).
 */
import { registerModel, getModel, listModels, type Model, type ModelInstance } from '../explore/model.js';
import { KERNEL_NAMES } from '../mm/config.js';
import { buildScenario, DEFAULT_PARENT, WALKER_NAMES, type WalkerName } from './scenario.js';

export const FORK_EXIT_MODEL = 'fork-exit';

export type FailureKind = 'alloc' | 'none' | `signal@${number}`;

export function variantName(kernel: string, walker: WalkerName | 'none', failure: FailureKind): string {
  return `${kernel}/${walker}/${failure}`;
}

export function parseVariant(variant: string): { kernel: string; walker: WalkerName | 'none'; signalAtVma: number | null } {
  const [kernel, walker, failure] = variant.split('/');
  if (kernel === undefined || walker === undefined || failure === undefined) throw new RangeError(`bad fork-exit variant ${JSON.stringify(variant)}`);
  const signal = /^signal@(\d+)$/.exec(failure);
  return { kernel, walker: walker as WalkerName | 'none', signalAtVma: signal ? Number(signal[1]) : null };
}

function allVariants(): string[] {
  const failures: FailureKind[] = ['alloc', 'none', ...DEFAULT_PARENT.map((_, k) => `signal@${k}` as const)];
  const out: string[] = [];
  for (const kernel of KERNEL_NAMES) for (const walker of [...WALKER_NAMES, 'none' as const]) for (const f of failures) out.push(variantName(kernel, walker, f));
  return out;
}

function build(variant: string): ModelInstance {
  const { kernel, walker, signalAtVma } = parseVariant(variant);
  const world = buildScenario({ kernel, walkers: walker === 'none' ? [] : [walker], signalAtVma });
  return { tasks: world.tasks, finalCheck: () => world.finalCheck(), stateKey: () => world.stateKey() };
}

/** Registers the model once (importing this module is enough); returns it. */
export function forkExitModel(): Model {
  if (listModels().some((m) => m.name === FORK_EXIT_MODEL)) return getModel(FORK_EXIT_MODEL);
  return registerModel({
    name: FORK_EXIT_MODEL,
    description: 'fork (dup_mm/dup_mmap) failing while swapoff, uprobes, the OOM reaper or a userfaultfd monitor reach the child',
    variants: allVariants(),
    build,
  });
}

forkExitModel();
