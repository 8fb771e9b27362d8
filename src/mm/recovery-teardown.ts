/**
 * The 7.0 recovery of a failed dup_mmap (43873af772f8 "mm: change dup_mmap() recovery"): unmap and
 * free every VMA copied so far and empty the tree before the locks drop.
 */
import { write, type Task } from '../explore/protocol.js';
import { MAX_INDEX } from '../tree/constants.js';
import { vmUnacctMemory } from './accounting.js';
import { MMF_OOM_SKIP, MMF_UNSTABLE } from './constants.js';
import type { Mm } from './mm.js';
import { tearDownVmas, unmapRegion, unmapState } from './unmap.js';
import { derefVma, type Vma } from './vma.js';
import { vmaIter, vmaNext } from './vma-iter.js';
import { fieldId } from './names.js';

/** dup_mmap's failure block in 7.0: tear down [0, end), __mt_destroy, then mark the mm. */
export function* recoverTeardown(mm: Mm, mpnt: Vma | null, who = 'dup_mmap (teardown recovery)'): Task {
  const end = mm.mapCount === 0 ? 0 : mpnt ? mpnt.vmStart : MAX_INDEX;
  mm.setFlag(MMF_OOM_SKIP);
  if (end !== 0) {
    const vmi = vmaIter(mm, 0);
    const tmp = derefVma(vmaNext(vmi), mm, 'vm_start', who);
    const unmap = unmapState(vmi, tmp, 0, end, null, null);
    unmap.treeEnd = end;
    yield* unmapRegion(mm, unmap, who);
    const charge = tearDownVmas(mm, vmi, tmp, end, who);
    vmUnacctMemory(mm, charge);
  }
  mm.mmMt.destroy();
  yield write(fieldId(mm.name, 'mm_mt'), `${who}: __mt_destroy`);
  mm.setFlag(MMF_UNSTABLE);
}
