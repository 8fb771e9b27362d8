/**
 * uprobe registration (register_for_each_vma): under dup_mmap_sem (write), find every mm mapping
 * the probed file through its i_mmap (build_map_info), then in each mm look the VMA up and install
 * the breakpoint — a copy-on-write fault that runs anon_vma_prepare and so reads the VMA's
 * neighbours through the advanced API (the syzbot crash at 0x406).
 */
import { fileArg, indexArg, kernelArg, whoArg } from '../args.js';
import { lock, read, unlock, type Task } from '../../explore/protocol.js';
import { MMF_UNSTABLE, PAGE_SIZE, VM_HUGETLB, VM_MAYEXEC, VM_MAYSHARE, VM_WRITE } from '../constants.js';
import { mmput } from '../exit.js';
import { handleMmFault } from '../fault.js';
import type { File } from '../file.js';
import { type Kernel } from '../kernel.js';
import { use } from '../kasan.js';
import { iMmapLockRead, iMmapUnlockRead, mmapWriteLock, mmapWriteUnlock } from '../locks.js';
import type { Mm } from '../mm.js';
import { derefVma, type Vma } from '../vma.js';
import { readForeignVma } from '../vma-memory.js';
import { DUP_MMAP_SEM } from '../locks.js';
import { fieldId, hexAddress } from '../names.js';

/** valid_vma(vma, is_register): a private, executable, not-writable file mapping. */
function validVma(vma: Vma): boolean {
  return vma.vmFile !== null && (vma.vmFlags & (VM_HUGETLB | VM_MAYEXEC | VM_MAYSHARE | VM_WRITE)) === VM_MAYEXEC;
}

/** The probe's address in a VMA mapping the file (offset_to_vaddr). */
function offsetToVaddr(vma: Vma, offset: number): number {
  return vma.vmStart + offset - vma.vmPgoff * PAGE_SIZE;
}

interface MapInfo {
  readonly mm: Mm;
  readonly vaddr: number;
}

/** build_map_info: one entry per live mm mapping the probed offset. */
function* buildMapInfo(file: File, offset: number, fn: string, who: string): Task<MapInfo[]> {
  const info: MapInfo[] = [];
  yield iMmapLockRead(file.mapping, fn);
  for (const vma of file.mapping.iMmap) {
    use(vma, fn);
    if (!validVma(vma)) continue;
    const vaddr = offsetToVaddr(vma, offset);
    if (vaddr < vma.vmStart || vaddr >= vma.vmEnd) continue;
    if (!vma.vmMm.mmgetNotZero()) continue;
    vma.vmMm.kernel.noteReach(vma.vmMm, who);
    info.push({ mm: vma.vmMm, vaddr });
  }
  yield iMmapUnlockRead(file.mapping, fn);
  return info;
}

/** uprobe_register → register_for_each_vma: install a breakpoint at `offset` of `file` in every mm. Returns how many got it. */
export function* registerForEachVma(kernel: Kernel, file: File, offset: number, who = 'uprobe'): Task<number> {
  kernelArg('register_for_each_vma', kernel);
  fileArg('register_for_each_vma', file, false);
  indexArg('register_for_each_vma', 'offset', offset);
  whoArg('register_for_each_vma', who);
  const fn = `register_for_each_vma (${who})`;
  let installed = 0;
  yield lock(DUP_MMAP_SEM, 'write', `${fn}: percpu_down_write(&dup_mmap_sem)`);
  const infos = yield* buildMapInfo(file, offset, fn, who);
  for (const { mm, vaddr } of infos) {
    yield mmapWriteLock(mm, fn);
    const stable = !(kernel.config.uprobeStableCheck && mm.testFlag(MMF_UNSTABLE));
    if (stable) {
      // find_vma goes through the normal API (mt_find), which skips XA_ZERO_ENTRY.
      yield read(fieldId(mm.name, 'mm_mt'), `${fn}: find_vma(${mm.name}, ${hexAddress(vaddr)})`);
      const found = mm.mmMt.find(vaddr);
      if (found !== undefined) {
        const foreign = readForeignVma(found.entry, mm, fn);
        if (foreign !== null) yield foreign;
        const vma = derefVma(found.entry, mm, 'vm_start', fn);
        if (vma.vmStart <= vaddr && validVma(vma) && vma.vmFile === file) {
          // install_breakpoint → uprobe_write: a FOLL_FORCE write fault makes a private copy.
          const err = yield* handleMmFault(mm, vaddr - (vaddr % PAGE_SIZE), true, `install_breakpoint (${who})`, true);
          if (err === 0) installed++;
        }
      }
    }
    yield mmapWriteUnlock(mm, fn);
    yield* mmput(mm, fn);
  }
  yield unlock(DUP_MMAP_SEM, 'write', `${fn}: percpu_up_write(&dup_mmap_sem)`);
  return installed;
}
