/**
 * A careless walker (hypothetical, for the designs study): code that assumes every live mm has at
 * least one VMA and reads find_vma(mm, 0)->vm_start without a NULL check — what Liam warned "code
 * this isn't careful" would do with an mm left empty. It reaches other processes' mms through the
 * two global doors the model has: the swap mmlist (as try_to_unuse does, pinning each with
 * mmget_not_zero) and KSM's mm_slot list (as ksmd does). It checks no MMF_UNSTABLE flag.
 */
import { kernelArg, whoArg } from '../args.js';
import { ModelViolation, read, type Task } from '../../explore/protocol.js';
import type { Kernel } from '../kernel.js';
import { mmapReadLock, mmapReadUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import { derefVma } from '../vma.js';
import { vmaIter, vmaNext } from '../vma-iter.js';
import { scanMmSlots } from './scanners.js';
import { walkMmlist } from './swapoff.js';
import { fieldId } from '../names.js';

/** find_vma(mm, 0)->vm_start, with no NULL check, under the mmap read lock the caller holds. */
function* firstVmaStart(mm: Mm, fn: string): Task {
  const slot = vmaNext(vmaIter(mm, 0));
  yield read(fieldId(mm.name, 'mm_mt'), `${fn}: find_vma(${mm.name}, 0)`);
  if (slot === undefined) {
    throw new ModelViolation('null-deref',
      `Unable to handle kernel NULL pointer dereference at virtual address 0x0000000000000000 in ${fn}: ` +
      `find_vma(${mm.name}, 0) returned NULL (the mm has no VMA) and vm_start was read through it`);
  }
  derefVma(slot, mm, 'vm_start', fn);
}

/**
 * The mmlist door's visit of one mm. A module-level generator rather than a generator closure per
 * walk: V8 makes each generator function object its own map in the old generation, which keeps the
 * closure's world alive through every scavenge until a full GC.
 */
function* visitMm(mm: Mm, fn: string): Task {
  yield mmapReadLock(mm, fn);
  yield* firstVmaStart(mm, fn);
  yield mmapReadUnlock(mm, fn);
}

/** One pass through each door. */
export function* carelessWalker(kernel: Kernel, who = 'careless'): Task {
  kernelArg('carelessWalker', kernel);
  whoArg('carelessWalker', who);
  const fn = `careless walker (${who}) on the mmlist`;
  yield* walkMmlist(kernel, fn, who, (mm) => visitMm(mm, fn));
  yield* scanMmSlots(kernel, kernel.ksm, `careless walker (${who}) on the KSM list`, false, who, firstVmaStart);
}
