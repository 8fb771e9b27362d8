/**
 * swapoff(2)'s try_to_unuse: walk the global mmlist, pin each mm with mmget_not_zero, and bring
 * every swap entry of its anonymous VMAs back in under mmap_read_lock (unuse_mm). The mm it
 * reaches may be a child that a failed fork has just unlocked.
 */
import { kernelArg, mmArg, whoArg } from '../args.js';
import { read, type Task } from '../../explore/protocol.js';
import { MMF_UNSTABLE } from '../constants.js';
import { mmput } from '../exit.js';
import type { Kernel } from '../kernel.js';
import { mmapReadLock, mmapReadUnlock, mmlistLock, mmlistUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import { swapInPte } from '../swap.js';
import { derefVma } from '../vma.js';
import { isZero, vmaIter, vmaNext } from '../vma-iter.js';
import { readForeignVma } from '../vma-memory.js';
import { fieldId } from '../names.js';

/** unuse_vma: swap in every swap entry mapped by the VMA. */
function unuseVma(mm: Mm, start: number, end: number): void {
  for (const addr of mm.pt.addresses(start, end)) if (mm.pt.get(addr)?.kind === 'swap') swapInPte(mm, addr);
}

/** unuse_mm, with Charan's hotfix (check_stable_address_space) when the kernel has it. */
export function* unuseMm(mm: Mm, who: string): Task {
  mmArg('unuse_mm', mm);
  whoArg('unuse_mm', who);
  const fn = `unuse_mm (${who})`;
  yield mmapReadLock(mm, fn);
  if (mm.kernel.config.swapoffStableCheck && mm.testFlag(MMF_UNSTABLE)) {
    yield mmapReadUnlock(mm, `${fn}: unstable address space`);
    return;
  }
  const vmi = vmaIter(mm, 0);
  const zeroCheck = mm.kernel.config.swapoffZeroCheck;
  for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
    if (zeroCheck !== undefined && isZero(slot)) {
      if (zeroCheck === 'break') break;
      continue;
    }
    const foreign = readForeignVma(slot, mm, fn);
    if (foreign !== null) yield foreign;
    const vma = derefVma(slot, mm, 'anon_vma', fn);
    if (vma.anonVma && !vma.isHugetlb) unuseVma(mm, vma.vmStart, vma.vmEnd);
    yield read(fieldId(mm.name, 'mm_mt'), `${fn}: for_each_vma ${vma.toString()}`);
  }
  yield mmapReadUnlock(mm, fn);
}

/** try_to_unuse: every mm on the mmlist, in list order. Returns how many mms it visited. */
export function* tryToUnuse(kernel: Kernel, who = 'swapoff'): Task<number> {
  kernelArg('try_to_unuse', kernel);
  whoArg('try_to_unuse', who);
  return yield* walkMmlist(kernel, `try_to_unuse (${who})`, who, (mm) => unuseMm(mm, who));
}

/**
 * try_to_unuse's walk of the mmlist: each mm pinned with mmget_not_zero, visited with the list
 * unlocked, and put once the walk has moved past it. Returns how many mms it visited.
 */
export function* walkMmlist(kernel: Kernel, fn: string, who: string, visit: (mm: Mm) => Task): Task<number> {
  let prev: Mm | null = null;
  let visited = 0;
  yield mmlistLock(fn);
  yield read('mmlist', `${fn}: walk mmlist`);
  let cursor = 0;
  while (cursor < kernel.mmlist.length) {
    const mm = kernel.mmlist[cursor]!;
    if (!mm.mmgetNotZero()) {
      cursor++;
      continue;
    }
    kernel.noteReach(mm, who);
    yield mmlistUnlock(fn);
    if (prev) yield* mmput(prev, fn);
    prev = mm;
    visited++;
    yield* visit(mm);
    yield mmlistLock(fn);
    yield read('mmlist', `${fn}: next on mmlist`);
    // Our reference keeps `mm` on the list; continue after it.
    cursor = kernel.mmlist.indexOf(mm) + 1;
  }
  yield mmlistUnlock(fn);
  if (prev) yield* mmput(prev, fn);
  return visited;
}
