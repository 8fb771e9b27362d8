/**
 * Building an address space by hand for scenarios and tests: VMAs from a compact spec, pages
 * faulted in, and pages pushed out to swap — each through the model's own fault and reclaim code.
 */
import { runSync } from '../explore/sync.js';
import { booleanArg, indexArg, kernelArg, kobjectOf, mmArg, optionalBooleanArg, show, stringArg, userRangeArg } from './args.js';
import { PAGE_SIZE, TASK_SIZE, VM_DONTCOPY, VM_READ, VM_WIPEONFORK, VM_WRITE } from './constants.js';
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

/** The checks of one VMA spec, all made before addVmas changes anything. */
function checkSpec(mm: Mm, spec: unknown, i: number, earlier: readonly VmaSpec[]): VmaSpec {
  const fn = `addVmas: spec ${i}`;
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${fn} must be an object, got ${show(spec)}`);
  const s = spec as VmaSpec;
  userRangeArg(fn, s.start, s.end);
  flagsFromPerms(s.perms);
  if (s.file !== undefined) {
    if (typeof s.file !== 'object' || s.file === null) throw new TypeError(`${fn}: file must be an object, got ${show(s.file)}`);
    stringArg(fn, 'file.path', s.file.path);
    if (s.file.offset !== undefined && indexArg(fn, 'file.offset', s.file.offset) % PAGE_SIZE !== 0) throw new RangeError(`${fn}: file.offset must be a multiple of ${PAGE_SIZE}, got ${s.file.offset}`);
    if (s.file.size !== undefined) indexArg(fn, 'file.size', s.file.size);
  }
  if (s.name !== undefined) stringArg(fn, 'name', s.name);
  if (s.resident !== undefined) indexArg(fn, 'resident', s.resident);
  if (s.swapped !== undefined) indexArg(fn, 'swapped', s.swapped);
  optionalBooleanArg(fn, 'dontcopy', s.dontcopy);
  optionalBooleanArg(fn, 'wipeonfork', s.wipeonfork);
  if (s.policy !== undefined) stringArg(fn, 'policy', s.policy);
  if (s.uffd !== undefined) kobjectOf(fn, 'uffd', s.uffd, 'userfaultfd_ctx', 'a UffdCtx');
  if (mm.mmMt.find(s.start, s.end - 1) || earlier.some((e) => e.start < s.end && s.start < e.end)) {
    throw new RangeError(`${fn} [0x${s.start.toString(16)}, 0x${s.end.toString(16)}) overlaps an existing VMA or an earlier spec`);
  }
  return s;
}

/** Adds the VMAs of `specs` to `mm` and populates and swaps their pages as asked; every spec is checked first. */
export function addVmas(kernel: Kernel, mm: Mm, specs: readonly VmaSpec[]): Vma[] {
  kernelArg('addVmas', kernel);
  mmArg('addVmas', mm);
  if (!Array.isArray(specs)) throw new TypeError(`addVmas: specs must be an array of VMA specs, got ${show(specs)}`);
  const checked: VmaSpec[] = [];
  specs.forEach((spec: unknown, i) => checked.push(checkSpec(mm, spec, i, checked)));
  const vmas: Vma[] = [];
  for (const spec of checked) {
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

/** Checks [addr, addr + len) for populate and pageOut: page aligned, inside the user address space. */
function checkRange(fn: string, mm: Mm, addr: number, len: number): void {
  mmArg(fn, mm);
  indexArg(fn, 'addr', addr);
  indexArg(fn, 'len', len);
  if (addr % PAGE_SIZE !== 0) throw new RangeError(`${fn}: addr must be a multiple of ${PAGE_SIZE}, got ${addr}`);
  if (addr + len > TASK_SIZE) throw new RangeError(`${fn}: addr 0x${addr.toString(16)} + len 0x${len.toString(16)} is above TASK_SIZE`);
}

/** Faults in every page of [addr, addr + len); throws if a fault fails. */
export function populate(mm: Mm, addr: number, len: number, writeAccess: boolean): void {
  checkRange('populate', mm, addr, len);
  booleanArg('populate', 'writeAccess', writeAccess);
  // Every page must be one the fault can map, so a refusal comes before the first page is touched.
  for (let a = addr; a < addr + len; a += PAGE_SIZE) {
    const slot = mm.mmMt.load(a);
    if (!(slot instanceof Vma) || !(slot.vmFlags & (writeAccess ? VM_WRITE : VM_READ))) {
      throw new RangeError(`populate: addr 0x${a.toString(16)} is not in a VMA that allows ${writeAccess ? 'writing' : 'reading'}`);
    }
  }
  for (let a = addr; a < addr + len; a += PAGE_SIZE) {
    const err = runSync(handleMmFault(mm, a, writeAccess, 'populate'));
    if (err) throw new RangeError(`populate: the fault at addr 0x${a.toString(16)} failed with ${err}`);
  }
}

/** Pushes the private anonymous pages of [addr, addr + len) out to swap; returns how many went. */
export function pageOut(mm: Mm, addr: number, len: number): number {
  checkRange('pageOut', mm, addr, len);
  let n = 0;
  for (let a = addr; a < addr + len; a += PAGE_SIZE) if (runSync(swapOutPage(mm, a, 'pageOut'))) n++;
  return n;
}
