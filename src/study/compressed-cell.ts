/**
 * A cell searched on the compressed parent (compress.ts), told in the user's numbering: which
 * configurations take it, and how a failure point and a message found there name the user's VMAs
 * and allocations.
 */
import { runSync, SyncDeadlock } from '../explore/sync.js';
import type { Op, Task } from '../explore/protocol.js';
import type { Trace } from '../explore/trace.js';
import { kernelConfig, type KernelConfig } from '../mm/config.js';
import type { Vma } from '../mm/vma.js';
import { compressParent, type CompressedParent } from './compress.js';
import { buildScenario, latestParent, type ParentProcess, type WalkerName } from './scenario.js';

/**
 * Why a configuration's cells on a compressible parent are searched exact, or null when they take
 * the compression: the partial recovery's clearing store needs as many maple nodes as the tree's
 * height and fan-out say, and the tree's size is no class.
 */
export function exactBecause(config: KernelConfig): string | null {
  return config.recovery === 'partial' ? 'the partial recovery\'s node count depends on the tree\'s size' : null;
}

/** The compressed parent a cell is searched on, or null for the exact search. */
export function cellCompression(configuration: string, parent: ParentProcess | undefined, compress: boolean | undefined, bound: number): CompressedParent | null {
  if (compress === false || parent === undefined) return null;
  if (exactBecause(kernelConfig(configuration)) !== null) return null;
  return compressParent(parent, bound);
}

/** What a compressed cell says about its compression (StudyCell.compressed). */
export interface CellCompression {
  /** VMAs searched, of the parent's. */
  readonly vmas: number;
  readonly of: number;
  readonly classes: number;
  readonly margin: number;
}

/** The loop's VMA index in an op's label (`dup_mmap VMA 4 vma#5[…]: …`), or null outside the loop. */
function loopVma(label: string): number | null {
  const m = /dup_mmap VMA (\d+) /.exec(label);
  return m ? Number(m[1]) : null;
}

/** The fork's task, every op it yields seen by `seen`. */
function* observed(task: Task<unknown>, seen: (op: Op) => void): Task<unknown> {
  let r = task.next();
  while (!r.done) {
    seen(r.value);
    r = task.next(yield r.value);
  }
  return r.value;
}

/**
 * The fork's allocations at each VMA of the loop when it runs alone and nothing fails (the walkers
 * set up, not running): what an allocation number skips over at the VMAs the compression deleted.
 */
function loopAllocations(parent: ParentProcess, config: KernelConfig, walkers: readonly WalkerName[], vmas: number): number[] {
  const world = buildScenario({ kernel: config, walkers, parent });
  const per = new Array<number>(vmas).fill(0);
  try {
    runSync(observed(world.tasks[0]!.run(), (op) => {
      if (op.kind !== 'alloc') return;
      const k = loopVma(op.label);
      if (k !== null && k < vmas) per[k]!++;
    }));
  } catch (e) {
    if (!(e instanceof SyncDeadlock)) throw e;
  }
  return per;
}

const ALLOCATION = /^allocation (\d+)(.*)$/;
const SIGNAL = /^fatal signal at VMA (\d+)(.*)$/;

/**
 * A compressed cell's failure point in the user's numbering: a signal at compressed VMA k is one at
 * the user's VMA original[k]; the n-th allocation is n plus the allocations the fork makes alone at
 * the deleted VMAs before the one it failed at (the fault's own VMA, from the trace; before the loop
 * none, after it all).
 */
export function liftFailurePoint(point: string, trace: Trace | undefined, compressed: CompressedParent, parent: ParentProcess, configuration: string, walkers: readonly WalkerName[]): string {
  const signal = SIGNAL.exec(point);
  if (signal) return `fatal signal at VMA ${compressed.original[Number(signal[1])] ?? signal[1]}${signal[2]}`;
  const alloc = ALLOCATION.exec(point);
  if (!alloc) return point;
  let boundary = 0;
  if (trace) {
    const events = trace.events.filter((e) => e.task === 'fork');
    const fault = events.find((e) => e.fault === true);
    const k = fault ? loopVma(fault.label) : null;
    if (k !== null) boundary = compressed.original[k]!;
    else if (fault && events.some((e) => e.step < fault.step && loopVma(e.label) !== null)) boundary = compressed.of;
  }
  const per = loopAllocations(parent, kernelConfig(configuration), walkers, compressed.of);
  const kept = new Set(compressed.original);
  let skipped = 0;
  for (let j = 0; j < boundary; j++) if (!kept.has(j)) skipped += per[j]!;
  return `allocation ${Number(alloc[1]) + skipped}${alloc[2]}`;
}

/** The parent's VMA labels (`vma#5[0x…-0x…]`), in the loop's order. */
function labelsOf(parent: ParentProcess): string[] {
  const out: string[] = [];
  latestParent(parent).mmMt.forEach((slot) => {
    out.push((slot as Vma).toString());
  });
  return out;
}

/**
 * A message found on the compressed parent with its parent VMAs named as the user's parent names
 * them. A foreign-VMA read names the VMA right after the marker — the first the fork never copied,
 * which is the one after the failing VMA in whichever parent — so compressed VMA j there is the
 * user's VMA after original[j - 1]; any other parent VMA is the user's original[j].
 */
export function liftMessage(message: string, kind: string | undefined, compressed: CompressedParent, parent: ParentProcess): string {
  if (!message.includes('vma#')) return message;
  const small = labelsOf(compressed.parent);
  const big = labelsOf(parent);
  const rename = new Map<string, string>();
  small.forEach((label, j) => {
    const theirs = kind === 'foreign-vma' && j > 0 ? big[compressed.original[j - 1]! + 1] : big[compressed.original[j]!];
    if (theirs !== undefined) rename.set(label, theirs);
  });
  return message.replace(/vma#\d+\[0x[0-9a-f]+-0x[0-9a-f]+\]/g, (label) => rename.get(label) ?? label);
}
