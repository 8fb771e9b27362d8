/**
 * Building an address space by hand for scenarios and tests: VMAs from a compact spec, pages
 * faulted in, and pages pushed out to swap — each through the model's own fault and reclaim code.
 */
import { runSync } from '../explore/sync.js';
import { PAGE_SIZE, VM_DONTCOPY, VM_WIPEONFORK } from './constants.js';
import { handleMmFault } from './fault.js';
import type { Kernel } from './kernel.js';
import { flagsFromPerms } from './maps.js';
import type { Mm } from './mm.js';
import { swapOutPage } from './swap.js';
import { MemPolicy, type UffdCtx, Vma } from './vma.js';
import { vmaLink } from './vma-link.js';

export interface VmaSpec {
  readonly start: number;
  readonly end: number;
  /** maps-style permissions, e.g. 'r-xp' or 'rw-s'. */
  readonly perms: string;
  readonly file?: { readonly path: string; readonly offset?: number; readonly size?: number };
  /** '[heap]', '[stack]' or an anonymous VMA name. */
  readonly name?: string;
  /** Pages faulted in from the start of the VMA (written, so anonymous pages are private copies). */
  readonly resident?: number;
  /** Of the resident pages, how many are then pushed out to swap (from the first). */
  readonly swapped?: number;
  readonly dontcopy?: boolean;
  readonly wipeonfork?: boolean;
  /** A NUMA policy (vma_dup_policy allocates a copy at fork). */
  readonly policy?: string;
  /** Registered with this userfaultfd context. */
  readonly uffd?: UffdCtx;
}

/** Adds the VMAs of `specs` to `mm` and populates and swaps their pages as asked. */
export function addVmas(kernel: Kernel, mm: Mm, specs: readonly VmaSpec[]): Vma[] {
  const vmas: Vma[] = [];
  for (const spec of specs) {
    if (spec.start % PAGE_SIZE !== 0 || spec.end % PAGE_SIZE !== 0 || spec.end <= spec.start) {
      throw new RangeError(`VMA spec [0x${spec.start.toString(16)}, 0x${spec.end.toString(16)}) must be page aligned and non-empty`);
    }
    if (mm.mmMt.find(spec.start, spec.end - 1)) throw new RangeError(`VMA spec at 0x${spec.start.toString(16)} overlaps an existing VMA`);
    let flags = flagsFromPerms(spec.perms);
    if (spec.dontcopy) flags |= VM_DONTCOPY;
    if (spec.wipeonfork) flags |= VM_WIPEONFORK;
    const file = spec.file ? kernel.file(spec.file.path, spec.file.size ?? (spec.file.offset ?? 0) + spec.end - spec.start) : null;
    const pgoff = file ? (spec.file!.offset ?? 0) / PAGE_SIZE : spec.start / PAGE_SIZE;
    const vma = new Vma(kernel, mm, spec.start, spec.end, flags, pgoff, file);
    if (spec.name === '[heap]') {
      mm.startBrk = spec.start;
      mm.brk = spec.end;
    } else if (spec.name === '[stack]') {
      mm.startStack = spec.end - PAGE_SIZE;
    } else if (spec.name !== undefined) {
      vma.anonName = spec.name;
    }
    if (spec.policy) vma.policy = new MemPolicy(kernel, spec.policy);
    if (spec.uffd) vma.uffdCtx = spec.uffd;
    runSync(vmaLink(mm, vma, 'addVmas'));
    vmas.push(vma);
    const resident = Math.min(spec.resident ?? 0, vma.pages);
    populate(mm, spec.start, resident * PAGE_SIZE, spec.perms[1] === 'w');
    pageOut(mm, spec.start, Math.min(spec.swapped ?? 0, resident) * PAGE_SIZE);
  }
  return vmas;
}

/** Faults in every page of [addr, addr + len); throws if a fault fails. */
export function populate(mm: Mm, addr: number, len: number, writeAccess: boolean): void {
  for (let a = addr; a < addr + len; a += PAGE_SIZE) {
    const err = runSync(handleMmFault(mm, a, writeAccess, 'populate'));
    if (err) throw new RangeError(`fault at 0x${a.toString(16)} failed with ${err}`);
  }
}

/** Pushes the private anonymous pages of [addr, addr + len) out to swap; returns how many went. */
export function pageOut(mm: Mm, addr: number, len: number): number {
  let n = 0;
  for (let a = addr; a < addr + len; a += PAGE_SIZE) if (runSync(swapOutPage(mm, a, 'pageOut'))) n++;
  return n;
}
