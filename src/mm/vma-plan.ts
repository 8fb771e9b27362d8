/**
 * A change over a range of VMAs, planned before it is made, so it is all or nothing. mprotect and
 * madvise change the VMAs of their range one after another (each step may split a VMA or merge it
 * into a neighbour changed by the step before). The kernel does that for real as it goes
 * (mprotect_fixup / madvise_update_vma per VMA), so a hole or an ENOMEM part way leaves the VMAs
 * before it changed. The model first runs the same walk over copies of the VMAs (RangePlan): it
 * finds the errors a step would return, and counts every allocation each step will make; the
 * caller then takes all of them, and only then runs the walk for real. So a failure — a hole, a
 * VMA the change is refused for, an injected ENOMEM at any allocation — leaves the mm as it was.
 * (README, "Differences from the kernel, on purpose".)
 */
import { PAGE_SIZE } from './constants.js';
import type { Mm } from './mm.js';
import type { Vma } from './vma.js';
import { modifyPlan, vmaModifyFlagsTaken, type VmaNeighbours, type VmaShape } from './vma-modify.js';
import { MM_ERRNO } from './errno.js';
import { allocateAll, nextVma, prevVma } from './vma-ops.js';
import type { Task } from '../explore/protocol.js';

/** The planner's copy of a VMA: the fields a plan reads, changed as the real step will change them. */
class VmaCopy implements VmaShape {
  vmStart: number;
  vmEnd: number;
  vmFlags: number;
  vmPgoff: number;
  readonly vmFile: Vma['vmFile'];
  readonly policy: Vma['policy'];
  readonly uffdCtx: Vma['uffdCtx'];
  readonly anonName: string | null;
  anonVma: Vma['anonVma'];
  anonVmaChain: readonly unknown[];

  constructor(v: VmaShape) {
    this.vmStart = v.vmStart;
    this.vmEnd = v.vmEnd;
    this.vmFlags = v.vmFlags;
    this.vmPgoff = v.vmPgoff;
    this.vmFile = v.vmFile;
    this.policy = v.policy;
    this.uffdCtx = v.uffdCtx;
    this.anonName = v.anonName;
    this.anonVma = v.anonVma;
    this.anonVmaChain = [...v.anonVmaChain];
  }

  get pages(): number {
    return (this.vmEnd - this.vmStart) / PAGE_SIZE;
  }
}

/**
 * What a walk over the VMAs of a range works on: the mm itself, or the plan's copies. `modify` is
 * vma_modify_flags; `act` is any other change of a step (madvise's zap or pageout), which
 * allocates nothing and so the plan has none.
 */
export interface RangeWorld<V extends VmaShape> {
  nextVma(addr: number): V | null;
  modify(vma: V, start: number, end: number, newFlags: number, charge: number): Task;
  readonly act?: (vma: V, start: number, end: number) => Task;
}

/** The copies of the VMAs a walk over [start, end) can read: the range's VMAs and their two neighbours. */
export class RangePlan implements RangeWorld<VmaCopy>, VmaNeighbours<VmaCopy> {
  readonly #vmas: VmaCopy[] = [];
  /** The allocation sites of each modify step, in order. */
  readonly steps: string[][] = [];

  constructor(mm: Mm, start: number, end: number) {
    const first = nextVma(mm, start);
    if (!first) return;
    const before = prevVma(mm, first.vmStart);
    if (before) this.#vmas.push(new VmaCopy(before));
    let v: Vma | null = first;
    for (; v && v.vmStart < end; v = nextVma(mm, v.vmEnd)) this.#vmas.push(new VmaCopy(v));
    if (v) this.#vmas.push(new VmaCopy(v));
  }

  /** Every allocation the walk will make, in order. */
  get sites(): string[] {
    return this.steps.flat();
  }

  nextVma(addr: number): VmaCopy | null {
    return this.#vmas.find((v) => v.vmEnd > addr) ?? null;
  }

  /** prevVma: the last VMA starting below `addr`. */
  prevVma(addr: number): VmaCopy | null {
    let found: VmaCopy | null = null;
    for (const v of this.#vmas) if (v.vmStart < addr) found = v;
    return found;
  }

  // The plan's modify makes the real one's change to the copies (vma-modify.ts, applyPlan).
  // eslint-disable-next-line require-yield -- a plan's step changes copies only: it has no operation to yield.
  *modify(vma: VmaCopy, start: number, end: number, newFlags: number, charge: number): Task {
    const plan = modifyPlan(this, vma, start, end, newFlags, charge);
    this.steps.push([...plan.sites]);
    const { prev, next } = plan;
    if (plan.kind === 'both') {
      this.#dupAnonVma(prev!, vma.anonVma ? vma : next!);
      prev!.vmEnd = next!.vmEnd;
      this.#remove(vma);
      this.#remove(next!);
    } else if (plan.kind === 'prev') {
      this.#dupAnonVma(prev!, vma);
      if (end === vma.vmEnd) this.#remove(vma);
      else this.#setStart(vma, end);
      prev!.vmEnd = end;
    } else if (plan.kind === 'next') {
      this.#dupAnonVma(next!, vma);
      if (start === vma.vmStart) this.#remove(vma);
      else vma.vmEnd = start;
      this.#setStart(next!, start);
    } else {
      if (start > vma.vmStart) {
        const below = new VmaCopy(vma);
        below.vmEnd = start;
        this.#setStart(vma, start);
        this.#vmas.splice(this.#vmas.indexOf(vma), 0, below);
      }
      if (end < vma.vmEnd) {
        const above = new VmaCopy(vma);
        this.#setStart(above, end);
        vma.vmEnd = end;
        this.#vmas.splice(this.#vmas.indexOf(vma) + 1, 0, above);
      }
      vma.vmFlags = newFlags;
    }
  }

  #setStart(vma: VmaCopy, start: number): void {
    vma.vmPgoff += (start - vma.vmStart) / PAGE_SIZE;
    vma.vmStart = start;
  }

  #dupAnonVma(to: VmaCopy, from: VmaCopy): void {
    if (to.anonVma || !from.anonVma) return;
    to.anonVma = from.anonVma;
    to.anonVmaChain = [...from.anonVmaChain];
  }

  #remove(vma: VmaCopy): void {
    this.#vmas.splice(this.#vmas.indexOf(vma), 1);
  }
}

/** The mm as the walk's world, each modify step's allocations taken already (the plan's `steps`, in order). */
function takenWorld(mm: Mm, steps: readonly (readonly string[])[], who: string, act?: (vma: Vma, start: number, end: number) => Task): RangeWorld<Vma> {
  let step = 0;
  return {
    nextVma: (addr) => nextVma(mm, addr),
    modify: (vma, start, end, newFlags, charge) => vmaModifyFlagsTaken(mm, vma, start, end, newFlags, who, charge, steps[step++] ?? []),
    ...(act ? { act } : {}),
  };
}

/** A walk over the VMAs of a range, written once for the plan and the mm: 0 or the errno it stops at. */
export type RangeWalk = <V extends VmaShape>(w: RangeWorld<V>) => Task<number>;

/**
 * Runs `walk` over [start, end) all or nothing: over the plan's copies (an errno there is returned
 * with nothing changed), then takes every allocation the plan counted (-ENOMEM, nothing changed,
 * if one fails), then over the mm.
 */
export function* walkAllOrNothing(mm: Mm, start: number, end: number, who: string, walk: RangeWalk, act?: (vma: Vma, start: number, end: number) => Task): Task<number> {
  const plan = new RangePlan(mm, start, end);
  const planning = walk(plan).next();
  if (!planning.done) throw new Error('a range plan yielded an operation: planning must change nothing');
  if (planning.value) return planning.value;
  if (!(yield* allocateAll(plan.sites, who))) return MM_ERRNO.ENOMEM;
  return yield* walk(takenWorld(mm, plan.steps, who, act));
}
