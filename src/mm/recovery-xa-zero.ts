/**
 * The 6.8–6.18 recovery of a failed dup_mmap (d24062914837): store XA_ZERO_ENTRY over the failing
 * VMA's range and drop the locks; exit_mmap later stops at the marker.
 */
import { write, type Task } from '../explore/protocol.js';
import { ZERO_ENTRY } from '../tree/entry.js';
import { MMF_OOM_SKIP, MMF_UNSTABLE } from './constants.js';
import type { Mm } from './mm.js';
import type { Vma } from './vma.js';
import { fieldId, hexAddress } from './names.js';

/** dup_mmap's `if (unlikely(retval))` block of 6.8–6.18. */
export function* recoverXaZero(mm: Mm, mpnt: Vma | null, who = 'dup_mmap (xa-zero recovery)'): Task {
  if (mpnt) {
    // An exact-fit slot store over an existing range: it needs no node.
    mm.mmMt.state(mpnt.vmStart, mpnt.vmEnd - 1).storeGfp(ZERO_ENTRY, 'kernel');
    yield write(fieldId(mm.name, 'mm_mt'), `${who}: mas_store(XA_ZERO_ENTRY) over [${hexAddress(mpnt.vmStart)}, ${hexAddress(mpnt.vmEnd)})`);
    if (mm.kernel.config.failureFlags) mm.setFlag(MMF_OOM_SKIP);
  }
  if (mm.kernel.config.failureFlags) mm.setFlag(MMF_UNSTABLE);
}
