/**
 * Linking a new VMA into an mm (vma_link / vma_link_file): the tree slot, map_count, the file's
 * i_mmap, the vm counters and the overcommit charge of an accounted mapping.
 */
import { write, type Task } from '../explore/protocol.js';
import { vmAcctMemory } from './accounting.js';
import { VM_ACCOUNT } from './constants.js';
import { iMmapLockWrite, iMmapUnlockWrite } from './locks.js';
import type { Mm } from './mm.js';
import type { Vma } from './vma.js';
import { fieldId } from './names.js';

/** Store `vma` in the tree over its range (the caller has checked the range is free). */
export function vmaStoreTree(mm: Mm, vma: Vma): void {
  mm.mmMt.state(vma.vmStart, vma.vmEnd - 1).storeGfp(vma, 'kernel');
  vma.detached = false;
}

/** vma_link_file: make the VMA reachable from its file's i_mmap. */
export function* vmaLinkFile(vma: Vma, who: string): Task {
  const file = vma.vmFile;
  if (!file) return;
  yield iMmapLockWrite(file.mapping, who);
  if (vma.isSharedMaywrite) file.mapping.writable++;
  file.mapping.iMmap.add(vma);
  yield iMmapUnlockWrite(file.mapping, who);
}

/** vma_link plus the accounting of mmap_region: the VMA becomes part of `mm`. */
export function* vmaLink(mm: Mm, vma: Vma, who: string): Task {
  vmaStoreTree(mm, vma);
  yield write(fieldId(mm.name, 'mm_mt'), `${who}: vma_link ${vma.toString()}`);
  mm.mapCount++;
  if (vma.vmFile) {
    vma.vmFile.refs++;
    if (vma.vmFile.vmOps?.counted) vma.vmFile.opened++;
  }
  yield* vmaLinkFile(vma, who);
  mm.statAccount(vma.vmFlags, vma.pages);
  if (vma.vmFlags & VM_ACCOUNT) vmAcctMemory(mm, vma.pages);
}
